// The libcurl a build really uses: prints the version of the headers this
// program was compiled with and of the library it loaded, and fails unless
// both are the version given as its argument (and, with a second argument,
// unless the loaded library's TLS backend starts with it, as "GnuTLS/").
// The test libcurl.loaded_version runs it, so a preset built against another
// libcurl (curl8, clang, gnutls) cannot quietly compile against, or load,
// the system's.
#include <curl/curl.h>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::fprintf(stderr, "usage: %s EXPECTED_VERSION [EXPECTED_TLS_PREFIX]\n", argv[0]);
    return 2;
  }
  const char* expected = argv[1];
  const curl_version_info_data* loaded = curl_version_info(CURLVERSION_NOW);
  std::printf("headers: libcurl %s (LIBCURL_VERSION_NUM 0x%06x)\n", LIBCURL_VERSION,
              static_cast<unsigned>(LIBCURL_VERSION_NUM));
  std::printf("loaded:  libcurl %s (version_num 0x%06x), %s\n", loaded->version, loaded->version_num,
              loaded->ssl_version != nullptr ? loaded->ssl_version : "no TLS");
  int status = 0;
  if (std::strcmp(LIBCURL_VERSION, expected) != 0) {
    std::fprintf(stderr, "compiled against libcurl %s headers, expected %s\n", LIBCURL_VERSION, expected);
    status = 1;
  }
  if (std::strcmp(loaded->version, expected) != 0) {
    std::fprintf(stderr, "loaded libcurl %s, expected %s\n", loaded->version, expected);
    status = 1;
  }
  const char* tls = loaded->ssl_version != nullptr ? loaded->ssl_version : "";
  if (argc == 3 && std::strncmp(tls, argv[2], std::strlen(argv[2])) != 0) {
    std::fprintf(stderr, "loaded libcurl's TLS backend is '%s', expected %s...\n", tls, argv[2]);
    status = 1;
  }
  return status;
}
