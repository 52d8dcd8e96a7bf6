#!/usr/bin/env bash
# Throughput of stytch-cpp against raw libcurl and the official Node SDK, all
# in one run, over HTTPS to the same local server that is not ours: nginx
# from Debian, returning a fixed Stytch-shaped answer, with a certificate made
# here. Prints sends/s, each one's ratio to raw libcurl, TLS connections per
# mode, and CPU instructions per send (callgrind) for stytch-cpp and raw
# libcurl. Then local session JWT verifications per second on one thread
# (distinct tokens, and one token repeated) beside the official Node SDK's
# sessions.authenticateJwtLocal on the same tokens and keys, and beside
# `openssl speed rsa2048`'s verify rate: the median of 3 rounds and the spread.
# Then the memory each pending async call costs: 20,000 send_async calls
# pending at once against an nginx server that holds its answers (limit_req
# queues them, answering one a second), the growth of the resident set per
# call, over the machine's libcurl and, when scripts/libcurl8.sh has unpacked
# it, over libcurl 8.14.1 (HTTP/2).
# Not a test: numbers depend on the machine.
# Usage: scripts/bench.sh [SENDS]      (default 20000 per sequential mode)
#        scripts/bench.sh jwt [TOKENS] (only the JWT part; default 10000 tokens)
#        scripts/bench.sh memory [CALLS] (only memory per pending call; default 20000)
# STYTCH_BENCH_PRESET picks the CMake preset to build with (default release).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
only_jwt=0
only_memory=0
if [ "${1:-}" = jwt ]; then
  only_jwt=1
  shift
elif [ "${1:-}" = memory ]; then
  only_memory=1
  shift
fi
sends=${1:-20000}
tokens=${1:-10000}
[ "$only_jwt" -eq 1 ] || tokens=10000
pending_calls=20000
[ "$only_memory" -eq 0 ] || pending_calls=${1:-20000}
concurrency=64
preset=${STYTCH_BENCH_PRESET:-release}
# The npm package compared against, pinned.
node_sdk="stytch@14.2.0"

# Beside the build's packages: callgrind, `openssl speed`, and Node unless one
# is on the PATH already.
extra=(valgrind openssl)
command -v node >/dev/null && command -v npm >/dev/null || extra+=(nodejs npm)
scripts/install-deps.sh "${extra[@]}"

echo "== building ($preset preset)"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target stytch-bench stytch-jwt-bench >/dev/null
bench=build/$preset/bench/stytch-bench
jwt_bench=build/$preset/bench/stytch-jwt-bench

work=$(mktemp -d)
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "== certificate and nginx on loopback"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench CA" \
  -keyout "$work/ca-key.pem" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$work/server-key.pem" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$work/ext.cnf"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" -CAcreateserial \
  -days 2 -extfile "$work/ext.cnf" -out "$work/server.pem" 2>/dev/null
