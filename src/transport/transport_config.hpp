#ifndef STYTCH_SRC_TRANSPORT_CONFIG_HPP
#define STYTCH_SRC_TRANSPORT_CONFIG_HPP

// What the transport is built from, what a request is, and what comes back.

#include <stytch/error.hpp>
#include <stytch/secret.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

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
  /// Speak HTTP/1.1 only (no HTTP/2, so no multiplexing): asked for, or
  /// the loaded libcurl cannot tell refused HTTP/2 streams apart.
  bool force_http1 = false;
  /// libcurl's ALPN report on each new connection is read (the protocol of
  /// a connection, which the delivery rules need before the write). Off
  /// only in tests, to play a TLS backend that reports none.
  bool read_alpn_reports = true;
  /// A pooled connection idle longer than this is not reused.
  std::chrono::milliseconds max_idle_reuse{30000};
  /// Async calls queued or in flight; more wait for a slot.
  std::size_t max_in_flight = 1024;
  /// Connections to the host at most, blocking and async calls together.
  std::size_t max_connections = 64;
  std::size_t max_response_bytes = std::size_t{4} * 1024 * 1024;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  /// Filled only when the transport was asked to capture headers.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Times the request was sent to get this answer (more than 1 after an
  /// automatic resend).
  int attempts = 1;
};

enum class HttpMethod { post, get };

struct Request {
  HttpMethod method = HttpMethod::post;
  std::string url;
  std::string body;  // POST only
};

/// The answer (any HTTP status), or the Error when no usable answer came.
using Outcome = std::variant<HttpResponse, Error>;

/// Called once with the outcome of an async request.
using Completion = std::function<void(Outcome)>;

}  // namespace stytch::internal

#endif
