#include "platform/http_date.hpp"

#include <array>
#include <cstddef>

namespace stytch::platform {

namespace {

constexpr long long kHttpDateSecondsPerDay = 86400;

constexpr std::array<std::string_view, 7> kHttpDateShortDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kHttpDateLongDays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                            "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kHttpDateMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Reads a text left to right; each step takes exactly what the grammar
// says or fails, leaving the rest as it was.
class HttpDateReader {
 public:
  explicit HttpDateReader(std::string_view text) noexcept : rest_(text) {}

  bool literal(std::string_view expected) noexcept {
    if (rest_.substr(0, expected.size()) != expected) return false;
    rest_.remove_prefix(expected.size());
    return true;
  }

  // One of the names, compared case-sensitively; its position in `names`.
  template <std::size_t N>
  bool name(const std::array<std::string_view, N>& names, int& index) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
      if (literal(names[i])) {
        index = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }

  bool digits(int count, int& value) noexcept {
    const auto wanted = static_cast<std::size_t>(count);
    if (rest_.size() < wanted) return false;
    int read = 0;
    for (std::size_t i = 0; i < wanted; ++i) {
      const char c = rest_[i];
      if (c < '0' || c > '9') return false;
      read = read * 10 + (c - '0');
    }
    rest_.remove_prefix(wanted);
    value = read;
    return true;
  }

  bool at_end() const noexcept { return rest_.empty(); }

