#!/usr/bin/env bash
# Installs prerequisites, builds, and runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION="${CONFIGURATION:-Release}"
./scripts/setup.sh
exec dotnet src/Faasten.Host/bin/$CONFIGURATION/net10.0/faasten.dll --help
