#!/usr/bin/env bash
# Installs prerequisites, starts a real PostgreSQL on loopback, runs every test project
# and prints the total as its last line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export CONFIGURATION="${CONFIGURATION:-Release}"
if ! ./scripts/setup.sh; then
  echo "0 passed, 1 failed"
  exit 1
fi
# shellcheck source=scripts/postgres.sh
source ./scripts/postgres.sh || { echo "0 passed, 1 failed"; exit 1; }
trap pg_stop EXIT

results=artifacts/test-results
rm -rf "$results"
dotnet test Faasten.slnx -c "$CONFIGURATION" --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A run that failed without reporting a failed test (a crashed test host) still fails.
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ $status -eq 0 ] && [ $failed -eq 0 ]
