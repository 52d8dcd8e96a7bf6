#ifndef STYTCH_MOCK_B2B_HPP
#define STYTCH_MOCK_B2B_HPP

// The behaviour of Stytch's B2B API as stytch-mock plays it: organizations,
// members, email and SMS one-time passcodes with the MFA step, discovery,
// intermediate session tokens and member sessions, in memory. It keeps its
// own state and uses the consumer Service's clock, outbox, rate limit and JWT
// signer. Like Service, each call takes the parsed request and returns the
// answer body, or throws ApiFailure.

#include "service.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace stytch::mock {

class B2bService {
 public:
  using Clock = Service::Clock;

  explicit B2bService(Service& service);

  // Organizations and members (b2b.cpp).
  nlohmann::json organizations_create(const nlohmann::json& body);
  nlohmann::json organizations_get(const std::string& organization_ref);
  nlohmann::json members_create(const std::string& organization_ref, const nlohmann::json& body);
  /// members.get: exactly one of member_id and email_address (empty = absent).
  nlohmann::json members_get(const std::string& organization_ref, const std::string& member_ref,
                             const std::string& email_address);

  // One-time passcodes (b2b_otps.cpp).
  nlohmann::json email_login_or_signup(const nlohmann::json& body);
  nlohmann::json email_authenticate(const nlohmann::json& body);
  nlohmann::json sms_send(const nlohmann::json& body);
  nlohmann::json sms_authenticate(const nlohmann::json& body);
  nlohmann::json discovery_send(const nlohmann::json& body);
  nlohmann::json discovery_authenticate(const nlohmann::json& body);

  // Discovery (b2b_otps.cpp).
  nlohmann::json discovery_exchange(const nlohmann::json& body);
  nlohmann::json discovery_organizations(const nlohmann::json& body);
  nlohmann::json discovery_create(const nlohmann::json& body);

  // Member sessions (b2b_sessions.cpp).
  nlohmann::json sessions_authenticate(const nlohmann::json& body);
  nlohmann::json sessions_get(const std::string& organization_ref, const std::string& member_ref);
  nlohmann::json sessions_revoke(const nlohmann::json& body);
  nlohmann::json sessions_exchange(const nlohmann::json& body);

  /// Creates organizations and their members from
  /// {"organizations": [{<organizations.create body>, "members": [<members.create body>...]}]};
  /// answers with their ids. All or nothing is not promised: a failure
  /// leaves what was made before it.
  nlohmann::json seed(const nlohmann::json& document);

  /// Organizations with their members and sessions, for the console.
  nlohmann::json console_state();
  /// No organizations, members, codes or sessions.
  void reset();

 private:
  struct Organization {
    std::string id;
    std::string name;
    std::string slug;
    std::string logo_url;
    std::string external_id;
    nlohmann::json trusted_metadata = nlohmann::json::object();
    std::vector<std::string> email_allowed_domains;
    std::string email_jit_provisioning = "NOT_ALLOWED";
    std::string email_invites = "ALL_ALLOWED";
    std::string sso_jit_provisioning = "ALL_ALLOWED";
    std::string auth_methods = "ALL_ALLOWED";
    std::vector<std::string> allowed_auth_methods;
    std::string mfa_policy = "OPTIONAL";
    std::string mfa_methods = "ALL_ALLOWED";
    std::vector<std::string> allowed_mfa_methods;
    nlohmann::json rbac_email_implicit_role_assignments = nlohmann::json::array();
    std::string oauth_tenant_jit_provisioning = "NOT_ALLOWED";
    nlohmann::json allowed_oauth_tenants = nlohmann::json::object();
    std::vector<std::string> claimed_email_domains;
    Clock::time_point created_at;
    Clock::time_point updated_at;
  };
  struct Member {
    std::string id;
    std::string organization_id;
    std::string email_address;
    std::string email_id;
    bool email_verified = false;
    std::string status = "active";
    std::string name;
    std::string phone_number;
    std::string phone_id;
    bool phone_verified = false;
    bool mfa_enrolled = false;
    std::string default_mfa_method;
    bool is_breakglass = false;
    std::vector<std::string> roles;  // direct assignments, stytch_member included
    std::string external_id;
    nlohmann::json trusted_metadata = nlohmann::json::object();
    nlohmann::json untrusted_metadata = nlohmann::json::object();
    Clock::time_point created_at;
    Clock::time_point updated_at;
  };
  struct MemberSession {
    std::string id;
    std::string member_id;
    std::string organization_id;
    std::string token;
    std::string jwt;
    Clock::time_point started_at;
    Clock::time_point last_accessed_at;
    Clock::time_point expires_at;
    std::vector<nlohmann::json> factors;
    nlohmann::json custom_claims = nlohmann::json::object();
  };
  /// An intermediate session: a primary factor done, the rest to come.
  struct Intermediate {
    std::string token;
    std::string email_address;
    std::string member_id;        // empty for discovery
    std::string organization_id;  // empty for discovery
    Clock::time_point expires_at;
    std::vector<nlohmann::json> factors;
  };
  /// What a login step asks of the member next.
  struct Requirement {
    bool mfa = false;
    bool primary = false;
  };

