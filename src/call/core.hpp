#ifndef STYTCH_SRC_CORE_HPP
#define STYTCH_SRC_CORE_HPP

// What every call shares: the base URL, the transport and the log sink, and
// the one path from a request body to a typed Result.

#include "call/response_mapping.hpp"
#include "call/retry.hpp"
#include "json/json_fields.hpp"
#include "transport/engine.hpp"

#include <stytch/logging.hpp>
#include <stytch/result.hpp>

#include <cctype>
#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace stytch::internal {

/// A response type with a `headers` member gets the answer's kept headers
/// (Retry-After, Cache-Control; all of them with a log sink).
template <typename Response, typename = void>
struct wants_headers : std::false_type {};
template <typename Response>
struct wants_headers<Response, std::void_t<decltype(std::declval<Response&>().headers)>> : std::true_type {};

/// The answer of a call returning a future that is made inside a callback,
/// on the client's I/O thread: refused, nothing sent, since a wait for that
/// future there would wait for the very thread that has to complete it.
inline Error future_inside_callback() {
  Error e;
  e.kind = ErrorKind::invalid_argument;
  e.error_message =
      "a call returning a future was made inside a callback, where waiting for it would never end: use the "
      "callback form there";
  return e;
}

/// Hands a call's Result to its callback; an exception from the callback is
/// swallowed (documented: a callback must not throw).
template <typename Response>
void deliver(const std::function<void(Result<Response>)>& done, Result<Response> result) {
  try {
    done(std::move(result));
  } catch (...) {  // NOLINT(bugprone-empty-catch): documented: a callback must not throw
  }
}

/// A request as a call declares it: the method, the path below the base
/// URL (with a GET's query), and the body, whose refusals stop the call
/// before anything is sent (a GET's parameters are checked through it too).
struct Prepared {
  HttpMethod method = HttpMethod::post;
  std::string path;
  BodyWriter body;
};

/// Fills a response from the JSON object of a success; throws FieldError on
/// a wrong shape.
template <typename Response>
using Decoder = void (*)(const nlohmann::json&, Response&);

class Core {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  Core(std::string base_url, std::string user_agent, TransportConfig transport, LogSink sink, RetryPolicy retry,
       Clock clock = {})
      : settings_(make_settings(std::move(base_url), std::move(user_agent), std::move(sink), std::move(retry))),
        transport_(make_engine(std::move(transport))),
        clock_(std::move(clock)) {}
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;
  /// Ends every pending async call (cancelled) and stops the I/O thread;
  /// safe on any thread, that one included.
  ~Core() { transport_->shutdown(); }

  const std::string& base_url() const noexcept { return settings_->base_url; }
  const std::string& user_agent() const noexcept { return settings_->user_agent; }
  /// The clock session JWTs are verified by; empty: the system clock.
  const Clock& clock() const noexcept { return clock_; }
  bool offers_http2() const noexcept { return transport_->offers_http2(); }

  /// Whether this thread is the client's I/O thread: the caller is inside a
  /// callback.
  bool on_io_thread() const noexcept { return transport_->on_io_thread(); }
  /// A blocking wait for async work inside a callback (see
  /// Engine::run_until): false, having done nothing, off the I/O thread.
  bool run_until(const std::function<bool()>& ready) { return transport_->run_until(ready); }

  /// Sends the request (a GET's parameters are in its path) unless its
  /// body holds a refused field, and decodes a success with `decode`, which
  /// may throw FieldError; retries as the policy allows. `done` gets the
  /// Result once, on the I/O thread (on the caller's when the input is
  /// refused or the client is shutting down); an exception from it is
  /// swallowed. The retry's wait is the next attempt's delayed start.
  template <typename Response>
  void call_async(Prepared request, Decoder<Response> decode, std::function<void(Result<Response>)> done) {
    if (request.body.error()) {
      deliver(done, Result<Response>(*request.body.error()));
      return;
    }
    auto attempts = std::make_shared<Attempts<Response>>(settings_, std::move(request), decode);
    attempts->done = std::move(done);
    attempt_async(transport_, std::move(attempts), std::chrono::milliseconds(0));
  }

