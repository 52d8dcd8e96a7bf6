#include "call/response_mapping.hpp"
#include "transport/exchange.hpp"
#include "transport/transport.hpp"

#include <curl/curl.h>

#include <catch2/catch.hpp>

#include <variant>

using nlohmann::json;
using stytch::Error;
using stytch::ErrorKind;
using stytch::internal::HttpResponse;
using stytch::internal::map_response;

namespace {

Error expect_error(int status, const std::string& body) {
  auto mapped = map_response(HttpResponse{status, body, {}});
  REQUIRE(std::holds_alternative<Error>(mapped));
  return std::get<Error>(mapped);
}

}  // namespace

TEST_CASE("a 2xx answer with a JSON object maps to the object") {
  auto mapped = map_response(HttpResponse{200, R"({"phone_id":"p","extra":[1,2]})", {}});
  REQUIRE(std::holds_alternative<json>(mapped));
  CHECK(std::get<json>(mapped).at("phone_id") == "p");
  CHECK(std::holds_alternative<json>(map_response(HttpResponse{201, "{}", {}})));
}

TEST_CASE("a Stytch error body maps to an api error with every field") {
  const Error e = expect_error(400, R"({"status_code":400,"request_id":"request-id-test-9",
    "error_type":"invalid_phone_number","error_message":"phone_number format is invalid.",
    "error_url":"https://stytch.com/docs/api/errors/400#invalid_phone_number",
    "error_details":{"field":"phone_number","hints":[1,{"deep":null}]}})");
  CHECK(e.kind == ErrorKind::api);
  CHECK(e.http_status == 400);
  CHECK(e.request_id == "request-id-test-9");
  CHECK(e.error_type == "invalid_phone_number");
  CHECK(e.error_message == "phone_number format is invalid.");
  CHECK(e.error_url == "https://stytch.com/docs/api/errors/400#invalid_phone_number");
  CHECK(e.error_details == json{{"field", "phone_number"}, {"hints", {1, {{"deep", nullptr}}}}});
  CHECK(e.body_excerpt.empty());
  CHECK(e.raw.at("status_code") == 400);  // the whole body, beside the typed fields
}

TEST_CASE("an OAuth-style error body maps onto the same fields") {
  const Error e = expect_error(401, R"({"status_code":401,"request_id":"request-id-test-8","error":"invalid_client",
    "error_description":"Client authentication failed.","error_uri":"https://stytch.com/docs/api/errors/401"})");
  CHECK(e.kind == ErrorKind::api);
  CHECK(e.http_status == 401);
  CHECK(e.request_id == "request-id-test-8");
  CHECK(e.error_type == "invalid_client");
  CHECK(e.error_message == "Client authentication failed.");
  CHECK(e.error_url == "https://stytch.com/docs/api/errors/401");
  CHECK(e.error_details.is_null());
}

TEST_CASE("an OAuth-style body needs error and error_description to count as Stytch's") {
  CHECK(expect_error(502, R"({"error":"Bad Gateway"})").kind == ErrorKind::decode);
  CHECK(expect_error(400, R"({"error":"invalid_request","error_description":"d"})").kind == ErrorKind::api);
}

TEST_CASE("Error::message stays on one line whatever the server sent") {
  Error e;
  e.kind = ErrorKind::api;
  e.http_status = 400;
  e.error_type = "bad\r\ntype";
  e.error_message = "line one\nFAKE LOG LINE";
  e.request_id = "r\x1b[2J";
  const std::string line = e.message();
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\r') == std::string::npos);
  CHECK(line.find('\x1b') == std::string::npos);
  CHECK(line.find("line one FAKE LOG LINE") != std::string::npos);
  CHECK(e.error_message == "line one\nFAKE LOG LINE");  // the field itself keeps what came
}

