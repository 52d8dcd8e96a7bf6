#include <stytch/stytch.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

namespace {

constexpr const char* kSecret = "secret-test-SENTINEL-7f3a9c-do-not-print";

stytch::ClientOptions valid_options() {
  stytch::ClientOptions o;
  o.project_id = "project-test-11111111-1111-4111-8111-111111111111";
  o.secret = kSecret;
  return o;
}

stytch::Error construction_error(const stytch::ClientOptions& options) {
  try {
    stytch::StytchClient client(options);
  } catch (const stytch::Exception& e) {
    CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
    return e.error();
  }
  FAIL("the options were accepted");
  return {};
}

// Sets (or unsets) a variable for the scope and puts the old value back.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    set(value);
  }
  ~ScopedEnv() { set(old_ ? old_->c_str() : nullptr); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  void set(const char* value) {
    if (value != nullptr) {
      setenv(name_, value, 1);
    } else {
      unsetenv(name_);
    }
  }
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("a client with valid options picks the test host and names itself") {
  stytch::StytchClient client(valid_options());
  CHECK(client.base_url() == "https://test.stytch.com/");
  CHECK(client.user_agent() == std::string("Stytch C++ v") + STYTCH_VERSION_STRING);
  auto live = valid_options();
  live.project_id = "project-live-1";
  CHECK(stytch::StytchClient(live).base_url() == "https://api.stytch.com/");
}

TEST_CASE("the User-Agent suffix is appended after the SDK's name") {
  auto options = valid_options();
  options.user_agent_suffix = "my-app/1.2";
  CHECK(stytch::StytchClient(options).user_agent() ==
        std::string("Stytch C++ v") + STYTCH_VERSION_STRING + " my-app/1.2");
}

TEST_CASE("bad options are refused at construction with invalid_argument") {
  auto o = valid_options();
  o.project_id = "";
  CHECK(construction_error(o).error_message == "project_id is required");
  o = valid_options();
  o.secret = "";
  CHECK(construction_error(o).error_message == "secret is required");
  o = valid_options();
  o.project_id = "project:test";
  CHECK(construction_error(o).kind == stytch::ErrorKind::invalid_argument);
  o = valid_options();
  o.timeout = std::chrono::milliseconds(0);
  CHECK(construction_error(o).error_message == "timeout must be positive");
  o = valid_options();
  o.connect_timeout = std::chrono::milliseconds(-5);
  CHECK(construction_error(o).error_message == "connect_timeout must be positive");
  o = valid_options();
  o.base_url = "http://stytch.example.com/";
  CHECK(construction_error(o).kind == stytch::ErrorKind::invalid_argument);
  o = valid_options();
  o.ca_file = "/nonexistent/ca.pem";
  CHECK(construction_error(o).error_message.find("ca_file") != std::string::npos);
  o = valid_options();
  o.base_url = "http://127.0.0.1:8080/";
  o.proxy = "http://proxy.example:3128";
  CHECK(construction_error(o).error_message.find("proxy") != std::string::npos);
  o = valid_options();
  o.user_agent_suffix = "app\r\nX-Injected: 1";
  CHECK(construction_error(o).kind == stytch::ErrorKind::invalid_argument);
}

TEST_CASE("from_env reads the project id, secret and base URL") {
  ScopedEnv id("STYTCH_PROJECT_ID", "project-live-22");
  ScopedEnv secret("STYTCH_SECRET", kSecret);
  ScopedEnv base("STYTCH_BASE_URL", "http://127.0.0.1:4010");
  auto client = stytch::StytchClient::from_env();
  CHECK(client.base_url() == "http://127.0.0.1:4010/");
}

TEST_CASE("from_env picks the host from the project id when no base URL is set") {
  ScopedEnv id("STYTCH_PROJECT_ID", "project-live-22");
  ScopedEnv secret("STYTCH_SECRET", kSecret);
  ScopedEnv base("STYTCH_BASE_URL", nullptr);
  CHECK(stytch::StytchClient::from_env().base_url() == "https://api.stytch.com/");
}

TEST_CASE("from_env without credentials throws naming the variable") {
  ScopedEnv id("STYTCH_PROJECT_ID", nullptr);
  ScopedEnv secret("STYTCH_SECRET", kSecret);
  CHECK_THROWS_WITH(stytch::StytchClient::from_env(), Catch::Contains("STYTCH_PROJECT_ID"));
  ScopedEnv id2("STYTCH_PROJECT_ID", "project-test-1");
  ScopedEnv no_secret("STYTCH_SECRET", nullptr);
  CHECK_THROWS_WITH(stytch::StytchClient::from_env(), Catch::Contains("STYTCH_SECRET"));
}

TEST_CASE("a refused send input is an invalid_argument result, not an exception") {
  stytch::StytchClient client(valid_options());  // the test host is never reached
  stytch::otps::sms::SendParams params;
  params.phone_number = "";
  stytch::Result<stytch::otps::sms::SendResponse> r = client.otps.sms.send(params);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == stytch::ErrorKind::invalid_argument);
  CHECK(r.error().http_status == 0);
  CHECK(r.error().error_message == "phone_number is required");
}

TEST_CASE("client.otps.sms has the documented type") {
  stytch::StytchClient client(valid_options());
  STATIC_REQUIRE(std::is_same_v<decltype(client.otps.sms), stytch::Otps::Sms>);
  STATIC_REQUIRE(std::is_same_v<decltype(client.otps.sms.send(stytch::otps::sms::SendParams{})),
                                stytch::Result<stytch::otps::sms::SendResponse>>);
}
