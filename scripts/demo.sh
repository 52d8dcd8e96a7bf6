#!/usr/bin/env bash
# Installs what is missing, builds stytch-cpp, starts stytch-mock (a local
# stand-in for the Stytch API) on a free loopback port and runs a whole OTP
# login through the SDK, with the stytch-otp CLI: send a code by SMS (creating
# the user), read the code from the mock's outbox, authenticate it into a
# session. Then it stops the mock.
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

echo "== 1. Starting stytch-mock, with an existing user for $phone"
: >"$work/mock.out"  # exists before the mock starts writing to it
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
export STYTCH_BASE_URL="$base_url"
echo "   listening on $base_url"

# Pulls one string field out of the CLI's JSON answer.
field() { sed -n "s/^  \"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$2"; }

echo
echo "== 2. Sending a code to the existing user: stytch-otp sms send --phone $phone --locale es --expiration 5"
"$cli" sms send --phone "$phone" --locale es --expiration 5 | tee "$work/send.json"

new_phone="+12025550163"
echo
echo "== 3. Logging in a new user: stytch-otp sms login-or-create --phone $new_phone"
"$cli" sms login-or-create --phone "$new_phone" | tee "$work/login.json"
method_id=$(field phone_id "$work/login.json")

echo
echo "== 4. Reading the code from the mock's outbox: GET ${base_url}_mock/messages"
code=$(curl -fsS "${base_url}_mock/messages?destination=%2B${new_phone#+}" | sed -n 's/.*"code":"\([0-9]*\)".*/\1/p')
[ -n "$code" ] || { echo "error: no code in the outbox" >&2; exit 1; }
echo "   code for $new_phone: $code"

echo
echo "== 5. Authenticating it into a 60-minute session: stytch-otp authenticate --method-id $method_id --code $code --session-minutes 60"
"$cli" authenticate --method-id "$method_id" --code "$code" --session-minutes 60 >"$work/auth.json"
echo "   user_id:       $(field user_id "$work/auth.json")"
echo "   session_token: $(field session_token "$work/auth.json")"
echo "   session_id:    $(sed -n 's/^    "session_id": "\([^"]*\)".*/\1/p' "$work/auth.json")"
echo "   expires_at:    $(sed -n 's/^    "expires_at": "\([^"]*\)".*/\1/p' "$work/auth.json")"

echo
echo "== 6. The same code again is refused (a code works once):"
if "$cli" authenticate --method-id "$method_id" --code "$code" 2>"$work/again.err"; then
  echo "error: a used code was accepted" >&2
  exit 1
fi
sed 's/^/   /' "$work/again.err"

session_jwt=$(field session_jwt "$work/auth.json")
session_token=$(field session_token "$work/auth.json")

echo
echo "== 7. Verifying the session JWT here, with the project's public keys (no API call per check):"
echo "   stytch-otp sessions authenticate --jwt <session_jwt> --local"
"$cli" sessions authenticate --jwt "$session_jwt" --local >"$work/local.json"
echo "   verified_locally: $(sed -n 's/^  "verified_locally": \(.*\),*$/\1/p' "$work/local.json" | tr -d ,)"
echo "   session_id:       $(sed -n 's/^    "session_id": "\([^"]*\)".*/\1/p' "$work/local.json")"
echo "   user_id:          $(sed -n 's/^    "user_id": "\([^"]*\)".*/\1/p' "$work/local.json")"

echo
echo "== 8. Revoking the session: stytch-otp sessions revoke --token <session_token>"
"$cli" sessions revoke --token "$session_token" >"$work/revoke.json"
echo "   status_code: $(sed -n 's/^  "status_code": \([0-9]*\).*/\1/p' "$work/revoke.json")"

echo
echo "== 9. The revoked session's token is refused:"
if "$cli" sessions authenticate --token "$session_token" 2>"$work/revoked.err"; then
  echo "error: a revoked session was accepted" >&2
  exit 1
fi
sed 's/^/   /' "$work/revoked.err"

echo
echo "== Done: a code sent, a user created, a code authenticated into a session, its JWT verified locally,"
echo "   the session revoked and refused, all through stytch-cpp."
