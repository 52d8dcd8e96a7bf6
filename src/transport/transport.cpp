#include "transport/transport.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace stytch::internal {

namespace {

void deliver(Exchange& exchange, Outcome outcome) {
  try {
    exchange.done(std::move(outcome));
  } catch (...) {  // NOLINT(bugprone-empty-catch): a completion must not stop the I/O thread
  }
}

}  // namespace

std::shared_ptr<Transport> Transport::create(TransportConfig config) {
  return std::shared_ptr<Transport>(new Transport(std::move(config)));
}

Transport::Transport(TransportConfig config)
    : config_(std::move(config)),
      sockets_(config_.max_idle_reuse),
      handles_(config_, sockets_),
      max_running_(config_.max_connections *
                   (config_.force_http1 || config_.allow_plain_http ? 1 : kStreamsPerConnection)) {
  multi_.reset(curl_multi_init());
  if (!multi_) setup_failure("curl_multi_init failed");
  // HTTP/2 multiplexes concurrent calls over one connection when offered.
  curl_multi_setopt(multi_.get(), CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  curl_multi_setopt(multi_.get(), CURLMOPT_MAX_CONCURRENT_STREAMS, static_cast<long>(kStreamsPerConnection));
  // Beyond this many connections, requests wait for one (blocking and async
  // alike: they all run here).
  curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(config_.max_connections));
  curl_multi_setopt(multi_.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(config_.max_connections));
  // Keep that many open between calls too, so that a quiet moment does not
  // close connections only to open them again.
  curl_multi_setopt(multi_.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(config_.max_connections));
}

Transport::~Transport() {
  if (io_thread_.joinable()) {
    // Only reached when shutdown() was never called: the thread holds this
    // object alive while it runs, so it has ended or this is that thread.
    if (on_io_thread()) {
      io_thread_.detach();
    } else {
      io_thread_.join();
    }
  }
}

bool Transport::on_io_thread() const noexcept { return io_thread_id_ == std::this_thread::get_id(); }

std::unique_ptr<Exchange> Transport::make_exchange(Request request) {
  auto exchange = std::make_unique<Exchange>(std::move(request), config_, handles_, sockets_);
  exchange->note_connections_in(&connection_given_);
  return exchange;
}

// Caller holds the lock.
void Transport::start_io_thread() {
  // One I/O thread for the transport's whole life: never a second one, and
  // none once it is shutting down (the first may be detached by then).
  if (io_started_ || stopping_) return;
  io_started_ = true;
  io_thread_ = std::thread([self = shared_from_this()] { self->run(); });
}

// Queues a request for whoever drives the loop, waking it. Caller holds the
// lock; it is released.
void Transport::enqueue(std::unique_ptr<Exchange> exchange, std::unique_lock<std::mutex>& lock) {
  // The driver takes the whole queue each round: wake it only for the first
  // entry.
  const bool was_empty = queue_.empty();
  queue_.push_back(std::move(exchange));
  if (driving_) {
    lock.unlock();
    if (was_empty) curl_multi_wakeup(multi_.get());
    return;
  }
  start_io_thread();
  lock.unlock();
  io_wanted_.notify_one();
}

struct Transport::Waiter {
  std::condition_variable ready;  // with mutex_: the outcome came, or the loop is free
  std::atomic<bool> done{false};
  std::optional<Outcome> outcome;  // under mutex_
};

Outcome Transport::perform(Request request, std::chrono::milliseconds delay) {
  auto waiter = std::make_shared<Waiter>();
  auto exchange = make_exchange(std::move(request));
  exchange->start_at_time(std::chrono::steady_clock::now() + delay);
  exchange->done = [this, waiter](Outcome outcome) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      waiter->outcome = std::move(outcome);
      waiter->done = true;
    }
    waiter->ready.notify_one();
  };
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_) return exchange->cancelled();
  const bool drives_already = driving_ && driver_ == std::this_thread::get_id();  // a callback's blocking call
  const bool was_empty = queue_.empty();
  queue_.push_back(std::move(exchange));
  if (drives_already || !driving_) return drive_until(*waiter, lock, drives_already);
  // Another thread drives the loop: it runs this request too. Wait for the
  // answer, or for that thread to leave the loop, then take it over.
  if (was_empty) curl_multi_wakeup(multi_.get());
  blocked_.push_back(waiter.get());
  waiter->ready.wait(lock, [&] { return waiter->done || !driving_ || stopping_; });
  blocked_.erase(std::find(blocked_.begin(), blocked_.end(), waiter.get()));
  if (!waiter->done && !stopping_) return drive_until(*waiter, lock, false);
  return take_outcome(*waiter);
}

