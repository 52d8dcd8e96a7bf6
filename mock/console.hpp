#ifndef STYTCH_MOCK_CONSOLE_HPP
#define STYTCH_MOCK_CONSOLE_HPP

// The stytch-mock console: a page at /_mock/ that shows the outbox, users and
// sessions, live, with controls for the clock and the state. Its page, script
// and style are compiled in (mock/console/); its data is GET /_mock/state.

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace httplib {
class Server;
}

namespace stytch::mock {

class Service;

struct ConsoleConfig {
  /// Whether the mock serves https (the console's own origin is then https).
  bool https = false;
  /// The port the mock listens on, known once it is bound.
  std::function<int()> port;
  /// Brings the mock back to its state at start (POST /_mock/reset).
  std::function<void()> reset;
  /// Adds to the state document (GET /_mock/state): the B2B side's part.
  std::function<void(nlohmann::json&)> extend_state;
};

/// The routes of the console (GET /_mock, /_mock/, /_mock/state and the page's
/// script, style and icon; POST /_mock/reset), and a guard on every /_mock
/// path: requests must name a loopback host and this port in Host (against
/// DNS rebinding), and anything but GET or HEAD from a browser must come from
/// the mock's own origin.
void install_console(httplib::Server& server, Service& service, ConsoleConfig config);

/// Whether a request's Host header names this mock (127.0.0.1, localhost or
/// [::1], with its port).
bool console_host_allowed(const std::string& host, int port, bool https);

/// Whether a request's Origin header is the mock's own origin.
bool console_origin_allowed(const std::string& origin, int port, bool https);

}  // namespace stytch::mock

#endif
