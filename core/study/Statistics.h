#pragma once

#include <vector>

namespace redifine {

// Small-sample statistics for studies over seeds: Student t intervals of a mean, of a paired difference and of
// a difference of two means with unequal variances (Welch). Every interval is two-sided at `level`.

// The Student t distribution with `df` > 0 degrees of freedom (any real df: Welch's are fractional).
double studentTCdf(double t, double df);
double studentTQuantile(double p, double df);   // p in (0, 1)

// Mean, standard deviation (n - 1) and the t interval of the mean; sd and the interval are NaN below n = 2.
struct SampleSummary
{
    int n = 0;
    double mean = 0.0;
    double sd = 0.0;
    double low = 0.0;
    double high = 0.0;
};
SampleSummary summariseSample(const std::vector<double> &values, double level = 0.95);
// The middle value (the mean of the two middle ones for an even count); NaN for none.
double median(std::vector<double> values);

// Welch-Satterthwaite degrees of freedom of (mean a - mean b) from the two sample variances and sizes.
double welchDegreesOfFreedom(double varianceA, int nA, double varianceB, int nB);

enum class DifferenceMethod { Paired, Welch, None };

// mean(a) - mean(b) with its interval. Paired: a[i] and b[i] belong together (the same seed); the t interval
// of the n differences, df = n - 1. Welch: independent samples, df from welchDegreesOfFreedom. None: too few
// values for an interval (the bounds and df are NaN).
struct DifferenceInterval
{
    DifferenceMethod method = DifferenceMethod::None;
    int nA = 0;
    int nB = 0;
    double difference = 0.0;
    double low = 0.0;
    double high = 0.0;
    double df = 0.0;
};
DifferenceInterval pairedDifference(const std::vector<double> &a, const std::vector<double> &b, double level = 0.95);
DifferenceInterval welchDifference(const std::vector<double> &a, const std::vector<double> &b, double level = 0.95);

} // namespace redifine
