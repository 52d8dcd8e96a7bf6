#!/usr/bin/env bash
# Every way a C++ team consumes stytch-cpp, each built and run here:
#   find_package from an installed prefix (static and shared, version check),
#   pkg-config, add_subdirectory and FetchContent, the Conan test_package's
#   CMake project, the vcpkg port's CMake options; and the shared library's
#   exported symbols and SONAME.
# Usage: package_test.sh SOURCE_DIR BUILD_DIR GENERATOR
set -euo pipefail
src=$1
build=$2
generator=$3
. "$src/tests/cli/mock_helpers.sh"

# Inside the build tree, so that ccache (scripts/test.sh makes paths relative
# to the checkout) reuses these builds' objects from one clone to the next.
work="$build/package-test"
rm -rf "$work"
mkdir -p "$work"
MOCK_PID=""
trap '[ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null; rm -rf "$work"' EXIT
project_id="project-test-11111111-1111-4111-8111-111111111111"
secret="secret-test-consumer-0000"
quiet() { "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; return 1; }; }
# The library's builds here are unity builds (a few sources per compiler run):
# what is checked is how the package is consumed, and the dev preset compiles
# every source file on its own.
unity=-DCMAKE_UNITY_BUILD=ON

echo "== install the static build"
quiet cmake --install "$build" --prefix "$work/static"

echo "== build and install a shared library, with the vcpkg port's options"
# The options the port passes to vcpkg_cmake_configure, read from the port itself.
port_options=$(sed -n '/^    OPTIONS$/,/^)$/p' "$src/ports/stytch/portfile.cmake" | grep -- '-D' | tr -d ' ')
[ -n "$port_options" ] || { echo "FAIL: no OPTIONS found in the vcpkg portfile"; exit 1; }
# shellcheck disable=SC2086
quiet cmake -S "$src" -B "$work/shared-build" -G "$generator" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
  "$unity" $port_options
quiet cmake --build "$work/shared-build"
quiet cmake --install "$work/shared-build" --prefix "$work/shared"
for unwanted in stytch-mock stytch-otp tests/stytch_unit_tests; do
  [ ! -e "$work/shared-build/$unwanted" ] || { echo "FAIL: the port's options built $unwanted"; exit 1; }
done

echo "== the shared library: SONAME and exported symbols"
# No `cmd | grep -q` or `| head` here: under pipefail the writer they leave
# behind early can die of SIGPIPE and fail the step.
libs=("$work"/shared/lib*/libstytch.so.0.*)
lib=${libs[0]}
grep -q 'SONAME.*\[libstytch\.so\.0\.1\]' <<<"$(readelf -d "$lib")" || { echo "FAIL: SONAME is not libstytch.so.0.1"; exit 1; }
nm -D --defined-only -C "$lib" | sed 's/^[0-9a-f]* [A-Za-z] //' >"$work/symbols"
public=$(grep -cE '^stytch::(StytchClient|Otps|Error|Exception|to_string)' "$work/symbols" || true)
[ "$public" -ge 10 ] || { echo "FAIL: the public API is not exported ($public symbols)"; exit 1; }
if grep -E '^stytch::(internal|mock)' "$work/symbols"; then echo "FAIL: internal symbols are exported"; exit 1; fi
if grep -E '^nlohmann::' "$work/symbols"; then echo "FAIL: nlohmann symbols are exported"; exit 1; fi

start_mock "$work/static/bin/stytch-mock" "$work/mock.out" --project-id "$project_id" --secret "$secret" \
  --user +12025550162

for kind in static shared; do
  echo "== find_package(stytch 0.1) against the $kind install"
  quiet cmake -S "$src/tests/package/consumer" -B "$work/consumer-$kind" -G "$generator" \
    -DCMAKE_PREFIX_PATH="$work/$kind"
  quiet cmake --build "$work/consumer-$kind"
  "$work/consumer-$kind/consumer" "$MOCK_URL" "$project_id" "$secret"
done

echo "== find_package(stytch 1.0) is refused (SameMajorVersion)"
if cmake -S "$src/tests/package/consumer" -B "$work/consumer-v1" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$work/static" -DSTYTCH_WANTED_VERSION=1.0 >"$work/v1.log" 2>&1; then
  echo "FAIL: version 1.0 was accepted"
  exit 1
fi
grep -q "not compatible\|is not suitable\|version" "$work/v1.log"

echo "== pkg-config against the static and shared installs"
for kind in static shared; do
  pc_dir=$(dirname "$(find "$work/$kind" -name stytch.pc -print -quit)")
  flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs stytch)
  # shellcheck disable=SC2086
  c++ -std=c++17 "$src/tests/package/consumer/main.cpp" -o "$work/consumer-pc-$kind" $flags \
    -Wl,-rpath,"$(dirname "$pc_dir")"
  "$work/consumer-pc-$kind" "$MOCK_URL" "$project_id" "$secret" | tail -1
done

for mode in add_subdirectory FetchContent; do
  echo "== $mode from a local path"
  quiet cmake -S "$src/tests/package/subproject" -B "$work/sub-$mode" -G "$generator" \
    -DSTYTCH_SOURCE_DIR="$src" -DSTYTCH_INCLUDE_MODE="$mode" "$unity"
  quiet cmake --build "$work/sub-$mode"
  quiet cmake --install "$work/sub-$mode" --prefix "$work/sub-$mode-prefix"
  leaked=$(find "$work/sub-$mode-prefix" -type f ! -name consumer)
  [ -z "$leaked" ] || { echo "FAIL: $mode installed stytch files: $leaked"; exit 1; }
  [ -z "$(ctest --test-dir "$work/sub-$mode" -N | grep 'Test *#')" ] || { echo "FAIL: $mode added tests"; exit 1; }
  "$work/sub-$mode/consumer" "$MOCK_URL" "$project_id" "$secret" | tail -1
done

echo "== the Conan test_package's CMake project against the installed package"
quiet cmake -S "$src/test_package" -B "$work/conan-test-package" -G "$generator" -DCMAKE_PREFIX_PATH="$work/static"
quiet cmake --build "$work/conan-test-package"
"$work/conan-test-package/test_package"

echo "== one version everywhere"
version=$(sed -n 's/^project(stytch VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
for manifest in "$src/vcpkg.json" "$src/ports/stytch/vcpkg.json"; do
  grep -q "\"version\": \"$version\"" "$manifest" || { echo "FAIL: $manifest is not at $version"; exit 1; }
done
grep -q "^## \[$version\]" "$src/CHANGELOG.md" || { echo "FAIL: CHANGELOG.md has no entry for $version"; exit 1; }
grep -q "find_package(stytch CONFIG REQUIRED)" "$src/ports/stytch/usage"
grep -q "STYTCH_VERSION_STRING \"$version\"" "$work/static/include/stytch/version.hpp"
echo "all packaging checks passed"