TEST_CASE("an error body field of the wrong type is skipped, the rest kept") {
  const Error e = expect_error(429, R"({"error_type":"too_many_requests","error_message":42,"request_id":"r"})");
  CHECK(e.kind == ErrorKind::api);
  CHECK(e.error_type == "too_many_requests");
  CHECK(e.error_message.empty());
  CHECK(e.request_id == "r");
}

TEST_CASE("an HTML page from a proxy is a decode error keeping status and excerpt") {
  const Error e = expect_error(502, "<html><body><h1>502 Bad Gateway</h1>\n</body></html>");
  CHECK(e.kind == ErrorKind::decode);
  CHECK(e.http_status == 502);
  CHECK(e.body_excerpt == "<html><body><h1>502 Bad Gateway</h1> </body></html>");
  CHECK(e.message().find("502 Bad Gateway") != std::string::npos);
}

TEST_CASE("JSON of the wrong shape is a decode error at any status") {
  CHECK(expect_error(200, "[1,2,3]").kind == ErrorKind::decode);
  CHECK(expect_error(200, "42").kind == ErrorKind::decode);
  CHECK(expect_error(200, "").kind == ErrorKind::decode);
  CHECK(expect_error(200, "{\"a\":").kind == ErrorKind::decode);
  const Error no_type = expect_error(500, R"({"request_id":"request-id-test-7","oops":true})");
  CHECK(no_type.kind == ErrorKind::decode);
  CHECK(no_type.http_status == 500);
  CHECK(no_type.request_id == "request-id-test-7");
  CHECK(no_type.raw == json{{"request_id", "request-id-test-7"}, {"oops", true}});
  CHECK(expect_error(502, "<html>").raw.is_null());
  CHECK(expect_error(400, "[\"error\"]").kind == ErrorKind::decode);
  CHECK(expect_error(400, R"({"error_type":17})").kind == ErrorKind::decode);
}

TEST_CASE("invalid UTF-8 inside JSON is a decode error") {
  const Error e = expect_error(200, "{\"phone_id\":\"\xFF\xFE\"}");
  CHECK(e.kind == ErrorKind::decode);
  CHECK(e.body_excerpt.find('\xFF') == std::string::npos);
}

TEST_CASE("a status that is neither success nor error is a decode error") {
  const Error e = expect_error(302, "");
  CHECK(e.kind == ErrorKind::decode);
  CHECK(e.http_status == 302);
  CHECK(e.error_message == "unexpected HTTP status 302");
  CHECK(expect_error(101, "{}").kind == ErrorKind::decode);
}

TEST_CASE("the body excerpt is short and printable") {
  const std::string body(10000, 'x');
  const auto excerpt = stytch::internal::body_excerpt(body);
  CHECK(excerpt.size() == 203);
  CHECK(excerpt.substr(200) == "...");
  CHECK(stytch::internal::body_excerpt(std::string("a\0b\x1b[31m\xC3\xA9", 10)) == "a?b?[31m??");
}

TEST_CASE("libcurl failures map to network, timeout or decode") {
  using stytch::internal::error_kind_for_transport;
  CHECK(error_kind_for_transport(CURLE_COULDNT_CONNECT, false) == ErrorKind::network);
  CHECK(error_kind_for_transport(CURLE_COULDNT_RESOLVE_HOST, false) == ErrorKind::network);
  CHECK(error_kind_for_transport(CURLE_SSL_CONNECT_ERROR, false) == ErrorKind::network);
  CHECK(error_kind_for_transport(CURLE_PEER_FAILED_VERIFICATION, false) == ErrorKind::network);
  CHECK(error_kind_for_transport(CURLE_RECV_ERROR, false) == ErrorKind::network);
  CHECK(error_kind_for_transport(CURLE_GOT_NOTHING, false) == ErrorKind::network);
  CHECK(error_kind_for_transport(CURLE_OPERATION_TIMEDOUT, false) == ErrorKind::timeout);
  CHECK(error_kind_for_transport(CURLE_WRITE_ERROR, true) == ErrorKind::decode);
  CHECK(error_kind_for_transport(CURLE_FILESIZE_EXCEEDED, false) == ErrorKind::decode);
}

