#!/usr/bin/env bash
# scripts/demo.sh, run on the binaries this build made: it must print a phone_id.
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
