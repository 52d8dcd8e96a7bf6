#include "transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace stytch::internal {

namespace {

std::once_flag g_curl_init;

constexpr const char* kRedacted = "[REDACTED]";
// Idle handles kept beyond this are cleaned up, with their connections.
constexpr std::size_t kMaxIdleHandles = 64;

[[noreturn]] void setup_failure(const std::string& what) {
  Error e;
  e.kind = ErrorKind::invalid_argument;
  e.error_message = "could not set up the HTTP transport: " + what;
  throw Exception(std::move(e));
}

// Where the header callback puts what it keeps: every header when a log sink
// wants them, otherwise only Retry-After, so a call without logging makes no
// allocation per header line.
struct HeaderTarget {
  std::vector<std::pair<std::string, std::string>>* headers;
  bool keep_all;
};

}  // namespace

namespace {

bool header_is(std::string_view name, std::string_view lower_name) noexcept {
  if (name.size() != lower_name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(name[i])) != lower_name[i]) return false;
  }
  return true;
}

}  // namespace

bool is_retry_after(std::string_view name) noexcept { return header_is(name, "retry-after"); }

bool is_cache_control(std::string_view name) noexcept { return header_is(name, "cache-control"); }

namespace {

// Reads the "Name: value" lines of the final response.
extern "C" std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* target = static_cast<HeaderTarget*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    target->headers->clear();  // a new response (after a 1xx) starts over
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  const std::string_view name = line.substr(0, colon);
  if (!target->keep_all && !is_retry_after(name) && !is_cache_control(name)) return n;
  std::size_t start = colon + 1;
  std::size_t end = line.size();
  while (start < end && (line[start] == ' ' || line[start] == '\t')) ++start;
  while (end > start && (line[end - 1] == '\r' || line[end - 1] == '\n' || line[end - 1] == ' ')) --end;
  try {
    target->headers->emplace_back(std::string(name), std::string(line.substr(start, end - start)));
  } catch (const std::bad_alloc&) {
    return 0;  // no exception may cross libcurl's C frames
  }
  return n;
}

struct WriteTarget {
  std::string* body;
  std::size_t limit;
  bool overflowed;
};

extern "C" std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* target = static_cast<WriteTarget*>(user);
  const std::size_t n = size * count;
  if (target->body->size() + n > target->limit) {
    target->overflowed = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  try {
    target->body->append(data, n);
  } catch (const std::bad_alloc&) {
    return 0;  // no exception may cross libcurl's C frames
  }
  return n;
}

// libcurl sends a request again, on a new connection, when a reused one
// closes before any answer. An OTP send may have reached the server by then,
// so that resend must not happen. With libcurl 7.80 or newer a pre-request
// callback counts the attempts of one transfer and aborts the second; the
// body then goes out with the headers in one write (POSTFIELDS). Older
// libcurl gets the body from a read callback with no way to rewind it, which
// makes the resend fail with CURLE_SEND_FAIL_REWIND instead.
#if LIBCURL_VERSION_NUM >= 0x075000
#define STYTCH_CURL_HAS_PREREQ 1
#else
#define STYTCH_CURL_HAS_PREREQ 0
#endif

#if STYTCH_CURL_HAS_PREREQ
extern "C" int count_attempt(void* user, char*, char*, int, int) {
  int& attempts = *static_cast<int*>(user);
  return ++attempts == 1 ? CURL_PREREQFUNC_OK : CURL_PREREQFUNC_ABORT;
}
#endif

struct ReadSource {
  const char* data;
  std::size_t left;
};

#if !STYTCH_CURL_HAS_PREREQ
extern "C" std::size_t read_body(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* source = static_cast<ReadSource*>(user);
  const std::size_t n = std::min(size * count, source->left);
  std::memcpy(buffer, source->data, n);
  source->data += n;
  source->left -= n;
  return n;
}
#endif

