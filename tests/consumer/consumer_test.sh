#!/usr/bin/env bash
# Installs stytch-cpp (static, from this build; shared, built here) into
# temporary prefixes, builds the consumer project against each with
# find_package and with pkg-config, and runs it against the installed
# stytch-mock. Usage: consumer_test.sh SOURCE_DIR BUILD_DIR GENERATOR
set -euo pipefail
src=$1
build=$2
generator=$3
. "$src/tests/cli/mock_helpers.sh"

work=$(mktemp -d)
MOCK_PID=""
trap '[ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null; rm -rf "$work"' EXIT
project_id="project-test-11111111-1111-4111-8111-111111111111"
secret="secret-test-consumer-0000"

echo "== install the static build"
cmake --install "$build" --prefix "$work/static" >/dev/null

echo "== build and install a shared library"
cmake -S "$src" -B "$work/shared-build" -G "$generator" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
  -DSTYTCH_BUILD_TESTS=OFF -DSTYTCH_BUILD_EXAMPLES=OFF -DSTYTCH_BUILD_MOCK=OFF -DSTYTCH_INSTALL=ON >/dev/null
cmake --build "$work/shared-build" >/dev/null
cmake --install "$work/shared-build" --prefix "$work/shared" >/dev/null
ls "$work"/shared/lib*/libstytch.so.0 >/dev/null

start_mock "$work/static/bin/stytch-mock" "$work/mock.out" --project-id "$project_id" --secret "$secret" \
  --user +12025550162

for kind in static shared; do
  echo "== find_package(stytch) against the $kind install"
  cmake -S "$src/tests/consumer" -B "$work/consumer-$kind" -G "$generator" \
    -DCMAKE_PREFIX_PATH="$work/$kind" >/dev/null
  cmake --build "$work/consumer-$kind" >/dev/null
  "$work/consumer-$kind/consumer" "$MOCK_URL" "$project_id" "$secret"
done

echo "== pkg-config against the static install"
pc_dir=$(dirname "$(find "$work/static" -name stytch.pc | head -1)")
flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs stytch)
c++ "$src/tests/consumer/main.cpp" -o "$work/consumer-pc" $flags
"$work/consumer-pc" "$MOCK_URL" "$project_id" "$secret"
