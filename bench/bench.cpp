// Sends the same OTP request many times and reports sends per second:
//   raw-seq     raw libcurl, one reused easy handle (the floor)
//   raw-multi   raw libcurl multi, CONCURRENCY requests in flight
//   sdk-seq     stytch-cpp client.otps.sms.send in a loop
//   sdk-async   stytch-cpp send_async with CONCURRENCY in flight
//   sdk-memory  memory per pending call: COUNT send_async calls pending at
//               once (max_in_flight = COUNT, max_connections = CONCURRENCY)
//               against a server that holds its answers; see sdk_memory
// Usage: stytch-bench MODE BASE_URL COUNT [CONCURRENCY] [CA_FILE]
// Every mode offers the protocol the SDK offers with the loaded libcurl
// (StytchClient::offers_http2): HTTP/2 from libcurl 8.14.1, else HTTP/1.1.
// Prints one line: "MODE COUNT SECONDS SENDS_PER_SECOND FAILURES"; sdk-memory
// prints "sdk-memory COUNT PENDING RSS_BEFORE_KB RSS_PENDING_KB HWM_KB
// BYTES_PER_PENDING_CALL PROTOCOL" instead.

#include <stytch/stytch.hpp>

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr const char* kProjectId = "project-test-00000000-0000-4000-8000-000000000000";
constexpr const char* kSecret = "secret-test-mock-0000000000000000000000000000";
constexpr const char* kPhone = "+10000000000";

struct Config {
  std::string base_url;
  long count = 0;
  long concurrency = 64;
  std::string ca_file;
  bool http2 = true;  // raw libcurl speaks what the SDK speaks with this libcurl
};

// The answer is read and dropped, as a caller that only checks the status would.
std::size_t sink(char*, std::size_t size, std::size_t n, void*) { return size * n; }

// The same request the SDK makes, by hand.
CURL* raw_handle(const Config& c, curl_slist* headers, const std::string& url, const std::string& body,
                 std::string* out) {
  CURL* h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_USERPWD, (std::string(kProjectId) + ":" + kSecret).c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &sink);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION,
                   static_cast<long>(c.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1));
  if (c.http2) curl_easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
  if (!c.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, c.ca_file.c_str());
  return h;
}

curl_slist* raw_headers() {
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");
  headers = curl_slist_append(headers, "User-Agent: Stytch C++ bench");
  return headers;
}

long raw_seq(const Config& c) {
  const std::string url = c.base_url + "v1/otps/sms/send";
  const std::string body = std::string(R"({"phone_number":")") + kPhone + "\"}";
  curl_slist* headers = raw_headers();
  std::string out;
  CURL* h = raw_handle(c, headers, url, body, &out);
  long failures = 0;
  for (long i = 0; i < c.count; ++i) {
    long status = 0;
    if (curl_easy_perform(h) != CURLE_OK || (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status), status != 200)) {
      ++failures;
    }
  }
  curl_easy_cleanup(h);
  curl_slist_free_all(headers);
  return failures;
}

long raw_multi(const Config& c) {
  const std::string url = c.base_url + "v1/otps/sms/send";
  const std::string body = std::string(R"({"phone_number":")") + kPhone + "\"}";
  curl_slist* headers = raw_headers();
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, c.concurrency);
  std::vector<std::string> outs(static_cast<std::size_t>(c.concurrency));
  std::vector<CURL*> idle;
  for (auto& out : outs) idle.push_back(raw_handle(c, headers, url, body, &out));
  long started = 0;
  long done = 0;
  long failures = 0;
  while (done < c.count) {
    while (!idle.empty() && started < c.count) {
      curl_multi_add_handle(multi, idle.back());
      idle.pop_back();
      ++started;
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    bool freed = false;
    while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      long status = 0;
      curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
      if (m->data.result != CURLE_OK || status != 200) ++failures;
      curl_multi_remove_handle(multi, m->easy_handle);
      idle.push_back(m->easy_handle);
      ++done;
      freed = true;
    }
    // Start the freed handles right away; wait only when nothing was freed.
    if (!freed && done < c.count) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  for (CURL* h : idle) curl_easy_cleanup(h);
  curl_multi_cleanup(multi);
  curl_slist_free_all(headers);
  return failures;
}

stytch::ClientOptions sdk_options(const Config& c) {
  stytch::ClientOptions o;
  o.project_id = kProjectId;
  o.secret = kSecret;
  o.base_url = c.base_url;
  o.ca_file = c.ca_file;
  o.max_in_flight = static_cast<std::size_t>(c.concurrency);
  o.max_connections = static_cast<std::size_t>(c.concurrency);
  return o;
}

long sdk_seq(const Config& c) {
  stytch::StytchClient client(sdk_options(c));
  stytch::otps::sms::SendParams params;
  params.phone_number = kPhone;
  long failures = 0;
  for (long i = 0; i < c.count; ++i) failures += client.otps.sms.send(params).ok() ? 0 : 1;
  return failures;
}