void wipe_list(curl_slist* list) noexcept {
  for (curl_slist* item = list; item != nullptr; item = item->next) {
    volatile char* p = item->data;
    while (*p != '\0') *p++ = '\0';
  }
}

struct HeaderListDeleter {
  void operator()(curl_slist* list) const noexcept {
    wipe_list(list);
    curl_slist_free_all(list);
  }
};
using HeaderList = std::unique_ptr<curl_slist, HeaderListDeleter>;

struct ShareDeleter {
  void operator()(CURLSH* share) const noexcept { curl_share_cleanup(share); }
};

struct MultiDeleter {
  void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
};

}  // namespace

void redact_all(std::string& text, const std::string& needle) {
  if (needle.empty()) return;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at)) {
    text.replace(at, needle.size(), kRedacted);
    at += std::strlen(kRedacted);
  }
}

ErrorKind error_kind_for_transport(int curl_code, bool body_over_limit) noexcept {
  if (body_over_limit || curl_code == CURLE_FILESIZE_EXCEEDED) return ErrorKind::decode;
  if (curl_code == CURLE_OPERATION_TIMEDOUT) return ErrorKind::timeout;
  return ErrorKind::network;
}

void wipe(std::string& s) noexcept {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i) p[i] = '\0';
  s.clear();
}

std::string base64_encode(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16U) |
                   (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8U) |
                   static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += kAlphabet[(n >> 6U) & 63U];
    out += kAlphabet[n & 63U];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16U;
    if (rest == 2) n |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8U;
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += rest == 2 ? kAlphabet[(n >> 6U) & 63U] : '=';
    out += '=';
  }
  return out;
}

// One request: its body, what comes back, and the buffers libcurl writes to.
// It stays at one address while libcurl uses it.
struct Exchange {
  Exchange(std::string url_in, std::string body_in, const TransportConfig& config, HttpMethod method_in)
      : method(method_in),
        url(std::move(url_in)),
        body(std::move(body_in)),
        source{body.data(), body.size()},
        target{&response.body, config.max_response_bytes, false},
        header_target{&response.headers, config.capture_headers} {}
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  void attach(CURL* handle) {
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
#if STYTCH_CURL_HAS_PREREQ
    curl_easy_setopt(handle, CURLOPT_PREREQDATA, &sends);
#endif
    if (method == HttpMethod::get) {
      curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);  // after it, no POST option may be set
    } else {
      curl_easy_setopt(handle, CURLOPT_POST, 1L);  // a pooled handle may have served a GET
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
#if STYTCH_CURL_HAS_PREREQ
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
#else
      curl_easy_setopt(handle, CURLOPT_READDATA, &source);
#endif
    }
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &target);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text.data());
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &header_target);
  }

  static void detach(CURL* handle) {
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
#if STYTCH_CURL_HAS_PREREQ
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, nullptr);
    curl_easy_setopt(handle, CURLOPT_PREREQDATA, nullptr);
#else
    curl_easy_setopt(handle, CURLOPT_READDATA, nullptr);
#endif
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, nullptr);
  }

  HttpMethod method;
  std::string url;
  std::string body;
  HttpResponse response;
  ReadSource source;
  WriteTarget target;
  HeaderTarget header_target;
  std::array<char, CURL_ERROR_SIZE> error_text{};
  Transport::Completion done;
  int sends = 0;                                   // times libcurl was about to send this request
  std::chrono::steady_clock::time_point start_at;  // a retry waits for its time
};

