// The console's view of the Service: its state as one JSON document, and a
// reset. Kept apart from service.cpp, which plays the Stytch API itself.

#include "service.hpp"

#include <algorithm>
#include <set>

namespace stytch::mock {

using nlohmann::json;

json Service::console_state() {
  std::lock_guard<std::mutex> guard(mutex_);
  drop_expired_attachments();
  const auto t = now();

  // Newest first. Each method has one live code, that of its newest message;
  // its older messages were replaced.
  json messages = json::array();
  std::set<std::string> newer_seen;
  for (std::size_t i = outbox_.size(); i-- > 0;) {
    const OutboxMessage& m = outbox_[i];
    // A method dropped unverified took its code along: that code expired too.
    auto live = codes_.find(m.method_id);
    const bool current = live != codes_.end() && live->second.code == m.code;
    const char* state = "expired";
    if (!newer_seen.insert(m.method_id).second) {
      state = "replaced";
    } else if (current && live->second.used) {
      state = "used";
    } else if (current && live->second.expires_at > t) {
      state = "waiting";
    }
    json message = {
        {"id", i},        {"channel", m.channel}, {"destination", m.destination}, {"method_id", m.method_id},
        {"code", m.code}, {"sent_at", m.sent_at}, {"expires_at", m.expires_at},   {"state", state}};
    if (m.ip_address) message["ip_address"] = *m.ip_address;
    if (m.user_agent) message["user_agent"] = *m.user_agent;
    messages.push_back(std::move(message));
  }

  std::map<std::string, json> sessions_by_user;
  for (const auto& entry : sessions_) {
    const Session& s = entry.second;
    json factors = json::array();
    for (const json& factor : s.factors) factors.push_back(factor.value("delivery_method", ""));
    json& list = sessions_by_user[s.user_id];
    if (list.is_null()) list = json::array();
    list.push_back({{"session_id", s.id},
                    {"status", s.expires_at > t ? "active" : "expired"},
                    {"started_at", rfc3339(s.started_at)},
                    {"last_accessed_at", rfc3339(s.last_accessed_at)},
                    {"expires_at", rfc3339(s.expires_at)},
                    {"factors", factors},
                    {"custom_claims", s.custom_claims}});
  }

  std::vector<const User*> ordered;
  ordered.reserve(users_.size());
  for (const auto& entry : users_) ordered.push_back(&entry.second);
  // Newest first; the sandbox users, there from the start, last.
  auto is_sandbox = [this](const User* u) {
    return std::any_of(u->method_ids.begin(), u->method_ids.end(),
                       [this](const std::string& id) { return sandbox_method_ids_.count(methods_.at(id).value) != 0; });
  };
  std::stable_sort(ordered.begin(), ordered.end(), [&](const User* a, const User* b) {
    const bool sa = is_sandbox(a);
    const bool sb = is_sandbox(b);
    return sa != sb ? sb : a->created_at > b->created_at;
  });
  json users = json::array();
  for (const User* user : ordered) {
    json phones = json::array();
    json emails = json::array();
    bool sandbox = false;
    for (const auto& id : user->method_ids) {
      const Method& m = methods_.at(id);
      sandbox = sandbox || sandbox_method_ids_.count(m.value) != 0;
      (m.is_phone ? phones : emails).push_back({{"id", m.id}, {"value", m.value}, {"verified", m.verified}});
    }
    auto sessions = sessions_by_user.find(user->id);
    users.push_back({{"user_id", user->id},
                     {"status", user->status},
                     {"created_at", rfc3339(user->created_at)},
                     {"sandbox", sandbox},
                     {"phone_numbers", phones},
                     {"emails", emails},
                     {"sessions", sessions == sessions_by_user.end() ? json::array() : sessions->second}});
  }

  return json{{"now", rfc3339(t)},
              {"now_unix", std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count()},
              // Session JWTs are RS256, signed by a key ring that the
              // rotate control grows.
              {"signing_keys", true},
              {"signing_key_count", signer_.jwks()["keys"].size()},
              {"messages", messages},
              {"users", users}};
}

void Service::reset() {
  std::lock_guard<std::mutex> guard(mutex_);
  // The sandbox users stay, as they were at start.
  std::map<std::string, User> users;
  std::map<std::string, Method> methods;
  std::map<std::string, std::string> by_value;
  for (const auto& entry : sandbox_method_ids_) {
    Method method = methods_.at(entry.second);
    method.last_channel.clear();
    User user = users_.at(method.user_id);
    user.status = "active";
    user.method_ids = {method.id};
    by_value[(method.is_phone ? "phone:" : "email:") + method.value] = method.id;
    users[user.id] = user;
    methods[method.id] = method;
  }
  users_.swap(users);
  methods_.swap(methods);
  method_by_value_.swap(by_value);
  codes_.clear();
  sessions_.clear();
  jwts_.clear();
  sends_.clear();
  outbox_.clear();
  clock_offset_seconds_ = options_.clock_offset_seconds;
}

}  // namespace stytch::mock
