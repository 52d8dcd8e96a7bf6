#ifndef STYTCH_B2B_ORGANIZATIONS_HPP
#define STYTCH_B2B_ORGANIZATIONS_HPP

/// @file stytch/b2b/organizations.hpp
/// The organization and member set-up calls, reached as
/// `client.b2b.organizations` and `client.b2b.organizations.members`.

#include <stytch/b2b/organizations/members.hpp>
#include <stytch/b2b/organizations/organizations.hpp>
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

/// Organizations and their members: `client.b2b.organizations` and
/// `.members`. Errors and the `_async` forms follow stytch::Otps.
class STYTCH_EXPORT Organizations {
 public:
  /// Receives the Result of an async call, once (see stytch::Otps::Callback).
  template <typename Response>
  using Callback = std::function<void(Result<Response>)>;

  /// An organization's members: `client.b2b.organizations.members`.
  class STYTCH_EXPORT Members {
   public:
    /// Made by StytchClient; use client.b2b.organizations.members.
    explicit Members(std::shared_ptr<internal::Core> core) : core_(std::move(core)) {}
    /// POST /v1/b2b/organizations/{organization_id}/members.
    Result<organizations::members::CreateResponse> create(const organizations::members::CreateParams& params) const;
    /// create without waiting: the future gets the Result.
    std::future<Result<organizations::members::CreateResponse>> create_async(
        const organizations::members::CreateParams& params) const;
    /// create without waiting: `on_done` gets the Result (see Callback).
    void create_async(const organizations::members::CreateParams& params,
                      Callback<organizations::members::CreateResponse> on_done) const;
    /// GET /v1/b2b/organizations/{organization_id}/member?member_id= or ?email_address=.
    Result<organizations::members::GetResponse> get(const organizations::members::GetParams& params) const;
    /// get without waiting: the future gets the Result.
    std::future<Result<organizations::members::GetResponse>> get_async(
        const organizations::members::GetParams& params) const;
    /// get without waiting: `on_done` gets the Result (see Callback).
    void get_async(const organizations::members::GetParams& params,
                   Callback<organizations::members::GetResponse> on_done) const;

   private:
    std::shared_ptr<internal::Core> core_;
  };

  /// Made by StytchClient; use client.b2b.organizations.
  explicit Organizations(const std::shared_ptr<internal::Core>& core) : members(core), core_(core) {}

  /// POST /v1/b2b/organizations.
  Result<organizations::CreateResponse> create(const organizations::CreateParams& params) const;
  /// create without waiting: the future gets the Result.
  std::future<Result<organizations::CreateResponse>> create_async(const organizations::CreateParams& params) const;
  /// create without waiting: `on_done` gets the Result (see Callback).
  void create_async(const organizations::CreateParams& params, Callback<organizations::CreateResponse> on_done) const;
  /// GET /v1/b2b/organizations/{organization_id}.
  Result<organizations::GetResponse> get(const organizations::GetParams& params) const;
  /// get without waiting: the future gets the Result.
  std::future<Result<organizations::GetResponse>> get_async(const organizations::GetParams& params) const;
  /// get without waiting: `on_done` gets the Result (see Callback).
  void get_async(const organizations::GetParams& params, Callback<organizations::GetResponse> on_done) const;

  Members members;  ///< The organization's members.

 private:
  std::shared_ptr<internal::Core> core_;
};

}  // namespace b2b

}  // namespace stytch

#endif  // STYTCH_B2B_ORGANIZATIONS_HPP
