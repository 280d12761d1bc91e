# Sourced by the load scripts: starts `faasten serve` (the Release build) on a free port in a
# temp data directory with user bench logged in through fstn, and stops it on exit.
# Sets: faasten, fstn (commands as arrays), work, server (pid), address, FSTN_SERVER.
faasten=(dotnet src/Faasten.Host/bin/Release/net10.0/faasten.dll)
fstn=(dotnet src/Faasten.Cli/bin/Release/net10.0/fstn.dll)

bench_name=${1:-load}
work=$(mktemp -d "/tmp/faasten-$bench_name.XXXXXX")
server=""
stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    wait "$server" || true
  fi
  cp "$work/serve.log" "/tmp/$bench_name-serve.log" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_server EXIT

echo "bench-pw" | "${faasten[@]}" admin useradd bench --data "$work/data" >/dev/null
"${faasten[@]}" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 200); do
  address=$(sed -n 's/^faasten listening on \(http:[^ ]*\)\/ .*/\1/p' "$work/serve.log")
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { cat "$work/serve.log" >&2; exit 1; }
echo "server: $address (data in $work/data)"

export FSTN_SERVER=$address XDG_CONFIG_HOME=$work/config
echo "bench-pw" | "${fstn[@]}" login --user bench >/dev/null
