#ifndef STYTCH_SRC_PLATFORM_SOCKET_POSIX_HPP
#define STYTCH_SRC_PLATFORM_SOCKET_POSIX_HPP

// The POSIX implementation's alternatives, each compiled on every POSIX
// system, so that the one Linux does not use is built and tested on Linux
// too (tests/unit/platform_socket_test.cpp). platform/socket.hpp picks one:
// the Linux ones where the system has them, unless the library is built
// with STYTCH_PORTABLE_PROBE, which takes the portable ones everywhere.

#include "platform/socket.hpp"

namespace stytch::platform::posix {

/// poll() with POLLRDHUP: the kernel reports the peer's FIN even behind
/// unread data. cannot_tell where the system has no POLLRDHUP.
PeerState peer_state_rdhup(Socket socket, bool any_input) noexcept;

/// poll() for input, then recv(MSG_PEEK | MSG_DONTWAIT) of one byte: 0 bytes
/// is the FIN, ECONNRESET the RST, EAGAIN nothing at all. A FIN behind unread
/// data is not seen (that would take reading the data): the connection then
/// counts as open, which only ever lets a request be sent normally.
/// cannot_tell where the system has no MSG_DONTWAIT.
PeerState peer_state_peek(Socket socket, bool any_input) noexcept;

/// socket() with SOCK_CLOEXEC, atomic with the open. kBadSocket (errno
/// EINVAL) where the system has no SOCK_CLOEXEC.
Socket open_socket_cloexec_flag(int family, int type, int protocol) noexcept;

/// socket(), then fcntl() sets FD_CLOEXEC.
Socket open_socket_cloexec_fcntl(int family, int type, int protocol) noexcept;

}  // namespace stytch::platform::posix

#endif
