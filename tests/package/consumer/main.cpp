// Links the installed stytch-cpp and checks every outcome of an SMS send
// against a running stytch-mock. Usage: consumer BASE_URL PROJECT_ID SECRET
#include <stytch/stytch.hpp>

#include <iostream>
#include <string>

std::string b2b_round_trip(const stytch::StytchClient& client);  // b2b_contract.cpp

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  std::cout << (ok ? "ok   " : "FAIL ") << what << "\n";
  if (!ok) ++failures;
}

stytch::Result<stytch::otps::sms::SendResponse> send(const stytch::ClientOptions& options, const std::string& phone) {
  stytch::StytchClient client(options);
  stytch::otps::sms::SendParams params;
  params.phone_number = phone;
  params.locale = "es";
  params.expiration_minutes = 5;
  params.attributes = stytch::Attributes{std::string("203.0.113.7"), std::nullopt};
  return client.otps.sms.send(params);
}

bool is_kind(const stytch::Result<stytch::otps::sms::SendResponse>& r, stytch::ErrorKind kind) {
  return !r && r.error().kind == kind;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: consumer BASE_URL PROJECT_ID SECRET\n";
    return 2;
  }
  stytch::ClientOptions options;
  options.base_url = argv[1];
  options.project_id = argv[2];
  options.secret = argv[3];
  options.timeout = std::chrono::milliseconds(1000);

  auto ok = send(options, "+12025550162");
  expect(ok && ok->phone_id.rfind("phone-number-test-", 0) == 0, "success carries a phone_id");

  auto api = send(options, "+12025550199");
  expect(is_kind(api, stytch::ErrorKind::api) && api.error().http_status == 404 &&
             api.error().error_type == "phone_number_not_found",
         "an unknown number is an api error (404 phone_number_not_found)");

  auto wrong = options;
  wrong.secret = "secret-test-wrong";
  auto unauthorized = send(wrong, "+12025550162");
  expect(is_kind(unauthorized, stytch::ErrorKind::api) && unauthorized.error().error_type == "unauthorized_credentials",
         "a wrong secret is an api error (401 unauthorized_credentials)");

  expect(is_kind(send(options, "not-a-number"), stytch::ErrorKind::invalid_argument),
         "a malformed number is invalid_argument");

  {
    const stytch::StytchClient client(options);
    const std::string b2b = b2b_round_trip(client);
    expect(b2b.empty(), "client.b2b creates and reads back an organization and a member" +
                            (b2b.empty() ? std::string() : ": " + b2b));
  }

  auto refused = options;
  refused.base_url = "http://127.0.0.1:1/";
  expect(is_kind(send(refused, "+12025550162"), stytch::ErrorKind::network), "connection refused is network");

  expect(is_kind(send(options, "+15550000408"), stytch::ErrorKind::timeout), "a slow answer is timeout");

  auto html = send(options, "+15550000502");
  expect(is_kind(html, stytch::ErrorKind::decode) && html.error().http_status == 502, "an HTML 502 is decode");

  try {
    (void)html.value();
    expect(false, "value() on a failure throws");
  } catch (const stytch::Exception& e) {
    expect(e.error().http_status == 502, "value() on a failure throws stytch::Exception with the Error");
  }

  try {
    auto bad = options;
    bad.base_url = "http://example.com/";
    stytch::StytchClient client(bad);
    expect(false, "bad options throw");
  } catch (const stytch::Exception& e) {
    expect(e.error().kind == stytch::ErrorKind::invalid_argument, "bad options throw invalid_argument");
  }

  std::cout << "stytch-cpp " << STYTCH_VERSION_STRING << ": " << failures << " failures\n";
  return failures == 0 ? 0 : 1;
}
