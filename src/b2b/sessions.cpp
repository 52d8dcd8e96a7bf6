#include <stytch/b2b/sessions.hpp>

#include "b2b/b2b_json.hpp"
#include "call/call.hpp"
#include "sessions/jwt_sessions.hpp"

#include <future>
#include <memory>
#include <utility>

namespace stytch::b2b {

namespace {

sessions::AuthenticateParams api_params(const sessions::AuthenticateJwtParams& params) {
  sessions::AuthenticateParams api;
  api.session_jwt = params.session_jwt;
  api.session_duration_minutes = params.session_duration_minutes;
  api.session_custom_claims = params.session_custom_claims;
  return api;
}

Result<sessions::AuthenticateJwtResponse> from_api(Result<sessions::AuthenticateResponse> r) {
  if (!r) return std::move(r).error();
  sessions::AuthenticateJwtResponse out;
  out.member_session = std::move(r->member_session);
  out.session_jwt = std::move(r->session_jwt);
  out.verified_locally = false;
  return out;
}

Result<sessions::AuthenticateJwtResponse> from_local(Result<MemberSession> r, const std::string& jwt) {
  if (!r) return std::move(r).error();
  sessions::AuthenticateJwtResponse out;
  out.member_session = std::move(*r);
  out.session_jwt = jwt;
  out.verified_locally = true;
  return out;
}

const internal::Route<sessions::AuthenticateParams>& authenticate_route() {
  static const auto route =
      internal::post(internal::kB2bSessionsAuthenticatePath, internal::b2b_sessions_authenticate_body);
  return route;
}

}  // namespace

Sessions::Sessions(std::shared_ptr<internal::Core> core, std::string project_id)
    : core_(std::move(core)),
      verifier_(internal::make_verifier<internal::MemberSessionVerifier>(core_, std::move(project_id),
                                                                         internal::b2b_sessions_jwks_path)) {}

STYTCH_CALL(Sessions, authenticate, authenticate_route())
STYTCH_CALL(Sessions, get, internal::get(internal::b2b_sessions_get_path))
STYTCH_CALL(Sessions, revoke, internal::post(internal::kB2bSessionsRevokePath, internal::b2b_sessions_revoke_body))
STYTCH_CALL(Sessions, exchange,
            internal::post(internal::kB2bSessionsExchangePath, internal::b2b_sessions_exchange_body))

Result<sessions::GetJwksResponse> Sessions::get_jwks() const {
  return internal::get_jwks(*core_, internal::b2b_sessions_jwks_path(verifier_->project_id()));
}

void Sessions::get_jwks_async(Callback<sessions::GetJwksResponse> on_done) const {
  internal::get_jwks_async(*core_, internal::b2b_sessions_jwks_path(verifier_->project_id()), std::move(on_done));
}

std::future<Result<sessions::GetJwksResponse>> Sessions::get_jwks_async() const {
  return internal::as_future<sessions::GetJwksResponse>(
      *core_, [&](Callback<sessions::GetJwksResponse> done) { get_jwks_async(std::move(done)); });
}

Result<MemberSession> Sessions::authenticate_jwt_local(const sessions::AuthenticateJwtLocalParams& params) const {
  return verifier_->verify(params.session_jwt, params.max_token_age, params.clock_tolerance);
}

void Sessions::authenticate_jwt_local_async(const sessions::AuthenticateJwtLocalParams& params,
                                            Callback<MemberSession> on_done) const {
  verifier_->verify_async(params.session_jwt, params.max_token_age, params.clock_tolerance,
                          [verifier = verifier_, on_done = std::move(on_done)](Result<MemberSession> r) {
                            internal::deliver<MemberSession>(on_done, std::move(r));
                          });
}

std::future<Result<MemberSession>> Sessions::authenticate_jwt_local_async(
    const sessions::AuthenticateJwtLocalParams& params) const {
  return internal::as_future<MemberSession>(
      *core_, [&](Callback<MemberSession> done) { authenticate_jwt_local_async(params, std::move(done)); });
}

Result<sessions::AuthenticateJwtResponse> Sessions::authenticate_jwt(
    const sessions::AuthenticateJwtParams& params) const {
  auto local = verifier_->verify(params.session_jwt, params.max_token_age, params.clock_tolerance);
  if (local || !internal::api_can_say_more(local.error())) return from_local(std::move(local), params.session_jwt);
  return from_api(authenticate(api_params(params)));
}

void Sessions::authenticate_jwt_async(const sessions::AuthenticateJwtParams& params,
                                      Callback<sessions::AuthenticateJwtResponse> on_done) const {
  internal::authenticate_jwt_async<sessions::AuthenticateJwtResponse>(
      core_, verifier_, params, from_local,
      [api = api_params(params)](internal::Core& core, const Callback<sessions::AuthenticateJwtResponse>& done) {
        internal::run_async<sessions::AuthenticateResponse>(
            core, authenticate_route(), api,
            static_cast<internal::Decoder<sessions::AuthenticateResponse>>(&internal::decode),
            [done](Result<sessions::AuthenticateResponse> r) { internal::deliver(done, from_api(std::move(r))); });
      },
      std::move(on_done));
}

std::future<Result<sessions::AuthenticateJwtResponse>> Sessions::authenticate_jwt_async(
    const sessions::AuthenticateJwtParams& params) const {
  return internal::as_future<sessions::AuthenticateJwtResponse>(
      *core_,
      [&](Callback<sessions::AuthenticateJwtResponse> done) { authenticate_jwt_async(params, std::move(done)); });
}

}  // namespace stytch::b2b
