// The platform layer's temporary file: what the transport writes the
// system's CA bundle and ca_file into, for TLS backends that would otherwise
// load a CA directory whole for every connection.

#ifndef _WIN32

#include "platform/temp_file.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("a temporary file holds what was written, is its owner's alone, and goes with its TempFile") {
  namespace fs = std::filesystem;
  const std::string contents = std::string("-----BEGIN CERTIFICATE-----\n") + std::string(100000, 'A') + "\n";
  std::string first;
  std::string second;
  {
    stytch::platform::TempFile file(stytch::platform::write_temp_file("stytch-test-", contents));
    first = file.path();
    REQUIRE_FALSE(first.empty());
    CHECK(fs::path(first).parent_path() == fs::temp_directory_path());
    CHECK(fs::path(first).filename().string().rfind("stytch-test-", 0) == 0);
    CHECK(read_whole(first) == contents);
    CHECK((fs::status(first).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK_FALSE(fs::is_symlink(first));
    // Each call makes a new file; reset removes the one held.
    second = stytch::platform::write_temp_file("stytch-test-", "x");
    REQUIRE_FALSE(second.empty());
    CHECK(second != first);
    file.reset(second);
    CHECK_FALSE(fs::exists(first));
    CHECK(read_whole(second) == "x");
  }
  CHECK_FALSE(fs::exists(second));
  // An empty file is a file too; removing "" does nothing.
  stytch::platform::TempFile empty(stytch::platform::write_temp_file("stytch-test-", ""));
  REQUIRE_FALSE(empty.path().empty());
  CHECK(fs::file_size(empty.path()) == 0);
  stytch::platform::remove_temp_file("");
}

TEST_CASE("a temporary file that cannot be made gives an empty path") {
  // A prefix naming a directory that does not exist under the temporary one.
  CHECK(stytch::platform::write_temp_file("no-such-directory-7f3a/stytch-", "x").empty());
}

#endif
