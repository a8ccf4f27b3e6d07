#include "core/diffusion/CfgSchedule.h"

#include "core/common/Error.h"
#include "core/common/Json.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace redifine {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Far beyond any scale in use (the paper's largest is 10; A1111's slider stops at 30), and small enough that a
// guided prediction stays finite in float32.
constexpr double kMaxScale = 1e4;

void requireScale(double value, const QString &field)
{
    if (!std::isfinite(value) || value < 0.0 || value > kMaxScale)
        throw InputError(QStringLiteral("%1: guidance scale must lie in [0, %2], got %3")
                             .arg(field)
                             .arg(kMaxScale)
                             .arg(value)
                             .toStdString());
}

void requireFinite(double value, const QString &field)
{
    if (!std::isfinite(value))
        throw InputError(QStringLiteral("%1: must be a finite number").arg(field).toStdString());
}

} // namespace

CfgSchedule CfgSchedule::constant(double scale)
{
    requireScale(scale, QStringLiteral("cfg.scale"));
    CfgSchedule s;
    s.m_kind = Kind::Constant;
    s.m_a = scale;
    return s;
}

CfgSchedule CfgSchedule::exponential(double s0, double alpha)
{
    requireScale(s0, QStringLiteral("cfg.s0"));
    requireFinite(alpha, QStringLiteral("cfg.alpha"));
    // A negative alpha makes guidance grow; its last step's scale, s0 exp(-alpha), must be a scale too.
    if (alpha < 0.0 && !(s0 * std::exp(-alpha) <= kMaxScale))
        throw InputError(QStringLiteral("cfg.alpha: %1 makes the guidance grow to s0 exp(-alpha) = %2 by the last step, beyond %3")
                             .arg(alpha)
                             .arg(s0 * std::exp(-alpha))
                             .arg(kMaxScale)
                             .toStdString());
    CfgSchedule s;
    s.m_kind = Kind::Exponential;
    s.m_a = s0;
    s.m_b = alpha;
    return s;
}

CfgSchedule CfgSchedule::linear(double start, double end)
{
    requireScale(start, QStringLiteral("cfg.start"));
    requireScale(end, QStringLiteral("cfg.end"));
    CfgSchedule s;
    s.m_kind = Kind::Linear;
    s.m_a = start;
    s.m_b = end;
    return s;
}

CfgSchedule CfgSchedule::cosine(double start, double end)
{
    CfgSchedule s = linear(start, end);
    s.m_kind = Kind::Cosine;
    return s;
}

CfgSchedule CfgSchedule::piecewise(std::vector<CfgControlPoint> points)
{
    if (points.empty())
        throw InputError("cfg.points: at least one control point is needed");
    for (size_t i = 0; i < points.size(); ++i) {
        const QString field = QStringLiteral("cfg.points[%1]").arg(i);
        if (!std::isfinite(points[i].progress) || points[i].progress < 0.0 || points[i].progress > 1.0)
            throw InputError((field + QStringLiteral(".progress: must lie in [0, 1]")).toStdString());
        requireScale(points[i].scale, field + QStringLiteral(".scale"));
    }
    std::stable_sort(points.begin(), points.end(),
                     [](const CfgControlPoint &a, const CfgControlPoint &b) { return a.progress < b.progress; });
    CfgSchedule s;
    s.m_kind = Kind::Piecewise;
    s.m_points = std::move(points);
    return s;
}

double CfgSchedule::scaleAtProgress(double u) const
{
    switch (m_kind) {
    case Kind::Constant:
        return m_a;
    case Kind::Exponential:
        return m_a * std::exp(-m_b * u);
    case Kind::Linear:
        return m_a + (m_b - m_a) * u;
    case Kind::Cosine:
        return m_b + (m_a - m_b) * (1.0 + std::cos(kPi * u)) / 2.0;
    case Kind::Piecewise: {
        if (u <= m_points.front().progress)
            return m_points.front().scale;
        if (u >= m_points.back().progress)
            return m_points.back().scale;
        const auto upper = std::upper_bound(m_points.begin(), m_points.end(), u,
                                            [](double value, const CfgControlPoint &p) { return value < p.progress; });
        const CfgControlPoint &b = *upper;
        const CfgControlPoint &a = *(upper - 1);
        const double span = b.progress - a.progress;
        if (span <= 0.0)
            return b.scale;
        return a.scale + (b.scale - a.scale) * (u - a.progress) / span;
    }
    }
    return m_a;
}

double CfgSchedule::scaleAt(int step, int totalSteps) const
{
    if (totalSteps <= 0)
        throw InputError("steps: must be at least 1");
    return scaleAtProgress(double(step) / double(totalSteps));
}

