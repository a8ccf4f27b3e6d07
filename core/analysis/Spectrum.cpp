#include "core/analysis/Spectrum.h"

#include "core/common/Error.h"

#include <ATen/Parallel.h>
#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

namespace redifine {

namespace {

// FFTW's planner is not thread-safe; executing a plan on other arrays of the same shape and alignment is.
std::mutex &plannerMutex()
{
    static std::mutex mutex;
    return mutex;
}

// One worker's real-to-complex 2-D transform and its buffers.
class RealFft
{
public:
    RealFft(int height, int width) : m_height(height), m_width(width)
    {
        const std::lock_guard<std::mutex> lock(plannerMutex());
        m_in = fftw_alloc_real(size_t(height) * width);
        m_out = fftw_alloc_complex(size_t(height) * (width / 2 + 1));
        m_plan = fftw_plan_dft_r2c_2d(height, width, m_in, m_out, FFTW_ESTIMATE);
    }
    ~RealFft()
    {
        const std::lock_guard<std::mutex> lock(plannerMutex());
        fftw_destroy_plan(m_plan);
        fftw_free(m_in);
        fftw_free(m_out);
    }
    RealFft(const RealFft &) = delete;
    RealFft &operator=(const RealFft &) = delete;

    double *input() { return m_in; }

