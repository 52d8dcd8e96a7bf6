#include "transport/exchange.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <string_view>

namespace stytch::internal {

namespace {

// Failures of a connection itself, before an answer: the ones a request
// that was never written may be sent again after. Timeouts are not among
// them (the call's time is spent), nor failures that would only repeat
// (name resolution, certificate verification, a refused setting).
bool is_connection_failure(int curl_code) noexcept {
  switch (curl_code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    // libcurl 7.88 ends a transfer with this code, and no message, when
    // nghttp2 would not open its stream: the server's GOAWAY had arrived on
    // the connection the transfer was given. Written or not tells the rest.
    case CURLE_HTTP2:
      return true;
    default:
      return false;
  }
}

}  // namespace

AlpnReport read_alpn_line(std::string_view line) noexcept {
  // libcurl's informational lines on the ALPN outcome, the same from 7.88 to
  // 8.x and for every TLS backend that hands the result to libcurl's shared
  // TLS code: "ALPN: server accepted h2", "ALPN: server accepted http/1.1",
  // "ALPN: server confirmed to use 'h2'" (a resumed session that had
  // agreed on it), "ALPN: server did not agree ...".
  // With trace ids on (curl_global_trace("ids")), 8.x puts "[n-m] " first.
  while (line.size() > 2 && line.front() == '[') {
    const auto close = line.find("] ");
    if (close == std::string_view::npos) break;
    line.remove_prefix(close + 2);
  }
  constexpr std::string_view kPrefix = "ALPN: server ";
  if (line.substr(0, kPrefix.size()) != kPrefix) return AlpnReport::none;
  line.remove_prefix(kPrefix.size());
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  constexpr std::string_view kAccepted = "accepted ";
  constexpr std::string_view kConfirmed = "confirmed to use ";
  std::string_view protocol;
  if (line.substr(0, kAccepted.size()) == kAccepted) {
    protocol = line.substr(kAccepted.size());
  } else if (line.substr(0, kConfirmed.size()) == kConfirmed) {
    protocol = line.substr(kConfirmed.size());
    if (protocol.size() >= 2 && protocol.front() == '\'' && protocol.back() == '\'') {
      protocol = protocol.substr(1, protocol.size() - 2);
    }
  } else {
    return AlpnReport::other;  // no protocol agreed: HTTP/1.1 by default
  }
  return protocol == "h2" ? AlpnReport::http2 : AlpnReport::other;
}

bool protocol_reports_agree(bool counted_http2, long answered_version) noexcept {
  if (answered_version == CURL_HTTP_VERSION_NONE) return true;  // no answer read: nothing to compare
  return counted_http2 == (answered_version == CURL_HTTP_VERSION_2_0);
}

bool server_did_not_process(const AttemptEnd& end) noexcept {
  // The server had closed the idle connection: it reads nothing more on it.
  if (end.closed_before_write) return true;
  // libcurl sends an HTTP/2 request again with no failure reported only when
  // the stream was refused (REFUSED_STREAM, or above a GOAWAY's
  // last-stream-id): RFC 9113 section 8.7 says such streams were not
  // processed.
  // (From libcurl 8.14.1 on; 7.88 also retries a processed stream silently
  // when its connection died, so there HTTP/2 is never used.)
  if (end.http2 && end.http2_refusals_exact && end.curl_code == CURLE_OK && !end.error_reported) return true;
  // Not one byte of the request went out: the connection died first (a
  // reused one closed, reset or with a broken pipe on the first write), or
  // it never came up (refused, TLS failure).
  if (end.bytes_written == 0 && (end.curl_code == CURLE_OK || is_connection_failure(end.curl_code))) return true;
  // Written, then lost: the server may have processed it.
  return false;
}

ErrorKind error_kind_for_transport(int curl_code, bool body_over_limit) noexcept {
  if (body_over_limit || curl_code == CURLE_FILESIZE_EXCEEDED) return ErrorKind::decode;
  if (curl_code == CURLE_OPERATION_TIMEDOUT) return ErrorKind::timeout;
  return ErrorKind::network;
}

Exchange::Exchange(Request request, const TransportConfig& config, const CurlHandles& handles, SocketWatch& sockets)
    : request_(std::move(request)),
      config_(config),
      handles_(handles),
      sockets_(sockets),
      body_target_{&response_.body, config.max_response_bytes, false},
      header_target_{&response_.headers, config.capture_headers},
      deadline_(std::chrono::steady_clock::now() + config.timeout) {}

// Reads the "Name: value" lines of the final response.
std::size_t Exchange::on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* target = static_cast<HeaderTarget*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    target->headers->clear();  // a new response (after a 1xx) starts over
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  const std::string_view name = line.substr(0, colon);
  if (!target->keep_all && !is_retry_after(name) && !is_cache_control(name)) return n;
  std::size_t start = colon + 1;
  std::size_t end = line.size();
  while (start < end && (line[start] == ' ' || line[start] == '\t')) ++start;
  while (end > start && (line[end - 1] == '\r' || line[end - 1] == '\n' || line[end - 1] == ' ')) --end;
  try {
    target->headers->emplace_back(std::string(name), std::string(line.substr(start, end - start)));
  } catch (const std::bad_alloc&) {
    return 0;  // no exception may cross libcurl's C frames
  }
  return n;
}