echo "== $tokens session JWTs signed with a new RSA-2048 key"
mkdir -p "$work/jwt"
"$jwt_bench" make "$work/jwt" "$tokens"
chmod 755 "$work" "$work/jwt" && chmod 644 "$work/jwt/jwks.json"  # nginx's workers read it
project_id=project-test-00000000-0000-4000-8000-000000000000
port=$((20000 + RANDOM % 30000))
hold_port=$((port + 1))    # answers held back: limit_req in front of answer_port
answer_port=$((port + 2))  # plain http, loopback: the fixed answer
body='{"status_code":200,"request_id":"request-id-test-00000000-0000-4000-8000-000000000000","user_id":"user-test-00000000-0000-4000-8000-000000000000","phone_id":"phone-number-test-00000000-0000-4000-8000-000000000000"}'
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
  log_format bench '\$connection \$ssl_session_reused \$server_protocol';
  access_log $work/access.log bench;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  # One answer a second, the rest queued (no nodelay): calls stay pending.
  limit_req_zone \$server_port zone=hold:1m rate=1r/s;
  server {
    listen 127.0.0.1:$port ssl http2;
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server-key.pem;
    location = /v1/otps/sms/send {
      default_type application/json;
      return 200 '$body';
    }
    location = /v1/sessions/jwks/$project_id {
      default_type application/json;
      add_header Cache-Control "public, max-age=900";
      root $work/jwt;
      try_files /jwks.json =404;
    }
    location = /v1/b2b/sessions/jwks/$project_id {
      default_type application/json;
      add_header Cache-Control "public, max-age=900";
      root $work/jwt;
      try_files /jwks.json =404;
    }
  }
  server {
    listen 127.0.0.1:$hold_port ssl http2;
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server-key.pem;
    location = /v1/otps/sms/send {
      # (return would answer before limit_req runs; a proxied answer waits.)
      limit_req zone=hold burst=1000000;
      proxy_pass http://127.0.0.1:$answer_port;
    }
  }
  server {
    listen 127.0.0.1:$answer_port;
    location / {
      default_type application/json;
      return 200 '$body';
    }
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
url="https://127.0.0.1:$port/"
for _ in $(seq 1 50); do
  curl -s --cacert "$work/ca.pem" -o /dev/null -X POST "${url}v1/otps/sms/send" && break
  sleep 0.1
done

# Memory per pending call: "sdk-memory CALLS PENDING RSS_BEFORE_KB
# RSS_PENDING_KB HWM_KB BYTES_PER_CALL PROTOCOL", with the libcurl named.
memory_report() {
  local line
  echo
  echo "Memory per pending async call ($pending_calls send_async pending at once, answers held by nginx):"
  line=$("$bench" sdk-memory "https://127.0.0.1:$hold_port/" "$pending_calls" 64 "$work/ca.pem" 2>/dev/null)
  echo "$line" | awk -v curl="$(curl-config --version 2>/dev/null || echo libcurl)" \
    '{printf "%s, %s: %d bytes per pending call (%d pending; resident set %d kB -> %d kB)\n", curl, $8, $7, $3, $4, $5}'
  # The same against libcurl 8.14.1 (HTTP/2), when scripts/libcurl8.sh has unpacked it.
  if [ -e build/_deps/libcurl-8.14.1/.complete ]; then
    cmake --preset curl8 -B build/bench-curl8 -DSTYTCH_BUILD_BENCH=ON >/dev/null
    cmake --build build/bench-curl8 --target stytch-bench >/dev/null
    line=$(build/bench-curl8/bench/stytch-bench sdk-memory "https://127.0.0.1:$hold_port/" "$pending_calls" 64 \
      "$work/ca.pem" 2>/dev/null)
    echo "$line" | awk '{printf "libcurl 8.14.1, %s: %d bytes per pending call (%d pending; resident set %d kB -> %d kB)\n", $8, $7, $3, $4, $5}'
  fi
}

if [ "$only_memory" -eq 1 ]; then
  memory_report
  exit 0
fi

echo "== the official Node SDK (npm install $node_sdk)"
node_dir=build/bench-node
# The version of the npm package installed there, empty when there is none.
installed_node_sdk() {
  sed -n '/"version":/{s/.*"version": "\(.*\)".*/\1/p;q}' "$node_dir/node_modules/stytch/package.json" 2>/dev/null || true
}
node_sdk_version=$(installed_node_sdk)
if [ "$node_sdk_version" != "${node_sdk#stytch@}" ]; then
  mkdir -p "$node_dir"
  (cd "$node_dir" && npm install --no-audit --no-fund --no-package-lock "$node_sdk" >/dev/null) ||
    { echo "npm install $node_sdk failed (npm's message above)" >&2; exit 1; }
  node_sdk_version=$(installed_node_sdk)
fi

# Session JWTs verified locally, one thread: "MODE COUNT SECONDS PER_SECOND FAILURES" lines.
jwt_round() {
  # Consumer and B2B back to back, so that each round gives their ratio.
  "$jwt_bench" verify "$url" "$work/jwt" distinct 0 "$work/ca.pem"
  "$jwt_bench" verify "$url" "$work/jwt" b2b-distinct 0 "$work/ca.pem"
  "$jwt_bench" verify "$url" "$work/jwt" repeated $((tokens * 200)) "$work/ca.pem"
  "$jwt_bench" verify "$url" "$work/jwt" b2b-repeated $((tokens * 200)) "$work/ca.pem"
  for mode in distinct repeated; do
    NODE_EXTRA_CA_CERTS="$work/ca.pem" STYTCH_NODE_SDK="$PWD/$node_dir/node_modules/stytch" \
      node bench/node_jwt_bench.js "$url" "$work/jwt" "$mode" "$tokens"
  done
  # One core, as the loops above.
  openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print "openssl-verify 0 0 " $NF " 0"}'
}
jwt_report() {
  echo
  echo "Session JWT verifications per second, one thread (median of 3 rounds, min-max):"
  awk '
    { rates[$1] = rates[$1] " " $4; fail[$1] += $5; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
      round[$1]++; rate[$1, round[$1]] = $4 }
    END {
      for (i = 1; i <= n; i++) {
        m = order[i]; k = split(substr(rates[m], 2), v, " ")
        for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
        median[m] = v[int((k + 1) / 2)]; lo[m] = v[1]; hi[m] = v[k]
      }
      printf "%-16s %12s %21s %9s\n", "mode", "median/s", "min-max", "failures"
      for (i = 1; i <= n; i++) { m = order[i]; printf "%-16s %12d %10d-%-10d %9d\n", m, median[m], lo[m], hi[m], fail[m] }
      o = median["openssl-verify"]
      printf "\ncpp-distinct: %.2fx openssl verify, %.1fx node-distinct\n", median["cpp-distinct"] / o, median["cpp-distinct"] / median["node-distinct"]
      printf "cpp-repeated: %.1fx openssl verify, %.0fx node-repeated\n", median["cpp-repeated"] / o, median["cpp-repeated"] / median["node-repeated"]
      # B2B against consumer, as a ratio within each round (run back to back).
      split("distinct repeated", kinds, " ")
      for (j = 1; j <= 2; j++) {
        c = "cpp-" kinds[j]; b = "cpp-b2b-" kinds[j]; k = 0
        for (r = 1; r <= round[b] && r <= round[c]; r++) q[++k] = rate[b, r] / rate[c, r]
        if (k == 0) continue
        for (a = 1; a <= k; a++) for (z = a + 1; z <= k; z++) if (q[z] < q[a]) { t = q[a]; q[a] = q[z]; q[z] = t }
        printf "%s: %.3fx %s (median of %d rounds, %.3f-%.3f)\n", b, q[int((k + 1) / 2)], c, k, q[1], q[k]
      }
    }' "$1"
}

