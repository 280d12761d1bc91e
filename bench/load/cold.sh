#!/usr/bin/env bash
# Cold-start benchmark of `faasten serve` through HTTP: every request needs a new VM.
# Each function taints itself with a fresh sub-principal of its own privilege (bench/<random>)
# on every call: its VM goes back to the pool tagged with a label no later request starts at,
# so no idle VM can ever serve a request (DESIGN §4), while the gate's declassify component (its privilege,
# bench) lowers the reply to public, so the reply is released. Reports, per function, the
# first invocation after `fstn register` and wrk's sequential latencies (1 connection).
# Spares (worker.spareVms, default 1) are on: a request may find a VM that was started for its
# label before it came and has run nothing. SPARES=0 turns them off to measure the fork itself.
# Usage: [SPARES=N] bench/load/cold.sh [DURATION]   (default 10s). Needs the Release build and wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10s}
export FAASTEN_WORKER__SPAREVMS=${SPARES:-1}
# shellcheck source=bench/load/serve.sh
source bench/load/serve.sh cold
mkdir -p "$work/noop" "$work/thumb"
cat >"$work/noop/workload.py" <<'PY'
import os

calls = 0

def handle(event, cloudcall):
    global calls
    calls += 1  # 1 on every reply: the proof that no VM served twice
    cloudcall.taint_with_label(f"bench/{os.urandom(8).hex()},T")  # no idle VM can serve a later request
    return {"calls": calls, "label": cloudcall.get_current_label()}
PY
# The thumbnail function opens a 640x480 JPEG shipped in its image (a gradient, so the decoder
# has real work), thumbnails it to 64x64 and saves it.
/usr/bin/python3 - "$work/thumb/photo.jpg" <<'PY'
import sys
from PIL import Image
image = Image.new("RGB", (640, 480))
image.putdata([(x % 256, y % 256, (x * y) % 256) for y in range(480) for x in range(640)])
image.save(sys.argv[1], "JPEG", quality=85)
PY
cat >"$work/thumb/workload.py" <<'PY'
import io
import os

from PIL import Image

PHOTO = os.path.join(os.path.dirname(__file__), "photo.jpg")

def handle(event, cloudcall):
    cloudcall.taint_with_label(f"bench/{os.urandom(8).hex()},T")  # no idle VM can serve a later request
    with Image.open(PHOTO) as image:
        image.thumbnail((64, 64))
        out = io.BytesIO()
        image.save(out, "JPEG")
    return {"thumbnail": list(image.size), "thumbnail_bytes": len(out.getvalue())}
PY

# Requests start public (payload label T,T, gates labeled T,bench): the fresh bench/... taint raises the
# label (a start label whose secrecy holds `bench` would absorb it) and the reply, downgraded
# by the gate's privilege, is public again.
export FAASTEN_TOKEN FAASTEN_LABEL=T,T
FAASTEN_TOKEN=$("${faasten[@]}" admin token bench --data "$work/data" --ttl 3600 2>/dev/null)
for function in noop thumb; do
  gate="home:<T,bench>:$function"
  "${fstn[@]}" register "$work/$function" "$gate" --privilege bench --clearance T --memory 64 --label 'T,bench' >/dev/null
  first=$(curl -s -o "$work/first.json" -w '%{time_total}' -H "Authorization: Bearer $FAASTEN_TOKEN" -d "{\"path\":\"$gate\",\"payload\":{},\"label\":\"T,T\"}" "$address/invoke")
  echo "== $function: first invocation after register: $(awk -v t="$first" 'BEGIN { printf "%.1f ms", t * 1000 }') -> $(cat "$work/first.json")"
  export FAASTEN_GATE=$gate
  wrk -t1 -c1 -d2s -s bench/load/invoke.lua "$address" >/dev/null  # JIT and connection warm-up
  echo "== $function: cold invocations, 1 connection, back to back, $duration"
  wrk -t1 -c1 -d"$duration" --latency -s bench/load/invoke.lua "$address"
  # The same at 20 requests/s: time for the pool to have a spare started when a request comes.
  echo "== $function: cold invocations, 1 connection, 50 ms apart, $duration"
  FAASTEN_PAUSE_MS=50 wrk -t1 -c1 -d"$duration" --latency -s bench/load/invoke.lua "$address"
  for _ in 1 2 3; do curl -s -H "Authorization: Bearer $FAASTEN_TOKEN" -d "{\"path\":\"$gate\",\"payload\":{},\"label\":\"T,T\"}" "$address/invoke"; echo; done
done