std::vector<double> CfgSchedule::values(int totalSteps) const
{
    std::vector<double> result;
    result.reserve(std::max(totalSteps, 0));
    for (int t = 0; t < totalSteps; ++t)
        result.push_back(scaleAt(t, totalSteps));
    return result;
}

CfgSchedule CfgSchedule::toPiecewise(int totalSteps) const
{
    if (m_kind == Kind::Piecewise)
        return *this;
    std::vector<CfgControlPoint> points;
    for (int t = 0; t < totalSteps; ++t)
        points.push_back({double(t) / totalSteps, scaleAt(t, totalSteps)});
    return piecewise(std::move(points));
}

QString CfgSchedule::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Constant: return QStringLiteral("constant");
    case Kind::Exponential: return QStringLiteral("exponential");
    case Kind::Linear: return QStringLiteral("linear");
    case Kind::Cosine: return QStringLiteral("cosine");
    case Kind::Piecewise: return QStringLiteral("piecewise");
    }
    return {};
}

QString CfgSchedule::describe() const
{
    switch (m_kind) {
    case Kind::Constant: return QStringLiteral("constant %1").arg(m_a);
    case Kind::Exponential: return QStringLiteral("exponential s0=%1 alpha=%2").arg(m_a).arg(m_b);
    case Kind::Linear: return QStringLiteral("linear %1 to %2").arg(m_a).arg(m_b);
    case Kind::Cosine: return QStringLiteral("cosine %1 to %2").arg(m_a).arg(m_b);
    case Kind::Piecewise: return QStringLiteral("piecewise, %1 points").arg(m_points.size());
    }
    return {};
}

QJsonObject CfgSchedule::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("type"), kindName(m_kind));
    switch (m_kind) {
    case Kind::Constant:
        o.insert(QStringLiteral("scale"), m_a);
        break;
    case Kind::Exponential:
        o.insert(QStringLiteral("s0"), m_a);
        o.insert(QStringLiteral("alpha"), m_b);
        break;
    case Kind::Linear:
    case Kind::Cosine:
        o.insert(QStringLiteral("start"), m_a);
        o.insert(QStringLiteral("end"), m_b);
        break;
    case Kind::Piecewise: {
        QJsonArray points;
        for (const CfgControlPoint &p : m_points)
            points.append(QJsonArray{p.progress, p.scale});
        o.insert(QStringLiteral("points"), points);
        break;
    }
    }
    return o;
}

CfgSchedule CfgSchedule::fromJson(const QJsonObject &o, const QString &context)
{
    const QString type = json::requireString(o, QStringLiteral("type"), context);
    try {
        if (type == QLatin1String("constant"))
            return constant(json::requireNumber(o, QStringLiteral("scale"), context));
        if (type == QLatin1String("exponential"))
            return exponential(json::requireNumber(o, QStringLiteral("s0"), context),
                               json::requireNumber(o, QStringLiteral("alpha"), context));
        if (type == QLatin1String("linear") || type == QLatin1String("cosine")) {
            const double start = json::requireNumber(o, QStringLiteral("start"), context);
            const double end = json::requireNumber(o, QStringLiteral("end"), context);
            return type == QLatin1String("linear") ? linear(start, end) : cosine(start, end);
        }
        if (type == QLatin1String("piecewise")) {
            std::vector<CfgControlPoint> points;
            const QJsonArray array = json::requireArray(o, QStringLiteral("points"), context);
            for (qsizetype i = 0; i < array.size(); ++i) {
                const QJsonArray pair = array.at(i).toArray();
                if (pair.size() != 2 || !pair.at(0).isDouble() || !pair.at(1).isDouble())
                    throw InputError(QStringLiteral("%1.points[%2]: expected [progress, scale]")
                                         .arg(context)
                                         .arg(i)
                                         .toStdString());
                points.push_back({pair.at(0).toDouble(), pair.at(1).toDouble()});
            }
            return piecewise(std::move(points));
        }
    } catch (const InputError &error) {
        // The factories name fields "cfg.<x>"; re-anchor them at the caller's context.
        QString message = QString::fromStdString(error.what());
        if (message.startsWith(QLatin1String("cfg.")) || message.startsWith(QLatin1String("cfg:")))
            message.replace(0, 3, context);
        throw InputError(message.toStdString());
    }
    throw InputError(QStringLiteral("%1.type: unknown schedule \"%2\" (expected constant, exponential, linear, "
                                    "cosine or piecewise)")
                         .arg(context, type)
                         .toStdString());
}

bool CfgSchedule::operator==(const CfgSchedule &other) const
{
    return m_kind == other.m_kind && m_a == other.m_a && m_b == other.m_b && m_points == other.m_points;
}

} // namespace redifine
