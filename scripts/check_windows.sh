#!/usr/bin/env bash
# Compiles every source of the library for Windows (syntax and types only,
# no object code) with Debian's mingw-w64 g++, warnings as errors, so that
# Linux-only code outside src/platform/ and a broken socket_windows.cpp fail
# here rather than on a vcpkg or Conan user's Windows machine. nlohmann/json,
# libcurl and OpenSSL come from this machine's headers (a Windows build gets
# its own from the package manager; these declare the same API).
# Usage: scripts/check_windows.sh [BUILD_DIR]   (default build/dev: its
# generated version and export headers)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${1:-build/dev}
cxx=x86_64-w64-mingw32-g++-posix
command -v "$cxx" >/dev/null ||
  { echo "no $cxx: scripts/install-deps.sh g++-mingw-w64-x86-64-posix installs it" >&2; exit 1; }
[ -f "$build_dir/generated/include/stytch/version.hpp" ] ||
  { echo "no $build_dir/generated/include: configure the dev preset" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
multiarch=$(gcc -print-multiarch)
mkdir -p "$work/include/openssl"
ln -s /usr/include/nlohmann "$work/include/nlohmann"
ln -s "/usr/include/$multiarch/curl" "$work/include/curl"
cp /usr/include/openssl/*.h "/usr/include/$multiarch/openssl/"*.h "$work/include/openssl/"

failed=0
count=0
# socket_posix.cpp is the one file a Windows build leaves out.
for source in $(git ls-files 'src/*.cpp' | grep -v '^src/platform/socket_posix\.cpp$'); do
  count=$((count + 1))
  if ! "$cxx" -std=c++17 -fsyntax-only -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion \
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Werror -D_WIN32_WINNT=0x0601 \
    -DSTYTCH_STATIC_DEFINE -Isrc -Iinclude -I"$build_dir/generated/include" \
    -isystem "$work/include" "$source"; then
    echo "FAIL (Windows): $source" >&2
    failed=$((failed + 1))
  fi
done
[ "$failed" -eq 0 ] || { echo "$failed of $count sources do not compile for Windows" >&2; exit 1; }
echo "windows: $count sources compile for Windows (mingw-w64 g++, warnings as errors)"
