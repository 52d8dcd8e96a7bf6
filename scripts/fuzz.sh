#!/usr/bin/env bash
# Runs every libFuzzer target longer than the test suite does.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 300)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-300}
scripts/install-deps.sh
cmake --preset fuzz -DSTYTCH_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build --preset fuzz
ctest --preset fuzz -V --timeout $((seconds + 120)) | grep -E "executions ran clean|Passed|Failed|tests passed"