    // Adds |FFT(input)|^2 / (H W) (the orthonormal transform's power) times `weight` to the full H x W
    // unshifted `power`, filling the half FFTW omits from Hermitian symmetry.
    void accumulatePower(std::vector<double> &power, double weight)
    {
        fftw_execute_dft_r2c(m_plan, m_in, m_out);
        const int halfWidth = m_width / 2 + 1;
        const double scale = weight / (double(m_height) * m_width);
        for (int y = 0; y < m_height; ++y)
            for (int x = 0; x < m_width; ++x) {
                const fftw_complex &c = x < halfWidth ? m_out[size_t(y) * halfWidth + x]
                                                      : m_out[size_t((m_height - y) % m_height) * halfWidth + (m_width - x)];
                power[size_t(y) * m_width + x] += (c[0] * c[0] + c[1] * c[1]) * scale;
            }
    }

private:
    int m_height;
    int m_width;
    double *m_in = nullptr;
    fftw_complex *m_out = nullptr;
    fftw_plan m_plan = nullptr;
};

enum class Preprocessing { Standardise, RemovePlaneMean };

// Adds the unshifted H x W power of each image of the slice, averaged over its channels, to `sum`, and calls
// `perImage(n, power)` (under a lock) with it. With RemovePlaneMean each plane is passed through `filter` first
// (when given), in the worker, so no filtered copy of the slice is ever held. Images are spread over the
// intra-op threads; each thread's images are summed apart and the partial sums added in image order, so `sum`
// does not depend on which thread finished first (floating-point addition is not associative).
template <typename PerImage>
void forEachImagePower(const PlaneStack &s, Preprocessing preprocessing, const PlaneFilter &filter, std::vector<double> &sum,
                       PerImage &&perImage)
{
    std::mutex resultMutex;
    std::map<int64_t, std::vector<double>> partialSums;   // by the first image of each thread's range
    at::parallel_for(0, s.count, 1, [&](int64_t begin, int64_t end) {
        RealFft fft(s.height, s.width);
        std::vector<double> power(s.planeSize()), partial(s.planeSize(), 0.0);
        std::vector<double> filtered(filter ? s.planeSize() : 0);
        for (int64_t n = begin; n < end; ++n) {
            std::fill(power.begin(), power.end(), 0.0);
            double mean = 0.0, scale = 1.0;
            if (preprocessing == Preprocessing::Standardise) {
                double sum = 0.0, squares = 0.0;
                for (int c = 0; c < s.channels; ++c)
                    for (size_t i = 0; i < s.planeSize(); ++i)
                        sum += s.plane(int(n), c)[i];
                mean = sum / (double(s.channels) * s.planeSize());
                for (int c = 0; c < s.channels; ++c)
                    for (size_t i = 0; i < s.planeSize(); ++i)
                        squares += (s.plane(int(n), c)[i] - mean) * (s.plane(int(n), c)[i] - mean);
                const double rms = std::sqrt(squares / (double(s.channels) * s.planeSize()));
                // A flat image has no spectrum, not a division by zero; its rms is rounding noise (about 1e-17 of
                // the mean for a grey picture), which must not be scaled up to unit power.
                scale = rms > 1e-9 * std::max(1.0, std::abs(mean)) ? 1.0 / rms : 0.0;
            }
            for (int c = 0; c < s.channels; ++c) {
                const double *plane = s.plane(int(n), c);
                if (preprocessing == Preprocessing::RemovePlaneMean && filter) {
                    filter(plane, filtered.data(), s.height, s.width);
                    plane = filtered.data();
                }
                if (preprocessing == Preprocessing::RemovePlaneMean) {
                    double sum = 0.0;
                    for (size_t i = 0; i < s.planeSize(); ++i)
                        sum += plane[i];
                    mean = sum / double(s.planeSize());
                }
                for (size_t i = 0; i < s.planeSize(); ++i)
                    fft.input()[i] = (plane[i] - mean) * scale;
                fft.accumulatePower(power, 1.0 / s.channels);
            }
            for (size_t i = 0; i < power.size(); ++i)
                partial[i] += power[i];
            const std::lock_guard<std::mutex> lock(resultMutex);
            perImage(int(n), power);
        }
        const std::lock_guard<std::mutex> lock(resultMutex);
        partialSums.emplace(begin, std::move(partial));
    });
    for (const auto &[first, partial] : partialSums)
        for (size_t i = 0; i < partial.size(); ++i)
            sum[i] += partial[i];
}

double frequency(int index, int n)
{
    return (index <= (n - 1) / 2 ? index : index - n) / double(n);
}

void meanAndSpread(const std::vector<std::vector<double>> &rows, std::vector<double> &mean, std::vector<double> &spread)
{
    const size_t n = rows.size(), width = rows.empty() ? 0 : rows.front().size();
    mean.assign(width, 0.0);
    spread.assign(width, 0.0);
    for (const auto &row : rows)
        for (size_t j = 0; j < width; ++j)
            mean[j] += row[j] / double(n);
    if (n < 2)
        return;
    for (const auto &row : rows)
        for (size_t j = 0; j < width; ++j)
            spread[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / double(n - 1);
    for (double &v : spread)
        v = std::sqrt(v);
}

constexpr int kAngularBins = 16;
constexpr double kAngularMinRadius = 0.1;

void requireShape(int height, int width, const PlaneStack &s)
{
    if (s.height != height || s.width != width)
        throw InputError(QStringLiteral("spectrum: a slice of %1x%2 images after %3x%4 ones; all images need one size")
                             .arg(s.width)
                             .arg(s.height)
                             .arg(width)
                             .arg(height)
                             .toStdString());
}

} // namespace

std::vector<double> fftShift(const std::vector<double> &values, int height, int width)
{
    std::vector<double> shifted(values.size());
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            shifted[size_t((y + height / 2) % height) * width + (x + width / 2) % width] = values[size_t(y) * width + x];
    return shifted;
}

std::vector<double> PowerSpectrum::highFrequencyRatio(double cutoff) const
{
    std::vector<double> ratios;
    for (const auto &profile : radialPerImage) {
        double total = 0.0, high = 0.0;
        for (size_t b = 0; b < profile.size(); ++b) {
            total += profile[b];
            if (radialFrequency[b] > cutoff)
                high += profile[b];
        }
        ratios.push_back(total > 0.0 ? high / total : 0.0);
    }
    return ratios;
}

struct SpectrumAnalysis::State
{
    int height = 0, width = 0, images = 0;
    std::vector<double> sum;                  // unshifted
    std::vector<int> radialBin, angularBin;   // per frequency; -1: outside the angular range
    int radialBins = 0;
    std::vector<int> radialCount;
    std::vector<std::vector<double>> radial, angular;

