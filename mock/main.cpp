// stytch-mock: serves a local stand-in for the Stytch API until interrupted.

#include "mock_server.hpp"

#include <pthread.h>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

namespace {

constexpr const char* kUsage = R"(Usage: stytch-mock [options]

A local stand-in for the Stytch OTP API, for tests and demos. It listens on
loopback only and prints the address it serves on its first line, then the
address of its console:
  stytch-mock listening on http://127.0.0.1:PORT/
  stytch-mock console: http://127.0.0.1:PORT/_mock/

Options:
  --port N                  port to listen on (default 0: a free port is chosen)
  --host H                  127.0.0.1 (default), ::1 or localhost
  --https                   serve https; without --cert/--key a CA and a server
                            certificate are made, and the CA file is printed
  --cert FILE               server certificate chain (PEM), with --https
  --key FILE                server private key (PEM), with --https
  --tls-dir DIR             where generated TLS files go (default: a new /tmp dir)
  --project-id ID           project id it accepts
                            (default project-test-00000000-0000-4000-8000-000000000000)
  --secret S                secret it accepts
                            (default secret-test-mock-0000000000000000000000000000)
  --user PHONE_OR_EMAIL     create an active user at start (repeatable)
  --b2b-seed FILE           create B2B organizations and members at start
                            (and after a reset) from a JSON file:
                            {"organizations": [{"organization_name": "Acme",
                              "organization_slug": "acme", <settings...>,
                              "members": [{"email_address": "a@acme.io",
                                           "mfa_phone_number": "+1...", ...}]}]}
                            (repeatable; a member may also set "status",
                            "email_address_verified", "mfa_phone_number_verified")
  --code-lifetime-seconds N codes expire after N seconds, whatever
                            expiration_minutes says (default: as asked, 2 min)
  --rate-limit N            sends allowed per destination and channel within
                            the rate window, then 429 (default 10; 0: no limit)
  --rate-window-seconds N   the rate window (default 60)
  --clock-offset-seconds N  run the mock's clock N seconds ahead
  --help                    print this help

Endpoints, as Stytch serves them (HTTP Basic auth with the project id and secret):
  POST /v1/otps/{sms,whatsapp,email}/send
  POST /v1/otps/{sms,whatsapp,email}/login_or_create
  POST /v1/otps/authenticate            (sessions get RS256 JWTs, 5 minutes of life)
  POST /v1/sessions/authenticate        (an expired JWT of a live session is refreshed)
  GET  /v1/sessions?user_id=USER_ID
  POST /v1/sessions/revoke
  GET  /v1/sessions/jwks/PROJECT_ID     (Cache-Control: public, max-age=900)
B2B (organizations, members, email and SMS codes with MFA, discovery, member sessions):
  POST /v1/b2b/organizations            GET /v1/b2b/organizations/ORG
  POST /v1/b2b/organizations/ORG/members
  GET  /v1/b2b/organizations/ORG/member?member_id=ID | ?email_address=ADDR
  POST /v1/b2b/otps/email/login_or_signup, /v1/b2b/otps/email/authenticate
  POST /v1/b2b/otps/email/discovery/send, /v1/b2b/otps/email/discovery/authenticate
  POST /v1/b2b/otps/sms/send, /v1/b2b/otps/sms/authenticate
  POST /v1/b2b/discovery/intermediate_sessions/exchange
  POST /v1/b2b/discovery/organizations, /v1/b2b/discovery/organizations/create
  POST /v1/b2b/sessions/authenticate, /v1/b2b/sessions/revoke, /v1/b2b/sessions/exchange
  GET  /v1/b2b/sessions?organization_id=ORG&member_id=ID
  GET  /v1/b2b/sessions/jwks/PROJECT_ID (the same keys as the consumer JWKS)
For tests (no auth):
  GET  /_mock/messages[?destination=D]  the outbox: every code that would have
                                        been delivered (channel, destination,
                                        method_id, code, sent_at, expires_at)
  GET  /_mock/users/USER_ID              a user as authenticate returns it
  POST /_mock/clock {"advance_seconds": N}  move the mock's clock forward
  POST /_mock/keys/rotate                add a JWT signing key; the old keys
                                        stay in the JWKS
  POST /_mock/reset                      back to the state at start
  POST /_mock/b2b/seed                   create organizations and members, as
                                        --b2b-seed does (answers their ids)
The console, a page showing the outbox, users and sessions live, with these
controls: GET /_mock/ (its data: GET /_mock/state). Requests to /_mock must
name the mock's own address in Host; controls refuse a foreign Origin.

Sandbox values behave as in Stytch test projects: +10000000000 and
sandbox@stytch.com answer 200, deliver nothing, and code 000000 authenticates
them. Two numbers misbehave on purpose, for testing an application's handling
of outages: +15550000502 gets a 502 HTML page (as from a proxy) and
+15550000408 gets its answer after 3 seconds.
Stop it with Ctrl-C or SIGTERM.
)";

