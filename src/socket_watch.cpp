#include "socket_watch.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace stytch::internal {

namespace {

long local_port_of(curl_socket_t fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return 0;
}

}  // namespace

void SocketWatch::attach(CURL* handle) {
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, &SocketWatch::open_socket);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(handle, CURLOPT_CLOSESOCKETFUNCTION, &SocketWatch::close_socket);
  curl_easy_setopt(handle, CURLOPT_CLOSESOCKETDATA, this);
}

curl_socket_t SocketWatch::open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  const curl_socket_t fd = ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  if (fd == CURL_SOCKET_BAD) return fd;
  auto* watch = static_cast<SocketWatch*>(user);
  try {
    std::lock_guard<std::mutex> lock(watch->mutex_);
    watch->unnamed_.push_back(fd);
  } catch (...) {  // NOLINT(bugprone-empty-catch): unwatched, the socket is only never checked
  }
  return fd;
}

int SocketWatch::close_socket(void* user, curl_socket_t fd) {
  auto* watch = static_cast<SocketWatch*>(user);
  {
    std::lock_guard<std::mutex> lock(watch->mutex_);
    auto& unnamed = watch->unnamed_;
    unnamed.erase(std::remove(unnamed.begin(), unnamed.end(), fd), unnamed.end());
    for (auto it = watch->by_port_.begin(); it != watch->by_port_.end(); ++it) {
      if (it->second == fd) {
        watch->users_.erase(it->first);
        watch->by_port_.erase(it);
        break;
      }
    }
  }
  return ::close(fd);
}

curl_socket_t SocketWatch::find(long local_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = by_port_.find(local_port);
  if (it != by_port_.end()) return it->second;
  // Name the sockets connected since the last look (a port is known only
  // once the socket is connected).
  curl_socket_t found = CURL_SOCKET_BAD;
  for (auto fd = unnamed_.begin(); fd != unnamed_.end();) {
    const long port = local_port_of(*fd);
    if (port == 0) {
      ++fd;
      continue;
    }
    by_port_[port] = *fd;
    if (port == local_port) found = *fd;
    fd = unnamed_.erase(fd);
  }
  return found;
}

void SocketWatch::enter(long local_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++users_[local_port];
}

void SocketWatch::leave(long local_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = users_.find(local_port);
  if (it != users_.end() && --it->second <= 0) users_.erase(it);
}

bool SocketWatch::retire_if_closed(long local_port, bool any_input) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = users_.find(local_port);
    if (it != users_.end() && it->second > 1) return false;  // shared: its data may be another's
  }
  const curl_socket_t fd = find(local_port);
  if (fd == CURL_SOCKET_BAD) return false;
  pollfd entry{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&entry, 1, 0) <= 0) return false;
  const short closed = POLLRDHUP | POLLHUP | POLLERR;
  if ((entry.revents & (any_input ? (closed | POLLIN) : closed)) == 0) return false;
  ::shutdown(fd, SHUT_RDWR);
  return true;
}

}  // namespace stytch::internal