    void prepare(int h, int w)
    {
        height = h;
        width = w;
        sum.assign(size_t(h) * w, 0.0);
        const double q = 1.0 / std::min(h, w);
        radialBin.resize(sum.size());
        angularBin.resize(sum.size());
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const double fy = frequency(y, h), fx = frequency(x, w);
                const double r = std::hypot(fx, fy);
                const size_t i = size_t(y) * w + x;
                radialBin[i] = int(std::lround(r / q));
                radialBins = std::max(radialBins, radialBin[i] + 1);
                if (r > kAngularMinRadius) {
                    const int bin = int(std::floor((std::atan2(fy, fx) + M_PI) / (2 * M_PI / kAngularBins)));
                    angularBin[i] = bin % kAngularBins;   // atan2 = pi is the bin of -pi
                } else {
                    angularBin[i] = -1;
                }
            }
        radialCount.assign(radialBins, 0);
        for (int b : radialBin)
            ++radialCount[b];
    }
};

SpectrumAnalysis::SpectrumAnalysis() : m_state(std::make_unique<State>()) {}
SpectrumAnalysis::~SpectrumAnalysis() = default;

void SpectrumAnalysis::add(const PlaneStack &slice)
{
    State &st = *m_state;
    if (slice.count == 0)
        return;
    if (st.sum.empty())
        st.prepare(slice.height, slice.width);
    requireShape(st.height, st.width, slice);
    std::vector<std::vector<double>> radial(slice.count), angular(slice.count);
    forEachImagePower(slice, Preprocessing::Standardise, {}, st.sum, [&](int n, const std::vector<double> &power) {
        radial[n].assign(st.radialBins, 0.0);
        angular[n].assign(kAngularBins, 0.0);
        for (size_t i = 0; i < power.size(); ++i) {
            radial[n][st.radialBin[i]] += power[i];
            if (st.angularBin[i] >= 0)
                angular[n][st.angularBin[i]] += power[i];
        }
    });
    st.radial.insert(st.radial.end(), radial.begin(), radial.end());
    st.angular.insert(st.angular.end(), angular.begin(), angular.end());
    st.images += slice.count;
}

PowerSpectrum SpectrumAnalysis::result() const
{
    const State &st = *m_state;
    if (st.images == 0)
        throw InputError("spectrum: no images");
    PowerSpectrum p;
    p.height = st.height;
    p.width = st.width;
    p.images = st.images;
    std::vector<double> mean = st.sum;
    for (double &v : mean)
        v /= st.images;
    p.average = fftShift(mean, st.height, st.width);
    const double q = 1.0 / std::min(st.height, st.width);
    for (int b = 0; b < st.radialBins; ++b)
        p.radialFrequency.push_back(b * q);
    p.radialCount = st.radialCount;
    p.radialPerImage = st.radial;
    meanAndSpread(st.radial, p.radialMean, p.radialSpread);
    for (int b = 0; b < kAngularBins; ++b)
        p.angularCentre.push_back(-M_PI + (b + 0.5) * 2 * M_PI / kAngularBins);
    meanAndSpread(st.angular, p.angularMean, p.angularSpread);
    return p;
}

PowerSpectrum powerSpectrum(const PlaneStack &stack)
{
    SpectrumAnalysis analysis;
    analysis.add(stack);
    return analysis.result();
}

struct AveragePowerAccumulator::State
{
    int height = 0, width = 0, images = 0;
    std::vector<double> sum;
};

AveragePowerAccumulator::AveragePowerAccumulator() : m_state(std::make_unique<State>()) {}
AveragePowerAccumulator::~AveragePowerAccumulator() = default;
int AveragePowerAccumulator::height() const { return m_state->height; }
int AveragePowerAccumulator::width() const { return m_state->width; }
int AveragePowerAccumulator::images() const { return m_state->images; }

void AveragePowerAccumulator::add(const PlaneStack &slice, const PlaneFilter &filter)
{
    State &st = *m_state;
    if (slice.count == 0)
        return;
    if (st.sum.empty()) {
        st.height = slice.height;
        st.width = slice.width;
        st.sum.assign(slice.planeSize(), 0.0);
    }
    requireShape(st.height, st.width, slice);
    forEachImagePower(slice, Preprocessing::RemovePlaneMean, filter, st.sum, [](int, const std::vector<double> &) {});
    st.images += slice.count;
}

std::vector<double> AveragePowerAccumulator::result() const
{
    if (m_state->images == 0)
        throw InputError("power spectrum: no images");
    std::vector<double> mean = m_state->sum;
    for (double &v : mean)
        v /= m_state->images;
    return mean;
}

std::vector<double> autocorrelationOfPower(const std::vector<double> &power, int height, int width)
{
    const int halfWidth = width / 2 + 1;
    std::vector<double> correlation(size_t(height) * width);
    {
        const std::lock_guard<std::mutex> lock(plannerMutex());
        fftw_complex *in = fftw_alloc_complex(size_t(height) * halfWidth);
        double *out = fftw_alloc_real(size_t(height) * width);
        // The power spectrum is real and even, so its inverse transform is real: a complex-to-real transform
        // of its non-redundant half.
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < halfWidth; ++x) {
                in[size_t(y) * halfWidth + x][0] = power[size_t(y) * width + x];
                in[size_t(y) * halfWidth + x][1] = 0.0;
            }
        const fftw_plan plan = fftw_plan_dft_c2r_2d(height, width, in, out, FFTW_ESTIMATE);
        fftw_execute(plan);
        std::copy(out, out + correlation.size(), correlation.begin());
        fftw_destroy_plan(plan);
        fftw_free(in);
        fftw_free(out);
    }
    const double zeroLag = correlation[0];
    if (zeroLag > 0.0)
        for (double &v : correlation)
            v /= zeroLag;
    return fftShift(correlation, height, width);
}

} // namespace redifine
