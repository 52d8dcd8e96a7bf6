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

B2B commands (members of organizations; ORG is an organization id, slug or
external id, MEMBER a member id or external id, IST an intermediate session
token from a step that stopped short of a session):
  b2b discovery send       a discovery code to --email ADDR (no organization yet)
  b2b discovery authenticate
                           check it: --email ADDR --code CODE; answers an IST
                           and the organizations the address may log in to
  b2b discovery exchange   log in to one of them: --ist IST --org ORG
  b2b discovery list       the organizations of --ist IST, --token T or --jwt J
  b2b discovery create     a new organization and its first member: --ist IST
                           [--org-name N] [--org-slug S] [--mfa-policy P]
  b2b email login-or-signup
                           a login code by email: --org ORG --email ADDR
  b2b email authenticate   check it: --org ORG --email ADDR --code CODE
                           [--session-minutes N]; may stop at MFA with an IST
  b2b sms send             an MFA code by SMS: --org ORG --member MEMBER
                           [--phone E164], and --ist IST (after the primary
                           step) or --token T / --jwt J (a step-up)
  b2b sms authenticate     check it: --org ORG --member MEMBER --code CODE and
                           one of --ist IST, --token T, --jwt J
  b2b sessions authenticate
                           check a member session: --token T, or --jwt J (add
                           --local to verify the JWT here)
  b2b sessions revoke      end sessions: --member-session-id ID, --token T,
                           --jwt J, or every session of --member MEMBER
  b2b sessions get         the live sessions of --org ORG --member MEMBER
  b2b orgs create          an organization: --name N [--slug S]
                           [--mfa-policy OPTIONAL|REQUIRED_FOR_ALL]
                           [--allowed-domain D ...] [--jit RESTRICTED|NOT_ALLOWED]
  b2b orgs get             --org ORG
  b2b members create       --org ORG --email ADDR [--name N] [--phone E164]
                           [--mfa-enrolled]
  b2b members get          --org ORG and --member ID or --email ADDR

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
    static const std::set<std::string> kValueFlags = {"--phone",
                                                      "--email",
                                                      "--locale",
                                                      "--expiration",
                                                      "--ip",
                                                      "--user-agent",
                                                      "--user-id",
                                                      "--session-token",
                                                      "--session-jwt",
                                                      "--login-template",
                                                      "--signup-template",
                                                      "--method-id",
                                                      "--code",
                                                      "--session-minutes",
                                                      "--claims",
                                                      "--project-id",
                                                      "--secret",
                                                      "--base-url",
                                                      "--ca-file",
                                                      "--timeout-ms",
                                                      "--token",
                                                      "--jwt",
                                                      "--session-id",
                                                      "--ist",
                                                      "--org",
                                                      "--org-name",
                                                      "--org-slug",
                                                      "--mfa-policy",
                                                      "--member",
                                                      "--member-session-id",
                                                      "--name",
                                                      "--slug",
                                                      "--jit",
                                                      "--allowed-domain"};
    static const std::set<std::string> kSwitches = {"--pending", "--verbose", "--help",
                                                    "-h",        "--local",   "--mfa-enrolled"};
    // Options that may be given more than once; each value is kept.
    static const std::set<std::string> kRepeatable = {"--allowed-domain"};
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (kSwitches.count(arg) != 0) {
        flags_[arg] = "";
      } else if (kValueFlags.count(arg) != 0) {
        if (i + 1 >= argc) throw UsageError{arg + " needs a value"};
        const std::string value = argv[++i];
        if (kRepeatable.count(arg) != 0) lists_[arg].push_back(value);
        flags_[arg] = value;
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

  // A switch as an optional field: true when given, left out otherwise.
  std::optional<bool> flag(const std::string& name) const {
    if (!has(name)) return std::nullopt;
    return true;
  }

  // Every value of a repeatable option, in order; nullopt when not given.
  std::optional<std::vector<std::string>> list(const std::string& name) const {
    auto it = lists_.find(name);
    if (it == lists_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::vector<std::string> words_;
  std::map<std::string, std::string> flags_;
  std::map<std::string, std::vector<std::string>> lists_;
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

// A member session verified locally: its fields, as session_json does for users.
nlohmann::json member_session_json(const stytch::b2b::MemberSession& s) {
  nlohmann::json factors = nlohmann::json::array();
  for (const auto& f : s.authentication_factors) factors.push_back(f.raw);
  return {{"member_session_id", s.member_session_id},
          {"member_id", s.member_id},
          {"organization_id", s.organization_id},
          {"organization_slug", s.organization_slug},
          {"started_at", s.started_at},
          {"last_accessed_at", s.last_accessed_at},
          {"expires_at", s.expires_at},
          {"authentication_factors", factors},
          {"roles", s.roles},
          {"custom_claims", s.custom_claims}};
}

int run_b2b_discovery(const CommandLine& cl, const stytch::StytchClient& client, const std::string& command) {
  namespace discovery = stytch::b2b::discovery;
  if (command == "send") {
    stytch::b2b::otps::email::discovery::SendParams p;
    p.email_address = cl.required("--email");
    p.locale = cl.optional("--locale");
    p.discovery_expiration_minutes = cl.number("--expiration");
    return print(client.b2b.otps.email.discovery.send(p));
  }
  if (command == "authenticate") {
    stytch::b2b::otps::email::discovery::AuthenticateParams p;
    p.email_address = cl.required("--email");
    p.code = cl.required("--code");
    return print(client.b2b.otps.email.discovery.authenticate(p));
  }
  if (command == "exchange") {
    discovery::intermediate_sessions::ExchangeParams p;
    p.intermediate_session_token = cl.required("--ist");
    p.organization_id = cl.required("--org");
    p.session_duration_minutes = cl.number("--session-minutes");
    p.locale = cl.optional("--locale");
    return print(client.b2b.discovery.intermediate_sessions.exchange(p));
  }
  if (command == "list") {
    discovery::organizations::ListParams p;
    p.intermediate_session_token = cl.optional("--ist");
    p.session_token = cl.optional("--token");
    p.session_jwt = cl.optional("--jwt");
    return print(client.b2b.discovery.organizations.list(p));
  }
  if (command == "create") {
    discovery::organizations::CreateParams p;
    p.intermediate_session_token = cl.required("--ist");
    p.organization_name = cl.optional("--org-name");
    p.organization_slug = cl.optional("--org-slug");
    p.settings.mfa_policy = cl.optional("--mfa-policy");
    p.session_duration_minutes = cl.number("--session-minutes");
    return print(client.b2b.discovery.organizations.create(p));
  }
  throw UsageError{"unknown command"};
}

int run_b2b_sessions(const CommandLine& cl, const stytch::StytchClient& client, const std::string& command) {
  namespace sessions = stytch::b2b::sessions;
  if (command == "authenticate") {
    if (cl.has("--local")) {
      sessions::AuthenticateJwtLocalParams p;
      p.session_jwt = cl.required("--jwt");
      auto session = client.b2b.sessions.authenticate_jwt_local(p);
      if (!session) return report(session.error());
      std::cout << nlohmann::json{{"verified_locally", true}, {"member_session", member_session_json(*session)}}.dump(2)
                << "\n";
      return 0;
    }
    sessions::AuthenticateParams p;
    p.session_token = cl.optional("--token");
    p.session_jwt = cl.optional("--jwt");
    p.session_duration_minutes = cl.number("--session-minutes");
    return print(client.b2b.sessions.authenticate(p));
  }
  if (command == "revoke") {
    sessions::RevokeParams p;
    p.member_session_id = cl.optional("--member-session-id");
    p.session_token = cl.optional("--token");
    p.session_jwt = cl.optional("--jwt");
    p.member_id = cl.optional("--member");
    return print(client.b2b.sessions.revoke(p));
  }
  if (command == "get") {
    sessions::GetParams p;
    p.organization_id = cl.required("--org");
    p.member_id = cl.required("--member");
    return print(client.b2b.sessions.get(p));
  }
  throw UsageError{"unknown command"};
}

int run_b2b(const CommandLine& cl, const stytch::StytchClient& client) {
  const std::vector<std::string>& w = cl.words();
  if (w.size() != 3) throw UsageError{"unknown command"};
  const std::string& group = w[1];
  const std::string& command = w[2];
  if (group == "discovery") return run_b2b_discovery(cl, client, command);
  if (group == "sessions") return run_b2b_sessions(cl, client, command);
  if (group == "email" && command == "login-or-signup") {
    stytch::b2b::otps::email::LoginOrSignupParams p;
    p.organization_id = cl.required("--org");
    p.email_address = cl.required("--email");
    p.locale = cl.optional("--locale");
    p.login_template_id = cl.optional("--login-template");
    p.signup_template_id = cl.optional("--signup-template");
    p.login_expiration_minutes = cl.number("--expiration");
    p.signup_expiration_minutes = p.login_expiration_minutes;
    return print(client.b2b.otps.email.login_or_signup(p));
  }
  if (group == "email" && command == "authenticate") {
    stytch::b2b::otps::email::AuthenticateParams p;
    p.organization_id = cl.required("--org");
    p.email_address = cl.required("--email");
    p.code = cl.required("--code");
    p.session_duration_minutes = cl.number("--session-minutes");
    p.locale = cl.optional("--locale");
    return print(client.b2b.otps.email.authenticate(p));
  }
  if (group == "sms" && command == "send") {
    stytch::b2b::otps::sms::SendParams p;
    p.organization_id = cl.required("--org");
    p.member_id = cl.required("--member");
    p.mfa_phone_number = cl.optional("--phone");
    p.intermediate_session_token = cl.optional("--ist");
    p.session_token = cl.optional("--token");
    p.session_jwt = cl.optional("--jwt");
    p.locale = cl.optional("--locale");
    return print(client.b2b.otps.sms.send(p));
  }
  if (group == "sms" && command == "authenticate") {
    stytch::b2b::otps::sms::AuthenticateParams p;
    p.organization_id = cl.required("--org");
    p.member_id = cl.required("--member");
    p.code = cl.required("--code");
    p.intermediate_session_token = cl.optional("--ist");
    p.session_token = cl.optional("--token");
    p.session_jwt = cl.optional("--jwt");
    p.session_duration_minutes = cl.number("--session-minutes");
    return print(client.b2b.otps.sms.authenticate(p));
  }
  if (group == "orgs" && command == "create") {
    stytch::b2b::organizations::CreateParams p;
    p.organization_name = cl.required("--name");
    p.organization_slug = cl.optional("--slug");
    p.settings.mfa_policy = cl.optional("--mfa-policy");
    p.settings.email_allowed_domains = cl.list("--allowed-domain");
    p.settings.email_jit_provisioning = cl.optional("--jit");
    return print(client.b2b.organizations.create(p));
  }
  if (group == "orgs" && command == "get") {
    stytch::b2b::organizations::GetParams p;
    p.organization_id = cl.required("--org");
    return print(client.b2b.organizations.get(p));
  }
  if (group == "members" && command == "create") {
    stytch::b2b::organizations::members::CreateParams p;
    p.organization_id = cl.required("--org");
    p.email_address = cl.required("--email");
    p.name = cl.optional("--name");
    p.mfa_phone_number = cl.optional("--phone");
    p.mfa_enrolled = cl.flag("--mfa-enrolled");
    return print(client.b2b.organizations.members.create(p));
  }
  if (group == "members" && command == "get") {
    stytch::b2b::organizations::members::GetParams p;
    p.organization_id = cl.required("--org");
    p.member_id = cl.optional("--member");
    p.email_address = cl.optional("--email");
    return print(client.b2b.organizations.members.get(p));
  }
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
  if (!w.empty() && w[0] == "b2b") return run_b2b(cl, client);
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
