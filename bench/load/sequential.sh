#!/usr/bin/env bash
# Sequential warm no-op invocations through `faasten serve` (wrk, 1 thread, 1 connection) after a
# 15 s warm-up: the p50 of one request at a time. Usage: bench/load/sequential.sh [DURATION]
# Needs the Release build and wrk. Prints one RESULT line.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10s}
# shellcheck source=bench/load/serve.sh
source bench/load/serve.sh sequential
mkdir -p "$work/noop"
printf 'def handle(event, cloudcall):\n    return {}\n' >"$work/noop/workload.py"
"${fstn[@]}" register "$work/noop" 'home:<T,bench>:noop' --privilege bench --clearance T >/dev/null
export FAASTEN_TOKEN
FAASTEN_TOKEN=$("${faasten[@]}" admin token bench --data "$work/data" --ttl 3600 2>/dev/null)
export FAASTEN_GATE='home:<T,bench>:noop'
wrk -t1 -c1 -d15s -s bench/load/invoke.lua "$address" >/dev/null
wrk -t1 -c1 -d"$duration" --latency -s bench/load/invoke.lua "$address" | grep RESULT
