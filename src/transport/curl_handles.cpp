#include "transport/curl_handles.hpp"

#include "base/text.hpp"
#include "platform/temp_file.hpp"

#include <stytch/error.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>
#include <system_error>

namespace stytch::internal {

namespace {

std::once_flag g_curl_init;

// Idle handles kept beyond this are cleaned up.
constexpr std::size_t kMaxIdleHandles = 64;

// libcurl's two default CA sources, a directory and a bundle file (Debian:
// /etc/ssl/certs and its ca-certificates.crt, 144 certificates each), cost
// every new connection differently per TLS backend, on the thread that runs
// every call. Measured with libcurl 8.14.1 against nginx on loopback, per new
// connection:
//   OpenSSL: both 18 ms, directory only 0.9 ms (it reads from a hashed
//            directory just the certificate a handshake needs), bundle only
//            2.5 ms (parsed once, then cached by libcurl);
//   GnuTLS:  both 26 ms, directory only 20 ms (it loads every file in it, and
//            libcurl caches no store made from a directory), bundle only
//            1.6 ms (cached).
// So where both hold the same certificates, OpenSSL keeps the directory and
// every other backend keeps the bundle (choose_default_ca_source).

// Counts once, since libcurl's defaults are fixed at its build: the
// certificates the directory holds, hashed for lookup (c_rehash,
// update-ca-certificates: "5ad8a5d6.0"), and those in the bundle. A directory
// that merely exists (an image that copied only the bundle into it) holds
// none; a missing bundle holds none.
DefaultCaSource default_ca_source(CURL* handle) {
#if LIBCURL_VERSION_NUM >= 0x075400
  static const DefaultCaSource source = [handle] {
    char* directory = nullptr;
    char* bundle = nullptr;
    DefaultCaFacts facts;
    facts.openssl = libcurl_facts().tls.rfind("OpenSSL/", 0) == 0;
    if (curl_easy_getinfo(handle, CURLINFO_CAPATH, &directory) != CURLE_OK ||
        curl_easy_getinfo(handle, CURLINFO_CAINFO, &bundle) != CURLE_OK) {
      return DefaultCaSource::both;
    }
    facts.has_directory = directory != nullptr;
    facts.has_bundle = bundle != nullptr;
    if (!facts.has_directory) return choose_default_ca_source(facts);
    std::error_code error;
    std::size_t hashed = 0;
    // Certificate files not named by hash (Debian's "*.pem" beside them): a
    // backend that loads the directory whole trusts these too.
    std::size_t loose = 0;
    const std::filesystem::path bundle_path = bundle != nullptr ? bundle : "";
    for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
      const std::string name = it->path().filename().string();
      const auto dot = name.find('.');
      const bool hash = dot == 8 && name.find_first_not_of("0123456789abcdef") == 8 && dot + 1 < name.size() &&
                        name.find_first_not_of("0123456789", dot + 1) == std::string::npos;
      if (hash) {
        ++hashed;
      } else if (it->path() != bundle_path && it->path().filename() != bundle_path.filename()) {
        std::error_code kind_error;
        if (it->is_regular_file(kind_error)) ++loose;  // (through links; not a subdirectory)
      }
    }
    if (error) {
      hashed = 0;
      loose = 0;
    }
    std::size_t certificates = 0;
    if (bundle != nullptr) {
      std::ifstream in(bundle);
      for (std::string line; in && std::getline(in, line);) {
        if (line.rfind("-----BEGIN CERTIFICATE-----", 0) == 0) ++certificates;
      }
    }
    facts.hashed = hashed;
    facts.loose = loose;
    facts.bundle_certificates = certificates;
    return choose_default_ca_source(facts);
  }();
  return source;
#else
  (void)handle;
  return DefaultCaSource::both;
#endif
}

}  // namespace

DefaultCaSource choose_default_ca_source(const DefaultCaFacts& facts) noexcept {
  // No CA source at all: OpenSSL's libcurl on Windows (vcpkg's and Conan's
  // ports ask for it), Schannel. The system's store, then.
  if (!facts.has_bundle && !facts.has_directory) return DefaultCaSource::native;
  if (!facts.has_bundle || !facts.has_directory) return DefaultCaSource::both;  // one: nothing to choose
  if (facts.openssl && facts.hashed > 0 && facts.hashed >= facts.bundle_certificates) {
    return DefaultCaSource::directory;
  }
  // (A certificate dropped into the directory without a rehash, or any other
  // file there, keeps both: the bundle alone might lack it.)
  if (!facts.openssl && facts.bundle_certificates > 0 && facts.bundle_certificates >= facts.hashed &&
      facts.bundle_certificates >= facts.loose) {
    return DefaultCaSource::bundle;
  }
  return DefaultCaSource::both;
}

