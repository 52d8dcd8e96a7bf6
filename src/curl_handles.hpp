#ifndef STYTCH_SRC_CURL_HANDLES_HPP
#define STYTCH_SRC_CURL_HANDLES_HPP

// libcurl easy handles with every setting that does not change per call
// (credentials, TLS, timeouts, protocols), and a pool of them to reuse.

#include "socket_watch.hpp"
#include "transport_config.hpp"

#include <curl/curl.h>

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace stytch::internal {

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

 private:
  struct HeaderListDeleter {
    void operator()(curl_slist* list) const noexcept;
  };
  struct ShareDeleter {
    void operator()(CURLSH* share) const noexcept { curl_share_cleanup(share); }
  };
  static constexpr std::size_t kLockSlots = CURL_LOCK_DATA_LAST;

  CURL* make_handle(std::string& why);
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
};

}  // namespace stytch::internal

#endif
