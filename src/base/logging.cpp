#include <stytch/logging.hpp>

#include <array>
#include <cctype>
#include <cstring>

namespace stytch {

bool is_loggable_header(const std::string& name) noexcept {
  static constexpr std::array<const char*, 12> kAllowed = {
      "content-type", "content-length", "accept",     "user-agent",   "date",          "server",
      "connection",   "retry-after",    "request-id", "x-request-id", "cache-control", "transfer-encoding"};
  for (const char* allowed : kAllowed) {
    if (std::strlen(allowed) != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(name[i])) == allowed[i];
    }
    if (same) return true;
  }
  return false;
}

std::string LogRecord::to_string() const {
  std::string line = method + " " + path + " status=" + std::to_string(status) +
                     " duration_ms=" + std::to_string(duration.count()) + " attempt=" + std::to_string(attempt);
  if (sends > 1) line += " sends=" + std::to_string(sends);
  if (!request_id.empty()) line += " request_id=" + request_id;
  if (error) line += std::string(" error=") + stytch::to_string(*error);
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';  // one line, whatever came
  }
  return line;
}

}  // namespace stytch
