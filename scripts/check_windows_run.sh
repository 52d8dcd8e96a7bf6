#!/usr/bin/env bash
# Links the platform layer's Winsock code into a Windows test program and
# runs it under Wine, so that socket_windows.cpp is exercised on real
# loopback TCP connections (127.0.0.1) and not only compiled
# (scripts/check_windows.sh). The program, built with Debian's mingw-w64 g++
# (warnings as errors, linked statically so that Wine needs none of mingw's
# DLLs), holds src/platform/socket_windows.cpp and http_date.cpp, their tests
# (tests/unit/platform_socket_windows_test.cpp, http_date_test.cpp) and the
# suite's Catch2 main. What runs is Wine's Winsock, not Windows: the one
# difference the tests meet is noted in the Windows socket test.
# Wine runs headless, in a prefix of its own under the build directory, made
# on the first run (about 10 s) and reused; ccache, when present, keeps a
# second build quick. Fails on any test failure and on a step past its time.
# Usage: scripts/check_windows_run.sh [BUILD_DIR]   (default build/wine)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-build/wine}
start=$(date +%s)

cxx=x86_64-w64-mingw32-g++-posix
command -v "$cxx" >/dev/null ||
  { echo "no $cxx: scripts/install-deps.sh g++-mingw-w64-x86-64-posix installs it" >&2; exit 1; }
[ -f /usr/include/catch2/catch.hpp ] || { echo "no Catch2 v2: scripts/install-deps.sh installs it" >&2; exit 1; }
# Debian's wine64 package installs its loader and wineserver outside PATH
# (the `wine` package adds the wrappers); either is found.
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
if [ ! -x "$wine" ] || [ ! -x "$wineserver" ]; then
  echo "no Wine: scripts/install-deps.sh wine64 installs it" >&2
  exit 1
fi

mkdir -p "$out/include" "$out/obj"
out=$(cd "$out" && pwd)
# Catch2 alone from this machine's headers (the rest of /usr/include is
# Linux's, which the Windows compiler must not see).
ln -sfn /usr/include/catch2 "$out/include/catch2"
launcher=()
command -v ccache >/dev/null && launcher=(ccache)
flags=(-std=c++17 -g0 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Werror -D_WIN32_WINNT=0x0601 -Isrc -isystem "$out/include")

# The library's files optimized, as a release build has them; the tests
# unoptimized, the quickest to compile. Catch2's runner at -O1: unoptimized,
# its object holds some 24,000 sections (one per inline function), over
# which the Windows (PE) linker spends about 27 s; -O1 inlines most of them
# away, and the link takes under a second.
objects=()
compile() {
  local source=$1 level=$2 object
  object="$out/obj/$(basename "${source%.cpp}").o"
  "${launcher[@]}" "$cxx" "${flags[@]}" "$level" -c "$source" -o "$object"
  objects+=("$object")
}
compile src/platform/socket_windows.cpp -O2
compile src/platform/http_date.cpp -O2
compile tests/unit/platform_socket_windows_test.cpp -O0
compile tests/unit/http_date_test.cpp -O0
compile tests/support/catch_main.cpp -O1
exe="$out/stytch_platform_windows_tests.exe"
"$cxx" -static -o "$exe" "${objects[@]}" -lws2_32
built=$(date +%s)

# Headless: no display, no Mono or Gecko installer (mscoree, mshtml
# disabled), no menu entries or file associations written into $HOME
# (winemenubuilder disabled), no debug channels. The prefix is this build's
# alone.
export WINEPREFIX="$out/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
unset DISPLAY WAYLAND_DISPLAY
# Whatever Wine still runs in this prefix (its wineserver, its services) is
# ended with the script; wineserver -k touches no other prefix.
trap '"$wineserver" -k >/dev/null 2>&1 || true' EXIT
if [ ! -f "$out/prefix.ready" ]; then
  rm -rf "$WINEPREFIX"
  if ! timeout 300 "$wine" wineboot --init >"$out/wineboot.log" 2>&1 ||
    ! timeout 60 "$wineserver" -w; then
    cat "$out/wineboot.log" >&2
    echo "windows run: making the Wine prefix failed or took over 5 minutes" >&2
    exit 1
  fi
  touch "$out/prefix.ready"
fi
prefixed=$(date +%s)

status=0
timeout 120 "$wine" "$exe" --use-colour no >"$out/tests.log" 2>&1 || status=$?
tr -d '\r' <"$out/tests.log" >"$out/tests.txt"
# The program has ended; so does this prefix's wineserver, a few seconds on.
timeout 30 "$wineserver" -w || true
if [ "$status" -ne 0 ]; then
  cat "$out/tests.txt" >&2
  [ "$status" -ne 124 ] || echo "windows run: the test program ran over 120 s" >&2
  echo "windows run: the Windows test program failed under Wine (exit $status)" >&2
  exit 1
fi
# Catch2's summary; a run that ran no test has none.
grep -m 1 '^All tests passed' "$out/tests.txt" ||
  { cat "$out/tests.txt" >&2; echo "windows run: no test ran" >&2; exit 1; }
echo "windows run: the platform layer's Windows tests pass under $("$wine" --version) (Winsock as Wine has it);" \
  "build $((built - start)) s, Wine prefix $((prefixed - built)) s, run $(($(date +%s) - prefixed)) s"
