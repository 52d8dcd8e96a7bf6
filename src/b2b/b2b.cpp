#include <stytch/b2b.hpp>

namespace stytch {

B2B::B2B(const std::shared_ptr<internal::Core>& core, const std::string& project_id)
    : otps(core), discovery(core), sessions(core, project_id), organizations(core) {}

}  // namespace stytch
