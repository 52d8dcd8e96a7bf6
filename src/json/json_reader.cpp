#include "json/json_reader.hpp"

#include <array>

#include <charconv>
#include <cstdint>
#include <string>

// Floating-point std::from_chars: libstdc++ 11+, MSVC; libc++ only from 17.
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
#define STYTCH_HAVE_FLOAT_FROM_CHARS 1
#elif defined(__GLIBCXX__) && defined(_GLIBCXX_RELEASE) && _GLIBCXX_RELEASE >= 11
#define STYTCH_HAVE_FLOAT_FROM_CHARS 1
#else
#define STYTCH_HAVE_FLOAT_FROM_CHARS 0
#endif

namespace stytch::internal {

bool JsonReader::document(nlohmann::json& out) {
  if (!value(out, 0)) return false;
  skip_space();
  return p_ == end_;
}

void JsonReader::skip_space() {
  while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
}

bool JsonReader::literal(std::string_view word) {
  if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
  p_ += word.size();
  return true;
}

bool JsonReader::value(nlohmann::json& out, int depth) {
  skip_space();
  if (p_ == end_) return false;
  switch (*p_) {
    case '{':
      return object(out, depth + 1);
    case '[':
      return array(out, depth + 1);
    case '"': {
      std::string s;
      if (!string(s)) return false;
      out = std::move(s);
      return true;
    }
    case 't':
      out = true;
      return literal("true");
    case 'f':
      out = false;
      return literal("false");
    case 'n':
      out = nullptr;
      return literal("null");
    default:
      return number(out);
  }
}

bool JsonReader::object(nlohmann::json& out, int depth) {
  if (depth > kMaxDepth) return false;
  ++p_;  // '{'
  out = nlohmann::json::object();
  auto& members = out.get_ref<nlohmann::json::object_t&>();
  skip_space();
  if (p_ != end_ && *p_ == '}') {
    ++p_;
    return true;
  }
  for (;;) {
    skip_space();
    if (p_ == end_ || *p_ != '"') return false;
    std::string key;
    if (!string(key)) return false;
    skip_space();
    if (p_ == end_ || *p_ != ':') return false;
    ++p_;
    nlohmann::json& slot = members[std::move(key)];
    if (!value(slot, depth)) return false;
    skip_space();
    if (p_ == end_) return false;
    if (*p_ == ',') {
      ++p_;
      continue;
    }
    if (*p_ != '}') return false;
    ++p_;
    return true;
  }
}

bool JsonReader::array(nlohmann::json& out, int depth) {
  if (depth > kMaxDepth) return false;
  ++p_;  // '['
  out = nlohmann::json::array();
  auto& elements = out.get_ref<nlohmann::json::array_t&>();
  skip_space();
  if (p_ != end_ && *p_ == ']') {
    ++p_;
    return true;
  }
  for (;;) {
    elements.emplace_back();
    if (!value(elements.back(), depth)) return false;
    skip_space();
    if (p_ == end_) return false;
    if (*p_ == ',') {
      ++p_;
      continue;
    }
    if (*p_ != ']') return false;
    ++p_;
    return true;
  }
}

void JsonReader::append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0U | (cp >> 6U));
    out += static_cast<char>(0x80U | (cp & 0x3FU));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0U | (cp >> 12U));
    out += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
    out += static_cast<char>(0x80U | (cp & 0x3FU));
  } else {
    out += static_cast<char>(0xF0U | (cp >> 18U));
    out += static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU));
    out += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
    out += static_cast<char>(0x80U | (cp & 0x3FU));
  }
}

bool JsonReader::hex4(std::uint32_t& out) {
  if (end_ - p_ < 4) return false;
  out = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = *p_++;
    std::uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    out = (out << 4U) | digit;
  }
  return true;
}

// One UTF-8 sequence starting at p_ (a lead byte >= 0x80), copied to out.
bool JsonReader::utf8_sequence(std::string& out) {
  const auto b0 = static_cast<unsigned char>(*p_);
  int length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;   // no overlong forms
    if (b0 == 0xED) high = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return false;
  }
  if (end_ - p_ < length) return false;
  for (int i = 1; i < length; ++i) {
    const auto b = static_cast<unsigned char>(p_[i]);
    if (i == 1 ? (b < low || b > high) : (b < 0x80 || b > 0xBF)) return false;
  }
  out.append(p_, static_cast<std::size_t>(length));
  p_ += length;
  return true;
}

