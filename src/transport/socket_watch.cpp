#include "transport/socket_watch.hpp"

#include <algorithm>
#include <type_traits>

namespace stytch::internal {

// The platform layer's socket is libcurl's: the callbacks hand it straight
// through.
static_assert(std::is_same_v<platform::Socket, curl_socket_t>, "platform::Socket must be curl_socket_t");
static_assert(platform::kBadSocket == CURL_SOCKET_BAD, "platform::kBadSocket must be CURL_SOCKET_BAD");

void SocketWatch::attach(CURL* handle) {
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, &SocketWatch::on_open_socket);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(handle, CURLOPT_CLOSESOCKETFUNCTION, &SocketWatch::on_close_socket);
  curl_easy_setopt(handle, CURLOPT_CLOSESOCKETDATA, this);
}

curl_socket_t SocketWatch::on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  return static_cast<SocketWatch*>(user)->open_socket(purpose, *address);
}

curl_socket_t SocketWatch::open_socket(curlsocktype purpose, const curl_sockaddr& address) {
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  const curl_socket_t fd = platform::open_socket(address.family, address.socktype, address.protocol);
  if (fd == CURL_SOCKET_BAD) return fd;
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    unnamed_.push_back(fd);
  } catch (...) {  // NOLINT(bugprone-empty-catch): unwatched, the socket is only never checked
  }
  return fd;
}

int SocketWatch::on_close_socket(void* user, curl_socket_t fd) {
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
      // (cannot_tell teaches nothing.)
      auto idle = watch->idle_since_.find(port);
      if (idle != watch->idle_since_.end() && watch->users_.count(port) == 0 &&
          platform::peer_state(fd, false) == platform::PeerState::closed) {
        watch->learn_idle_close(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - idle->second));
      }
      watch->users_.erase(port);
      // (Every connection with this local port: should two share it, the
      // other one's protocol is only unknown from now on.)
      auto first = watch->http2_.lower_bound(Peer{port, {}, 0});
      auto last = first;
      while (last != watch->http2_.end() && last->first.local_port == port) ++last;
      watch->http2_.erase(first, last);
      if (idle != watch->idle_since_.end()) watch->idle_since_.erase(idle);
      watch->by_port_.erase(it);
      break;
    }
  }
  return platform::close_socket(fd);
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
    const long port = platform::local_port(*fd);
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

void SocketWatch::note_protocol(const Peer& connection, bool http2) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    http2_[connection] = http2;
  } catch (...) {  // NOLINT(bugprone-empty-catch): unnoted, the connection counts as unknown, so not HTTP/2
    http2_.erase(connection);
  }
}

void SocketWatch::forget_protocol(const Peer& connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  http2_.erase(connection);
}

std::optional<bool> SocketWatch::speaks_http2(const Peer& connection) {
  if (!protocol_reports_trusted()) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = http2_.find(connection);
  if (it == http2_.end()) return std::nullopt;
  return it->second;
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

SocketWatch::Reuse SocketWatch::reuse_verdict(platform::PeerState peer, std::chrono::milliseconds idle,
                                              std::chrono::milliseconds limit) noexcept {
  // Only a look that saw the close says closed. cannot_tell (no probe on
  // this system, or it failed) proves nothing: it is taken as open, never
  // as a close, so it can never make an attempt count as closed before the
  // write (Exchange's closed_before_write_), which is what allows a resend.
  if (peer == platform::PeerState::closed) return Reuse::closed;
  // The transport's own limit: the connection is given up before a byte is
  // written, whatever the look found.
  if (idle > limit) return Reuse::idle_too_long;
  return Reuse::ok;
}

SocketWatch::Reuse SocketWatch::check_before_write(long local_port, std::chrono::milliseconds idle, bool any_input) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = users_.find(local_port);
    if (it != users_.end() && it->second > 1) return Reuse::ok;  // shared: not idle, and its data may be another's
  }
  const curl_socket_t fd = find(local_port);
  if (fd == CURL_SOCKET_BAD) return Reuse::ok;
  const platform::PeerState peer = platform::peer_state(fd, any_input);
  Reuse verdict = Reuse::ok;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    verdict = reuse_verdict(peer, idle, limit_locked());
    if (verdict == Reuse::closed) learn_idle_close(idle);
  }
  // Shut down, libcurl finds the connection dead and does not pool it
  // again. (Should the system refuse, the transfer still ends here, before
  // the write; the connection is then only looked at again next time.)
  if (verdict != Reuse::ok) (void)platform::shutdown_socket(fd);
  return verdict;
}

}  // namespace stytch::internal
