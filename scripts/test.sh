#!/usr/bin/env bash
# Installs what is missing, then builds stytch-cpp and runs every test:
#   dev   (RelWithDebInfo, warnings as errors): the whole suite
#   asan  (AddressSanitizer + UndefinedBehaviorSanitizer): the whole suite but
#         the packaging test, which builds its own trees
#   clang (clang 14 with libc++, C++20, unoptimized, against libcurl 8.14.1
#         from bookworm-backports, which scripts/libcurl8.sh unpacks into
#         build/_deps without installing it, and the single-header
#         cpp-httplib that scripts/httplib-header.sh makes from Debian's
#         source): everything built, the unit and integration tests run
#   gnutls (g++, unoptimized, against libcurl 8.14.1 built with GnuTLS, from
#         bookworm-backports the same way): the unit and integration tests,
#         with a TLS backend other than OpenSSL
#   tsan  (ThreadSanitizer): the concurrency tests, integration and unit
#   fuzz  (clang, libFuzzer with ASan+UBSan): a short run of each fuzz target
# and, from the dev build on, clang-format, clang-tidy, the Windows compile
# and the Winsock tests under Wine (scripts/lint.sh),
# beside the tests at the lowest CPU priority: they take the time the tests
# leave idle (network waits, timeouts, single-threaded steps), not theirs.
# Any failure, warning or sanitizer report fails the script.
# STYTCH_TEST_PRESETS="dev" runs a subset.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# libc++ for the clang preset; mingw-w64 and Wine (wine64 alone: the
# 64-bit loader and wineserver) for the lint's Windows compile and for its
# run of the platform layer's Windows tests.
scripts/install-deps.sh libc++-14-dev libc++abi-14-dev g++-mingw-w64-x86-64-posix wine64

jobs=$(nproc 2>/dev/null || echo 2)
presets=${STYTCH_TEST_PRESETS:-dev asan clang gnutls tsan fuzz}
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
lint_pid=""
trap '[ -z "$lint_pid" ] || kill -- "-$lint_pid" 2>/dev/null || true' EXIT
for preset in $presets; do
  echo "==== preset $preset"
  preset_start=$(date +%s)
  case $preset in
    curl8) scripts/libcurl8.sh >/dev/null ;;
    clang) scripts/libcurl8.sh >/dev/null && scripts/httplib-header.sh >/dev/null ;;
    gnutls) scripts/libcurl8.sh --tls gnutls >/dev/null ;;
  esac
  cmake --preset "$preset" "${launcher[@]}" >/dev/null
  if [ "$preset" = tsan ]; then
    cmake --build --preset "$preset" -j "$jobs" --target stytch_integration_tests stytch_unit_tests
  else
    # curl8's build preset (and gnutls's, which inherits it) names its
    # targets: the library, the mock library, the two test programs and the
    # libcurl version check.
    cmake --build --preset "$preset" -j "$jobs"
  fi
  if [ "$preset" = dev ]; then
    # In its own process group, so that a failure elsewhere stops all of it,
    # but in this session: the kernel weighs nice values only within one
    # session's group (autogroup), and setsid would give the lint half the CPU.
    python3 -c 'import os, sys; os.setpgid(0, 0); os.execvp(sys.argv[1], sys.argv[1:])' \
      nice -n 19 scripts/lint.sh build/dev >build/dev/lint.log 2>&1 &
    lint_pid=$!
  fi
  if [ "$preset" = fuzz ]; then
    ctest --preset fuzz -j "$jobs" -V >build/fuzz/fuzz.log 2>&1 || { tail -80 build/fuzz/fuzz.log; exit 1; }
    grep -E "executions ran clean" build/fuzz/fuzz.log
  else
    ctest --preset "$preset" -j "$jobs"
  fi
  echo "==== preset $preset passed in $(( $(date +%s) - preset_start )) s ($(( $(date +%s) - start )) s so far)"
done
if [ -n "$lint_pid" ]; then
  echo "==== lint (started after the dev build)"
  lint_status=0
  wait "$lint_pid" || lint_status=$?
  lint_pid=""
  cat build/dev/lint.log
  [ "$lint_status" -eq 0 ] || exit "$lint_status"
  echo "==== lint passed ($(( $(date +%s) - start )) s so far)"
fi
