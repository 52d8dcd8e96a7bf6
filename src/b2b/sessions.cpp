#include <stytch/b2b/sessions.hpp>

#include "b2b/b2b_json.hpp"
#include "call/call.hpp"
#include "sessions/jwt_sessions.hpp"

#include <future>
#include <memory>
#include <utility>

namespace stytch::b2b {

namespace {

// What the JWT forms need of B2B sessions (see internal::JwtForms).
struct MemberJwt {
  using Verifier = internal::MemberSessionVerifier;
  using Answer = sessions::AuthenticateJwtResponse;
  using ApiParams = sessions::AuthenticateParams;
  using ApiResponse = sessions::AuthenticateResponse;
  static constexpr auto answer_session = &Answer::member_session;
  static constexpr auto api_session = &ApiResponse::member_session;
  static const internal::Route<ApiParams>& authenticate_route() {
    static const auto route =
        internal::post(internal::kB2bSessionsAuthenticatePath, internal::b2b_sessions_authenticate_body);
    return route;
  }
  static void decode(const nlohmann::json& object, ApiResponse& out) { internal::decode(object, out); }
};

}  // namespace

Sessions::Sessions(std::shared_ptr<internal::Core> core, std::string project_id)
    : core_(std::move(core)),
      verifier_(internal::make_verifier<internal::MemberSessionVerifier>(core_, std::move(project_id),
                                                                         internal::b2b_sessions_jwks_path)) {}

STYTCH_CALL(Sessions, authenticate, MemberJwt::authenticate_route())
STYTCH_CALL(Sessions, get, internal::get(internal::b2b_sessions_get_path))
STYTCH_CALL(Sessions, revoke, internal::post(internal::kB2bSessionsRevokePath, internal::b2b_sessions_revoke_body))
STYTCH_CALL(Sessions, exchange,
            internal::post(internal::kB2bSessionsExchangePath, internal::b2b_sessions_exchange_body))

STYTCH_JWT_SESSION_FORMS(Sessions, MemberJwt, internal::b2b_sessions_jwks_path)

}  // namespace stytch::b2b
