# Shared by the shell tests: start stytch-mock and wait for its address.
# start_mock MOCK_BINARY OUTPUT_FILE [mock options...]; sets MOCK_PID and MOCK_URL.
start_mock() {
  local binary=$1 out=$2
  shift 2
  : >"$out"  # exists before the mock starts writing to it
  "$binary" --port 0 "$@" >"$out" 2>&1 &
  MOCK_PID=$!
  MOCK_URL=""
  for _ in $(seq 1 100); do
    MOCK_URL=$(sed -n 's/^stytch-mock listening on //p' "$out")
    [ -n "$MOCK_URL" ] && return 0
    kill -0 "$MOCK_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "stytch-mock did not start:" >&2
  cat "$out" >&2
  return 1
}