// A completion waits for async work (the JWKS fetch its verification
// needs): the I/O thread cannot wait for itself, so it keeps the loop going
// until the work is done. Completions of async calls another thread's loop
// finished are handed to this thread: it delivers them here too.
bool Transport::run_until(const std::function<bool()>& ready) {
  if (!on_io_thread()) return false;
  const std::thread::id self = std::this_thread::get_id();
  bool took_loop = false;  // taken here, so given back here
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    if (!deferred_.empty()) {
      lock.unlock();
      deliver_deferred();
      lock.lock();
      continue;
    }
    lock.unlock();
    const bool done = ready();
    lock.lock();
    if (done || stopping_) break;
    if (!driving_) {
      driving_ = true;
      driver_ = self;
      took_loop = true;
    }
    if (driver_ != self) {
      // A blocking caller drives: it hands what it finishes for async calls
      // to this thread, or leaves the loop to it.
      io_wanted_.wait(lock, [&] { return !deferred_.empty() || !driving_ || stopping_; });
      continue;
    }
    lock.unlock();
    step(nullptr);
    // Nothing to run (the work waited for is not queued yet): wait for a
    // wake-up, briefly, rather than spin.
    if (!has_work()) curl_multi_poll(multi_.get(), nullptr, 0, 10, nullptr);
    lock.lock();
  }
  lock.unlock();
  if (took_loop) release_loop();
  return true;
}

// Caller holds the lock.
Outcome Transport::take_outcome(Waiter& waiter) {
  if (waiter.outcome) return std::move(*waiter.outcome);
  Error e;  // shut down under a callback's blocking call
  e.kind = ErrorKind::cancelled;
  e.transport_code = CURLE_ABORTED_BY_CALLBACK;
  e.error_message = "the client was destroyed before the call completed";
  return e;
}

// Runs the loop on this thread until the waiter has its outcome. Caller
// holds the lock, which is held again on return.
Outcome Transport::drive_until(Waiter& waiter, std::unique_lock<std::mutex>& lock, bool drives_already) {
  if (!drives_already) {
    driving_ = true;
    driver_ = std::this_thread::get_id();
  }
  lock.unlock();
  while (!waiter.done && step(&waiter)) {
  }
  if (!drives_already) release_loop();
  lock.lock();
  return take_outcome(waiter);
}

// The driving thread leaves the loop: a blocked caller takes it over, and
// the I/O thread if work is left.
void Transport::release_loop() {
  const bool more = !active_.empty() || !delayed_.empty() || !ready_.empty();
  std::unique_lock<std::mutex> lock(mutex_);
  driving_ = false;
  driver_ = std::thread::id();
  // Every blocked caller looks: one whose answer came leaves, another takes
  // the loop over (waking only one could wake one that needs nothing).
  for (Waiter* blocked : blocked_) blocked->ready.notify_one();
  if (stopping_ || (!more && queue_.empty())) return;
  handover_ = true;
  start_io_thread();
  lock.unlock();
  io_wanted_.notify_one();
}

void Transport::submit(Request request, std::chrono::milliseconds delay, Completion done) {
  auto exchange = make_exchange(std::move(request));
  exchange->done = std::move(done);
  exchange->start_at_time(std::chrono::steady_clock::now() + delay);
  exchange->counts_in_flight = true;
  std::unique_lock<std::mutex> lock(mutex_);
  const bool io_thread = on_io_thread();
  if (!io_thread) {
    // Back-pressure: wait for a slot. A callback (on the I/O thread) never
    // waits: it would wait for itself.
    ++waiters_;
    slots_.wait(lock, [&] { return stopping_ || in_flight_ < config_.max_in_flight; });
    --waiters_;
  }
  ++in_flight_;
  if (!stopping_) {
    enqueue(std::move(exchange), lock);
    return;
  }
  if (io_thread) {
    // Started by a callback during shutdown: cancelled once that callback
    // has returned, never inside it.
    queue_.push_back(std::move(exchange));
    return;
  }
  --in_flight_;
  lock.unlock();
  deliver(*exchange, exchange->cancelled());
}

