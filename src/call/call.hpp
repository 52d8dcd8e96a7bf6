#ifndef STYTCH_SRC_CALL_CALL_HPP
#define STYTCH_SRC_CALL_CALL_HPP

// A call is declared once, by its route (method, path, body writer) and the
// decoder of its answer; its three public forms (blocking, future,
// callback) follow from that declaration:
//
//   STYTCH_CALL(Otps::Sms, send, internal::post("v1/otps/sms/send", internal::phone_send_body))
//
// defines Otps::Sms::send and both Otps::Sms::send_async, with the decoder
// `internal::decode(const nlohmann::json&, Response&)` picked by the
// response type of the declared member. The route is evaluated inside the
// member function: qualify `internal::get` there, since a product's own
// `get` would be found first.

#include "call/core.hpp"

#include <stytch/result.hpp>

#include <functional>
#include <future>
#include <memory>
#include <string>
#include <utility>

namespace stytch::internal {

/// Where a call goes and what it sends, built from its params.
template <typename Params>
struct Route {
  using BodyOf = BodyWriter (*)(const Params&);
  /// The path from the params (a path parameter, a GET's query); refusals go
  /// in the writer.
  using PathOf = std::string (*)(const Params&, BodyWriter&);

  HttpMethod method = HttpMethod::post;
  const char* path = nullptr;  // when fixed
  PathOf path_of = nullptr;    // otherwise
  BodyOf body_of = nullptr;    // a POST's body

  Prepared prepare(const Params& params) const {
    Prepared out;
    out.method = method;
    if (body_of != nullptr) out.body = body_of(params);
    if (path_of != nullptr) {
      BodyWriter from_path;
      out.path = path_of(params, from_path);
      // The path's refusal stops the call as a body's would, and the values
      // it marked sensitive (an email address in a query) stay out of error
      // text like the body's.
      if (from_path.error() && !out.body.error()) out.body.refuse_as(*from_path.error());
      for (const auto& value : from_path.sensitive()) out.body.mark_sensitive(value);
    } else {
      out.path = path;
    }
    return out;
  }
};

/// A POST to a fixed path.
template <typename Params>
Route<Params> post(const char* path, BodyWriter (*body)(const Params&)) {
  Route<Params> r;
  r.path = path;
  r.body_of = body;
  return r;
}

/// A POST to a path built from the params.
template <typename Params>
Route<Params> post(std::string (*path)(const Params&, BodyWriter&), BodyWriter (*body)(const Params&)) {
  Route<Params> r;
  r.path_of = path;
  r.body_of = body;
  return r;
}

/// A GET, its parameters in the path.
template <typename Params>
Route<Params> get(std::string (*path)(const Params&, BodyWriter&)) {
  Route<Params> r;
  r.method = HttpMethod::get;
  r.path_of = path;
  return r;
}

/// A future fed by the callback form of a call; refused inside a callback,
/// where waiting for it would wait for the thread that waits.
template <typename Response, typename Start>
std::future<Result<Response>> as_future(const Core& core, Start start) {
  auto promise = std::make_shared<std::promise<Result<Response>>>();
  std::future<Result<Response>> future = promise->get_future();
  if (core.on_io_thread()) {
    promise->set_value(future_inside_callback());
    return future;
  }
  start([promise](Result<Response> r) { promise->set_value(std::move(r)); });
  return future;
}

template <typename Response, typename Params>
Result<Response> run(Core& core, const Route<Params>& route, const Params& params, Decoder<Response> decode) {
  return core.call<Response>(route.prepare(params), decode);
}

template <typename Response, typename Params>
void run_async(Core& core, const Route<Params>& route, const Params& params, Decoder<Response> decode,
               std::function<void(Result<Response>)> done) {
  core.call_async<Response>(route.prepare(params), decode, std::move(done));
}

template <typename Response, typename Params>
std::future<Result<Response>> run_future(Core& core, const Route<Params>& route, const Params& params,
                                         Decoder<Response> decode) {
  return as_future<Response>(core, [&](std::function<void(Result<Response>)> done) {
    run_async<Response>(core, route, params, decode, std::move(done));
  });
}

/// The params and response of a declared call `Result<R> name(const P&) const`.
template <typename Member>
struct CallOf;
template <typename Class, typename Response, typename Params>
struct CallOf<Result<Response> (Class::*)(const Params&) const> {
  using R = Response;
  using P = Params;
};

}  // namespace stytch::internal

// NOLINTBEGIN(cppcoreguidelines-macro-usage,bugprone-macro-parentheses)
/// Defines the three forms of the call `Class::name`, declared in its public
/// header, from `route`; the decoder is internal::decode for its response.
#define STYTCH_CALL(Class, name, route)                                                                             \
  auto Class::name(const ::stytch::internal::CallOf<decltype(&Class::name)>::P& params)                             \
      const->::stytch::Result<::stytch::internal::CallOf<decltype(&Class::name)>::R> {                              \
    using R_ = ::stytch::internal::CallOf<decltype(&Class::name)>::R;                                               \
    return ::stytch::internal::run<R_>(*core_, route, params,                                                       \
                                       static_cast<::stytch::internal::Decoder<R_>>(&::stytch::internal::decode));  \
  }                                                                                                                 \
  auto Class::name##_async(const ::stytch::internal::CallOf<decltype(&Class::name)>::P& params)                     \
      const->std::future<::stytch::Result<::stytch::internal::CallOf<decltype(&Class::name)>::R>> {                 \
    using R_ = ::stytch::internal::CallOf<decltype(&Class::name)>::R;                                               \
    return ::stytch::internal::run_future<R_>(                                                                      \
        *core_, route, params, static_cast<::stytch::internal::Decoder<R_>>(&::stytch::internal::decode));          \
  }                                                                                                                 \
  void Class::name##_async(                                                                                         \
      const ::stytch::internal::CallOf<decltype(&Class::name)>::P& params,                                          \
      std::function<void(::stytch::Result<::stytch::internal::CallOf<decltype(&Class::name)>::R>)> on_done) const { \
    using R_ = ::stytch::internal::CallOf<decltype(&Class::name)>::R;                                               \
    ::stytch::internal::run_async<R_>(*core_, route, params,                                                        \
                                      static_cast<::stytch::internal::Decoder<R_>>(&::stytch::internal::decode),    \
                                      std::move(on_done));                                                          \
  }
// NOLINTEND(cppcoreguidelines-macro-usage,bugprone-macro-parentheses)

#endif
