# Install layout (FHS under CMAKE_INSTALL_PREFIX) and the Debian package (cpack -G DEB).
# The app finds its data at <prefix>/share/redifine-studio (core/common/DataPaths.cpp), so it runs installed
# and from the build tree alike.
set(REDIFINE_DATA_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/redifine-studio")

install(FILES resources/models/tiny-base.safetensors resources/models/tiny-clip.safetensors resources/models/README.md
        DESTINATION "${REDIFINE_DATA_INSTALL_DIR}/models")
install(DIRECTORY resources/presets DESTINATION "${REDIFINE_DATA_INSTALL_DIR}" FILES_MATCHING PATTERN "*.json")
install(DIRECTORY resources/plans DESTINATION "${REDIFINE_DATA_INSTALL_DIR}" FILES_MATCHING PATTERN "*.json")
install(DIRECTORY resources/tokenizers DESTINATION "${REDIFINE_DATA_INSTALL_DIR}")
# The eager-PyTorch peer of `redifine bench --peer` and the UNet it imports; they run only where python3-torch
# is installed, which the package leaves optional.
install(FILES tests/device/peer_tiny.py tests/device/reference_sd15.py DESTINATION "${REDIFINE_DATA_INSTALL_DIR}/bench")
install(FILES resources/icons/redifine-studio.svg DESTINATION "${REDIFINE_DATA_INSTALL_DIR}/icons")
install(FILES resources/desktop/studio.redifine.Studio.desktop DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES resources/desktop/studio.redifine.Studio.metainfo.xml DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
install(FILES resources/icons/redifine-studio.svg DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
foreach(size 16 24 32 48 64 128 256)
  install(FILES resources/icons/png/redifine-studio-${size}.png
          DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps" RENAME redifine-studio.png)
endforeach()

# Debian's documentation files: the machine-readable copyright (DEP-5), the changelog gzipped as Debian wants
# it (-n: no name or time stamp, so the package is reproducible), and lintian overrides for the deliberate
# choices (packaging/debian/lintian-overrides says why).
set(REDIFINE_DOC_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/doc/redifine-studio")
find_program(REDIFINE_GZIP gzip REQUIRED)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/packaging/debian/changelog")
execute_process(COMMAND "${REDIFINE_GZIP}" -9nc "${PROJECT_SOURCE_DIR}/packaging/debian/changelog"
                OUTPUT_FILE "${PROJECT_BINARY_DIR}/changelog.Debian.gz" COMMAND_ERROR_IS_FATAL ANY)
install(FILES packaging/debian/copyright "${PROJECT_BINARY_DIR}/changelog.Debian.gz" DESTINATION "${REDIFINE_DOC_INSTALL_DIR}")
install(FILES packaging/debian/lintian-overrides DESTINATION "${CMAKE_INSTALL_DATADIR}/lintian/overrides" RENAME redifine-studio)

# Man pages made from each program's --help by help2man (the studio answers --help offscreen).
find_program(REDIFINE_HELP2MAN help2man)
if(REDIFINE_HELP2MAN)
  set(manpages)
  foreach(program redifine redifine-studio)
    if(program STREQUAL "redifine")
      set(name "run and analyse Chains of Diffusion (ReDiFine) from the command line")
    else()
      set(name "run and analyse Chains of Diffusion (ReDiFine) in a desktop app")
    endif()
    set(page "${PROJECT_BINARY_DIR}/man/${program}.1.gz")
    add_custom_command(
      OUTPUT "${page}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${PROJECT_BINARY_DIR}/man"
      COMMAND "${CMAKE_COMMAND}" -E env QT_QPA_PLATFORM=offscreen "${REDIFINE_HELP2MAN}" --no-info
              --name "${name}" --version-string "${PROJECT_VERSION}" --section 1
              --output "${PROJECT_BINARY_DIR}/man/${program}.1" "$<TARGET_FILE:${program}>"
      COMMAND "${REDIFINE_GZIP}" -9nf "${PROJECT_BINARY_DIR}/man/${program}.1"
      DEPENDS ${program}
      COMMENT "Man page of ${program} from its --help"
      VERBATIM)
    list(APPEND manpages "${page}")
  endforeach()
  add_custom_target(manpages ALL DEPENDS ${manpages})
  install(FILES ${manpages} DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
else()
  message(STATUS "ReDiFine: help2man not found, the package gets no man pages (packaging/install-deps.sh installs it)")
endif()

set(CPACK_PACKAGE_NAME "redifine-studio")
set(CPACK_PACKAGE_VENDOR "ReDiFine Studio developers")
set(CPACK_PACKAGE_CONTACT "ReDiFine Studio developers <developers@redifine.studio>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "run and analyse Chains of Diffusion (ReDiFine)")
# The extended description (CPack puts the summary above it as the synopsis line).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "ReDiFine Studio finetunes a text-to-image diffusion model on images it
generated itself, again and again (a Chain of Diffusion), and measures how
the images degrade: Frechet distance, KID, precision and recall, CLIP score,
latent histograms, power spectra and noise fingerprints per iteration.
.
It reproduces the experiments of the ReDiFine paper (classifier-free guidance
sweeps, condition-drop finetuning, decaying CFG schedules) on a small built-in
model that runs on any CPU, and on Stable Diffusion 1.x checkpoints. LoRA
adapters are saved in kohya's format, images carry A1111-style parameters,
and datasets are read and written in kohya's folder layout.
.
The package holds the redifine command-line tool, the ReDiFine Studio
desktop app, the tiny base model and feature extractor trained by the
project, and the paper's experiment presets.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://redifine.studio/")
# Debian wants stripped binaries, and control files and directories with standard permissions.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
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
