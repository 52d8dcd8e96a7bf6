#ifndef STYTCH_LOGGING_HPP
#define STYTCH_LOGGING_HPP

/// @file stytch/logging.hpp
/// An optional hook that reports each HTTP exchange, never its secrets.

#include <stytch/error.hpp>
#include <stytch/export.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stytch {

/// One request and its outcome, as reported to a LogSink. Bodies are never
/// included (they hold phone numbers, email addresses and codes), and a
/// header value reads `REDACTED` unless the header is on a short allow-list
/// (Content-Type, Content-Length, Accept, User-Agent, Date, Server,
/// Connection, Retry-After, Request-Id, X-Request-Id, Cache-Control,
/// Transfer-Encoding).
struct STYTCH_EXPORT LogRecord {
  std::string method;                     ///< "POST".
  std::string path;                       ///< The URL path, such as "/v1/otps/sms/send".
  int status = 0;                         ///< The HTTP status, 0 when no answer came.
  std::chrono::milliseconds duration{0};  ///< From sending to the end of the answer.
  int attempt = 1;                        ///< Which attempt this was, from 1 (see RetryPolicy).
  /// Times this attempt's request went out: above 1 when the SDK sent it
  /// again because the server provably had not processed it (a refused
  /// HTTP/2 stream, a connection closed before use; see the README).
  int sends = 1;
  std::string request_id;          ///< Stytch's request id, when the answer had one.
  std::optional<ErrorKind> error;  ///< The kind of failure, when the call failed.
  /// The request headers sent, values outside the allow-list redacted.
  std::vector<std::pair<std::string, std::string>> request_headers;
  /// The response headers received, values outside the allow-list redacted.
  std::vector<std::pair<std::string, std::string>> response_headers;

  /// One line: method, path, status, duration, attempt, request id, error.
  std::string to_string() const;
};

/// Receives a LogRecord after each request. Called on the thread that made
/// the call; an exception it throws is swallowed.
using LogSink = std::function<void(const LogRecord&)>;

/// Whether a header's value may be logged (case-insensitive name).
STYTCH_EXPORT bool is_loggable_header(const std::string& name) noexcept;

}  // namespace stytch

#endif  // STYTCH_LOGGING_HPP
