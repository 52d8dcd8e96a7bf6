#ifndef STYTCH_TESTS_MOCK_OUTBOX_HPP
#define STYTCH_TESTS_MOCK_OUTBOX_HPP

// Reading stytch-mock's outbox (GET /_mock/messages) from a test.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace stytch::test {

/// Every message the mock on this port would have delivered, oldest first.
inline nlohmann::json outbox_messages(int port) {
  httplib::Client http("127.0.0.1", port);
  auto res = http.Get("/_mock/messages");
  if (!res || res->status != 200) throw std::runtime_error("cannot read the mock's outbox");
  return nlohmann::json::parse(res->body).at("messages");
}

/// The code last delivered to a destination; empty when none was.
inline std::string last_code(int port, const std::string& destination) {
  std::string code;
  for (const auto& m : outbox_messages(port)) {
    if (m.at("destination") == destination) code = m.at("code").get<std::string>();
  }
  return code;
}

}  // namespace stytch::test

#endif
