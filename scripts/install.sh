#!/usr/bin/env bash
# Puts `faasten` and `fstn` on PATH: small wrappers that run this clone's build.
#   scripts/install.sh [DIR]   DIR defaults to /usr/local/bin when writable, else ~/.local/bin.
# Each wrapper execs dotnet, so `cmd &` gives `$!` = the program itself (signals reach it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
configuration=${CONFIGURATION:-Release}
target=${1:-}
if [ -z "$target" ]; then
  if [ -w /usr/local/bin ]; then target=/usr/local/bin; else target="$HOME/.local/bin"; fi
fi
mkdir -p "$target"
for pair in "faasten:src/Faasten.Host/bin/$configuration/net10.0/faasten.dll" "fstn:src/Faasten.Cli/bin/$configuration/net10.0/fstn.dll"; do
  name=${pair%%:*}
  dll="$repo/${pair#*:}"
  [ -f "$dll" ] || { echo "install: $dll is missing; build first (scripts/setup.sh)" >&2; exit 1; }
  tmp=$(mktemp "$target/.$name.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  # bash, not sh: %q may quote in bash's own $'...' form.
  printf '#!/usr/bin/env bash\nexec dotnet %q "$@"\n' "$dll" >"$tmp"
  chmod 0755 "$tmp"
  mv -f "$tmp" "$target/$name"
  trap - EXIT
done
case ":$PATH:" in
  *":$target:"*) ;;
  *) echo "install: $target is not on PATH; add it (export PATH=\"$target:\$PATH\")" >&2 ;;
esac
echo "$target"
