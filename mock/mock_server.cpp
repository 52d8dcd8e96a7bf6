#include "mock_server.hpp"

#include "b2b.hpp"
#include "certs.hpp"
#include "console.hpp"
#include "listen_socket.hpp"
#include "service.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <type_traits>

namespace stytch::mock {

namespace {

using nlohmann::json;

// Numbers that make the mock misbehave on purpose, so that applications can
// test their handling of outages: a proxy's HTML error page, and a slow answer.
constexpr const char* kFaultHtml502Phone = "+15550000502";
constexpr const char* kFaultSlowPhone = "+15550000408";
constexpr auto kSlowAnswerDelay = std::chrono::seconds(3);

ServiceOptions service_options(const MockOptions& o) {
  ServiceOptions s;
  s.project_id = o.project_id;
  s.code_lifetime_seconds = o.code_lifetime_seconds;
  s.rate_limit = o.rate_limit;
  s.rate_window_seconds = o.rate_window_seconds;
  s.clock_offset_seconds = o.clock_offset_seconds;
  return s;
}

std::string base64_decode(const std::string& in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const int v = value(c);
    if (v < 0) return std::string();
    buffer = (buffer << 6U) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU);
    }
  }
  return out;
}

// Path segment `index` of the request target ("/v1/b2b/organizations/X" has
// X at 4), percent-decoded: slugs and external ids may hold `.` and `|`.
std::string path_segment(const httplib::Request& req, std::size_t index) {
  const std::string& target = req.target.empty() ? req.path : req.target;
  const std::string path = target.substr(0, target.find('?'));
  std::size_t start = 0;
  for (std::size_t i = 0; i < index; ++i) {
    start = path.find('/', start);
    if (start == std::string::npos) return std::string();
    ++start;
  }
  const std::string raw = path.substr(start, path.find('/', start) - start);
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size() && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
      out += static_cast<char>(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
      i += 2;
    } else {
      out += raw[i];
    }
  }
  return out;
}

}  // namespace

class MockServer::Impl {
 public:
  explicit Impl(MockOptions options)
      : options_(std::move(options)), service_(service_options(options_)), b2b_(service_) {
    if (options_.host != "127.0.0.1" && options_.host != "::1" && options_.host != "localhost") {
      throw std::runtime_error("stytch-mock listens on loopback only (127.0.0.1, ::1 or localhost)");
    }
    if (options_.https) {
      make_tls_files();
      server_ = std::make_unique<httplib::SSLServer>(cert_file_.c_str(), key_file_.c_str());
      if (!server_->is_valid()) throw std::runtime_error("stytch-mock: cannot load the TLS certificate or key");
    } else {
      server_ = std::make_unique<httplib::Server>();
    }
    for (const auto& user : options_.users) {
      try {
        service_.create_user(user);
      } catch (const ApiFailure& failure) {
        throw std::runtime_error("stytch-mock: --user " + user + ": " + failure.message);
      }
    }
    apply_b2b_seeds();
    listen_socket_.install(*server_);
    server_->set_tcp_nodelay(true);
    server_->set_keep_alive_max_count(1000);
    // Each keep-alive connection holds a worker while it is open.
    server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
    routes();
    install_console(*server_, service_,
                    ConsoleConfig{options_.https, [this] { return port_; }, [this] { reset(); },
                                  [this](json& state) { state["b2b"] = b2b_.console_state(); }});
    if (options_.port == 0) {
      port_ = server_->bind_to_any_port(options_.host);
    } else {
      port_ = server_->bind_to_port(options_.host, options_.port) ? options_.port : -1;
    }
    if (port_ <= 0) throw std::runtime_error("stytch-mock: cannot listen on " + options_.host);
    listen_socket_.deepen_backlog();
  }