  /// The same, blocking. Between attempts the caller's thread sleeps
  /// (RetryPolicy::sleep), but the I/O thread (a blocking call inside a
  /// callback) does not: its wait is the next attempt's delayed start, and
  /// the loop it drives meanwhile keeps the other calls going.
  template <typename Response>
  Result<Response> call(Prepared request, Decoder<Response> decode) {
    if (request.body.error()) return *request.body.error();  // nothing sent, nothing to log
    Attempts<Response> attempts(settings_, std::move(request), decode);
    std::chrono::milliseconds wait{0};
    for (;;) {
      const auto started = std::chrono::steady_clock::now() + wait;
      Outcome answer = transport_->perform(attempts.request(), wait);
      auto next = attempts.settle(answer, started);
      if (auto* result = std::get_if<Result<Response>>(&next)) return std::move(*result);
      wait = std::get<std::chrono::milliseconds>(next);
      if (!transport_->on_io_thread()) {
        sleep(settings_->retry, wait);
        wait = std::chrono::milliseconds(0);
      }
    }
  }

 private:
  // What every call reads and nothing changes: shared with pending async
  // calls, which may outlive the Core.
  struct Settings {
    std::string base_url;
    std::string base_path;  // ends in '/'
    std::string user_agent;
    LogSink sink;
    RetryPolicy retry;
  };

  /// The one retry loop, whichever form drives it: each attempt's outcome
  /// becomes the call's Result (mapped, decoded, logged) or the wait before
  /// the next attempt, as the policy allows.
  template <typename Response>
  class Attempts {
   public:
    Attempts(std::shared_ptr<const Settings> settings, Prepared prepared, Decoder<Response> decode)
        : settings_(std::move(settings)),
          path_(std::move(prepared.path)),
          method_(prepared.method),
          payload_(method_ == HttpMethod::get ? std::string() : prepared.body.dump()),
          sensitive_(prepared.body.sensitive()),
          decode_(decode) {}

    Request request() const {
      Request r;
      r.method = method_;
      r.url = settings_->base_url + path_;
      r.body = payload_;
      return r;
    }

    /// The Result, or the wait before the next attempt. `started` is when
    /// this attempt started (after its delay).
    std::variant<Result<Response>, std::chrono::milliseconds> settle(Outcome& answer,
                                                                     std::chrono::steady_clock::time_point started) {
      ++attempt_;
      const auto duration =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
      Result<Response> result = to_result<Response>(answer, decode_, sensitive_, sent_);
      if (settings_->sink) log(*settings_, path_, method_, payload_.size(), answer, result, duration, attempt_);
      if (result || result.error().kind == ErrorKind::cancelled) return result;
      spent_ += duration;
      const auto delay = retry_delay(settings_->retry, result.error(), attempt_, spent_, random01());
      if (!delay) return result;
      spent_ += *delay;
      return *delay;
    }

    std::function<void(Result<Response>)> done;  // the async form's

   private:
    std::shared_ptr<const Settings> settings_;
    std::string path_;
    HttpMethod method_;
    std::string payload_;
    std::vector<std::string> sensitive_;
    Decoder<Response> decode_;
    int attempt_ = 0;  // tries of the retry policy
    int sent_ = 0;     // attempts on the wire, over every try
    std::chrono::milliseconds spent_{0};
  };

  static std::shared_ptr<const Settings> make_settings(std::string base_url, std::string user_agent, LogSink sink,
                                                       RetryPolicy retry) {
    std::string base_path = path_of(base_url);
    return std::make_shared<const Settings>(
        Settings{std::move(base_url), std::move(base_path), std::move(user_agent), std::move(sink), std::move(retry)});
  }

  template <typename Response>
  static void attempt_async(std::shared_ptr<Engine> transport, std::shared_ptr<Attempts<Response>> attempts,
                            std::chrono::milliseconds delay) {
    const auto started = std::chrono::steady_clock::now() + delay;
    Engine& engine = *transport;
    engine.submit(attempts->request(), delay,
                  [transport = std::move(transport), attempts, started](Outcome answer) mutable {
                    auto next = attempts->settle(answer, started);
                    if (auto* result = std::get_if<Result<Response>>(&next)) {
                      deliver(attempts->done, std::move(*result));
                      return;
                    }
                    const auto wait = std::get<std::chrono::milliseconds>(next);
                    attempt_async(std::move(transport), std::move(attempts), wait);
                  });
  }

  static void sleep(const RetryPolicy& retry, std::chrono::milliseconds delay) {
    if (retry.sleep) {
      retry.sleep(delay);
    } else {
      std::this_thread::sleep_for(delay);
    }
  }

  static double random01() {
    thread_local std::minstd_rand engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  }

