#ifndef STYTCH_SRC_MODELS_CONSUMER_JSON_HPP
#define STYTCH_SRC_MODELS_CONSUMER_JSON_HPP

// Decoders of the value types several products answer with: the consumer
// User and Session, and the authentication factors B2B sessions share.

#include "json/json_fields.hpp"

#include <stytch/session.hpp>
#include <stytch/user.hpp>

#include <nlohmann/json.hpp>

namespace stytch::internal {

void decode(const nlohmann::json& object, User& out);
void decode(const nlohmann::json& object, Session& out);
void decode(const nlohmann::json& object, AuthenticationFactor& out);

}  // namespace stytch::internal

#endif
