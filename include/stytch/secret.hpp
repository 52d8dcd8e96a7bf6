#ifndef STYTCH_SECRET_HPP
#define STYTCH_SECRET_HPP

/// @file stytch/secret.hpp
/// Secret: a string that never prints and is wiped from memory when dropped.

#include <stytch/export.hpp>

#include <cstddef>
#include <iosfwd>
#include <string>

namespace stytch {

/// Holds the project secret. It converts from a string, so
/// `options.secret = "secret-test-..."` works, but it never converts back:
/// streaming it prints `[REDACTED]`, and its bytes are overwritten before its
/// memory is released (on destruction, assignment and move).
class STYTCH_EXPORT Secret {
 public:
  /// An empty secret.
  Secret() = default;
  /// Takes the value; the string given is left as the caller had it.
  Secret(const std::string& value);  // NOLINT(google-explicit-constructor): assignment from a string is the point
  /// Takes the value of a C string.
  Secret(const char* value);  // NOLINT(google-explicit-constructor)
  /// Copies the value.
  Secret(const Secret& other);
  /// Copies the value, then wipes `other`.
  Secret(Secret&& other) noexcept;
  /// Wipes the current value, then copies.
  Secret& operator=(const Secret& other);
  /// Wipes the current value, then takes `other`'s and wipes it there.
  Secret& operator=(Secret&& other) noexcept;
  /// Wipes the value.
  ~Secret();

  /// Whether no secret is set.
  bool empty() const noexcept { return value_.empty(); }
  /// The secret's length in bytes.
  std::size_t size() const noexcept { return value_.size(); }
  /// The secret itself, for building credentials. Never log it.
  const std::string& reveal() const noexcept { return value_; }

 private:
  void wipe() noexcept;
  std::string value_;
};

/// Prints `[REDACTED]`, never the secret.
STYTCH_EXPORT std::ostream& operator<<(std::ostream& out, const Secret& secret);

}  // namespace stytch

#endif  // STYTCH_SECRET_HPP
