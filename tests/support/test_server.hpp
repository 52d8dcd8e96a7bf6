#ifndef STYTCH_TESTS_TEST_SERVER_HPP
#define STYTCH_TESTS_TEST_SERVER_HPP

// Real servers on loopback for the integration tests: an HTTP(S) server that
// records every request and counts connections, a raw TCP server for
// misbehaviour, and files of certificates made at test time.

#include "certs.hpp"
#include "listen_socket.hpp"

#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace stytch::test {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::string body;
  httplib::Headers headers;
  std::string remote_addr;
  int remote_port = 0;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::size_t header_count(const std::string& name) const { return headers.count(name); }
};

/// A directory under /tmp that is removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

/// A CA, a server certificate it signed for 127.0.0.1/localhost, and a
/// second, unrelated CA, all written to files.
struct TestPki {
  TempDir dir;
  mock::Certificate ca;
  mock::Certificate server;
  mock::Certificate other_ca;
  std::string ca_file;
  std::string other_ca_file;
  std::string server_cert_file;
  std::string server_key_file;

  TestPki();
  /// Writes a server certificate made from spec and signed by issuer (or
  /// self-signed); returns {cert file, key file}.
  std::pair<std::string, std::string> write_server(const std::string& name, const mock::CertificateSpec& spec,
                                                   const mock::Certificate* issuer) const;
};

using Responder = std::function<void(const httplib::Request&, httplib::Response&)>;

/// A cpp-httplib server on 127.0.0.1 and a free port, answering every POST
/// with `responder` and recording every request.
class TestServer {
 public:
  /// Plain http.
  explicit TestServer(Responder responder);
  /// Plain http with `workers` threads serving connections (96 otherwise),
  /// for tests that count the process's threads.
  TestServer(Responder responder, std::size_t workers);
  /// https with the given certificate and key files.
  TestServer(Responder responder, const std::string& cert_file, const std::string& key_file);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  /// http://127.0.0.1:PORT/ or https://127.0.0.1:PORT/
  std::string base_url() const;
  std::vector<RecordedRequest> requests() const;
  /// Distinct client connections seen (by remote address and port).
  std::size_t connection_count() const;
  /// The TLS context of an https server (null for http), to tune before use.
  SSL_CTX* ssl_context() const;

 private:
  void start(Responder responder);

  bool https_ = false;
  std::size_t workers_ = 96;
  std::atomic<bool> pool_ready_{false};
  std::unique_ptr<httplib::Server> server_;
  mock::ListenSocket listen_socket_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::set<std::pair<std::string, int>> connections_;
};

/// A TCP listener on 127.0.0.1 that hands each accepted connection's socket
/// to `on_connection` (on the accept thread) and closes it afterwards.
class RawServer {
 public:
  explicit RawServer(std::function<void(int fd)> on_connection);
  ~RawServer();
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  int accepted() const { return accepted_.load(); }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

/// Reads from a socket until the end of the HTTP request headers and body
/// (by Content-Length), or until the peer closes. Returns what was read.
std::string read_http_request(int fd);

/// A port on 127.0.0.1 with nothing listening on it.
int closed_port();

/// A TestServer handler answering every request with the fixed success body
/// (kOkBody).
void ok_answer(const httplib::Request& req, httplib::Response& res);

/// A raw "200 OK" answer carrying the fixed success body (kOkBody), for
/// RawServer handlers; `close` adds Connection: close.
std::string ok_http_answer(const std::string& protocol = "HTTP/1.1", bool close = false);

}  // namespace stytch::test

#endif