class Transport::Impl {
 public:
  explicit Impl(TransportConfig config) : config_(std::move(config)) {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

    // The credentials are kept only to redact them from anything a server
    // sends back, and in the Authorization header; all are wiped at the end.
    // Buffers are sized up front so no copy is left behind by a reallocation.
    std::string credentials;
    credentials.reserve(config_.project_id.size() + 1 + config_.secret.size());
    credentials.append(config_.project_id).append(":").append(config_.secret.reveal());
    basic_credentials_ = base64_encode(credentials);
    wipe(credentials);
    static constexpr const char kPrefix[] = "Authorization: Basic ";
    std::string authorization;
    authorization.reserve(sizeof kPrefix + basic_credentials_.size());
    authorization.append(kPrefix).append(basic_credentials_);
    append("Content-Type: application/json");
    append("Accept: application/json");
    append("Expect:");  // no 100-continue round trip
    const bool appended = try_append(authorization.c_str());
    wipe(authorization);
    if (!appended) setup_failure("out of memory");

    share_.reset(curl_share_init());
    CURLSH* share = share_.get();
    if (share == nullptr) setup_failure("curl_share_init failed");
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Impl::lock);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
    curl_share_setopt(share, CURLSHOPT_USERDATA, this);
    // TLS sessions are shared so that a new pooled handle resumes rather
    // than performing a full handshake.
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);

    multi_.reset(curl_multi_init());
    if (!multi_) setup_failure("curl_multi_init failed");
    // HTTP/2 multiplexes concurrent calls over one connection when offered.
    curl_multi_setopt(multi_.get(), CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
    // Beyond this many connections to the host, transfers wait for one.
    curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(config_.max_connections));

    // Make one handle now, so that settings libcurl refuses are reported at
    // construction rather than on the first call.
    std::string why;
    CURL* first = make_handle(why);
    if (first == nullptr) setup_failure(why);
    release(first);
  }

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(async_mutex_);
      stopping_ = true;
    }
    slots_.notify_all();
    if (io_thread_.joinable()) {
      curl_multi_wakeup(multi_.get());
      io_thread_.join();
    }
    for (CURL* handle : idle_) curl_easy_cleanup(handle);
    wipe(basic_credentials_);
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::variant<HttpResponse, Error> post(const std::string& url, const std::string& body, HttpMethod method) {
    Exchange exchange(url, method == HttpMethod::get ? std::string() : body, config_, method);
    std::string why;
    CURL* handle = acquire(why);
    if (handle == nullptr) return transport_error(ErrorKind::network, CURLE_FAILED_INIT, why, 0);
    exchange.attach(handle);
    const CURLcode code = curl_easy_perform(handle);
    return finish(exchange, handle, code);
  }

  void post_async(std::string url, std::string body, std::chrono::milliseconds delay, Completion done,
                  HttpMethod method) {
    if (method == HttpMethod::get) body.clear();
    auto exchange = std::make_unique<Exchange>(std::move(url), std::move(body), config_, method);
    exchange->done = std::move(done);
    exchange->start_at = std::chrono::steady_clock::now() + delay;
    {
      std::unique_lock<std::mutex> lock(async_mutex_);
      // Back-pressure: wait for a slot, except on the I/O thread itself (a
      // completion starting a new call), which must never block.
      if (std::this_thread::get_id() != io_thread_id_) {
        // Woken in batches (below), and looking again every 10 ms on its
        // own, so a free slot is never missed for longer than that.
        ++waiters_;
        while (!stopping_ && pending_ >= config_.max_in_flight) slots_.wait_for(lock, std::chrono::milliseconds(10));
        --waiters_;
      }
      if (stopping_ && std::this_thread::get_id() == io_thread_id_) {
        // A callback starting a call during shutdown: cancelled after that
        // callback returns, not inside it (no nesting, no lock held twice).
        ++pending_;
        queue_.push_back(std::move(exchange));
        return;
      }
      if (!stopping_) {
        if (!io_thread_.joinable()) start_io_thread();
        ++pending_;
        // The I/O thread takes the whole queue each time round: wake it only
        // for the first entry, not for every one.
        const bool was_empty = queue_.empty();
        queue_.push_back(std::move(exchange));
        lock.unlock();
        if (was_empty) curl_multi_wakeup(multi_.get());
        return;
      }
    }
    exchange->done(cancelled_error());
  }

 private:
  // Turns a finished transfer into the answer or the transport Error, and
  // returns the handle to the pool.
  std::variant<HttpResponse, Error> finish(Exchange& exchange, CURL* handle, CURLcode code) {
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    // Bytes of request headers issued, over every attempt libcurl made.
    long request_bytes = 0;
    curl_easy_getinfo(handle, CURLINFO_REQUEST_SIZE, &request_bytes);
    const bool reached = request_bytes > 0 || exchange.sends > 0 || status != 0;
    Exchange::detach(handle);
    release(handle);

    HttpResponse& response = exchange.response;
    response.status = static_cast<int>(status);
    redact(response.body);
    if (code == CURLE_OK) return std::move(response);

    const ErrorKind kind = error_kind_for_transport(static_cast<int>(code), exchange.target.overflowed);
    if (kind == ErrorKind::decode) {
      Error e = decode_error(response.status, response.body,
                             "the response is larger than " + std::to_string(config_.max_response_bytes) + " bytes");
      e.transport_code = static_cast<int>(code);
      e.attempts = 1;
      e.may_have_reached_server = true;
      return e;
    }
    std::string what = curl_easy_strerror(code);
    if (exchange.error_text[0] != '\0') what += std::string(": ") + exchange.error_text.data();
    if (code == CURLE_SEND_FAIL_REWIND || exchange.sends > 1) {
      what +=
          " (the connection closed after the request was sent: it may have reached the server and was not repeated)";
    }
    Error e = transport_error(kind, code, what, response.status);
    e.may_have_reached_server = reached;
    return e;
  }

  static Error cancelled_error() {
    Error e;
    e.kind = ErrorKind::network;
    e.transport_code = CURLE_ABORTED_BY_CALLBACK;
    e.attempts = 1;
    e.error_message = "cancelled: the client was destroyed before the call completed";
    return e;
  }

  void start_io_thread() {
    io_thread_ = std::thread([this] { run_io(); });
    io_thread_id_ = io_thread_.get_id();
  }

  // The I/O thread: starts queued requests, drives libcurl's multi handle and
  // completes finished transfers, until the transport is destroyed.
  void run_io() {
    std::map<CURL*, std::unique_ptr<Exchange>> active;
    std::vector<std::unique_ptr<Exchange>> waiting;  // retries not due yet
    while (true) {
      std::vector<std::unique_ptr<Exchange>> starting;
      {
        std::lock_guard<std::mutex> lock(async_mutex_);
        if (stopping_) break;
        starting.swap(queue_);
      }
      const auto now = std::chrono::steady_clock::now();
      for (auto& exchange : waiting) starting.push_back(std::move(exchange));
      waiting.clear();
      for (auto& exchange : starting) {
        if (exchange->start_at > now) {
          waiting.push_back(std::move(exchange));
          continue;
        }
        std::string why;
        CURL* handle = acquire(why);
        if (handle == nullptr) {
          complete(*exchange, transport_error(ErrorKind::network, CURLE_FAILED_INIT, why, 0));
          continue;
        }
        exchange->attach(handle);
        curl_multi_add_handle(multi_.get(), handle);
        active.emplace(handle, std::move(exchange));
      }
      int running = 0;
      curl_multi_perform(multi_.get(), &running);
      int left = 0;
      while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
        if (message->msg != CURLMSG_DONE) continue;
        CURL* handle = message->easy_handle;
        const CURLcode code = message->data.result;
        curl_multi_remove_handle(multi_.get(), handle);
        auto it = active.find(handle);
        std::unique_ptr<Exchange> exchange = std::move(it->second);
        active.erase(it);
        complete(*exchange, finish(*exchange, handle, code));
      }
      int wait_ms = 1000;
      for (const auto& exchange : waiting) {
        const auto due = std::chrono::duration_cast<std::chrono::milliseconds>(exchange->start_at - now).count();
        wait_ms = static_cast<int>(std::max<long long>(0, std::min<long long>(wait_ms, due)));
      }
      curl_multi_poll(multi_.get(), nullptr, 0, wait_ms, nullptr);
    }
    for (auto& exchange : waiting) complete(*exchange, cancelled_error());
    // Shutting down: every call still pending gets its answer, once.
    for (auto& [handle, exchange] : active) {
      curl_multi_remove_handle(multi_.get(), handle);
      Exchange::detach(handle);
      curl_easy_cleanup(handle);
      complete(*exchange, cancelled_error());
    }
    // Callbacks may start calls while being cancelled; those are cancelled
    // in turn, round by round, never inside the callback that made them.
    while (true) {
      std::vector<std::unique_ptr<Exchange>> queued;
      {
        std::lock_guard<std::mutex> lock(async_mutex_);
        queued.swap(queue_);
      }
      if (queued.empty()) break;
      for (auto& exchange : queued) complete(*exchange, cancelled_error());
    }
  }

  void complete(Exchange& exchange, std::variant<HttpResponse, Error> outcome) {
    try {
      exchange.done(std::move(outcome));
    } catch (...) {  // NOLINT(bugprone-empty-catch): a completion must not stop the I/O thread
    }
    // Waiting callers are woken once a quarter of the slots are free rather
    // than at every completion: fewer thread switches, the same bound.
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(async_mutex_);
      --pending_;
      const std::size_t max = config_.max_in_flight;
      wake = waiters_ > 0 && pending_ + std::max<std::size_t>(1, max / 4) <= max;
    }
    if (wake) slots_.notify_all();
  }

  Error transport_error(ErrorKind kind, CURLcode code, std::string what, int http_status) {
    Error e;
    e.kind = kind;
    e.http_status = http_status;
    e.transport_code = static_cast<int>(code);
    e.attempts = 1;
    e.error_message = std::move(what);
    redact(e.error_message);
    return e;
  }

  // Whatever a server sends back (an echo of the request by a misbehaving
  // proxy ...) must not carry the credentials into results or error text.
  void redact(std::string& text) const {
    redact_all(text, config_.secret.reveal());
    redact_all(text, basic_credentials_);
  }

  bool try_append(const char* header) {
    curl_slist* next = curl_slist_append(headers_.get(), header);
    if (next == nullptr) return false;
    if (!headers_) headers_.reset(next);  // later appends return the same head
    return true;
  }

  void append(const char* header) {
    if (!try_append(header)) setup_failure("out of memory");
  }

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks_[static_cast<std::size_t>(data) % kLockSlots].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_locks_[static_cast<std::size_t>(data) % kLockSlots].unlock();
  }

  CURL* acquire(std::string& why) {
    {
      std::lock_guard<std::mutex> guard(pool_mutex_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        return handle;
      }
    }
    return make_handle(why);
  }

  void release(CURL* handle) {
    {
      std::lock_guard<std::mutex> guard(pool_mutex_);
      if (idle_.size() < kMaxIdleHandles) {
        idle_.push_back(handle);
        return;
      }
    }
    curl_easy_cleanup(handle);
  }

  // A handle with every setting that does not change per call; null (and
  // `why`) when libcurl refuses one.
  CURL* make_handle(std::string& why) {
    CURL* handle = curl_easy_init();
    if (handle == nullptr) {
      why = "curl_easy_init failed";
      return nullptr;
    }
    const char* failed = nullptr;
    CURLcode code = CURLE_OK;
    auto set = [&](const char* name, CURLcode result) {
      if (failed == nullptr && result != CURLE_OK) {
        failed = name;
        code = result;
      }
    };
    set("NOSIGNAL", curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L));
    set("POST", curl_easy_setopt(handle, CURLOPT_POST, 1L));
    set("HTTPHEADER", curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers_.get()));
    set("USERAGENT", curl_easy_setopt(handle, CURLOPT_USERAGENT, config_.user_agent.c_str()));
    set("TIMEOUT_MS", curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count())));
    set("CONNECTTIMEOUT_MS",
        curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout.count())));
    set("FOLLOWLOCATION", curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L));
    set("SSL_VERIFYPEER", curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L));
    set("SSL_VERIFYHOST", curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L));
    set("SSLVERSION", curl_easy_setopt(handle, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
#if LIBCURL_VERSION_NUM >= 0x075500
    set("PROTOCOLS_STR",
        curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, config_.allow_plain_http ? "http,https" : "https"));
#else
    set("PROTOCOLS", curl_easy_setopt(handle, CURLOPT_PROTOCOLS,
                                      config_.allow_plain_http ? (CURLPROTO_HTTP | CURLPROTO_HTTPS) : CURLPROTO_HTTPS));
#endif
    if (!config_.ca_file.empty()) {
      // Replaces libcurl's CA bundle file; its CA directory (/etc/ssl/certs
      // on Debian), when it was built with one, stays trusted too.
      set("CAINFO", curl_easy_setopt(handle, CURLOPT_CAINFO, config_.ca_file.c_str()));
    }
    if (!config_.proxy.empty()) set("PROXY", curl_easy_setopt(handle, CURLOPT_PROXY, config_.proxy.c_str()));
    if (config_.allow_plain_http) {
      // Plain http goes to loopback only: never through a proxy, where the
      // credentials would cross a network in clear text.
      set("NOPROXY", curl_easy_setopt(handle, CURLOPT_NOPROXY, "*"));
    }
    set("MAXFILESIZE_LARGE",
        curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(config_.max_response_bytes)));
    set("WRITEFUNCTION", curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &write_body));
    // Retry-After is always read; every header only for the log sink.
    set("HEADERFUNCTION", curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &collect_header));
