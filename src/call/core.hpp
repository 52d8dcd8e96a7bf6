#ifndef STYTCH_SRC_CORE_HPP
#define STYTCH_SRC_CORE_HPP

// What every call shares: the base URL, the transport and the log sink, and
// the one path from a request body to a typed Result.

#include "call/response_mapping.hpp"
#include "call/retry.hpp"
#include "json/json_fields.hpp"
#include "transport/transport.hpp"

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

class Core {
 public:
  Core(std::string base_url, std::string user_agent, TransportConfig transport, LogSink sink, RetryPolicy retry)
      : settings_(make_settings(std::move(base_url), std::move(user_agent), std::move(sink), std::move(retry))),
        transport_(Transport::create(std::move(transport))) {}
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;
  /// Ends every pending async call (cancelled) and stops the I/O thread;
  /// safe on any thread, that one included.
  ~Core() { transport_->shutdown(); }

  const std::string& base_url() const noexcept { return settings_->base_url; }
  const std::string& user_agent() const noexcept { return settings_->user_agent; }
  bool offers_http2() const noexcept { return transport_->offers_http2(); }

  /// Whether this thread is the client's I/O thread: the caller is inside a
  /// callback.
  bool on_io_thread() const noexcept { return transport_->on_io_thread(); }
  /// A blocking wait for async work inside a callback (see
  /// Transport::run_until): false, having done nothing, off the I/O thread.
  bool run_until(const std::function<bool()>& ready) { return transport_->run_until(ready); }

  /// POSTs the body to base_url + path, unless the body holds a refused
  /// field, and decodes a success with `decode(const nlohmann::json&,
  /// Response&)`, which may throw FieldError.
  /// The same through the transport's I/O thread: `done` gets the Result
  /// once, on that thread (on the caller's when the input is refused or the
  /// client is shutting down). An exception from `done` is swallowed.
  template <typename Response, typename Decode>
  void call_async(const char* path, const BodyWriter& body, Decode decode, std::function<void(Result<Response>)> done,
                  HttpMethod method = HttpMethod::post) {
    if (body.error()) {
      deliver(done, Result<Response>(*body.error()));
      return;
    }
    auto call = std::make_shared<AsyncCall<Response, Decode>>(std::move(decode));
    call->path = path;
    call->method = method;
    call->payload = method == HttpMethod::get ? std::string() : body.dump();
    call->sensitive = body.sensitive();
    call->done = std::move(done);
    attempt_async(settings_, transport_, std::move(call), std::chrono::milliseconds(0));
  }

  /// POSTs the body to base_url + path, unless the body holds a refused
  /// field, and decodes a success with `decode(const nlohmann::json&,
  /// Response&)`, which may throw FieldError. Retries as the policy allows.
  /// A GET (`method`) sends no body: its parameters belong in `path`.
  /// Between attempts the caller's thread sleeps (RetryPolicy::sleep), but
  /// the I/O thread (a blocking call inside a callback) does not: its wait
  /// is the next attempt's delayed start, and the loop it drives meanwhile
  /// keeps the other calls going.
  template <typename Response, typename Decode>
  Result<Response> call(const char* path, const BodyWriter& body, Decode decode, HttpMethod method = HttpMethod::post) {
    if (body.error()) return *body.error();  // nothing sent, nothing to log
    const Settings& settings = *settings_;
    Request request;
    request.method = method;
    request.url = settings.base_url + path;
    if (method != HttpMethod::get) request.body = body.dump();
    std::chrono::milliseconds spent{0};
    std::chrono::milliseconds wait{0};  // the retry's wait, as a delayed start on the I/O thread
    int sent = 0;                       // attempts on the wire, over every try of the policy
    for (int attempt = 1;; ++attempt) {
      const auto started = std::chrono::steady_clock::now() + wait;
      auto answer = transport_->perform(request, wait);
      const auto duration =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
      Result<Response> result = to_result<Response>(answer, decode, body.sensitive(), sent);
      if (settings.sink) log(settings, path, method, request.body.size(), answer, result, duration, attempt);
      if (result) return result;
      spent += duration;
      const auto delay = retry_delay(settings.retry, result.error(), attempt, spent, random01());
      if (!delay) return result;
      spent += *delay;
      if (transport_->on_io_thread()) {
        wait = *delay;
      } else {
        sleep(settings.retry, *delay);
      }
    }
  }

