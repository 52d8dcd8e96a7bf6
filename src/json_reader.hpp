#ifndef STYTCH_SRC_JSON_READER_HPP
#define STYTCH_SRC_JSON_READER_HPP

// A strict JSON reader for the hot path of JWT verification: it builds the
// same nlohmann::json as nlohmann's own parser (integers as in nlohmann:
// unsigned when not negative, double beyond 64 bits; a repeated key keeps
// the last value) several times faster, because it does not keep the text of
// every token for error messages. It refuses what RFC 8259 refuses, strings
// that are not UTF-8 (after escapes), and nesting deeper than 64.

#include <nlohmann/json.hpp>

#include <string_view>

namespace stytch::internal {

/// Parses `text` as one JSON value; false (and `out` unspecified) when it is
/// not valid JSON.
bool read_json(std::string_view text, nlohmann::json& out);

}  // namespace stytch::internal

#endif
