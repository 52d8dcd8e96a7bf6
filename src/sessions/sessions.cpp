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
  out.session = std::move(r->session);
  out.session_jwt = std::move(r->session_jwt);
  out.verified_locally = false;
  return out;
}

Result<sessions::AuthenticateJwtResponse> from_local(Result<Session> r, const std::string& jwt) {
  if (!r) return std::move(r).error();
  sessions::AuthenticateJwtResponse out;
  out.session = std::move(*r);
  out.session_jwt = jwt;
  out.verified_locally = true;
  return out;
}

}  // namespace

Sessions::Sessions(std::shared_ptr<internal::Core> core, std::string project_id)
    : core_(std::move(core)),
      verifier_(internal::make_verifier<internal::SessionVerifier>(core_, std::move(project_id), jwks_path)) {}

STYTCH_CALL(Sessions, authenticate, internal::post(kAuthenticatePath, internal::sessions_authenticate_body))
STYTCH_CALL(Sessions, get, internal::get(internal::sessions_get_path))
STYTCH_CALL(Sessions, revoke, internal::post(kRevokePath, internal::sessions_revoke_body))

Result<sessions::GetJwksResponse> Sessions::get_jwks() const {
  return internal::get_jwks(*core_, jwks_path(verifier_->project_id()));
}

void Sessions::get_jwks_async(Callback<sessions::GetJwksResponse> on_done) const {
  internal::get_jwks_async(*core_, jwks_path(verifier_->project_id()), std::move(on_done));
}

std::future<Result<sessions::GetJwksResponse>> Sessions::get_jwks_async() const {
  return internal::as_future<sessions::GetJwksResponse>(
      *core_, [&](Callback<sessions::GetJwksResponse> done) { get_jwks_async(std::move(done)); });
}

Result<Session> Sessions::authenticate_jwt_local(const sessions::AuthenticateJwtLocalParams& params) const {
  return verifier_->verify(params.session_jwt, params.max_token_age, params.clock_tolerance);
}

void Sessions::authenticate_jwt_local_async(const sessions::AuthenticateJwtLocalParams& params,
                                            Callback<Session> on_done) const {
  verifier_->verify_async(params.session_jwt, params.max_token_age, params.clock_tolerance,
                          [verifier = verifier_, on_done = std::move(on_done)](Result<Session> r) {
                            internal::deliver<Session>(on_done, std::move(r));
                          });
}

std::future<Result<Session>> Sessions::authenticate_jwt_local_async(
    const sessions::AuthenticateJwtLocalParams& params) const {
  return internal::as_future<Session>(
      *core_, [&](Callback<Session> done) { authenticate_jwt_local_async(params, std::move(done)); });
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
            core, internal::post(kAuthenticatePath, internal::sessions_authenticate_body), api,
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

}  // namespace stytch
