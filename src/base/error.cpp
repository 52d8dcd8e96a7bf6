#include <stytch/error.hpp>

#include <utility>

namespace stytch {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::api:
      return "api";
    case ErrorKind::invalid_argument:
      return "invalid_argument";
    case ErrorKind::network:
      return "network";
    case ErrorKind::timeout:
      return "timeout";
    case ErrorKind::decode:
      return "decode";
    case ErrorKind::cancelled:
      return "cancelled";
    case ErrorKind::invalid_jwt:
      return "invalid_jwt";
  }
  return "unknown";
}

namespace {

// Server-supplied text goes into one log line: line breaks and other control
// characters become spaces so they cannot forge further lines.
void append_one_line(std::string& out, const std::string& text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7F) ? ' ' : c;
  }
}

}  // namespace

std::string Error::message() const {
  std::string out = to_string(kind);
  out += " error";
  if (http_status != 0 || !error_type.empty()) {
    out += " (";
    if (http_status != 0) {
      out += "HTTP ";
      out += std::to_string(http_status);
      if (!error_type.empty()) out += ", ";
    }
    append_one_line(out, error_type);
    out += ")";
  }
  if (!error_message.empty()) {
    out += ": ";
    append_one_line(out, error_message);
  }
  if (!body_excerpt.empty()) {
    out += "; body starts: ";
    out += body_excerpt;
  }
  if (!request_id.empty()) {
    out += " [request_id: ";
    append_one_line(out, request_id);
    out += "]";
  }
  return out;
}

Exception::Exception(Error error) : std::runtime_error(error.message()), error_(std::move(error)) {}

}  // namespace stytch
