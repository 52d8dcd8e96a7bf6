#ifndef STYTCH_MOCK_LISTEN_SOCKET_HPP
#define STYTCH_MOCK_LISTEN_SOCKET_HPP

#include <httplib.h>

#include <sys/socket.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace stytch::mock {

/// cpp-httplib as Debian builds it listens with a backlog of 5 and sets
/// SO_REUSEPORT: a burst of concurrent connects overflows the queue (the
/// dropped SYNs then wait for a 1 s retransmit), and two servers can share a
/// port. This keeps the listening socket to itself (SO_REUSEADDR only) and,
/// once bound, listens again with a deep backlog.
class ListenSocket {
 public:
  void install(httplib::Server& server) {
    server.set_socket_options([this](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      fd_ = sock;
    });
  }
  /// Call after bind_to_port / bind_to_any_port succeeded.
  void deepen_backlog() const {
    if (fd_ >= 0) ::listen(fd_, SOMAXCONN);
  }

 private:
  socket_t fd_ = -1;
};

/// Serves on a new thread, and returns once the server runs (stop() has no
/// effect before that). Throws, with the thread joined, if it never starts.
inline void start_serving(httplib::Server& server, std::thread& thread, const std::string& who) {
  thread = std::thread([&server] { server.listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server.is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      server.stop();
      thread.join();
      throw std::runtime_error(who + ": the server did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace stytch::mock

#endif
