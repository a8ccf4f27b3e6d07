#pragma once

#include "core/analysis/PlaneStack.h"

#include <functional>
#include <memory>
#include <vector>

namespace redifine {

// Power spectra of images or latents, in the conventions of Corvi et al.'s spectral analysis (REFERENCE.md):
// each image is made zero-mean over H, W and C and divided by its RMS, transformed with an orthonormal 2-D FFT
// per channel, and |F|^2 is averaged over channels. Profiles are per image, then mean and spread (standard
// deviation, N - 1) over images.
struct PowerSpectrum
{
    int height = 0;
    int width = 0;
    int images = 0;
    std::vector<double> average;          // H x W, mean over images, fftshifted (zero frequency at H/2, W/2)

    // Radial profile: bin b holds the power summed over frequencies with round(r / q) == b, r in cycles per
    // pixel from the unshifted fftfreq grid, q = 1 / min(H, W). radialCount is how many frequencies each bin
    // sums, so radialMean / radialCount is the mean power per frequency (flat for white noise).
    std::vector<double> radialFrequency;  // bin centres b * q, cycles per pixel
    std::vector<int> radialCount;
    std::vector<double> radialMean;
    std::vector<double> radialSpread;
    std::vector<std::vector<double>> radialPerImage;

    // Angular profile: 16 bins of atan2(fy, fx) over [-pi, pi), summed over frequencies with r > 0.1.
    std::vector<double> angularCentre;    // radians
    std::vector<double> angularMean;
    std::vector<double> angularSpread;

    // Share of the power above `cutoff` cycles per pixel (0.25: half of Nyquist), per image.
    std::vector<double> highFrequencyRatio(double cutoff = 0.25) const;
};

// Streams images through the FFT: add() slices of any size (all of one H x W), then result(). FFTW plans
// are made once per worker thread; images of a slice are spread over the intra-op threads.
class SpectrumAnalysis
{
public:
    SpectrumAnalysis();
    ~SpectrumAnalysis();
    void add(const PlaneStack &slice);
    PowerSpectrum result() const;   // throws InputError when nothing was added

private:
    struct State;
    std::unique_ptr<State> m_state;
};

PowerSpectrum powerSpectrum(const PlaneStack &stack);

// A per-plane transform applied before a spectrum: writes height x width values to `out` from `in`.
using PlaneFilter = std::function<void(const double *in, double *out, int height, int width)>;

// Mean over images and channels of |FFT2(f(plane) - its mean, orthonormal)|^2, not shifted (zero frequency at
// index 0), H x W, with f the filter given to add() (the identity without one). Used by the fingerprints
// (f: the noise residual), whose residuals are not RMS-normalised.
class AveragePowerAccumulator
{
public:
    AveragePowerAccumulator();
    ~AveragePowerAccumulator();
    void add(const PlaneStack &slice, const PlaneFilter &filter = {});
    int height() const;
    int width() const;
    int images() const;
    std::vector<double> result() const;   // throws InputError when nothing was added

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// real(IFFT2(power)) (Wiener-Khinchin) for an unshifted H x W power spectrum, fftshifted so lag 0 is at
// (H/2, W/2), divided by its value at lag 0 (so the centre is 1).
std::vector<double> autocorrelationOfPower(const std::vector<double> &power, int height, int width);

// numpy.fft.fftshift of an H x W array.
std::vector<double> fftShift(const std::vector<double> &values, int height, int width);

} // namespace redifine
