#include "console.hpp"

#include "console_assets.hpp"
#include "service.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string_view>
#include <utility>

namespace stytch::mock {

namespace {

using nlohmann::json;

// The page runs only its own script and style, talks only to the mock, and
// cannot be framed; nothing it shows can become markup or code.
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

template <std::size_t N>
std::string_view bytes(const unsigned char (&data)[N]) {
  return {reinterpret_cast<const char*>(data), N};
}

bool is_loopback_name(const std::string& name) { return name == "127.0.0.1" || name == "localhost" || name == "[::1]"; }

void refuse(httplib::Response& res, const char* type, const char* message) {
  res.status = 403;
  res.set_content(json{{"status_code", 403}, {"error_type", type}, {"error_message", message}}.dump(),
                  "application/json");
}

void serve_asset(httplib::Response& res, std::string_view body, const char* content_type) {
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.data(), body.size(), content_type);
}

}  // namespace

bool console_host_allowed(const std::string& host, int port, bool https) {
  // "name:port", or "name" alone when the port is the scheme's default.
  const auto colon = host.rfind(':');
  const bool has_port = colon != std::string::npos && host.back() != ']';
  const std::string name = has_port ? host.substr(0, colon) : host;
  const std::string port_text = has_port ? host.substr(colon + 1) : std::to_string(https ? 443 : 80);
  return is_loopback_name(name) && port_text == std::to_string(port);
}

bool console_origin_allowed(const std::string& origin, int port, bool https) {
  const std::string scheme = https ? "https://" : "http://";
  if (origin.compare(0, scheme.size(), scheme) != 0) return false;
  const std::string host = origin.substr(scheme.size());
  return host.find('/') == std::string::npos && console_host_allowed(host, port, https);
}

void install_console(httplib::Server& server, Service& service, ConsoleConfig config) {
  const bool https = config.https;
  auto port = config.port;

  server.set_pre_routing_handler([https, port](const httplib::Request& req, httplib::Response& res) {
    if (req.path != "/_mock" && req.path.compare(0, 7, "/_mock/") != 0) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (!console_host_allowed(req.get_header_value("Host"), port(), https)) {
      refuse(res, "forbidden_host", "The mock answers /_mock requests only for its own loopback address.");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method != "GET" && req.method != "HEAD") {
      // Browsers send Origin with every such request; curl and tests send none.
      const bool foreign_origin =
          req.has_header("Origin") && !console_origin_allowed(req.get_header_value("Origin"), port(), https);
      const bool cross_site = req.get_header_value("Sec-Fetch-Site") == "cross-site";
      if (foreign_origin || cross_site) {
        refuse(res, "forbidden_origin", "Controls of the mock take requests from its own console only.");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  server.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    if (req.path == "/_mock" || req.path.compare(0, 7, "/_mock/") == 0) {
      res.set_header("Cross-Origin-Resource-Policy", "same-origin");
      res.set_header("Referrer-Policy", "no-referrer");
    }
  });

  server.Get("/_mock", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/_mock/"); });

  server.Get("/_mock/", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Security-Policy", kPagePolicy);
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Cross-Origin-Opener-Policy", "same-origin");
    serve_asset(res, bytes(console_assets::index_html), "text/html; charset=utf-8");
  });
  server.Get("/_mock/console.js", [](const httplib::Request&, httplib::Response& res) {
    serve_asset(res, bytes(console_assets::console_js), "text/javascript; charset=utf-8");
  });
  server.Get("/_mock/console.css", [](const httplib::Request&, httplib::Response& res) {
    serve_asset(res, bytes(console_assets::console_css), "text/css; charset=utf-8");
  });
  server.Get("/_mock/favicon.svg", [](const httplib::Request&, httplib::Response& res) {
    serve_asset(res, bytes(console_assets::favicon_svg), "image/svg+xml");
  });

  server.Get("/_mock/state", [&service, extend = config.extend_state](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    json state = service.console_state();
    if (extend) extend(state);
    res.set_content(state.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
  });

  server.Post(
      "/_mock/reset", [&service, reset = std::move(config.reset)](const httplib::Request&, httplib::Response& res) {
        reset();
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(service.now().time_since_epoch()).count();
        res.set_content(json{{"reset", true}, {"now_unix", now}}.dump(), "application/json");
      });
}

}  // namespace stytch::mock
