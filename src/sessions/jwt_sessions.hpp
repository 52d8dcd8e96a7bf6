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

/// authenticate_jwt's async form for either product: verifies locally and,
/// only when the API can say more, calls it with `ask_api(core, done)`.
/// `from_local(Result<Session>)` and `from_api(Result<ApiResponse>)` make
/// the answer. A verification waiting for the keys holds the verifier, not
/// the client: the client's end cancels it.
template <typename Answer, typename Verifier, typename FromLocal, typename AskApi>
void authenticate_jwt_async(const std::shared_ptr<Core>& core, const std::shared_ptr<Verifier>& verifier,
                            const sessions::AuthenticateJwtParams& params, FromLocal from_local, AskApi ask_api,
                            std::function<void(Result<Answer>)> on_done) {
  using SessionType = typename Verifier::session_type;
  std::weak_ptr<Core> weak = core;
  verifier->verify_async(params.session_jwt, params.max_token_age, params.clock_tolerance,
                         [weak, verifier, from_local, ask_api, jwt = params.session_jwt,
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
                           ask_api(*live, on_done);
                         });
}

}  // namespace stytch::internal

#endif
