// The platform layer's temporary file: what the transport writes the
// system's CA bundle and ca_file into, for TLS backends that would otherwise
// load a CA directory whole for every connection.

#ifndef _WIN32

#include "platform/temp_file.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

// Sets TMPDIR for one test, and puts back what it was.
struct TempDirFileTestTmpdir {
  std::string saved;
  bool had = false;
  explicit TempDirFileTestTmpdir(const std::string& value) {
    if (const char* old = std::getenv("TMPDIR")) {
      saved = old;
      had = true;
    }
    ::setenv("TMPDIR", value.c_str(), 1);
  }
  ~TempDirFileTestTmpdir() {
    if (had) {
      ::setenv("TMPDIR", saved.c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
  }
  TempDirFileTestTmpdir(const TempDirFileTestTmpdir&) = delete;
  TempDirFileTestTmpdir& operator=(const TempDirFileTestTmpdir&) = delete;
};

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

TEST_CASE(
    "no temporary file in a directory where others could replace it, and an absolute path from a relative TMPDIR") {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("stytch-tmpdir-test-" + std::to_string(::getpid()));
  fs::create_directories(base / "open");
  fs::create_directories(base / "sticky");
  fs::permissions(base / "open", fs::perms::all);                            // 0777
  fs::permissions(base / "sticky", fs::perms::all | fs::perms::sticky_bit);  // 1777, as /tmp
  {
    TempDirFileTestTmpdir tmpdir((base / "open").string());
    CHECK(stytch::platform::write_temp_file("stytch-test-", "x").empty());
  }
  {
    TempDirFileTestTmpdir tmpdir((base / "sticky").string());
    stytch::platform::TempFile file(stytch::platform::write_temp_file("stytch-test-", "x"));
    CHECK_FALSE(file.path().empty());
  }
  {
    const fs::path saved = fs::current_path();
    fs::current_path(base);
    {
      TempDirFileTestTmpdir tmpdir("sticky");
      stytch::platform::TempFile file(stytch::platform::write_temp_file("stytch-test-", "x"));
      REQUIRE_FALSE(file.path().empty());
      CHECK(fs::path(file.path()).is_absolute());
      fs::current_path(saved);
      CHECK(read_whole(file.path()) == "x");
    }
    fs::current_path(saved);
  }
  fs::remove_all(base);
}

TEST_CASE("a forked child's copy of a TempFile leaves the file to the process that made it") {
  namespace fs = std::filesystem;
  std::string path;
  {
    stytch::platform::TempFile file(stytch::platform::write_temp_file("stytch-test-", "x"));
    path = file.path();
    REQUIRE_FALSE(path.empty());
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      // The child destroys its copy of the parent's object, as it would on
      // its way out; exit code 0 only if the file is still there.
      file.~TempFile();
      ::_exit(fs::exists(path) ? 0 : 1);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(fs::exists(path));
  }
  CHECK_FALSE(fs::exists(path));  // the maker's own object removed it
}

#endif
