#ifndef STYTCH_CLIENT_HPP
#define STYTCH_CLIENT_HPP

/// @file stytch/client.hpp
/// StytchClient, the entry point, and the options it is built from.

#include <stytch/b2b.hpp>
#include <stytch/export.hpp>
#include <stytch/logging.hpp>
#include <stytch/otps.hpp>
#include <stytch/retry.hpp>
#include <stytch/secret.hpp>
#include <stytch/sessions.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace stytch {

/// How a StytchClient reaches Stytch. Only project_id and secret are required.
struct ClientOptions {
  /// The project id, "project-test-..." or "project-live-...".
  std::string project_id;
  /// The project secret. Never printed, logged or put in an error; wiped
  /// from memory when the options and the client go away.
  Secret secret;
  /// Where the API lives. Empty: https://api.stytch.com/ for a project id that
  /// starts with "project-live-", https://test.stytch.com/ otherwise. Must be
  /// https, or plain http to a loopback host (127.0.0.0/8, ::1, localhost).
  std::string base_url;
  /// Limit for a whole call, from connecting to the last byte of the answer.
  std::chrono::milliseconds timeout{31000};
  /// Limit for establishing the connection (TCP and TLS).
  std::chrono::milliseconds connect_timeout{10000};
  /// A PEM file of extra certificate authorities to trust (a private CA),
  /// in addition to the system's. Verification itself is always on.
  std::string ca_file;
  /// A proxy URL (such as "http://proxy.internal:3128"). Empty: libcurl's
  /// usual proxy environment variables apply.
  std::string proxy;
  /// Appended to the User-Agent, to name the application ("my-app/1.2").
  std::string user_agent_suffix;
  /// Most async calls queued or in flight at once; a further call waits for
  /// a slot (back-pressure), except from inside a callback.
  std::size_t max_in_flight = 1024;
  /// Most connections async calls open to the API host; more calls wait
  /// for a free connection (or share one over HTTP/2).
  std::size_t max_connections = 64;
  /// Speak HTTP/1.1 only. By default HTTP/2 is used when the server offers
  /// it and the libcurl loaded at run time tells a refused HTTP/2 stream
  /// from a processed one (libcurl 8.14.1 or newer, built with HTTP/2 and
  /// OpenSSL); async calls are then multiplexed over its connections. With
  /// an older libcurl (Debian 12's 7.88), HTTP/1.1 is always used, since a
  /// resend there could be a duplicate (see the README's delivery rules).
  bool force_http1 = false;
  /// A pooled connection idle for longer than this is not reused: the call
  /// opens a new one. The client also learns the shortest idle time after
  /// which the server closed one of its connections, and from then on reuses
  /// none idle for more than 3/4 of it, so that a request is not written into
  /// a connection the server is closing at that moment.
  std::chrono::milliseconds max_idle_reuse{30000};
  /// When a failed call is tried again; by default never (see RetryPolicy).
  RetryPolicy retry;
  /// Receives a record of each request (method, path, status, duration,
  /// attempt, request id, allow-listed headers; never bodies or secrets).
  /// Empty, the default: nothing is logged.
  LogSink log_sink;
  /// The time session JWTs are verified at (exp, nbf, iat, max_token_age)
  /// and the JWKS cache ages by, consumer and B2B alike. Empty, the default:
  /// the system clock. Tests set it to move time without waiting; it must be
  /// thread-safe.
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// The client for the Stytch API. Safe to share across threads; copies share
/// the same connections. Connections and TLS sessions are reused across calls.
class STYTCH_EXPORT StytchClient {
 public:
  /// Checks the options and prepares the transport; throws stytch::Exception
  /// (kind invalid_argument) when they are unusable. Sends nothing.
  explicit StytchClient(const ClientOptions& options);

  /// Builds a client from STYTCH_PROJECT_ID, STYTCH_SECRET and, when set,
  /// STYTCH_BASE_URL. Throws stytch::Exception when one is missing or bad.
  static StytchClient from_env();

  /// The base URL calls go to, always ending in '/'.
  const std::string& base_url() const noexcept;

  /// The User-Agent sent with every call.
  const std::string& user_agent() const noexcept;

  /// Whether calls offer HTTP/2 to the server (which may still answer in
  /// HTTP/1.1): false with force_http1, a plain-http base URL, or a libcurl
  /// that cannot tell a refused HTTP/2 stream from a processed one (older
  /// than 8.14.1, or without HTTP/2 or OpenSSL).
  bool offers_http2() const noexcept;

 private:
  StytchClient(std::shared_ptr<internal::Core> core, const std::string& project_id);
  std::shared_ptr<internal::Core> core_;

 public:
  /// The one-time passcode calls: `client.otps.sms.send(params)`.
  Otps otps;
  /// The session calls and local JWT verification:
  /// `client.sessions.authenticate_jwt_local(params)`.
  Sessions sessions;
  /// The B2B calls: `client.b2b.otps.email.authenticate(params)`.
  B2B b2b;
};

}  // namespace stytch

#endif  // STYTCH_CLIENT_HPP
