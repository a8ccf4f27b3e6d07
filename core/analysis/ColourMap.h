#pragma once

#include <QColor>
#include <QImage>

#include <vector>

namespace redifine {

// Viridis (perceptually uniform, readable in grey and by colour-blind readers) at t in [0, 1].
QColor viridis(double t);

// An H x W map as a viridis image, values mapped linearly from [low, high] (clamped); `scale` pixels per cell.
QImage colourMapImage(const std::vector<double> &values, int height, int width, double low, double high, int scale = 1);

} // namespace redifine
