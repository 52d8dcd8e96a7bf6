#!/usr/bin/env bash
# Installs what is missing, builds stytch-cpp, starts stytch-mock (a local
# stand-in for the Stytch API) on a free loopback port and runs a whole OTP
# login through the SDK, with the stytch-otp CLI: send a code by SMS (creating
# the user), read the code from the mock's outbox, authenticate it into a
# session. Then a B2B login against the same mock: a discovery code by email,
# a new organization that requires MFA, an SMS code to a phone enrolled on the
# way, a member session whose JWT is verified locally, then revoked. Then it
# stops the mock.
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

# B2B: members of organizations. Same mock, same CLI, under `stytch-otp b2b`.
b2b_email="ada@acme-demo.io"
b2b_phone="+12025550164"
# A value that is not a string (true, false, null, a number), top level.
value() { sed -n "s/^  \"$1\": \\([^,]*\\),*$/\\1/p" "$2"; }
# A string field of a top-level object (the organization, the member session ...).
inner() { sed -n "s/^    \"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$2" | head -n 1; }

echo
echo "== B2B 1. A discovery code by email, before any organization: stytch-otp b2b discovery send --email $b2b_email"
"$cli" b2b discovery send --email "$b2b_email" >"$work/b2b-send.json"
echo "   status_code: $(value status_code "$work/b2b-send.json")"

echo
echo "== B2B 2. Reading the code from the mock's outbox: GET ${base_url}_mock/messages?destination=${b2b_email/@/%40}"
b2b_code=$(curl -fsS "${base_url}_mock/messages?destination=${b2b_email/@/%40}" | sed -n 's/.*"code":"\([0-9]*\)".*/\1/p')
[ -n "$b2b_code" ] || { echo "error: no email code in the outbox" >&2; exit 1; }
echo "   code for $b2b_email: $b2b_code"

echo
echo "== B2B 3. The primary factor, the email code: stytch-otp b2b discovery authenticate --email $b2b_email --code $b2b_code"
"$cli" b2b discovery authenticate --email "$b2b_email" --code "$b2b_code" >"$work/b2b-discovery.json"
ist=$(field intermediate_session_token "$work/b2b-discovery.json")
echo "   intermediate_session_token: $ist"
echo "   discovered_organizations:   $(value discovered_organizations "$work/b2b-discovery.json") (none yet)"

echo
echo "== B2B 4. Creating an organization that requires MFA of every member:"
echo "   stytch-otp b2b discovery create --ist <IST> --org-name \"Acme Demo\" --org-slug acme-demo --mfa-policy REQUIRED_FOR_ALL"
"$cli" b2b discovery create --ist "$ist" --org-name "Acme Demo" --org-slug acme-demo --mfa-policy REQUIRED_FOR_ALL \
  >"$work/b2b-create.json"
org_id=$(inner organization_id "$work/b2b-create.json")
member_id=$(field member_id "$work/b2b-create.json")
mfa_ist=$(field intermediate_session_token "$work/b2b-create.json")
echo "   organization_id:      $org_id"
echo "   member_id:            $member_id"
echo "   member_authenticated: $(value member_authenticated "$work/b2b-create.json")   (the organization requires MFA)"
echo "   mfa_phone_number:     \"$(sed -n 's/^      "mfa_phone_number": "\([^"]*\)".*/\1/p' "$work/b2b-create.json")\"      (mfa_required.member_options: no phone yet)"
echo "   intermediate_session_token: $mfa_ist"
[ "$(value member_authenticated "$work/b2b-create.json")" = false ] || { echo "error: no MFA stop" >&2; exit 1; }

echo
echo "== B2B 5. MFA: enrolling $b2b_phone and sending it a code, with the IST as proof of the email code:"
echo "   stytch-otp b2b sms send --org $org_id --member $member_id --phone $b2b_phone --ist <IST>"
"$cli" b2b sms send --org "$org_id" --member "$member_id" --phone "$b2b_phone" --ist "$mfa_ist" >"$work/b2b-sms.json"
echo "   mfa_phone_number: $(sed -n 's/^    "mfa_phone_number": "\([^"]*\)".*/\1/p' "$work/b2b-sms.json")"

echo
echo "== B2B 6. Reading the SMS code from the mock's outbox: GET ${base_url}_mock/messages?destination=%2B${b2b_phone#+}"
sms_code=$(curl -fsS "${base_url}_mock/messages?destination=%2B${b2b_phone#+}" | sed -n 's/.*"code":"\([0-9]*\)".*/\1/p')
[ -n "$sms_code" ] || { echo "error: no SMS code in the outbox" >&2; exit 1; }
echo "   code for $b2b_phone: $sms_code"

echo
echo "== B2B 7. The second factor, the SMS code, with the IST: a member session:"
echo "   stytch-otp b2b sms authenticate --org $org_id --member $member_id --code $sms_code --ist <IST>"
"$cli" b2b sms authenticate --org "$org_id" --member "$member_id" --code "$sms_code" --ist "$mfa_ist" \
  >"$work/b2b-auth.json"
b2b_jwt=$(field session_jwt "$work/b2b-auth.json")
b2b_token=$(field session_token "$work/b2b-auth.json")
echo "   member_session_id: $(inner member_session_id "$work/b2b-auth.json")"
echo "   session_token:     $b2b_token"
echo "   expires_at:        $(inner expires_at "$work/b2b-auth.json")"

echo
echo "== B2B 8. Verifying the member session JWT here, with the project's public keys:"
echo "   stytch-otp b2b sessions authenticate --jwt <session_jwt> --local"
"$cli" b2b sessions authenticate --jwt "$b2b_jwt" --local >"$work/b2b-local.json"
echo "   verified_locally:  $(value verified_locally "$work/b2b-local.json")"
echo "   organization_id:   $(inner organization_id "$work/b2b-local.json")"
echo "   organization_slug: $(inner organization_slug "$work/b2b-local.json")"
echo "   member_id:         $(inner member_id "$work/b2b-local.json")"
echo "   factors:           $(grep -o '"delivery_method": "[a-z]*"' "$work/b2b-local.json" | cut -d'"' -f4 | paste -sd, -)"

echo
echo "== B2B 9. Revoking the member session: stytch-otp b2b sessions revoke --token <session_token>"
"$cli" b2b sessions revoke --token "$b2b_token" >"$work/b2b-revoke.json"
echo "   status_code: $(value status_code "$work/b2b-revoke.json")"

echo
echo "== B2B 10. The revoked member session's token is refused: stytch-otp b2b sessions authenticate --token <session_token>"
if "$cli" b2b sessions authenticate --token "$b2b_token" 2>"$work/b2b-revoked.err"; then
  echo "error: a revoked member session was accepted" >&2
  exit 1
fi
sed 's/^/   /' "$work/b2b-revoked.err"

echo
echo "== Done (B2B): an email code, a new organization requiring MFA, an SMS code to a phone enrolled on the way,"
echo "   a member session whose JWT was verified locally, revoked and refused, all through stytch-cpp."
