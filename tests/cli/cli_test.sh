#!/usr/bin/env bash
# stytch-otp end to end against stytch-mock: output, exit codes, and that the
# secret never shows in any output. Usage: cli_test.sh STYTCH_OTP STYTCH_MOCK
set -uo pipefail
cli=$1
mock=$2
# shellcheck source=tests/cli/mock_helpers.sh
. "$(dirname "$0")/mock_helpers.sh"

export STYTCH_PROJECT_ID="project-test-11111111-1111-4111-8111-111111111111"
export STYTCH_SECRET="secret-test-SENTINEL-7f3a9c-do-not-print"
unset STYTCH_BASE_URL

work=$(mktemp -d)
pids=()
# shellcheck disable=SC2154 # p is the trap's own loop variable
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

start_mock "$mock" "$work/mock.out" --project-id "$STYTCH_PROJECT_ID" --secret "$STYTCH_SECRET" \
  --user +12025550162 || exit 1
pids+=("$MOCK_PID")
http_url=$MOCK_URL
start_mock "$mock" "$work/mock-tls.out" --https --tls-dir "$work" --project-id "$STYTCH_PROJECT_ID" \
  --secret "$STYTCH_SECRET" --user +12025550162 || exit 1
pids+=("$MOCK_PID")
https_url=$MOCK_URL
ca_file=$(sed -n 's/^stytch-mock CA file: //p' "$work/mock-tls.out")

n=0
# expect CODE DESCRIPTION -- ARGS...: runs the CLI, checks the exit code, keeps its output.
expect() {
  local want=$1 what=$2
  shift 3
  n=$((n + 1))
  "$cli" "$@" >"$work/out.$n" 2>"$work/err.$n"
  local got=$?
  [ "$got" -eq "$want" ] || { fail "$what: exit $got, expected $want"; cat "$work/err.$n" >&2; }
}
has() {  # has FILE TEXT DESCRIPTION
  grep -qF -- "$2" "$1" || fail "$3: '$2' missing from $(basename "$1")"
}

expect 0 "success" -- sms send --phone +12025550162 --base-url "$http_url" --locale es --expiration 5 \
  --ip 203.0.113.7 --user-agent "Mozilla/5.0"
has "$work/out.$n" '"phone_id": "phone-number-test-' "success prints the JSON answer"
has "$work/out.$n" '"status_code": 200' "success prints the status code"

STYTCH_BASE_URL="$http_url" expect 0 "base URL from the environment" -- sms send --phone +10000000000
sandbox_phone_id=$(sed -n 's/.*"phone_id": "\([^"]*\)".*/\1/p' "$work/out.$n")

expect 0 "help" -- --help
has "$work/out.$n" "exit code" "help explains exit codes"
has "$work/out.$n" "--ca-file" "help lists --ca-file"

expect 2 "no command" --
expect 2 "unknown option" -- sms send --phone +12025550162 --bogus 1
expect 2 "missing phone" -- sms send --base-url "$http_url"
expect 2 "non-numeric expiration" -- sms send --phone +12025550162 --expiration soon --base-url "$http_url"

expect 3 "invalid phone" -- sms send --phone 2025550162 --base-url "$http_url"
has "$work/err.$n" "error: invalid_argument" "invalid phone names the kind"
expect 3 "plain http to a remote host" -- sms send --phone +12025550162 --base-url http://example.com/

expect 4 "unknown number" -- sms send --phone +12025550199 --base-url "$http_url"
has "$work/err.$n" "error: api" "api error kind"
has "$work/err.$n" "http_status: 404" "api error status"
has "$work/err.$n" "error_type: phone_number_not_found" "api error type"
has "$work/err.$n" "request_id: request-id-test-" "api error request id"

STYTCH_SECRET=secret-test-wrong expect 4 "wrong secret" -- sms send --phone +12025550162 --base-url "$http_url"
has "$work/err.$n" "error_type: unauthorized_credentials" "wrong secret"

expect 5 "connection refused" -- sms send --phone +12025550162 --base-url http://127.0.0.1:1/
has "$work/err.$n" "error: network" "network error kind"

expect 6 "timeout" -- sms send --phone +15550000408 --timeout-ms 300 --base-url "$http_url"
has "$work/err.$n" "error: timeout" "timeout kind"

expect 7 "HTML 502" -- sms send --phone +15550000502 --base-url "$http_url"
has "$work/err.$n" "http_status: 502" "decode keeps the status"

