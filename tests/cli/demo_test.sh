#!/usr/bin/env bash
# scripts/demo.sh, run on the binaries this build made: it must print a phone_id.
# Usage: demo_test.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
out=$(STYTCH_BUILD_DIR="$2" STYTCH_DEMO_SKIP_BUILD=1 bash "$1/scripts/demo.sh" 2>&1)
status=$?
echo "$out"
[ "$status" -eq 0 ] || { echo "FAIL: demo.sh exited $status"; exit 1; }
echo "$out" | grep -qE '"phone_id": "phone-number-test-[0-9a-f-]{36}"' || { echo "FAIL: no phone_id in the demo output"; exit 1; }
echo "$out" | grep -qE 'session_id: +session-test-[0-9a-f-]{36}' || { echo "FAIL: no session in the demo output"; exit 1; }
echo "$out" | grep -q 'error_type: unable_to_auth_otp_code' || { echo "FAIL: the reused code was not refused"; exit 1; }
echo "$out" | grep -qE 'verified_locally: +true' || { echo "FAIL: the session JWT was not verified locally"; exit 1; }
echo "$out" | grep -qE 'session_id: +session-test-[0-9a-f-]{36}' || { echo "FAIL: no local session id"; exit 1; }
echo "$out" | grep -q 'error_type: session_not_found' || { echo "FAIL: the revoked session was not refused"; exit 1; }
