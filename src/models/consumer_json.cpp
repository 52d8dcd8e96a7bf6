#include "models/consumer_json.hpp"

namespace stytch::internal {

void decode(const nlohmann::json& object, User& out) {
  read_required(object, "user_id", out.user_id);
  read_optional(object, "status", out.status);
  if (const nlohmann::json* name = find_object(object, "name")) {
    in_context("name", [&] {
      read_optional(*name, "first_name", out.name.first_name);
      read_optional(*name, "middle_name", out.name.middle_name);
      read_optional(*name, "last_name", out.name.last_name);
    });
  }
  read_array(object, "emails", out.emails, [](const nlohmann::json& e, UserEmail& email) {
    read_optional(e, "email_id", email.email_id);
    read_optional(e, "email", email.email);
    read_optional(e, "verified", email.verified);
  });
  read_array(object, "phone_numbers", out.phone_numbers, [](const nlohmann::json& p, UserPhoneNumber& phone) {
    read_optional(p, "phone_id", phone.phone_id);
    read_optional(p, "phone_number", phone.phone_number);
    read_optional(p, "verified", phone.verified);
  });
  read_optional(object, "created_at", out.created_at);
  read_optional(object, "is_locked", out.is_locked);
  read_optional(object, "roles", out.roles);
  read_optional(object, "trusted_metadata", out.trusted_metadata);
  read_optional(object, "untrusted_metadata", out.untrusted_metadata);
}

void decode(const nlohmann::json& object, AuthenticationFactor& out) {
  read_optional(object, "type", out.type);
  read_optional(object, "delivery_method", out.delivery_method);
  read_optional(object, "last_authenticated_at", out.last_authenticated_at);
  out.raw = object;
}

void decode(const nlohmann::json& object, Session& out) {
  read_required(object, "session_id", out.session_id);
  read_optional(object, "user_id", out.user_id);
  read_optional(object, "started_at", out.started_at);
  read_optional(object, "last_accessed_at", out.last_accessed_at);
  read_optional(object, "expires_at", out.expires_at);
  read_array(object, "authentication_factors", out.authentication_factors,
             [](const nlohmann::json& f, AuthenticationFactor& factor) { decode(f, factor); });
  read_optional(object, "roles", out.roles);
  if (const nlohmann::json* attributes = find_object(object, "attributes")) {
    in_context("attributes", [&] {
      read_optional(*attributes, "ip_address", out.attributes.ip_address);
      read_optional(*attributes, "user_agent", out.attributes.user_agent);
    });
  }
  read_optional(object, "custom_claims", out.custom_claims);
}

}  // namespace stytch::internal
