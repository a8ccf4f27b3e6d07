#pragma once

#include "core/io/Npy.h"

namespace redifine {

// Metrics between two sets of image features (one row per image), computed in double precision.
// Every function throws InputError for an empty set, a set too small for the metric, mismatched widths
// or non-finite values, so a NaN is never presented as a result.

struct FrechetResult
{
    double fd = 0.0;
    double traceSqrt = 0.0;            // tr sqrt(S1 S2) via sqrt(S1) S2 sqrt(S1) (symmetric, stable)
    double traceSqrtEigenvalues = 0.0; // the same from the eigenvalues of S1 S2 (dgm-eval's form), as a check
};

// |mu1 - mu2|^2 + tr S1 + tr S2 - 2 tr sqrt(S1 S2), covariances with N - 1.
FrechetResult frechetDistance(const NpyArray &a, const NpyArray &b);

// FD-infinity (Chong and Forsyth 2020): FD of random subsets of `current` at `points` sizes evenly spaced from
// n/2 to n (`repeats` subsets each, averaged), against all of `reference`, fitted linearly in 1/N; the
// intercept estimates the FD of an infinite sample, without FD's small-sample bias. It is itself noisy for
// small sets. Needs at least 10 rows in `current`.
double frechetDistanceInfinity(const NpyArray &reference, const NpyArray &current, int points = 8, int repeats = 4, uint64_t seed = 0);

// Kernel Inception Distance: unbiased MMD^2 with the kernel (x.y / d + 1)^3, averaged over `subsets`
// random subsets of min(subsetSize, |a|, |b|) rows, seeded.
double kernelDistance(const NpyArray &a, const NpyArray &b, int subsets = 100, int subsetSize = 1000, uint64_t seed = 0);

struct PrdcResult
{
    double precision = 0.0;
    double recall = 0.0;
    double density = 0.0;
    double coverage = 0.0;
};

// Precision, recall, density and coverage (Naeem et al. 2020) with k nearest neighbours, Euclidean; the
// radius of a point is the distance to its k-th neighbour in its own set, itself excluded.
PrdcResult precisionRecallDensityCoverage(const NpyArray &real, const NpyArray &fake, int k = 5);

// Vendi score: exp of the Shannon entropy of the eigenvalues of K = X X^T / n, rows L2-normalised.
double vendiScore(const NpyArray &features);

// SFD (paper Eq. 3): the mean Euclidean distance between row i of `a` and row i of `b` (paired by prompt).
double sampleFeatureDistance(const NpyArray &a, const NpyArray &b);

} // namespace redifine