void Transport::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  slots_.notify_all();
  io_wanted_.notify_all();
  curl_multi_wakeup(multi_.get());
  if (!io_thread_.joinable()) return;
  if (on_io_thread()) {
    // The last owner went inside a callback: this thread finishes the
    // round, cancels what is left and ends on its own.
    io_thread_.detach();
  } else {
    io_thread_.join();
  }
}

bool Transport::has_work() {
  if (!active_.empty() || !delayed_.empty() || !ready_.empty()) return true;
  std::lock_guard<std::mutex> lock(mutex_);
  return !queue_.empty();
}

// The I/O thread: runs the callbacks of async calls a blocking caller
// finished, drives the loop while async calls (or a caller that left) have
// work, and sleeps otherwise, until shutdown.
void Transport::run() {
  io_thread_id_ = std::this_thread::get_id();
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    io_wanted_.wait(lock,
                    [&] { return !deferred_.empty() || (!driving_ && (stopping_ || handover_ || !queue_.empty())); });
    if (!deferred_.empty()) {
      lock.unlock();
      deliver_deferred();
      lock.lock();
      continue;
    }
    if (stopping_) break;
    driving_ = true;
    driver_ = std::this_thread::get_id();
    handover_ = false;
    lock.unlock();
    while (step(nullptr) && has_work()) {
    }
    release_loop();
    lock.lock();
  }
  driving_ = true;
  driver_ = std::this_thread::get_id();
  lock.unlock();
  deliver_deferred();
  cancel_everything();
}

// One round of the loop: start what is due, let libcurl work, finish what
// ended, then sleep until a socket, a wake-up or the next delayed start.
// False once the transport is shutting down.
bool Transport::step(const Waiter* until) {
  std::vector<std::unique_ptr<Exchange>> incoming;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return false;
    incoming.swap(queue_);
  }
  const auto now = std::chrono::steady_clock::now();
  for (auto& exchange : delayed_) incoming.push_back(std::move(exchange));
  delayed_.clear();
  for (auto& exchange : incoming) {
    if (exchange->start_at > now) {
      delayed_.push_back(std::move(exchange));
    } else {
      ready_.push_back(std::move(exchange));
    }
  }
  admit();

  // libcurl may end a transfer within the perform that started it (a quick
  // answer on a reused connection): its place goes at once to the next call,
  // a few rounds over, before the loop sleeps.
  bool more = true;
  for (int round = 0; round < 8 && more; ++round) {
    int running = 0;
    curl_multi_perform(multi_.get(), &running);
    int left = 0;
    bool ended = false;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &left)) {
      if (message->msg == CURLMSG_DONE) {
        finished(message->easy_handle, message->data.result);
        ended = true;
      }
    }
    more = check_connecting() || ended;
    if (more && !ready_.empty()) admit();
  }
  if ((until != nullptr && until->done) || (active_.empty() && delayed_.empty() && ready_.empty())) return true;

  long long wait_ms = more ? 0 : 1000;
  for (const auto& exchange : delayed_) {
    const auto due = std::chrono::duration_cast<std::chrono::milliseconds>(exchange->start_at - now).count();
    wait_ms = std::max<long long>(0, std::min<long long>(wait_ms, due));
  }
  if (!connecting_.empty()) {
    const auto due =
        std::chrono::duration_cast<std::chrono::milliseconds>(connecting_.front().give_up_at - now).count() + 1;
    wait_ms = std::max<long long>(0, std::min<long long>(wait_ms, due));
  }
  // A call waiting for a place ends when it stops being worth sending.
  if (!ready_.empty()) {
    const auto due = std::chrono::duration_cast<std::chrono::milliseconds>(ready_.front()->send_by() - now).count() + 1;
    wait_ms = std::max<long long>(0, std::min<long long>(wait_ms, due));
  }
  curl_multi_poll(multi_.get(), nullptr, 0, static_cast<int>(wait_ms), nullptr);
  return true;
}

