#ifndef STYTCH_B2B_DISCOVERY_HPP
#define STYTCH_B2B_DISCOVERY_HPP

/// @file stytch/b2b/discovery.hpp
/// The discovery calls, reached as `client.b2b.discovery`: choose, join or
/// create an organization after a discovery login.

#include <stytch/b2b/discovery/intermediate_sessions.hpp>
#include <stytch/b2b/discovery/organizations.hpp>
#include <stytch/export.hpp>
#include <stytch/result.hpp>

#include <functional>
#include <future>
#include <memory>
#include <utility>

namespace stytch {

namespace internal {
class Core;
}  // namespace internal

namespace b2b {

/// Discovery: `client.b2b.discovery.intermediate_sessions` and
/// `.organizations`. Errors and the `_async` forms follow stytch::Otps.
class STYTCH_EXPORT Discovery {
 public:
  /// Receives the Result of an async call, once (see stytch::Otps::Callback).
  template <typename Response>
  using Callback = std::function<void(Result<Response>)>;

  /// `client.b2b.discovery.intermediate_sessions`.
  class STYTCH_EXPORT IntermediateSessions {
   public:
    /// Made by StytchClient; use client.b2b.discovery.intermediate_sessions.
    explicit IntermediateSessions(std::shared_ptr<internal::Core> core) : core_(std::move(core)) {}
    /// POST /v1/b2b/discovery/intermediate_sessions/exchange: logs in to
    /// (or joins) one organization with an intermediate session token.
    Result<discovery::intermediate_sessions::ExchangeResponse> exchange(
        const discovery::intermediate_sessions::ExchangeParams& params) const;
    /// exchange without waiting: the future gets the Result.
    std::future<Result<discovery::intermediate_sessions::ExchangeResponse>> exchange_async(
        const discovery::intermediate_sessions::ExchangeParams& params) const;
    /// exchange without waiting: `on_done` gets the Result (see Callback).
    void exchange_async(const discovery::intermediate_sessions::ExchangeParams& params,
                        Callback<discovery::intermediate_sessions::ExchangeResponse> on_done) const;

   private:
    std::shared_ptr<internal::Core> core_;
  };

  /// `client.b2b.discovery.organizations`.
  class STYTCH_EXPORT Organizations {
   public:
    /// Made by StytchClient; use client.b2b.discovery.organizations.
    explicit Organizations(std::shared_ptr<internal::Core> core) : core_(std::move(core)) {}
    /// POST /v1/b2b/discovery/organizations: the organizations the user may log in to.
    Result<discovery::organizations::ListResponse> list(const discovery::organizations::ListParams& params) const;
    /// list without waiting: the future gets the Result.
    std::future<Result<discovery::organizations::ListResponse>> list_async(
        const discovery::organizations::ListParams& params) const;
    /// list without waiting: `on_done` gets the Result (see Callback).
    void list_async(const discovery::organizations::ListParams& params,
                    Callback<discovery::organizations::ListResponse> on_done) const;
    /// POST /v1/b2b/discovery/organizations/create: a new organization, the
    /// user its first member.
    Result<discovery::organizations::CreateResponse> create(const discovery::organizations::CreateParams& params) const;
    /// create without waiting: the future gets the Result.
    std::future<Result<discovery::organizations::CreateResponse>> create_async(
        const discovery::organizations::CreateParams& params) const;
    /// create without waiting: `on_done` gets the Result (see Callback).
    void create_async(const discovery::organizations::CreateParams& params,
                      Callback<discovery::organizations::CreateResponse> on_done) const;

   private:
    std::shared_ptr<internal::Core> core_;
  };

  /// Made by StytchClient; use client.b2b.discovery.
  explicit Discovery(const std::shared_ptr<internal::Core>& core) : intermediate_sessions(core), organizations(core) {}

  IntermediateSessions intermediate_sessions;  ///< Exchange an intermediate session token for a login.
  Organizations organizations;                 ///< List or create organizations.
};

}  // namespace b2b

}  // namespace stytch

#endif  // STYTCH_B2B_DISCOVERY_HPP