  ~Impl() {
    stop();
    if (thread_.joinable()) thread_.join();
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  int port() const { return port_; }
  long jwks_requests() const { return jwks_requests_.load(); }
  std::string rotate_keys() { return service_.rotate_keys(); }

  std::string base_url() const {
    const std::string host = options_.host == "::1" ? "[::1]" : options_.host;
    return std::string(options_.https ? "https://" : "http://") + host + ":" + std::to_string(port_) + "/";
  }

  std::string ca_file() const { return ca_file_; }

  void start() { start_serving(*server_, thread_, "stytch-mock"); }
  void run() { server_->listen_after_bind(); }
  void stop() { server_->stop(); }
  void advance_clock(long seconds) { service_.advance_clock(seconds); }

 private:
  // Back to the state at start, with the --user users made anew.
  void reset() {
    service_.reset();
    b2b_.reset();
    for (const auto& user : options_.users) service_.create_user(user);
    apply_b2b_seeds();
  }

  // The B2B organizations and members given at start (--b2b-seed).
  void apply_b2b_seeds() {
    for (const auto& text : options_.b2b_seeds) {
      const json document = json::parse(text, nullptr, false);
      try {
        if (document.is_discarded()) throw ApiFailure{400, "invalid_request_body", "the seed is not JSON"};
        b2b_.seed(document);
      } catch (const ApiFailure& failure) {
        throw std::runtime_error("stytch-mock: --b2b-seed: " + failure.type + ": " + failure.message);
      }
    }
  }

  void make_tls_files() {
    if (!options_.cert_file.empty() || !options_.key_file.empty()) {
      if (options_.cert_file.empty() || options_.key_file.empty()) {
        throw std::runtime_error("stytch-mock: --cert and --key go together");
      }
      cert_file_ = options_.cert_file;
      key_file_ = options_.key_file;
      return;
    }
    std::string dir = options_.tls_dir;
    if (dir.empty()) {
      char tmpl[] = "/tmp/stytch-mock-tls-XXXXXX";
      if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("stytch-mock: cannot make a directory for TLS files");
      dir = tmpl;
    }
    CertificateSpec ca_spec;
    ca_spec.common_name = "stytch-mock local CA";
    ca_spec.is_ca = true;
    const Certificate ca = make_certificate(ca_spec, nullptr);
    const Certificate leaf = make_certificate(CertificateSpec{}, &ca);
    ca_file_ = dir + "/ca.pem";
    cert_file_ = dir + "/server.pem";
    key_file_ = dir + "/server-key.pem";
    write_file(ca_file_, ca.cert_pem);
    write_file(cert_file_, leaf.cert_pem);
    write_file(key_file_, leaf.key_pem);
  }

  void reply(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
  }

  void reply_error(httplib::Response& res, const ApiFailure& failure) {
    reply(res, failure.status,
          json{{"status_code", failure.status},
               {"request_id", service_.new_id("request-id")},
               {"error_type", failure.type},
               {"error_message", failure.message},
               {"error_url",
                "https://stytch.com/docs/api/errors/" + std::to_string(failure.status) + "#" + failure.type}});
  }

  bool authorized(const httplib::Request& req) const {
    const std::string header = req.get_header_value("Authorization");
    const std::string prefix = "Basic ";
    if (header.compare(0, prefix.size(), prefix) != 0) return false;
    return base64_decode(header.substr(prefix.size())) == options_.project_id + ":" + options_.secret;
  }

  // The first field sent as null (top level, attributes or options), if any.
  static const char* null_field(const json& body) {
    for (auto it = body.begin(); it != body.end(); ++it) {
      if (it->is_null()) return it.key().c_str();
      if ((it.key() == "attributes" || it.key() == "options") && it->is_object()) {
        for (auto inner = it->begin(); inner != it->end(); ++inner) {
          if (inner->is_null()) return inner.key().c_str();
        }
      }
    }
    return nullptr;
  }

  static bool simulate_fault(const json& body, httplib::Response& res) {
    if (!body.is_object()) return false;
    auto phone = body.find("phone_number");
    if (phone == body.end() || !phone->is_string()) return false;
    if (*phone == kFaultHtml502Phone) {
      res.status = 502;
      res.set_content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
      return true;
    }
    if (*phone == kFaultSlowPhone) std::this_thread::sleep_for(kSlowAnswerDelay);
    return false;
  }

  // An API endpoint: authentication, body parsing, error answers, request id.
  template <typename Handler>
  void api(const std::string& path, Handler handler) {
    server_->Post(path, [this, handler](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req)) {
        reply_error(res, {401, "unauthorized_credentials",
                          "Unauthorized credentials. Please double check your project_id and secret."});
        return;
      }
      const json body = json::parse(req.body, nullptr, false);
      if (simulate_fault(body, res)) return;
      // Stytch wants exactly this Content-Type; a charset parameter is refused.
      if (req.get_header_value("Content-Type") != "application/json") {
        reply_error(res, {400, "invalid_content_type", "Content-Type must be exactly application/json."});
        return;
      }
      if (body.is_discarded() || !body.is_object()) {
        reply_error(res, {400, "invalid_request_body", "The request body is not a JSON object."});
        return;
      }
      if (const char* field = null_field(body)) {
        reply_error(res,
                    {400, "invalid_request_body", std::string(field) + " is null: leave out a field that is not set."});
        return;
      }
      try {
        json answer;
        if constexpr (std::is_invocable_v<Handler, const httplib::Request&, const json&>) {
          answer = handler(req, body);
        } else {
          answer = handler(body);
        }
        answer["request_id"] = service_.new_id("request-id");
        reply(res, 200, answer);
      } catch (const ApiFailure& failure) {
        reply_error(res, failure);
      }
    });
  }

  // A GET endpoint of the API: authentication, error answers, request id.
  template <typename Handler>
  void api_get(const std::string& pattern, Handler handler) {
    server_->Get(pattern, [this, handler](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req)) {
        reply_error(res, {401, "unauthorized_credentials",
                          "Unauthorized credentials. Please double check your project_id and secret."});
        return;
      }
      try {
        json answer = handler(req, res);
        answer["request_id"] = service_.new_id("request-id");
        reply(res, 200, answer);
      } catch (const ApiFailure& failure) {
        reply_error(res, failure);
      }
    });
  }

  void session_routes() {
    api("/v1/sessions/authenticate", [this](const json& body) { return service_.sessions_authenticate(body); });
    api("/v1/sessions/revoke", [this](const json& body) { return service_.sessions_revoke(body); });
    api_get("/v1/sessions", [this](const httplib::Request& req, httplib::Response&) {
      return service_.sessions_get(req.get_param_value("user_id"));
    });
    api_get(R"(/v1/sessions/jwks/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      ++jwks_requests_;
      res.set_header("Cache-Control", "public, max-age=900");
      return service_.jwks(req.matches[1].str());
    });
    server_->Post("/_mock/keys/rotate", [this](const httplib::Request&, httplib::Response& res) {
      reply(res, 200, json{{"kid", service_.rotate_keys()}});
    });
  }

  void b2b_routes() {
    api("/v1/b2b/organizations", [this](const json& body) { return b2b_.organizations_create(body); });
    api_get(R"(/v1/b2b/organizations/([^/]+))", [this](const httplib::Request& req, httplib::Response&) {
      return b2b_.organizations_get(path_segment(req, 4));
    });
    api(R"(/v1/b2b/organizations/([^/]+)/members)", [this](const httplib::Request& req, const json& body) {
      return b2b_.members_create(path_segment(req, 4), body);
    });
    api_get(R"(/v1/b2b/organizations/([^/]+)/member)", [this](const httplib::Request& req, httplib::Response&) {
      return b2b_.members_get(path_segment(req, 4), req.get_param_value("member_id"),
                              req.get_param_value("email_address"));
    });
    api("/v1/b2b/otps/email/login_or_signup", [this](const json& body) { return b2b_.email_login_or_signup(body); });
    api("/v1/b2b/otps/email/authenticate", [this](const json& body) { return b2b_.email_authenticate(body); });
    api("/v1/b2b/otps/email/discovery/send", [this](const json& body) { return b2b_.discovery_send(body); });
    api("/v1/b2b/otps/email/discovery/authenticate",
        [this](const json& body) { return b2b_.discovery_authenticate(body); });
    api("/v1/b2b/otps/sms/send", [this](const json& body) { return b2b_.sms_send(body); });
    api("/v1/b2b/otps/sms/authenticate", [this](const json& body) { return b2b_.sms_authenticate(body); });
    api("/v1/b2b/discovery/intermediate_sessions/exchange",
        [this](const json& body) { return b2b_.discovery_exchange(body); });
    api("/v1/b2b/discovery/organizations", [this](const json& body) { return b2b_.discovery_organizations(body); });
    api("/v1/b2b/discovery/organizations/create", [this](const json& body) { return b2b_.discovery_create(body); });
    api("/v1/b2b/sessions/authenticate", [this](const json& body) { return b2b_.sessions_authenticate(body); });
    api("/v1/b2b/sessions/revoke", [this](const json& body) { return b2b_.sessions_revoke(body); });
    api("/v1/b2b/sessions/exchange", [this](const json& body) { return b2b_.sessions_exchange(body); });
    api_get("/v1/b2b/sessions", [this](const httplib::Request& req, httplib::Response&) {
      return b2b_.sessions_get(req.get_param_value("organization_id"), req.get_param_value("member_id"));
    });
    api_get(R"(/v1/b2b/sessions/jwks/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      ++jwks_requests_;
      res.set_header("Cache-Control", "public, max-age=900");
      return service_.jwks(path_segment(req, 5));
    });
    server_->Post("/_mock/b2b/seed", [this](const httplib::Request& req, httplib::Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      try {
        if (body.is_discarded()) throw ApiFailure{400, "invalid_request_body", "The request body is not JSON."};
        reply(res, 200, b2b_.seed(body));
      } catch (const ApiFailure& failure) {
        reply_error(res, failure);
      }
    });
  }

  void routes() {
    session_routes();
    b2b_routes();
    for (const std::string channel : {"sms", "whatsapp", "email"}) {
      api("/v1/otps/" + channel + "/send", [this, channel](const json& body) { return service_.send(channel, body); });
      api("/v1/otps/" + channel + "/login_or_create",
          [this, channel](const json& body) { return service_.login_or_create(channel, body); });
    }
    api("/v1/otps/authenticate", [this](const json& body) { return service_.authenticate(body); });

    server_->Get("/_mock/messages", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string only = req.get_param_value("destination");
      json list = json::array();
      for (const auto& m : service_.outbox()) {
        if (!only.empty() && m.destination != only) continue;
        list.push_back({{"channel", m.channel},
                        {"destination", m.destination},
                        {"method_id", m.method_id},
                        {"code", m.code},
                        {"sent_at", m.sent_at},
                        {"expires_at", m.expires_at}});
      }
      reply(res, 200, json{{"messages", list}});
    });

    server_->Get(R"(/_mock/users/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      try {
        reply(res, 200, json{{"user", service_.user(req.matches[1].str())}});
      } catch (const ApiFailure& failure) {
        reply_error(res, failure);
      }
    });

    server_->Post("/_mock/clock", [this](const httplib::Request& req, httplib::Response& res) {
      const json body = json::parse(req.body, nullptr, false);
      auto seconds = body.is_object() ? body.find("advance_seconds") : body.end();
      if (body.is_discarded() || !body.is_object() || seconds == body.end() || !seconds->is_number_integer()) {
        reply_error(res, {400, "invalid_request_body", "Expected {\"advance_seconds\": N}."});
        return;
      }
      service_.advance_clock(seconds->get<long>());
      const auto now = std::chrono::duration_cast<std::chrono::seconds>(service_.now().time_since_epoch()).count();
      reply(res, 200, json{{"now_unix", now}});
    });

    server_->set_error_handler([this](const httplib::Request&, httplib::Response& res) {
      if (res.status == 404 && res.body.empty()) {
        reply_error(res, {404, "route_not_found", "The requested endpoint does not exist."});
      }
    });
  }

  MockOptions options_;
  Service service_;
  B2bService b2b_;
  std::string cert_file_;
  std::string key_file_;
  std::string ca_file_;
  std::unique_ptr<httplib::Server> server_;
  ListenSocket listen_socket_;
  std::thread thread_;
  int port_ = -1;
  std::atomic<long> jwks_requests_{0};
};

MockServer::MockServer(MockOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
MockServer::~MockServer() = default;
int MockServer::port() const { return impl_->port(); }
std::string MockServer::base_url() const { return impl_->base_url(); }
std::string MockServer::ca_file() const { return impl_->ca_file(); }
void MockServer::start() { impl_->start(); }
void MockServer::run() { impl_->run(); }
void MockServer::stop() { impl_->stop(); }
void MockServer::advance_clock(long seconds) { impl_->advance_clock(seconds); }
long MockServer::jwks_requests() const { return impl_->jwks_requests(); }
std::string MockServer::rotate_keys() { return impl_->rotate_keys(); }

}  // namespace stytch::mock
