# Debian's libqcustomplot-dev installs the Qt 6 build as libqcustomplot-qt6 (header qcustomplot.h) with no
# CMake package, so wrap it in an imported target.
find_path(QCUSTOMPLOT_INCLUDE_DIR qcustomplot.h REQUIRED)
find_library(QCUSTOMPLOT_LIBRARY NAMES qcustomplot-qt6 QCustomPlotQt6 REQUIRED)
add_library(QCustomPlotQt6 UNKNOWN IMPORTED)
set_target_properties(QCustomPlotQt6 PROPERTIES
  IMPORTED_LOCATION "${QCUSTOMPLOT_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${QCUSTOMPLOT_INCLUDE_DIR}"
  INTERFACE_COMPILE_DEFINITIONS QCUSTOMPLOT_USE_LIBRARY
  INTERFACE_LINK_LIBRARIES "Qt6::Widgets;Qt6::PrintSupport")
