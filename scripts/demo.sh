#!/usr/bin/env bash
# Installs what is missing, builds stytch-cpp, starts stytch-mock on a free
# loopback port, sends an SMS OTP to it through the SDK (the stytch-otp CLI)
# and prints the answer, then stops the mock.
#
# STYTCH_BUILD_DIR picks the build directory (default build/demo);
# STYTCH_DEMO_SKIP_BUILD=1 uses binaries already built there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${STYTCH_BUILD_DIR:-build/demo}
if [ "${STYTCH_DEMO_SKIP_BUILD:-0}" != 1 ]; then
  scripts/install-deps.sh
  echo "== Building stytch-cpp in $build_dir"
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTYTCH_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build_dir" -j "$(nproc 2>/dev/null || echo 2)" --target stytch-mock stytch-otp
fi
mock="$build_dir/mock/stytch-mock"
cli="$build_dir/examples/stytch-otp/stytch-otp"

phone="+12025550162"
export STYTCH_PROJECT_ID="project-test-00000000-0000-4000-8000-000000000000"
export STYTCH_SECRET="secret-test-mock-0000000000000000000000000000"

work=$(mktemp -d)
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== Starting stytch-mock (a local stand-in for the Stytch API) with a user for $phone"
"$mock" --port 0 --project-id "$STYTCH_PROJECT_ID" --secret "$STYTCH_SECRET" --user "$phone" \
  >"$work/mock.out" 2>"$work/mock.err" &
mock_pid=$!
base_url=""
for _ in $(seq 1 100); do
  base_url=$(sed -n 's/^stytch-mock listening on //p' "$work/mock.out")
  [ -n "$base_url" ] && break
  if ! kill -0 "$mock_pid" 2>/dev/null; then
    cat "$work/mock.err" >&2
    echo "error: stytch-mock did not start" >&2
    exit 1
  fi
  sleep 0.1
done
[ -n "$base_url" ] || { echo "error: stytch-mock did not report its address" >&2; exit 1; }
echo "   listening on $base_url"

echo "== Sending an OTP: stytch-otp sms send --phone $phone --locale es --expiration 5"
STYTCH_BASE_URL="$base_url" "$cli" sms send --phone "$phone" --locale es --expiration 5
echo "== Done: the JSON above is stytch-mock's answer; phone_id is the method_id to authenticate the code with."
