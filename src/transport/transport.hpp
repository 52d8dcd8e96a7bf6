#ifndef STYTCH_SRC_TRANSPORT_HPP
#define STYTCH_SRC_TRANSPORT_HPP

// The transport: one libcurl multi handle that runs every request of a
// client and its copies, blocking and async alike, so that one connection
// pool (and max_connections) serves them all.
//
// One thread at a time drives the handle's loop. A blocking call that finds
// nobody driving drives it itself, with no thread switch (the sequential
// case); otherwise it queues its request and waits. The I/O thread drives
// whenever async calls have work, and async callbacks always run on it: a
// blocking caller that finishes an async call hands its outcome over.
//
// Ownership: the client's Core owns the Transport through a shared_ptr and
// calls shutdown() when it goes; pending calls and the I/O thread hold
// shared_ptrs too, so whichever ends last frees it, on any thread,
// including the I/O thread itself (which is then detached, never joined).

#include "base/text.hpp"
#include "transport/curl_handles.hpp"
#include "transport/engine.hpp"
#include "transport/exchange.hpp"
#include "transport/socket_watch.hpp"
#include "transport/transport_config.hpp"

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace stytch::internal {

class Transport final : public Engine, public std::enable_shared_from_this<Transport> {
 public:
  /// Throws stytch::Exception (invalid_argument) if libcurl cannot be set up
  /// with these settings. Starts no thread and opens no connection.
  static std::shared_ptr<Transport> create(TransportConfig config);
  ~Transport() override;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  /// Runs one request and waits for its outcome. Thread-safe; also safe
  /// from inside a completion (the I/O thread then runs the loop itself).
  /// `delay` holds the start back (a retry's wait); the thread that drives
  /// the loop meanwhile keeps running the other calls.
  Outcome perform(Request request, std::chrono::milliseconds delay = std::chrono::milliseconds(0)) override;

  /// For a blocking wait on async work inside a completion: on the I/O
  /// thread, runs the loop (and the completions other threads finished for
  /// it) until `ready()` holds or the transport shuts down, and returns
  /// true; on any other thread returns false at once, having done nothing.
  /// `ready` is called with no lock of the transport held.
  bool run_until(const std::function<bool()>& ready) override;

  /// Whether this is the transport's I/O thread (a completion runs here).
  bool on_io_thread() const noexcept override;

  /// Queues one request; `done` gets the outcome once, on the I/O thread
  /// (on the caller's when the transport is shut down). Waits while
  /// max_in_flight async requests are pending, except on the I/O thread.
  /// `delay` holds the start back (for a retry) without blocking anyone.
  void submit(Request request, std::chrono::milliseconds delay, Completion done) override;

  /// HTTP/2 is offered to the server.
  /// (Until libcurl's protocol reports prove unreliable: see
  /// SocketWatch::distrust_protocol_reports.)
  bool offers_http2() const noexcept override {
    return !config_.force_http1 && !config_.allow_plain_http && sockets_.protocol_reports_trusted();
  }

  /// Ends every pending request with a cancelled Error, once each, and
  /// stops the I/O thread (joined, or detached when called on it).
  void shutdown() override;

 private:
  explicit Transport(TransportConfig config);

  struct Waiter;
  std::unique_ptr<Exchange> make_exchange(Request request);
  void enqueue(std::unique_ptr<Exchange> exchange, std::unique_lock<std::mutex>& lock);
  void start_io_thread();
  Outcome drive_until(Waiter& waiter, std::unique_lock<std::mutex>& lock, bool drives_already);
  Outcome take_outcome(Waiter& waiter);
  void release_loop();
  bool has_work();
  void run();
  bool step(const Waiter* until);
  void admit();
  void expire_waiting();
  void watch_connecting(const Exchange& exchange, CURL* handle);
  bool check_connecting();
  void start(std::unique_ptr<Exchange> exchange, CURL* handle);
  void finished(CURL* handle, CURLcode code);
  void complete(std::unique_ptr<Exchange> exchange, Outcome outcome);
  void deliver_deferred();
  void cancel_everything();

  TransportConfig config_;
  // Declared in this order so that the multi handle, which closes the
  // connections, goes before the handles and the socket table.
  SocketWatch sockets_;
  CurlHandles handles_;
  struct MultiDeleter {
    void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
  };
  std::unique_ptr<CURLM, MultiDeleter> multi_;
  static constexpr std::size_t kStreamsPerConnection = 100;  // HTTP/2 streams at once on one connection
  std::size_t max_running_;                                  // transfers handed to libcurl at once

  std::mutex mutex_;
  std::condition_variable slots_;      // an async slot came free
  std::condition_variable io_wanted_;  // the I/O thread has work to take
  std::vector<std::unique_ptr<Exchange>> queue_;
  std::size_t in_flight_ = 0;     // async calls queued or running
  std::size_t waiters_ = 0;       // callers waiting for a slot
  bool driving_ = false;          // a thread runs the loop
  std::thread::id driver_;        // ... this one
  std::vector<Waiter*> blocked_;  // blocking callers waiting while another thread drives
  bool handover_ = false;         // a blocking caller left work for the I/O thread
  bool stopping_ = false;
  bool io_started_ = false;
  std::thread io_thread_;
  std::atomic<std::thread::id> io_thread_id_{};

  // Async outcomes a blocking caller's loop produced, for the I/O thread.
  std::vector<std::pair<std::unique_ptr<Exchange>, Outcome>> deferred_;

  // Owned by the thread that drives the loop.
  std::map<CURL*, std::unique_ptr<Exchange>> active_;
  std::vector<std::unique_ptr<Exchange>> delayed_;  // not due yet (a retry's wait)
  std::deque<std::unique_ptr<Exchange>> ready_;     // due, waiting for a place in libcurl
  // Transfers handed to libcurl, in that order, until libcurl gives them a
  // connection (see check_connecting).
  struct Connecting {
    std::chrono::steady_clock::time_point give_up_at;
    std::chrono::steady_clock::time_point admitted_at;
    CURL* handle = nullptr;
  };
  std::deque<Connecting> connecting_;
  // When libcurl last gave any transfer a connection (Exchange::before_send).
  std::chrono::steady_clock::time_point connection_given_{};
  // Past connect_timeout, a transfer's own connect attempt has ended: one
  // still without a connection this much later is one libcurl holds.
  static constexpr std::chrono::milliseconds kConnectSlack{50};
};

}  // namespace stytch::internal

#endif
