#include <stytch/b2b/organizations.hpp>

#include "b2b/b2b_json.hpp"
#include "call/call.hpp"

namespace stytch::b2b {

using internal::post;

STYTCH_CALL(Organizations, create, post(internal::kB2bOrganizationsCreatePath, internal::b2b_organizations_create_body))
STYTCH_CALL(Organizations, get, internal::get(internal::b2b_organizations_get_path))
STYTCH_CALL(Organizations::Members, create, post(internal::b2b_members_create_path, internal::b2b_members_create_body))
STYTCH_CALL(Organizations::Members, get, internal::get(internal::b2b_members_get_path))

}  // namespace stytch::b2b
