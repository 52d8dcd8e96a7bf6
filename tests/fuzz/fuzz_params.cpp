// Fuzzes request serialization with arbitrary bytes, valid UTF-8 or not, in
// every string field: a body is either refused with an invalid_argument
// Error, or is valid JSON that parses back to exactly what was written.

#include "otps/otps_json.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

void check(const stytch::internal::BodyWriter& body) {
  if (body.error()) {
    if (body.error()->kind != stytch::ErrorKind::invalid_argument) __builtin_trap();
    return;
  }
  const std::string text = body.dump();  // throws (a finding) on invalid UTF-8
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || parsed != body.json()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Fields are separated by 0xFF bytes, which never occur in UTF-8.
  std::vector<std::string> f(8);
  std::size_t field = 0;
  for (std::size_t i = 0; i < size && field < f.size(); ++i) {
    if (data[i] == 0xFF) {
      ++field;
    } else {
      f[field] += static_cast<char>(data[i]);
    }
  }
  const int number = size > 0 ? static_cast<int>(data[0]) - 100 : 0;

  stytch::otps::PhoneSendParams send;
  send.phone_number = f[0];
  send.locale = f[1];
  send.expiration_minutes = number;
  send.attributes = stytch::Attributes{f[2], f[3]};
  send.user_id = f[4];
  send.session_token = f[5];
  send.session_jwt = f[6];
  check(stytch::internal::phone_send_body(send));

  stytch::otps::PhoneLoginOrCreateParams login;
  login.phone_number = f[0];
  login.create_user_as_pending = (number & 1) != 0;
  check(stytch::internal::phone_login_or_create_body(login));

  stytch::otps::email::SendParams email;
  email.email = f[0];
  email.login_template_id = f[1];
  email.signup_template_id = f[2];
  email.attributes = stytch::Attributes{f[3], std::nullopt};
  check(stytch::internal::email_send_body(email));

  stytch::otps::email::LoginOrCreateParams email_login;
  email_login.email = f[1];
  email_login.locale = f[2];
  check(stytch::internal::email_login_or_create_body(email_login));

  stytch::otps::AuthenticateParams auth;
  auth.method_id = f[0];
  auth.code = f[1];
  auth.telemetry_id = f[2];
  auth.session_duration_minutes = number;
  auth.options = stytch::otps::AuthenticateOptions{(number & 2) != 0, std::nullopt};
  // Custom claims: the raw bytes as a key and as a value, and f[7] parsed
  // as JSON when it is JSON (its strings may still be invalid UTF-8).
  nlohmann::json claims = nlohmann::json::object();
  claims[f[3]] = f[4];
  auto parsed = nlohmann::json::parse(f[7], nullptr, false);
  if (!parsed.is_discarded()) claims["parsed"] = parsed;
  auth.session_custom_claims = claims;
  check(stytch::internal::authenticate_body(auth));
  if (!parsed.is_discarded()) {
    auth.session_custom_claims = parsed;  // any JSON value: objects pass, the rest is refused
    check(stytch::internal::authenticate_body(auth));
  }
  return 0;
}
