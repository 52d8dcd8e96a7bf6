#ifndef STYTCH_SRC_SESSIONS_JWT_SESSIONS_HPP
#define STYTCH_SRC_SESSIONS_JWT_SESSIONS_HPP

// What the consumer and B2B session products share around local JWT
// verification: a verifier whose keys come through the client's own calls,
// get_jwks, and authenticate_jwt's rule (local first; the API only for a
// token it can say more about).

#include "call/call.hpp"
#include "jwt/jwks_cache.hpp"
#include "jwt/session_verifier.hpp"

#include <stytch/sessions.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace stytch::internal {

/// The JWKS fetch of a verifier: an async GET of `path` on the client's I/O
/// thread. It does not hold the client alive (cancelled once it is gone).
JwksCache::AsyncFetch jwks_fetch(std::weak_ptr<Core> core, std::string path);
/// Runs the client's I/O loop for a blocking wait inside a callback.
JwksCache::Pump jwks_pump(std::weak_ptr<Core> core);

/// A verifier (SessionVerifier or MemberSessionVerifier) with its own JWKS
/// cache, filled from the path `jwks_path` gives for the project.
template <typename Verifier>
std::shared_ptr<Verifier> make_verifier(const std::shared_ptr<Core>& core, std::string project_id,
                                        std::string (*jwks_path)(const std::string&)) {
  auto fetch = jwks_fetch(core, jwks_path(project_id));
  auto verifier =
      std::make_shared<Verifier>(std::move(project_id), core->base_url(), std::move(fetch), jwks_pump(core));
  if (core->clock()) verifier->set_clock(core->clock());
  verifier->jwks().hold_while_fetching(verifier);
  return verifier;
}

/// GET of a JWKS, fresh.
Result<sessions::GetJwksResponse> get_jwks(Core& core, const std::string& path);
void get_jwks_async(Core& core, const std::string& path, std::function<void(Result<sessions::GetJwksResponse>)> done);

/// The refusals the API can answer differently: Stytch refreshes an expired
/// (or too old) JWT while its session lives, and knows keys a stale JWKS may
/// lack. A forged or misaddressed token never goes to it.
bool api_can_say_more(const Error& e);

/// The cancelled Error of a call whose client was destroyed meanwhile.
Error client_gone();

/// The JWT forms of a session product (get_jwks, authenticate_jwt_local,
/// authenticate_jwt), for a Product that says which verifier it has, the
/// API call that authenticates a JWT, and where the session sits in the
/// answers:
///
///   struct Product {
///     using Verifier = ...;      // SessionVerifier or MemberSessionVerifier
///     using Answer = ...;        // the AuthenticateJwtResponse
///     using ApiParams = ...;     // the authenticate call's params
///     using ApiResponse = ...;   // and answer
///     static constexpr auto answer_session = &Answer::session;
///     static constexpr auto api_session = &ApiResponse::session;
///     static const Route<ApiParams>& authenticate_route();
///     static void decode(const nlohmann::json&, ApiResponse&);  // its decoder
///   };
template <typename Product>
struct JwtForms {
  using Verifier = typename Product::Verifier;
  using SessionType = typename Verifier::session_type;
  using Answer = typename Product::Answer;
  using ApiParams = typename Product::ApiParams;
  using ApiResponse = typename Product::ApiResponse;

  static ApiParams api_params(const sessions::AuthenticateJwtParams& params) {
    ApiParams api;
    api.session_jwt = params.session_jwt;
    api.session_duration_minutes = params.session_duration_minutes;
    api.session_custom_claims = params.session_custom_claims;
    return api;
  }

  static Result<Answer> from_api(Result<ApiResponse> r) {
    if (!r) return std::move(r).error();
    Answer out;
    out.*Product::answer_session = std::move((*r).*Product::api_session);
    out.session_jwt = std::move(r->session_jwt);
    out.verified_locally = false;
    return out;
  }

  static Result<Answer> from_local(Result<SessionType> r, const std::string& jwt) {
    if (!r) return std::move(r).error();
    Answer out;
    out.*Product::answer_session = std::move(*r);
    out.session_jwt = jwt;
    out.verified_locally = true;
    return out;
  }

  static void verify_async(const std::shared_ptr<Verifier>& verifier,
                           const sessions::AuthenticateJwtLocalParams& params,
                           std::function<void(Result<SessionType>)> on_done) {
    // The callback holds the verifier while it waits for the keys.
    verifier->verify_async(params.session_jwt, params.max_token_age, params.clock_tolerance,
                           [verifier, on_done = std::move(on_done)](Result<SessionType> r) {
                             deliver<SessionType>(on_done, std::move(r));
                           });
  }

  /// Local first; the API only when it can say more.
  static Result<Answer> authenticate_jwt(Core& core, Verifier& verifier,
                                         const sessions::AuthenticateJwtParams& params) {
    auto local = verifier.verify(params.session_jwt, params.max_token_age, params.clock_tolerance);
    if (local || !api_can_say_more(local.error())) return from_local(std::move(local), params.session_jwt);
    return from_api(
        core.call<ApiResponse>(Product::authenticate_route().prepare(api_params(params)), &Product::decode));
  }

