#include "transport.hpp"

#include <curl/curl.h>

#include <array>
#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

namespace stytch::internal {

namespace {

std::once_flag g_curl_init;

[[noreturn]] void setup_failure(const std::string& what) {
  Error e;
  e.kind = ErrorKind::invalid_argument;
  e.error_message = "could not set up the HTTP transport: " + what;
  throw Exception(std::move(e));
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
  target->body->append(data, n);
  return n;
}

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

}  // namespace

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

class Transport::Impl {
 public:
  explicit Impl(TransportConfig config) : config_(std::move(config)) {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

    // The Authorization header is built once; its bytes are wiped when the
    // transport goes away.
    std::string credentials = config_.project_id + ":" + config_.secret;
    std::string authorization = "Authorization: Basic " + base64_encode(credentials);
    wipe(credentials);
    wipe(config_.secret);
    append("Content-Type: application/json");
    append("Accept: application/json");
    append("Expect:");  // no 100-continue round trip
    const bool appended = try_append(authorization.c_str());
    wipe(authorization);
    if (!appended) setup_failure("out of memory");

    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    if (info != nullptr && info->version_num >= 0x074600 && info->capath != nullptr) {
      default_capath_ = info->capath;
    }

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

    // Make one handle now, so that settings libcurl refuses are reported at
    // construction rather than on the first call.
    release(make_handle());
  }

  ~Impl() {
    for (CURL* handle : idle_) curl_easy_cleanup(handle);
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::variant<HttpResponse, Error> post(const std::string& url, const std::string& body) {
    CURL* handle = acquire();
    HttpResponse response;
    WriteTarget target{&response.body, config_.max_response_bytes, false};
    std::array<char, CURL_ERROR_SIZE> error_text{};

    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &target);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text.data());

    const CURLcode code = curl_easy_perform(handle);
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, nullptr);
    release(handle);

    response.status = static_cast<int>(status);
    if (code == CURLE_OK) return response;

    const ErrorKind kind = error_kind_for_transport(static_cast<int>(code), target.overflowed);
    if (kind == ErrorKind::decode) {
      Error e = decode_error(response.status, response.body,
                             "the response is larger than " + std::to_string(config_.max_response_bytes) + " bytes");
      e.transport_code = static_cast<int>(code);
      e.attempts = 1;
      return e;
    }
    Error e;
    e.kind = kind;
    e.http_status = response.status;
    e.transport_code = static_cast<int>(code);
    e.attempts = 1;
    e.error_message = curl_easy_strerror(code);
    if (error_text[0] != '\0') {
      e.error_message += ": ";
      e.error_message += error_text.data();
    }
    return e;
  }

 private:
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

  CURL* acquire() {
    {
      std::lock_guard<std::mutex> guard(pool_mutex_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        return handle;
      }
    }
    return make_handle();
  }

  void release(CURL* handle) {
    std::lock_guard<std::mutex> guard(pool_mutex_);
    idle_.push_back(handle);
  }

  CURL* make_handle() {
    CURL* handle = curl_easy_init();
    if (handle == nullptr) setup_failure("curl_easy_init failed");
    auto check = [&](CURLcode code, const char* what) {
      if (code != CURLE_OK) {
        curl_easy_cleanup(handle);
        setup_failure(std::string(what) + ": " + curl_easy_strerror(code));
      }
    };
    check(curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL");
    check(curl_easy_setopt(handle, CURLOPT_POST, 1L), "POST");
    check(curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers_.get()), "HTTPHEADER");
    check(curl_easy_setopt(handle, CURLOPT_USERAGENT, config_.user_agent.c_str()), "USERAGENT");
    check(curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count())), "TIMEOUT_MS");
    check(curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout.count())),
          "CONNECTTIMEOUT_MS");
    check(curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L), "FOLLOWLOCATION");
    check(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L), "SSL_VERIFYPEER");
    check(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L), "SSL_VERIFYHOST");
    check(curl_easy_setopt(handle, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)), "SSLVERSION");
#if LIBCURL_VERSION_NUM >= 0x075500
    check(curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, config_.allow_plain_http ? "http,https" : "https"),
          "PROTOCOLS_STR");
#else
    check(curl_easy_setopt(handle, CURLOPT_PROTOCOLS,
                           config_.allow_plain_http ? (CURLPROTO_HTTP | CURLPROTO_HTTPS) : CURLPROTO_HTTPS),
          "PROTOCOLS");
#endif
    if (!config_.ca_file.empty()) {
      // The private CA is added to the system's trust rather than replacing it.
      check(curl_easy_setopt(handle, CURLOPT_CAINFO, config_.ca_file.c_str()), "CAINFO");
      if (!default_capath_.empty()) {
        check(curl_easy_setopt(handle, CURLOPT_CAPATH, default_capath_.c_str()), "CAPATH");
      }
    }
    if (!config_.proxy.empty()) {
      check(curl_easy_setopt(handle, CURLOPT_PROXY, config_.proxy.c_str()), "PROXY");
    }
    check(curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(config_.max_response_bytes)),
          "MAXFILESIZE_LARGE");
    check(curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &write_body), "WRITEFUNCTION");
    check(curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L), "TCP_KEEPALIVE");
    check(curl_easy_setopt(handle, CURLOPT_SHARE, share_.get()), "SHARE");
    return handle;
  }

  static constexpr std::size_t kLockSlots = 16;

  TransportConfig config_;
  std::string default_capath_;
  HeaderList headers_;
  std::array<std::mutex, kLockSlots> share_locks_;  // outlives share_
  std::unique_ptr<CURLSH, ShareDeleter> share_;
  std::mutex pool_mutex_;
  std::vector<CURL*> idle_;
};

Transport::Transport(TransportConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Transport::~Transport() = default;

std::variant<HttpResponse, Error> Transport::post(const std::string& url, const std::string& body) {
  return impl_->post(url, body);
}

}  // namespace stytch::internal