const LibcurlFacts& libcurl_facts() {
  static const LibcurlFacts facts = [] {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    LibcurlFacts f;
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    if (info == nullptr) return f;
    f.version_num = info->version_num;
    f.version = info->version != nullptr ? info->version : "";
    f.http2 = (info->features & CURL_VERSION_HTTP2) != 0;
    // A libcurl with several TLS backends lists the one in use first, others
    // in parentheses.
    f.tls = info->ssl_version != nullptr ? info->ssl_version : "";
    f.http2_refusals_exact = f.http2 && f.version_num >= kHttp2ExactSince;
    return f;
  }();
  return facts;
}

void CurlHandles::HeaderListDeleter::operator()(curl_slist* list) const noexcept {
  for (curl_slist* item = list; item != nullptr; item = item->next) {
    volatile char* p = item->data;
    while (*p != '\0') *p++ = '\0';
  }
  curl_slist_free_all(list);
}

CurlHandles::CurlHandles(const TransportConfig& config, SocketWatch& sockets) : config_(config), sockets_(sockets) {
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
  append_header("Content-Type: application/json");
  append_header("Accept: application/json");
  append_header("Expect:");  // no 100-continue round trip
  curl_slist* next = curl_slist_append(headers_.get(), authorization.c_str());
  wipe(authorization);
  if (next == nullptr) setup_failure("out of memory");

  share_.reset(curl_share_init());
  CURLSH* share = share_.get();
  if (share == nullptr) setup_failure("curl_share_init failed");
  curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &CurlHandles::lock);
  curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &CurlHandles::unlock);
  curl_share_setopt(share, CURLSHOPT_USERDATA, this);
  // A new connection resumes an earlier TLS session rather than performing
  // a full handshake.
  curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);

  combine_ca_files();

  // One handle now, so that settings libcurl refuses are reported at
  // construction rather than on the first call.
  std::string why;
  CURL* first = make_handle(why);
  if (first == nullptr) setup_failure(why);
  release(first);
}

CurlHandles::~CurlHandles() {
  for (CURL* handle : idle_) curl_easy_cleanup(handle);
  wipe(basic_credentials_);
}

// ca_file is trusted in addition to the system's CAs. Where the TLS backend
// keeps libcurl's bundle rather than its directory (see default_ca_source),
// ca_file beside the directory would load the directory whole for every new
// connection (20 ms each with GnuTLS, measured), and libcurl caches no store
// made from one. So the bundle and ca_file go into one file of the client's
// own, which libcurl 8.x loads once and keeps (under 1 ms per connection;
// 7.88 reads it for each connection, still far quicker than the directory).
// Read once, here; should anything fail, ca_file stays beside the directory.
void CurlHandles::combine_ca_files() noexcept {
#if LIBCURL_VERSION_NUM >= 0x075400
  if (config_.ca_file.empty()) return;
  try {
    const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> probe(curl_easy_init(), &curl_easy_cleanup);
    if (!probe) return;
    std::string bundle;
    char* path = nullptr;
    if (default_ca_source(probe.get()) == DefaultCaSource::bundle &&
        curl_easy_getinfo(probe.get(), CURLINFO_CAINFO, &path) == CURLE_OK && path != nullptr) {
      bundle = path;
    }
    if (bundle.empty()) return;
    const auto read = [](const std::string& file, std::string& into) {
      std::ifstream in(file, std::ios::binary);
      if (!in) return false;
      into.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      if (!into.empty() && into.back() != '\n') into.push_back('\n');
      return !in.bad();
    };
    std::string contents;
    if (!read(bundle, contents) || !read(config_.ca_file, contents)) return;
    combined_ca_file_.reset(platform::write_temp_file("stytch-ca-", contents));
  } catch (...) {  // NOLINT(bugprone-empty-catch): out of memory; ca_file stays beside the directory
  }
#endif
}

void CurlHandles::append_header(const char* header) {
  curl_slist* next = curl_slist_append(headers_.get(), header);
  if (next == nullptr) setup_failure("out of memory");
  if (!headers_) headers_.reset(next);  // later appends return the same head
}

void CurlHandles::redact(std::string& text) const {
  redact_all(text, config_.secret.reveal());
  redact_all(text, basic_credentials_);
}

