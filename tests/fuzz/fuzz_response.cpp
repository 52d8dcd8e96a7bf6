// Fuzzes everything that reads bytes from the network: the mapping of any
// status and body to a JSON object or an Error, the decoding of that object
// into every typed response, and the Retry-After header value. Only FieldError may come out of a decoder
// (it becomes a decode Error); anything else, or a crash, is a finding.

#include "call/response_mapping.hpp"
#include "call/retry.hpp"
#include "models/consumer_json.hpp"
#include "otps/otps_json.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

namespace {

template <typename Response>
void decode_as(const nlohmann::json& object) {
  Response response;
  try {
    stytch::internal::decode(object, response);
  } catch (const stytch::internal::FieldError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first two bytes pick the HTTP status (100 to 599), the rest is the body.
  const int status = 100 + ((data[0] << 8) | data[1]) % 500;
  stytch::internal::HttpResponse response{status, std::string(reinterpret_cast<const char*>(data + 2), size - 2), {}};
  // The same bytes as a Retry-After header value: any result, never a crash
  // or a negative wait.
  const auto wait = stytch::internal::parse_retry_after(response.body, std::chrono::system_clock::now());
  if (wait && wait->count() < 0) __builtin_trap();
  auto mapped = stytch::internal::map_response(response);
  if (auto* error = std::get_if<stytch::Error>(&mapped)) {
    const std::string line = error->message();
    for (char c : line) {
      if (static_cast<unsigned char>(c) < 0x20) __builtin_trap();  // message() must stay one line
    }
    return 0;
  }
  const nlohmann::json& object = std::get<nlohmann::json>(mapped);
  decode_as<stytch::otps::PhoneSendResponse>(object);
  decode_as<stytch::otps::PhoneLoginOrCreateResponse>(object);
  decode_as<stytch::otps::email::SendResponse>(object);
  decode_as<stytch::otps::email::LoginOrCreateResponse>(object);
  decode_as<stytch::otps::AuthenticateResponse>(object);
  return 0;
}