TEST_CASE("the delivery rule resends exactly what the server provably did not process") {
  using stytch::internal::AttemptEnd;
  using stytch::internal::server_did_not_process;
  const auto end = [](bool http2, long written, bool error_reported, int code) {
    AttemptEnd e;
    e.http2 = http2;
    e.http2_refusals_exact = true;  // libcurl 8.14.1 and newer
    e.bytes_written = written;
    e.error_reported = error_reported;
    e.curl_code = code;
    return e;
  };
  // libcurl sending an HTTP/2 request again with no error: a refused stream.
  CHECK(server_did_not_process(end(true, 300, false, CURLE_OK)));
  // ... but not with a libcurl that also retries processed streams silently
  // (7.88: a stream whose connection died after the server took it).
  AttemptEnd old_libcurl = end(true, 300, false, CURLE_OK);
  old_libcurl.http2_refusals_exact = false;
  CHECK_FALSE(server_did_not_process(old_libcurl));
  // The same over HTTP/1.1, or with an error reported: the connection died
  // after the write.
  CHECK_FALSE(server_did_not_process(end(false, 300, false, CURLE_OK)));
  CHECK_FALSE(server_did_not_process(end(true, 300, true, CURLE_OK)));
  // Nothing written: a dead reused connection, a failed connect or handshake,
  // a stream nghttp2 would not open after GOAWAY.
  CHECK(server_did_not_process(end(false, 0, true, CURLE_OK)));
  CHECK(server_did_not_process(end(false, 0, true, CURLE_SEND_ERROR)));
  CHECK(server_did_not_process(end(false, 0, true, CURLE_COULDNT_CONNECT)));
  CHECK(server_did_not_process(end(false, 0, true, CURLE_SSL_CONNECT_ERROR)));
  CHECK(server_did_not_process(end(true, 0, false, CURLE_HTTP2)));
  // Written, then lost: never again.
  CHECK_FALSE(server_did_not_process(end(true, 300, false, CURLE_HTTP2)));
  CHECK_FALSE(server_did_not_process(end(false, 300, true, CURLE_RECV_ERROR)));
  CHECK_FALSE(server_did_not_process(end(false, 300, true, CURLE_GOT_NOTHING)));
  CHECK_FALSE(server_did_not_process(end(true, 300, true, CURLE_OPERATION_TIMEDOUT)));
  // Nothing written, but it would only fail again, or the time is spent.
  CHECK_FALSE(server_did_not_process(end(false, 0, true, CURLE_COULDNT_RESOLVE_HOST)));
  CHECK_FALSE(server_did_not_process(end(false, 0, true, CURLE_PEER_FAILED_VERIFICATION)));
  CHECK_FALSE(server_did_not_process(end(false, 0, true, CURLE_OPERATION_TIMEDOUT)));
  // A reused connection the server had closed before the write.
  AttemptEnd closed = end(false, 0, false, CURLE_OK);
  closed.closed_before_write = true;
  CHECK(server_did_not_process(closed));
}

