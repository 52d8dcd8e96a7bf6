#include "platform/http_date.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>

using stytch::platform::days_from_civil;
using stytch::platform::parse_http_date;

namespace {

constexpr long long kHttpDateTestNow = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

std::optional<long long> http_date_test_parse(const std::string& text) {
  return parse_http_date(text, kHttpDateTestNow);
}

}  // namespace

TEST_CASE("HTTP-date: the three forms of RFC 9110 name the same second") {
  CHECK(http_date_test_parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);
  CHECK(http_date_test_parse("Sunday, 06-Nov-94 08:49:37 GMT") == 784111777);
  CHECK(http_date_test_parse("Sun Nov  6 08:49:37 1994") == 784111777);
  CHECK(http_date_test_parse("Sun Nov 06 08:49:37 1994") == 784111777);  // date3 allows 2DIGIT too
  CHECK(http_date_test_parse("Wed Nov 16 08:49:37 1994") == 784111777 + 10 * 86400);
}

TEST_CASE("HTTP-date: boundaries of the calendar and of 32-bit time") {
  CHECK(http_date_test_parse("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
  CHECK(http_date_test_parse("Wed, 31 Dec 1969 23:59:59 GMT") == -1);
  CHECK(http_date_test_parse("Tue, 19 Jan 2038 03:14:08 GMT") == 2147483648LL);  // past INT32_MAX
  CHECK(http_date_test_parse("Fri, 31 Dec 9999 23:59:59 GMT") == 253402300799LL);
  CHECK(http_date_test_parse("Mon, 01 Jan 0001 00:00:00 GMT") == -62135596800LL);
  CHECK(http_date_test_parse("Sat, 01 Jan 0000 00:00:00 GMT") == -719528LL * 86400);  // year 0 is a leap year
  CHECK(http_date_test_parse("Fri Dec 31 23:59:59 9999") == 253402300799LL);
}

TEST_CASE("HTTP-date: leap days exist only in leap years of the Gregorian calendar") {
  CHECK(http_date_test_parse("Tue, 29 Feb 2000 12:00:00 GMT") == 951825600);  // divisible by 400
  CHECK(http_date_test_parse("Thu, 29 Feb 2024 00:00:00 GMT") == 1709164800);
  CHECK(http_date_test_parse("Tue Feb 29 12:00:00 2000") == 951825600);
  CHECK_FALSE(http_date_test_parse("Thu, 29 Feb 1900 00:00:00 GMT"));  // divisible by 100, not 400
  CHECK_FALSE(http_date_test_parse("Mon, 29 Feb 2100 00:00:00 GMT"));
  CHECK_FALSE(http_date_test_parse("Wed, 29 Feb 2023 00:00:00 GMT"));
  CHECK_FALSE(http_date_test_parse("Thu Feb 29 00:00:00 1900"));
  CHECK_FALSE(http_date_test_parse("Thu, 30 Feb 2024 00:00:00 GMT"));
  CHECK(http_date_test_parse("Sun, 28 Feb 2100 00:00:00 GMT") == 4107456000LL);
}

TEST_CASE("HTTP-date: each month has its own last day") {
  CHECK(http_date_test_parse("Mon, 31 Jan 1994 00:00:00 GMT"));
  CHECK(http_date_test_parse("Wed, 30 Nov 1994 00:00:00 GMT"));
  CHECK_FALSE(http_date_test_parse("Thu, 31 Nov 1994 00:00:00 GMT"));
  CHECK_FALSE(http_date_test_parse("Sun, 31 Apr 1994 00:00:00 GMT"));
  CHECK_FALSE(http_date_test_parse("Sun, 31 Jun 1994 00:00:00 GMT"));
  CHECK_FALSE(http_date_test_parse("Sun, 31 Sep 1994 00:00:00 GMT"));
  CHECK_FALSE(http_date_test_parse("Sun, 32 Dec 1994 00:00:00 GMT"));
  CHECK_FALSE(http_date_test_parse("Sun, 00 Dec 1994 00:00:00 GMT"));
  CHECK_FALSE(http_date_test_parse("Sun Dec  0 00:00:00 1994"));
}

TEST_CASE("HTTP-date: a leap second only at 23:59:60 on a month's last day, as the midnight after") {
  CHECK(http_date_test_parse("Sat, 31 Dec 2016 23:59:60 GMT") == 1483228800);
  CHECK(http_date_test_parse("Thu, 30 Jun 2016 23:59:60 GMT") == 1467331200);
  CHECK(http_date_test_parse("Thu Jun 30 23:59:60 2016") == 1467331200);
  CHECK_FALSE(http_date_test_parse("Fri, 30 Dec 2016 23:59:60 GMT"));
  CHECK_FALSE(http_date_test_parse("Sat, 31 Dec 2016 23:58:60 GMT"));
  CHECK_FALSE(http_date_test_parse("Sat, 31 Dec 2016 22:59:60 GMT"));
  CHECK_FALSE(http_date_test_parse("Sat, 31 Dec 2016 23:59:61 GMT"));
}

TEST_CASE("HTTP-date: the RFC 850 form's two-digit year is at most 50 years ahead") {
  CHECK(http_date_test_parse("Thursday, 01-Jan-70 00:00:00 GMT") == 0);
  CHECK(http_date_test_parse("Saturday, 01-Jan-00 00:00:00 GMT") == 946684800);   // 2000
  CHECK(http_date_test_parse("Friday, 06-Nov-43 08:49:37 GMT") == 2330412577LL);  // 2043
  CHECK(http_date_test_parse("Sunday, 06-Nov-44 08:49:37 GMT") == 2362034977LL);  // 2044: exactly 50 years
  CHECK(http_date_test_parse("Monday, 06-Nov-44 08:49:38 GMT") == -793725022LL);  // 1944: a second more
  CHECK(http_date_test_parse("Monday, 01-Jan-45 00:00:00 GMT") == -788918400LL);  // 1945
  // In 2094, "05" is 2105 (11 years ahead), not 2005.
  CHECK(parse_http_date("Thursday, 01-Jan-05 00:00:00 GMT", 3913142400LL) == 4260211200LL);
  // Which century decides whether 29 February exists: 2000 yes, 1900 no.
  CHECK(http_date_test_parse("Tuesday, 29-Feb-00 12:00:00 GMT") == 951825600);
  CHECK_FALSE(parse_http_date("Thursday, 29-Feb-00 00:00:00 GMT", -2208988800LL));  // in 1900
}

TEST_CASE("HTTP-date: the weekday must be a name of the right form, not the right day") {
  CHECK(http_date_test_parse("Mon, 06 Nov 1994 08:49:37 GMT") == 784111777);
  CHECK(http_date_test_parse("Wednesday, 06-Nov-94 08:49:37 GMT") == 784111777);
  CHECK(http_date_test_parse("Fri Nov  6 08:49:37 1994") == 784111777);
  CHECK_FALSE(http_date_test_parse("Sunday, 06 Nov 1994 08:49:37 GMT"));  // IMF-fixdate: the short name
  CHECK_FALSE(http_date_test_parse("Sun, 06-Nov-94 08:49:37 GMT"));       // RFC 850: the long name
  CHECK_FALSE(http_date_test_parse("Sunday Nov  6 08:49:37 1994"));       // asctime: the short name
  CHECK_FALSE(http_date_test_parse("Sum, 06 Nov 1994 08:49:37 GMT"));
  CHECK_FALSE(http_date_test_parse("Sundae, 06-Nov-94 08:49:37 GMT"));
}

TEST_CASE("HTTP-date: every field wrong once is refused") {
  for (const char* bad : {
           "",
           "Sun, 06 Nov 1994 08:49:37",       // no zone
           "Sun, 06 Nov 1994 08:49:37 UTC",   // GMT only
           "Sun, 6 Nov 1994 08:49:37 GMT",    // day: two digits
           "Sun, 006 Nov 1994 08:49:37 GMT",  //
           "Sun, 06 November 1994 08:49:37 GMT",
           "Sun, 06 Nox 1994 08:49:37 GMT",
           "Sun, 06 Nov 94 08:49:37 GMT",  // year: four digits
           "Sun, 06 Nov 19945 08:49:37 GMT",
           "Sun, 06 Nov +994 08:49:37 GMT",
           "Sun, 06 Nov 1994 24:00:00 GMT",  // hour
           "Sun, 06 Nov 1994 8:49:37 GMT",
           "Sun, 06 Nov 1994 08:60:00 GMT",  // minute
           "Sun, 06 Nov 1994 08:4:37 GMT",
           "Sun, 06 Nov 1994 08:49:61 GMT",  // second
           "Sun, 06 Nov 1994 08:49:3 GMT",
           "Sun, 06 Nov 1994 08:49 GMT",
           "Sun, 06 Nov 1994 08-49-37 GMT",
           "Sun, 06 Nov 1994 08:49:37.5 GMT",
           "Sun 06 Nov 1994 08:49:37 GMT",  // no comma
           "Sun,06 Nov 1994 08:49:37 GMT",
           "Sun, 06-Nov-1994 08:49:37 GMT",
           "Sunday, 06-Nov-1994 08:49:37 GMT",  // RFC 850: two digits
           "Sunday, 06-Nov-4 08:49:37 GMT",
           "Sunday, 06 Nov 94 08:49:37 GMT",
           "Sunday, 06-Nov-94 08:49:37",
           "Sunday, 31-Nov-94 08:49:37 GMT",
           "Sun Nov 6 08:49:37 1994",  // asctime: the day is "06" or " 6"
           "Sun Nov 006 08:49:37 1994",
           "Sun Nov  6 08:49:37 94",
           "Sun Nov  6 08:49:37 GMT 1994",
           "Sun Nov  6 25:49:37 1994",
       }) {
    INFO(bad);
    CHECK_FALSE(http_date_test_parse(bad));
  }
}

TEST_CASE("HTTP-date: names are case-sensitive, spaces exact, nothing after") {
  for (const char* bad : {
           "sun, 06 Nov 1994 08:49:37 GMT",
           "SUN, 06 Nov 1994 08:49:37 GMT",
           "Sun, 06 nov 1994 08:49:37 GMT",
           "Sun, 06 NOV 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 08:49:37 gmt",
           "sunday, 06-Nov-94 08:49:37 GMT",
           "Sunday, 06-nov-94 08:49:37 GMT",
           "sun Nov  6 08:49:37 1994",
           "Sun nov  6 08:49:37 1994",
           " Sun, 06 Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov 1994 08:49:37 GMT ",
           "Sun,  06 Nov 1994 08:49:37 GMT",
           "Sun, 06  Nov 1994 08:49:37 GMT",
           "Sun, 06 Nov  1994 08:49:37 GMT",
           "Sun, 06 Nov 1994  08:49:37 GMT",
           "Sun, 06 Nov 1994 08:49:37  GMT",
           "Sun, 06 Nov 1994\t08:49:37 GMT",
           "Sunday,  06-Nov-94 08:49:37 GMT",
           "Sun  Nov  6 08:49:37 1994",
           "Sun Nov   6 08:49:37 1994",
           "Sun Nov  6  08:49:37 1994",
           "Sun Nov  6 08:49:37  1994",
           "Sun, 06 Nov 1994 08:49:37 GMTx",
           "Sun, 06 Nov 1994 08:49:37 GMT+1",
           "Sunday, 06-Nov-94 08:49:37 GMT garbage",
           "Sun Nov  6 08:49:37 19945",
           "Sun Nov  6 08:49:37 1994\n",
       }) {
    INFO(bad);
    CHECK_FALSE(http_date_test_parse(bad));
  }
  CHECK_FALSE(http_date_test_parse(std::string("Sun, 06 Nov 1994 08:49:37 GMT\0", 30)));
}

TEST_CASE("HTTP-date: days_from_civil counts every day once, from year 0 to 9999") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(days_from_civil(1, 1, 1) == -719162);
  CHECK(days_from_civil(0, 1, 1) == -719528);
  CHECK(days_from_civil(9999, 12, 31) == 2932896);
  // Walking the calendar day by day, each date is one more than the last.
  const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  long long expected = days_from_civil(0, 1, 1);
  bool each_one_more = true;
  for (long long year = 0; year <= 9999 && each_one_more; ++year) {
    const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    for (int month = 1; month <= 12; ++month) {
      const int last = days_in[month - 1] + (month == 2 && leap ? 1 : 0);
      for (int day = 1; day <= last; ++day) {
        if (days_from_civil(year, month, day) != expected) each_one_more = false;
        ++expected;
      }
    }
  }
  CHECK(each_one_more);
  CHECK(expected - 1 == days_from_civil(9999, 12, 31));
}
