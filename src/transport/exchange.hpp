#ifndef STYTCH_SRC_EXCHANGE_HPP
#define STYTCH_SRC_EXCHANGE_HPP

// One request and its answer: the per-request libcurl settings and
// callbacks, the delivery rules that decide when a request may be sent
// again, and the one place a transport Error is built.

#include "transport/curl_handles.hpp"
#include "transport/socket_watch.hpp"
#include "transport/transport_config.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stytch::internal {

/// Times a request is sent again, at most, because the server provably did
/// not process it.
constexpr int kMaxResends = 3;

/// A call is sent only with at least this much of its timeout left (or half
/// its timeout, when that is shorter): less would likely end as a timeout
/// after the request was written, leaving the caller unsure whether it ran.
constexpr std::chrono::milliseconds kMinTimeToSend{50};

/// How an attempt that got no answer ended, as far as the server could
/// have seen it.
struct AttemptEnd {
  /// The reused connection had been closed by the server before a byte of
  /// the request was written to it.
  bool closed_before_write = false;
  /// The attempt went over HTTP/2.
  bool http2 = false;
  /// The loaded libcurl retries an HTTP/2 request without reporting an
  /// error only for a refused stream (LibcurlFacts::http2_refusals_exact).
  bool http2_refusals_exact = false;
  /// Bytes of the request handed to the connection.
  long bytes_written = 0;
  /// libcurl reported a failure during the attempt.
  bool error_reported = false;
  /// CURLE_OK when libcurl itself is about to send again (the connection
  /// died, or an HTTP/2 stream was refused); otherwise how the transfer
  /// failed.
  int curl_code = 0;
};

/// What one line of libcurl's informational text says about the protocol
/// the server agreed to by ALPN.
enum class AlpnReport {
  none,   ///< not an ALPN outcome
  http2,  ///< "h2"
  other,  ///< another protocol (http/1.1), or none agreed
};
/// Reads a CURLINFO_TEXT line of libcurl's debug callback.
AlpnReport read_alpn_line(std::string_view line) noexcept;

/// Whether an answer that came over `answered_version`
/// (CURLINFO_HTTP_VERSION; CURL_HTTP_VERSION_NONE when no answer was read)
/// agrees with the connection having been counted as HTTP/2 or not.
bool protocol_reports_agree(bool counted_http2, long answered_version) noexcept;

/// The delivery rule: true exactly when the server provably did not process
/// the request, so that sending it again cannot make a second OTP.
bool server_did_not_process(const AttemptEnd& end) noexcept;

/// How a failed libcurl transfer is reported: a body over the size limit is
/// decode, an expired timer is timeout, everything else (refused, reset, TLS,
/// DNS ...) is network.
ErrorKind error_kind_for_transport(int curl_code, bool body_over_limit) noexcept;

class Exchange {
 public:
  Exchange(Request request, const TransportConfig& config, const CurlHandles& handles, SocketWatch& sockets);
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  /// Points the handle at this request, for its first attempt.
  void attach(CURL* handle);
  /// Clears every per-request setting before the handle goes back to the pool.
  void detach(CURL* handle);

  enum class Next { answer, resend, fail };
  /// After libcurl ended a transfer: keep the answer, send again, or fail.
  Next conclude(CURL* handle, CURLcode code);
  /// Readies the handle for one more attempt; false when no time is left.
  bool prepare_resend(CURL* handle);
  /// Whether the handle may serve another request: libcurl keeps a count of
  /// its own retries per handle, across transfers, so a handle that saw one
  /// is not pooled.
  bool handle_reusable() const noexcept { return code_ == CURLE_OK && resends_ == 0; }

  /// The answer, or the Error, once conclude() said answer or fail.
  Outcome take_outcome();
  /// The outcome of a call ended by shutdown.
  Error cancelled() const;
  /// The outcome of a call whose handle could not be made.
  Error setup_failed(const std::string& why) const;
  /// The outcome of a call whose timeout ran out before it could be sent
  /// (waiting for a slot, a connection or its turn): never written.
  Error expired_unsent() const;

  /// Whether enough of the call's timeout is left to send it: at least
  /// kMinTimeToSend, or half the timeout when that is shorter.
  bool worth_sending(std::chrono::steady_clock::time_point now) const noexcept {
    return deadline_ - now >= min_time_to_send();
  }
  /// When the call stops being worth sending.
  std::chrono::steady_clock::time_point send_by() const noexcept { return deadline_ - min_time_to_send(); }