  /// The same without blocking. A verification waiting for the keys holds
  /// the verifier, not the client: the client's end cancels it.
  static void authenticate_jwt_async(const std::shared_ptr<Core>& core, const std::shared_ptr<Verifier>& verifier,
                                     const sessions::AuthenticateJwtParams& params,
                                     std::function<void(Result<Answer>)> on_done) {
    std::weak_ptr<Core> weak = core;
    verifier->verify_async(params.session_jwt, params.max_token_age, params.clock_tolerance,
                           [weak, verifier, api = api_params(params), jwt = params.session_jwt,
                            on_done = std::move(on_done)](Result<SessionType> local) {
                             if (local || !api_can_say_more(local.error())) {
                               deliver(on_done, from_local(std::move(local), jwt));
                               return;
                             }
                             auto live = weak.lock();
                             if (!live) {
                               deliver<Answer>(on_done, client_gone());
                               return;
                             }
                             live->call_async<ApiResponse>(
                                 Product::authenticate_route().prepare(api), &Product::decode,
                                 [on_done](Result<ApiResponse> r) { deliver(on_done, from_api(std::move(r))); });
                           });
  }
};

}  // namespace stytch::internal

// NOLINTBEGIN(cppcoreguidelines-macro-usage,bugprone-macro-parentheses)
/// Defines the nine JWT forms of the session class `Class` (get_jwks,
/// authenticate_jwt_local and authenticate_jwt, each blocking, future and
/// callback) over `Product` (see JwtForms), its keys at `jwks_path`.
#define STYTCH_JWT_SESSION_FORMS(Class, Product, jwks_path)                                                          \
  ::stytch::Result<::stytch::sessions::GetJwksResponse> Class::get_jwks() const {                                    \
    return ::stytch::internal::get_jwks(*core_, jwks_path(verifier_->project_id()));                                 \
  }                                                                                                                  \
  void Class::get_jwks_async(Callback<::stytch::sessions::GetJwksResponse> on_done) const {                          \
    ::stytch::internal::get_jwks_async(*core_, jwks_path(verifier_->project_id()), std::move(on_done));              \
  }                                                                                                                  \
  std::future<::stytch::Result<::stytch::sessions::GetJwksResponse>> Class::get_jwks_async() const {                 \
    return ::stytch::internal::as_future<::stytch::sessions::GetJwksResponse>(                                       \
        *core_, [&](Callback<::stytch::sessions::GetJwksResponse> done) { get_jwks_async(std::move(done)); });       \
  }                                                                                                                  \
  ::stytch::Result<::stytch::internal::JwtForms<Product>::SessionType> Class::authenticate_jwt_local(                \
      const ::stytch::sessions::AuthenticateJwtLocalParams& params) const {                                          \
    return verifier_->verify(params.session_jwt, params.max_token_age, params.clock_tolerance);                      \
  }                                                                                                                  \
  void Class::authenticate_jwt_local_async(const ::stytch::sessions::AuthenticateJwtLocalParams& params,             \
                                           Callback<::stytch::internal::JwtForms<Product>::SessionType> on_done)     \
      const {                                                                                                        \
    ::stytch::internal::JwtForms<Product>::verify_async(verifier_, params, std::move(on_done));                      \
  }                                                                                                                  \
  std::future<::stytch::Result<::stytch::internal::JwtForms<Product>::SessionType>>                                  \
  Class::authenticate_jwt_local_async(const ::stytch::sessions::AuthenticateJwtLocalParams& params) const {          \
    using S_ = ::stytch::internal::JwtForms<Product>::SessionType;                                                   \
    return ::stytch::internal::as_future<S_>(                                                                        \
        *core_, [&](Callback<S_> done) { authenticate_jwt_local_async(params, std::move(done)); });                  \
  }                                                                                                                  \
  ::stytch::Result<Product::Answer> Class::authenticate_jwt(const ::stytch::sessions::AuthenticateJwtParams& params) \
      const {                                                                                                        \
    return ::stytch::internal::JwtForms<Product>::authenticate_jwt(*core_, *verifier_, params);                      \
  }                                                                                                                  \
  void Class::authenticate_jwt_async(const ::stytch::sessions::AuthenticateJwtParams& params,                        \
                                     Callback<Product::Answer> on_done) const {                                      \
    ::stytch::internal::JwtForms<Product>::authenticate_jwt_async(core_, verifier_, params, std::move(on_done));     \
  }                                                                                                                  \
  std::future<::stytch::Result<Product::Answer>> Class::authenticate_jwt_async(                                      \
      const ::stytch::sessions::AuthenticateJwtParams& params) const {                                               \
    return ::stytch::internal::as_future<Product::Answer>(                                                           \
        *core_, [&](Callback<Product::Answer> done) { authenticate_jwt_async(params, std::move(done)); });           \
  }
// NOLINTEND(cppcoreguidelines-macro-usage,bugprone-macro-parentheses)

#endif
