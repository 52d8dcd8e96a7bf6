// The B2B part of the public API exactly as its contract writes it, checked
// by the compiler from outside the project (every call, in its three forms,
// with its exact parameter and answer types), plus a round trip through
// client.b2b against the running stytch-mock.
#include <stytch/stytch.hpp>

#include <functional>
#include <future>
#include <random>
#include <string>
#include <type_traits>

namespace {

using stytch::Result;
namespace b2b = stytch::b2b;

// The blocking form, the future form and the callback form, each with the
// contract's exact signature (static_cast picks the overload or fails).
#define STYTCH_CONTRACT_CALL(Class, name, Params, Response)                                                            \
  static_assert(std::is_same_v<decltype(&Class::name), Result<Response> (Class::*)(const Params&) const>);             \
  static_cast<void>(static_cast<std::future<Result<Response>> (Class::*)(const Params&) const>(&Class::name##_async)); \
  static_cast<void>(                                                                                                   \
      static_cast<void (Class::*)(const Params&, std::function<void(Result<Response>)>) const>(&Class::name##_async))

void contract_signatures() {
  STYTCH_CONTRACT_CALL(b2b::Otps::Sms, send, b2b::otps::sms::SendParams, b2b::otps::sms::SendResponse);
  STYTCH_CONTRACT_CALL(b2b::Otps::Sms, authenticate, b2b::otps::sms::AuthenticateParams,
                       b2b::otps::sms::AuthenticateResponse);
  STYTCH_CONTRACT_CALL(b2b::Otps::Email, login_or_signup, b2b::otps::email::LoginOrSignupParams,
                       b2b::otps::email::LoginOrSignupResponse);
  STYTCH_CONTRACT_CALL(b2b::Otps::Email, authenticate, b2b::otps::email::AuthenticateParams,
                       b2b::otps::email::AuthenticateResponse);
  STYTCH_CONTRACT_CALL(b2b::Otps::Email::Discovery, send, b2b::otps::email::discovery::SendParams,
                       b2b::otps::email::discovery::SendResponse);
  STYTCH_CONTRACT_CALL(b2b::Otps::Email::Discovery, authenticate, b2b::otps::email::discovery::AuthenticateParams,
                       b2b::otps::email::discovery::AuthenticateResponse);
  STYTCH_CONTRACT_CALL(b2b::Discovery::IntermediateSessions, exchange,
                       b2b::discovery::intermediate_sessions::ExchangeParams,
                       b2b::discovery::intermediate_sessions::ExchangeResponse);
  STYTCH_CONTRACT_CALL(b2b::Discovery::Organizations, list, b2b::discovery::organizations::ListParams,
                       b2b::discovery::organizations::ListResponse);
  STYTCH_CONTRACT_CALL(b2b::Discovery::Organizations, create, b2b::discovery::organizations::CreateParams,
                       b2b::discovery::organizations::CreateResponse);
  STYTCH_CONTRACT_CALL(b2b::Sessions, authenticate, b2b::sessions::AuthenticateParams,
                       b2b::sessions::AuthenticateResponse);
  STYTCH_CONTRACT_CALL(b2b::Sessions, get, b2b::sessions::GetParams, b2b::sessions::GetResponse);
  STYTCH_CONTRACT_CALL(b2b::Sessions, revoke, b2b::sessions::RevokeParams, b2b::sessions::RevokeResponse);
  STYTCH_CONTRACT_CALL(b2b::Sessions, exchange, b2b::sessions::ExchangeParams, b2b::sessions::ExchangeResponse);
  STYTCH_CONTRACT_CALL(b2b::Sessions, authenticate_jwt_local, b2b::sessions::AuthenticateJwtLocalParams,
                       b2b::MemberSession);
  STYTCH_CONTRACT_CALL(b2b::Sessions, authenticate_jwt, b2b::sessions::AuthenticateJwtParams,
                       b2b::sessions::AuthenticateJwtResponse);
  STYTCH_CONTRACT_CALL(b2b::Organizations, create, b2b::organizations::CreateParams,
                       b2b::organizations::CreateResponse);
  STYTCH_CONTRACT_CALL(b2b::Organizations, get, b2b::organizations::GetParams, b2b::organizations::GetResponse);
  STYTCH_CONTRACT_CALL(b2b::Organizations::Members, create, b2b::organizations::members::CreateParams,
                       b2b::organizations::members::CreateResponse);
  STYTCH_CONTRACT_CALL(b2b::Organizations::Members, get, b2b::organizations::members::GetParams,
                       b2b::organizations::members::GetResponse);
  // get_jwks takes no params.
  static_assert(std::is_same_v<decltype(&b2b::Sessions::get_jwks),
                               Result<b2b::sessions::GetJwksResponse> (b2b::Sessions::*)() const>);
  static_cast<void>(static_cast<std::future<Result<b2b::sessions::GetJwksResponse>> (b2b::Sessions::*)() const>(
      &b2b::Sessions::get_jwks_async));
  static_cast<void>(
      static_cast<void (b2b::Sessions::*)(std::function<void(Result<b2b::sessions::GetJwksResponse>)>) const>(
          &b2b::Sessions::get_jwks_async));

  // The shared answers, as `using` aliases.
  static_assert(std::is_same_v<b2b::otps::sms::SendResponse, b2b::MemberResponse>);
  static_assert(std::is_same_v<b2b::otps::email::AuthenticateResponse, b2b::LoginResponse>);
  static_assert(std::is_same_v<b2b::discovery::intermediate_sessions::ExchangeResponse, b2b::LoginResponse>);
  static_assert(std::is_same_v<b2b::discovery::organizations::CreateResponse, b2b::LoginResponse>);
  static_assert(std::is_same_v<b2b::sessions::ExchangeResponse, b2b::LoginResponse>);
  static_assert(std::is_same_v<b2b::organizations::members::CreateResponse, b2b::MemberResponse>);
  static_assert(std::is_same_v<b2b::organizations::members::GetResponse, b2b::MemberResponse>);
  static_assert(std::is_same_v<b2b::organizations::CreateResponse, b2b::OrganizationResponse>);
  static_assert(std::is_same_v<b2b::organizations::GetResponse, b2b::OrganizationResponse>);
  static_assert(std::is_same_v<b2b::sessions::GetJwksResponse, stytch::sessions::GetJwksResponse>);
  static_assert(std::is_same_v<b2b::sessions::AuthenticateJwtParams, stytch::sessions::AuthenticateJwtParams>);
  // client.b2b and its tree.
  static_assert(std::is_same_v<decltype(stytch::StytchClient::b2b), stytch::B2B>);
  static_assert(std::is_same_v<decltype(stytch::B2B::otps), b2b::Otps>);
  static_assert(std::is_same_v<decltype(b2b::Otps::Email::discovery), b2b::Otps::Email::Discovery>);
  static_assert(std::is_same_v<decltype(stytch::B2B::discovery), b2b::Discovery>);
  static_assert(std::is_same_v<decltype(b2b::Discovery::intermediate_sessions), b2b::Discovery::IntermediateSessions>);
  static_assert(std::is_same_v<decltype(stytch::B2B::sessions), b2b::Sessions>);
  static_assert(std::is_same_v<decltype(stytch::B2B::organizations), b2b::Organizations>);
  static_assert(std::is_same_v<decltype(b2b::Organizations::members), b2b::Organizations::Members>);
}

#undef STYTCH_CONTRACT_CALL

}  // namespace

/// Creates an organization and a member through the installed package and
/// reads them back; empty on success, else what went wrong.
std::string b2b_round_trip(const stytch::StytchClient& client) {
  contract_signatures();
  // The test runs this once per way of consuming, against one mock.
  const std::string slug = "consumer." + std::to_string(std::random_device{}());
  b2b::organizations::CreateParams org;
  org.organization_name = "Consumer Org";
  org.organization_slug = slug;
  org.settings.mfa_policy = "REQUIRED_FOR_ALL";
  auto made = client.b2b.organizations.create(org);
  if (!made) return "organizations.create: " + made.error().message();
  b2b::organizations::members::CreateParams member;
  member.organization_id = slug;  // the slug works wherever an id does
  member.email_address = "pat@consumer.example";
  auto added = client.b2b.organizations.members.create_async(member).get();
  if (!added) return "members.create: " + added.error().message();
  b2b::organizations::members::GetParams get;
  get.organization_id = made->organization.organization_id;
  get.email_address = "pat@consumer.example";
  auto found = client.b2b.organizations.members.get(get);
  if (!found) return "members.get: " + found.error().message();
  if (found->member.member_id != added->member_id || found->organization.mfa_policy != "REQUIRED_FOR_ALL") {
    return "members.get answered another member or organization";
  }
  return "";
}