TEST_CASE("libcurl's ALPN lines, as 7.88 and 8.x write them for every TLS backend, give the protocol") {
  using stytch::internal::AlpnReport;
  using stytch::internal::read_alpn_line;
  // The lines libcurl 7.88.1 and 8.14.1 gave the debug callback, with
  // OpenSSL and with GnuTLS, against nginx (with their newline).
  CHECK(read_alpn_line("ALPN: server accepted h2\n") == AlpnReport::http2);
  CHECK(read_alpn_line("ALPN: server accepted http/1.1\n") == AlpnReport::other);
  // 8.x, a resumed session that had agreed on a protocol.
  CHECK(read_alpn_line("ALPN: server confirmed to use 'h2'\n") == AlpnReport::http2);
  CHECK(read_alpn_line("ALPN: server confirmed to use 'http/1.1'\n") == AlpnReport::other);
  // No protocol agreed: libcurl speaks HTTP/1.1.
  CHECK(read_alpn_line("ALPN: server did not agree on a protocol. Uses default.\n") == AlpnReport::other);
  CHECK(read_alpn_line("ALPN: server did not agree to a protocol\n") == AlpnReport::other);
  // What libcurl offers, and every other line, says nothing.
  CHECK(read_alpn_line("ALPN: curl offers h2,http/1.1\n") == AlpnReport::none);
  CHECK(read_alpn_line("ALPN: offers h2,http/1.1\n") == AlpnReport::none);
  CHECK(read_alpn_line("using HTTP/2\n") == AlpnReport::none);
  CHECK(read_alpn_line("") == AlpnReport::none);
  // Nothing but exactly "h2" is HTTP/2.
  CHECK(read_alpn_line("ALPN: server accepted h2c\n") == AlpnReport::other);
  CHECK(read_alpn_line("ALPN: server accepted h3\n") == AlpnReport::other);
  CHECK(read_alpn_line("ALPN: server accepted \n") == AlpnReport::other);
  // With trace ids on (curl_global_trace("ids")), 8.x puts them first.
  CHECK(read_alpn_line("[0-0] ALPN: server accepted h2\n") == AlpnReport::http2);
  CHECK(read_alpn_line("[12-3] ALPN: server accepted http/1.1\n") == AlpnReport::other);
  CHECK(read_alpn_line("[0-0] using HTTP/2\n") == AlpnReport::none);
  // 8.x's early-data lines (a resumed session sending before the handshake
  // ends, which the client never asks for) name no outcome yet.
  CHECK(read_alpn_line("ALPN: deferred handshake for early data using 'h2'.\n") == AlpnReport::none);
  CHECK(read_alpn_line("ALPN: deferred handshake for early data without specific protocol.\n") == AlpnReport::none);
}

TEST_CASE("an answer over another protocol than its connection was counted as breaks the agreement") {
  using stytch::internal::protocol_reports_agree;
  CHECK(protocol_reports_agree(true, CURL_HTTP_VERSION_2_0));
  CHECK(protocol_reports_agree(false, CURL_HTTP_VERSION_1_1));
  CHECK(protocol_reports_agree(false, CURL_HTTP_VERSION_1_0));
  // Counted as HTTP/2 but answered over HTTP/1.1: the dangerous way, since
  // a silent libcurl retry would be taken for a refused stream.
  CHECK_FALSE(protocol_reports_agree(true, CURL_HTTP_VERSION_1_1));
  // No report, but HTTP/2: the TLS backend does not report ALPN.
  CHECK_FALSE(protocol_reports_agree(false, CURL_HTTP_VERSION_2_0));
  // No answer read: nothing to compare.
  CHECK(protocol_reports_agree(true, CURL_HTTP_VERSION_NONE));
  CHECK(protocol_reports_agree(false, CURL_HTTP_VERSION_NONE));
}

TEST_CASE("Error::message is one line naming kind, status, type, message and request id") {
  Error e;
  e.kind = ErrorKind::api;
  e.http_status = 404;
  e.error_type = "phone_number_not_found";
  e.error_message = "Phone number could not be found.";
  e.request_id = "request-id-test-1";
  CHECK(
      e.message() ==
      "api error (HTTP 404, phone_number_not_found): Phone number could not be found. [request_id: request-id-test-1]");

  Error n;
  n.kind = ErrorKind::network;
  n.error_message = "Couldn't connect to server";
  CHECK(n.message() == "network error: Couldn't connect to server");
  CHECK(std::string(stytch::to_string(ErrorKind::timeout)) == "timeout");
  CHECK(std::string(stytch::to_string(ErrorKind::invalid_argument)) == "invalid_argument");
}

TEST_CASE("base64 encodes Basic credentials as RFC 4648 says") {
  using stytch::internal::base64_encode;
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode(std::string("\xFF\xFE\x00", 3)) == "//4A");
}
