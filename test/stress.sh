#!/usr/bin/env bash
# The end-to-end suite five times in a row while stress-ng keeps every core busy. A test that
# passes only on an idle machine is a bug (a race, or a fixed wait); this is how we find them.
# Usage: test/stress.sh [RUNS]   (default 5). Logs: test-results/stress/run-N.log
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
bash test/preflight.sh || exit 1
npm run build || exit 1
mkdir -p test-results/stress
cores="$(nproc)"
# --timeout bounds it even if this script is killed before its trap runs.
stress-ng --cpu "$cores" --cpu-load 100 --timeout 4h --quiet &
load=$!
trap 'kill "$load" 2>/dev/null; wait "$load" 2>/dev/null' EXIT
echo "stress: stress-ng loading all $cores cores (pid $load); $runs end-to-end runs"
passed=0
failed=0
for i in $(seq 1 "$runs"); do
  log="test-results/stress/run-$i.log"
  started=$(date +%s)
  if npx vitest run --project e2e >"$log" 2>&1; then
    passed=$((passed + 1)); verdict=passed
  else
    failed=$((failed + 1)); verdict=FAILED
  fi
  tests=$(sed -e 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests ' | tr -s ' ')
  echo "run $i/$runs: $verdict in $(($(date +%s) - started)) s —${tests:- no summary} ($log)"
done
echo "stress: $passed passed, $failed failed (end-to-end runs under stress-ng --cpu $cores)"
[ "$failed" -eq 0 ]
