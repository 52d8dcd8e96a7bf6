#include <stytch/client.hpp>
#include <stytch/version.hpp>

#include "call/core.hpp"
#include "client/base_url.hpp"
#include "transport/curl_handles.hpp"

#include <cstdlib>
#include <fstream>

namespace stytch {

namespace {

[[noreturn]] void refuse(std::string why) {
  Error e;
  e.kind = ErrorKind::invalid_argument;
  e.error_message = std::move(why);
  throw Exception(std::move(e));
}

bool has_control_characters(const std::string& s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

std::shared_ptr<internal::Core> make_core(const ClientOptions& options) {
  if (options.project_id.empty()) refuse("project_id is required");
  if (options.secret.empty()) refuse("secret is required");
  // HTTP Basic splits at the first ':'; a header must not be split by a line break.
  if (options.project_id.find(':') != std::string::npos || has_control_characters(options.project_id)) {
    refuse("project_id must not contain ':' or control characters");
  }
  if (options.timeout.count() <= 0) refuse("timeout must be positive");
  if (options.connect_timeout.count() <= 0) refuse("connect_timeout must be positive");
  if (options.max_in_flight == 0) refuse("max_in_flight must be at least 1");
  if (options.max_connections == 0) refuse("max_connections must be at least 1");
  if (options.max_idle_reuse.count() < 0) refuse("max_idle_reuse must not be negative");
  if (options.retry.max_attempts < 1) refuse("retry.max_attempts must be at least 1");
  if (has_control_characters(options.user_agent_suffix)) {
    refuse("user_agent_suffix must not contain control characters");
  }
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file).good()) {
    refuse("ca_file cannot be read: " + options.ca_file);
  }

  internal::BaseUrl base = internal::resolve_base_url(options.project_id, options.base_url);
  if (base.plain_http && !options.proxy.empty()) {
    refuse("proxy cannot be used with a plain-http base_url: the credentials would cross the network in clear text");
  }

  std::string user_agent = "Stytch C++ v" STYTCH_VERSION_STRING;
  if (!options.user_agent_suffix.empty()) user_agent += " " + options.user_agent_suffix;

  internal::TransportConfig transport;
  transport.project_id = options.project_id;
  transport.secret = options.secret;
  transport.user_agent = user_agent;
  transport.timeout = options.timeout;
  transport.connect_timeout = options.connect_timeout;
  transport.ca_file = options.ca_file;
  transport.proxy = options.proxy;
  transport.allow_plain_http = base.plain_http;
  transport.capture_headers = static_cast<bool>(options.log_sink);
  // HTTP/2 only where a refused stream can be told from a processed one.
  transport.force_http1 = options.force_http1 || !internal::libcurl_facts().http2_refusals_exact;
  transport.max_idle_reuse = options.max_idle_reuse;
  transport.max_in_flight = options.max_in_flight;
  transport.max_connections = options.max_connections;
  return std::make_shared<internal::Core>(std::move(base.url), std::move(user_agent), std::move(transport),
                                          options.log_sink, options.retry, options.clock);
}

}  // namespace

StytchClient::StytchClient(const ClientOptions& options) : StytchClient(make_core(options), options.project_id) {}

StytchClient::StytchClient(std::shared_ptr<internal::Core> core, const std::string& project_id)
    : core_(std::move(core)), otps(core_), sessions(core_, project_id), b2b(core_, project_id) {}

StytchClient StytchClient::from_env() {
  auto read = [](const char* name) -> std::string {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read once at start-up
    return value != nullptr ? std::string(value) : std::string();
  };
  ClientOptions options;
  options.project_id = read("STYTCH_PROJECT_ID");
  options.secret = read("STYTCH_SECRET");
  options.base_url = read("STYTCH_BASE_URL");
  if (options.project_id.empty()) refuse("STYTCH_PROJECT_ID is not set");
  if (options.secret.empty()) refuse("STYTCH_SECRET is not set");
  return StytchClient(options);
}

const std::string& StytchClient::base_url() const noexcept { return core_->base_url(); }

const std::string& StytchClient::user_agent() const noexcept { return core_->user_agent(); }

bool StytchClient::offers_http2() const noexcept { return core_->offers_http2(); }

}  // namespace stytch
