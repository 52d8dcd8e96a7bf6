// The platform layer's POSIX sockets on real loopback TCP connections: each
// state an idle connection can be in, seen by each probe. Built twice: in
// stytch_unit_tests, against the library as configured, and in
// stytch_platform_portable_tests, with src/platform/socket_posix.cpp
// compiled alone with STYTCH_PORTABLE_PROBE (what macOS and the BSDs run).
// Both programs test both probes directly; they differ in which one
// platform::peer_state and open_socket pick. The Winsock code's tests are
// in platform_socket_windows_test.cpp (run under Wine).

#ifndef _WIN32

#include "platform/socket_posix.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>

using stytch::platform::PeerState;
using stytch::platform::ProbeMethod;
using stytch::platform::Socket;

namespace {

using PlatformTestProbe = PeerState (*)(Socket, bool) noexcept;

// Both ends of a loopback TCP connection; closes what is still open.
struct PlatformTestPair {
  int client = -1;
  int server = -1;

  PlatformTestPair() {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 1) == 0);
    REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    client = stytch::platform::open_socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(client >= 0);
    REQUIRE(::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    server = ::accept(listener, nullptr, nullptr);
    ::close(listener);
    REQUIRE(server >= 0);
  }
  PlatformTestPair(const PlatformTestPair&) = delete;
  PlatformTestPair& operator=(const PlatformTestPair&) = delete;
  ~PlatformTestPair() {
    if (client >= 0) ::close(client);
    if (server >= 0) ::close(server);
  }

  // Waits (up to 2 s) until what the server did has reached the client.
  void wait_for_client_input() const {
    pollfd entry{client, POLLIN, 0};
    REQUIRE(::poll(&entry, 1, 2000) == 1);
  }

  void server_sends(const std::string& bytes) const {
    REQUIRE(::send(server, bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size()));
  }

  void server_closes() {
    ::close(server);
    server = -1;
  }

  // SO_LINGER with a zero timeout: close() sends an RST.
  void server_resets() {
    linger hard{1, 0};
    REQUIRE(::setsockopt(server, SOL_SOCKET, SO_LINGER, &hard, sizeof hard) == 0);
    server_closes();
  }
};

// Every state every probe must tell apart; `sees_fin_behind_data`: the
// probe reports the FIN that follows unread data (only POLLRDHUP can).
void platform_test_states(PlatformTestProbe probe, bool sees_fin_behind_data) {
  SECTION("open and quiet") {
    PlatformTestPair pair;
    CHECK(probe(pair.client, false) == PeerState::open);
    CHECK(probe(pair.client, true) == PeerState::open);
  }
  SECTION("data pending: input, not a close; the data is still there after") {
    PlatformTestPair pair;
    pair.server_sends("x");
    pair.wait_for_client_input();
    CHECK(probe(pair.client, false) == PeerState::open);
    CHECK(probe(pair.client, true) == PeerState::closed);
    char byte = 0;
    CHECK(::recv(pair.client, &byte, 1, MSG_DONTWAIT) == 1);
    CHECK(byte == 'x');
    CHECK(probe(pair.client, true) == PeerState::open);
  }
  SECTION("peer closed with FIN") {
    PlatformTestPair pair;
    pair.server_closes();
    pair.wait_for_client_input();
    CHECK(probe(pair.client, false) == PeerState::closed);
    CHECK(probe(pair.client, true) == PeerState::closed);
    CHECK(probe(pair.client, false) == PeerState::closed);  // looking consumed nothing
  }
  SECTION("peer sent data, then FIN") {
    PlatformTestPair pair;
    pair.server_sends("x");
    pair.server_closes();
    pair.wait_for_client_input();
    ::usleep(20000);  // the FIN right behind the byte
    CHECK(probe(pair.client, true) == PeerState::closed);
    CHECK(probe(pair.client, false) == (sees_fin_behind_data ? PeerState::closed : PeerState::open));
  }
  SECTION("peer reset") {
    PlatformTestPair pair;
    pair.server_resets();
    pair.wait_for_client_input();
    CHECK(probe(pair.client, false) == PeerState::closed);
    CHECK(probe(pair.client, true) == PeerState::closed);
  }
  SECTION("we shut it down: the peer sees the FIN") {
    PlatformTestPair pair;
    CHECK(stytch::platform::shutdown_socket(pair.client));
    pollfd entry{pair.server, POLLIN, 0};
    REQUIRE(::poll(&entry, 1, 2000) == 1);
    CHECK(probe(pair.server, false) == PeerState::closed);
  }
  SECTION("a descriptor that is not open: cannot tell") {
    int ends[2] = {-1, -1};
    REQUIRE(::pipe(ends) == 0);
    ::close(ends[0]);
    ::close(ends[1]);
    CHECK(probe(ends[0], false) == PeerState::cannot_tell);
    CHECK(probe(ends[0], true) == PeerState::cannot_tell);
  }
}

