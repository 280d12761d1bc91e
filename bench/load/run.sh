#!/usr/bin/env bash
# Load benchmark of `faasten serve` with wrk: warm no-op invocations through POST /invoke (a
# real Python function in a bubblewrap VM) and, for the gateway alone, GET /fs/file.
# Usage: bench/load/run.sh [DURATION] [CONNECTIONS]   (defaults 20s, 8; wrk uses 2 threads)
# Needs the Release build (scripts/setup.sh) and wrk. Prints wrk's report and one RESULT line per run.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20s}
connections=${2:-8}
# shellcheck source=bench/load/serve.sh
source bench/load/serve.sh load
mkdir -p "$work/noop"
printf 'def handle(event, cloudcall):\n    return {}\n' >"$work/noop/workload.py"
"${fstn[@]}" register "$work/noop" 'home:<T,bench>:noop' --privilege bench --clearance T >/dev/null
printf 'hello' | "${fstn[@]}" write 'home:<T,bench>:hello' >/dev/null

export FAASTEN_TOKEN
FAASTEN_TOKEN=$("${faasten[@]}" admin token bench --data "$work/data" --ttl 3600 2>/dev/null)
export FAASTEN_GATE='home:<T,bench>:noop' FAASTEN_FILE='home%3A%3CT%2Cbench%3E%3Ahello'

# Warm up: the VM pool, the JIT and the connection pool.
curl -s -H "Authorization: Bearer $FAASTEN_TOKEN" -d "{\"path\":\"$FAASTEN_GATE\",\"payload\":{}}" "$address/invoke"; echo
wrk -t2 -c"$connections" -d"${WARMUP:-5s}" -s bench/load/invoke.lua "$address" >/dev/null

echo "== POST /invoke (no-op function), $connections connections, $duration"
wrk -t2 -c"$connections" -d"$duration" --latency -s bench/load/invoke.lua "$address"
echo "== GET /fs/file (gateway and monitor, no VM), $connections connections, $duration"
wrk -t2 -c"$connections" -d"$duration" --latency -s bench/load/fsread.lua "$address"
