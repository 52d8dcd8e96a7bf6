#ifndef STYTCH_ERROR_HPP
#define STYTCH_ERROR_HPP

/// @file stytch/error.hpp
/// What a failed call tells its caller: one Error value that keeps all the
/// information the server or the transport gave.

#include <stytch/export.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

namespace stytch {

/// The family of a failure: what happened, and so what a caller can do.
enum class ErrorKind {
  /// Stytch answered with an error (HTTP status >= 400 and a Stytch error body).
  api,
  /// The input was refused before anything was sent (or the options were bad).
  invalid_argument,
  /// No HTTP answer: connection refused or reset, TLS or DNS failure.
  network,
  /// The configured connect or total timeout elapsed.
  timeout,
  /// An HTTP answer came but could not be read as the expected JSON.
  decode,
  /// The client was destroyed before the call completed (async calls
  /// pending at shutdown). may_have_reached_server tells whether it had
  /// been sent.
  cancelled,
  /// A session JWT refused by local verification; error_type says why
  /// (jwt_malformed, jwt_algorithm, jwt_unknown_key, jwt_signature,
  /// jwt_audience, jwt_issuer, jwt_expired, jwt_not_yet_valid, jwt_too_old,
  /// jwt_claims).
  invalid_jwt,
};

/// The name of an ErrorKind as it is spelled in code ("api", "network" ...).
STYTCH_EXPORT const char* to_string(ErrorKind kind) noexcept;

/// A failed call. Every field that the server or transport supplied is kept.
/// Nothing in an Error ever holds the project secret, so message() is safe
/// to log.
struct STYTCH_EXPORT Error {
  /// What happened: the family of the failure.
  ErrorKind kind = ErrorKind::network;
  /// The HTTP status of the answer, 0 when there was no HTTP answer.
  int http_status = 0;
  /// Stytch's request id, when the answer carried one.
  std::string request_id;
  /// Stytch's error type ("invalid_phone_number" ...) for api errors, the
  /// reason ("jwt_expired" ...) for invalid_jwt, empty otherwise.
  std::string error_type;
  /// Stytch's message for api errors; a description of the failure otherwise.
  std::string error_message;
  /// Stytch's documentation link for the error, when given.
  std::string error_url;
  /// Stytch's structured details, when given (null otherwise).
  nlohmann::json error_details;
  /// For decode errors: the start of the body that could not be read.
  std::string body_excerpt;
  /// The whole answer when it was JSON (the Stytch error body, or a body of
  /// an unexpected shape); null otherwise. Nothing the server said is lost.
  nlohmann::json raw;
  /// For network and timeout errors: the libcurl result code (0 otherwise).
  int transport_code = 0;
  /// How many times the request was attempted (0: refused before sending).
  int attempts = 0;
  /// Whether the request may have reached the server: some of it was sent,
  /// or an answer came. False means it certainly was not run.
  bool may_have_reached_server = false;
  /// The wait the server asked for with Retry-After (on a 429 or 503), 0
  /// when it gave none.
  std::chrono::milliseconds retry_after{0};

  /// One readable line that sums the error up; safe to log.
  std::string message() const;
};

/// Thrown by constructors given bad options and by Result::value() on a
/// failure. Carries the full Error.
class STYTCH_EXPORT Exception : public std::runtime_error {
 public:
  /// Wraps the Error; what() is error.message().
  explicit Exception(Error error);
  /// The Error, with every field.
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

}  // namespace stytch

#endif  // STYTCH_ERROR_HPP
