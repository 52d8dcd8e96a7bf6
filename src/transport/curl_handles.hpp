#ifndef STYTCH_SRC_CURL_HANDLES_HPP
#define STYTCH_SRC_CURL_HANDLES_HPP

// libcurl easy handles with every setting that does not change per call
// (credentials, TLS, timeouts, protocols), and a pool of them to reuse.

#include "platform/temp_file.hpp"
#include "transport/socket_watch.hpp"
#include "transport/transport_config.hpp"

#include <curl/curl.h>

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace stytch::internal {

/// Throws stytch::Exception (invalid_argument): libcurl could not be set up.
[[noreturn]] void setup_failure(const std::string& what);

/// What the libcurl loaded at run time (not the one built against) lets the
/// delivery rules know.
struct LibcurlFacts {
  unsigned version_num = 0;  ///< 0xXXYYZZ, as LIBCURL_VERSION_NUM.
  std::string version;       ///< "8.14.1".
  bool http2 = false;        ///< Built with HTTP/2 (nghttp2).
  std::string tls;           ///< Its TLS backend, as "OpenSSL/3.0.15" or "GnuTLS/3.7.9".
  /// A refused HTTP/2 stream is told apart from one the server processed
  /// and then lost: true from libcurl 8.14.1, where the only HTTP/2 retry
  /// libcurl makes without reporting an error is a refused stream (a stream
  /// above a GOAWAY's last-stream-id, REFUSED_STREAM). 7.88 also retries,
  /// silently, a processed stream whose connection died. HTTP/2 is used only
  /// where this holds (and libcurl has HTTP/2), with any TLS backend: the
  /// protocol of each connection is read from libcurl's own ALPN report.
  bool http2_refusals_exact = false;
};

/// The oldest libcurl whose HTTP/2 retries the delivery tests proved exact.
constexpr unsigned kHttp2ExactSince = 0x080e01;  // 8.14.1

/// Which of libcurl's default CA sources the handles keep (see
/// curl_handles.cpp for the measurements behind it).
enum class DefaultCaSource {
  both,       ///< as libcurl has them
  directory,  ///< the directory (OpenSSL: it looks up only what it needs)
  bundle,     ///< the bundle (other backends load a directory whole)
  native,     ///< libcurl has neither: the system's store (CURLSSLOPT_NATIVE_CA)
};
/// What choose_default_ca_source decides from.
struct DefaultCaFacts {
  bool openssl = false;                 ///< libcurl's TLS backend is OpenSSL
  bool has_bundle = false;              ///< libcurl names a CA bundle file
  bool has_directory = false;           ///< libcurl names a CA directory
  std::size_t hashed = 0;               ///< certificates in the directory named by hash
  std::size_t loose = 0;                ///< other files in the directory (a backend loading it whole reads them)
  std::size_t bundle_certificates = 0;  ///< certificates in the bundle
};
DefaultCaSource choose_default_ca_source(const DefaultCaFacts& facts) noexcept;

/// The loaded libcurl's facts, read once.
const LibcurlFacts& libcurl_facts();

class CurlHandles {
 public:
  /// Throws stytch::Exception (invalid_argument) if libcurl refuses a setting.
  CurlHandles(const TransportConfig& config, SocketWatch& sockets);
  ~CurlHandles();
  CurlHandles(const CurlHandles&) = delete;
  CurlHandles& operator=(const CurlHandles&) = delete;

  /// A ready handle, from the pool or new; null (and `why`) on failure.
  CURL* acquire(std::string& why);
  /// Back to the pool, or cleaned up when the pool is full.
  void release(CURL* handle);

  /// Removes the secret and the Basic credentials from text a server sent.
  void redact(std::string& text) const;

  /// The file holding the system's CA bundle and ca_file together, which
  /// the handles verify with; "" when they use ca_file and libcurl's CA
  /// directory instead (see combine_ca_files).
  const std::string& combined_ca_file() const noexcept { return combined_ca_file_.path(); }

 private:
  struct HeaderListDeleter {
    void operator()(curl_slist* list) const noexcept;
  };
  struct ShareDeleter {
    void operator()(CURLSH* share) const noexcept { curl_share_cleanup(share); }
  };
  static constexpr std::size_t kLockSlots = CURL_LOCK_DATA_LAST;

  CURL* make_handle(std::string& why);
  void combine_ca_files() noexcept;
  void append_header(const char* header);
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user);
  static void unlock(CURL*, curl_lock_data data, void* user);

  const TransportConfig& config_;
  SocketWatch& sockets_;
  std::string basic_credentials_;
  std::unique_ptr<curl_slist, HeaderListDeleter> headers_;
  std::array<std::mutex, kLockSlots> share_locks_;  // outlives share_
  std::unique_ptr<CURLSH, ShareDeleter> share_;
  std::mutex pool_mutex_;
  std::vector<CURL*> idle_;
  platform::TempFile combined_ca_file_;  // removed also when construction fails
};

}  // namespace stytch::internal

#endif