expect 0 "https with --ca-file" -- sms send --phone +12025550162 --base-url "$https_url" --ca-file "$ca_file"
expect 5 "https without the CA" -- sms send --phone +12025550162 --base-url "$https_url"

# The whole flow: login-or-create, read the code from the outbox, authenticate.
expect 0 "sms login-or-create" -- sms login-or-create --phone +12025550177 --base-url "$http_url" --pending
has "$work/out.$n" '"user_created": true' "login-or-create creates the user"
phone_id=$(sed -n 's/.*"phone_id": "\([^"]*\)".*/\1/p' "$work/out.$n")
code=$(curl -s "${http_url}_mock/messages?destination=%2B12025550177" | sed -n 's/.*"code":"\([0-9]*\)".*/\1/p')
{ [ -n "$phone_id" ] && [ -n "$code" ]; } || fail "no phone_id or code to authenticate with"
expect 0 "authenticate" -- authenticate --method-id "$phone_id" --code "$code" --session-minutes 60 \
  --claims '{"plan":"pro"}' --base-url "$http_url"
has "$work/out.$n" '"session_id": "session-test-' "authenticate starts a session"
has "$work/out.$n" '"plan": "pro"' "custom claims reach the session"
login_out="$work/out.$n"
field() { sed -n "s/^  \"$1\": \"\([^\"]*\)\".*/\1/p" "$login_out"; }
session_jwt=$(field session_jwt)
session_token=$(field session_token)
user_id=$(field user_id)
{ [ -n "$session_jwt" ] && [ -n "$session_token" ] && [ -n "$user_id" ]; } || fail "no session to check"

# Sessions: the JWT verified here and by the API, listed, revoked.
expect 0 "sessions authenticate --jwt --local" -- sessions authenticate --jwt "$session_jwt" --local --base-url "$http_url"
has "$work/out.$n" '"verified_locally": true' "local verification says so"
has "$work/out.$n" '"plan": "pro"' "local verification reads the custom claims"
expect 0 "sessions authenticate --token" -- sessions authenticate --token "$session_token" --base-url "$http_url"
has "$work/out.$n" '"session_jwt": "ey' "the API answers with a fresh JWT"
expect 0 "sessions authenticate --jwt" -- sessions authenticate --jwt "$session_jwt" --base-url "$http_url"
expect 0 "sessions get" -- sessions get --user-id "$user_id" --base-url "$http_url"
has "$work/out.$n" '"session_id": "session-test-' "get lists the session"
expect 0 "sessions jwks" -- sessions jwks --base-url "$http_url"
has "$work/out.$n" '"kty": "RSA"' "the JWKS holds RSA keys"
expect 8 "a forged JWT is refused locally" -- sessions authenticate --local --base-url "$http_url" \
  --jwt "${session_jwt%.*}.AAAA"
has "$work/err.$n" "error: invalid_jwt" "invalid_jwt kind"
has "$work/err.$n" "error_type: jwt_signature" "the reason"
expect 8 "alg none is refused" -- sessions authenticate --local --base-url "$http_url" \
  --jwt "eyJhbGciOiJub25lIiwia2lkIjoiayJ9.e30."
has "$work/err.$n" "error_type: jwt_algorithm" "alg none reason"
expect 2 "sessions get without a user" -- sessions get --base-url "$http_url"
expect 3 "sessions authenticate with both" -- sessions authenticate --token "$session_token" --jwt "$session_jwt" \
  --base-url "$http_url"
expect 0 "sessions revoke --token" -- sessions revoke --token "$session_token" --base-url "$http_url"
expect 4 "a revoked session is refused" -- sessions authenticate --token "$session_token" --base-url "$http_url"
has "$work/err.$n" "error_type: session_not_found" "revoked session"
expect 4 "revoke twice" -- sessions revoke --jwt "$session_jwt" --base-url "$http_url"
expect 2 "unknown sessions command" -- sessions list --base-url "$http_url"
expect 4 "authenticate a used code" -- authenticate --method-id "$phone_id" --code "$code" --base-url "$http_url"
has "$work/err.$n" "error_type: unable_to_auth_otp_code" "a used code is refused"
expect 2 "authenticate without a code" -- authenticate --method-id "$phone_id" --base-url "$http_url"
expect 2 "bad claims" -- authenticate --method-id "$phone_id" --code 1 --claims '{' --base-url "$http_url"
expect 3 "claims that are not an object" -- authenticate --method-id "$phone_id" --code 1 --claims '[1]' \
  --base-url "$http_url"

