# An overlay port that builds stytch-cpp from the source tree holding it:
#   vcpkg install stytch --overlay-ports=<stytch-cpp>/ports
# A port in a registry would fetch a release with vcpkg_from_github instead.
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

# vcpkg_cmake_configure passes BUILD_SHARED_LIBS from the triplet.
vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -DSTYTCH_BUILD_TESTS=OFF
        -DSTYTCH_BUILD_EXAMPLES=OFF
        -DSTYTCH_BUILD_MOCK=OFF
        -DSTYTCH_INSTALL=ON
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/stytch)
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE
    "${CURRENT_PACKAGES_DIR}/debug/include"
    "${CURRENT_PACKAGES_DIR}/debug/share"
    "${CURRENT_PACKAGES_DIR}/share/doc")

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
