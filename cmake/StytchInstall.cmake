include(CMakePackageConfigHelpers)

set(STYTCH_CONFIG_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/stytch)

install(TARGETS stytch
  EXPORT stytchTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/stytch DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/generated/include/stytch/version.hpp
  ${CMAKE_CURRENT_BINARY_DIR}/generated/include/stytch/export.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/stytch)

install(EXPORT stytchTargets
  NAMESPACE stytch::
  DESTINATION ${STYTCH_CONFIG_INSTALL_DIR})

configure_package_config_file(cmake/stytchConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/stytchConfig.cmake
  INSTALL_DESTINATION ${STYTCH_CONFIG_INSTALL_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/stytchConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/stytchConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/stytchConfigVersion.cmake
  DESTINATION ${STYTCH_CONFIG_INSTALL_DIR})

# pkg-config: a static library needs libcurl and libcrypto on the link line too.
if(BUILD_SHARED_LIBS)
  set(STYTCH_PC_REQUIRES_PRIVATE "libcurl libcrypto")
  set(STYTCH_PC_REQUIRES "nlohmann_json")
  set(STYTCH_PC_CFLAGS "")
else()
  set(STYTCH_PC_REQUIRES_PRIVATE "")
  set(STYTCH_PC_REQUIRES "nlohmann_json libcurl libcrypto")
  set(STYTCH_PC_CFLAGS " -DSTYTCH_STATIC_DEFINE")
endif()
# Relocatable: the prefix is found from where the .pc file is installed.
file(RELATIVE_PATH STYTCH_PC_TO_PREFIX
  "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(cmake/stytch.pc.in ${CMAKE_CURRENT_BINARY_DIR}/stytch.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/stytch.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/stytch)
