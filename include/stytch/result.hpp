#ifndef STYTCH_RESULT_HPP
#define STYTCH_RESULT_HPP

/// @file stytch/result.hpp
/// Result<T>: the value of a successful call or the Error of a failed one.

#include <stytch/error.hpp>

#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace stytch {

/// Holds either a T or an Error, never both and never neither.
/// Accessing the value of a failed Result throws stytch::Exception (it never
/// hands back a default value); accessing the error of a successful one throws
/// std::logic_error. A Result left unread is a compiler warning: a dropped
/// Result is a failure nobody saw.
template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<T, Error>, "Result<Error> is ambiguous");

 public:
  /// A successful result.
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  /// A failed result.
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  /// Whether the call succeeded.
  bool ok() const noexcept { return state_.index() == 0; }
  /// Whether the call succeeded: `if (result)`.
  explicit operator bool() const noexcept { return ok(); }

  /// The value; throws stytch::Exception carrying the Error on a failure.
  T& value() & {
    check();
    return std::get<0>(state_);
  }
  /// The value; throws stytch::Exception carrying the Error on a failure.
  const T& value() const& {
    check();
    return std::get<0>(state_);
  }
  /// The value, moved out; throws stytch::Exception on a failure.
  T&& value() && {
    check();
    return std::get<0>(std::move(state_));
  }

  /// The value, as value() gives it.
  T& operator*() & { return value(); }
  /// The value, as value() gives it.
  const T& operator*() const& { return value(); }
  /// The value, moved out, as value() gives it.
  T&& operator*() && { return std::move(*this).value(); }
  /// A member of the value; throws stytch::Exception on a failure.
  T* operator->() { return &value(); }
  /// A member of the value; throws stytch::Exception on a failure.
  const T* operator->() const { return &value(); }

  /// The error; throws std::logic_error when the Result holds a value.
  const Error& error() const& {
    if (ok()) throw std::logic_error("stytch::Result::error() called on a successful result");
    return std::get<1>(state_);
  }
  /// The error, moved out; throws std::logic_error when the Result holds a value.
  Error&& error() && {
    if (ok()) throw std::logic_error("stytch::Result::error() called on a successful result");
    return std::get<1>(std::move(state_));
  }

 private:
  void check() const {
    if (!ok()) throw Exception(std::get<1>(state_));
  }

  std::variant<T, Error> state_;
};

}  // namespace stytch

#endif  // STYTCH_RESULT_HPP
