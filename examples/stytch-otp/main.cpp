// stytch-otp: one-time passcodes through stytch-cpp, from the shell.

#include <stytch/stytch.hpp>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace {

constexpr const char* kUsage = R"(Usage: stytch-otp [options] COMMAND [command options]

Sends and checks one-time passcodes through the Stytch API and prints
Stytch's answer as JSON on stdout.

Commands:
  sms send                 a code by SMS to an existing user's number
  sms login-or-create      a code by SMS, creating the user if needed
  whatsapp send            the same by WhatsApp
  whatsapp login-or-create
  email send               a code by email to an existing user's address
  email login-or-create    a code by email, creating the user if needed
  authenticate             check a code: --method-id ID --code CODE
  sessions authenticate    check a session: --token T, or --jwt J (add --local
                           to verify the JWT here, with the project's public keys,
                           without asking the API)
  sessions get             the active sessions of --user-id ID
  sessions revoke          end a session: --session-id S, --token T or --jwt J
  sessions jwks            the project's public JWT signing keys

Send options:
  --phone NUMBER           E.164 phone number, such as +12025550162 (sms, whatsapp)
  --email ADDRESS          email address (email)
  --locale TAG             language of the message, such as es or pt-br
  --expiration MINUTES     minutes until the code expires (Stytch allows 1-10)
  --ip ADDRESS             the end user's IP address (attributes.ip_address)
  --user-agent UA          the end user's User-Agent (attributes.user_agent)
  --user-id ID             send: attach the number or address to this user
  --session-token T        send: attach it to the user of this session;
                           authenticate: add the factor to this session
  --session-jwt JWT        the same, by session JWT
  --pending                login-or-create: create the user as pending
  --login-template ID      email: template for existing users
  --signup-template ID     email: template for new users

Authenticate options:
  --method-id ID           the phone_id or email_id the code was sent to
  --code CODE              the code the user entered
  --session-minutes N      start a session of N minutes (Stytch allows 5-527040)
  --claims JSON            custom claims for the session, a JSON object
  --ip, --user-agent       as above

Connection options:
  --project-id ID          default: $STYTCH_PROJECT_ID
  --secret SECRET          default: $STYTCH_SECRET. Prefer the environment:
                           a command-line argument is visible to other users
                           of the machine (ps, /proc).
  --base-url URL           default: $STYTCH_BASE_URL, else Stytch's test or live
                           host chosen from the project id
  --ca-file FILE           extra CA certificates (PEM) to trust
  --timeout-ms N           limit for the whole call (default 31000)
  --verbose                log each request to stderr (method, path, status,
                           duration, request id; never bodies or secrets)
  --help                   print this help

On failure, stderr gets the error kind, HTTP status, error_type, message and
request_id, and the exit code says what happened:
  0  success
  2  bad command line
  3  invalid_argument: input or options refused before anything was sent
  4  api: Stytch answered with an error
  5  network: no answer (connection refused, TLS, DNS ...)
  6  timeout: no complete answer in time
  7  decode: an answer that is not the expected JSON
  8  invalid_jwt: a session JWT refused by local verification
  9  cancelled: the client shut down before the call completed
)";

int exit_code(stytch::ErrorKind kind) {
  switch (kind) {
    case stytch::ErrorKind::invalid_argument:
      return 3;
    case stytch::ErrorKind::api:
      return 4;
    case stytch::ErrorKind::network:
      return 5;
    case stytch::ErrorKind::timeout:
      return 6;
    case stytch::ErrorKind::decode:
      return 7;
    case stytch::ErrorKind::invalid_jwt:
      return 8;
    case stytch::ErrorKind::cancelled:
      return 9;
  }
  return 1;
}

int usage_error(const std::string& message) {
  std::cerr << "stytch-otp: " << message << "\n(see stytch-otp --help)\n";
  return 2;
}

int report(const stytch::Error& e) {
  std::cerr << "error: " << stytch::to_string(e.kind) << "\n"
            << "http_status: " << e.http_status << "\n"
            << "error_type: " << e.error_type << "\n"
            << "message: " << e.message() << "\n"
            << "request_id: " << e.request_id << "\n";
  return exit_code(e.kind);
}

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): single-threaded start-up
  return value != nullptr ? value : "";
}

// Thrown for a bad command line; main turns it into exit code 2.
struct UsageError {
  std::string message;
};

