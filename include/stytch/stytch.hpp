#ifndef STYTCH_STYTCH_HPP
#define STYTCH_STYTCH_HPP

/// @file stytch/stytch.hpp
/// Everything a user of stytch-cpp needs, in one include.

#include <stytch/attributes.hpp>
#include <stytch/b2b.hpp>
#include <stytch/b2b/discovered_organization.hpp>
#include <stytch/b2b/discovery.hpp>
#include <stytch/b2b/discovery/intermediate_sessions.hpp>
#include <stytch/b2b/discovery/organizations.hpp>
#include <stytch/b2b/login.hpp>
#include <stytch/b2b/member.hpp>
#include <stytch/b2b/member_session.hpp>
#include <stytch/b2b/organization.hpp>
#include <stytch/b2b/organizations.hpp>
#include <stytch/b2b/organizations/members.hpp>
#include <stytch/b2b/organizations/organizations.hpp>
#include <stytch/b2b/otps.hpp>
#include <stytch/b2b/otps/email.hpp>
#include <stytch/b2b/otps/email_discovery.hpp>
#include <stytch/b2b/otps/sms.hpp>
#include <stytch/b2b/sessions.hpp>
#include <stytch/client.hpp>
#include <stytch/error.hpp>
#include <stytch/logging.hpp>
#include <stytch/otps.hpp>
#include <stytch/otps/authenticate.hpp>
#include <stytch/otps/email.hpp>
#include <stytch/otps/phone.hpp>
#include <stytch/otps/sms.hpp>
#include <stytch/otps/whatsapp.hpp>
#include <stytch/result.hpp>
#include <stytch/retry.hpp>
#include <stytch/secret.hpp>
#include <stytch/session.hpp>
#include <stytch/sessions.hpp>
#include <stytch/user.hpp>
#include <stytch/version.hpp>

#endif  // STYTCH_STYTCH_HPP
