#include <stytch/result.hpp>

#include <catch2/catch.hpp>

#include <string>

using stytch::Error;
using stytch::ErrorKind;
using stytch::Result;

namespace {

struct Payload {
  std::string id;
};

Error sample_error() {
  Error e;
  e.kind = ErrorKind::api;
  e.http_status = 429;
  e.error_type = "too_many_requests";
  e.error_message = "Too many requests have been made.";
  return e;
}

}  // namespace

TEST_CASE("a successful Result gives its value through every accessor") {
  Result<Payload> r(Payload{"abc"});
  CHECK(r.ok());
  CHECK(static_cast<bool>(r));
  CHECK(r.value().id == "abc");
  CHECK((*r).id == "abc");
  CHECK(r->id == "abc");
  CHECK_THROWS_AS(r.error(), std::logic_error);
  Payload moved = std::move(r).value();
  CHECK(moved.id == "abc");
}

TEST_CASE("a failed Result gives its error and never a default value") {
  const Result<Payload> r(sample_error());
  CHECK_FALSE(r.ok());
  CHECK_FALSE(static_cast<bool>(r));
  CHECK(r.error().kind == ErrorKind::api);
  CHECK(r.error().http_status == 429);
  CHECK_THROWS_AS(r.value(), stytch::Exception);
  CHECK_THROWS_AS(*r, stytch::Exception);
  CHECK_THROWS_AS(r->id, stytch::Exception);
}

TEST_CASE("value() on a failure throws an Exception carrying the whole Error") {
  Result<Payload> r(sample_error());
  try {
    (void)r.value();
    FAIL("value() did not throw");
  } catch (const stytch::Exception& e) {
    CHECK(e.error().error_type == "too_many_requests");
    CHECK(e.error().http_status == 429);
    CHECK(std::string(e.what()) == sample_error().message());
  }
}
