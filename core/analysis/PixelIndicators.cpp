#include "core/analysis/PixelIndicators.h"

#include "core/analysis/Spectrum.h"
#include "core/common/Error.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace redifine {

namespace {

double meanOf(const std::vector<double> &v)
{
    double sum = 0.0;
    for (double x : v)
        sum += x;
    return sum / double(v.size());
}

double populationVariance(const std::vector<double> &v, double mean)
{
    double sum = 0.0;
    for (double x : v)
        sum += (x - mean) * (x - mean);
    return sum / double(v.size());
}

PixelIndicators indicatorsOf(const PlaneStack &s, int n)
{
    const size_t size = s.planeSize();
    const double *r = s.plane(n, 0), *g = s.plane(n, 1), *b = s.plane(n, 2);
    std::vector<double> rg(size), yb(size);
    cv::Mat luma(s.height, s.width, CV_64F);
    double saturation = 0.0;
    size_t clipped = 0;
    for (size_t i = 0; i < size; ++i) {
        const double R = r[i] * 255.0, G = g[i] * 255.0, B = b[i] * 255.0;
        rg[i] = R - G;
        yb[i] = 0.5 * (R + G) - B;
        const double hi = std::max({R, G, B}), lo = std::min({R, G, B});
        saturation += hi > 0.0 ? (hi - lo) / hi : 0.0;
        if (lo <= 0.5 || hi >= 254.5)
            ++clipped;
        luma.ptr<double>()[i] = 0.299 * R + 0.587 * G + 0.114 * B;
    }
    PixelIndicators p;
    const double muRg = meanOf(rg), muYb = meanOf(yb);
    p.colourfulness = std::sqrt(populationVariance(rg, muRg) + populationVariance(yb, muYb))
                      + 0.3 * std::sqrt(muRg * muRg + muYb * muYb);
    p.saturation = saturation / double(size);
    p.clippedShare = double(clipped) / double(size);
    cv::Mat laplacian;
    cv::Laplacian(luma, laplacian, CV_64F, 1);
    cv::Scalar mean, deviation;
    cv::meanStdDev(laplacian, mean, deviation);
    p.sharpness = deviation[0] * deviation[0];
    return p;
}

// The five indicators as an array, to average them without repeating each name.
constexpr double PixelIndicators::*kFields[] = {&PixelIndicators::colourfulness, &PixelIndicators::saturation,
                                                 &PixelIndicators::clippedShare, &PixelIndicators::sharpness,
                                                 &PixelIndicators::highFrequencyRatio};

} // namespace

std::vector<PixelIndicators> pixelIndicators(const PlaneStack &rgb)
{
    if (rgb.channels != 3)
        throw InputError("pixel indicators: need RGB images");
    std::vector<PixelIndicators> result;
    for (int n = 0; n < rgb.count; ++n)
        result.push_back(indicatorsOf(rgb, n));
    const std::vector<double> high = powerSpectrum(rgb).highFrequencyRatio(0.25);
    for (int n = 0; n < rgb.count; ++n)
        result[n].highFrequencyRatio = high[n];
    return result;
}

PixelIndicatorSummary summarise(const std::vector<PixelIndicators> &perImage)
{
    if (perImage.empty())
        throw InputError("pixel indicators: no images");
    PixelIndicatorSummary s;
    const double n = double(perImage.size());
    for (auto field : kFields) {
        for (const PixelIndicators &p : perImage)
            s.mean.*field += p.*field / n;
        if (perImage.size() > 1) {
            for (const PixelIndicators &p : perImage)
                s.spread.*field += (p.*field - s.mean.*field) * (p.*field - s.mean.*field) / (n - 1);
            s.spread.*field = std::sqrt(s.spread.*field);
        }
    }
    return s;
}

} // namespace redifine
