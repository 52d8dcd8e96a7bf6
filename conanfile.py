import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir

required_conan_version = ">=2.0"


class StytchConan(ConanFile):
    name = "stytch"
    description = "C++ SDK for the Stytch one-time passcode (OTP) API"
    license = "MIT"
    url = "https://github.com/stytch-cpp/stytch-cpp"
    homepage = "https://github.com/stytch-cpp/stytch-cpp"
    topics = ("stytch", "otp", "authentication", "passwordless", "sdk")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "shared": [True, False],
        "fPIC": [True, False],
    }
    default_options = {
        "shared": False,
        "fPIC": True,
        # HTTP/2 (nghttp2) over OpenSSL: the libcurl the delivery rules were
        # tested with (HTTP/2 is offered from libcurl 8.14.1 on, with OpenSSL).
        "libcurl/*:with_nghttp2": True,
        "libcurl/*:with_ssl": "openssl",
    }
    exports_sources = "CMakeLists.txt", "LICENSE", "cmake/*", "include/*", "src/*"

    def set_version(self):
        # The version lives in one place: project(stytch VERSION ...) in CMakeLists.txt.
        text = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        self.version = re.search(r"project\(stytch VERSION ([0-9]+\.[0-9]+\.[0-9]+)", text).group(1)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self, src_folder=".")

    def requirements(self):
        # 7.80 brings the pre-request callback the delivery rules rest on; they
        # were tested with 7.88.1 (HTTP/1.1 only) and 8.14.1 (HTTP/2).
        self.requires("libcurl/[>=7.80.0 <9]")
        # Session JWTs are verified with OpenSSL 3's EVP API.
        self.requires("openssl/[>=3.0 <4]")
        # Public headers use nlohmann::json.
        self.requires("nlohmann_json/3.11.3", transitive_headers=True)

    def validate(self):
        check_min_cppstd(self, 17)

    def generate(self):
        tc = CMakeToolchain(self)
        tc.cache_variables["STYTCH_BUILD_TESTS"] = False
        tc.cache_variables["STYTCH_BUILD_EXAMPLES"] = False
        tc.cache_variables["STYTCH_BUILD_MOCK"] = False
        tc.cache_variables["STYTCH_INSTALL"] = True
        tc.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        cmake = CMake(self)
        cmake.install()
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))
        rmdir(self, os.path.join(self.package_folder, "share"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "stytch")
        self.cpp_info.set_property("cmake_target_name", "stytch::stytch")
        self.cpp_info.set_property("pkg_config_name", "stytch")
        self.cpp_info.libs = ["stytch"]
        if not self.options.shared:
            self.cpp_info.defines = ["STYTCH_STATIC_DEFINE"]
        if self.settings.os in ["Linux", "FreeBSD"]:
            self.cpp_info.system_libs = ["pthread"]
