#ifndef STYTCH_SRC_JSON_READER_HPP
#define STYTCH_SRC_JSON_READER_HPP

// A strict JSON reader for the hot path of JWT verification: it builds the
// same nlohmann::json as nlohmann's own parser (integers as in nlohmann:
// unsigned when not negative, double beyond 64 bits; a repeated key keeps
// the last value) several times faster, because it does not keep the text of
// every token for error messages. It refuses what RFC 8259 refuses, strings
// that are not UTF-8 (after escapes), and nesting deeper than 64. It can also
// walk an object member by member, so a caller reads the members it knows
// straight into its own types.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace stytch::internal {

/// Parses `text` as one JSON value; false (and `out` unspecified) when it is
/// not valid JSON.
bool read_json(std::string_view text, nlohmann::json& out);

class JsonReader {
 public:
  static constexpr int kMaxDepth = 64;

  explicit JsonReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  /// One whole value, and nothing after it.
  bool document(nlohmann::json& out);

  /// Walking an object: open_object() consumes '{'; next_member() gives each
  /// key in turn (the reader then stands at its value, to be read with
  /// value() or string()), and false at the closing '}' or on a syntax error
  /// (then failed() is true).
  bool open_object();
  bool next_member(bool& first, std::string& key);
  /// Whether the next character (after white space) is `c`.
  bool next_is(char c);
  /// A value nested `depth` levels deep.
  bool value(nlohmann::json& out, int depth);
  /// A string value (the reader must stand at its opening quote).
  bool string(std::string& out);
  /// Only white space left.
  bool at_end() {
    skip_space();
    return p_ == end_;
  }
  bool failed() const noexcept { return failed_; }

 private:
  bool fail() {
    failed_ = true;
    return false;
  }
  void skip_space();
  bool literal(std::string_view word);
  bool object(nlohmann::json& out, int depth);
  bool array(nlohmann::json& out, int depth);
  static void append_utf8(std::string& out, std::uint32_t cp);
  bool hex4(std::uint32_t& out);
  bool utf8_sequence(std::string& out);
  bool number(nlohmann::json& out);

  const char* p_;
  const char* end_;
  bool failed_ = false;
};

}  // namespace stytch::internal

#endif
