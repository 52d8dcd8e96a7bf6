// stytch-otp: send one-time passcodes through stytch-cpp from the shell.

#include <stytch/stytch.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

constexpr const char* kUsage = R"(Usage: stytch-otp [options] sms send --phone NUMBER [send options]

Sends a one-time passcode through the Stytch API and prints Stytch's answer
as JSON on stdout.

Send options:
  --phone NUMBER        E.164 phone number, such as +12025550162 (required)
  --locale TAG          language of the message, such as es or pt-br
  --expiration MINUTES  minutes until the code expires (Stytch allows 1-10)
  --ip ADDRESS          the end user's IP address (attributes.ip_address)
  --user-agent UA       the end user's User-Agent (attributes.user_agent)
  --user-id ID          attach the number to this existing user
  --session-token T     attach the number to the user of this session
  --session-jwt JWT     attach the number to the user of this session JWT

Connection options:
  --project-id ID       default: $STYTCH_PROJECT_ID
  --secret SECRET       default: $STYTCH_SECRET. Prefer the environment:
                        a command-line argument is visible to other users
                        of the machine (ps, /proc).
  --base-url URL        default: $STYTCH_BASE_URL, else Stytch's test or live
                        host chosen from the project id
  --ca-file FILE        extra CA certificates (PEM) to trust
  --timeout-ms N        limit for the whole call (default 31000)
  --help                print this help

On failure, stderr gets the error kind, HTTP status, error_type, message and
request_id, and the exit code says what happened:
  0  success
  2  bad command line
  3  invalid_argument: input or options refused before anything was sent
  4  api: Stytch answered with an error
  5  network: no answer (connection refused, TLS, DNS ...)
  6  timeout: no complete answer in time
  7  decode: an answer that is not the expected JSON
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

}  // namespace

int main(int argc, char** argv) {
  static const std::vector<std::string> kValueFlags = {
      "--phone",       "--locale",     "--expiration", "--ip",       "--user-agent", "--user-id",   "--session-token",
      "--session-jwt", "--project-id", "--secret",     "--base-url", "--ca-file",    "--timeout-ms"};
  std::vector<std::string> words;
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg.rfind("--", 0) == 0) {
      bool known = false;
      for (const auto& f : kValueFlags) known = known || f == arg;
      if (!known) return usage_error("unknown option " + arg);
      if (i + 1 >= argc) return usage_error(arg + " needs a value");
      flags[arg] = argv[++i];
    } else {
      words.push_back(arg);
    }
  }
  if (words != std::vector<std::string>{"sms", "send"}) return usage_error("expected the command 'sms send'");
  auto flag = [&](const std::string& name) -> const std::string* {
    auto it = flags.find(name);
    return it == flags.end() ? nullptr : &it->second;
  };
  auto optional_flag = [&](const std::string& name) -> std::optional<std::string> {
    if (const std::string* v = flag(name)) return *v;
    return std::nullopt;
  };
  auto number_flag = [&](const std::string& name, std::optional<long>& out) {
    const std::string* v = flag(name);
    if (v == nullptr) return true;
    try {
      std::size_t used = 0;
      out = std::stol(*v, &used);
      return used == v->size();
    } catch (const std::exception&) {
      return false;
    }
  };
  if (flag("--phone") == nullptr) return usage_error("--phone is required");

  stytch::ClientOptions options;
  options.project_id = flag("--project-id") ? *flag("--project-id") : env_or_empty("STYTCH_PROJECT_ID");
  options.secret = flag("--secret") ? *flag("--secret") : env_or_empty("STYTCH_SECRET");
  options.base_url = flag("--base-url") ? *flag("--base-url") : env_or_empty("STYTCH_BASE_URL");
  options.ca_file = optional_flag("--ca-file").value_or("");
  options.user_agent_suffix = "stytch-otp";
  std::optional<long> timeout_ms;
  if (!number_flag("--timeout-ms", timeout_ms)) return usage_error("--timeout-ms needs a number");
  if (timeout_ms) options.timeout = std::chrono::milliseconds(*timeout_ms);
  if (options.project_id.empty()) return usage_error("no project id: set STYTCH_PROJECT_ID or --project-id");
  if (options.secret.empty()) return usage_error("no secret: set STYTCH_SECRET");

  stytch::otps::sms::SendParams params;
  params.phone_number = *flag("--phone");
  params.locale = optional_flag("--locale");
  params.user_id = optional_flag("--user-id");
  params.session_token = optional_flag("--session-token");
  params.session_jwt = optional_flag("--session-jwt");
  std::optional<long> expiration;
  if (!number_flag("--expiration", expiration) ||
      (expiration && (*expiration < INT32_MIN || *expiration > INT32_MAX))) {
    return usage_error("--expiration needs a number of minutes");
  }
  if (expiration) params.expiration_minutes = static_cast<int>(*expiration);
  if (flag("--ip") || flag("--user-agent")) {
    params.attributes = stytch::Attributes{optional_flag("--ip"), optional_flag("--user-agent")};
  }

  try {
    stytch::StytchClient client(options);
    auto result = client.otps.sms.send(params);
    if (!result) return report(result.error());
    std::cout << result->raw.dump(2) << "\n";
    return 0;
  } catch (const stytch::Exception& e) {
    return report(e.error());
  }
}
