#include "platform/socket_posix.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stytch::platform {

namespace {

// STYTCH_PORTABLE_PROBE (the CMake option of that name) leaves out the
// Linux-only calls, so that a Linux build runs what macOS and the BSDs run.
#if defined(STYTCH_PORTABLE_PROBE) && STYTCH_PORTABLE_PROBE
constexpr bool kPosixPortableOnly = true;
#else
constexpr bool kPosixPortableOnly = false;
#endif

#if defined(POLLRDHUP)
constexpr bool kPosixUseRdhup = !kPosixPortableOnly;
#else
constexpr bool kPosixUseRdhup = false;
#endif

#if defined(MSG_DONTWAIT)
constexpr bool kPosixHavePeek = true;
#else
constexpr bool kPosixHavePeek = false;
#endif

#if defined(SOCK_CLOEXEC)
constexpr bool kPosixUseCloexecFlag = !kPosixPortableOnly;
#else
constexpr bool kPosixUseCloexecFlag = false;
#endif

// poll() on one socket with no wait; a signal in between is looked past.
int posix_poll_now(pollfd& entry) noexcept {
  int ready = -1;
  for (int tries = 0; tries < 3; ++tries) {
    ready = ::poll(&entry, 1, 0);
    if (ready >= 0 || errno != EINTR) break;
  }
  return ready;
}

// A port in network byte order (big-endian), byte by byte.
long posix_port_from(const void* network_order) noexcept {
  unsigned char bytes[2];
  std::memcpy(bytes, network_order, sizeof bytes);
  return (static_cast<long>(bytes[0]) << 8) | static_cast<long>(bytes[1]);
}

}  // namespace

namespace posix {

PeerState peer_state_rdhup(Socket socket, bool any_input) noexcept {
#if defined(POLLRDHUP)
  pollfd entry{socket, POLLIN | POLLRDHUP, 0};
  const int ready = posix_poll_now(entry);
  if (ready < 0 || (entry.revents & POLLNVAL) != 0) return PeerState::cannot_tell;
  if (ready == 0) return PeerState::open;
  const int closed = POLLRDHUP | POLLHUP | POLLERR;
  return (entry.revents & (any_input ? (closed | POLLIN) : closed)) != 0 ? PeerState::closed : PeerState::open;
#else
  (void)socket;
  (void)any_input;
  return PeerState::cannot_tell;
#endif
}

PeerState peer_state_peek(Socket socket, bool any_input) noexcept {
#if defined(MSG_DONTWAIT)
  pollfd entry{socket, POLLIN, 0};
  const int ready = posix_poll_now(entry);
  if (ready < 0 || (entry.revents & POLLNVAL) != 0) return PeerState::cannot_tell;
  if (ready == 0) return PeerState::open;
  if ((entry.revents & (POLLHUP | POLLERR)) != 0) return PeerState::closed;
  if ((entry.revents & POLLIN) == 0) return PeerState::open;
  if (any_input) return PeerState::closed;
  char byte = 0;
  const auto got = ::recv(socket, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (got == 0) return PeerState::closed;  // the FIN, with nothing before it
  if (got > 0) return PeerState::open;     // data waits (a FIN behind it is not seen)
  if (errno == EAGAIN || errno == EWOULDBLOCK) return PeerState::open;
  if (errno == ECONNRESET) return PeerState::closed;
  return PeerState::cannot_tell;
#else
  (void)socket;
  (void)any_input;
  return PeerState::cannot_tell;
#endif
}

Socket open_socket_cloexec_flag(int family, int type, int protocol) noexcept {
#if defined(SOCK_CLOEXEC)
  return ::socket(family, type | SOCK_CLOEXEC, protocol);
#else
  (void)family;
  (void)type;
  (void)protocol;
  errno = EINVAL;
  return kBadSocket;
#endif
}

Socket open_socket_cloexec_fcntl(int family, int type, int protocol) noexcept {
  const int fd = ::socket(family, type, protocol);
  if (fd < 0) return kBadSocket;
  // A socket inherited by a child process is a leak, not a fault of the
  // connection: should fcntl fail (it does not on a descriptor just made),
  // the socket is used anyway.
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) (void)::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  return fd;
}

}  // namespace posix

Socket open_socket(int family, int type, int protocol) noexcept {
  if constexpr (kPosixUseCloexecFlag) {
    return posix::open_socket_cloexec_flag(family, type, protocol);
  } else {
    return posix::open_socket_cloexec_fcntl(family, type, protocol);
  }
}

int close_socket(Socket socket) noexcept { return ::close(socket); }

bool shutdown_socket(Socket socket) noexcept { return ::shutdown(socket, SHUT_RDWR) == 0; }

long local_port(Socket socket) noexcept {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET) return posix_port_from(&reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) {
    return posix_port_from(&reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  }
  return 0;
}

PeerState peer_state(Socket socket, bool any_input) noexcept {
  if constexpr (kPosixUseRdhup) {
    return posix::peer_state_rdhup(socket, any_input);
  } else if constexpr (kPosixHavePeek) {
    return posix::peer_state_peek(socket, any_input);
  } else {
    (void)socket;
    (void)any_input;
    return PeerState::cannot_tell;
  }
}

ProbeMethod probe_method() noexcept {
  if constexpr (kPosixUseRdhup) {
    return ProbeMethod::pollrdhup;
  } else if constexpr (kPosixHavePeek) {
    return ProbeMethod::peek;
  } else {
    return ProbeMethod::none;
  }
}

}  // namespace stytch::platform
