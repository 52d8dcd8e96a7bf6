#ifndef STYTCH_MOCK_MOCK_SERVER_HPP
#define STYTCH_MOCK_MOCK_SERVER_HPP

// stytch-mock: a local stand-in for the Stytch API, for tests and demos.

#include <memory>
#include <string>
#include <vector>

namespace stytch::mock {

struct MockOptions {
  /// Must be a loopback address.
  std::string host = "127.0.0.1";
  /// 0 picks a free port.
  int port = 0;
  /// The credentials the mock accepts (HTTP Basic).
  std::string project_id = "project-test-00000000-0000-4000-8000-000000000000";
  std::string secret = "secret-test-mock-0000000000000000000000000000";
  /// Serve https instead of http.
  bool https = false;
  /// PEM files for https; when empty a CA and a server certificate are made
  /// and written into tls_dir (ca.pem, server.pem, server-key.pem).
  std::string cert_file;
  std::string key_file;
  std::string tls_dir;
  /// Phone numbers (E.164) or email addresses of users that exist from the start.
  std::vector<std::string> users;
  /// B2B organizations and members that exist from the start (and after a
  /// reset): JSON documents {"organizations": [{<organizations.create body>,
  /// "members": [<members.create body>, ...]}]}, as POST /_mock/b2b/seed takes.
  std::vector<std::string> b2b_seeds;
  /// When > 0, codes live this many seconds whatever expiration_minutes says.
  long code_lifetime_seconds = 0;
  /// Sends allowed per destination (and channel) within rate_window_seconds;
  /// more answer 429 too_many_requests. 0 turns the limit off.
  int rate_limit = 10;
  long rate_window_seconds = 60;
  /// Added to the real clock; POST /_mock/clock {"advance_seconds": N} adds more.
  long clock_offset_seconds = 0;
};

class MockServer {
 public:
  /// Binds the port (throws std::runtime_error when it cannot).
  explicit MockServer(MockOptions options);
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  int port() const;
  /// "http://127.0.0.1:PORT/" or "https://localhost:PORT/"-style base URL.
  std::string base_url() const;
  /// For https with a generated certificate: the CA file to trust.
  std::string ca_file() const;

  /// Serves in a background thread until stop().
  void start();
  /// Serves on the calling thread until stop() is called from elsewhere.
  void run();
  void stop();

  /// Moves the mock's clock forward, as POST /_mock/clock does.
  void advance_clock(long seconds);
  /// JWKS requests served so far (GET /v1/sessions/jwks/...).
  long jwks_requests() const;
  /// Adds a session JWT signing key, as POST /_mock/keys/rotate does; the old
  /// keys stay in the JWKS. Gives the new kid.
  std::string rotate_keys();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stytch::mock

#endif
