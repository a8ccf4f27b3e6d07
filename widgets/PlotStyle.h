#pragma once

class QCustomPlot;
class QPalette;

namespace redifine {

// Plots follow the application palette (light or dark): background, axes, grid, tick labels and legend.
void stylePlot(QCustomPlot *plot, const QPalette &palette);

} // namespace redifine
