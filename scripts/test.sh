#!/usr/bin/env bash
# Installs what is missing, then builds stytch-cpp and runs every test:
#   dev   (RelWithDebInfo, warnings as errors): the whole suite
#   asan  (AddressSanitizer + UndefinedBehaviorSanitizer): the whole suite but
#         the packaging test, which builds its own trees
#   tsan  (ThreadSanitizer): the concurrency tests
#   fuzz  (clang, libFuzzer with ASan+UBSan): a short run of each fuzz target
# and, after the dev build, clang-format and clang-tidy (scripts/lint.sh).
# Any failure, warning or sanitizer report fails the script.
# STYTCH_TEST_PRESETS="dev" runs a subset.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
presets=${STYTCH_TEST_PRESETS:-dev asan tsan fuzz}
start=$(date +%s)
# ccache (installed by install-deps.sh) makes a second run, and any preset
# that shares a compiler and flags with an earlier build, much quicker. Paths
# are made relative to the checkout and the working directory is left out of
# the key, so another clone of the same sources hits the same entries; the
# precompiled headers of the tests need the two sloppiness settings. The
# environment carries the launcher into the packaging test's own builds.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache CMAKE_C_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
  export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
fi
for preset in $presets; do
  echo "==== preset $preset"
  preset_start=$(date +%s)
  cmake --preset "$preset" "${launcher[@]}" >/dev/null
  if [ "$preset" = tsan ]; then
    cmake --build --preset "$preset" -j "$jobs" --target stytch_integration_tests
  else
    cmake --build --preset "$preset" -j "$jobs"
  fi
  if [ "$preset" = fuzz ]; then
    ctest --preset fuzz -j "$jobs" -V >build/fuzz/fuzz.log 2>&1 || { tail -80 build/fuzz/fuzz.log; exit 1; }
    grep -E "executions ran clean" build/fuzz/fuzz.log
  else
    ctest --preset "$preset" -j "$jobs"
  fi
  if [ "$preset" = dev ]; then scripts/lint.sh build/dev; fi
  echo "==== preset $preset passed in $(( $(date +%s) - preset_start )) s ($(( $(date +%s) - start )) s so far)"
done
