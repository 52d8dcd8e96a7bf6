#ifndef STYTCH_TESTS_PROTOCOL_HPP
#define STYTCH_TESTS_PROTOCOL_HPP

// Which protocol a client speaks with the libcurl loaded at run time: HTTP/2
// only where libcurl tells a refused stream from a processed one.

#include "transport/curl_handles.hpp"

#include <string>

namespace stytch::test {

/// True when a client with default options speaks HTTP/2 to a server that
/// offers it.
inline bool sdk_uses_http2() { return stytch::internal::libcurl_facts().http2_refusals_exact; }

/// The protocol nginx logs for a client's requests ($server_protocol).
inline std::string nginx_protocol_for(bool force_http1) {
  return !force_http1 && sdk_uses_http2() ? "HTTP/2.0" : "HTTP/1.1";
}

}  // namespace stytch::test

#endif
