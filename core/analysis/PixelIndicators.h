#pragma once

#include "core/analysis/PlaneStack.h"

#include <vector>

namespace redifine {

// Indicators computed from pixels alone that tell the two degradation modes apart (paper section 3.2):
// high CFG pushes saturation, clipping and high-frequency energy up; low CFG pulls sharpness down.
struct PixelIndicators
{
    double colourfulness = 0.0;        // Hasler and Suesstrunk's M on 0..255 values: sigma_rgyb + 0.3 mu_rgyb
    double saturation = 0.0;           // mean HSV saturation (max - min) / max, 0..1
    double clippedShare = 0.0;         // share of pixels with a channel at 0 or 255
    double sharpness = 0.0;            // variance of the 3x3 Laplacian of 0..255 luma (BT.601), OpenCV
    double highFrequencyRatio = 0.0;   // share of spectral power above 0.25 cycles per pixel (Spectrum.h)
};

// One entry per image of an RGB stack in [0, 1].
std::vector<PixelIndicators> pixelIndicators(const PlaneStack &rgb);

struct PixelIndicatorSummary
{
    PixelIndicators mean;
    PixelIndicators spread;   // standard deviation over images, N - 1
};
PixelIndicatorSummary summarise(const std::vector<PixelIndicators> &perImage);

} // namespace redifine
