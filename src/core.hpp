#ifndef STYTCH_SRC_CORE_HPP
#define STYTCH_SRC_CORE_HPP

// What every call shares: the base URL and the transport, and the one path
// from a request body to a typed Result.

#include "json_fields.hpp"
#include "response_mapping.hpp"
#include "transport.hpp"

#include <stytch/result.hpp>

#include <string>
#include <utility>
#include <variant>

namespace stytch::internal {

class Core {
 public:
  Core(std::string base_url, std::string user_agent, TransportConfig transport)
      : base_url_(std::move(base_url)), user_agent_(std::move(user_agent)), transport_(std::move(transport)) {}

  const std::string& base_url() const noexcept { return base_url_; }
  const std::string& user_agent() const noexcept { return user_agent_; }

  /// POSTs the body to base_url + path, unless the body holds a refused
  /// field, and decodes a success with `decode(const nlohmann::json&,
  /// Response&)`, which may throw FieldError.
  template <typename Response, typename Decode>
  Result<Response> call(const char* path, const BodyWriter& body, Decode decode) {
    if (body.error()) return *body.error();
    auto answer = transport_.post(base_url_ + path, body.dump());
    if (auto* failure = std::get_if<Error>(&answer)) return std::move(*failure);
    const HttpResponse& http = std::get<HttpResponse>(answer);

    auto mapped = map_response(http);
    if (auto* failure = std::get_if<Error>(&mapped)) {
      failure->attempts = 1;
      return std::move(*failure);
    }
    nlohmann::json& object = std::get<nlohmann::json>(mapped);
    Response response;
    try {
      decode(object, response);
    } catch (const FieldError& bad_field) {
      Error e = decode_error(http.status, http.body, bad_field.what());
      read_optional(object, "request_id", e.request_id);
      e.attempts = 1;
      e.raw = std::move(object);
      return e;
    }
    if (response.status_code == 0) response.status_code = http.status;
    response.raw = std::move(object);
    return response;
  }

 private:
  std::string base_url_;
  std::string user_agent_;
  Transport transport_;
};

}  // namespace stytch::internal

#endif