if [ "$only_jwt" -eq 1 ]; then
  jwt_results="$work/jwt_results"
  : >"$jwt_results"
  echo "== session JWT verification (mode count seconds per-second failures)"
  for round in 1 2 3; do jwt_round | tee -a "$jwt_results"; done
  echo
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(openssl version); Node $(node --version), stytch (npm) $node_sdk_version"
  jwt_report "$jwt_results"
  exit 0
fi

# run MODE COUNT [CONCURRENCY]: one line of results, plus connections seen by nginx.
results="$work/results"
: >"$results"
run() {
  local mode=$1 count=$2 n=${3:-$concurrency}
  local before line
  before=$(wc -l <"$work/access.log")
  if [[ $mode == node-* ]]; then
    line=$(NODE_EXTRA_CA_CERTS="$work/ca.pem" STYTCH_NODE_SDK="$PWD/$node_dir/node_modules/stytch" \
      node bench/node_bench.js "$url" "$count" "$n")
  else
    line=$("$bench" "$mode" "$url" "$count" "$n" "$work/ca.pem")
  fi
  local connections resumed
  connections=$(tail -n +"$((before + 1))" "$work/access.log" | awk '{print $1}' | sort -u | wc -l)
  resumed=$(tail -n +"$((before + 1))" "$work/access.log" | awk '$2=="r"{print $1}' | sort -u | wc -l)
  echo "$line $connections $resumed ${round:-0}" | tee -a "$results"
}