long sdk_async(const Config& c) {
  stytch::StytchClient client(sdk_options(c));
  stytch::otps::sms::SendParams params;
  params.phone_number = kPhone;
  std::atomic<long> failures{0};
  std::mutex mutex;
  std::condition_variable cv;
  long remaining = c.count;
  for (long i = 0; i < c.count; ++i) {  // max_in_flight keeps CONCURRENCY in flight
    client.otps.sms.send_async(params, [&](stytch::Result<stytch::otps::sms::SendResponse> r) {
      if (!r) ++failures;
      std::lock_guard<std::mutex> lock(mutex);
      if (--remaining == 0) cv.notify_one();
    });
  }
  std::unique_lock<std::mutex> lock(mutex);
  cv.wait(lock, [&] { return remaining == 0; });
  return failures.load();
}

// A field of /proc/self/status in kB ("VmRSS", "VmHWM"); -1 if absent.
long status_kb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, field.size() + 1, field + ":") == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

// COUNT calls submitted at once to a server that holds its answers (the
// script's nginx delays them with limit_req): the growth of the resident set
// from before the client is made to when all are pending, per call. Calls
// answered before the reading are counted and left out of the divisor. The
// client is then destroyed, which ends the rest as cancelled.
long sdk_memory(const Config& c, bool http2) {
  std::atomic<long> answered{0};
  std::atomic<long> ended{0};
  // Let the process settle (the protocol probe's client is gone) before the
  // first reading.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const long before_kb = status_kb("VmRSS");
  long pending_kb = 0;
  long hwm_kb = 0;
  long pending = 0;
  {
    stytch::ClientOptions o = sdk_options(c);
    o.max_in_flight = static_cast<std::size_t>(c.count);
    stytch::StytchClient client(o);
    stytch::otps::sms::SendParams params;
    params.phone_number = kPhone;
    for (long i = 0; i < c.count; ++i) {
      client.otps.sms.send_async(params, [&](stytch::Result<stytch::otps::sms::SendResponse> r) {
        if (r) ++answered;
        ++ended;
      });
    }
    // All are submitted. The I/O thread hands them to libcurl, which opens
    // connections (over HTTP/2 gradually): read once the resident set has
    // stopped growing (by under 1% in a second), or after 20 seconds.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    pending_kb = status_kb("VmRSS");
    for (int second = 1; second < 20; ++second) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      const long now_kb = status_kb("VmRSS");
      const bool settled = now_kb - pending_kb < (pending_kb - before_kb) / 100;
      pending_kb = now_kb;
      if (settled) break;
    }
    hwm_kb = status_kb("VmHWM");
    pending = c.count - ended.load();
  }
  const long per_call = pending > 0 ? (pending_kb - before_kb) * 1024 / pending : -1;
  std::printf("sdk-memory %ld %ld %ld %ld %ld %ld %s\n", c.count, pending, before_kb, pending_kb, hwm_kb, per_call,
              http2 ? "HTTP/2" : "HTTP/1.1");
  // Every call ended once: answered, or cancelled by the client's end.
  return ended.load() == c.count ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: stytch-bench raw-seq|raw-multi|sdk-seq|sdk-async|sdk-memory BASE_URL COUNT [CONCURRENCY] "
                 "[CA_FILE]\n";
    return 2;
  }
  const std::string mode = argv[1];
  Config c;
  c.base_url = argv[2];
  if (c.base_url.back() != '/') c.base_url += '/';
  c.count = std::atol(argv[3]);
  if (argc > 4) c.concurrency = std::atol(argv[4]);
  if (argc > 5) c.ca_file = argv[5];
  curl_global_init(CURL_GLOBAL_DEFAULT);
  // The raw modes speak the protocol the SDK speaks with the loaded libcurl
  // (HTTP/1.1 below 8.14.1), so that each ratio compares like with like.
  c.http2 = stytch::StytchClient(sdk_options(c)).offers_http2();
  std::fprintf(stderr, "protocol offered: %s\n", c.http2 ? "HTTP/2" : "HTTP/1.1");

  if (mode == "sdk-memory") {
    const long failures = sdk_memory(c, c.http2);
    curl_global_cleanup();
    return failures == 0 ? 0 : 1;
  }
  const auto start = std::chrono::steady_clock::now();
  long failures = -1;
  if (mode == "raw-seq") failures = raw_seq(c);
  if (mode == "raw-multi") failures = raw_multi(c);
  if (mode == "sdk-seq") failures = sdk_seq(c);
  if (mode == "sdk-async") failures = sdk_async(c);
  if (failures < 0) {
    std::cerr << "unknown mode " << mode << "\n";
    return 2;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s %ld %.3f %.0f %ld\n", mode.c_str(), c.count, seconds, static_cast<double>(c.count) / seconds,
              failures);
  curl_global_cleanup();
  return failures == 0 ? 0 : 1;
}
