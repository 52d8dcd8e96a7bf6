// Winsock's version of platform/socket.hpp, compiled on Windows only (the
// library links ws2_32 there). libcurl has called WSAStartup by the time
// any of this runs (curl_global_init, which the transport calls first).

#include "platform/socket.hpp"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601  // Windows 7: WSAPoll and WSA_FLAG_NO_HANDLE_INHERIT (SP1)
#endif
#include <winsock2.h>
#include <ws2tcpip.h>

#include <cstring>
#include <type_traits>

#ifndef WSA_FLAG_NO_HANDLE_INHERIT
#define WSA_FLAG_NO_HANDLE_INHERIT 0x80  // older SDK headers lack the name
#endif

namespace stytch::platform {

static_assert(std::is_same_v<Socket, SOCKET>, "platform::Socket must be Winsock's SOCKET");

namespace {

// A port in network byte order (big-endian), byte by byte.
long windows_port_from(const void* network_order) noexcept {
  unsigned char bytes[2];
  std::memcpy(bytes, network_order, sizeof bytes);
  return (static_cast<long>(bytes[0]) << 8) | static_cast<long>(bytes[1]);
}

}  // namespace

Socket open_socket(int family, int type, int protocol) noexcept {
  // WSA_FLAG_OVERLAPPED is what plain socket() gives; the other flag keeps
  // the socket out of child processes. Windows before 7 SP1 refuses that
  // flag (WSAEINVAL): there a plain socket, inheritable, is made.
  SOCKET made = WSASocketW(family, type, protocol, nullptr, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
  if (made == INVALID_SOCKET && WSAGetLastError() == WSAEINVAL) made = ::socket(family, type, protocol);
  return made;
}

int close_socket(Socket socket) noexcept { return ::closesocket(socket) == 0 ? 0 : -1; }

bool shutdown_socket(Socket socket) noexcept { return ::shutdown(socket, SD_BOTH) == 0; }

long local_port(Socket socket) noexcept {
  sockaddr_storage address{};
  int length = static_cast<int>(sizeof address);
  if (::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET) return windows_port_from(&reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) {
    return windows_port_from(&reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  }
  return 0;
}

PeerState peer_state(Socket socket, bool any_input) noexcept {
  WSAPOLLFD entry{};
  entry.fd = socket;
  entry.events = POLLRDNORM;
  const int ready = ::WSAPoll(&entry, 1, 0);
  if (ready == SOCKET_ERROR || (entry.revents & POLLNVAL) != 0) return PeerState::cannot_tell;
  if (ready == 0) return PeerState::open;
  // The peer's FIN or reset. Windows reports a FIN with POLLHUP even behind
  // unread data; Wine reports it only once the data is read, so there the
  // look below finds the data and answers open.
  if ((entry.revents & (POLLHUP | POLLERR)) != 0) return PeerState::closed;
  if ((entry.revents & POLLRDNORM) == 0) return PeerState::open;
  if (any_input) return PeerState::closed;
  // libcurl makes every socket it uses non-blocking, and WSAPoll said there
  // is something to read: this returns at once.
  char byte = 0;
  const int got = ::recv(socket, &byte, 1, MSG_PEEK);
  if (got == 0) return PeerState::closed;  // the FIN, with nothing before it
  if (got > 0) return PeerState::open;     // data waits, and WSAPoll reported no FIN with it
  switch (WSAGetLastError()) {
    case WSAEWOULDBLOCK:
      return PeerState::open;
    case WSAECONNRESET:
    case WSAECONNABORTED:
      return PeerState::closed;
    default:
      return PeerState::cannot_tell;
  }
}

ProbeMethod probe_method() noexcept { return ProbeMethod::winsock; }

}  // namespace stytch::platform
