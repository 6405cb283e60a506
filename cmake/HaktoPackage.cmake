# The Debian package: `make package` (cpack -G DEB in the build folder) writes
# hakto_<version>_<arch>.deb holding the program, its manual pages and docs, the exhibit's
# service and its options file, and the kiosk launcher (packaging/, docs/operators-guide.md
# "Setting up a kiosk"). scripts/check-package builds it, installs it and tries it.
#
# Files a plain `cmake --install --prefix DIR` would write outside DIR (/etc, /lib/systemd) are
# the component "system", left out of such an install (EXCLUDE_FROM_ALL) and put in the package.
include(GNUInstallDirs)

# cpack (and `make install` in a build folder) build nothing but what they install; `make
# package` builds the program first. Without this, cpack's preinstall step builds every
# target, the tests and benchmarks too.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(HAKTO_PACKAGE_MAINTAINER "hakto maintainers <maintainers@users.noreply.r-seed-32d2ef75.example>"
    CACHE STRING "The Maintainer field of the Debian package")

# Into any prefix: the kiosk launcher, its manual page, the docs.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/packaging/hakto-kiosk DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/docs/hakto-kiosk.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
file(GLOB hakto_docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${hakto_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Only into the package: where Debian's systemd and the desktops look for them.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/hakto-exhibit.service
        DESTINATION /lib/systemd/system COMPONENT system EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/exhibit.conf
        DESTINATION /etc/hakto COMPONENT system EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/hakto-kiosk.desktop
        DESTINATION /etc/xdg/autostart COMPONENT system EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hakto)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "hakto")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "telegram transmission simulator: the June 1972 HAKTO cables, and a museum kiosk")
# The long description (dpkg shows the summary above it).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "hakto replays, character by character, the teletype traffic that carried
Henry Kissinger's backchannel cables from Beijing to the White House in
June 1972, and the covering memorandum each became.

The package runs the museum exhibit as a service (hakto-exhibit, its options
in /etc/hakto/exhibit.conf) and starts the kiosk browser at the login of a
member of the group hakto-kiosk (hakto-kiosk).")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${HAKTO_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # hakto_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # the libraries' packages, from dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")  # the postinst's adduser
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "chromium, cups-client")  # the kiosk, the souvenir printer
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# Every component (the unnamed one and "system") in the one package.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
get_cmake_property(CPACK_COMPONENTS_ALL COMPONENTS)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
include(CPack)