 private:
  template <typename Response, typename Decode>
  struct AsyncCall {
    explicit AsyncCall(Decode d) : decode(std::move(d)) {}
    std::string path;  // owned: a GET's path is built per call
    HttpMethod method = HttpMethod::post;
    std::string payload;
    std::vector<std::string> sensitive;
    Decode decode;
    std::function<void(Result<Response>)> done;
    int attempt = 0;  // tries of the retry policy
    int sent = 0;     // attempts on the wire, over every try
    std::chrono::milliseconds spent{0};
  };

  // What every call reads and nothing changes: shared with pending async
  // calls, which may outlive the Core.
  struct Settings {
    std::string base_url;
    std::string base_path;  // ends in '/'
    std::string user_agent;
    LogSink sink;
    RetryPolicy retry;
  };

  static std::shared_ptr<const Settings> make_settings(std::string base_url, std::string user_agent, LogSink sink,
                                                       RetryPolicy retry) {
    std::string base_path = path_of(base_url);
    return std::make_shared<const Settings>(
        Settings{std::move(base_url), std::move(base_path), std::move(user_agent), std::move(sink), std::move(retry)});
  }

  template <typename Response, typename Decode>
  static void attempt_async(std::shared_ptr<const Settings> settings, std::shared_ptr<Transport> transport,
                            std::shared_ptr<AsyncCall<Response, Decode>> call, std::chrono::milliseconds delay) {
    ++call->attempt;
    const auto started = std::chrono::steady_clock::now() + delay;
    Request request;
    request.method = call->method;
    request.url = settings->base_url + call->path;
    request.body = call->payload;
    Transport& engine = *transport;
    engine.submit(
        std::move(request), delay,
        [settings = std::move(settings), transport = std::move(transport), call, started](Outcome answer) mutable {
          const auto duration =
              std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
          Result<Response> result = to_result<Response>(answer, call->decode, call->sensitive, call->sent);
          if (settings->sink) {
            log(*settings, call->path.c_str(), call->method, call->payload.size(), answer, result, duration,
                call->attempt);
          }
          if (!result && result.error().kind != ErrorKind::cancelled) {
            call->spent += duration;
            const auto next = retry_delay(settings->retry, result.error(), call->attempt, call->spent, random01());
            if (next) {
              call->spent += *next;
              attempt_async(std::move(settings), std::move(transport), std::move(call), *next);
              return;
            }
          }
          deliver(call->done, std::move(result));
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
  static void deliver(std::function<void(Result<Response>)>& done, Result<Response> result) {
    try {
      done(std::move(result));
    } catch (...) {  // NOLINT(bugprone-empty-catch): documented: a callback must not throw
    }
  }

  template <typename Response, typename Decode>
  static Result<Response> to_result(Outcome& answer, Decode& decode, const std::vector<std::string>& sensitive,
                                    int& sent) {
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
      e.raw = nlohmann::json::parse(clean.body, nullptr, false);
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
  static void log(const Settings& settings, const char* path, HttpMethod method, std::size_t body_size,
                  const Outcome& answer, const Result<Response>& result, std::chrono::milliseconds duration,
                  int attempt) {
    LogRecord record;
    record.attempt = attempt;
    record.method = method == HttpMethod::get ? "GET" : "POST";
    record.path = settings.base_path + path;
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
  std::shared_ptr<Transport> transport_;
};

}  // namespace stytch::internal

#endif
