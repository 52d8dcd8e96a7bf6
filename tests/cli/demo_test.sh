#!/usr/bin/env bash
# scripts/demo.sh, run on the binaries this build made: it must print a phone_id,
# a consumer session, then a B2B login stopped at MFA, finished by SMS, its
# member session verified locally and refused once revoked.
# Usage: demo_test.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
# The checks read the output from a here-string, not from `echo | grep -q`:
# grep -q leaves at its first match, and under pipefail the writer it leaves
# behind can die of SIGPIPE and fail the check (seen 12 times in 30,000).
out=$(STYTCH_BUILD_DIR="$2" STYTCH_DEMO_SKIP_BUILD=1 bash "$1/scripts/demo.sh" 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || { echo "FAIL: demo.sh exited $status"; exit 1; }
grep -qE '"phone_id": "phone-number-test-[0-9a-f-]{36}"' <<<"$out" || { echo "FAIL: no phone_id in the demo output"; exit 1; }
grep -qE 'session_id: +session-test-[0-9a-f-]{36}' <<<"$out" || { echo "FAIL: no session in the demo output"; exit 1; }
grep -q 'error_type: unable_to_auth_otp_code' <<<"$out" || { echo "FAIL: the reused code was not refused"; exit 1; }
grep -qE 'verified_locally: +true' <<<"$out" || { echo "FAIL: the session JWT was not verified locally"; exit 1; }
grep -qE 'session_id: +session-test-[0-9a-f-]{36}' <<<"$out" || { echo "FAIL: no local session id"; exit 1; }
grep -q 'error_type: session_not_found' <<<"$out" || { echo "FAIL: the revoked session was not refused"; exit 1; }
# The B2B part: each check reads the lines of its own step.
step() { sed -n "/^== B2B $1\\./,/^== /p" <<<"$out"; }
grep -qE 'code for ada@acme-demo.io: [0-9]{6}$' <<<"$(step 2)" || { echo "FAIL: no B2B email code"; exit 1; }
grep -qE 'intermediate_session_token: [A-Za-z0-9_-]{20,}' <<<"$(step 3)" || { echo "FAIL: no IST from discovery"; exit 1; }
grep -qE 'member_authenticated: false' <<<"$(step 4)" || { echo "FAIL: the new organization did not stop at MFA"; exit 1; }
org_id=$(sed -n 's/^   organization_id: *\(organization-test-[0-9a-f-]\{36\}\)$/\1/p' <<<"$(step 4)")
[ -n "$org_id" ] || { echo "FAIL: no organization id from discovery create"; exit 1; }
grep -qE 'code for \+12025550164: [0-9]{6}$' <<<"$(step 6)" || { echo "FAIL: no B2B SMS code"; exit 1; }
grep -qE 'member_session_id: member-session-test-[0-9a-f-]{36}$' <<<"$(step 7)" || { echo "FAIL: no member session"; exit 1; }
local_step=$(step 8)
grep -qE 'verified_locally: +true' <<<"$local_step" || { echo "FAIL: the member JWT was not verified locally"; exit 1; }
grep -qxF "   organization_id:   $org_id" <<<"$local_step" || { echo "FAIL: the local verification lacks the organization"; exit 1; }
grep -qE 'organization_slug: acme-demo$' <<<"$local_step" || { echo "FAIL: the local verification lacks the slug"; exit 1; }
grep -qE 'factors: +email,sms$' <<<"$local_step" || { echo "FAIL: the member session lacks its two factors"; exit 1; }
grep -q 'error_type: session_not_found' <<<"$(step 10)" || { echo "FAIL: the revoked member session was not refused"; exit 1; }
grep -q '^== Done (B2B)' <<<"$out" || { echo "FAIL: the B2B part did not finish"; exit 1; }
