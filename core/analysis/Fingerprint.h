#pragma once

#include "core/analysis/PlaneStack.h"
#include "core/analysis/Spectrum.h"

#include <vector>

namespace redifine {

// The periodic traces a generator leaves in its images (paper Fig. 9, 34; Corvi et al.): the noise residual
// of each image (the image minus a 3x3 median-filtered copy: a classical denoiser, since the learned DnCNN
// of Corvi et al. has no weights here), the average power spectrum of the residuals over channels and
// images, and its autocorrelation (Wiener-Khinchin).
struct Fingerprint
{
    int height = 0;
    int width = 0;
    int images = 0;
    std::vector<double> powerSpectrum;     // H x W, fftshifted, divided by its mean (the mean energy)
    std::vector<double> autocorrelation;   // H x W, lag 0 at (H/2, W/2), divided by its value there
};

// The noise residual of one plane: the plane minus its 3x3 median (OpenCV medianBlur, float).
void noiseResidual(const double *in, double *out, int height, int width);

// Streams slices of images (one size) in; result() throws InputError when nothing was added.
class FingerprintAnalysis
{
public:
    // The residuals are made plane by plane in the workers: a whole slice's copy (32 images of 512 x 512 x 3 in
    // double, 200 MB, freshly faulted in each time) took 0.7 s of the 0.8 s a slice cost.
    void add(const PlaneStack &slice) { m_power.add(slice, noiseResidual); }
    Fingerprint result() const;

private:
    AveragePowerAccumulator m_power;
};

// The centre (2 radius + 1) x (2 radius + 1) window of a centred H x W map (the +-32-lag display crop).
std::vector<double> cropCentre(const std::vector<double> &values, int height, int width, int radius, int *side);

} // namespace redifine
