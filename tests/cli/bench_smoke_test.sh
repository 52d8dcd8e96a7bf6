#!/usr/bin/env bash
# A short run of stytch-bench in every mode against stytch-mock, so the
# benchmark cannot rot. Not a measurement. Usage: bench_smoke_test.sh BENCH MOCK
set -euo pipefail
bench=$1
mock=$2
. "$(dirname "$0")/mock_helpers.sh"
work=$(mktemp -d)
MOCK_PID=""
trap '[ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null; rm -rf "$work"' EXIT
start_mock "$mock" "$work/mock.out" --rate-limit 0
for mode in raw-seq sdk-seq raw-multi sdk-async; do
  line=$("$bench" "$mode" "$MOCK_URL" 200 16)
  echo "$line"
  set -- $line
  [ "$1" = "$mode" ] && [ "$2" = 200 ] && [ "$5" = 0 ] || { echo "FAIL: $mode"; exit 1; }
done
