#ifndef STYTCH_TESTS_MOCK_OUTBOX_HPP
#define STYTCH_TESTS_MOCK_OUTBOX_HPP

// Reading stytch-mock's outbox (GET /_mock/messages) from a test.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace stytch::test {

/// Every message the mock on this port would have delivered, oldest first
/// (over TLS, not verified, for a mock serving https).
inline nlohmann::json outbox_messages(int port, bool https = false) {
  httplib::Client http((https ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port));
  http.enable_server_certificate_verification(false);
  auto res = http.Get("/_mock/messages");
  if (!res || res->status != 200) throw std::runtime_error("cannot read the mock's outbox");
  return nlohmann::json::parse(res->body).at("messages");
}

/// The code last delivered to a destination; empty when none was.
inline std::string last_code(int port, const std::string& destination, bool https = false) {
  std::string code;
  for (const auto& m : outbox_messages(port, https)) {
    if (m.at("destination") == destination) code = m.at("code").get<std::string>();
  }
  return code;
}

}  // namespace stytch::test

#endif
