#ifndef STYTCH_SRC_TRANSPORT_HPP
#define STYTCH_SRC_TRANSPORT_HPP

// The libcurl transport: POSTs a JSON body and gives back the HTTP status and
// body, or a network / timeout / decode Error when no usable answer came.

#include "response_mapping.hpp"

#include <stytch/error.hpp>
#include <stytch/secret.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace stytch::internal {

struct TransportConfig {
  std::string project_id;
  Secret secret;
  std::string user_agent;
  std::chrono::milliseconds timeout{31000};
  std::chrono::milliseconds connect_timeout{10000};
  std::string ca_file;
  std::string proxy;
  bool allow_plain_http = false;
  /// Keep every response header (for the log sink); otherwise only
  /// Retry-After is kept.
  bool capture_headers = false;
  /// Speak HTTP/1.1 only (no HTTP/2, so no multiplexing).
  bool force_http1 = false;
  /// Calls queued or in flight on the async path; more wait for a slot.
  std::size_t max_in_flight = 1024;
  /// Connections the async path opens to the host at most.
  std::size_t max_connections = 64;
  std::size_t max_response_bytes = std::size_t{4} * 1024 * 1024;
};

/// The HTTP methods the API uses: POST for calls with a body, GET for reads
/// (sessions get, the JWKS).
enum class HttpMethod { post, get };

class Transport {
 public:
  /// Throws stytch::Exception (invalid_argument) if libcurl cannot be set up
  /// with these settings.
  explicit Transport(TransportConfig config);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  /// Sends one POST. Thread-safe. The request is made once: it is never
  /// repeated after it may have reached the server.
  /// A GET sends no body (`body` is ignored).
  std::variant<HttpResponse, Error> post(const std::string& url, const std::string& body,
                                         HttpMethod method = HttpMethod::post);

  /// Called once with the outcome of an async POST, on the I/O thread (or
  /// on the caller's thread when the transport is shutting down).
  using Completion = std::function<void(std::variant<HttpResponse, Error>)>;

  /// Queues one POST for the transport's I/O thread (libcurl multi), which
  /// is started on first use. Blocks while max_in_flight calls are pending,
  /// except when called from a completion. Destroying the transport cancels
  /// what is pending: every completion still runs, once.
  /// `delay` holds the start back (for a retry) without blocking anyone.
  void post_async(std::string url, std::string body, std::chrono::milliseconds delay, Completion done,
                  HttpMethod method = HttpMethod::post);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// How a failed libcurl transfer is reported: a body over the size limit is
/// decode, an expired timer is timeout, everything else (refused, reset, TLS,
/// DNS ...) is network.
ErrorKind error_kind_for_transport(int curl_code, bool body_over_limit) noexcept;

/// Standard base64 of the bytes, as HTTP Basic auth wants it.
std::string base64_encode(const std::string& bytes);

/// Whether a header name is Retry-After, in any letter case.
bool is_retry_after(std::string_view name) noexcept;

/// Whether a header name is Cache-Control, in any letter case (kept for the
/// JWKS cache lifetime).
bool is_cache_control(std::string_view name) noexcept;

/// Replaces every occurrence of `needle` in `text` with "[REDACTED]".
void redact_all(std::string& text, const std::string& needle);

/// Overwrites a string's bytes before it is released.
void wipe(std::string& s) noexcept;

}  // namespace stytch::internal

#endif
