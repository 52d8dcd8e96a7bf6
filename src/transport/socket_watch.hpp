#ifndef STYTCH_SRC_SOCKET_WATCH_HPP
#define STYTCH_SRC_SOCKET_WATCH_HPP

// Knows the sockets libcurl opens for the transport, by their local port,
// and how many requests use each, so that an idle connection can be looked
// at just before a request is written to it: a server that closed it (TLS
// close_notify, an HTTP/2 GOAWAY, FIN or RST waiting in the socket) will
// never read that request. The sockets themselves are touched only
// through platform/socket.hpp.

#include "platform/socket.hpp"

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace stytch::internal {

class SocketWatch {
 public:
  using Clock = std::chrono::steady_clock;

  /// `max_idle_reuse`: connections idle longer are not reused.
  explicit SocketWatch(std::chrono::milliseconds max_idle_reuse = std::chrono::milliseconds(30000))
      : max_idle_reuse_(max_idle_reuse) {}
  SocketWatch(const SocketWatch&) = delete;
  SocketWatch& operator=(const SocketWatch&) = delete;

  /// Installs the open/close socket callbacks on a handle.
  void attach(CURL* handle);
  /// What the open-socket callback does: opens the socket (close-on-exec)
  /// and watches it. For a callback of the caller's own that forwards here.
  curl_socket_t open_socket(curlsocktype purpose, const curl_sockaddr& address);

  /// A request starts or stops using the connection with this local port.
  void enter(long local_port);
  void leave(long local_port);

  /// How long the connection with this local port has been used by no
  /// request (zero when a request uses it, or it is unknown).
  std::chrono::milliseconds idle_for(long local_port);

  enum class Reuse {
    ok,             ///< use it
    closed,         ///< the server closed it: shut down, use another
    idle_too_long,  ///< idle past the reuse limit: shut down, use another
  };
  /// Looks at the connection with this local port, about to carry a request
  /// and used by no request but the caller's, that had been idle for `idle`.
  /// It is closed when the server closed it (FIN or RST received) or, with
  /// `any_input` (HTTP/1.x, where an idle connection has nothing to read
  /// unless the server closed it), has any input waiting; an idle HTTP/2
  /// connection may hold harmless frames or TLS session tickets, so there
  /// only a close counts. It is idle too long past max_idle_reuse, or past
  /// 3/4 of the shortest idle time after which a server close was seen. In
  /// both cases it is shut down, so that libcurl drops it too.
  ///
  /// Where the system gives no way to look, or the look fails
  /// (platform::PeerState::cannot_tell), the connection counts as not
  /// closed: never closed without proof. See reuse_verdict.
  Reuse check_before_write(long local_port, std::chrono::milliseconds idle, bool any_input);

  /// The rule check_before_write applies to what the look at the socket
  /// found. Only PeerState::closed gives Reuse::closed; cannot_tell is taken
  /// as open, so the request is sent normally, and if it is then lost the
  /// delivery rules (server_did_not_process) judge the attempt by what
  /// libcurl saw alone: a loss after bytes were written is reported as
  /// may_have_reached_server. idle_too_long does not depend on the look: it
  /// is the transport's own decision, taken before a byte is written.
  static Reuse reuse_verdict(platform::PeerState peer, std::chrono::milliseconds idle,
                             std::chrono::milliseconds limit) noexcept;

  /// A request written into a connection reused after `idle` was lost with
  /// no answer: most likely the server's idle close crossed it, so the idle
  /// limit is learned as if a close had been seen.
  void lost_after_idle(std::chrono::milliseconds idle);

  /// A connection as the pre-request callback names it: its local port and
  /// the server's address and port (two connections to different servers
  /// may share a local port).
  struct Peer {
    long local_port = 0;
    std::string server_ip;
    long server_port = 0;
    bool operator<(const Peer& other) const {
      return std::tie(local_port, server_ip, server_port) <
             std::tie(other.local_port, other.server_ip, other.server_port);
    }
  };
  /// What libcurl reported, as it made this connection, that the server
  /// agreed to by ALPN: HTTP/2 or not (no report: not). Noted for every new
  /// connection, so that none inherits an older one's entry.
  void note_protocol(const Peer& connection, bool http2);
  /// A new connection whose report could not be read: unknown, whatever an
  /// earlier one with the same key had.
  void forget_protocol(const Peer& connection);
  /// Whether the connection speaks HTTP/2, as noted; nothing when nothing
  /// was noted for it (a connection made by a transfer that ended before
  /// its request), and false once reports are not trusted.
  std::optional<bool> speaks_http2(const Peer& connection);
  /// An answer came over another protocol than the one noted for its
  /// connection: from now on no connection counts as HTTP/2, and new
  /// transfers ask for HTTP/1.1.
  void distrust_protocol_reports() noexcept { reports_trusted_.store(false, std::memory_order_relaxed); }
  bool protocol_reports_trusted() const noexcept { return reports_trusted_.load(std::memory_order_relaxed); }

  /// The longest idle time a connection is reused after, today.
  std::chrono::milliseconds reuse_limit() const;

  /// Idle closes shorter than this teach nothing (a server restarting, not
  /// an idle limit): no limit below it is learned.
  static constexpr std::chrono::milliseconds kShortestLearnedIdle{250};

 private:
  static curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address);
  static int on_close_socket(void* user, curl_socket_t fd);
  curl_socket_t find(long local_port);
  void name_sockets();                                    // with mutex_ held
  void learn_idle_close(std::chrono::milliseconds idle);  // with mutex_ held
  std::chrono::milliseconds limit_locked() const;         // with mutex_ held

  const std::chrono::milliseconds max_idle_reuse_;
  mutable std::mutex mutex_;
  std::vector<curl_socket_t> unnamed_;                      // opened, local port not read yet
  std::unordered_map<long, curl_socket_t> by_port_;         // local port -> socket
  std::unordered_map<long, int> users_;                     // local port -> requests on it
  std::unordered_map<long, Clock::time_point> idle_since_;  // local port -> when its last request left
  std::map<Peer, bool> http2_;                              // connection -> HTTP/2, as libcurl reported
  std::chrono::milliseconds shortest_idle_close_{0};        // 0: none seen
  std::atomic<bool> reports_trusted_{true};
};

}  // namespace stytch::internal

#endif
