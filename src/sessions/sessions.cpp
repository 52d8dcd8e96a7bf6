#include <stytch/sessions.hpp>

#include "base/url.hpp"
#include "call/core.hpp"
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

constexpr auto kDecode = [](const nlohmann::json& object, auto& response) { internal::decode(object, response); };

template <typename Response>
void deliver(const Sessions::Callback<Response>& done, Result<Response> result) {
  try {
    done(std::move(result));
  } catch (...) {  // NOLINT(bugprone-empty-catch): documented: a callback must not throw
  }
}

// A future fed by the callback form of a call; refused inside a callback,
// where waiting for it would wait for the thread that waits.
template <typename Response, typename Start>
std::future<Result<Response>> as_future(const internal::Core& core, Start start) {
  auto promise = std::make_shared<std::promise<Result<Response>>>();
  std::future<Result<Response>> future = promise->get_future();
  if (core.on_io_thread()) {
    promise->set_value(internal::future_inside_callback());
    return future;
  }
  start([promise](Result<Response> r) { promise->set_value(std::move(r)); });
  return future;
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
    live->call_async<internal::JwksAnswer>(
        path.c_str(), internal::BodyWriter(), kDecode,
        [done = std::move(done)](Result<internal::JwksAnswer> answer) {
          if (!answer) {
            done(std::move(answer).error());
            return;
          }
          internal::JwksFetch fetched;
          fetched.keys = std::move(answer->keys);
          for (const auto& [name, value] : answer->headers) {
            if (internal::is_cache_control(name)) fetched.max_age = internal::cache_max_age(value);
          }
          done(std::move(fetched));
        },
        internal::HttpMethod::get);
  };
  auto pump = [weak](const std::function<bool()>& ready) {
    auto live = weak.lock();
    return live && live->run_until(ready);
  };
  verifier_ = std::make_shared<internal::SessionVerifier>(std::move(project_id), core_->base_url(), std::move(fetch),
                                                          std::move(pump));
  verifier_->jwks().hold_while_fetching(verifier_);
}

Result<sessions::AuthenticateResponse> Sessions::authenticate(const sessions::AuthenticateParams& params) const {
  return core_->call<sessions::AuthenticateResponse>(kAuthenticatePath, internal::sessions_authenticate_body(params),
                                                     kDecode);
}

void Sessions::authenticate_async(const sessions::AuthenticateParams& params,
                                  Callback<sessions::AuthenticateResponse> on_done) const {
  core_->call_async<sessions::AuthenticateResponse>(kAuthenticatePath, internal::sessions_authenticate_body(params),
                                                    kDecode, std::move(on_done));
}

std::future<Result<sessions::AuthenticateResponse>> Sessions::authenticate_async(
    const sessions::AuthenticateParams& params) const {
  return as_future<sessions::AuthenticateResponse>(
      *core_, [&](Callback<sessions::AuthenticateResponse> done) { authenticate_async(params, std::move(done)); });
}

Result<sessions::GetResponse> Sessions::get(const sessions::GetParams& params) const {
  internal::BodyWriter refusals;
  const std::string path = sessions_get_path(params, refusals);
  return core_->call<sessions::GetResponse>(path.c_str(), refusals, kDecode, internal::HttpMethod::get);
}

void Sessions::get_async(const sessions::GetParams& params, Callback<sessions::GetResponse> on_done) const {
  internal::BodyWriter refusals;
  const std::string path = sessions_get_path(params, refusals);
  core_->call_async<sessions::GetResponse>(path.c_str(), refusals, kDecode, std::move(on_done),
                                           internal::HttpMethod::get);
}

std::future<Result<sessions::GetResponse>> Sessions::get_async(const sessions::GetParams& params) const {
  return as_future<sessions::GetResponse>(
      *core_, [&](Callback<sessions::GetResponse> done) { get_async(params, std::move(done)); });
}

Result<sessions::RevokeResponse> Sessions::revoke(const sessions::RevokeParams& params) const {
  return core_->call<sessions::RevokeResponse>(kRevokePath, internal::sessions_revoke_body(params), kDecode);
}

void Sessions::revoke_async(const sessions::RevokeParams& params, Callback<sessions::RevokeResponse> on_done) const {
  core_->call_async<sessions::RevokeResponse>(kRevokePath, internal::sessions_revoke_body(params), kDecode,
                                              std::move(on_done));
}

std::future<Result<sessions::RevokeResponse>> Sessions::revoke_async(const sessions::RevokeParams& params) const {
  return as_future<sessions::RevokeResponse>(
      *core_, [&](Callback<sessions::RevokeResponse> done) { revoke_async(params, std::move(done)); });
}

Result<sessions::GetJwksResponse> Sessions::get_jwks() const {
  const std::string path = jwks_path(verifier_->project_id());
  auto answer =
      core_->call<internal::JwksAnswer>(path.c_str(), internal::BodyWriter(), kDecode, internal::HttpMethod::get);
  if (!answer) return std::move(answer).error();
  return public_jwks(std::move(*answer));
}

void Sessions::get_jwks_async(Callback<sessions::GetJwksResponse> on_done) const {
  const std::string path = jwks_path(verifier_->project_id());
  core_->call_async<internal::JwksAnswer>(
      path.c_str(), internal::BodyWriter(), kDecode,
      [on_done = std::move(on_done)](Result<internal::JwksAnswer> answer) {
        if (!answer) {
          deliver<sessions::GetJwksResponse>(on_done, std::move(answer).error());
        } else {
          deliver<sessions::GetJwksResponse>(on_done, public_jwks(std::move(*answer)));
        }
      },
      internal::HttpMethod::get);
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
        core->call_async<sessions::AuthenticateResponse>(
            kAuthenticatePath, internal::sessions_authenticate_body(api_params(params)), kDecode,
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