// Hands libcurl no more transfers than its connections can carry at once:
// one per connection over HTTP/1.1, libcurl's stream limit over HTTP/2. A
// transfer libcurl keeps waiting for a connection runs down its connect
// timeout meanwhile; one waiting here does not.
void Transport::admit() {
  expire_waiting();
  const auto now = std::chrono::steady_clock::now();
  while (!ready_.empty() && active_.size() < max_running_) {
    std::unique_ptr<Exchange> exchange = std::move(ready_.front());
    ready_.pop_front();
    if (!exchange->worth_sending(now)) {
      Outcome expired = exchange->expired_unsent();
      complete(std::move(exchange), std::move(expired));
      continue;
    }
    std::string why;
    CURL* handle = handles_.acquire(why);
    if (handle == nullptr) {
      Outcome failed = exchange->setup_failed(why);
      complete(std::move(exchange), std::move(failed));
      continue;
    }
    start(std::move(exchange), handle);
  }
}

// Calls whose time ran out while they waited for a place end now, unsent,
// whether or not a place came free. The queue is in order of arrival, and so
// of deadline (one timeout for every call), but for calls a retry delayed:
// one of those ends when it reaches the front.
void Transport::expire_waiting() {
  const auto now = std::chrono::steady_clock::now();
  while (!ready_.empty() && !ready_.front()->worth_sending(now)) {
    std::unique_ptr<Exchange> exchange = std::move(ready_.front());
    ready_.pop_front();
    Outcome expired = exchange->expired_unsent();
    complete(std::move(exchange), std::move(expired));
  }
}

void Transport::start(std::unique_ptr<Exchange> exchange, CURL* handle) {
  exchange->attach(handle);
  if (curl_multi_add_handle(multi_.get(), handle) != CURLM_OK) {
    exchange->detach(handle);
    curl_easy_cleanup(handle);
    Outcome failed = exchange->setup_failed("libcurl refused the transfer");
    complete(std::move(exchange), std::move(failed));
    return;
  }
  exchange->mark_admitted(std::chrono::steady_clock::now());
  watch_connecting(*exchange, handle);
  active_.emplace(handle, std::move(exchange));
}

// libcurl holds some transfers without a connection: waiting for another
// one's connection attempt to learn whether it multiplexes (PIPEWAIT), or for
// a free connection or stream. libcurl 8 runs no timer on them meanwhile, 7.88
// their connect timer. Each is watched for connect_timeout.
void Transport::watch_connecting(const Exchange& exchange, CURL* handle) {
  const auto at = exchange.admitted_at();
  connecting_.push_back(Connecting{at + config_.connect_timeout + kConnectSlack, at, handle});
}

// Transfers still without a connection a little past connect_timeout (their
// own connect attempt would have ended by then): when no transfer got a
// connection meanwhile, the host cannot be reached in time, and each fails
// as a connect timeout; otherwise they wait for a busy one and start over,
// until their time runs out. Nothing of theirs was written.
bool Transport::check_connecting() {
  const auto now = std::chrono::steady_clock::now();
  bool removed = false;
  while (!connecting_.empty()) {
    const Connecting front = connecting_.front();
    auto it = active_.find(front.handle);
    // Gone, or moved on (the entry may also be an earlier attempt of a handle
    // libcurl has since been given again).
    if (it == active_.end() || it->second->has_connection() || it->second->admitted_at() != front.admitted_at) {
      connecting_.pop_front();
      continue;
    }
    if (front.give_up_at > now) break;
    connecting_.pop_front();
    removed = true;
    CURL* handle = front.handle;
    std::unique_ptr<Exchange> exchange = std::move(it->second);
    active_.erase(it);
    curl_multi_remove_handle(multi_.get(), handle);
    const bool others_connected = connection_given_ > front.admitted_at;
    if (others_connected && exchange->worth_sending(now)) {
      exchange->prepare_restart(handle);
      exchange->mark_admitted(now);
      if (curl_multi_add_handle(multi_.get(), handle) == CURLM_OK) {
        watch_connecting(*exchange, handle);
        active_.emplace(handle, std::move(exchange));
        continue;
      }
    }
    exchange->detach(handle);
    curl_easy_cleanup(handle);
    Outcome failed = others_connected ? Outcome(exchange->expired_unsent()) : Outcome(exchange->no_connection());
    complete(std::move(exchange), std::move(failed));
  }
  return removed;
}

