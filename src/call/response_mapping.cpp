#include "call/response_mapping.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace stytch::internal {

namespace {

// Copies a string member when it is a string; anything else is left out, so
// an odd type in one field never hides the rest of the error.
void copy_string(const nlohmann::json& object, const char* name, std::string& out) {
  auto it = object.find(name);
  if (it != object.end() && it->is_string()) out = it->get<std::string>();
}

bool is_string_field(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string();
}

// Stytch's shape names error_type; the OAuth-style shape needs error and
// error_description, so that a gateway's {"error": "Bad Gateway"} is not
// taken for an answer from Stytch.
bool is_error_body(const nlohmann::json& body) {
  if (!body.is_object()) return false;
  return is_string_field(body, "error_type") ||
         (is_string_field(body, "error") && is_string_field(body, "error_description"));
}

Error api_error(int http_status, const nlohmann::json& body) {
  Error e;
  e.kind = ErrorKind::api;
  e.http_status = http_status;
  copy_string(body, "request_id", e.request_id);
  copy_string(body, "error_type", e.error_type);
  copy_string(body, "error_message", e.error_message);
  copy_string(body, "error_url", e.error_url);
  // The OAuth-style shape names the same facts differently.
  if (e.error_type.empty()) copy_string(body, "error", e.error_type);
  if (e.error_message.empty()) copy_string(body, "error_description", e.error_message);
  if (e.error_url.empty()) copy_string(body, "error_uri", e.error_url);
  auto details = body.find("error_details");
  if (details != body.end() && !details->is_null()) e.error_details = *details;
  return e;
}

}  // namespace

std::variant<nlohmann::json, Error> map_response(const HttpResponse& response) {
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const bool is_json = !body.is_discarded();
  const bool success = response.status >= 200 && response.status < 300;
  if (success && is_json && body.is_object()) return body;

  Error e;
  if (response.status >= 400 && is_json && is_error_body(body)) {
    e = api_error(response.status, body);
  } else if (success) {
    e = decode_error(response.status, response.body,
                     is_json ? "expected a JSON object in the response" : "the response is not valid JSON");
  } else if (response.status >= 400) {
    e = decode_error(response.status, response.body,
                     is_json ? "the error response is not a Stytch error body" : "the error response is not JSON");
    if (is_json && body.is_object()) copy_string(body, "request_id", e.request_id);
  } else {
    e = decode_error(response.status, response.body, "unexpected HTTP status " + std::to_string(response.status));
  }
  // Whatever JSON came is kept whole beside the typed fields.
  if (is_json) e.raw = std::move(body);
  return e;
}

void redact_secret_fields(nlohmann::json& value) {
  static constexpr std::string_view kSecretFields[] = {
      "session_token", "session_jwt",  "intermediate_session_token", "email",
      "email_address", "phone_number", "mfa_phone_number",           "code"};
  if (value.is_array()) {
    for (auto& element : value) redact_secret_fields(element);
    return;
  }
  if (!value.is_object()) return;
  for (auto it = value.begin(); it != value.end(); ++it) {
    const bool secret =
        std::find(std::begin(kSecretFields), std::end(kSecretFields), it.key()) != std::end(kSecretFields);
    if (secret && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      *it = "[REDACTED]";
    } else {
      redact_secret_fields(*it);
    }
  }
}

}  // namespace stytch::internal