echo "== sends (mode count seconds sends/s failures connections resumed-tls-connections)"
# Rounds of the raw and SDK modes back to back; each round gives a ratio, and
# the median of the rounds' ratios (with their spread) is the figure.
rounds=${STYTCH_BENCH_ROUNDS:-5}
for round in $(seq 1 "$rounds"); do
  run raw-seq "$sends" 1
  run sdk-seq "$sends" 1
  run raw-multi $((sends * 2))
  run sdk-async $((sends * 2))
done
round=0
run node-seq $((sends / 4)) 1
run node-64 $((sends / 2)) 64

echo "== session JWT verification (mode count seconds per-second failures)"
jwt_results="$work/jwt_results"
: >"$jwt_results"
for round in 1 2 3; do jwt_round | tee -a "$jwt_results"; done

echo "== instructions per send (valgrind callgrind; difference between $((sends / 100)) and $((sends / 20)) sends)"
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" "$1" "$url" "$2" 1 "$work/ca.pem" 2>&1 |
    sed -n 's/.*Collected : //p'
}
small=$((sends / 100))
large=$((sends / 20))
raw_per=$(( ($(instructions raw-seq $large) - $(instructions raw-seq $small)) / (large - small) ))
sdk_per=$(( ($(instructions sdk-seq $large) - $(instructions sdk-seq $small)) / (large - small) ))

echo
echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(curl-config --version 2>/dev/null || echo libcurl); nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'); Node $(node --version), stytch (npm) $node_sdk_version"
awk -v raw_per="$raw_per" -v sdk_per="$sdk_per" '
  function median(list, n,    i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && list[j - 1] > list[j]; j--) { t = list[j]; list[j] = list[j - 1]; list[j - 1] = t }
    return (n % 2) ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
  }
  {
    mode = $1; round = $8
    if (!(mode in seen)) { seen[mode] = 1; order[++n] = mode }
    rate[mode, round] = $4
    rates[mode] = rates[mode] " " $4
    count[mode]++
    if ($6 > conns[mode]) conns[mode] = $6
    fail[mode] += $5
    if (round > rounds) rounds = round
  }
  END {
    printf "%-10s %22s %28s %12s %9s\n", "mode", "sends/s (median)", "ratio to raw (median, range)", "connections", "failures"
    for (i = 1; i <= n; i++) {
      m = order[i]
      k = split(rates[m], list, " "); med = median(list, k)
      line = ""
      base = (m ~ /seq/) ? "raw-seq" : "raw-multi"
      if (m ~ /^sdk/) {
        r = 0
        for (j = 1; j <= rounds; j++) if (rate[base, j] > 0 && rate[m, j] > 0) ratio[++r] = rate[m, j] / rate[base, j]
        lo = ratio[1]; hi = ratio[1]
        for (j = 1; j <= r; j++) { if (ratio[j] < lo) lo = ratio[j]; if (ratio[j] > hi) hi = ratio[j] }
        line = sprintf("%.2f (%.2f-%.2f, %d rounds)", median(ratio, r), lo, hi, r)
      } else if (m ~ /^node/) {
        k = split(rates[base], blist, " ")
        line = sprintf("%.2f of median %s", med / median(blist, k), base)
      } else {
        line = "1.00"
      }
      printf "%-10s %22d %28s %12d %9d\n", m, med, line, conns[m], fail[m]
    }
    printf "\ninstructions per send: raw libcurl %d, stytch-cpp %d (%.2fx)\n", raw_per, sdk_per, sdk_per / raw_per
  }' "$results"
jwt_report "$jwt_results"
memory_report
