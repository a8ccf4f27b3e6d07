#include "core/metrics/FeatureMetrics.h"

#include "core/common/Error.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

namespace redifine {

namespace {

at::Tensor toTensor(const NpyArray &array, const char *name, int minimumRows)
{
    if (array.shape.size() != 2)
        throw InputError(std::string(name) + ": features must be a 2-D matrix (one row per image)");
    if (array.rows() < minimumRows)
        throw InputError(std::string(name) + ": needs at least " + std::to_string(minimumRows) + " rows, has "
                         + std::to_string(array.rows()));
    if (array.columns() < 1)
        throw InputError(std::string(name) + ": has no feature columns (width 0): there is nothing to compare");
    at::Tensor t = at::tensor(at::ArrayRef<double>(array.values), at::kDouble).view({array.rows(), array.columns()});
    if (!at::isfinite(t).all().item<bool>())
        throw InputError(std::string(name) + ": contains NaN or infinite values");
    return t;
}

void sameWidth(const at::Tensor &a, const at::Tensor &b)
{
    if (a.size(1) != b.size(1))
        throw InputError("features: the two sets have different widths (" + std::to_string(a.size(1)) + " and "
                         + std::to_string(b.size(1)) + ")");
}

at::Tensor covariance(const at::Tensor &x)
{
    const at::Tensor centred = x - x.mean(0, true);
    return at::matmul(centred.t(), centred) / double(x.size(0) - 1);
}

double checked(double value, const char *what)
{
    if (!std::isfinite(value))
        throw RuntimeError(std::string(what) + ": the computation did not give a finite number");
    return value;
}

} // namespace

FrechetResult frechetDistance(const NpyArray &aArray, const NpyArray &bArray)
{
    const at::Tensor a = toTensor(aArray, "features A", 2);
    const at::Tensor b = toTensor(bArray, "features B", 2);
    sameWidth(a, b);
    const int64_t n1 = a.size(0), n2 = b.size(0), d = a.size(1);
    const double meanTerm = (a.mean(0) - b.mean(0)).pow(2).sum().item<double>();
    FrechetResult r;
    if (std::min(n1, n2) < d) {
        // Fewer images than feature dimensions (5 x 2000): with A, B the centred sets, the nonzero eigenvalues of
        // S1 S2 are those of C C^T, C = A B^T / sqrt((n1 - 1)(n2 - 1)), so tr sqrt(S1 S2) is C's nuclear norm,
        // and no d x d matrix is ever formed. The check takes the eigenvalues of the small Gram matrix instead.
        const at::Tensor ca = a - a.mean(0, true), cb = b - b.mean(0, true);
        const at::Tensor c = at::matmul(ca, cb.t()) / std::sqrt(double(n1 - 1) * double(n2 - 1));
        r.traceSqrt = at::linalg_svdvals(c).sum().item<double>();
        const at::Tensor gram = n1 <= n2 ? at::matmul(c, c.t()) : at::matmul(c.t(), c);
        r.traceSqrtEigenvalues = at::linalg_eigvalsh(gram).clamp_min(0).sqrt().sum().item<double>();
        const double traces = ca.pow(2).sum().item<double>() / double(n1 - 1) + cb.pow(2).sum().item<double>() / double(n2 - 1);
        r.fd = checked(meanTerm + traces - 2.0 * r.traceSqrt, "FD");
    } else {
        const at::Tensor s1 = covariance(a);
        const at::Tensor s2 = covariance(b);
        // sqrt(S1) from its symmetric eigendecomposition, then the eigenvalues of the symmetric A S2 A.
        const auto [w, v] = at::linalg_eigh(s1);
        const at::Tensor root = at::matmul(v * w.clamp_min(0).sqrt().unsqueeze(0), v.t());
        at::Tensor m = at::matmul(at::matmul(root, s2), root);
        m = (m + m.t()) / 2;
        r.traceSqrt = at::linalg_eigvalsh(m).clamp_min(0).sqrt().sum().item<double>();
        const at::Tensor eig = at::linalg_eigvals(at::matmul(s1, s2));
        r.traceSqrtEigenvalues = at::real(eig).clamp_min(0).sqrt().sum().item<double>();
        r.fd = checked(meanTerm + s1.trace().item<double>() + s2.trace().item<double>() - 2.0 * r.traceSqrt, "FD");
    }
    // Tiny negative values come from rounding when the sets are equal.
    r.fd = std::max(0.0, r.fd);
    return r;
}

double frechetDistanceInfinity(const NpyArray &reference, const NpyArray &current, int points, int repeats, uint64_t seed)
{
    const int64_t n = current.rows();
    if (n < 10 || points < 2 || repeats < 1)
        throw InputError("FD-infinity: needs at least 10 images, 2 subset sizes and 1 repeat");
    // The bias is linear in 1/N only well above the feature width; the smallest subset stays at half the set.
    const int64_t smallest = std::max<int64_t>(5, n / 2);
    const int64_t width = current.columns();
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed);
    std::vector<double> inverseSizes, distances;
    for (int i = 0; i < points; ++i) {
        const int64_t size = smallest + (n - smallest) * i / (points - 1);
        // Several subsets per size: one would leave the fitted slope at the mercy of a single draw.
        double sum = 0.0;
        for (int repeat = 0; repeat < repeats; ++repeat) {
            const at::Tensor order = at::randperm(n, g, at::kLong);
            NpyArray subset;
            subset.shape = {size, width};
            for (int64_t r = 0; r < size; ++r) {
                const int64_t row = order[r].item<int64_t>();
                subset.values.insert(subset.values.end(), current.values.begin() + row * width, current.values.begin() + (row + 1) * width);
            }
            sum += frechetDistance(reference, subset).fd;
        }
        inverseSizes.push_back(1.0 / double(size));
        distances.push_back(sum / repeats);
    }
    // Least squares FD = a + b / N; FD-infinity is a.
    double mx = 0.0, my = 0.0;
    for (int i = 0; i < points; ++i) {
        mx += inverseSizes[i] / points;
        my += distances[i] / points;
    }
    double sxy = 0.0, sxx = 0.0;
    for (int i = 0; i < points; ++i) {
        sxy += (inverseSizes[i] - mx) * (distances[i] - my);
        sxx += (inverseSizes[i] - mx) * (inverseSizes[i] - mx);
    }
    return checked(sxx > 0.0 ? my - sxy / sxx * mx : my, "FD-infinity");
}