bool platform_test_cloexec(int fd) {
  const int flags = ::fcntl(fd, F_GETFD);
  return flags >= 0 && (flags & FD_CLOEXEC) != 0;
}

}  // namespace

#if defined(POLLRDHUP)
TEST_CASE("platform: the POLLRDHUP probe (Linux) tells each state of a loopback connection") {
  platform_test_states(&stytch::platform::posix::peer_state_rdhup, true);
}
#endif

TEST_CASE("platform: the MSG_PEEK probe (macOS, BSD) tells each state of a loopback connection") {
  platform_test_states(&stytch::platform::posix::peer_state_peek, false);
}

TEST_CASE("platform: peer_state is the probe this build picked") {
#if (defined(STYTCH_PORTABLE_PROBE) && STYTCH_PORTABLE_PROBE) || !defined(POLLRDHUP)
  CHECK(stytch::platform::probe_method() == ProbeMethod::peek);
  platform_test_states(&stytch::platform::peer_state, false);
#else
  CHECK(stytch::platform::probe_method() == ProbeMethod::pollrdhup);
  platform_test_states(&stytch::platform::peer_state, true);
#endif
}

TEST_CASE("platform: a socket is opened close-on-exec, either way") {
  const int by_fcntl = stytch::platform::posix::open_socket_cloexec_fcntl(AF_INET, SOCK_STREAM, 0);
  REQUIRE(by_fcntl >= 0);
  CHECK(platform_test_cloexec(by_fcntl));
  CHECK(stytch::platform::close_socket(by_fcntl) == 0);
  const int picked = stytch::platform::open_socket(AF_INET6, SOCK_STREAM, 0);
  if (picked >= 0) {  // (a system without IPv6 has no such socket)
    CHECK(platform_test_cloexec(picked));
    CHECK(stytch::platform::close_socket(picked) == 0);
  }
#if defined(SOCK_CLOEXEC)
  const int by_flag = stytch::platform::posix::open_socket_cloexec_flag(AF_INET, SOCK_STREAM, 0);
  REQUIRE(by_flag >= 0);
  CHECK(platform_test_cloexec(by_flag));
  CHECK(stytch::platform::close_socket(by_flag) == 0);
#else
  CHECK(stytch::platform::posix::open_socket_cloexec_flag(AF_INET, SOCK_STREAM, 0) == stytch::platform::kBadSocket);
#endif
}

TEST_CASE("platform: the local port of a connected socket, 0 before it has one") {
  PlatformTestPair pair;
  sockaddr_in address{};
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(pair.client, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  CHECK(stytch::platform::local_port(pair.client) == static_cast<long>(ntohs(address.sin_port)));
  CHECK(stytch::platform::local_port(pair.client) > 0);
  const int unbound = stytch::platform::open_socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(unbound >= 0);
  CHECK(stytch::platform::local_port(unbound) == 0);
  CHECK(stytch::platform::close_socket(unbound) == 0);
  CHECK(stytch::platform::local_port(stytch::platform::kBadSocket) == 0);
}

#endif  // _WIN32