expect 0 "whatsapp login-or-create" -- whatsapp login-or-create --phone +12025550178 --base-url "$http_url"
expect 0 "whatsapp send" -- whatsapp send --phone +12025550178 --base-url "$http_url"
expect 0 "email login-or-create" -- email login-or-create --email ada@example.com --base-url "$http_url" \
  --login-template l --signup-template s
has "$work/out.$n" '"email_id": "email-test-' "email login-or-create answers with an email_id"
expect 0 "email send" -- email send --email ada@example.com --base-url "$http_url"
expect 4 "email send to an unknown address" -- email send --email nobody@example.com --base-url "$http_url"
has "$work/err.$n" "error_type: email_not_found" "unknown address"
expect 3 "email that is not an address" -- email send --email nobody --base-url "$http_url"
expect 0 "sandbox authenticate" -- authenticate --method-id "$sandbox_phone_id" --code 000000 --base-url "$http_url"
expect 2 "unknown command" -- sms resend --phone +12025550162 --base-url "$http_url"

# With logging on, stderr (errors and log lines) never holds a phone number or
# a code; stdout of the send commands neither (authenticate prints the user,
# phone numbers included, as Stytch returns it).
expect 0 "verbose send" -- sms send --phone +12025550162 --base-url "$http_url" --verbose
has "$work/err.$n" "log: POST /v1/otps/sms/send status=200" "--verbose logs the request"
expect 4 "verbose failure" -- sms send --phone +12025550199 --base-url "$http_url" --verbose
expect 4 "verbose wrong code" -- authenticate --method-id "$phone_id" --code 999999 --base-url "$http_url" --verbose
codes=$(curl -s "${http_url}_mock/messages" | grep -o '"code":"[0-9]*"' | cut -d'"' -f4 | sort -u)
# The outbox holds the codes of the sends above: none would make the check below pass unchecked.
[ -n "$codes" ] || fail "no codes in the mock's outbox to look for on stderr"
for phone in +12025550162 +12025550177 +12025550178 +12025550199 +10000000000; do
  if grep -lF -- "$phone" "$work"/err.*; then fail "$phone appeared on stderr"; fi
done
for c in $codes; do
  if grep -lF -- "$c" "$work"/err.*; then fail "a code appeared on stderr"; fi
done

# stytch-mock --b2b-seed: organizations and members from a file, there from
# the start and after a reset; a bad seed stops the mock with a message.
cat >"$work/seed.json" <<'SEED'
{"organizations": [{"organization_name": "Acme", "organization_slug": "acme.io",
  "organization_external_id": "crm|1", "mfa_policy": "REQUIRED_FOR_ALL",
  "members": [{"email_address": "ann@acme.io", "mfa_phone_number": "+12025550100"}]}]}
SEED
start_mock "$mock" "$work/mock-b2b.out" --project-id "$STYTCH_PROJECT_ID" --secret "$STYTCH_SECRET" \
  --b2b-seed "$work/seed.json" || exit 1
pids+=("$MOCK_PID")
b2b_url=$MOCK_URL
b2b_get() { curl -s -u "$STYTCH_PROJECT_ID:$STYTCH_SECRET" "$b2b_url$1"; }
b2b_get "v1/b2b/organizations/crm%7C1" >"$work/b2b.org"
has "$work/b2b.org" '"organization_slug":"acme.io"' "--b2b-seed makes the organization"
has "$work/b2b.org" '"mfa_policy":"REQUIRED_FOR_ALL"' "--b2b-seed keeps the settings"
curl -s -X POST "${b2b_url}_mock/reset" >/dev/null
b2b_get "v1/b2b/organizations/acme.io/member?email_address=ann%40acme.io" >"$work/b2b.member"
has "$work/b2b.member" '"mfa_phone_number":"+12025550100"' "--b2b-seed members are made again after a reset"
echo '{"organizations": [{"organization_slug": "x"}]}' >"$work/bad-seed.json"
if "$mock" --port 0 --b2b-seed "$work/bad-seed.json" >"$work/bad-seed.out" 2>&1; then
  fail "a bad --b2b-seed starts the mock"
fi
has "$work/bad-seed.out" "organization_name_missing" "a bad --b2b-seed says why"

