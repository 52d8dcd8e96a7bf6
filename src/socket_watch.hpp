#ifndef STYTCH_SRC_SOCKET_WATCH_HPP
#define STYTCH_SRC_SOCKET_WATCH_HPP

// Knows the sockets libcurl opens for the transport, by their local port,
// and how many requests use each, so that an idle connection can be looked
// at just before a request is written to it: a server that closed it (TLS
// close_notify, an HTTP/2 GOAWAY, FIN or RST waiting in the socket) will
// never read that request.

#include <curl/curl.h>

#include <mutex>
#include <unordered_map>
#include <vector>

namespace stytch::internal {

class SocketWatch {
 public:
  SocketWatch() = default;
  SocketWatch(const SocketWatch&) = delete;
  SocketWatch& operator=(const SocketWatch&) = delete;

  /// Installs the open/close socket callbacks on a handle.
  void attach(CURL* handle);

  /// A request starts or stops using the connection with this local port.
  void enter(long local_port);
  void leave(long local_port);

  /// True when the connection with this local port, used by no request but
  /// the caller's, was closed by the server (FIN or RST received) or, with
  /// `any_input` (HTTP/1.x, where an idle connection has nothing to read
  /// unless the server closed it), has any input waiting. Such a connection
  /// is shut down, so that libcurl drops it too. An idle HTTP/2 connection
  /// may hold harmless frames or TLS session tickets: only a close counts.
  bool retire_if_closed(long local_port, bool any_input);

 private:
  static curl_socket_t open_socket(void* user, curlsocktype purpose, curl_sockaddr* address);
  static int close_socket(void* user, curl_socket_t fd);
  curl_socket_t find(long local_port);

  std::mutex mutex_;
  std::vector<curl_socket_t> unnamed_;               // opened, local port not read yet
  std::unordered_map<long, curl_socket_t> by_port_;  // local port -> socket
  std::unordered_map<long, int> users_;              // local port -> requests on it
};

}  // namespace stytch::internal

#endif
