#ifndef STYTCH_MOCK_SERVICE_HPP
#define STYTCH_MOCK_SERVICE_HPP

// The behaviour of the Stytch OTP API as stytch-mock plays it: users,
// methods, codes, sessions and the outbox, in memory. No HTTP here: each call
// takes the parsed request body and returns the answer body, or throws
// ApiFailure with the status and error Stytch would answer with.

#include "jwt_signer.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace stytch::mock {

struct ApiFailure {
  int status;
  std::string type;
  std::string message;
};

struct ServiceOptions {
  /// The project id the mock serves: "test" or "live" in ids follows it.
  std::string project_id = "project-test-00000000-0000-4000-8000-000000000000";
  /// When > 0, codes live this many seconds whatever expiration_minutes says.
  long code_lifetime_seconds = 0;
  /// Sends allowed per destination within rate_window_seconds; 0 turns the
  /// limit off.
  int rate_limit = 10;
  long rate_window_seconds = 60;
  /// Added to the real clock, for tests of expiry.
  long clock_offset_seconds = 0;
};

/// One message that would have been delivered.
struct OutboxMessage {
  std::string channel;  // "sms", "whatsapp" or "email"
  std::string destination;
  std::string method_id;
  std::string code;
  std::string sent_at;
  std::string expires_at;
  /// The attributes the send came with (shown by the console).
  std::optional<std::string> ip_address;
  std::optional<std::string> user_agent;
};

class Service {
 public:
  using Clock = std::chrono::system_clock;

  explicit Service(ServiceOptions options);

  nlohmann::json send(const std::string& channel, const nlohmann::json& body);
  nlohmann::json login_or_create(const std::string& channel, const nlohmann::json& body);
  nlohmann::json authenticate(const nlohmann::json& body);

  // The sessions API (mock/sessions.cpp).
  nlohmann::json sessions_authenticate(const nlohmann::json& body);
  nlohmann::json sessions_get(const std::string& user_id);
  nlohmann::json sessions_revoke(const nlohmann::json& body);
  /// The JWKS of `project_id`; ApiFailure 404 for another project.
  nlohmann::json jwks(const std::string& project_id) const;
  /// Adds a signing key (the old ones stay in the JWKS); gives its kid.
  std::string rotate_keys() { return signer_.rotate(); }

  /// Creates an active user with this phone number (E.164) or email address.
  std::string create_user(const std::string& phone_or_email);

  /// The user as authenticate returns it; ApiFailure 404 when unknown.
  nlohmann::json user(const std::string& user_id);

  std::vector<OutboxMessage> outbox() const;
  /// Everything the mock holds, for the console (console_state.cpp): the
  /// outbox newest first with each code's state, users with their methods and
  /// sessions, and the clock.
  nlohmann::json console_state();
  /// Back to the state at start: no users but the sandbox ones, no codes,
  /// sessions or messages, the clock at its starting offset.
  void reset();
  void advance_clock(long seconds) { clock_offset_seconds_ += seconds; }
  Clock::time_point now() const { return Clock::now() + std::chrono::seconds(clock_offset_seconds_.load()); }

  std::string new_id(const std::string& kind);

  // Shared with the B2B side (b2b.cpp), which keeps its own members and
  // sessions but uses this clock, outbox, rate limit and signer.
  /// Issues a code under `key` (a method id of the B2B side), replacing the
  /// key's live one, and puts it in the outbox with `key` as its method_id.
  /// It lives `lifetime_seconds` unless code_lifetime_seconds overrides it.
  /// ApiFailure 429 when the destination has had too many sends.
  std::string issue_external_code(const std::string& key, const std::string& channel, const std::string& destination,
                                  long lifetime_seconds);
  /// Uses the live code under `key`: 404 otp_code_not_found when there is
  /// none or it is another code, 401 unable_to_auth_otp_code when it was
  /// used or has expired.
  void use_external_code(const std::string& key, const std::string& code);
  const JwtSigner& signer() const { return signer_; }
  const ServiceOptions& options() const { return options_; }
  static std::string rfc3339(Clock::time_point t);

 private:
  struct Method {
    std::string id;
    bool is_phone = true;
    std::string value;
    std::string user_id;
    bool verified = false;
    /// A method attached to an existing user by a send goes away unless it is
    /// verified by then.
    std::optional<Clock::time_point> attached_until;
    /// The channel of the last send (sandbox methods keep no code).
    std::string last_channel;
  };
  struct User {
    std::string id;
    std::string status;
    Clock::time_point created_at;
    std::vector<std::string> method_ids;
  };
  struct Code {
    std::string code;
    std::string channel;
    Clock::time_point expires_at;
    bool used = false;
    std::optional<std::string> ip_address;
    std::optional<std::string> user_agent;
  };
  struct Session {
    std::string id;
    std::string user_id;
    std::string token;
    std::string jwt;
    Clock::time_point started_at;
    Clock::time_point last_accessed_at;
    Clock::time_point expires_at;
    std::vector<nlohmann::json> factors;
    nlohmann::json custom_claims = nlohmann::json::object();
  };

  struct Destination {
    bool is_phone;
    std::string value;
  };
  Destination destination_of(const std::string& channel, const nlohmann::json& body) const;
  nlohmann::json send_code(const std::string& channel, const nlohmann::json& body, bool may_create);

  // The callers below hold mutex_.
  User& add_user(const std::string& status);
  Method& add_method(User& user, bool is_phone, const std::string& value);
  Method* find_method_by_value(bool is_phone, const std::string& value);
  Session* find_session(const nlohmann::json& body);
  Session* find_session_by_jwt(const std::string& jwt, bool accept_expired);
  bool rate_limited(const std::string& destination);
  void record_send(const std::string& destination);
  void drop_expired_attachments();
  std::string issue_code(const std::string& channel, const Method& method, const nlohmann::json& body);
  void start_or_extend_session(Session& session, const Method& method, const std::string& channel,
                               const nlohmann::json& body);
  std::string make_jwt(const Session& session) const;
  nlohmann::json user_json(const User& user) const;
  nlohmann::json session_json(const Session& session) const;
  std::string id_locked(const std::string& kind);
  std::string random_code();
  std::string random_token(std::size_t length);

  ServiceOptions options_;
  std::string env_;
  std::atomic<long> clock_offset_seconds_;

  mutable std::mutex mutex_;
  std::mt19937_64 random_{std::random_device{}()};
  std::map<std::string, User> users_;
  std::map<std::string, Method> methods_;
  std::map<std::string, std::string> method_by_value_;  // "phone:+1..." / "email:a@b" -> method id
  std::map<std::string, Code> codes_;                   // method id -> the one live code
  std::map<std::string, Session> sessions_;             // session token -> session
  struct JwtEntry {
    std::string session_token;
    Clock::time_point expires_at;
  };
  std::map<std::string, JwtEntry> jwts_;                        // every JWT issued stays valid until its exp
  std::map<std::string, std::deque<Clock::time_point>> sends_;  // destination -> recent sends
  std::vector<OutboxMessage> outbox_;
  std::map<std::string, std::string> sandbox_method_ids_;  // sandbox value -> method id
  JwtSigner signer_;
};

}  // namespace stytch::mock

#endif