# stytch-otp b2b, against the seeded mock. Every answer is printed as
# Stytch's JSON with sorted keys, two spaces per level: a top-level field
# starts with two spaces, a field of a top-level object with four.
export STYTCH_BASE_URL=$b2b_url
top() { sed -n "s/^  \"$2\": \"\([^\"]*\)\".*/\1/p" "$1"; }
inner() { sed -n "s/^    \"$2\": \"\([^\"]*\)\".*/\1/p" "$1" | head -n 1; }
# The newest code the mock delivered to DESTINATION (URL-encoded).
outbox_code() { curl -s "${b2b_url}_mock/messages?destination=$1" | sed -n 's/.*"code":"\([0-9]*\)".*/\1/p'; }
same() {  # same GOT WANT DESCRIPTION
  { [ -n "$2" ] && [ "$1" = "$2" ]; } || fail "$3: '$1', expected '$2'"
}

# Organizations and members: the seeded one, one made here.
expect 0 "b2b orgs get by external id" -- b2b orgs get --org "crm|1"
has "$work/out.$n" '"organization_slug": "acme.io"' "orgs get finds the seeded organization"
has "$work/out.$n" '"mfa_policy": "REQUIRED_FOR_ALL"' "orgs get shows its MFA policy"
expect 0 "b2b orgs create" -- b2b orgs create --name Initech --slug initech --mfa-policy REQUIRED_FOR_ALL \
  --allowed-domain initech.com --allowed-domain initech.io --jit RESTRICTED
has "$work/out.$n" '"mfa_policy": "REQUIRED_FOR_ALL"' "orgs create sends --mfa-policy"
has "$work/out.$n" '"email_jit_provisioning": "RESTRICTED"' "orgs create sends --jit"
has "$work/out.$n" '"initech.io"' "orgs create sends every --allowed-domain"
initech_id=$(inner "$work/out.$n" organization_id)
expect 0 "b2b members create" -- b2b members create --org initech --email peter@initech.com --name "Peter Gibbons" \
  --phone +12025550131
has "$work/out.$n" '"name": "Peter Gibbons"' "members create sends --name"
has "$work/out.$n" '"mfa_phone_number": "+12025550131"' "members create sends --phone"
has "$work/out.$n" '"mfa_enrolled": false' "members create leaves mfa_enrolled alone without --mfa-enrolled"
peter_id=$(top "$work/out.$n" member_id)
expect 0 "b2b members get --email" -- b2b members get --org "$initech_id" --email peter@initech.com
same "$(top "$work/out.$n" member_id)" "$peter_id" "members get --email finds the member"
expect 0 "b2b members get --member" -- b2b members get --org initech --member "$peter_id"
same "$(inner "$work/out.$n" email_address)" "peter@initech.com" "members get --member finds the member"
expect 0 "b2b members create --mfa-enrolled" -- b2b members create --org acme.io --email bill@acme.io --mfa-enrolled
has "$work/out.$n" '"mfa_enrolled": true' "members create sends --mfa-enrolled"

# The login: email code, a stop at MFA (the organization requires it), the SMS
# code the mock sent by itself, a member session.
expect 0 "b2b email login-or-signup" -- b2b email login-or-signup --org initech --email peter@initech.com
has "$work/out.$n" '"member_created": false' "login-or-signup finds the member"
expect 0 "b2b email login-or-signup, JIT" -- b2b email login-or-signup --org initech --email milton@initech.io
has "$work/out.$n" '"member_created": true' "login-or-signup creates a member of an allowed domain"
code=$(outbox_code peter%40initech.com)
[ -n "$code" ] || fail "no email code in the outbox"
expect 4 "b2b email authenticate, wrong code" -- b2b email authenticate --org initech --email peter@initech.com \
  --code 000001
has "$work/err.$n" "error: api" "a wrong B2B code is an api error"
expect 0 "b2b email authenticate" -- b2b email authenticate --org initech --email peter@initech.com --code "$code" \
  --session-minutes 30
has "$work/out.$n" '"member_authenticated": false' "email authenticate stops at MFA"
has "$work/out.$n" '"secondary_auth_initiated": "sms_otp"' "the mock sends the SMS code"
has "$work/out.$n" '"session_jwt": ""' "no session before MFA"
ist=$(top "$work/out.$n" intermediate_session_token)
[ -n "$ist" ] || fail "email authenticate gave no intermediate session token"
sms_code=$(outbox_code %2B12025550131)
[ -n "$sms_code" ] || fail "no SMS code in the outbox"
expect 3 "b2b sms authenticate without IST, token or JWT" -- b2b sms authenticate --org initech \
  --member "$peter_id" --code "$sms_code"
