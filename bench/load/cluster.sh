#!/usr/bin/env bash
# Load benchmark of a cluster on loopback: PostgreSQL (scripts/postgres.sh), nats-server -js,
# s3rver, one `faasten gateway` and one or two `faasten worker`s, all the Release build.
#  (a) warm no-op invocations through the gateway with one worker, as bench/load/run.sh measures
#      `faasten serve` (same wrk script, same connections), plus the sequential p50 (1 connection);
#      run both in the same session to read the cost of the queue hop.
#  (b) scale-out: a function that sleeps 20 ms (no CPU), so slots, not cores, bound throughput;
#      enough connections to fill every slot of two workers; 1 worker, then 2 (same worker.slots).
# Usage: [WARMUP=5s] bench/load/cluster.sh [DURATION] [CONNECTIONS] [SLOTS]   (defaults 20s, 8, 4)
# Needs wrk, nats-server, PostgreSQL and tools/s3rver (npm ci there). Prints wrk's report and
# one RESULT line per run, then a SCALEOUT line with the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20s}
connections=${2:-8}
slots=${3:-4}
faasten=(dotnet src/Faasten.Host/bin/Release/net10.0/faasten.dll)
fstn=(dotnet src/Faasten.Cli/bin/Release/net10.0/fstn.dll)
s3rver=tools/s3rver/node_modules/.bin/s3rver
[ -x "$s3rver" ] || { echo "cluster.sh: $s3rver is missing (cd tools/s3rver && npm ci)" >&2; exit 1; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d /tmp/faasten-cluster.XXXXXX)
# The workers' image caches are under it, and the sandbox user must traverse to them.
chmod 755 "$work"
pids=()
stop_all() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
  [ "$(type -t pg_stop)" = function ] && pg_stop
  mkdir -p /tmp/cluster-bench-logs && cp "$work"/*.log /tmp/cluster-bench-logs/ 2>/dev/null || true
  rm -rf "$work"
}
trap stop_all EXIT

# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
nats_port=$(free_port)
nats-server -js -a 127.0.0.1 -p "$nats_port" -sd "$work/nats" >"$work/nats.log" 2>&1 &
pids+=($!)
s3_port=$(free_port)
"$s3rver" -d "$work/s3" -a 127.0.0.1 -p "$s3_port" --silent --configure-bucket faasten >"$work/s3rver.log" 2>&1 &
pids+=($!)
# s3rver's fixed keys, through the AWS SDK's standard chain as for any operator.
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$s3_port") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && break
  sleep 0.1
done

cat >"$work/cluster.yaml" <<YAML
metadata: {postgres: '${FAASTEN_TEST_POSTGRES};Maximum Pool Size=50'}
blobs:
  s3: {endpoint: 'http://127.0.0.1:$s3_port', bucket: faasten, pathStyle: true}
queue: {nats: 'nats://127.0.0.1:$nats_port'}
tokens: {signingKeyFile: '$work/signing.key'}
listen: 127.0.0.1:0
logging: {level: Warning}
worker: {slots: $slots}
YAML

"${faasten[@]}" gateway --config "$work/cluster.yaml" >"$work/gateway.log" 2>&1 &
pids+=($!)
address=""
for _ in $(seq 1 300); do
  address=$(sed -n 's/^faasten gateway listening on \(http:[^ ;]*\);.*/\1/p' "$work/gateway.log")
  address=${address%/}
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { cat "$work/gateway.log" >&2; exit 1; }

start_worker() {
  FAASTEN_WORKER__IMAGECACHE="$work/images-$1" "${faasten[@]}" worker --config "$work/cluster.yaml" >"$work/worker-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    grep -q '^faasten worker pulling from ' "$work/worker-$1.log" && return 0
    sleep 0.1
  done
  cat "$work/worker-$1.log" >&2
  exit 1
}
start_worker 0
echo "cluster: gateway $address, worker 0 ($slots slots), PostgreSQL, NATS :$nats_port, s3rver :$s3_port"

echo "bench-pw" | "${faasten[@]}" admin useradd bench --config "$work/cluster.yaml" >/dev/null
export FSTN_SERVER=$address XDG_CONFIG_HOME=$work/config
echo "bench-pw" | "${fstn[@]}" login --user bench >/dev/null
mkdir -p "$work/noop" "$work/sleep20"
printf 'def handle(event, cloudcall):\n    return {}\n' >"$work/noop/workload.py"
printf 'import time\n\n\ndef handle(event, cloudcall):\n    time.sleep(0.02)\n    return {}\n' >"$work/sleep20/workload.py"
"${fstn[@]}" register "$work/noop" 'home:<T,bench>:noop' --privilege bench --clearance T >/dev/null
"${fstn[@]}" register "$work/sleep20" 'home:<T,bench>:sleep20' --privilege bench --clearance T >/dev/null
export FAASTEN_TOKEN
FAASTEN_TOKEN=$("${faasten[@]}" admin token bench --config "$work/cluster.yaml" --ttl 3600 2>/dev/null)

bench() { # NAME GATE CONNECTIONS DURATION
  export FAASTEN_GATE=$2
  echo "== $1: POST /invoke $2, $3 connections, $4"
  wrk -t"$(($3 < 2 ? 1 : 2))" -c"$3" -d"$4" --latency -s bench/load/invoke.lua "$address" | tee "$work/wrk.out"
  sed -n "s/^RESULT /RESULT bench=$1 /p" "$work/wrk.out" >>"$work/results"
  if ! grep -q ' non2xx=0 ' "$work/wrk.out"; then
    echo "cluster.sh: $1 had failed invocations; the numbers are not a measurement (logs in /tmp/cluster-bench-logs)" >&2
    exit 1
  fi
}
warm() { # GATE CONNECTIONS
  export FAASTEN_GATE=$1
  curl -s -H "Authorization: Bearer $FAASTEN_TOKEN" -d "{\"path\":\"$1\",\"payload\":{}}" "$address/invoke"; echo
  wrk -t2 -c"$2" -d"${WARMUP:-5s}" -s bench/load/invoke.lua "$address" >/dev/null
}
: >"$work/results"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# (a) the queue hop: no-op through a cluster gateway and one worker.
warm 'home:<T,bench>:noop' "$connections"
bench cluster-noop 'home:<T,bench>:noop' "$connections" "$duration"
bench cluster-noop-sequential 'home:<T,bench>:noop' 1 "$duration"

# (b) scale-out: every slot of two workers busy with 20 ms sleeps.
fill=$((4 * slots))
warm 'home:<T,bench>:sleep20' "$fill"
bench scaleout-1-worker 'home:<T,bench>:sleep20' "$fill" "$duration"
start_worker 1
warm 'home:<T,bench>:sleep20' "$fill"
bench scaleout-2-workers 'home:<T,bench>:sleep20' "$fill" "$duration"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/results"
one=$(sed -n 's/^RESULT bench=scaleout-1-worker .* rps=\([0-9]*\) .*/\1/p' "$work/results")
two=$(sed -n 's/^RESULT bench=scaleout-2-workers .* rps=\([0-9]*\) .*/\1/p' "$work/results")
echo "SCALEOUT slots_per_worker=$slots connections=$fill rps_1=$one rps_2=$two ratio=$(/usr/bin/python3 -c "print(f'{$two / $one:.2f}')")"