  // Callers hold mutex_.
  Organization& find_organization(const std::string& ref);
  Member& find_member(const Organization& organization, const std::string& ref);
  Member* member_by_email(const std::string& organization_id, const std::string& email_address);
  Member* member_by_phone(const std::string& organization_id, const std::string& phone_number);
  Organization& create_organization(const nlohmann::json& body, const std::string& email_for_defaults);
  Member& create_member(Organization& organization, const nlohmann::json& body);
  bool slug_taken(const std::string& slug) const;
  std::string unique_slug(const std::string& base);
  bool eligible_by_domain(const Organization& organization, const std::string& email_address) const;
  /// Whether SMS codes are an MFA method this member may use here.
  static bool sms_allowed(const Organization& organization, const Member& member);
  /// Throws operation_restricted_by_organization_mfa_methods when not.
  static void check_sms_allowed(const Organization& organization, const Member& member);
  Requirement requirement(const Organization& organization, const Member& member,
                          const std::vector<nlohmann::json>& factors) const;

  Intermediate& mint_intermediate(const std::string& email_address, const Member* member,
                                  const std::vector<nlohmann::json>& factors);
  Intermediate& find_intermediate(const std::string& token);
  MemberSession* find_session_by_token(const std::string& token);
  MemberSession* find_session_by_jwt(const std::string& jwt, bool accept_expired);
  /// The live session named by session_token or session_jwt (at most one of
  /// them); nullptr when neither came; 404 session_not_found when unknown.
  MemberSession* session_from(const nlohmann::json& body, bool accept_expired_jwt);
  MemberSession& start_session(const Member& member, const std::vector<nlohmann::json>& factors,
                               const nlohmann::json& body);
  void extend_session(MemberSession& session, const std::vector<nlohmann::json>& factors, const nlohmann::json& body,
                      bool default_duration);
  std::string make_jwt(const MemberSession& session) const;
  std::string issue_sms(Member& member);

  /// The login shape: a session when `session` is set; otherwise the IST and
  /// what is missing.
  nlohmann::json login_answer(const Member& member, const Organization& organization, const MemberSession* session,
                              const Intermediate* intermediate, Requirement requirement,
                              bool secondary_auth_initiated) const;
  /// After a primary factor: a session, or an IST and the MFA step (with the
  /// SMS sent when the member has a number). `intermediate`, when set, is
  /// the IST the request came with (echoed when a step is missing, used up
  /// otherwise).
  nlohmann::json complete_login(Member& member, Organization& organization, const std::vector<nlohmann::json>& factors,
                                const nlohmann::json& body, MemberSession* existing, Intermediate* intermediate);
  nlohmann::json discovered(const std::string& email_address, bool with_eligible,
                            const std::vector<nlohmann::json>& factors);

  nlohmann::json organization_json(const Organization& organization) const;
  nlohmann::json member_json(const Member& member) const;
  nlohmann::json session_json(const MemberSession& session) const;
  std::vector<std::string> role_ids(const Member& member) const;
  nlohmann::json email_factor(const std::string& email_id, const std::string& email_address) const;
  nlohmann::json sms_factor(const Member& member) const;
  std::string new_id(const std::string& kind) { return service_.new_id(kind); }
  std::string random_token(std::size_t length);
  Clock::time_point now() const { return service_.now(); }
  static std::string rfc3339(Clock::time_point t) { return Service::rfc3339(t); }

  Service& service_;
  std::string project_id_;
  mutable std::mutex mutex_;
  std::mt19937_64 random_{std::random_device{}()};
  std::map<std::string, Organization> organizations_;       // id -> organization
  std::map<std::string, Member> members_;                   // id -> member
  std::map<std::string, MemberSession> sessions_;           // token -> session
  std::map<std::string, Intermediate> intermediates_;       // IST -> intermediate session
  std::map<std::string, std::string> discovery_email_ids_;  // address -> its discovery code key
};

}  // namespace stytch::mock

#endif
