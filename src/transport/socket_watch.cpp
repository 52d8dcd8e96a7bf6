#include "transport/socket_watch.hpp"

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

// The peer closed the connection (FIN or RST received) or, with `any_input`,
// sent anything at all.
bool closed_by_peer(curl_socket_t fd, bool any_input) {
  pollfd entry{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&entry, 1, 0) <= 0) return false;
  const short closed = POLLRDHUP | POLLHUP | POLLERR;
  return (entry.revents & (any_input ? (closed | POLLIN) : closed)) != 0;
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
      if (it->second != fd) continue;
      const long port = it->first;
      // libcurl drops an idle connection it found dead when it looked for
      // one to reuse: if the server closed it, that is an idle close seen.
      auto idle = watch->idle_since_.find(port);
      if (idle != watch->idle_since_.end() && watch->users_.count(port) == 0 && closed_by_peer(fd, false)) {
        watch->learn_idle_close(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - idle->second));
      }
      watch->users_.erase(port);
      if (idle != watch->idle_since_.end()) watch->idle_since_.erase(idle);
      watch->by_port_.erase(it);
      break;
    }
  }
  return ::close(fd);
}

curl_socket_t SocketWatch::find(long local_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = by_port_.find(local_port);
  if (it != by_port_.end()) return it->second;
  name_sockets();
  it = by_port_.find(local_port);
  return it != by_port_.end() ? it->second : CURL_SOCKET_BAD;
}

// Names the sockets connected since the last look (a port is known only
// once the socket is connected).
void SocketWatch::name_sockets() {
  for (auto fd = unnamed_.begin(); fd != unnamed_.end();) {
    const long port = local_port_of(*fd);
    if (port == 0) {
      ++fd;
      continue;
    }
    by_port_[port] = *fd;
    fd = unnamed_.erase(fd);
  }
}

void SocketWatch::enter(long local_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!unnamed_.empty() && by_port_.count(local_port) == 0) name_sockets();
  ++users_[local_port];
  idle_since_.erase(local_port);
}

void SocketWatch::leave(long local_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = users_.find(local_port);
  if (it != users_.end() && --it->second <= 0) {
    users_.erase(it);
    idle_since_[local_port] = Clock::now();
  }
}

std::chrono::milliseconds SocketWatch::idle_for(long local_port) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (users_.count(local_port) != 0) return std::chrono::milliseconds(0);
  auto it = idle_since_.find(local_port);
  if (it == idle_since_.end()) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - it->second);
}

std::chrono::milliseconds SocketWatch::reuse_limit() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return limit_locked();
}

std::chrono::milliseconds SocketWatch::limit_locked() const {
  if (shortest_idle_close_.count() == 0) return max_idle_reuse_;
  return std::min(max_idle_reuse_, shortest_idle_close_ * 3 / 4);
}

void SocketWatch::learn_idle_close(std::chrono::milliseconds idle) {
  if (idle < kShortestLearnedIdle) return;
  if (shortest_idle_close_.count() == 0 || idle < shortest_idle_close_) shortest_idle_close_ = idle;
}

void SocketWatch::lost_after_idle(std::chrono::milliseconds idle) {
  std::lock_guard<std::mutex> lock(mutex_);
  learn_idle_close(idle);
}

SocketWatch::Reuse SocketWatch::check_before_write(long local_port, std::chrono::milliseconds idle, bool any_input) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = users_.find(local_port);
    if (it != users_.end() && it->second > 1) return Reuse::ok;  // shared: not idle, and its data may be another's
  }
  const curl_socket_t fd = find(local_port);
  if (fd == CURL_SOCKET_BAD) return Reuse::ok;
  const bool closed = closed_by_peer(fd, any_input);
  Reuse verdict = Reuse::ok;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed) {
      learn_idle_close(idle);
      verdict = Reuse::closed;
    } else if (idle > limit_locked()) {
      verdict = Reuse::idle_too_long;
    }
  }
  if (verdict != Reuse::ok) ::shutdown(fd, SHUT_RDWR);
  return verdict;
}

}  // namespace stytch::internal
