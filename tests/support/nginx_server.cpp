#include "nginx_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace stytch::test {

namespace {

constexpr const char* kOkAnswer =
    R"({"status_code":200,"request_id":"request-id-test-1","user_id":"user-test-1","phone_id":"phone-number-test-1"})";

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

std::string nginx_binary() {
  for (const char* path : {"/usr/sbin/nginx", "/usr/bin/nginx"}) {
    if (::access(path, X_OK) == 0) return path;
  }
  throw std::runtime_error("NginxServer: nginx is not installed (scripts/install-deps.sh installs nginx-light)");
}

}  // namespace

NginxServer::NginxServer(NginxOptions options) : options_(options) {
  // The port is free when picked but could be taken before nginx binds it:
  // then pick another.
  for (int tries = 0; tries < 5; ++tries) {
    if (start_on_free_port()) return;
  }
  throw std::runtime_error("NginxServer: nginx did not start; see " + dir_.path() + "/error.log");
}

NginxServer::~NginxServer() { stop(SIGTERM); }

bool NginxServer::start_on_free_port() {
  port_ = closed_port();  // free when picked
  const std::string dir = dir_.path();
  std::ostringstream conf;
  // A master process, so that the configuration can be reloaded; its worker
  // keeps root's identity when the tests run as root (it reads the files
  // this test wrote).
  conf << "daemon off;\nmaster_process on;\nworker_processes 1;\n"
       << (::geteuid() == 0 ? "user root;\n" : "")
       << (options_.worker_shutdown_timeout_ms > 0
               ? "worker_shutdown_timeout " + std::to_string(options_.worker_shutdown_timeout_ms) + "ms;\n"
               : std::string())
       << "pid " << dir << "/nginx.pid;\nerror_log " << dir << "/error.log warn;\n"
       << "events { worker_connections 1024; }\n"
       << "http {\n"
       << "  log_format counted '$connection $server_protocol $request_uri $status';\n"
       << "  access_log " << dir << "/access.log counted;\n"
       << "  client_body_temp_path " << dir << "/body;\n"
       << "  proxy_temp_path " << dir << "/proxy;\n"
       << "  fastcgi_temp_path " << dir << "/fastcgi;\n"
       << "  uwsgi_temp_path " << dir << "/uwsgi;\n"
       << "  scgi_temp_path " << dir << "/scgi;\n"
       << "  keepalive_requests " << options_.keepalive_requests << ";\n"
       << "  keepalive_timeout " << options_.keepalive_timeout_ms << "ms;\n"
       << "  http2_max_concurrent_streams " << options_.http2_max_concurrent_streams << ";\n"
       << "  server {\n"
       << "    listen 127.0.0.1:" << port_ << (options_.http2 ? " ssl http2;\n" : " ssl;\n") << "    ssl_certificate "
       << pki_.server_cert_file << ";\n"
       << "    ssl_certificate_key " << pki_.server_key_file << ";\n"
       << "    location / {\n";
  if (!options_.upstream.empty()) {
    conf << "      proxy_pass http://" << options_.upstream << ";\n";
  } else if (options_.drop_without_answer) {
    conf << "      return 444;\n";
  } else {
    conf << "      default_type application/json;\n"
         << "      return 200 '" << kOkAnswer << "';\n";
  }
  conf << "    }\n"
       << "  }\n"
       << "}\n";
  const std::string conf_file = dir_.write("nginx.conf", conf.str());
  dir_.write("access.log", "");
  const std::string binary = nginx_binary();
  const std::string startup_log = dir + "/error.log";
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("NginxServer: fork failed");
  if (pid_ == 0) {
    ::execl(binary.c_str(), "nginx", "-q", "-e", startup_log.c_str(), "-p", dir.c_str(), "-c", conf_file.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (accepts(port_)) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // it exited: port taken, or a bad config
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop(SIGTERM);
  return false;
}

// SIGQUIT lets nginx finish and log what it took; SIGTERM is at once. Either
// way it is killed if still there after 10 s.
void NginxServer::stop(int signal_number) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal_number);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
}

std::string NginxServer::base_url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/"; }

std::vector<NginxLogLine> NginxServer::log() {
  stop(SIGQUIT);
  std::vector<NginxLogLine> lines;
  std::ifstream in(dir_.path() + "/access.log");
  NginxLogLine line;
  while (in >> line.connection >> line.protocol >> line.path >> line.status) lines.push_back(line);
  return lines;
}

void NginxServer::reload() {
  if (pid_ > 0) ::kill(pid_, SIGHUP);
}

std::size_t NginxServer::connections() {
  std::set<std::string> distinct;
  for (const auto& line : log()) distinct.insert(line.connection);
  return distinct.size();
}

}  // namespace stytch::test
