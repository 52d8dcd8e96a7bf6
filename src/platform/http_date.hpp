#ifndef STYTCH_SRC_PLATFORM_HTTP_DATE_HPP
#define STYTCH_SRC_PLATFORM_HTTP_DATE_HPP

// HTTP-dates (RFC 9110 section 5.6.7), read without the C library's time
// functions (strptime and timegm are not on every system, and both follow
// the locale or the time zone): plain code, the same everywhere.

#include <optional>
#include <string_view>

namespace stytch::platform {

/// Seconds since 1970-01-01T00:00:00Z of an HTTP-date in any of the three
/// forms a recipient must accept, exactly as the grammar spells them (case
/// included, no extra or missing space, nothing after):
///   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
///   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"
///   asctime      "Sun Nov  6 08:49:37 1994"
/// The date must exist (days per month, leap years of the Gregorian
/// calendar, years 0000 to 9999), hours run 00-23, minutes and seconds
/// 00-59; a leap second, 23:59:60 on the last day of a month (where they
/// are inserted), is accepted as the midnight after it, since Unix time
/// has no leap seconds. The weekday must be one of the names, of the form
/// the date's form uses; that it is the date's weekday is not checked (the
/// date alone says when, and a sender's wrong weekday changes nothing).
///
/// `now` (seconds since the epoch) serves only the RFC 850 form's two-digit
/// year: it is the year of this century, unless that would be more than 50
/// years after `now`, then the one a century earlier (the rule of RFC 9110).
///
/// nullopt when the text is none of the three forms.
std::optional<long long> parse_http_date(std::string_view text, long long now) noexcept;

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (negative before it). `month` 1-12, `day` 1-31, not checked.
long long days_from_civil(long long year, int month, int day) noexcept;

}  // namespace stytch::platform

#endif
