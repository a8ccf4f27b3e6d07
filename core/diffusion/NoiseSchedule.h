#pragma once

#include <QString>

#include <vector>

namespace redifine {

// How the sampling timesteps are spread over the training schedule (diffusers' timestep_spacing).
enum class TimestepSpacing { Linspace, Leading, Trailing };
// Samplers users compare; Euler ancestral is the paper's (kohya's default during training).
enum class SamplerKind { EulerAncestral, Euler, Ddim };

QString spacingName(TimestepSpacing spacing);
TimestepSpacing parseSpacing(const QString &name, const QString &field);   // throws InputError
QString samplerName(SamplerKind kind);
SamplerKind parseSampler(const QString &name, const QString &field);       // throws InputError

// The DDPM training schedule of Stable Diffusion, in float64: 1000 steps,
// betas = linspace(sqrt(0.00085), sqrt(0.012), 1000)^2, eps-prediction.
class NoiseSchedule
{
public:
    static NoiseSchedule stableDiffusion();
    NoiseSchedule(int trainSteps, double betaStart, double betaEnd);

    int trainSteps() const { return int(m_betas.size()); }
    const std::vector<double> &betas() const { return m_betas; }
    const std::vector<double> &alphasCumprod() const { return m_alphasCumprod; }
    double sigma(int t) const;                    // sqrt((1 - abar_t) / abar_t)
    double sigmaInterpolated(double t) const;     // linear in sigma between integer timesteps
    double snr(int t) const;                      // abar / (1 - abar)
    // Min-SNR-gamma loss weight for eps-prediction: min(snr, gamma) / snr.
    double minSnrWeight(int t, double gamma) const;

private:
    std::vector<double> m_betas;
    std::vector<double> m_alphasCumprod;
};

// The timesteps a sampler visits and their sigmas (one more than timesteps: the final sigma).
struct SamplingPlan
{
    std::vector<double> timesteps;
    std::vector<double> sigmas;
    double initNoiseSigma = 1.0;   // initial latents = N(0, 1) * initNoiseSigma
};

// As diffusers' EulerAncestralDiscreteScheduler.set_timesteps: "linspace" = linspace(0, N-1, n) reversed;
// "leading" = arange(n) * (N // n) reversed + stepsOffset; "trailing" = round(arange(N, 0, -N/n)) - 1.
// Euler and Euler ancestral end at sigma 0; DDIM ends at sigma(0) (SD's set_alpha_to_one = false).
// initNoiseSigma is sigma_max for linspace/trailing and sqrt(sigma_max^2 + 1) for leading (diffusers).
SamplingPlan planSampling(const NoiseSchedule &schedule, int steps, TimestepSpacing spacing,
                          SamplerKind sampler = SamplerKind::EulerAncestral, int stepsOffset = 1);

} // namespace redifine