std::size_t Exchange::on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* target = static_cast<WriteTarget*>(user);
  const std::size_t n = size * count;
  if (target->body->size() + n > target->limit) {
    target->overflowed = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  try {
    target->body->append(data, n);
  } catch (const std::bad_alloc&) {
    return 0;  // no exception may cross libcurl's C frames
  }
  return n;
}

int Exchange::on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  // Only libcurl's own informational lines are read, and only their ALPN
  // outcome is kept: headers and data (credentials among them) pass by
  // untouched. A pooled handle has no exchange.
  if (type != CURLINFO_TEXT || user == nullptr) return 0;
  if (!static_cast<Exchange*>(user)->config_.read_alpn_reports) return 0;
  const AlpnReport report = read_alpn_line(std::string_view(data, size));
  if (report != AlpnReport::none) static_cast<Exchange*>(user)->alpn_report_ = report;
  return 0;
}

int Exchange::on_prereq(void* user, char* server_ip, char*, int server_port, int local_port) {
  return static_cast<Exchange*>(user)->before_send(server_ip, server_port, local_port);
}

// libcurl calls this on the connection it chose, just before it writes the
// request: at the first attempt, and again when it wants to send once more
// (its own retry after a connection died or a stream was refused). The
// delivery rules decide whether that is allowed.
int Exchange::before_send(const char* server_ip, long server_port, long local_port) {
  // The connection is made: libcurl's text is not needed until it opens
  // another socket.
  const bool reports_read = reading_reports_;
  if (reading_reports_) {
    stop_reading_reports(handle_);
    reading_reports_ = false;
  }
  if (connection_given_ != nullptr) *connection_given_ = std::chrono::steady_clock::now();
  long written = 0;
  long connects = 0;
  curl_easy_getinfo(handle_, CURLINFO_REQUEST_SIZE, &written);
  curl_easy_getinfo(handle_, CURLINFO_NUM_CONNECTS, &connects);
  if (sends_in_transfer_ > 0) {
    AttemptEnd previous;
    previous.http2 = http2_;
    previous.http2_refusals_exact = libcurl_facts().http2_refusals_exact;
    previous.bytes_written = written - written_at_send_;
    previous.error_reported = !error_empty_at_send_ || error_text()[0] != '\0';
    previous.curl_code = CURLE_OK;
    if (!server_did_not_process(previous)) {
      maybe_processed_ = true;
      resend_refused_ = true;
      // libcurl retries a request whose reused connection died before an
      // answer: after an idle pause, most likely the server's idle close.
      if (idle_at_send_.count() > 0) sockets_.lost_after_idle(idle_at_send_);
      return CURL_PREREQFUNC_ABORT;
    }
    if (resends_ >= kMaxResends) {
      out_of_resends_ = true;
      return CURL_PREREQFUNC_ABORT;
    }
    ++resends_;
  }
  const bool reused = connects == connects_at_send_;
  leave_connection();
  idle_at_send_ = reused ? sockets_.idle_for(local_port) : std::chrono::milliseconds(0);
  local_port_ = local_port;
  sockets_.enter(local_port);
  note_protocol(server_ip, server_port, local_port, reused, reports_read);
  ++sends_in_transfer_;
  ++attempts_;
  written_at_send_ = written;
  connects_at_send_ = connects;
  error_empty_at_send_ = error_text()[0] == '\0';
  // An idle connection has nothing to read; if it has, the server closed it
  // (close_notify, GOAWAY, FIN) and would never read this request. (On an
  // HTTP/2 connection that other requests use, frames are theirs, and
  // libcurl reads a GOAWAY itself.) One idle past the reuse limit may be
  // closing right now: it is given up too. Either way nothing was written.
  // Where the look at the socket cannot be made (platform::PeerState::
  // cannot_tell: no probe on the system, or it failed), the connection
  // counts as not closed: the request is written as usual, and a loss is
  // judged by libcurl's own evidence alone (nothing written, or else
  // may_have_reached_server), never as closed_before_write_.
  if (reused && sockets_.check_before_write(local_port, idle_at_send_, !http2_) != SocketWatch::Reuse::ok) {
    closed_before_write_ = true;
    return CURL_PREREQFUNC_ABORT;
  }
  return CURL_PREREQFUNC_OK;
}