void Transport::finished(CURL* handle, CURLcode code) {
  curl_multi_remove_handle(multi_.get(), handle);
  auto it = active_.find(handle);
  std::unique_ptr<Exchange> exchange = std::move(it->second);
  active_.erase(it);
  if (exchange->used_http1()) max_running_ = config_.max_connections;  // no HTTP/2 here: one call per connection
  if (exchange->conclude(handle, code) == Exchange::Next::resend && exchange->prepare_resend(handle)) {
    if (curl_multi_add_handle(multi_.get(), handle) == CURLM_OK) {
      exchange->mark_admitted(std::chrono::steady_clock::now());
      watch_connecting(*exchange, handle);
      active_.emplace(handle, std::move(exchange));
      return;
    }
    // The answer was cleared for the resend: fail it, never hand back an
    // empty success.
    exchange->detach(handle);
    curl_easy_cleanup(handle);
    Outcome failed = exchange->setup_failed("libcurl refused the transfer");
    complete(std::move(exchange), std::move(failed));
    return;
  }
  exchange->detach(handle);
  if (exchange->handle_reusable()) {
    handles_.release(handle);
  } else {
    curl_easy_cleanup(handle);
  }
  Outcome outcome = exchange->take_outcome();
  complete(std::move(exchange), std::move(outcome));
}

void Transport::complete(std::unique_ptr<Exchange> exchange, Outcome outcome) {
  if (exchange->counts_in_flight && !on_io_thread()) {
    // An async call finished while a blocking caller drove the loop: its
    // callback runs on the I/O thread, as promised, and at once.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      deferred_.emplace_back(std::move(exchange), std::move(outcome));
      start_io_thread();
    }
    io_wanted_.notify_one();
    return;
  }
  deliver(*exchange, std::move(outcome));
  if (!exchange->counts_in_flight) return;
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --in_flight_;
    wake = waiters_ > 0;
  }
  if (wake) slots_.notify_one();
}

// Shutting down: every call still pending gets its answer, once. Callbacks
// may start calls while being cancelled; those are cancelled in turn, round
// by round, never inside the callback that made them.
void Transport::deliver_deferred() {
  std::vector<std::pair<std::unique_ptr<Exchange>, Outcome>> deferred;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    deferred.swap(deferred_);
  }
  for (auto& [exchange, outcome] : deferred) complete(std::move(exchange), std::move(outcome));
}

void Transport::cancel_everything() {
  connecting_.clear();
  std::vector<std::unique_ptr<Exchange>> delayed;
  delayed.swap(delayed_);
  for (auto& exchange : ready_) delayed.push_back(std::move(exchange));
  ready_.clear();
  for (auto& exchange : delayed) {
    Outcome cancelled = exchange->cancelled();
    complete(std::move(exchange), std::move(cancelled));
  }
  while (!active_.empty()) {
    auto it = active_.begin();
    CURL* handle = it->first;
    std::unique_ptr<Exchange> exchange = std::move(it->second);
    active_.erase(it);
    curl_multi_remove_handle(multi_.get(), handle);
    exchange->detach(handle);
    curl_easy_cleanup(handle);
    Outcome cancelled = exchange->cancelled();
    complete(std::move(exchange), std::move(cancelled));
  }
  while (true) {
    std::vector<std::unique_ptr<Exchange>> queued;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queued.swap(queue_);
    }
    if (queued.empty()) break;
    for (auto& exchange : queued) {
      Outcome cancelled = exchange->cancelled();
      complete(std::move(exchange), std::move(cancelled));
    }
  }
}

bool is_connect_failure(int transport_code) noexcept {
  return transport_code == CURLE_COULDNT_CONNECT || transport_code == CURLE_COULDNT_RESOLVE_HOST ||
         transport_code == CURLE_COULDNT_RESOLVE_PROXY;
}

std::shared_ptr<Engine> make_engine(TransportConfig config) { return Transport::create(std::move(config)); }

}  // namespace stytch::internal
