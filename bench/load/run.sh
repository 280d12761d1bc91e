#!/usr/bin/env bash
# Load benchmark of `faasten serve` with wrk: warm no-op invocations through POST /invoke (a
# real Python function in a bubblewrap VM) and, for the gateway alone, GET /fs/file.
# Usage: bench/load/run.sh [DURATION] [CONNECTIONS]   (defaults 20s, 8; wrk uses 2 threads)
# Needs the Release build (scripts/setup.sh) and wrk. Prints wrk's report and one RESULT line per run.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20s}
connections=${2:-8}
faasten=(dotnet src/Faasten.Host/bin/Release/net10.0/faasten.dll)
fstn=(dotnet src/Faasten.Cli/bin/Release/net10.0/fstn.dll)

work=$(mktemp -d /tmp/faasten-load.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    wait "$server" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

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
mkdir -p "$work/noop"
printf 'def handle(event, cloudcall):\n    return {}\n' >"$work/noop/workload.py"
"${fstn[@]}" register "$work/noop" 'home:<T,bench>:noop' --privilege bench --clearance T >/dev/null
printf 'hello' | "${fstn[@]}" write 'home:<T,bench>:hello' >/dev/null

export FAASTEN_TOKEN
FAASTEN_TOKEN=$("${faasten[@]}" admin token bench --data "$work/data" --ttl 3600 2>/dev/null)
export FAASTEN_GATE='home:<T,bench>:noop' FAASTEN_FILE='home%3A%3CT%2Cbench%3E%3Ahello'

# Warm up: the VM pool, the JIT and the connection pool.
curl -s -H "Authorization: Bearer $FAASTEN_TOKEN" -d "{\"path\":\"$FAASTEN_GATE\",\"payload\":{}}" "$address/invoke"; echo
wrk -t2 -c"$connections" -d5s -s bench/load/invoke.lua "$address" >/dev/null

echo "== POST /invoke (no-op function), $connections connections, $duration"
wrk -t2 -c"$connections" -d"$duration" --latency -s bench/load/invoke.lua "$address"
echo "== GET /fs/file (gateway and monitor, no VM), $connections connections, $duration"
wrk -t2 -c"$connections" -d"$duration" --latency -s bench/load/fsread.lua "$address"