void CurlHandles::lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  static_cast<CurlHandles*>(user)->share_locks_[static_cast<std::size_t>(data) % kLockSlots].lock();
}

void CurlHandles::unlock(CURL*, curl_lock_data data, void* user) {
  static_cast<CurlHandles*>(user)->share_locks_[static_cast<std::size_t>(data) % kLockSlots].unlock();
}

CURL* CurlHandles::acquire(std::string& why) {
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

void CurlHandles::release(CURL* handle) {
  {
    std::lock_guard<std::mutex> guard(pool_mutex_);
    if (idle_.size() < kMaxIdleHandles) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(handle);
}

CURL* CurlHandles::make_handle(std::string& why) {
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
  set("HTTPHEADER", curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers_.get()));
  set("USERAGENT", curl_easy_setopt(handle, CURLOPT_USERAGENT, config_.user_agent.c_str()));
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
  const DefaultCaSource ca_source = default_ca_source(handle);
  if (ca_source == DefaultCaSource::native) {
    // libcurl has no CA file or directory of its own: the system's store
    // (with ca_file, in addition to it).
    set("SSL_OPTIONS", curl_easy_setopt(handle, CURLOPT_SSL_OPTIONS, static_cast<long>(CURLSSLOPT_NATIVE_CA)));
  }
  if (!combined_ca_file_.path().empty()) {
    // The system's bundle and ca_file in one (see combine_ca_files).
    set("CAINFO", curl_easy_setopt(handle, CURLOPT_CAINFO, combined_ca_file_.path().c_str()));
    // (A backend with no CA directory support refuses even the clearing.)
    (void)curl_easy_setopt(handle, CURLOPT_CAPATH, nullptr);
#if LIBCURL_VERSION_NUM >= 0x075700
    // Read once and kept: the file lives as long as the client.
    (void)curl_easy_setopt(handle, CURLOPT_CA_CACHE_TIMEOUT, -1L);
#endif
  } else if (!config_.ca_file.empty()) {
    // Replaces libcurl's CA bundle file; its CA directory (/etc/ssl/certs
    // on Debian), when it was built with one, stays trusted too.
    set("CAINFO", curl_easy_setopt(handle, CURLOPT_CAINFO, config_.ca_file.c_str()));
  } else if (ca_source == DefaultCaSource::directory) {
    // The system's CAs, from the one of libcurl's sources that is cheaper
    // per connection with its TLS backend (see default_ca_source).
    set("CAINFO", curl_easy_setopt(handle, CURLOPT_CAINFO, nullptr));
  } else if (ca_source == DefaultCaSource::bundle) {
    (void)curl_easy_setopt(handle, CURLOPT_CAPATH, nullptr);  // as above
  }
  if (!config_.proxy.empty()) set("PROXY", curl_easy_setopt(handle, CURLOPT_PROXY, config_.proxy.c_str()));
  if (config_.allow_plain_http) {
    // Plain http goes to loopback only: never through a proxy, where the
    // credentials would cross a network in clear text.
    set("NOPROXY", curl_easy_setopt(handle, CURLOPT_NOPROXY, "*"));
  }
  set("MAXFILESIZE_LARGE",
      curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(config_.max_response_bytes)));
  set("TCP_KEEPALIVE", curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L));
  set("HTTP_VERSION",
      curl_easy_setopt(handle, CURLOPT_HTTP_VERSION,
                       static_cast<long>(config_.force_http1 ? CURL_HTTP_VERSION_1_1 : CURL_HTTP_VERSION_2TLS)));
  // Over https, wait for a connection that may multiplex (HTTP/2) rather
  // than opening another. Not over plain http or with HTTP/1.1 only: there
  // it would only queue calls behind a slow one.
  if (!config_.allow_plain_http && !config_.force_http1) {
    set("PIPEWAIT", curl_easy_setopt(handle, CURLOPT_PIPEWAIT, 1L));
  }
  set("SHARE", curl_easy_setopt(handle, CURLOPT_SHARE, share_.get()));
  if (failed != nullptr) {
    curl_easy_cleanup(handle);
    why = std::string(failed) + ": " + curl_easy_strerror(code);
    return nullptr;
  }
  sockets_.attach(handle);
  return handle;
}

void setup_failure(const std::string& what) {
  Error e;
  e.kind = ErrorKind::invalid_argument;
  e.error_message = "could not set up the HTTP transport: " + what;
  throw Exception(std::move(e));
}

}  // namespace stytch::internal
