#include <stytch/b2b/discovery.hpp>

#include "b2b/b2b_json.hpp"
#include "call/call.hpp"

namespace stytch::b2b {

using internal::post;

STYTCH_CALL(Discovery::IntermediateSessions, exchange,
            post(internal::kB2bIntermediateSessionsExchangePath, internal::b2b_intermediate_sessions_exchange_body))
STYTCH_CALL(Discovery::Organizations, list,
            post(internal::kB2bDiscoveryOrganizationsListPath, internal::b2b_discovery_organizations_list_body))
STYTCH_CALL(Discovery::Organizations, create,
            post(internal::kB2bDiscoveryOrganizationsCreatePath, internal::b2b_discovery_organizations_create_body))

}  // namespace stytch::b2b
