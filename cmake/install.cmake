# What `make install` / `cmake --install` puts where: the CLI, the library
# (shared and static), the public headers, the packed geodata, a
# pkg-config file and a CMake package (find_package(evmap) gives
# evmap::evmap, the shared library, and evmap::evmap_static).
#
# Both the pkg-config file and the CMake package locate the prefix from
# their own place, so an install copied or moved to another prefix still
# works; the library finds its geodata the same way (load/geodata.c).
include(CMakePackageConfigHelpers)

set(EVM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/evmap)
set(EVM_PKGCONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(TARGETS evmap evmap_static evm_csv EXPORT evmapTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS evmap_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/evmap DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${EVM_PACKED} DESTINATION ${CMAKE_INSTALL_DATADIR}/evmap/geodata)
# Man pages and completions, written from the option tables (evmap-docs).
install(DIRECTORY ${EVM_GENERATED_DOCS}/man1 DESTINATION ${CMAKE_INSTALL_MANDIR})
install(FILES ${EVM_GENERATED_DOCS}/bash-completion/evmap
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${EVM_GENERATED_DOCS}/zsh/_evmap
  DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)

install(EXPORT evmapTargets NAMESPACE evmap:: DESTINATION ${EVM_CMAKE_DIR})
configure_package_config_file(cmake/evmapConfig.cmake.in
  ${CMAKE_BINARY_DIR}/evmapConfig.cmake INSTALL_DESTINATION ${EVM_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/evmapConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/evmapConfig.cmake
  ${CMAKE_BINARY_DIR}/evmapConfigVersion.cmake DESTINATION ${EVM_CMAKE_DIR})

# pkg-config: the prefix relative to the .pc file's own folder.
file(RELATIVE_PATH EVM_PC_TO_PREFIX ${CMAKE_INSTALL_PREFIX}/${EVM_PKGCONFIG_DIR}
     ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" EVM_PC_TO_PREFIX "${EVM_PC_TO_PREFIX}")
get_filename_component(EVM_CSV_LIBDIR ${CSV_LIBRARY} DIRECTORY)
configure_file(cmake/evmap.pc.in ${CMAKE_BINARY_DIR}/evmap.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/evmap.pc DESTINATION ${EVM_PKGCONFIG_DIR})
