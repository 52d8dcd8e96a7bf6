#ifndef STYTCH_SRC_PLATFORM_TEMP_FILE_HPP
#define STYTCH_SRC_PLATFORM_TEMP_FILE_HPP

// A file of the process's own in the system's temporary directory: made
// new (never an existing file or link in its place), writable by its owner
// only, and removed by the code that made it.

#include <string>
#include <string_view>

namespace stytch::platform {

/// Writes `contents` to a new file named `prefix` plus a unique suffix in
/// the temporary directory (TMPDIR, else /tmp), mode 0600. Its path, or ""
/// when it could not be made (or on Windows, where nothing needs one yet).
std::string write_temp_file(std::string_view prefix, std::string_view contents) noexcept;

/// Removes a file write_temp_file made; nothing on "".
void remove_temp_file(const std::string& path) noexcept;

}  // namespace stytch::platform

#endif
