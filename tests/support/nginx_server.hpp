#ifndef STYTCH_TESTS_NGINX_SERVER_HPP
#define STYTCH_TESTS_NGINX_SERVER_HPP

// nginx from Debian (nginx-light) on a free loopback port, with a config the
// test writes: a production server for what a hand-made one would only
// imitate (HTTP/2 GOAWAY and REFUSED_STREAM, connection rotation, idle
// closes). It answers every request with a fixed Stytch-shaped success and
// logs one line per request, so a test can count what reached it.

#include "test_server.hpp"

#include <sys/types.h>

#include <string>
#include <vector>

namespace stytch::test {

struct NginxOptions {
  /// Requests on one connection before nginx closes it (GOAWAY on HTTP/2,
  /// Connection: close on HTTP/1.1).
  int keepalive_requests = 1000000;
  /// Idle time after which nginx closes a connection, in milliseconds.
  int keepalive_timeout_ms = 300000;
  /// Offer HTTP/2 by ALPN; without it nginx agrees to HTTP/1.1 only.
  bool http2 = true;
  /// Streams at once on one HTTP/2 connection; more are refused.
  int http2_max_concurrent_streams = 128;
  /// Take every request (it is logged with status 444) and close the
  /// connection without an answer (nginx's `return 444`): a request the
  /// server processed and then lost.
  bool drop_without_answer = false;
  /// When set, "127.0.0.1:PORT" of a plain-http server every request is
  /// passed to (proxy_pass), instead of the fixed answer.
  std::string upstream;
  /// After a reload, how long an old worker finishes the requests it holds
  /// before it closes their connections (0: as long as they take).
  int worker_shutdown_timeout_ms = 0;
};

/// One line of the access log: which connection served a request, its
/// protocol, its path and status.
struct NginxLogLine {
  std::string connection;
  std::string protocol;
  std::string path;
  int status = 0;
};

class NginxServer {
 public:
  explicit NginxServer(NginxOptions options = {});
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  /// https://127.0.0.1:PORT/
  std::string base_url() const;
  /// The CA that signed the server's certificate.
  const std::string& ca_file() const { return pki_.ca_file; }
  /// Stops nginx gracefully, then returns its whole log. (nginx writes a
  /// request's line after its answer went out, so a client can hold every
  /// answer before the last line is written; once nginx has exited, every
  /// request it took is in the log.)
  std::vector<NginxLogLine> log();
  /// Distinct connections in the log (stops nginx too).
  std::size_t connections();
  /// Reloads the configuration as `nginx -s reload` does (SIGHUP to the
  /// master): new workers take new connections, the old ones finish the
  /// requests they hold and close their connections (GOAWAY on HTTP/2).
  void reload();

 private:
  bool start_on_free_port();
  void stop(int signal_number);

  NginxOptions options_;
  TestPki pki_;
  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace stytch::test

#endif