class CommandLine {
 public:
  CommandLine(int argc, char** argv) {
    static const std::set<std::string> kValueFlags = {
        "--phone",           "--email",     "--locale",        "--expiration",      "--ip",
        "--user-agent",      "--user-id",   "--session-token", "--session-jwt",     "--login-template",
        "--signup-template", "--method-id", "--code",          "--session-minutes", "--claims",
        "--project-id",      "--secret",    "--base-url",      "--ca-file",         "--timeout-ms",
        "--token",           "--jwt",       "--session-id"};
    static const std::set<std::string> kSwitches = {"--pending", "--verbose", "--help", "-h", "--local"};
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (kSwitches.count(arg) != 0) {
        flags_[arg] = "";
      } else if (kValueFlags.count(arg) != 0) {
        if (i + 1 >= argc) throw UsageError{arg + " needs a value"};
        flags_[arg] = argv[++i];
      } else if (!arg.empty() && arg[0] == '-') {
        throw UsageError{"unknown option " + arg};
      } else {
        words_.push_back(arg);
      }
    }
  }

  const std::vector<std::string>& words() const { return words_; }
  bool has(const std::string& name) const { return flags_.count(name) != 0; }

  std::optional<std::string> optional(const std::string& name) const {
    auto it = flags_.find(name);
    if (it == flags_.end()) return std::nullopt;
    return it->second;
  }

  std::string required(const std::string& name) const {
    auto value = optional(name);
    if (!value) throw UsageError{name + " is required"};
    return *value;
  }

  std::optional<int> number(const std::string& name) const {
    auto value = optional(name);
    if (!value) return std::nullopt;
    try {
      std::size_t used = 0;
      const long n = std::stol(*value, &used);
      if (used == value->size() && n >= INT_MIN && n <= INT_MAX) return static_cast<int>(n);
    } catch (const std::exception&) {
    }
    throw UsageError{name + " needs a number"};
  }

  std::optional<stytch::Attributes> attributes() const {
    if (!has("--ip") && !has("--user-agent")) return std::nullopt;
    return stytch::Attributes{optional("--ip"), optional("--user-agent")};
  }

  std::optional<bool> pending() const {
    if (!has("--pending")) return std::nullopt;
    return true;
  }

 private:
  std::vector<std::string> words_;
  std::map<std::string, std::string> flags_;
};

template <typename Response>
int print(const stytch::Result<Response>& result) {
  if (!result) return report(result.error());
  std::cout << result->raw.dump(2) << "\n";
  return 0;
}

template <typename Params>
Params phone_send(const CommandLine& cl) {
  Params p;
  p.phone_number = cl.required("--phone");
  p.expiration_minutes = cl.number("--expiration");
  p.locale = cl.optional("--locale");
  p.attributes = cl.attributes();
  p.user_id = cl.optional("--user-id");
  p.session_token = cl.optional("--session-token");
  p.session_jwt = cl.optional("--session-jwt");
  return p;
}

template <typename Params>
Params phone_login_or_create(const CommandLine& cl) {
  Params p;
  p.phone_number = cl.required("--phone");
  p.expiration_minutes = cl.number("--expiration");
  p.locale = cl.optional("--locale");
  p.attributes = cl.attributes();
  p.create_user_as_pending = cl.pending();
  return p;
}

// A session verified locally has no API answer to print: its fields are.
nlohmann::json session_json(const stytch::Session& s) {
  nlohmann::json factors = nlohmann::json::array();
  for (const auto& f : s.authentication_factors) factors.push_back(f.raw);
  return {
      {"session_id", s.session_id},
      {"user_id", s.user_id},
      {"started_at", s.started_at},
      {"last_accessed_at", s.last_accessed_at},
      {"expires_at", s.expires_at},
      {"attributes",
       {{"ip_address", s.attributes.ip_address.value_or("")}, {"user_agent", s.attributes.user_agent.value_or("")}}},
      {"authentication_factors", factors},
      {"roles", s.roles},
      {"custom_claims", s.custom_claims}};
}

int run_sessions(const CommandLine& cl, const stytch::StytchClient& client) {
  const std::vector<std::string>& w = cl.words();
  const std::string command = w.size() == 2 ? w[1] : "";
  if (command == "authenticate") {
    if (cl.has("--local")) {
      stytch::sessions::AuthenticateJwtLocalParams p;
      p.session_jwt = cl.required("--jwt");
      auto session = client.sessions.authenticate_jwt_local(p);
      if (!session) return report(session.error());
      std::cout << nlohmann::json{{"verified_locally", true}, {"session", session_json(*session)}}.dump(2) << "\n";
      return 0;
    }
    stytch::sessions::AuthenticateParams p;
    p.session_token = cl.optional("--token");
    p.session_jwt = cl.optional("--jwt");
    p.session_duration_minutes = cl.number("--session-minutes");
    return print(client.sessions.authenticate(p));
  }
  if (command == "get") {
    stytch::sessions::GetParams p;
    p.user_id = cl.required("--user-id");
    return print(client.sessions.get(p));
  }
  if (command == "revoke") {
    stytch::sessions::RevokeParams p;
    p.session_id = cl.optional("--session-id");
    p.session_token = cl.optional("--token");
    p.session_jwt = cl.optional("--jwt");
    return print(client.sessions.revoke(p));
  }
  if (command == "jwks") return print(client.sessions.get_jwks());
  throw UsageError{"unknown command"};
}

