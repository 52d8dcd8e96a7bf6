#include <stytch/secret.hpp>

#include <ostream>

namespace stytch {

Secret::Secret(const std::string& value) : value_(value) {}

Secret::Secret(const char* value) : value_(value != nullptr ? value : "") {}

Secret::Secret(const Secret& other) = default;

// A moved std::string can leave its bytes behind in a small-string buffer, so
// the value is copied and the source wiped instead.
Secret::Secret(Secret&& other) noexcept
    : value_(other.value_) {  // NOLINT(performance-move-constructor-init): copied on purpose, see above
  other.wipe();
}

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = other.value_;
    other.wipe();
  }
  return *this;
}

Secret::~Secret() { wipe(); }

void Secret::wipe() noexcept {
  volatile char* p = value_.data();
  for (std::size_t i = 0; i < value_.capacity(); ++i) p[i] = '\0';
  value_.clear();
}

std::ostream& operator<<(std::ostream& out, const Secret&) { return out << "[REDACTED]"; }

}  // namespace stytch
