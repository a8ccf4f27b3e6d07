#include "core/analysis/Fingerprint.h"

#include <ATen/Parallel.h>
#include <opencv2/imgproc.hpp>

namespace redifine {

PlaneStack noiseResiduals(const PlaneStack &slice)
{
    PlaneStack residuals = slice;
    at::parallel_for(0, int64_t(slice.count) * slice.channels, 1, [&](int64_t begin, int64_t end) {
        cv::Mat plane(slice.height, slice.width, CV_32F), median;
        for (int64_t p = begin; p < end; ++p) {
            const int n = int(p / slice.channels), c = int(p % slice.channels);
            const double *in = slice.plane(n, c);
            for (size_t i = 0; i < slice.planeSize(); ++i)
                plane.ptr<float>()[i] = float(in[i]);
            cv::medianBlur(plane, median, 3);
            double *out = residuals.plane(n, c);
            for (size_t i = 0; i < slice.planeSize(); ++i)
                out[i] = in[i] - double(median.ptr<float>()[i]);
        }
    });
    return residuals;
}

Fingerprint FingerprintAnalysis::result() const
{
    const std::vector<double> power = m_power.result();
    Fingerprint f;
    f.height = m_power.height();
    f.width = m_power.width();
    f.images = m_power.images();
    f.autocorrelation = autocorrelationOfPower(power, f.height, f.width);
    double mean = 0.0;
    for (double v : power)
        mean += v / double(power.size());
    f.powerSpectrum = fftShift(power, f.height, f.width);
    if (mean > 0.0)
        for (double &v : f.powerSpectrum)
            v /= mean;
    return f;
}

std::vector<double> cropCentre(const std::vector<double> &values, int height, int width, int radius, int *side)
{
    const int r = std::min({radius, height / 2, height - 1 - height / 2, width / 2, width - 1 - width / 2});
    const int n = 2 * r + 1;
    std::vector<double> crop;
    crop.reserve(size_t(n) * n);
    for (int y = height / 2 - r; y <= height / 2 + r; ++y)
        for (int x = width / 2 - r; x <= width / 2 + r; ++x)
            crop.push_back(values[size_t(y) * width + x]);
    if (side)
        *side = n;
    return crop;
}

} // namespace redifine
