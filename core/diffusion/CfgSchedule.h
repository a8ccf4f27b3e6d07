#pragma once

#include <QJsonObject>
#include <QString>

#include <vector>

namespace redifine {

// A point of a piecewise-linear CFG schedule: progress u = t / T in [0, 1] and the guidance scale there.
struct CfgControlPoint
{
    double progress = 0.0;
    double scale = 0.0;
    bool operator==(const CfgControlPoint &other) const
    {
        return progress == other.progress && scale == other.scale;
    }
};

// The classifier-free guidance scale s_t at each denoising step t = 0 .. T-1 (T = number of steps).
// Every shape is a function of the progress u = t / T, the paper's parameterisation (Eq. 6):
//   constant     s
//   exponential  s0 * exp(-alpha * u)                 (ReDiFine: s0 = 7.5, alpha = 2)
//   linear       start + (end - start) * u
//   cosine       end + (start - end) * (1 + cos(pi u)) / 2
//   piecewise    linear interpolation through control points, held flat outside them
class CfgSchedule
{
public:
    enum class Kind { Constant, Exponential, Linear, Cosine, Piecewise };

    static CfgSchedule constant(double scale);
    static CfgSchedule exponential(double s0, double alpha);
    static CfgSchedule linear(double start, double end);
    static CfgSchedule cosine(double start, double end);
    // Points are sorted by progress; at least one is needed. Throws InputError when invalid.
    static CfgSchedule piecewise(std::vector<CfgControlPoint> points);

    Kind kind() const { return m_kind; }
    double scaleAt(int step, int totalSteps) const;
    double scaleAtProgress(double progress) const;
    std::vector<double> values(int totalSteps) const;

    const std::vector<CfgControlPoint> &points() const { return m_points; }

    // The same schedule as a piecewise-linear one sampled at totalSteps steps: the editor's starting shape.
    CfgSchedule toPiecewise(int totalSteps) const;

    QJsonObject toJson() const;
    // Throws InputError naming "<context>.<field>" on a missing, mistyped or out-of-range field.
    static CfgSchedule fromJson(const QJsonObject &object, const QString &context = QStringLiteral("cfg"));

    static QString kindName(Kind kind);
    QString describe() const;   // "exponential s0=7.5 alpha=2", for labels and legends

    bool operator==(const CfgSchedule &other) const;

private:
    CfgSchedule() = default;
    Kind m_kind = Kind::Constant;
    double m_a = 0.0;   // scale, s0 or start
    double m_b = 0.0;   // alpha or end
    std::vector<CfgControlPoint> m_points;
};

} // namespace redifine
