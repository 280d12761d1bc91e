#!/usr/bin/env bash
# Refreshes the console screenshots in docs/console/ (shown in the README): runs the console's
# browser tests, which take them on the way, with FAASTEN_CONSOLE_SCREENSHOTS pointing there.
# Needs what scripts/setup.sh installs (chromium, bubblewrap, the built solution).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(pwd)/docs/console"
mkdir -p "$out"
dotnet build tests/Faasten.FunctionalTests -c Release -nologo -v quiet >&2
FAASTEN_CONSOLE_SCREENSHOTS="$out" dotnet test tests/Faasten.FunctionalTests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~Faasten.FunctionalTests.Console.ConsoleStoryTests|FullyQualifiedName~Faasten.FunctionalTests.Console.LabelCalculatorTests.Calculator_ExplainsWhichClauseFails" >&2
ls "$out"
