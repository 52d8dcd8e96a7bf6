#include "platform/temp_file.hpp"

#include <filesystem>
#include <system_error>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <vector>
#endif

namespace stytch::platform {

#ifndef _WIN32
namespace {

// A directory others may write to lets them replace a file in it, unless
// its sticky bit keeps them to their own (as /tmp's does).
bool safe_directory(const std::filesystem::path& directory) noexcept {
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return false;
  const bool others_write = (info.st_mode & (S_IWGRP | S_IWOTH)) != 0;
  return !others_write || (info.st_mode & S_ISVTX) != 0;
}

// Creates the file exclusively (never an existing file or link), mode 0600,
// not inherited by child processes.
int create_exclusive(std::vector<char>& name_template) noexcept {
#if defined(__linux__) || defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__)
  return ::mkostemp(name_template.data(), O_CLOEXEC);
#else
  const int fd = ::mkstemp(name_template.data());
  if (fd >= 0) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
#endif
}

}  // namespace
#endif

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
    // Absolute, so that a later change of directory cannot lose it.
    const std::filesystem::path directory =
        std::filesystem::absolute(std::filesystem::temp_directory_path(error), error);
    if (error || !safe_directory(directory)) return {};
    std::string name = (directory / std::string(prefix)).string() + "XXXXXX";
    std::vector<char> path(name.begin(), name.end());
    path.push_back('\0');
    const int fd = create_exclusive(path);
    if (fd < 0) return {};
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

long process_id() noexcept {
#ifdef _WIN32
  return 0;  // no fork()
#else
  return static_cast<long>(::getpid());
#endif
}

void remove_temp_file(const std::string& path) noexcept {
  if (path.empty()) return;
  std::error_code error;
  std::filesystem::remove(path, error);
}

}  // namespace stytch::platform