has "$work/err.$n" "error: invalid_argument" "sms authenticate needs one of IST, token, JWT"
expect 0 "b2b sms authenticate --ist" -- b2b sms authenticate --org initech --member "$peter_id" --code "$sms_code" \
  --ist "$ist"
has "$work/out.$n" '"member_session_id": "member-session-test-' "sms authenticate starts a member session"
b2b_jwt=$(top "$work/out.$n" session_jwt)
b2b_token=$(top "$work/out.$n" session_token)
case $b2b_jwt in ey*) ;; *) fail "sms authenticate gave no session JWT" ;; esac
[ -n "$b2b_token" ] || fail "sms authenticate gave no session token"
expect 4 "b2b sms authenticate, IST used twice" -- b2b sms authenticate --org initech --member "$peter_id" \
  --code "$sms_code" --ist "$ist"

# Member sessions.
expect 0 "b2b sessions authenticate --jwt --local" -- b2b sessions authenticate --jwt "$b2b_jwt" --local
has "$work/out.$n" '"verified_locally": true' "B2B local verification says so"
same "$(inner "$work/out.$n" organization_id)" "$initech_id" "the local verification shows the organization"
same "$(inner "$work/out.$n" organization_slug)" "initech" "the local verification shows the slug"
same "$(inner "$work/out.$n" member_id)" "$peter_id" "the local verification shows the member"
has "$work/out.$n" '"phone_number_factor"' "the local verification shows the SMS factor"
expect 8 "b2b forged JWT refused locally" -- b2b sessions authenticate --local --jwt "${b2b_jwt%.*}.AAAA"
has "$work/err.$n" "error_type: jwt_signature" "B2B forged JWT reason"
expect 8 "a consumer JWT is not a member session" -- b2b sessions authenticate --local --jwt "$session_jwt"
expect 0 "b2b sessions authenticate --token" -- b2b sessions authenticate --token "$b2b_token"
same "$(inner "$work/out.$n" organization_id)" "$initech_id" "sessions authenticate --token shows the organization"
expect 0 "b2b sessions get" -- b2b sessions get --org initech --member "$peter_id"
has "$work/out.$n" '"member_session_id": "member-session-test-' "sessions get lists the session"
# A step-up on the live session: a new SMS code, checked with the session token.
expect 4 "b2b sms send with no proof of a primary factor" -- b2b sms send --org initech --member "$peter_id"
has "$work/err.$n" "error_type: action_available_only_once_primary_authentication_is_met" "sms send needs a factor"
expect 0 "b2b sms send --token" -- b2b sms send --org initech --member "$peter_id" --token "$b2b_token"
same "$(top "$work/out.$n" member_id)" "$peter_id" "sms send answers with the member"
step_code=$(outbox_code %2B12025550131)
{ [ -n "$step_code" ] && [ "$step_code" != "$sms_code" ]; } || fail "sms send delivered no new code"
expect 0 "b2b sms authenticate --token" -- b2b sms authenticate --org initech --member "$peter_id" \
  --code "$step_code" --token "$b2b_token"
same "$(top "$work/out.$n" session_token)" "$b2b_token" "a step-up keeps the session"
expect 0 "b2b sessions revoke --token" -- b2b sessions revoke --token "$b2b_token"
expect 4 "b2b revoked session refused" -- b2b sessions authenticate --token "$b2b_token"
has "$work/err.$n" "error_type: session_not_found" "B2B revoked session"

# Discovery: an organization found and joined, one created that stops at MFA.
expect 0 "b2b discovery send" -- b2b discovery send --email peter@initech.com
has "$work/out.$n" '"request_id": "request-id-test-' "discovery send answers"
expect 0 "b2b discovery authenticate" -- b2b discovery authenticate --email peter@initech.com \
  --code "$(outbox_code peter%40initech.com)"
has "$work/out.$n" "\"organization_id\": \"$initech_id\"" "discovery authenticate finds the organization"
has "$work/out.$n" '"type": "active_member"' "discovery authenticate says how"
disc_ist=$(top "$work/out.$n" intermediate_session_token)
expect 0 "b2b discovery list --ist" -- b2b discovery list --ist "$disc_ist"
has "$work/out.$n" "\"organization_id\": \"$initech_id\"" "discovery list finds the organization"
expect 3 "b2b discovery list with two" -- b2b discovery list --ist "$disc_ist" --token x
expect 0 "b2b discovery exchange" -- b2b discovery exchange --ist "$disc_ist" --org "$initech_id"
has "$work/out.$n" '"member_authenticated": false' "exchange into a REQUIRED_FOR_ALL organization stops at MFA"
same "$(top "$work/out.$n" member_id)" "$peter_id" "exchange logs in the member"

