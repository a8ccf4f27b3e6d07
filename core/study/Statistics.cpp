#include "core/study/Statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace redifine {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The continued fraction of the incomplete beta function (modified Lentz), converging fast for
// x < (a + 1) / (a + b + 2).
double betaContinuedFraction(double a, double b, double x)
{
    constexpr double tiny = 1e-300;
    constexpr double epsilon = 1e-16;
    const auto guard = [](double v) { return std::abs(v) < tiny ? tiny : v; };
    double c = 1.0;
    double d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
    double h = d;
    for (int m = 1; m <= 1000; ++m) {
        const double even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        const double odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        const double step = d * c;
        h *= step;
        if (std::abs(step - 1.0) < epsilon)
            break;
    }
    return h;
}

// The regularised incomplete beta function I_x(a, b), given x and y = 1 - x separately so that x close to 1
// (large df) keeps its precision.
double regularisedBeta(double a, double b, double x, double y)
{
    if (x <= 0.0)
        return 0.0;
    if (y <= 0.0)
        return 1.0;
    const double front = std::exp(a * std::log(x) + b * std::log(y) + std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b));
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * betaContinuedFraction(a, b, x) / a;
    return 1.0 - front * betaContinuedFraction(b, a, y) / b;
}

// P(T > t) for t >= 0.
double upperTail(double t, double df)
{
    const double t2 = t * t;
    return 0.5 * regularisedBeta(df / 2.0, 0.5, df / (df + t2), t2 / (df + t2));
}

double mean(const std::vector<double> &values)
{
    return std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
}

double sampleVariance(const std::vector<double> &values, double m)
{
    double sum = 0.0;
    for (double v : values)
        sum += (v - m) * (v - m);
    return sum / double(values.size() - 1);
}

} // namespace

double studentTCdf(double t, double df)
{
    if (!(df > 0.0) || std::isnan(t))
        return kNaN;
    return t >= 0.0 ? 1.0 - upperTail(t, df) : upperTail(-t, df);
}

double studentTQuantile(double p, double df)
{
    if (!(df > 0.0) || !(p > 0.0 && p < 1.0))
        return kNaN;
    if (p < 0.5)
        return -studentTQuantile(1.0 - p, df);
    if (p == 0.5)
        return 0.0;
    // Bisection on the upper tail, which falls monotonically in t: slow but exact to the last bits for every
    // df, including the small fractional ones Welch's formula gives.
    const double tail = 1.0 - p;
    double low = 0.0;
    double high = 1.0;
    while (upperTail(high, df) > tail && high < 1e300)
        high *= 2.0;
    for (int i = 0; i < 2000 && high - low > 1e-15 * high; ++i) {
        const double middle = 0.5 * (low + high);
        (upperTail(middle, df) > tail ? low : high) = middle;
    }
    return 0.5 * (low + high);
}

double median(std::vector<double> values)
{
    if (values.empty())
        return kNaN;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

SampleSummary summariseSample(const std::vector<double> &values, double level)
{
    SampleSummary s;
    s.n = int(values.size());
    if (s.n == 0) {
        s.mean = s.sd = s.low = s.high = kNaN;
        return s;
    }
    s.mean = mean(values);
    if (s.n < 2) {
        s.sd = s.low = s.high = kNaN;
        return s;
    }
    s.sd = std::sqrt(sampleVariance(values, s.mean));
    const double half = studentTQuantile(0.5 + level / 2.0, s.n - 1) * s.sd / std::sqrt(double(s.n));
    s.low = s.mean - half;
    s.high = s.mean + half;
    return s;
}

double welchDegreesOfFreedom(double varianceA, int nA, double varianceB, int nB)
{
    const double a = varianceA / nA;
    const double b = varianceB / nB;
    return (a + b) * (a + b) / (a * a / (nA - 1) + b * b / (nB - 1));
}

DifferenceInterval pairedDifference(const std::vector<double> &a, const std::vector<double> &b, double level)
{
    std::vector<double> differences;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i)
        differences.push_back(a[i] - b[i]);
    const SampleSummary s = summariseSample(differences, level);
    DifferenceInterval d;
    d.method = s.n >= 2 ? DifferenceMethod::Paired : DifferenceMethod::None;
    d.nA = d.nB = s.n;
    d.difference = s.mean;
    d.low = s.low;
    d.high = s.high;
    d.df = s.n >= 2 ? s.n - 1 : kNaN;
    return d;
}

DifferenceInterval welchDifference(const std::vector<double> &a, const std::vector<double> &b, double level)
{
    DifferenceInterval d;
    d.nA = int(a.size());
    d.nB = int(b.size());
    d.difference = a.empty() || b.empty() ? kNaN : mean(a) - mean(b);
    d.low = d.high = d.df = kNaN;
    if (d.nA < 2 || d.nB < 2)
        return d;
    d.method = DifferenceMethod::Welch;
    const double va = sampleVariance(a, mean(a));
    const double vb = sampleVariance(b, mean(b));
    const double se = std::sqrt(va / d.nA + vb / d.nB);
    if (se == 0.0) {   // both samples constant: the difference is known exactly
        d.low = d.high = d.difference;
        return d;
    }
    d.df = welchDegreesOfFreedom(va, d.nA, vb, d.nB);
    const double half = studentTQuantile(0.5 + level / 2.0, d.df) * se;
    d.low = d.difference - half;
    d.high = d.difference + half;
    return d;
}

} // namespace redifine
