#!/usr/bin/env bash
# Checks the C++ sources against .clang-format and .clang-tidy, that the
# library compiles for Windows (scripts/check_windows.sh), and that its
# Winsock platform code passes its tests under Wine
# (scripts/check_windows_run.sh, in BUILD_DIR/wine); fails on any finding.
# Needs a configured build with compile_commands.json (the dev preset).
# Usage: scripts/lint.sh [BUILD_DIR]   (default build/dev)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${1:-build/dev}
jobs=$(nproc 2>/dev/null || echo 2)

echo "== layers"
python3 scripts/check_layers.py

echo "== clang-format"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

echo "== clang-tidy"
[ -f "$build_dir/compile_commands.json" ] || { echo "no $build_dir/compile_commands.json: configure the dev preset" >&2; exit 1; }
# A file found clean before, with the same bytes in it and in every header it
# includes, the same flags and the same checks, is not checked again.
# (The Winsock file is compiled on Windows only: no compile command here.)
# shellcheck disable=SC2046
if ! python3 scripts/clang_tidy_cached.py "$build_dir" "$jobs" \
  $(git ls-files 'src/*.cpp' 'mock/*.cpp' 'examples/*.cpp' ':!:src/platform/*_windows.cpp') |
  tee "$build_dir/clang-tidy.log"; then
  echo "clang-tidy found problems (above)" >&2
  exit 1
fi
echo "== windows"
scripts/check_windows.sh "$build_dir"
echo "== windows run (Wine)"
scripts/check_windows_run.sh "$build_dir/wine"

echo "lint clean"
