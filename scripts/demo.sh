#!/usr/bin/env bash
# Installs prerequisites, builds, and runs the main job: faasten serve with the photo app
# registered for alice and bob (examples/pma/demo.sh), until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION="${CONFIGURATION:-Release}"
./scripts/setup.sh
exec ./examples/pma/demo.sh
