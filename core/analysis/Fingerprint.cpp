#include "core/analysis/Fingerprint.h"

#include <opencv2/imgproc.hpp>

namespace redifine {

void noiseResidual(const double *in, double *out, int height, int width)
{
    const size_t size = size_t(height) * size_t(width);
    cv::Mat plane(height, width, CV_32F), median;
    for (size_t i = 0; i < size; ++i)
        plane.ptr<float>()[i] = float(in[i]);
    cv::medianBlur(plane, median, 3);
    for (size_t i = 0; i < size; ++i)
        out[i] = in[i] - double(median.ptr<float>()[i]);
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
