#ifndef STYTCH_SRC_CORE_HPP
#define STYTCH_SRC_CORE_HPP

// What every call shares: the base URL, the transport and the log sink, and
// the one path from a request body to a typed Result.

#include "json_fields.hpp"
#include "response_mapping.hpp"
#include "transport.hpp"

#include <stytch/logging.hpp>
#include <stytch/result.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <variant>

namespace stytch::internal {

class Core {
 public:
  Core(std::string base_url, std::string user_agent, TransportConfig transport, LogSink sink)
      : base_url_(std::move(base_url)),
        base_path_(path_of(base_url_)),
        user_agent_(std::move(user_agent)),
        sink_(std::move(sink)),
        transport_(std::move(transport)) {}

  const std::string& base_url() const noexcept { return base_url_; }
  const std::string& user_agent() const noexcept { return user_agent_; }

  /// POSTs the body to base_url + path, unless the body holds a refused
  /// field, and decodes a success with `decode(const nlohmann::json&,
  /// Response&)`, which may throw FieldError.
  /// The same through the transport's I/O thread: `done` gets the Result
  /// once, on that thread (on the caller's when the input is refused or the
  /// client is shutting down). An exception from `done` is swallowed.
  template <typename Response, typename Decode>
  void call_async(const char* path, const BodyWriter& body, Decode decode, std::function<void(Result<Response>)> done) {
    if (body.error()) {
      deliver(done, Result<Response>(*body.error()));
      return;
    }
    std::string payload = body.dump();
    const std::size_t size = payload.size();
    const auto started = std::chrono::steady_clock::now();
    transport_.post_async(base_url_ + path, std::move(payload),
                          [this, path, size, started, decode, sensitive = body.sensitive(),
                           done = std::move(done)](std::variant<HttpResponse, Error> answer) mutable {
                            const auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started);
                            Result<Response> result = to_result<Response>(answer, decode, sensitive);
                            if (sink_) log(path, size, answer, result, duration);
                            deliver(done, std::move(result));
                          });
  }

  template <typename Response, typename Decode>
  Result<Response> call(const char* path, const BodyWriter& body, Decode decode) {
    if (body.error()) return *body.error();  // nothing sent, nothing to log
    const auto started = std::chrono::steady_clock::now();
    auto answer = transport_.post(base_url_ + path, body.dump());
    const auto duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    Result<Response> result = to_result<Response>(answer, decode, body.sensitive());
    if (sink_) log(path, body.dump().size(), answer, result, duration);
    return result;
  }

 private:
  template <typename Response>
  static void deliver(std::function<void(Result<Response>)>& done, Result<Response> result) {
    try {
      done(std::move(result));
    } catch (...) {  // NOLINT(bugprone-empty-catch): documented: a callback must not throw
    }
  }

  template <typename Response, typename Decode>
  static Result<Response> to_result(std::variant<HttpResponse, Error>& answer, Decode& decode,
                                    const std::vector<std::string>& sensitive) {
    if (auto* failure = std::get_if<Error>(&answer)) return *failure;
    const HttpResponse& http = std::get<HttpResponse>(answer);
    auto mapped = map_response(http);
    if (std::holds_alternative<Error>(mapped)) {
      // Error text gets logged: a server (or proxy) repeating the request's
      // phone number, email, code or token must not carry them into it.
      mapped = map_response(redacted(http, sensitive));
      Error& failure = std::get<Error>(mapped);
      failure.attempts = 1;
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
      e.attempts = 1;
      return e;
    }
    if (response.status_code == 0) response.status_code = http.status;
    response.raw = std::move(object);
    return response;
  }

  template <typename Response>
  void log(const char* path, std::size_t body_size, const std::variant<HttpResponse, Error>& answer,
           const Result<Response>& result, std::chrono::milliseconds duration) const {
    LogRecord record;
    record.method = "POST";
    record.path = base_path_ + path;
    record.duration = duration;
    record.request_headers = {{"Content-Type", "application/json"},
                              {"Accept", "application/json"},
                              {"Authorization", "REDACTED"},
                              {"User-Agent", user_agent_},
                              {"Content-Length", std::to_string(body_size)}};
    if (const auto* http = std::get_if<HttpResponse>(&answer)) {
      record.status = http->status;
      for (const auto& [name, value] : http->headers) {
        record.response_headers.emplace_back(name, is_loggable_header(name) ? value : "REDACTED");
      }
    }
    if (result) {
      record.request_id = result->request_id;
    } else {
      record.status = result.error().http_status;
      record.request_id = result.error().request_id;
      record.attempt = result.error().attempts > 0 ? result.error().attempts : 1;
      record.error = result.error().kind;
    }
    try {
      sink_(record);
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

  std::string base_url_;
  std::string base_path_;  // ends in '/'
  std::string user_agent_;
  LogSink sink_;
  // Last, so it is destroyed first: its I/O thread finishes pending calls,
  // which use the members above.
  Transport transport_;
};

}  // namespace stytch::internal

#endif