double kernelDistance(const NpyArray &aArray, const NpyArray &bArray, int subsets, int subsetSize, uint64_t seed)
{
    const at::Tensor a = toTensor(aArray, "features A", 2);
    const at::Tensor b = toTensor(bArray, "features B", 2);
    sameWidth(a, b);
    const int64_t m = std::min<int64_t>({subsetSize, a.size(0), b.size(0)});
    const double d = double(a.size(1));
    at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed);
    double total = 0.0;
    for (int s = 0; s < subsets; ++s) {
        const at::Tensor x = a.index_select(0, at::randperm(a.size(0), g, at::kLong).slice(0, 0, m));
        const at::Tensor y = b.index_select(0, at::randperm(b.size(0), g, at::kLong).slice(0, 0, m));
        const at::Tensor kxx = (at::matmul(x, x.t()) / d + 1).pow(3);
        const at::Tensor kyy = (at::matmul(y, y.t()) / d + 1).pow(3);
        const at::Tensor kxy = (at::matmul(x, y.t()) / d + 1).pow(3);
        const double pairs = double(m) * double(m - 1);
        total += (kxx.sum() - kxx.trace()).item<double>() / pairs + (kyy.sum() - kyy.trace()).item<double>() / pairs
                 - 2.0 * kxy.sum().item<double>() / (double(m) * double(m));
    }
    return checked(total / subsets, "KID");
}

PrdcResult precisionRecallDensityCoverage(const NpyArray &realArray, const NpyArray &fakeArray, int k)
{
    if (k < 1)
        throw InputError("prdc: k must be at least 1");
    const at::Tensor real = toTensor(realArray, "real features", k + 1);
    const at::Tensor fake = toTensor(fakeArray, "generated features", k + 1);
    sameWidth(real, fake);
    // The k-th neighbour of each point in its own set; index 0 of the sorted row is the point itself.
    const auto radii = [k](const at::Tensor &x) { return std::get<0>(at::cdist(x, x).sort(1)).select(1, k); };
    const at::Tensor realRadii = radii(real);
    const at::Tensor fakeRadii = radii(fake);
    const at::Tensor distance = at::cdist(real, fake);   // [real, fake]
    const at::Tensor inRealBall = distance <= realRadii.unsqueeze(1);
    PrdcResult r;
    r.precision = inRealBall.any(0).to(at::kDouble).mean().item<double>();
    r.recall = (distance <= fakeRadii.unsqueeze(0)).any(1).to(at::kDouble).mean().item<double>();
    r.density = inRealBall.to(at::kDouble).sum(0).mean().item<double>() / double(k);
    r.coverage = (std::get<0>(distance.min(1)) <= realRadii).to(at::kDouble).mean().item<double>();
    return r;
}

double vendiScore(const NpyArray &array)
{
    const at::Tensor x = toTensor(array, "features", 1);
    const at::Tensor norms = x.norm(2, {1}, true);
    if ((norms == 0).any().item<bool>())
        throw InputError("features: a row is all zeros and has no direction");
    const at::Tensor unit = x / norms;
    const at::Tensor eig = at::linalg_eigvalsh(at::matmul(unit, unit.t()) / double(x.size(0))).clamp_min(0);
    const at::Tensor positive = eig.masked_select(eig > 1e-15);
    return checked(std::exp(-(positive * positive.log()).sum().item<double>()), "Vendi score");
}

double sampleFeatureDistance(const NpyArray &aArray, const NpyArray &bArray)
{
    const at::Tensor a = toTensor(aArray, "features A", 1);
    const at::Tensor b = toTensor(bArray, "features B", 1);
    sameWidth(a, b);
    if (a.size(0) != b.size(0))
        throw InputError("SFD: the two sets must pair row by row (same number of images)");
    return checked((a - b).norm(2, {1}).mean().item<double>(), "SFD");
}

} // namespace redifine
