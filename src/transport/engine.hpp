#ifndef STYTCH_SRC_TRANSPORT_ENGINE_HPP
#define STYTCH_SRC_TRANSPORT_ENGINE_HPP

// What the call layer sees of the transport: a request in, its outcome out,
// blocking or async. No libcurl in sight; Transport (transport.hpp) is the
// one implementation, and a test may put another in its place.

#include "transport/transport_config.hpp"

#include <chrono>
#include <functional>
#include <memory>

namespace stytch::internal {

class Engine {
 public:
  Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  Engine(Engine&&) = delete;
  Engine& operator=(Engine&&) = delete;
  virtual ~Engine() = default;

  /// Runs one request and waits for its outcome; `delay` holds the start
  /// back. Safe from inside a completion (the I/O thread then runs the loop).
  virtual Outcome perform(Request request, std::chrono::milliseconds delay) = 0;
  /// Queues one request; `done` gets the outcome once, on the I/O thread.
  virtual void submit(Request request, std::chrono::milliseconds delay, Completion done) = 0;
  /// On the I/O thread, runs the loop until `ready()` holds and gives true;
  /// elsewhere gives false at once.
  virtual bool run_until(const std::function<bool()>& ready) = 0;
  /// Whether this is the I/O thread (a completion runs here).
  virtual bool on_io_thread() const noexcept = 0;
  /// HTTP/2 is offered to the server.
  virtual bool offers_http2() const noexcept = 0;
  /// Ends every pending request (cancelled) and stops the I/O thread.
  virtual void shutdown() = 0;
};

/// Whether an Error's transport_code says no connection could be made at
/// all (refused, or the host or proxy name did not resolve): nothing was sent.
bool is_connect_failure(int transport_code) noexcept;

/// The libcurl transport for this configuration; throws stytch::Exception
/// (invalid_argument) when libcurl cannot be set up with it.
std::shared_ptr<Engine> make_engine(TransportConfig config);

}  // namespace stytch::internal

#endif
