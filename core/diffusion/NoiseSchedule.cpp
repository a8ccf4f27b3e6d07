#include "core/diffusion/NoiseSchedule.h"

#include "core/common/Error.h"

#include <algorithm>
#include <cmath>

namespace redifine {

QString spacingName(TimestepSpacing spacing)
{
    switch (spacing) {
    case TimestepSpacing::Linspace: return QStringLiteral("linspace");
    case TimestepSpacing::Leading: return QStringLiteral("leading");
    case TimestepSpacing::Trailing: return QStringLiteral("trailing");
    }
    return {};
}

TimestepSpacing parseSpacing(const QString &name, const QString &field)
{
    for (TimestepSpacing s : {TimestepSpacing::Linspace, TimestepSpacing::Leading, TimestepSpacing::Trailing})
        if (spacingName(s) == name)
            return s;
    throw InputError(QStringLiteral("%1: unknown timestep spacing \"%2\" (linspace, leading, trailing)")
                         .arg(field, name)
                         .toStdString());
}

QString samplerName(SamplerKind kind)
{
    switch (kind) {
    case SamplerKind::EulerAncestral: return QStringLiteral("euler_a");
    case SamplerKind::Euler: return QStringLiteral("euler");
    case SamplerKind::Ddim: return QStringLiteral("ddim");
    }
    return {};
}

SamplerKind parseSampler(const QString &name, const QString &field)
{
    for (SamplerKind s : {SamplerKind::EulerAncestral, SamplerKind::Euler, SamplerKind::Ddim})
        if (samplerName(s) == name)
            return s;
    throw InputError(QStringLiteral("%1: unknown sampler \"%2\" (euler_a, euler, ddim)").arg(field, name).toStdString());
}

NoiseSchedule NoiseSchedule::stableDiffusion()
{
    return NoiseSchedule(1000, 0.00085, 0.012);
}

NoiseSchedule::NoiseSchedule(int trainSteps, double betaStart, double betaEnd)
{
    if (trainSteps < 2)
        throw InputError("noise schedule: at least 2 training steps are needed");
    // The reference implementations hold betas and alphas_cumprod in float32, and Stable Diffusion was
    // trained with those values; rounding the same way keeps sigmas within 1e-5 of diffusers' (float64
    // throughout would differ by about 1.3e-5 at small t, where 1 - abar cancels).
    const double a = std::sqrt(betaStart);
    const double b = std::sqrt(betaEnd);
    float product = 1.0f;
    for (int i = 0; i < trainSteps; ++i) {
        const double root = a + (b - a) * i / (trainSteps - 1);
        const float beta = float(root * root);
        m_betas.push_back(beta);
        product *= 1.0f - beta;
        m_alphasCumprod.push_back(product);
    }
}

double NoiseSchedule::sigma(int t) const
{
    const double abar = m_alphasCumprod.at(size_t(t));
    return std::sqrt((1.0 - abar) / abar);
}

double NoiseSchedule::sigmaInterpolated(double t) const
{
    const double clamped = std::clamp(t, 0.0, double(trainSteps() - 1));
    const int low = int(std::floor(clamped));
    const int high = std::min(low + 1, trainSteps() - 1);
    const double w = clamped - low;
    return (1.0 - w) * sigma(low) + w * sigma(high);
}

double NoiseSchedule::snr(int t) const
{
    const double abar = m_alphasCumprod.at(size_t(t));
    return abar / (1.0 - abar);
}

double NoiseSchedule::minSnrWeight(int t, double gamma) const
{
    const double s = snr(t);
    return std::min(s, gamma) / s;
}

SamplingPlan planSampling(const NoiseSchedule &schedule, int steps, TimestepSpacing spacing, SamplerKind sampler,
                          int stepsOffset)
{
    const int n = schedule.trainSteps();
    if (steps < 1 || steps > n)
        throw InputError(QStringLiteral("sampler.steps: must be between 1 and %1, got %2").arg(n).arg(steps).toStdString());
    SamplingPlan plan;
    switch (spacing) {
    case TimestepSpacing::Linspace:
        for (int i = steps - 1; i >= 0; --i)
            plan.timesteps.push_back(steps == 1 ? 0.0 : double(n - 1) * i / (steps - 1));
        break;
    case TimestepSpacing::Leading: {
        const int ratio = n / steps;
        for (int i = steps - 1; i >= 0; --i)
            plan.timesteps.push_back(double(i * ratio + stepsOffset));
        break;
    }
    case TimestepSpacing::Trailing: {
        const double ratio = double(n) / steps;
        // NumPy rounds half to even; nearbyint in the default rounding mode does the same.
        for (int i = 0; i < steps; ++i)
            plan.timesteps.push_back(std::nearbyint(n - i * ratio) - 1.0);
        break;
    }
    }
    for (double t : plan.timesteps)
        plan.sigmas.push_back(schedule.sigmaInterpolated(t));
    plan.sigmas.push_back(sampler == SamplerKind::Ddim ? schedule.sigma(0) : 0.0);
    const double sigmaMax = *std::max_element(plan.sigmas.begin(), plan.sigmas.end());
    plan.initNoiseSigma = spacing == TimestepSpacing::Leading ? std::sqrt(sigmaMax * sigmaMax + 1.0) : sigmaMax;
    return plan;
}

} // namespace redifine
