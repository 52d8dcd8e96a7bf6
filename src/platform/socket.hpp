#ifndef STYTCH_SRC_PLATFORM_SOCKET_HPP
#define STYTCH_SRC_PLATFORM_SOCKET_HPP

// The sockets libcurl connects through, as far as the transport touches
// them itself: opening one for libcurl's open-socket callback, closing it,
// shutting it down, reading its local port and looking, without blocking,
// at whether the peer closed it. One implementation per system family:
// socket_posix.cpp (Linux, macOS, the BSDs) and socket_windows.cpp
// (Winsock). No system header is included here.

#include <cstdint>

namespace stytch::platform {

#if defined(_WIN32)
/// Winsock's SOCKET (UINT_PTR), which is libcurl's curl_socket_t there.
using Socket = std::uintptr_t;
/// INVALID_SOCKET.
inline constexpr Socket kBadSocket = ~Socket{0};
#else
/// A file descriptor, which is libcurl's curl_socket_t there.
using Socket = int;
/// What socket() returns on failure.
inline constexpr Socket kBadSocket = -1;
#endif

/// Opens a socket with the arguments of libcurl's open-socket callback
/// (address family, socket type, protocol), not inherited by child
/// processes: SOCK_CLOEXEC where the system has it, else FD_CLOEXEC set
/// right after (a fork in between may still inherit it), on Windows
/// WSA_FLAG_NO_HANDLE_INHERIT. kBadSocket on failure.
Socket open_socket(int family, int type, int protocol) noexcept;

/// Closes the socket: 0 on success, as libcurl's close-socket callback
/// returns.
int close_socket(Socket socket) noexcept;

/// Shuts the socket down both ways (the descriptor stays open): libcurl,
/// which owns it, then finds the connection dead and drops it. False when
/// the system refused.
bool shutdown_socket(Socket socket) noexcept;

/// The local port of a bound or connected TCP socket (IPv4 or IPv6); 0 when
/// there is none yet or it cannot be read.
long local_port(Socket socket) noexcept;

/// What a look at an idle connection found.
enum class PeerState {
  open,         ///< nothing says the peer closed it (with any_input: nothing to read either)
  closed,       ///< the peer closed it (FIN or RST received) or, with any_input, sent something
  cannot_tell,  ///< the look could not be made (an error, or no way to look on this system)
};

/// Looks at a connected socket without blocking and without consuming any
/// input. `any_input`: any byte waiting to be read counts as closed (an
/// idle HTTP/1.x connection has nothing to read unless the server is
/// closing it); without it only the peer's FIN or RST does.
///
/// cannot_tell proves nothing either way: callers must treat it as open
/// (they may not infer from it that the peer closed the connection).
PeerState peer_state(Socket socket, bool any_input) noexcept;

/// How peer_state looks, on this build.
enum class ProbeMethod {
  pollrdhup,  ///< poll() with POLLRDHUP: the kernel reports the peer's FIN itself (Linux)
  peek,       ///< poll() for input, then recv(MSG_PEEK | MSG_DONTWAIT): 0 bytes is the FIN (macOS, BSD)
  winsock,    ///< WSAPoll, then recv(MSG_PEEK) on the non-blocking socket (Windows)
  none,       ///< no way to look: peer_state always answers cannot_tell
};
ProbeMethod probe_method() noexcept;

}  // namespace stytch::platform

#endif