void Exchange::leave_connection() {
  if (local_port_ != 0) sockets_.leave(local_port_);
  local_port_ = 0;
}

void Exchange::attach(CURL* handle) {
  handle_ = handle;
  curl_easy_setopt(handle, CURLOPT_URL, request_.url.c_str());
  if (request_.method == HttpMethod::get) {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(handle, CURLOPT_POST, 1L);  // a pooled handle may have served a GET
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request_.body.data());
  }
  // The transport starts a call only while it is worth_sending().
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(1, left.count())));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Exchange::on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &body_target_);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &Exchange::on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &header_target_);
  // Without memory for it, failures are reported without libcurl's text.
  if (!error_text_) error_text_.reset(new (std::nothrow) char[CURL_ERROR_SIZE]());
  if (error_text_) curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_text_.get());
  curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, &Exchange::on_prereq);
  curl_easy_setopt(handle, CURLOPT_PREREQDATA, this);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, &Exchange::on_open_socket);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, this);
  choose_protocol(handle);
}

// The protocol settings of an attempt, made again before each (a resend
// after the reports were distrusted asks for HTTP/1.1 too).
void Exchange::choose_protocol(CURL* handle) {
  // libcurl's text is off until it opens a socket for a new connection
  // (on_open_socket), and off again once it is about to write (before_send).
  stop_reading_reports(handle);
  reading_reports_ = false;
  // Once libcurl's protocol reports proved unreliable, HTTP/1.1 only: there
  // the delivery rules need no report.
  if (!sockets_.protocol_reports_trusted()) {
    curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(handle, CURLOPT_PIPEWAIT, 0L);
  }
}

// libcurl tells the ALPN outcome of a new connection only in its
// informational text, which it gives a debug callback when verbose: turned
// on when libcurl opens a socket for a new connection (at the first attempt,
// or when it connects again within a transfer), before its TLS handshake.
// Not where HTTP/2 is never offered (HTTP/1.1 forced, by the caller or for
// an older libcurl, or plain http): there every connection is HTTP/1.1.
// Only until the connection is made: the rest of a transfer's text (its
// headers, streams and TLS records) costs libcurl some 26,000 instructions
// per request with OpenSSL, measured with callgrind.
curl_socket_t Exchange::on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* exchange = static_cast<Exchange*>(user);
  if (purpose == CURLSOCKTYPE_IPCXN && exchange->may_speak_http2()) {
    // (libcurl may have options set from its callbacks' thread; these take
    // effect at its next line of text.)
    curl_easy_setopt(exchange->handle_, CURLOPT_DEBUGFUNCTION, &Exchange::on_debug);
    curl_easy_setopt(exchange->handle_, CURLOPT_DEBUGDATA, exchange);
    curl_easy_setopt(exchange->handle_, CURLOPT_VERBOSE, 1L);
    exchange->reading_reports_ = true;
  }
  return exchange->sockets_.open_socket(purpose, *address);
}

