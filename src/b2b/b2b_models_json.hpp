#ifndef STYTCH_SRC_B2B_MODELS_JSON_HPP
#define STYTCH_SRC_B2B_MODELS_JSON_HPP

// The JSON of the B2B value types and of the answers several calls share:
// decoders (which throw FieldError naming the field path on a wrong shape)
// and the organization settings, written at the top level of a body.

#include "json/json_fields.hpp"
#include "models/consumer_json.hpp"

#include <stytch/b2b/discovered_organization.hpp>
#include <stytch/b2b/login.hpp>
#include <stytch/b2b/member.hpp>
#include <stytch/b2b/member_session.hpp>
#include <stytch/b2b/organization.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stytch::internal {

void decode(const nlohmann::json& object, b2b::MemberRoleSource& out);
void decode(const nlohmann::json& object, b2b::MemberRole& out);
void decode(const nlohmann::json& object, b2b::Member& out);
void decode(const nlohmann::json& object, b2b::Organization& out);
void decode(const nlohmann::json& object, b2b::MemberSession& out);
void decode(const nlohmann::json& object, b2b::MfaRequired& out);
void decode(const nlohmann::json& object, b2b::PrimaryRequired& out);
void decode(const nlohmann::json& object, b2b::Membership& out);
void decode(const nlohmann::json& object, b2b::DiscoveredOrganization& out);

void decode(const nlohmann::json& object, b2b::LoginResponse& out);
void decode(const nlohmann::json& object, b2b::MemberResponse& out);
void decode(const nlohmann::json& object, b2b::OrganizationResponse& out);

/// The settings that are set, each at the top level of `out` (flattened).
void write_fields(BodyWriter& out, const b2b::OrganizationSettings& settings);

/// The object field `name` decoded into `out`; FieldError when it is
/// missing, null or not an object.
template <typename T>
void read_required_object(const nlohmann::json& object, const char* name, T& out) {
  const nlohmann::json* value = find_object(object, name);
  if (value == nullptr) throw FieldError(std::string(name) + ": required field is missing");
  in_context(name, [&] { decode(*value, out); });
}

/// The object field `name` decoded into `out`; nullopt when missing or null.
template <typename T>
void read_optional_object(const nlohmann::json& object, const char* name, std::optional<T>& out) {
  const nlohmann::json* value = find_object(object, name);
  if (value == nullptr) return;
  T decoded{};
  in_context(name, [&] { decode(*value, decoded); });
  out = std::move(decoded);
}

/// The array field `name`, each element an object decoded with `decode`;
/// missing or null leaves `out` empty.
template <typename T>
void read_object_array(const nlohmann::json& object, const char* name, std::vector<T>& out) {
  read_array(object, name, out, [](const nlohmann::json& element, T& value) { decode(element, value); });
}

}  // namespace stytch::internal

#endif
