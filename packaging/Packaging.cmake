# Install layout (FHS under CMAKE_INSTALL_PREFIX) and the Debian package (cpack -G DEB).
# The app finds its data at <prefix>/share/redifine-studio (core/common/DataPaths.cpp), so it runs installed
# and from the build tree alike.
set(REDIFINE_DATA_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/redifine-studio")

install(FILES resources/models/tiny-base.safetensors resources/models/tiny-clip.safetensors resources/models/README.md
        DESTINATION "${REDIFINE_DATA_INSTALL_DIR}/models")
install(DIRECTORY resources/presets DESTINATION "${REDIFINE_DATA_INSTALL_DIR}" FILES_MATCHING PATTERN "*.json")
install(DIRECTORY resources/plans DESTINATION "${REDIFINE_DATA_INSTALL_DIR}" FILES_MATCHING PATTERN "*.json")
install(DIRECTORY resources/tokenizers DESTINATION "${REDIFINE_DATA_INSTALL_DIR}")
install(FILES resources/icons/redifine-studio.svg DESTINATION "${REDIFINE_DATA_INSTALL_DIR}/icons")
install(FILES resources/desktop/studio.redifine.Studio.desktop DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES resources/desktop/studio.redifine.Studio.metainfo.xml DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
install(FILES resources/icons/redifine-studio.svg DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
foreach(size 16 24 32 48 64 128 256)
  install(FILES resources/icons/png/redifine-studio-${size}.png
          DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps" RENAME redifine-studio.png)
endforeach()

set(CPACK_PACKAGE_NAME "redifine-studio")
set(CPACK_PACKAGE_VENDOR "ReDiFine Studio developers")
set(CPACK_PACKAGE_CONTACT "ReDiFine Studio developers <developers@redifine.studio>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Run and analyse Chains of Diffusion (ReDiFine)")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
# Shared libraries (Qt 6, LibTorch, QCustomPlot, OpenCV, FFTW) are found by dpkg-shlibdeps from the binaries;
# what is loaded at run time rather than linked is listed by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libopenblas0-openmp, qt6-qpa-plugins, libqt6svg6, fonts-noto-color-emoji, fonts-symbola, unicode-data")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "xvfb")
include(CPack)
