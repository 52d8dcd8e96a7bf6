#include <stytch/sessions.hpp>

#include "base/url.hpp"
#include "call/call.hpp"
#include "sessions/jwt_sessions.hpp"
#include "sessions/sessions_json.hpp"

#include <future>
#include <memory>
#include <utility>

namespace stytch {

namespace {

constexpr const char* kAuthenticatePath = "v1/sessions/authenticate";
constexpr const char* kRevokePath = "v1/sessions/revoke";

std::string jwks_path(const std::string& project_id) {
  return "v1/sessions/jwks/" + internal::url_encode_component(project_id);
}

// What the JWT forms need of consumer sessions (see internal::JwtForms).
struct UserJwt {
  using Verifier = internal::SessionVerifier;
  using Answer = sessions::AuthenticateJwtResponse;
  using ApiParams = sessions::AuthenticateParams;
  using ApiResponse = sessions::AuthenticateResponse;
  static constexpr auto answer_session = &Answer::session;
  static constexpr auto api_session = &ApiResponse::session;
  static const internal::Route<ApiParams>& authenticate_route() {
    static const auto route = internal::post(kAuthenticatePath, internal::sessions_authenticate_body);
    return route;
  }
  static void decode(const nlohmann::json& object, ApiResponse& out) { internal::decode(object, out); }
};

}  // namespace

Sessions::Sessions(std::shared_ptr<internal::Core> core, std::string project_id)
    : core_(std::move(core)),
      verifier_(internal::make_verifier<internal::SessionVerifier>(core_, std::move(project_id), jwks_path)) {}

STYTCH_CALL(Sessions, authenticate, UserJwt::authenticate_route())
STYTCH_CALL(Sessions, get, internal::get(internal::sessions_get_path))
STYTCH_CALL(Sessions, revoke, internal::post(kRevokePath, internal::sessions_revoke_body))

STYTCH_JWT_SESSION_FORMS(Sessions, UserJwt, jwks_path)

}  // namespace stytch
