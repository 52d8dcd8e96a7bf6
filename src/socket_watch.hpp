#ifndef STYTCH_SRC_SOCKET_WATCH_HPP
#define STYTCH_SRC_SOCKET_WATCH_HPP

// Knows the sockets libcurl opens for the transport, by their local port, so
// that an idle HTTP/1.1 connection can be looked at just before a request is
// written to it: a server that closed it (TLS close_notify, FIN or RST
// waiting in the socket) will never read that request.

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

  /// True when the connection with this local port has something waiting to
  /// be read while idle: the server closed it (or broke the protocol).
  bool closed_by_peer(long local_port);

 private:
  static curl_socket_t open_socket(void* user, curlsocktype purpose, curl_sockaddr* address);
  static int close_socket(void* user, curl_socket_t fd);
  curl_socket_t find(long local_port);

  std::mutex mutex_;
  std::vector<curl_socket_t> unnamed_;                 // opened, local port not read yet
  std::unordered_map<long, curl_socket_t> by_port_;    // local port -> socket
};

}  // namespace stytch::internal

#endif