// A new connection: libcurl reported the protocol the TLS handshake agreed
// on (ALPN) while it made it, before the pre-request callback. Connections
// it reuses keep what was noted when they were made. No report, or none
// noted, counts as not HTTP/2, which only ever forbids a resend. Where
// HTTP/2 is never offered, every connection is HTTP/1.1: nothing to note
// or look up.
void Exchange::note_protocol(const char* server_ip, long server_port, long local_port, bool reused, bool reports_read) {
  http2_ = false;
  protocol_known_ = false;
  const AlpnReport report = std::exchange(alpn_report_, AlpnReport::none);
  if (!may_speak_http2()) return;
  SocketWatch::Peer peer;
  peer.local_port = local_port;
  peer.server_port = server_port;
  try {
    peer.server_ip = server_ip != nullptr ? server_ip : "";
  } catch (...) {  // NOLINT(bugprone-empty-catch): out of memory; the key is then the port alone
  }
  // (A connection libcurl made again within the transfer, after the text
  // was turned off, had no chance to report: unknown.)
  if (!reused && reports_read) sockets_.note_protocol(peer, report == AlpnReport::http2);
  if (!reused && !reports_read) sockets_.forget_protocol(peer);
  const std::optional<bool> http2 = sockets_.speaks_http2(peer);
  http2_ = http2.value_or(false);
  protocol_known_ = http2.has_value();
}

// Verbose off first: verbose with no debug callback writes to stderr. No
// callback either, so that libcurl's TLS record trace (installed on a
// connection made while verbose) returns at once.
void Exchange::stop_reading_reports(CURL* handle) const {
  curl_easy_setopt(handle, CURLOPT_VERBOSE, 0L);
  curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, nullptr);
}

void Exchange::detach(CURL* handle) {
  leave_connection();
  sockets_.attach(handle);  // its own open-socket callback again
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, nullptr);
  curl_easy_setopt(handle, CURLOPT_PREREQDATA, nullptr);
  curl_easy_setopt(handle, CURLOPT_DEBUGDATA, nullptr);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, nullptr);
  curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, 0L);
  handle_ = nullptr;
}

Exchange::Next Exchange::conclude(CURL* handle, CURLcode code) {
  code_ = code;
  leave_connection();
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  response_.status = static_cast<int>(status);
  long written = 0;
  curl_easy_getinfo(handle, CURLINFO_REQUEST_SIZE, &written);
  // (A timeout before libcurl was about to write: the connection could not
  // be made within connect_timeout, or the call's time ran out. Never
  // written, and not sent again: the time is spent.)
  if (sends_in_transfer_ == 0) ++attempts_;  // the connection failed before libcurl could write
  if (code == CURLE_OK) {
    // What the answer came over must be what the connection was counted
    // as: otherwise libcurl's ALPN reports cannot be relied on (a TLS
    // backend that reports none, or another wording), and from now on the
    // transport speaks HTTP/1.1, where the rules need none.
    // (A connection with nothing noted, made by a transfer that ended
    // before its request, proves nothing either way.)
    if (protocol_known_) {
      long version = CURL_HTTP_VERSION_NONE;
      curl_easy_getinfo(handle, CURLINFO_HTTP_VERSION, &version);
      if (!protocol_reports_agree(http2_, version)) sockets_.distrust_protocol_reports();
    }
    return Next::answer;
  }
  if (resend_refused_ || out_of_resends_) return Next::fail;  // decided before the send
  if (body_target_.overflowed || status != 0) {
    maybe_processed_ = true;  // the server answered
    return Next::fail;
  }

  AttemptEnd last;
  last.closed_before_write = closed_before_write_;
  last.http2 = http2_;
  last.bytes_written = sends_in_transfer_ == 0 ? 0 : written - written_at_send_;
  last.error_reported = true;
  last.curl_code = closed_before_write_ ? CURLE_OK : code;
  last.http2_refusals_exact = libcurl_facts().http2_refusals_exact;
  if (!server_did_not_process(last)) {
    // Written, then lost. (Nothing written: a failure that would only
    // repeat, such as name resolution or certificate verification.)
    if (last.bytes_written > 0) {
      maybe_processed_ = true;
      // Lost with no answer on a connection reused after an idle pause:
      // most likely the server's idle close crossed the request.
      if (code != CURLE_OPERATION_TIMEDOUT && idle_at_send_.count() > 0) sockets_.lost_after_idle(idle_at_send_);
    }
    return Next::fail;
  }
  if (resends_ >= kMaxResends) {
    out_of_resends_ = true;
    return Next::fail;
  }
  return Next::resend;
}

