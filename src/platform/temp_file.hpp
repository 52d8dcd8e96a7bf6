#ifndef STYTCH_SRC_PLATFORM_TEMP_FILE_HPP
#define STYTCH_SRC_PLATFORM_TEMP_FILE_HPP

// A file of the process's own in the system's temporary directory: made
// new (never an existing file or link in its place), writable by its owner
// only, and removed by the code that made it.

#include <string>
#include <string_view>
#include <utility>

namespace stytch::platform {

/// Writes `contents` to a new file named `prefix` plus a unique suffix in
/// the temporary directory (TMPDIR, else /tmp), mode 0600, not inherited by
/// child processes. Its absolute path, or "" when it could not be made: also
/// when the directory lets others replace files in it (writable by group or
/// others without the sticky bit), and on Windows, where nothing needs one
/// yet.
std::string write_temp_file(std::string_view prefix, std::string_view contents) noexcept;

/// Removes a file write_temp_file made; nothing on "".
void remove_temp_file(const std::string& path) noexcept;

/// The process's id, to tell the process that made a file from a child
/// that inherited its objects through fork().
long process_id() noexcept;

/// Owns a file write_temp_file made: removes it when destroyed, also when
/// the object holding it fails to construct, but only in the process that
/// made it (a forked child's copy leaves it to the parent).
class TempFile {
 public:
  TempFile() = default;
  explicit TempFile(std::string path) noexcept : path_(std::move(path)), owner_(process_id()) {}
  ~TempFile() {
    if (process_id() == owner_) remove_temp_file(path_);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  TempFile(TempFile&&) = delete;
  TempFile& operator=(TempFile&&) = delete;

  /// Takes a new file, removing the one held.
  void reset(std::string path) noexcept {
    if (process_id() == owner_) remove_temp_file(path_);
    path_ = std::move(path);
    owner_ = process_id();
  }
  /// "" when none is held.
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  long owner_ = 0;
};

}  // namespace stytch::platform

#endif
