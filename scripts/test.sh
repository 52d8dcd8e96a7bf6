#!/usr/bin/env bash
# Installs what is missing, builds stytch-cpp with warnings as errors and runs
# every test with ctest. Usage: scripts/test.sh  (BUILD_DIR overrides build/test)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh

build_dir=${BUILD_DIR:-build/test}
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTYTCH_WERROR=ON \
  -DSTYTCH_BUILD_TESTS=ON
cmake --build "$build_dir" -j "$jobs"
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" --timeout 600
