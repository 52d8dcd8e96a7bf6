#include <stytch/sessions.hpp>

#include "base/url.hpp"
#include "call/call.hpp"
#include "jwt/session_verifier.hpp"
#include "sessions/sessions_json.hpp"

#include <functional>
#include <future>
#include <memory>
#include <utility>

namespace stytch {

namespace {

constexpr const char* kAuthenticatePath = "v1/sessions/authenticate";
constexpr const char* kRevokePath = "v1/sessions/revoke";

template <typename Response>
void deliver(const Sessions::Callback<Response>& done, Result<Response> result) {
  internal::deliver(done, std::move(result));
}

using internal::as_future;

template <typename Response>
constexpr internal::Decoder<Response> decoder() {
  return static_cast<internal::Decoder<Response>>(&internal::decode);
}

internal::Prepared get_request(std::string path) {
  internal::Prepared out;
  out.method = internal::HttpMethod::get;
  out.path = std::move(path);
  return out;
}

std::string jwks_path(const std::string& project_id) {
  return "v1/sessions/jwks/" + internal::url_encode_component(project_id);
}

sessions::GetJwksResponse public_jwks(internal::JwksAnswer&& answer) {
  sessions::GetJwksResponse out;
  out.status_code = answer.status_code;
  out.request_id = std::move(answer.request_id);
  out.keys = std::move(answer.keys);
  out.raw = std::move(answer.raw);
  return out;
}

// Only the refusals the API can answer differently go to it: Stytch
// refreshes an expired (or too old) JWT while its session lives, and knows
// keys a stale JWKS may lack.
bool api_can_say_more(const Error& e) {
  return e.kind == ErrorKind::invalid_jwt &&
         (e.error_type == "jwt_expired" || e.error_type == "jwt_too_old" || e.error_type == "jwt_unknown_key");
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

Error client_gone() {
  Error e;
  e.kind = ErrorKind::cancelled;
  e.error_message = "the client was destroyed before the call completed";
  return e;
}

}  // namespace

Sessions::Sessions(std::shared_ptr<internal::Core> core, std::string project_id) : core_(std::move(core)) {
  // The keys come through an async call on the client's I/O thread, whoever
  // needs them: async verifications wait for it as callbacks, blocking ones
  // as their thread (or, inside a callback, by running the I/O loop).
  // Neither function holds the client alive.
  std::weak_ptr<internal::Core> weak = core_;
  auto fetch = [weak, path = jwks_path(project_id)](internal::JwksCache::FetchDone done) {
    auto live = weak.lock();
    if (!live) {
      done(client_gone());
      return;
    }
    live->call_async<internal::JwksAnswer>(get_request(path), decoder<internal::JwksAnswer>(),
                                           [done = std::move(done)](Result<internal::JwksAnswer> answer) {
                                             if (!answer) {
                                               done(std::move(answer).error());
                                               return;
                                             }
                                             internal::JwksFetch fetched;
                                             fetched.keys = std::move(answer->keys);
                                             for (const auto& [name, value] : answer->headers) {
                                               if (internal::is_cache_control(name))
                                                 fetched.max_age = internal::cache_max_age(value);
                                             }
                                             done(std::move(fetched));
                                           });
  };
  auto pump = [weak](const std::function<bool()>& ready) {
    auto live = weak.lock();
    return live && live->run_until(ready);
  };
  verifier_ = std::make_shared<internal::SessionVerifier>(std::move(project_id), core_->base_url(), std::move(fetch),
                                                          std::move(pump));
  verifier_->jwks().hold_while_fetching(verifier_);
}

STYTCH_CALL(Sessions, authenticate, internal::post(kAuthenticatePath, internal::sessions_authenticate_body))
STYTCH_CALL(Sessions, get, internal::get(internal::sessions_get_path))
STYTCH_CALL(Sessions, revoke, internal::post(kRevokePath, internal::sessions_revoke_body))

Result<sessions::GetJwksResponse> Sessions::get_jwks() const {
  const std::string path = jwks_path(verifier_->project_id());
  auto answer = core_->call<internal::JwksAnswer>(get_request(path), decoder<internal::JwksAnswer>());
  if (!answer) return std::move(answer).error();
  return public_jwks(std::move(*answer));
}

void Sessions::get_jwks_async(Callback<sessions::GetJwksResponse> on_done) const {
  const std::string path = jwks_path(verifier_->project_id());
  core_->call_async<internal::JwksAnswer>(get_request(path), decoder<internal::JwksAnswer>(),
                                          [on_done = std::move(on_done)](Result<internal::JwksAnswer> answer) {
                                            if (!answer) {
                                              deliver<sessions::GetJwksResponse>(on_done, std::move(answer).error());
                                            } else {
                                              deliver<sessions::GetJwksResponse>(on_done,
                                                                                 public_jwks(std::move(*answer)));
                                            }
                                          });
}

std::future<Result<sessions::GetJwksResponse>> Sessions::get_jwks_async() const {
  return as_future<sessions::GetJwksResponse>(
      *core_, [&](Callback<sessions::GetJwksResponse> done) { get_jwks_async(std::move(done)); });
}

Result<Session> Sessions::authenticate_jwt_local(const sessions::AuthenticateJwtLocalParams& params) const {
  return verifier_->verify(params.session_jwt, params.max_token_age, params.clock_tolerance);
}

void Sessions::authenticate_jwt_local_async(const sessions::AuthenticateJwtLocalParams& params,
                                            Callback<Session> on_done) const {
  verifier_->verify_async(params.session_jwt, params.max_token_age, params.clock_tolerance,
                          [verifier = verifier_, on_done = std::move(on_done)](Result<Session> r) {
                            deliver<Session>(on_done, std::move(r));
                          });
}

std::future<Result<Session>> Sessions::authenticate_jwt_local_async(
    const sessions::AuthenticateJwtLocalParams& params) const {
  return as_future<Session>(*core_,
                            [&](Callback<Session> done) { authenticate_jwt_local_async(params, std::move(done)); });
}

Result<sessions::AuthenticateJwtResponse> Sessions::authenticate_jwt(
    const sessions::AuthenticateJwtParams& params) const {
  auto local = verifier_->verify(params.session_jwt, params.max_token_age, params.clock_tolerance);
  if (local || !api_can_say_more(local.error())) return from_local(std::move(local), params.session_jwt);
  return from_api(authenticate(api_params(params)));
}

void Sessions::authenticate_jwt_async(const sessions::AuthenticateJwtParams& params,
                                      Callback<sessions::AuthenticateJwtResponse> on_done) const {
  // A verification waiting for the keys holds the verifier, not the client:
  // the client's end cancels it.
  std::weak_ptr<internal::Core> weak = core_;
  verifier_->verify_async(
      params.session_jwt, params.max_token_age, params.clock_tolerance,
      [weak, verifier = verifier_, params, on_done = std::move(on_done)](Result<Session> local) {
        if (local || !api_can_say_more(local.error())) {
          deliver(on_done, from_local(std::move(local), params.session_jwt));
          return;
        }
        auto core = weak.lock();
        if (!core) {
          deliver<sessions::AuthenticateJwtResponse>(on_done, client_gone());
          return;
        }
        internal::run_async<sessions::AuthenticateResponse>(
            *core, internal::post(kAuthenticatePath, internal::sessions_authenticate_body), api_params(params),
            decoder<sessions::AuthenticateResponse>(),
            [on_done](Result<sessions::AuthenticateResponse> r) { deliver(on_done, from_api(std::move(r))); });
      });
}

std::future<Result<sessions::AuthenticateJwtResponse>> Sessions::authenticate_jwt_async(
    const sessions::AuthenticateJwtParams& params) const {
  return as_future<sessions::AuthenticateJwtResponse>(*core_, [&](Callback<sessions::AuthenticateJwtResponse> done) {
    authenticate_jwt_async(params, std::move(done));
  });
}

internal::SessionVerifier& internal::SessionsTestAccess::verifier(const Sessions& sessions) {
  return *sessions.verifier_;
}

}  // namespace stytch
