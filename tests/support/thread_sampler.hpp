#ifndef STYTCH_TESTS_THREAD_SAMPLER_HPP
#define STYTCH_TESTS_THREAD_SAMPLER_HPP

// The process's thread count, read from /proc/self/status, and a sampler
// thread that keeps the highest count seen (itself included) until stopped.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace stytch::test {

/// The "Threads:" line of /proc/self/status; 0 when it cannot be read.
inline int process_threads() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return 0;
}

/// Samples the thread count about every millisecond from construction to
/// stop() (or destruction).
class ThreadSampler {
 public:
  ThreadSampler() : thread_([this] { run(); }) {}
  ~ThreadSampler() { stop(); }
  ThreadSampler(const ThreadSampler&) = delete;
  ThreadSampler& operator=(const ThreadSampler&) = delete;

  /// Stops sampling; the peak is final from then on.
  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int peak() const { return peak_.load(); }
  int samples() const { return samples_.load(); }

 private:
  void run() {
    do {
      const int now = process_threads();
      peak_.store(std::max(peak_.load(), now));
      ++samples_;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } while (!stopping_);
  }

  std::atomic<bool> stopping_{false};
  std::atomic<int> peak_{0};
  std::atomic<int> samples_{0};
  std::thread thread_;  // last: started once the counters exist
};

}  // namespace stytch::test

#endif
