#include "sessions/jwt_sessions.hpp"

#include "base/text.hpp"
#include "sessions/sessions_json.hpp"

namespace stytch::internal {

namespace {

Prepared get_request(std::string path) {
  Prepared out;
  out.method = HttpMethod::get;
  out.path = std::move(path);
  return out;
}

constexpr Decoder<JwksAnswer> kJwksDecoder = &decode;

sessions::GetJwksResponse public_jwks(JwksAnswer&& answer) {
  sessions::GetJwksResponse out;
  out.status_code = answer.status_code;
  out.request_id = std::move(answer.request_id);
  out.keys = std::move(answer.keys);
  out.raw = std::move(answer.raw);
  return out;
}

}  // namespace

JwksCache::AsyncFetch jwks_fetch(std::weak_ptr<Core> core, std::string path) {
  // The keys come through an async call on the client's I/O thread, whoever
  // needs them: async verifications wait for it as callbacks, blocking ones
  // as their thread (or, inside a callback, by running the I/O loop).
  return [weak = std::move(core), path = std::move(path)](JwksCache::FetchDone done) {
    auto live = weak.lock();
    if (!live) {
      done(client_gone());
      return;
    }
    live->call_async<JwksAnswer>(get_request(path), kJwksDecoder, [done = std::move(done)](Result<JwksAnswer> answer) {
      if (!answer) {
        done(std::move(answer).error());
        return;
      }
      JwksFetch fetched;
      fetched.keys = std::move(answer->keys);
      for (const auto& [name, value] : answer->headers) {
        if (is_cache_control(name)) fetched.max_age = cache_max_age(value);
      }
      done(std::move(fetched));
    });
  };
}

JwksCache::Pump jwks_pump(std::weak_ptr<Core> core) {
  return [weak = std::move(core)](const std::function<bool()>& ready) {
    auto live = weak.lock();
    return live && live->run_until(ready);
  };
}

Result<sessions::GetJwksResponse> get_jwks(Core& core, const std::string& path) {
  auto answer = core.call<JwksAnswer>(get_request(path), kJwksDecoder);
  if (!answer) return std::move(answer).error();
  return public_jwks(std::move(*answer));
}

void get_jwks_async(Core& core, const std::string& path, std::function<void(Result<sessions::GetJwksResponse>)> done) {
  core.call_async<JwksAnswer>(get_request(path), kJwksDecoder, [done = std::move(done)](Result<JwksAnswer> answer) {
    if (!answer) {
      deliver<sessions::GetJwksResponse>(done, std::move(answer).error());
    } else {
      deliver<sessions::GetJwksResponse>(done, public_jwks(std::move(*answer)));
    }
  });
}

bool api_can_say_more(const Error& e) {
  return e.kind == ErrorKind::invalid_jwt &&
         (e.error_type == "jwt_expired" || e.error_type == "jwt_too_old" || e.error_type == "jwt_unknown_key");
}

Error client_gone() {
  Error e;
  e.kind = ErrorKind::cancelled;
  e.error_message = "the client was destroyed before the call completed";
  return e;
}

}  // namespace stytch::internal
