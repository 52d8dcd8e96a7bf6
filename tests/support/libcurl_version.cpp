// The libcurl a build really uses: prints the version of the headers this
// program was compiled with and of the library it loaded, and fails unless
// both are the version given as its argument. The test libcurl.loaded_version
// runs it, so a preset built against another libcurl (curl8) cannot quietly
// compile against, or load, the system's.
#include <curl/curl.h>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s EXPECTED_VERSION\n", argv[0]);
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
  return status;
}