expect 0 "b2b discovery send, new address" -- b2b discovery send --email sam@umbrella.io
expect 0 "b2b discovery authenticate, no organization" -- b2b discovery authenticate --email sam@umbrella.io \
  --code "$(outbox_code sam%40umbrella.io)"
has "$work/out.$n" '"discovered_organizations": []' "a new address has no organization"
new_ist=$(top "$work/out.$n" intermediate_session_token)
expect 0 "b2b discovery create" -- b2b discovery create --ist "$new_ist" --org-name Umbrella --org-slug umbrella \
  --mfa-policy REQUIRED_FOR_ALL
has "$work/out.$n" '"member_authenticated": false' "a new REQUIRED_FOR_ALL organization stops at MFA"
has "$work/out.$n" '"organization_slug": "umbrella"' "discovery create sends --org-slug"
has "$work/out.$n" '"organization_name": "Umbrella"' "discovery create sends --org-name"
sam_id=$(top "$work/out.$n" member_id)
sam_ist=$(top "$work/out.$n" intermediate_session_token)
expect 0 "b2b sms send --phone --ist" -- b2b sms send --org umbrella --member "$sam_id" --phone +12025550132 \
  --ist "$sam_ist"
has "$work/out.$n" '"mfa_phone_number": "+12025550132"' "sms send with --phone links the number"
expect 0 "b2b sms authenticate, new number" -- b2b sms authenticate --org umbrella --member "$sam_id" \
  --code "$(outbox_code %2B12025550132)" --ist "$sam_ist"
sam_jwt=$(top "$work/out.$n" session_jwt)
sam_session=$(inner "$work/out.$n" member_session_id)
expect 0 "b2b discovery list --jwt" -- b2b discovery list --jwt "$sam_jwt"
has "$work/out.$n" '"organization_slug": "umbrella"' "discovery list --jwt finds the new organization"
has "$work/out.$n" '"stytch_admin"' "the creator is an admin"
expect 0 "b2b sessions revoke --member-session-id" -- b2b sessions revoke --member-session-id "$sam_session"
expect 4 "b2b session revoked by id refused" -- b2b sessions authenticate --jwt "$sam_jwt"
has "$work/err.$n" "error_type: session_not_found" "B2B session revoked by id"
expect 0 "b2b sessions revoke --member" -- b2b sessions revoke --member "$peter_id"

# Bad usage.
expect 2 "b2b without a command" -- b2b
expect 2 "b2b unknown command" -- b2b orgs delete --org initech
expect 2 "b2b email authenticate without a code" -- b2b email authenticate --org initech --email peter@initech.com
expect 2 "b2b orgs create without a name" -- b2b orgs create --slug x
expect 2 "b2b --allowed-domain without a value" -- b2b orgs create --name X --allowed-domain
expect 3 "b2b sessions revoke with two" -- b2b sessions revoke --member "$peter_id" --token x
expect 3 "b2b members get with neither" -- b2b members get --org initech
expect 3 "b2b members create, bad phone" -- b2b members create --org initech --email a@initech.com --phone 555
expect 4 "b2b unknown organization" -- b2b orgs get --org nowhere
has "$work/err.$n" "http_status: 404" "unknown organization"

# Logs name the path, not the query string that holds the address.
expect 0 "b2b verbose members get" -- b2b members get --org initech --email peter@initech.com --verbose
has "$work/err.$n" "log: GET /v1/b2b/organizations/initech/member status=200" "--verbose logs the B2B request"
b2b_codes=$(curl -s "${b2b_url}_mock/messages" | grep -o '"code":"[0-9]*"' | cut -d'"' -f4 | sort -u)
[ -n "$b2b_codes" ] || fail "no B2B codes in the outbox"
for secret in peter@initech.com sam@umbrella.io +12025550131 +12025550132 "$ist" "$b2b_token" $b2b_codes; do
  if grep -lF -- "$secret" "$work"/err.*; then fail "'$secret' appeared on stderr"; fi
done
unset STYTCH_BASE_URL

if grep -lF -e "SENTINEL" -e "$(printf '%s:%s' "$STYTCH_PROJECT_ID" "$STYTCH_SECRET" | base64 -w0)" "$work"/out.* "$work"/err.*; then
  fail "the secret appeared in CLI output"
fi

echo "$n CLI runs, $failures failures"
[ "$failures" -eq 0 ]