 private:
  std::string_view rest_;
};

struct HttpDateFields {
  long long year = 0;
  int month = 0;  // 1-12
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

bool http_date_is_leap(long long year) noexcept { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int http_date_days_in_month(long long year, int month) noexcept {
  constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && http_date_is_leap(year)) return 29;
  return kDays[static_cast<std::size_t>(month - 1)];
}

// time-of-day = hour ":" minute ":" second, two digits each.
bool http_date_time_of_day(HttpDateReader& in, HttpDateFields& fields) noexcept {
  return in.digits(2, fields.hour) && in.literal(":") && in.digits(2, fields.minute) && in.literal(":") &&
         in.digits(2, fields.second);
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
bool http_date_imf_fixdate(std::string_view text, HttpDateFields& fields) noexcept {
  HttpDateReader in(text);
  int weekday = 0;
  int year = 0;
  if (!(in.name(kHttpDateShortDays, weekday) && in.literal(", ") && in.digits(2, fields.day) && in.literal(" ") &&
        in.name(kHttpDateMonths, fields.month) && in.literal(" ") && in.digits(4, year) && in.literal(" ") &&
        http_date_time_of_day(in, fields) && in.literal(" GMT") && in.at_end())) {
    return false;
  }
  ++fields.month;
  fields.year = year;
  return true;
}

// RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; the century comes later.
bool http_date_rfc850(std::string_view text, HttpDateFields& fields, int& two_digit_year) noexcept {
  HttpDateReader in(text);
  int weekday = 0;
  if (!(in.name(kHttpDateLongDays, weekday) && in.literal(", ") && in.digits(2, fields.day) && in.literal("-") &&
        in.name(kHttpDateMonths, fields.month) && in.literal("-") && in.digits(2, two_digit_year) && in.literal(" ") &&
        http_date_time_of_day(in, fields) && in.literal(" GMT") && in.at_end())) {
    return false;
  }
  ++fields.month;
  return true;
}

// asctime: "Sun Nov  6 08:49:37 1994" (the day is two digits, or a space
// and one digit).
bool http_date_asctime(std::string_view text, HttpDateFields& fields) noexcept {
  HttpDateReader in(text);
  int weekday = 0;
  int year = 0;
  if (!(in.name(kHttpDateShortDays, weekday) && in.literal(" ") && in.name(kHttpDateMonths, fields.month) &&
        in.literal(" "))) {
    return false;
  }
  const bool day_read = in.literal(" ") ? in.digits(1, fields.day) : in.digits(2, fields.day);
  if (!(day_read && in.literal(" ") && http_date_time_of_day(in, fields) && in.literal(" ") && in.digits(4, year) &&
        in.at_end())) {
    return false;
  }
  ++fields.month;
  fields.year = year;
  return true;
}

bool http_date_valid(const HttpDateFields& fields) noexcept {
  if (fields.month < 1 || fields.month > 12) return false;
  const int last_day = http_date_days_in_month(fields.year, fields.month);
  if (fields.day < 1 || fields.day > last_day) return false;
  if (fields.hour > 23 || fields.minute > 59) return false;
  // A leap second is inserted as 23:59:60 at the end of a month.
  if (fields.second == 60) return fields.hour == 23 && fields.minute == 59 && fields.day == last_day;
  return fields.second <= 59;
}

long long http_date_seconds(const HttpDateFields& fields) noexcept {
  return days_from_civil(fields.year, fields.month, fields.day) * kHttpDateSecondsPerDay + fields.hour * 3600LL +
         fields.minute * 60LL + fields.second;
}

// The date of a day counted from 1970-01-01: the inverse of days_from_civil.
HttpDateFields http_date_civil_from_days(long long days) noexcept {
  days += 719468;  // from 0000-03-01, where the 400-year cycles start
  const long long era = (days >= 0 ? days : days - 146096) / 146097;
  const long long day_of_era = days - era * 146097;  // [0, 146096]
  const long long year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;                 // [0, 399]
  const long long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // [0, 365]
  const long long shifted_month = (5 * day_of_year + 2) / 153;  // [0, 11], from March
  HttpDateFields fields;
  fields.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  fields.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  fields.year = year_of_era + era * 400 + (fields.month <= 2 ? 1 : 0);
  return fields;
}

long long http_date_floor_div(long long a, long long b) noexcept { return a / b - ((a % b != 0 && a < 0) ? 1 : 0); }

// RFC 9110 section 5.6.7: a two-digit year more than 50 years in the future
// is the most recent past year with the same last two digits. So: the
// latest year ending in those digits that is not more than 50 years after
// `now`.
void http_date_pick_century(HttpDateFields& fields, int two_digit_year, long long now) noexcept {
  const long long today = http_date_floor_div(now, kHttpDateSecondsPerDay);
  const HttpDateFields now_date = http_date_civil_from_days(today);
  const long long limit = days_from_civil(now_date.year + 50, now_date.month, now_date.day) * kHttpDateSecondsPerDay +
                          (now - today * kHttpDateSecondsPerDay);
  const long long century = now_date.year - (now_date.year % 100 + 100) % 100;
  for (long long year = century + 100 + two_digit_year; year >= century - 100; year -= 100) {
    fields.year = year;
    if (http_date_seconds(fields) <= limit) return;
  }
}

}  // namespace

long long days_from_civil(long long year, int month, int day) noexcept {
  // Counted in 400-year cycles that start on March 1st, so that February's
  // leap day ends a year.
  year -= month <= 2 ? 1 : 0;
  const long long era = (year >= 0 ? year : year - 399) / 400;
  const long long year_of_era = year - era * 400;                                                 // [0, 399]
  const long long day_of_year = (153LL * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  // [0, 365]
  const long long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

std::optional<long long> parse_http_date(std::string_view text, long long now) noexcept {
  HttpDateFields fields;
  int two_digit_year = 0;
  if (http_date_rfc850(text, fields, two_digit_year)) {
    http_date_pick_century(fields, two_digit_year, now);
  } else if (fields = HttpDateFields{}; !http_date_imf_fixdate(text, fields)) {
    fields = HttpDateFields{};
    if (!http_date_asctime(text, fields)) return std::nullopt;
  }
  if (!http_date_valid(fields)) return std::nullopt;
  return http_date_seconds(fields);
}

}  // namespace stytch::platform
