#include "test_server.hpp"

#include "client_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace stytch::test {

TempDir::TempDir() {
  char tmpl[] = "/tmp/stytch-test-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
  const std::string file = path_ + "/" + name;
  mock::write_file(file, text);
  return file;
}

TestPki::TestPki() {
  mock::CertificateSpec ca_spec;
  ca_spec.common_name = "stytch-cpp test CA";
  ca_spec.is_ca = true;
  ca = mock::make_certificate(ca_spec, nullptr);
  ca_spec.common_name = "unrelated test CA";
  other_ca = mock::make_certificate(ca_spec, nullptr);
  server = mock::make_certificate(mock::CertificateSpec{}, &ca);
  ca_file = dir.write("ca.pem", ca.cert_pem);
  other_ca_file = dir.write("other-ca.pem", other_ca.cert_pem);
  server_cert_file = dir.write("server.pem", server.cert_pem);
  server_key_file = dir.write("server-key.pem", server.key_pem);
}

std::pair<std::string, std::string> TestPki::write_server(const std::string& name, const mock::CertificateSpec& spec,
                                                          const mock::Certificate* issuer) const {
  const mock::Certificate cert = mock::make_certificate(spec, issuer);
  return {dir.write(name + ".pem", cert.cert_pem), dir.write(name + "-key.pem", cert.key_pem)};
}

TestServer::TestServer(Responder responder) : server_(std::make_unique<httplib::Server>()) {
  start(std::move(responder));
}

TestServer::TestServer(Responder responder, std::size_t workers)
    : workers_(workers), server_(std::make_unique<httplib::Server>()) {
  start(std::move(responder));
}

TestServer::TestServer(Responder responder, const std::string& cert_file, const std::string& key_file)
    : https_(true), server_(std::make_unique<httplib::SSLServer>(cert_file.c_str(), key_file.c_str())) {
  if (!server_->is_valid()) throw std::runtime_error("TestServer: bad certificate or key");
  start(std::move(responder));
}

void TestServer::start(Responder responder) {
  listen_socket_.install(*server_);
  server_->set_keep_alive_max_count(100000);
  // Idle connections stay open for the whole test, so that the connections
  // a test counts are the ones the client needed (none closed and reopened).
  server_->set_keep_alive_timeout(300);
  server_->set_tcp_nodelay(true);
  // Keep-alive connections each hold a worker: leave room for many.
  // Ready once its threads exist: the server accepts only after making them
  // (while it already says it runs), and under ThreadSanitizer on a busy
  // machine that took longer than a short client timeout.
  server_->new_task_queue = [this, workers = workers_] {
    auto* pool = new httplib::ThreadPool(workers);
    pool_ready_ = true;
    return pool;
  };
  auto record_then_respond = [this, responder](const httplib::Request& req, httplib::Response& res) {
    {
      RecordedRequest r{req.method, req.path, req.body, req.headers, req.remote_addr, req.remote_port};
      std::lock_guard<std::mutex> guard(mutex_);
      connections_.insert({req.remote_addr, req.remote_port});
      requests_.push_back(std::move(r));
    }
    responder(req, res);
  };
  server_->Post(".*", record_then_respond);
  server_->Get(".*", record_then_respond);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("TestServer: cannot bind");
  listen_socket_.deepen_backlog();
  mock::start_serving(*server_, thread_, "TestServer");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!pool_ready_) {
    if (std::chrono::steady_clock::now() > deadline) {
      server_->stop();
      thread_.join();
      throw std::runtime_error("TestServer: no worker threads");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TestServer::~TestServer() {
  server_->stop();
  thread_.join();
}

std::string TestServer::base_url() const {
  return std::string(https_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + "/";
}

SSL_CTX* TestServer::ssl_context() const {
  return https_ ? static_cast<httplib::SSLServer*>(server_.get())->ssl_context() : nullptr;
}

std::vector<RecordedRequest> TestServer::requests() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return requests_;
}

std::size_t TestServer::connection_count() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return connections_.size();
}

namespace {

int bind_loopback(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

RawServer::RawServer(std::function<void(int fd)> on_connection) {
  listen_fd_ = bind_loopback(port_);
  if (::listen(listen_fd_, 64) != 0) throw std::runtime_error("listen failed");
  thread_ = std::thread([this, on_connection = std::move(on_connection)] {
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++accepted_;
      on_connection(fd);
      ::close(fd);
    }
  });
}

RawServer::~RawServer() {
  stopping_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::string read_http_request(int fd) {
  std::string data;
  char buf[4096];
  std::size_t body_needed = std::string::npos;
  std::size_t header_end = std::string::npos;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        body_needed = 0;
        const auto pos = data.find("Content-Length:");
        if (pos != std::string::npos && pos < header_end) {
          body_needed = std::strtoul(data.c_str() + pos + 15, nullptr, 10);
        }
      }
    }
    if (header_end != std::string::npos && data.size() >= header_end + 4 + body_needed) break;
  }
  return data;
}

void ok_answer(const httplib::Request&, httplib::Response& res) { res.set_content(kOkBody, "application/json"); }

std::string ok_http_answer(const std::string& protocol, bool close) {
  const std::string body = kOkBody;
  return protocol + " 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         (close ? "\r\nConnection: close" : "") + "\r\n\r\n" + body;
}

int closed_port() {
  int port = 0;
  const int fd = bind_loopback(port);
  ::close(fd);  // bound, never listened: connections to it are refused
  return port;
}

}  // namespace stytch::test
