#include "platform/temp_file.hpp"

#include <cstdio>
#include <filesystem>
#include <system_error>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>
#endif

namespace stytch::platform {

std::string write_temp_file(std::string_view prefix, std::string_view contents) noexcept {
#ifdef _WIN32
  // Only TLS backends that load a CA directory whole ask for one; libcurl
  // on Windows has no CA directory.
  (void)prefix;
  (void)contents;
  return {};
#else
  try {
    std::error_code error;
    const std::filesystem::path directory = std::filesystem::temp_directory_path(error);
    if (error) return {};
    std::string name = (directory / std::string(prefix)).string() + "XXXXXX";
    std::vector<char> path(name.begin(), name.end());
    path.push_back('\0');
    // mkstemp creates the file exclusively (O_EXCL), mode 0600.
    const int fd = ::mkstemp(path.data());
    if (fd < 0) return {};
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    name.assign(path.data());
    const char* data = contents.data();
    std::size_t left = contents.size();
    while (left > 0) {
      const ssize_t n = ::write(fd, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(fd);
        ::unlink(name.c_str());
        return {};
      }
      data += n;
      left -= static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) {
      ::unlink(name.c_str());
      return {};
    }
    return name;
  } catch (...) {  // out of memory: no file
    return {};
  }
#endif
}

void remove_temp_file(const std::string& path) noexcept {
  if (path.empty()) return;
  std::error_code error;
  std::filesystem::remove(path, error);
}

}  // namespace stytch::platform