bool Exchange::prepare_resend(CURL* handle) {
  const auto now = std::chrono::steady_clock::now();
  if (!worth_sending(now)) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - now);
  ++resends_;
  // After a connection the server had closed, take a new one rather than
  // another idle one that may be in the same state.
  curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, closed_before_write_ ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
  choose_protocol(handle);
  reset_answer();
  return true;
}

void Exchange::prepare_restart(CURL* handle) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(1, left.count())));
  choose_protocol(handle);
  reset_answer();
}

void Exchange::reset_answer() {
  response_ = HttpResponse{};
  body_target_.overflowed = false;
  if (error_text_) error_text_[0] = '\0';
  code_ = CURLE_OK;
  sends_in_transfer_ = 0;
  written_at_send_ = 0;
  connects_at_send_ = 0;
  error_empty_at_send_ = true;
  http2_ = false;
  protocol_known_ = false;
  alpn_report_ = AlpnReport::none;
  idle_at_send_ = std::chrono::milliseconds(0);
  closed_before_write_ = false;
}

Outcome Exchange::take_outcome() {
  handles_.redact(response_.body);
  response_.attempts = attempts_;
  if (code_ == CURLE_OK) return std::move(response_);
  const ErrorKind kind = error_kind_for_transport(static_cast<int>(code_), body_target_.overflowed);
  if (kind == ErrorKind::decode) {
    Error e = decode_error(response_.status, response_.body,
                           "the response is larger than " + std::to_string(config_.max_response_bytes) + " bytes");
    e.transport_code = static_cast<int>(code_);
    e.attempts = attempts_;
    e.may_have_reached_server = true;
    return e;
  }
  std::string what;
  if (resend_refused_) {
    what = "the connection closed after the request was sent: it may have reached the server and was not sent again";
  } else if (out_of_resends_) {
    what = "the server did not process the request in " + std::to_string(attempts_) +
           " attempts (streams refused, or connections that closed or failed before the request was written); it was "
           "not sent again";
  } else if (closed_before_write_) {
    what = "the server closed every connection offered before the request could be written";
  } else if (code_ == CURLE_OPERATION_TIMEDOUT && sends_in_transfer_ == 0 && !maybe_processed_) {
    // libcurl's own text here can name a host resolution that never ran.
    const bool call_timeout = std::chrono::steady_clock::now() >= deadline_ - min_time_to_send();
    what = call_timeout ? "the timeout (" + std::to_string(config_.timeout.count()) +
                              " ms) ran out before a connection was ready; the request was not sent"
                        : "no connection could be made within connect_timeout (" +
                              std::to_string(config_.connect_timeout.count()) + " ms); the request was not sent";
  } else {
    what = curl_easy_strerror(code_);
    if (error_text()[0] != '\0') what += std::string(": ") + error_text();
  }
  return failure(kind, static_cast<int>(code_), std::move(what));
}

Error Exchange::cancelled() const {
  return failure(ErrorKind::cancelled, CURLE_ABORTED_BY_CALLBACK, "the client was destroyed before the call completed");
}

Error Exchange::expired_unsent() const {
  return failure(ErrorKind::timeout, CURLE_OPERATION_TIMEDOUT,
                 "the timeout (" + std::to_string(config_.timeout.count()) +
                     " ms) ran out while the call waited for a connection; the request was not sent");
}

Error Exchange::no_connection() const {
  return failure(ErrorKind::timeout, CURLE_OPERATION_TIMEDOUT,
                 "no connection could be made within connect_timeout (" +
                     std::to_string(config_.connect_timeout.count()) + " ms); the request was not sent");
}

Error Exchange::setup_failed(const std::string& why) const {
  return failure(ErrorKind::network, CURLE_FAILED_INIT, "could not prepare the request: " + why);
}

// Every transport Error is made here.
Error Exchange::failure(ErrorKind kind, int curl_code, std::string what) const {
  Error e;
  e.kind = kind;
  e.http_status = response_.status;
  e.transport_code = curl_code;
  e.attempts = attempts_;
  // False only when every attempt provably went unprocessed (see
  // server_did_not_process). A call cancelled in the middle of an attempt
  // may have been written.
  e.may_have_reached_server =
      maybe_processed_ || response_.status != 0 || (kind == ErrorKind::cancelled && sends_in_transfer_ > 0);
  e.error_message = std::move(what);
  handles_.redact(e.error_message);
  return e;
}

}  // namespace stytch::internal
