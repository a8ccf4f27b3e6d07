#include "core/metrics/MetricSuite.h"

#include "core/common/Error.h"
#include "core/metrics/FeatureExtractor.h"
#include "core/metrics/FeatureMetrics.h"

#include <functional>

namespace redifine {

namespace {

NpyArray rowsOf(const NpyArray &a, const std::vector<int64_t> &indices)
{
    NpyArray out;
    out.shape = {int64_t(indices.size()), a.columns()};
    for (int64_t i : indices) {
        if (i < 0 || i >= a.rows())
            throw InputError("SFD: a pair refers to a reference row that does not exist");
        out.values.insert(out.values.end(), a.values.begin() + i * a.columns(), a.values.begin() + (i + 1) * a.columns());
    }
    return out;
}

} // namespace

QJsonObject featureMetricSuite(const NpyArray &reference, const NpyArray &current, const std::vector<int64_t> &referenceRowOfImage,
                               const NpyArray *textOfImage)
{
    QJsonObject result;
    QJsonObject skipped;
    const auto measure = [&](const QString &name, const std::function<void()> &compute) {
        try {
            compute();
        } catch (const InputError &error) {
            skipped.insert(name, QString::fromUtf8(error.what()));
        }
    };
    measure(QStringLiteral("fd"), [&] { result.insert(QStringLiteral("fd"), frechetDistance(current, reference).fd); });
    measure(QStringLiteral("fd_infinity"), [&] { result.insert(QStringLiteral("fd_infinity"), frechetDistanceInfinity(reference, current)); });
    measure(QStringLiteral("kid"), [&] { result.insert(QStringLiteral("kid"), kernelDistance(current, reference)); });
    measure(QStringLiteral("prdc"), [&] {
        const PrdcResult p = precisionRecallDensityCoverage(reference, current);
        result.insert(QStringLiteral("precision"), p.precision);
        result.insert(QStringLiteral("recall"), p.recall);
        result.insert(QStringLiteral("density"), p.density);
        result.insert(QStringLiteral("coverage"), p.coverage);
    });
    measure(QStringLiteral("vendi"), [&] { result.insert(QStringLiteral("vendi"), vendiScore(current)); });
    if (!referenceRowOfImage.empty())
        measure(QStringLiteral("sfd"), [&] {
            result.insert(QStringLiteral("sfd"), sampleFeatureDistance(current, rowsOf(reference, referenceRowOfImage)));
        });
    if (textOfImage)
        measure(QStringLiteral("clip_score"), [&] { result.insert(QStringLiteral("clip_score"), clipScore(current, *textOfImage)); });
    if (!skipped.isEmpty())
        result.insert(QStringLiteral("skipped"), skipped);
    return result;
}

} // namespace redifine