  template <typename Response>
  static Result<Response> to_result(Outcome& answer, Decoder<Response> decode,
                                    const std::vector<std::string>& sensitive, int& sent) {
    if (auto* failure = std::get_if<Error>(&answer)) {
      Error e = *failure;
      sent += e.attempts;
      e.attempts = sent;
      return e;
    }
    const HttpResponse& http = std::get<HttpResponse>(answer);
    sent += http.attempts;
    const int attempt = sent;
    auto mapped = map_response(http);
    if (std::holds_alternative<Error>(mapped)) {
      // Error text gets logged: a server (or proxy) repeating the request's
      // phone number, email, code or token must not carry them into it.
      mapped = map_response(redacted(http, sensitive));
      Error& failure = std::get<Error>(mapped);
      failure.attempts = attempt;
      failure.may_have_reached_server = true;  // an answer came
      failure.retry_after = retry_after_of(http);
      return std::move(failure);
    }
    nlohmann::json& object = std::get<nlohmann::json>(mapped);
    Response response;
    try {
      decode(object, response);
    } catch (const FieldError& bad_field) {
      const HttpResponse clean = redacted(http, sensitive);
      Error e = decode_error(clean.status, clean.body, bad_field.what());
      // A success that could not be read may hold what the server just
      // made (session tokens, JWTs, ISTs) and personal data (email
      // addresses, phone numbers): they are blanked in what the Error keeps.
      object = nlohmann::json::parse(clean.body, nullptr, false);
      redact_secret_fields(object);
      e.body_excerpt = body_excerpt(object.dump());
      e.raw = std::move(object);
      read_optional(e.raw, "request_id", e.request_id);
      e.attempts = attempt;
      e.may_have_reached_server = true;
      return e;
    }
    if (response.status_code == 0) response.status_code = http.status;
    if constexpr (wants_headers<Response>::value) response.headers = http.headers;
    response.raw = std::move(object);
    return response;
  }

  static std::chrono::milliseconds retry_after_of(const HttpResponse& http) {
    if (http.status != 429 && http.status != 503) return std::chrono::milliseconds(0);
    for (const auto& [name, value] : http.headers) {
      if (is_retry_after(name)) {
        return parse_retry_after(value, std::chrono::system_clock::now()).value_or(std::chrono::milliseconds(0));
      }
    }
    return std::chrono::milliseconds(0);
  }

  template <typename Response>
  static void log(const Settings& settings, const std::string& path, HttpMethod method, std::size_t body_size,
                  const Outcome& answer, const Result<Response>& result, std::chrono::milliseconds duration,
                  int attempt) {
    LogRecord record;
    record.attempt = attempt;
    record.method = method == HttpMethod::get ? "GET" : "POST";
    // A GET's query holds ids and email addresses: the path goes without it.
    record.path = settings.base_path + path.substr(0, path.find('?'));
    record.duration = duration;
    record.request_headers = {{"Content-Type", "application/json"},
                              {"Accept", "application/json"},
                              {"Authorization", "REDACTED"},
                              {"User-Agent", settings.user_agent},
                              {"Content-Length", std::to_string(body_size)}};
    if (const auto* http = std::get_if<HttpResponse>(&answer)) {
      record.sends = http->attempts;
      record.status = http->status;
      for (const auto& [name, value] : http->headers) {
        record.response_headers.emplace_back(name, is_loggable_header(name) ? value : "REDACTED");
      }
    }
    if (const auto* failure = std::get_if<Error>(&answer)) record.sends = failure->attempts;
    if (result) {
      record.request_id = result->request_id;
    } else {
      record.status = result.error().http_status;
      record.request_id = result.error().request_id;
      record.error = result.error().kind;
    }
    try {
      settings.sink(record);
    } catch (...) {  // NOLINT(bugprone-empty-catch): a failing sink must not fail the call
    }
  }

  static HttpResponse redacted(const HttpResponse& http, const std::vector<std::string>& sensitive) {
    HttpResponse copy = http;
    for (const auto& value : sensitive) redact_all(copy.body, value);
    return copy;
  }

  static std::string path_of(const std::string& url) {
    const auto scheme_end = url.find("://");
    const auto path_start = scheme_end == std::string::npos ? std::string::npos : url.find('/', scheme_end + 3);
    return path_start == std::string::npos ? "/" : url.substr(path_start);
  }

  std::shared_ptr<const Settings> settings_;
  std::shared_ptr<Engine> transport_;
  Clock clock_;
};

}  // namespace stytch::internal

#endif
