// stytch-mock: serves a local stand-in for the Stytch API until interrupted.

#include "mock_server.hpp"

#include <pthread.h>
#include <csignal>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

namespace {

constexpr const char* kUsage = R"(Usage: stytch-mock [options]

A local stand-in for the Stytch OTP API, for tests and demos. It listens on
loopback only and prints the address it serves on its first line:
  stytch-mock listening on http://127.0.0.1:PORT/

Options:
  --port N           port to listen on (default 0: a free port is chosen)
  --host H           127.0.0.1 (default), ::1 or localhost
  --https            serve https; without --cert/--key a CA and a server
                     certificate are made, and the CA file is printed
  --cert FILE        server certificate chain (PEM), with --https
  --key FILE         server private key (PEM), with --https
  --tls-dir DIR      where generated TLS files go (default: a new /tmp dir)
  --project-id ID    project id it accepts (default project-test-00000000-0000-4000-8000-000000000000)
  --secret S         secret it accepts (default secret-test-mock-0000000000000000000000000000)
  --user PHONE       create a user with this phone number at start (repeatable)
  --help             print this help

Endpoints: POST /v1/otps/sms/send, GET /_mock/messages (the outbox: what
would have been delivered). The sandbox number +10000000000 always answers
200 and delivers nothing. Two numbers misbehave on purpose, for testing an
application's handling of outages: +15550000502 gets a 502 HTML page (as from
a proxy) and +15550000408 gets its answer after 3 seconds.
Stop it with Ctrl-C or SIGTERM.
)";

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
    } else if (arg == "--https") {
      options.https = true;
    } else if (arg == "--port" && value(v)) {
      try {
        options.port = std::stoi(v);
      } catch (const std::exception&) {
        return usage_error("--port needs a number");
      }
      if (options.port < 0 || options.port > 65535) return usage_error("--port must be 0 to 65535");
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