int run(const CommandLine& cl, const stytch::StytchClient& client) {
  const std::vector<std::string>& w = cl.words();
  auto is = [&](std::initializer_list<const char*> command) {
    return w.size() == command.size() && std::equal(w.begin(), w.end(), command.begin());
  };
  if (is({"sms", "send"})) return print(client.otps.sms.send(phone_send<stytch::otps::sms::SendParams>(cl)));
  if (is({"sms", "login-or-create"})) {
    return print(client.otps.sms.login_or_create(phone_login_or_create<stytch::otps::sms::LoginOrCreateParams>(cl)));
  }
  if (is({"whatsapp", "send"})) {
    return print(client.otps.whatsapp.send(phone_send<stytch::otps::whatsapp::SendParams>(cl)));
  }
  if (is({"whatsapp", "login-or-create"})) {
    return print(
        client.otps.whatsapp.login_or_create(phone_login_or_create<stytch::otps::whatsapp::LoginOrCreateParams>(cl)));
  }
  if (is({"email", "send"})) {
    stytch::otps::email::SendParams p;
    p.email = cl.required("--email");
    p.expiration_minutes = cl.number("--expiration");
    p.locale = cl.optional("--locale");
    p.attributes = cl.attributes();
    p.user_id = cl.optional("--user-id");
    p.session_token = cl.optional("--session-token");
    p.session_jwt = cl.optional("--session-jwt");
    p.login_template_id = cl.optional("--login-template");
    p.signup_template_id = cl.optional("--signup-template");
    return print(client.otps.email.send(p));
  }
  if (is({"email", "login-or-create"})) {
    stytch::otps::email::LoginOrCreateParams p;
    p.email = cl.required("--email");
    p.expiration_minutes = cl.number("--expiration");
    p.locale = cl.optional("--locale");
    p.attributes = cl.attributes();
    p.create_user_as_pending = cl.pending();
    p.login_template_id = cl.optional("--login-template");
    p.signup_template_id = cl.optional("--signup-template");
    return print(client.otps.email.login_or_create(p));
  }
  if (is({"authenticate"})) {
    stytch::otps::AuthenticateParams p;
    p.method_id = cl.required("--method-id");
    p.code = cl.required("--code");
    p.attributes = cl.attributes();
    p.session_token = cl.optional("--session-token");
    p.session_jwt = cl.optional("--session-jwt");
    p.session_duration_minutes = cl.number("--session-minutes");
    if (auto claims = cl.optional("--claims")) {
      auto parsed = nlohmann::json::parse(*claims, nullptr, false);
      if (parsed.is_discarded()) throw UsageError{"--claims needs a JSON object"};
      p.session_custom_claims = std::move(parsed);
    }
    return print(client.otps.authenticate(p));
  }
  if (!w.empty() && w[0] == "sessions") return run_sessions(cl, client);
  throw UsageError{w.empty() ? "no command given" : "unknown command"};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const CommandLine cl(argc, argv);
    if (cl.has("--help") || cl.has("-h")) {
      std::cout << kUsage;
      return 0;
    }
    stytch::ClientOptions options;
    options.project_id = cl.optional("--project-id").value_or(env_or_empty("STYTCH_PROJECT_ID"));
    options.secret = cl.optional("--secret").value_or(env_or_empty("STYTCH_SECRET"));
    options.base_url = cl.optional("--base-url").value_or(env_or_empty("STYTCH_BASE_URL"));
    options.ca_file = cl.optional("--ca-file").value_or("");
    options.user_agent_suffix = "stytch-otp";
    if (cl.has("--verbose")) {
      options.log_sink = [](const stytch::LogRecord& record) { std::cerr << "log: " << record.to_string() << "\n"; };
    }
    if (auto timeout_ms = cl.number("--timeout-ms")) options.timeout = std::chrono::milliseconds(*timeout_ms);
    if (options.project_id.empty()) return usage_error("no project id: set STYTCH_PROJECT_ID or --project-id");
    if (options.secret.empty()) return usage_error("no secret: set STYTCH_SECRET");
    if (cl.words().empty()) return usage_error("no command given");

    const stytch::StytchClient client(options);
    return run(cl, client);
  } catch (const UsageError& e) {
    return usage_error(e.message);
  } catch (const stytch::Exception& e) {
    return report(e.error());
  }
}