#if STYTCH_CURL_HAS_PREREQ
    set("PREREQFUNCTION", curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, &count_attempt));
#else
    set("READFUNCTION", curl_easy_setopt(handle, CURLOPT_READFUNCTION, &read_body));
#endif
    set("TCP_KEEPALIVE", curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L));
    set("HTTP_VERSION",
        curl_easy_setopt(handle, CURLOPT_HTTP_VERSION,
                         static_cast<long>(config_.force_http1 ? CURL_HTTP_VERSION_1_1 : CURL_HTTP_VERSION_2TLS)));
    // Wait for a multiplexable connection rather than opening another.
    set("PIPEWAIT", curl_easy_setopt(handle, CURLOPT_PIPEWAIT, 1L));
    set("SHARE", curl_easy_setopt(handle, CURLOPT_SHARE, share_.get()));
    if (failed != nullptr) {
      curl_easy_cleanup(handle);
      why = std::string(failed) + ": " + curl_easy_strerror(code);
      return nullptr;
    }
    return handle;
  }

  static constexpr std::size_t kLockSlots = CURL_LOCK_DATA_LAST;

  TransportConfig config_;
  std::string basic_credentials_;
  HeaderList headers_;
  std::array<std::mutex, kLockSlots> share_locks_;  // outlives share_
  std::unique_ptr<CURLSH, ShareDeleter> share_;
  std::mutex pool_mutex_;
  std::vector<CURL*> idle_;

  std::unique_ptr<CURLM, MultiDeleter> multi_;
  std::mutex async_mutex_;
  std::condition_variable slots_;
  std::vector<std::unique_ptr<Exchange>> queue_;
  std::size_t pending_ = 0;  // queued + in flight
  std::size_t waiters_ = 0;  // callers waiting for a slot
  bool stopping_ = false;
  std::thread io_thread_;
  std::thread::id io_thread_id_;
};

Transport::Transport(TransportConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Transport::~Transport() = default;

std::variant<HttpResponse, Error> Transport::post(const std::string& url, const std::string& body, HttpMethod method) {
  return impl_->post(url, body, method);
}

void Transport::post_async(std::string url, std::string body, std::chrono::milliseconds delay, Completion done,
                           HttpMethod method) {
  impl_->post_async(std::move(url), std::move(body), delay, std::move(done), method);
}

}  // namespace stytch::internal
