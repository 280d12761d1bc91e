#!/usr/bin/env bash
# The photo-management demo on an already built tree (scripts/demo.sh builds first): runs
# `faasten serve` on the embedded default (SQLite, local blobs, in-memory queue) with two
# users, alice and bob, each with the app registered, then prints commands to paste and
# keeps serving until Ctrl-C.
#
#   FAASTEN_DEMO_DATA    data directory (default: .demo in the repository; kept across runs)
#   FAASTEN_DEMO_LISTEN  HOST:PORT (default 127.0.0.1:8080)
set -euo pipefail
started=$(date +%s%N)
repo=$(cd "$(dirname "$0")/../.." && pwd)
configuration=${CONFIGURATION:-Release}
data=${FAASTEN_DEMO_DATA:-$repo/.demo}
listen=${FAASTEN_DEMO_LISTEN:-127.0.0.1:8080}
server="http://$listen"
# This clone's faasten and fstn first on PATH (scripts/setup.sh also installs them system-wide).
bin="$repo/artifacts/bin"
CONFIGURATION=$configuration "$repo/scripts/install.sh" "$bin" >/dev/null 2>&1 \
    || { echo "$0: faasten and fstn are not built; build first (./scripts/setup.sh)" >&2; exit 1; }
export PATH="$bin:$PATH" DOTNET_NOLOGO=1

mkdir -p "$data"
log="$data/serve.log"
declare -A password=([alice]=alice-password [bob]=bob-password)
for user in alice bob; do
    echo "${password[$user]}" | faasten admin useradd "$user" --data "$data" --exist-ok >/dev/null
done

# The wrapper execs the server, so $! is the server itself, which SIGTERM shuts down gracefully.
faasten serve --data "$data" --listen "$listen" >"$log" 2>&1 &
serve_pid=$!
trap 'status=$?; kill -TERM $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null; exit $status' EXIT
trap 'exit 130' INT TERM
export FSTN_SERVER=$server
until fstn whoami >/dev/null 2>&1; do
    if ! kill -0 $serve_pid 2>/dev/null; then
        echo "$0: faasten serve exited; its log ($log):" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    sleep 0.2
done

for user in alice bob; do
    token=$(faasten admin token "$user" --data "$data" --ttl 600 2>/dev/null)
    FSTN_TOKEN=$token "$repo/examples/pma/register.sh" "$user" >/dev/null
done
elapsed_ms=$((($(date +%s%N) - started) / 1000000))

photos="$repo/examples/pma/photos"
cat <<EOF
Faasten is serving at $server, with the photo app registered for alice and bob
(ready in $((elapsed_ms / 1000)).$((elapsed_ms % 1000 / 100)) s; data in $data, server log in $log).

Paste these into another shell, a few lines at a time:

  export PATH="$bin:\$PATH" FSTN_SERVER=$server

  # alice uploads two photos; add-photo files each in her private library, home:<alice,alice/pma>,
  # and has gen-thumb make thumbnails and time-index file it by the time it was taken
  echo alice-password | fstn login --user alice
  fstn put --force '$photos/beach.jpg' '~:inbox:beach.jpg'
  fstn invoke 'home:<T,alice>:pma:add-photo' '{"photo": "home:<alice,alice>:inbox:beach.jpg"}'
  fstn put --force '$photos/mountain.jpg' '~:inbox:mountain.jpg'
  fstn invoke 'home:<T,alice>:pma:add-photo' '{"photo": "home:<alice,alice>:inbox:mountain.jpg"}'
  fstn ls -l 'home:<alice,alice/pma>:thumbs'
  fstn ls 'home:<alice,alice/pma>:time:2026:07:14:18'

  # bob can reach none of it: reads are withheld, alice's gates refuse him
  echo bob-password | fstn login --user bob
  fstn ls 'home:<alice,alice/pma>:thumbs'
  fstn cat 'home:<alice,alice/pma>:photos:beach.jpg' > /dev/null
  fstn invoke 'home:<T,alice>:pma:share-photo' '{"photo": "beach.jpg", "with": "bob"}'

  # alice shares one photo with bob: share-photo is the app's one privileged step
  echo alice-password | fstn login --user alice
  fstn invoke 'home:<T,alice>:pma:share-photo' '{"photo": "beach.jpg", "with": "bob"}'

  # now bob reads that photo and its thumbnails, and still nothing else
  echo bob-password | fstn login --user bob
  fstn ls -l 'home:<alice|bob,alice>:shared'
  fstn cat 'home:<alice|bob,alice>:shared:beach-128x128.jpeg' > beach-thumbnail.jpeg
  fstn cat 'home:<alice,alice/pma>:photos:mountain.jpg' > /dev/null

Ctrl-C stops the server.
EOF
wait $serve_pid
