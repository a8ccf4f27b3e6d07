#include "core/analysis/AnalysisJson.h"

namespace redifine {

QJsonArray jsonArray(const std::vector<double> &values)
{
    QJsonArray array;
    for (double v : values)
        array.append(v);
    return array;
}

std::vector<double> doublesOf(const QJsonArray &array)
{
    std::vector<double> values;
    values.reserve(size_t(array.size()));
    for (const QJsonValue &v : array)
        values.push_back(v.toDouble());
    return values;
}

QJsonObject spectrumJson(const PowerSpectrum &p)
{
    QJsonArray counts;
    for (int c : p.radialCount)
        counts.append(c);
    return QJsonObject{
        {QStringLiteral("images"), p.images},
        {QStringLiteral("height"), p.height},
        {QStringLiteral("width"), p.width},
        {QStringLiteral("radial"), QJsonObject{{QStringLiteral("frequency"), jsonArray(p.radialFrequency)},
                                               {QStringLiteral("count"), counts},
                                               {QStringLiteral("mean"), jsonArray(p.radialMean)},
                                               {QStringLiteral("spread"), jsonArray(p.radialSpread)}}},
        {QStringLiteral("angular"), QJsonObject{{QStringLiteral("centre"), jsonArray(p.angularCentre)},
                                                {QStringLiteral("mean"), jsonArray(p.angularMean)},
                                                {QStringLiteral("spread"), jsonArray(p.angularSpread)}}},
    };
}

QJsonObject histogramJson(const Histogram &h)
{
    return QJsonObject{{QStringLiteral("edges"), jsonArray(h.edges)},
                       {QStringLiteral("density"), jsonArray(h.density)},
                       {QStringLiteral("below"), qint64(h.below)},
                       {QStringLiteral("above"), qint64(h.above)},
                       {QStringLiteral("total"), qint64(h.total)}};
}

QJsonObject pixelIndicatorsJson(const PixelIndicatorSummary &s)
{
    const auto entry = [](double mean, double spread) {
        return QJsonObject{{QStringLiteral("mean"), mean}, {QStringLiteral("spread"), spread}};
    };
    return QJsonObject{
        {QStringLiteral("colourfulness"), entry(s.mean.colourfulness, s.spread.colourfulness)},
        {QStringLiteral("saturation"), entry(s.mean.saturation, s.spread.saturation)},
        {QStringLiteral("clipped_share"), entry(s.mean.clippedShare, s.spread.clippedShare)},
        {QStringLiteral("sharpness"), entry(s.mean.sharpness, s.spread.sharpness)},
        {QStringLiteral("high_frequency_ratio"), entry(s.mean.highFrequencyRatio, s.spread.highFrequencyRatio)},
    };
}

} // namespace redifine
