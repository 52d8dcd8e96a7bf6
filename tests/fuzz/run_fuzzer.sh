#!/usr/bin/env bash
# Runs one libFuzzer target for a while, seeded from its checked-in corpus
# (read only: new inputs go to a temporary directory), and reports how many
# executions ran clean. A crash, leak, sanitizer report or timeout fails it
# and leaves the input in the current directory.
# Usage: run_fuzzer.sh FUZZER CORPUS_DIR SECONDS
set -euo pipefail
fuzzer=$1
corpus=$2
seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
  "$work" "$corpus" 2>"$work/log" || { tail -60 "$work/log"; exit 1; }
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
echo "$(basename "$fuzzer"): $runs executions ran clean in ${seconds} s ($(ls "$work" | grep -vc '^log$') new inputs)"
