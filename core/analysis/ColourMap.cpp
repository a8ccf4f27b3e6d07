#include "core/analysis/ColourMap.h"

#include <algorithm>
#include <cmath>

namespace redifine {

QColor viridis(double t)
{
    // Matplotlib's viridis sampled at 9 evenly spaced points, interpolated linearly.
    static const int anchors[9][3] = {{68, 1, 84},    {71, 44, 122},  {59, 81, 139},   {44, 113, 142}, {33, 144, 141},
                                      {39, 173, 129}, {92, 200, 99},  {170, 220, 50},  {253, 231, 37}};
    const double x = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 8.0;
    const int i = std::min(int(x), 7);
    const double f = x - i;
    return QColor(int(std::lround(anchors[i][0] + f * (anchors[i + 1][0] - anchors[i][0]))),
                  int(std::lround(anchors[i][1] + f * (anchors[i + 1][1] - anchors[i][1]))),
                  int(std::lround(anchors[i][2] + f * (anchors[i + 1][2] - anchors[i][2]))));
}

QImage colourMapImage(const std::vector<double> &values, int height, int width, double low, double high, int scale)
{
    QImage image(width * scale, height * scale, QImage::Format_RGB32);
    const double range = high > low ? high - low : 1.0;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const QRgb colour = viridis((values[size_t(y) * width + x] - low) / range).rgb();
            for (int dy = 0; dy < scale; ++dy)
                for (int dx = 0; dx < scale; ++dx)
                    image.setPixel(x * scale + dx, y * scale + dy, colour);
        }
    return image;
}

} // namespace redifine