  /// When the request may start; `timeout` counts from then, waits in the
  /// transport's queue included.
  void start_at_time(std::chrono::steady_clock::time_point at) {
    start_at = at;
    deadline_ = at + config_.timeout;
  }
  /// The last attempt went over HTTP/1.x (known once libcurl was about to send).
  bool used_http1() const noexcept { return sends_in_transfer_ > 0 && !http2_; }
  /// libcurl gave the current transfer a connection (it was about to write).
  bool has_connection() const noexcept { return sends_in_transfer_ > 0 || closed_before_write_; }
  /// Where to note the time whenever libcurl gives a transfer a connection,
  /// which shows that connections to the host can be had.
  void note_connections_in(std::chrono::steady_clock::time_point* last) noexcept { connection_given_ = last; }
  /// When the transport last handed the transfer to libcurl.
  std::chrono::steady_clock::time_point admitted_at() const noexcept { return admitted_at_; }
  void mark_admitted(std::chrono::steady_clock::time_point at) noexcept { admitted_at_ = at; }
  /// Readies the handle to start over, after it was taken out of libcurl
  /// before it had a connection (nothing was written; not a resend).
  void prepare_restart(CURL* handle);
  /// The outcome of a call that libcurl held without a connection for
  /// connect_timeout while no connection to the host could be had.
  Error no_connection() const;

  Completion done;
  std::chrono::steady_clock::time_point start_at;  // a delayed call waits for its time
  bool counts_in_flight = false;                   // an async call, under max_in_flight

 private:
  struct HeaderTarget {
    std::vector<std::pair<std::string, std::string>>* headers;
    bool keep_all;
  };
  struct WriteTarget {
    std::string* body;
    std::size_t limit;
    bool overflowed;
  };

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user);
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user);
  static int on_prereq(void* user, char* server_ip, char* local_ip, int server_port, int local_port);
  static int on_debug(CURL* handle, curl_infotype type, char* data, std::size_t size, void* user);
  static curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address);
  int before_send(const char* server_ip, long server_port, long local_port);
  void choose_protocol(CURL* handle);
  void note_protocol(const char* server_ip, long server_port, long local_port, bool reused, bool reports_read);
  /// HTTP/2 may be spoken: offered (not forced off, not plain http), and
  /// libcurl's protocol reports still trusted.
  bool may_speak_http2() const noexcept {
    return !config_.force_http1 && !config_.allow_plain_http && sockets_.protocol_reports_trusted();
  }
  void stop_reading_reports(CURL* handle) const;
  void leave_connection();
  void reset_answer();
  const char* error_text() const noexcept { return error_text_ ? error_text_.get() : ""; }
  Error failure(ErrorKind kind, int curl_code, std::string what) const;
  std::chrono::milliseconds min_time_to_send() const noexcept {
    return std::min(kMinTimeToSend, std::chrono::duration_cast<std::chrono::milliseconds>(config_.timeout / 2));
  }

  Request request_;
  const TransportConfig& config_;
  const CurlHandles& handles_;
  SocketWatch& sockets_;
  CURL* handle_ = nullptr;
  HttpResponse response_;
  WriteTarget body_target_;
  HeaderTarget header_target_;
  // libcurl's error text for the transfer: made when the call is handed to
  // libcurl, so that a call waiting in the transport's queue does not carry
  // CURL_ERROR_SIZE bytes. Empty when absent.
  std::unique_ptr<char[]> error_text_;
  std::chrono::steady_clock::time_point deadline_;
  CURLcode code_ = CURLE_OK;

  // Attempts over the whole call, and what the current one has done.
  int attempts_ = 0;
  int resends_ = 0;
  bool maybe_processed_ = false;  // an attempt ended where the server may have processed it
  int sends_in_transfer_ = 0;     // times libcurl was about to write, in this transfer
  long written_at_send_ = 0;      // CURLINFO_REQUEST_SIZE when the attempt started
  long connects_at_send_ = 0;     // CURLINFO_NUM_CONNECTS when the attempt started
  long local_port_ = 0;           // the connection of the current attempt (0: none)
  bool error_empty_at_send_ = true;
  bool http2_ = false;
  bool protocol_known_ = false;                // http2_ was noted for the connection, not assumed
  AlpnReport alpn_report_ = AlpnReport::none;  // libcurl's last ALPN line, since the last send
  bool reading_reports_ = false;               // libcurl's text is on for this attempt
  std::chrono::milliseconds idle_at_send_{0};  // how long the reused connection had been idle (0: new or shared)
  bool closed_before_write_ = false;           // seen before sending; nothing was written
  bool resend_refused_ = false;                // libcurl wanted to send again after a write
  bool out_of_resends_ = false;                // not processed, but sent kMaxResends times again already
  std::chrono::steady_clock::time_point* connection_given_ = nullptr;
  std::chrono::steady_clock::time_point admitted_at_{};
};

}  // namespace stytch::internal

#endif
