// The noise schedule, timestep spacings and min-SNR weights against diffusers' and kohya's golden values.
#include "../TestHelpers_p.h"
#include "core/common/Error.h"
#include "core/diffusion/NoiseSchedule.h"
#include "core/io/TensorIo_p.h"

#include <QTest>

using namespace redifine;

class TestNoiseSchedule : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void trainingScheduleMatchesGolden();
    void spacingsMatchGolden_data();
    void spacingsMatchGolden();
    void leadingTimestepsAreThePapers();
    void minSnrWeightsMatchKohya_data();
    void minSnrWeightsMatchKohya();
    void trailingRoundsHalfToEven();
    void ddimEndsAtSigmaZeroOfTraining();
    void badStepsAreRejected();
};

void TestNoiseSchedule::trainingScheduleMatchesGolden()
{
    const SafetensorsReader golden(REDIFINE_GOLDEN("scheduler_euler_a_schedules.safetensors"));
    const NoiseSchedule schedule = NoiseSchedule::stableDiffusion();
    QCOMPARE(schedule.trainSteps(), 1000);
    QVERIFY(test::maxRelativeError(test::fromVector(schedule.betas()), golden.tensor("train.betas")) < 1e-5);
    QVERIFY(test::maxRelativeError(test::fromVector(schedule.alphasCumprod()), golden.tensor("train.alphas_cumprod")) < 1e-5);
    std::vector<double> sigmas;
    for (int t = 0; t < 1000; ++t)
        sigmas.push_back(schedule.sigma(t));
    QVERIFY(test::maxRelativeError(test::fromVector(sigmas), golden.tensor("train.sigmas_all_1000")) < 1e-5);
}

void TestNoiseSchedule::spacingsMatchGolden_data()
{
    QTest::addColumn<QString>("spacing");
    QTest::newRow("leading") << "leading";
    QTest::newRow("linspace") << "linspace";
    QTest::newRow("trailing") << "trailing";
}

void TestNoiseSchedule::spacingsMatchGolden()
{
    QFETCH(QString, spacing);
    const SafetensorsReader golden(REDIFINE_GOLDEN("scheduler_euler_a_schedules.safetensors"));
    const SamplingPlan plan = planSampling(NoiseSchedule::stableDiffusion(), 30, parseSpacing(spacing, "spacing"));
    const std::string prefix = spacing.toStdString() + ".30.";
    QVERIFY(test::maxRelativeError(test::fromVector(plan.timesteps), golden.tensor(prefix + "timesteps")) < 1e-6);
    const at::Tensor expectedSigmas = golden.tensor(prefix + "sigmas");
    QCOMPARE(expectedSigmas[30].item<double>(), 0.0);
    QCOMPARE(plan.sigmas.back(), 0.0);
    QVERIFY(test::maxScaledError(test::fromVector(plan.sigmas), expectedSigmas) < 1e-5);
    QVERIFY(std::abs(plan.initNoiseSigma / golden.tensor(prefix + "init_noise_sigma").item<double>() - 1.0) < 1e-5);
}

void TestNoiseSchedule::leadingTimestepsAreThePapers()
{
    const SamplingPlan plan = planSampling(NoiseSchedule::stableDiffusion(), 30, TimestepSpacing::Leading);
    QCOMPARE(plan.timesteps.front(), 958.0);
    QCOMPARE(plan.timesteps[1], 925.0);
    QCOMPARE(plan.timesteps.back(), 1.0);
    const SamplingPlan linspace = planSampling(NoiseSchedule::stableDiffusion(), 30, TimestepSpacing::Linspace);
    QVERIFY(std::abs(linspace.sigmas.front() - 14.6146) < 1e-3);   // SD1.x sigma_max
}

void TestNoiseSchedule::minSnrWeightsMatchKohya_data()
{
    QTest::addColumn<double>("gamma");
    QTest::addColumn<QString>("key");
    QTest::newRow("gamma 5") << 5.0 << "min_snr_gamma5_weight_eps";
    QTest::newRow("gamma 1") << 1.0 << "min_snr_gamma1_weight_eps";
}

void TestNoiseSchedule::minSnrWeightsMatchKohya()
{
    QFETCH(double, gamma);
    QFETCH(QString, key);
    const SafetensorsReader golden(REDIFINE_GOLDEN("scheduler_ddpm_training.safetensors"));
    const NoiseSchedule schedule = NoiseSchedule::stableDiffusion();
    std::vector<double> weights, snr;
    for (int t = 0; t < 1000; ++t) {
        weights.push_back(schedule.minSnrWeight(t, gamma));
        snr.push_back(schedule.snr(t));
    }
    QVERIFY(test::maxRelativeError(test::fromVector(weights), golden.tensor(key.toStdString())) < 1e-5);
    QVERIFY(test::maxRelativeError(test::fromVector(snr), golden.tensor("all_snr")) < 1e-5);
}

void TestNoiseSchedule::trailingRoundsHalfToEven()
{
    // 16 steps: 1000 - 62.5 i hits exact halves; NumPy rounds 937.5 to 938 and 812.5 to 812.
    const SamplingPlan plan = planSampling(NoiseSchedule::stableDiffusion(), 16, TimestepSpacing::Trailing);
    QCOMPARE(plan.timesteps[0], 999.0);
    QCOMPARE(plan.timesteps[1], 937.0);
    QCOMPARE(plan.timesteps[3], 811.0);
}

void TestNoiseSchedule::ddimEndsAtSigmaZeroOfTraining()
{
    const NoiseSchedule schedule = NoiseSchedule::stableDiffusion();
    const SamplingPlan plan = planSampling(schedule, 30, TimestepSpacing::Leading, SamplerKind::Ddim);
    QCOMPARE(plan.sigmas.back(), schedule.sigma(0));
}

void TestNoiseSchedule::badStepsAreRejected()
{
    QVERIFY_THROWS_EXCEPTION(InputError, planSampling(NoiseSchedule::stableDiffusion(), 0, TimestepSpacing::Linspace));
    QVERIFY_THROWS_EXCEPTION(InputError, parseSpacing("middle", "sampler.spacing"));
}

QTEST_GUILESS_MAIN(TestNoiseSchedule)
#include "tst_noiseschedule.moc"