bool number(const std::string& text, long low, long high, long& out) {
  try {
    std::size_t used = 0;
    const long value = std::stol(text, &used);
    if (used != text.size() || value < low || value > high) return false;
    out = value;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

int usage_error(const std::string& message) {
  std::cerr << "stytch-mock: " << message << "\n(see stytch-mock --help)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  stytch::mock::MockOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--https") {
      options.https = true;
    } else if (arg == "--port" && value(v)) {
      long port = 0;
      if (!number(v, 0, 65535, port)) return usage_error("--port must be 0 to 65535");
      options.port = static_cast<int>(port);
    } else if (arg == "--host" && value(v)) {
      options.host = v;
    } else if (arg == "--cert" && value(v)) {
      options.cert_file = v;
    } else if (arg == "--key" && value(v)) {
      options.key_file = v;
    } else if (arg == "--tls-dir" && value(v)) {
      options.tls_dir = v;
    } else if (arg == "--project-id" && value(v)) {
      options.project_id = v;
    } else if (arg == "--secret" && value(v)) {
      options.secret = v;
    } else if (arg == "--user" && value(v)) {
      options.users.push_back(v);
    } else if (arg == "--b2b-seed" && value(v)) {
      std::ifstream file(v);
      if (!file) return usage_error("--b2b-seed: cannot read " + v);
      std::ostringstream text;
      text << file.rdbuf();
      options.b2b_seeds.push_back(text.str());
    } else if (arg == "--code-lifetime-seconds" && value(v)) {
      if (!number(v, 1, 86400, options.code_lifetime_seconds))
        return usage_error("--code-lifetime-seconds: 1 to 86400");
    } else if (arg == "--rate-limit" && value(v)) {
      long limit = 0;
      if (!number(v, 0, 1000000, limit)) return usage_error("--rate-limit: 0 to 1000000");
      options.rate_limit = static_cast<int>(limit);
    } else if (arg == "--rate-window-seconds" && value(v)) {
      if (!number(v, 1, 86400, options.rate_window_seconds)) return usage_error("--rate-window-seconds: 1 to 86400");
    } else if (arg == "--clock-offset-seconds" && value(v)) {
      if (!number(v, -315360000, 315360000, options.clock_offset_seconds)) {
        return usage_error("--clock-offset-seconds: a number of seconds");
      }
    } else {
      return usage_error("unknown or incomplete option: " + arg);
    }
  }

  // Signals are taken by one thread with sigwait, which then stops the server.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    stytch::mock::MockServer server(options);
    std::cout << "stytch-mock listening on " << server.base_url() << std::endl;
    std::cout << "stytch-mock console: " << server.base_url() << "_mock/" << std::endl;
    if (!server.ca_file().empty()) std::cout << "stytch-mock CA file: " << server.ca_file() << std::endl;
    server.start();
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
  } catch (const std::exception& e) {
    std::cerr << "stytch-mock: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