namespace {

// The bytes a JSON string holds as they are: not '"', not '\\', not a
// control character, not the start of a UTF-8 sequence (checked apart).
constexpr std::array<bool, 256> plain_string_bytes() {
  std::array<bool, 256> plain{};
  for (unsigned c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}
constexpr std::array<bool, 256> kPlainStringByte = plain_string_bytes();

}  // namespace

bool JsonReader::string(std::string& out) {
  ++p_;  // '"'
  for (;;) {
    const char* run = p_;
    while (p_ != end_ && kPlainStringByte[static_cast<unsigned char>(*p_)]) ++p_;
    out.append(run, static_cast<std::size_t>(p_ - run));
    if (p_ == end_) return false;
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      ++p_;
      return true;
    }
    if (c < 0x20) return false;
    if (c >= 0x80) {
      if (!utf8_sequence(out)) return false;
      continue;
    }
    ++p_;  // '\\'
    if (p_ == end_) return false;
    const char e = *p_++;
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out += e;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        std::uint32_t cp = 0;
        if (!hex4(cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::uint32_t low = 0;
          if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
          p_ += 2;
          if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10U) + (low - 0xDC00);
        }
        append_utf8(out, cp);
        break;
      }
      default:
        return false;
    }
  }
}

bool JsonReader::number(nlohmann::json& out) {
  const char* start = p_;
  const bool negative = p_ != end_ && *p_ == '-';
  if (negative) ++p_;
  auto digits = [&] {
    const char* from = p_;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ - from;
  };
  if (p_ == end_) return false;
  if (*p_ == '0') {
    ++p_;
  } else if (digits() == 0) {
    return false;
  }
  bool integral = true;
  if (p_ != end_ && *p_ == '.') {
    ++p_;
    if (digits() == 0) return false;
    integral = false;
  }
  if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
    ++p_;
    if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (digits() == 0) return false;
    integral = false;
  }
  if (integral) {
    if (negative) {
      std::int64_t v = 0;
      auto [ptr, ec] = std::from_chars(start, p_, v);
      if (ec == std::errc() && ptr == p_) {
        out = v;
        return true;
      }
    } else {
      std::uint64_t v = 0;
      auto [ptr, ec] = std::from_chars(start, p_, v);
      if (ec == std::errc() && ptr == p_) {
        out = v;
        return true;
      }
    }
  }
#if STYTCH_HAVE_FLOAT_FROM_CHARS
  double d = 0;
  auto [ptr, ec] = std::from_chars(start, p_, d);
  if (ec == std::errc::result_out_of_range) {
    // Rare: too large (refused) or too small (zero or subnormal); nlohmann decides.
    out = nlohmann::json::parse(start, p_, nullptr, false);
    return !out.is_discarded();
  }
  if (ec != std::errc() || ptr != p_) return false;
  out = d;
  return true;
#else
  // A standard library without floating-point from_chars (libc++ before 17,
  // Apple's): nlohmann's own number parser, which ignores the locale.
  out = nlohmann::json::parse(start, p_, nullptr, false);
  return !out.is_discarded() && out.is_number();
#endif
}

bool JsonReader::next_member(bool& first, std::string& key) {
  skip_space();
  if (p_ == end_) return fail();
  if (*p_ == '}') {
    ++p_;
    return false;
  }
  if (!first) {
    if (*p_ != ',') return fail();
    ++p_;
    skip_space();
  }
  first = false;
  if (p_ == end_ || *p_ != '"') return fail();
  key.clear();
  if (!string(key)) return fail();
  skip_space();
  if (p_ == end_ || *p_ != ':') return fail();
  ++p_;
  return true;
}

bool JsonReader::open_object() {
  skip_space();
  if (p_ == end_ || *p_ != '{') return fail();
  ++p_;
  return true;
}

bool JsonReader::next_is(char c) {
  skip_space();
  return p_ != end_ && *p_ == c;
}

bool read_json(std::string_view text, nlohmann::json& out) { return JsonReader(text).document(out); }

}  // namespace stytch::internal
