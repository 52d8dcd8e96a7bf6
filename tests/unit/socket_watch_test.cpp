#include "transport/socket_watch.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <optional>

using stytch::internal::SocketWatch;
using stytch::platform::PeerState;

TEST_CASE("reuse before write: only a close that was seen gives 'closed', and 'cannot tell' counts as open") {
  using std::chrono::milliseconds;
  const milliseconds limit(1500);
  CHECK(SocketWatch::reuse_verdict(PeerState::closed, milliseconds(10), limit) == SocketWatch::Reuse::closed);
  CHECK(SocketWatch::reuse_verdict(PeerState::closed, milliseconds(5000), limit) == SocketWatch::Reuse::closed);
  CHECK(SocketWatch::reuse_verdict(PeerState::open, milliseconds(10), limit) == SocketWatch::Reuse::ok);
  CHECK(SocketWatch::reuse_verdict(PeerState::open, milliseconds(5000), limit) == SocketWatch::Reuse::idle_too_long);
  // No probe on the system, or it failed: sent as usual, never "closed"
  // (which would let the transport send the request again).
  CHECK(SocketWatch::reuse_verdict(PeerState::cannot_tell, milliseconds(10), limit) == SocketWatch::Reuse::ok);
  CHECK(SocketWatch::reuse_verdict(PeerState::cannot_tell, limit, limit) == SocketWatch::Reuse::ok);
  // Past the transport's own limit the connection is given up before the
  // write whatever the look found.
  CHECK(SocketWatch::reuse_verdict(PeerState::cannot_tell, milliseconds(5000), limit) ==
        SocketWatch::Reuse::idle_too_long);
}

TEST_CASE("a connection speaks HTTP/2 only as noted for it, and not at all once reports are distrusted") {
  stytch::internal::SocketWatch watch;
  using Peer = stytch::internal::SocketWatch::Peer;
  const Peer a{40001, "127.0.0.1", 443};
  const Peer b{40002, "127.0.0.1", 443};
  // The same local port towards another server: another connection.
  const Peer a_elsewhere{40001, "127.0.0.2", 443};
  CHECK(watch.protocol_reports_trusted());
  CHECK_FALSE(watch.speaks_http2(a).has_value());  // nothing noted: unknown
  watch.note_protocol(a, true);
  watch.note_protocol(b, false);
  CHECK(watch.speaks_http2(a) == std::optional<bool>(true));
  CHECK(watch.speaks_http2(b) == std::optional<bool>(false));
  CHECK_FALSE(watch.speaks_http2(a_elsewhere).has_value());
  // A new connection on a known key is noted afresh: no inherited entry.
  watch.note_protocol(a, false);
  CHECK(watch.speaks_http2(a) == std::optional<bool>(false));
  watch.note_protocol(a, true);
  watch.distrust_protocol_reports();
  CHECK_FALSE(watch.protocol_reports_trusted());
  CHECK(watch.speaks_http2(a) == std::optional<bool>(false));
}
