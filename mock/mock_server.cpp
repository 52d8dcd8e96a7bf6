#include "mock_server.hpp"

#include "certs.hpp"
#include "listen_socket.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

namespace stytch::mock {

namespace {

using nlohmann::json;

constexpr const char* kSandboxPhone = "+10000000000";
// Numbers that make the mock misbehave on purpose, so that applications can
// test their handling of outages: a proxy's HTML error page, and a slow answer.
constexpr const char* kFaultHtml502Phone = "+15550000502";
constexpr const char* kFaultSlowPhone = "+15550000408";
constexpr auto kSlowAnswerDelay = std::chrono::seconds(3);
constexpr std::array<const char*, 16> kSmsLocales = {"en", "es", "pt-br", "fr", "it", "de-DE", "zh-Hans", "ca-ES",
                                                     "ja", "ru", "nl",    "pl", "tr", "fa",    "vi",      "cs"};

bool is_e164(const std::string& s) {
  if (s.size() < 3 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
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

struct Phone {
  std::string phone_id;
  std::string phone_number;
  bool verified = false;
};

struct User {
  std::string user_id;
  std::vector<Phone> phones;
};

struct Message {
  std::string channel;
  std::string destination;
  std::string method_id;
  std::string code;
  std::string sent_at;
};

std::string now_rfc3339() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A failure answered the way Stytch answers it.
struct ApiFailure {
  int status;
  std::string type;
  std::string message;
};

}  // namespace

class MockServer::Impl {
 public:
  explicit Impl(MockOptions options) : options_(std::move(options)) {
    if (options_.host != "127.0.0.1" && options_.host != "::1" && options_.host != "localhost") {
      throw std::runtime_error("stytch-mock listens on loopback only (127.0.0.1, ::1 or localhost)");
    }
    env_ = options_.project_id.rfind("project-live-", 0) == 0 ? "live" : "test";
    if (options_.https) {
      make_tls_files();
      server_ = std::make_unique<httplib::SSLServer>(cert_file_.c_str(), key_file_.c_str());
      if (!server_->is_valid()) throw std::runtime_error("stytch-mock: cannot load the TLS certificate or key");
    } else {
      server_ = std::make_unique<httplib::Server>();
    }
    for (const auto& phone : options_.users) {
      if (!is_e164(phone)) throw std::runtime_error("stytch-mock: --user needs an E.164 phone number");
      create_user(phone);
    }
    // The sandbox user every test project has.
    sandbox_phone_ = Phone{new_id("phone-number"), kSandboxPhone, true};
    sandbox_user_id_ = new_id("user");
    listen_socket_.install(*server_);
    server_->set_tcp_nodelay(true);
    server_->set_keep_alive_max_count(1000);
    // Each keep-alive connection holds a worker while it is open.
    server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
    routes();
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

  std::string base_url() const {
    const std::string host = options_.host == "::1" ? "[::1]" : options_.host;
    return std::string(options_.https ? "https://" : "http://") + host + ":" + std::to_string(port_) + "/";
  }

  std::string ca_file() const { return ca_file_; }

  void start() {
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() only takes effect once the server runs; wait for that.
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void run() { server_->listen_after_bind(); }
  void stop() { server_->stop(); }

 private:
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

  std::string new_id(const std::string& kind) {
    std::lock_guard<std::mutex> guard(random_mutex_);
    std::uniform_int_distribution<unsigned> hex(0, 15);
    std::string uuid;
    for (int i = 0; i < 32; ++i) {
      if (i == 8 || i == 12 || i == 16 || i == 20) uuid += '-';
      unsigned digit = hex(random_);
      if (i == 12) digit = 4;                 // version 4
      if (i == 16) digit = 8 + (digit & 3U);  // RFC 4122 variant
      uuid += "0123456789abcdef"[digit];
    }
    return kind + "-" + env_ + "-" + uuid;
  }

  std::string new_code() {
    std::lock_guard<std::mutex> guard(random_mutex_);
    std::uniform_int_distribution<int> digits(0, 999999);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06d", digits(random_));
    return buf;
  }

  // Callers hold state_mutex_ or run before the server starts.
  User& create_user(const std::string& phone) {
    User user;
    user.user_id = new_id("user");
    user.phones.push_back(Phone{new_id("phone-number"), phone, false});
    phone_owner_[phone] = user.user_id;
    return users_[user.user_id] = std::move(user);
  }

  void reply(httplib::Response& res, int status, json body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
  }

  void reply_error(httplib::Response& res, const ApiFailure& failure) {
    reply(res, failure.status,
          json{{"status_code", failure.status},
               {"request_id", new_id("request-id")},
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

  // Wraps a JSON API handler: authentication, body parsing, error answers.
  template <typename Handler>
  void post(const std::string& path, Handler handler) {
    server_->Post(path, [this, handler](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req)) {
        reply_error(res, {401, "unauthorized_credentials",
                          "Unauthorized credentials. Please double check your project_id and secret."});
        return;
      }
      json body = json::parse(req.body, nullptr, false);
      if (simulate_fault(body, res)) return;
      if (body.is_discarded() || !body.is_object()) {
        reply_error(res, {400, "invalid_request_body", "The request body is not a JSON object."});
        return;
      }
      try {
        reply(res, 200, handler(body));
      } catch (const ApiFailure& failure) {
        reply_error(res, failure);
      }
    });
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

  static void check_common_send_fields(const json& body, const std::vector<const char*>& locales) {
    if (auto it = body.find("expiration_minutes"); it != body.end()) {
      if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 10) {
        throw ApiFailure{400, "invalid_expiration_minutes", "expiration_minutes must be between 1 and 10."};
      }
    }
    if (auto it = body.find("locale"); it != body.end()) {
      bool known = false;
      if (it->is_string()) {
        for (const char* l : locales) known = known || *it == l;
      }
      if (!known) throw ApiFailure{400, "invalid_locale", "The locale is not supported."};
    }
    if (auto it = body.find("attributes"); it != body.end()) {
      bool ok = it->is_object();
      if (ok) {
        for (const char* field : {"ip_address", "user_agent"}) {
          auto f = it->find(field);
          ok = ok && (f == it->end() || f->is_string());
        }
      }
      if (!ok) throw ApiFailure{400, "invalid_attributes", "attributes must hold string ip_address and user_agent."};
    }
    for (const char* field : {"user_id", "session_token", "session_jwt"}) {
      auto it = body.find(field);
      if (it != body.end() && !it->is_string()) {
        throw ApiFailure{400, std::string("invalid_") + field, std::string(field) + " must be a string."};
      }
    }
  }

  json sms_send(const json& body) {
    auto phone_it = body.find("phone_number");
    if (phone_it == body.end() || !phone_it->is_string() || !is_e164(phone_it->get<std::string>())) {
      throw ApiFailure{400, "invalid_phone_number", "phone_number format is invalid."};
    }
    check_common_send_fields(body, {kSmsLocales.begin(), kSmsLocales.end()});
    const std::string phone = phone_it->get<std::string>();
    if (body.contains("session_token") || body.contains("session_jwt")) {
      throw ApiFailure{404, "session_not_found", "Session could not be found."};
    }

    std::string user_id;
    std::string phone_id;
    if (phone == kSandboxPhone) {
      // Sandbox: answers 200 and delivers nothing, as in Stytch test projects.
      user_id = sandbox_user_id_;
      phone_id = sandbox_phone_.phone_id;
    } else {
      std::lock_guard<std::mutex> guard(state_mutex_);
      if (auto it = body.find("user_id"); it != body.end()) {
        auto user = users_.find(it->get<std::string>());
        if (user == users_.end()) throw ApiFailure{404, "user_not_found", "User could not be found."};
        auto owner = phone_owner_.find(phone);
        if (owner != phone_owner_.end() && owner->second != user->first) {
          throw ApiFailure{409, "duplicate_phone_number", "The phone number belongs to another user."};
        }
        Phone* found = find_phone(user->second, phone);
        if (found == nullptr) {
          user->second.phones.push_back(Phone{new_id("phone-number"), phone, false});
          phone_owner_[phone] = user->first;
          found = &user->second.phones.back();
        }
        user_id = user->first;
        phone_id = found->phone_id;
      } else {
        auto owner = phone_owner_.find(phone);
        if (owner == phone_owner_.end()) {
          throw ApiFailure{404, "phone_number_not_found", "Phone number could not be found."};
        }
        user_id = owner->second;
        phone_id = find_phone(users_.at(user_id), phone)->phone_id;
      }
      outbox_.push_back(Message{"sms", phone, phone_id, new_code(), now_rfc3339()});
    }
    return json{
        {"status_code", 200}, {"request_id", new_id("request-id")}, {"user_id", user_id}, {"phone_id", phone_id}};
  }

  static Phone* find_phone(User& user, const std::string& phone) {
    for (auto& p : user.phones) {
      if (p.phone_number == phone) return &p;
    }
    return nullptr;
  }

  void routes() {
    post("/v1/otps/sms/send", [this](const json& body) { return sms_send(body); });

    server_->Get("/_mock/messages", [this](const httplib::Request&, httplib::Response& res) {
      json list = json::array();
      std::lock_guard<std::mutex> guard(state_mutex_);
      for (const auto& m : outbox_) {
        list.push_back({{"channel", m.channel},
                        {"destination", m.destination},
                        {"method_id", m.method_id},
                        {"code", m.code},
                        {"sent_at", m.sent_at}});
      }
      reply(res, 200, json{{"messages", list}});
    });

    server_->set_error_handler([this](const httplib::Request&, httplib::Response& res) {
      if (res.status == 404 && res.body.empty()) {
        reply_error(res, {404, "route_not_found", "The requested endpoint does not exist."});
      }
    });
  }

  MockOptions options_;
  std::string env_;
  std::string cert_file_;
  std::string key_file_;
  std::string ca_file_;
  std::unique_ptr<httplib::Server> server_;
  ListenSocket listen_socket_;
  std::thread thread_;
  int port_ = -1;

  std::mutex random_mutex_;
  std::mt19937_64 random_{std::random_device{}()};

  std::mutex state_mutex_;
  std::map<std::string, User> users_;
  std::map<std::string, std::string> phone_owner_;
  std::vector<Message> outbox_;
  Phone sandbox_phone_;
  std::string sandbox_user_id_;
};

MockServer::MockServer(MockOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
MockServer::~MockServer() = default;
int MockServer::port() const { return impl_->port(); }
std::string MockServer::base_url() const { return impl_->base_url(); }
std::string MockServer::ca_file() const { return impl_->ca_file(); }
void MockServer::start() { impl_->start(); }
void MockServer::run() { impl_->run(); }
void MockServer::stop() { impl_->stop(); }

}  // namespace stytch::mock
