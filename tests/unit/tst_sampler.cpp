// Samplers: the Euler-ancestral trajectory against diffusers' golden run, CFG and the Diff-norm probe in
// closed form, and per-image seeding.
#include "../TestHelpers_p.h"
#include "core/diffusion/Sampler_p.h"
#include "core/io/TensorIo_p.h"

#include <QTest>

using namespace redifine;

class TestSampler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eulerAncestralMatchesGoldenRun_data();
    void eulerAncestralMatchesGoldenRun();
    void guidanceAndDiffNormInClosedForm_data();
    void guidanceAndDiffNormInClosedForm();
    void seededNoiseDoesNotDependOnBatch();
    void cancellationStopsBeforeTheNextStep();
};

void TestSampler::eulerAncestralMatchesGoldenRun_data()
{
    QTest::addColumn<QString>("spacing");
    QTest::newRow("leading") << "leading";
    QTest::newRow("linspace") << "linspace";
    QTest::newRow("trailing") << "trailing";
}

void TestSampler::eulerAncestralMatchesGoldenRun()
{
    QFETCH(QString, spacing);
    const SafetensorsReader golden(REDIFINE_GOLDEN("scheduler_euler_a_runs.safetensors"));
    const std::string p = spacing.toStdString() + ".30.";
    const SamplingPlan plan = planSampling(NoiseSchedule::stableDiffusion(), 30, parseSpacing(spacing, "spacing"));

    const at::Tensor x0 = golden.tensor(p + "x_T_unit") * plan.initNoiseSigma;
    QVERIFY(test::maxScaledError(x0, golden.tensor(p + "latents_0")) < 1e-5);

    const at::Tensor expectedInput = golden.tensor(p + "model_input");
    const at::Tensor expectedPrev = golden.tensor(p + "prev_sample");
    const at::Tensor noise = golden.tensor(p + "noise");
    int calls = 0;
    // The golden run's fake denoiser: eps = 0.1 * scaled input + 1e-4 * t (the same with and without text).
    const GuidedEps model = [&](const at::Tensor &input, double t) {
        [&] { QVERIFY(test::maxScaledError(input, expectedInput[calls]) < 1e-4); }();
        ++calls;
        const at::Tensor eps = input * 0.1 + 1e-4 * t;
        return std::make_pair(eps, eps);
    };
    SampleOptions options;
    options.cfg = CfgSchedule::constant(7.5);
    options.onStep = [&](int step, const at::Tensor &x) {
        [&] { QVERIFY2(test::maxScaledError(x, expectedPrev[step]) < 1e-4, qPrintable(QString::number(step))); }();
    };
    const SampleResult result = sample(plan, x0, model, [&](int step) { return noise[step]; }, options);
    QCOMPARE(calls, 30);
    QVERIFY(test::maxScaledError(result.latents, golden.tensor(p + "final")) < 1e-4);
    QCOMPARE(result.diffNorm.sizes(), (at::IntArrayRef{1, 30}));
    QCOMPARE(result.diffNorm.abs().max().item<double>(), 0.0);

    // sigma_up and sigma_down of each step.
    const at::Tensor up = golden.tensor(p + "sigma_up");
    const at::Tensor down = golden.tensor(p + "sigma_down");
    for (int i = 0; i < 30; ++i) {
        const AncestralStep step = eulerAncestralStep(x0, x0, plan.sigmas[i], plan.sigmas[i + 1], at::zeros_like(x0));
        QVERIFY(std::abs(step.sigmaUp - up[i].item<double>()) < 1e-4 * (1 + std::abs(up[i].item<double>())));
        QVERIFY(std::abs(step.sigmaDown - down[i].item<double>()) < 1e-4 * (1 + std::abs(down[i].item<double>())));
    }
}

void TestSampler::guidanceAndDiffNormInClosedForm_data()
{
    QTest::addColumn<QString>("sampler");
    QTest::newRow("euler") << "euler";
    QTest::newRow("ddim") << "ddim";
}

void TestSampler::guidanceAndDiffNormInClosedForm()
{
    // eps_u = 0 and eps_c = c, a constant tensor: the guided eps is s_t c, so a deterministic sampler moves
    // x by sum_t (sigma_t+1 - sigma_t) s_t c, and Diff = ||c|| at every step.
    QFETCH(QString, sampler);
    const SamplerKind kind = parseSampler(sampler, "sampler");
    const SamplingPlan plan = planSampling(NoiseSchedule::stableDiffusion(), 10, TimestepSpacing::Linspace, kind);
    const at::Tensor c = at::full({2, 4, 3, 3}, 0.5, at::kFloat);
    const GuidedEps model = [&](const at::Tensor &, double) { return std::make_pair(at::zeros_like(c), c); };
    SampleOptions options;
    options.sampler = kind;
    options.cfg = CfgSchedule::exponential(7.5, 2.0);
    const at::Tensor x0 = at::ones_like(c);
    const SampleResult result = sample(plan, x0, model, {}, options);

    double shift = 0.0;
    for (int t = 0; t < 10; ++t)
        shift += (plan.sigmas[t + 1] - plan.sigmas[t]) * options.cfg.scaleAt(t, 10);
    const double last = plan.sigmas.back();
    const double expected = (1.0 + shift * 0.5) / std::sqrt(last * last + 1.0);
    QVERIFY(test::maxScaledError(result.latents, at::full_like(c, expected)) < 1e-5);
    QVERIFY(test::maxRelativeError(result.diffNorm, at::full({2, 10}, 0.5 * 6.0)) < 1e-6);   // ||c|| = 0.5 sqrt(36)
}

void TestSampler::seededNoiseDoesNotDependOnBatch()
{
    SeededNoise batch(1234, 0, 4, {4, 8, 8});
    SeededNoise alone(1234, 2, 1, {4, 8, 8});
    for (int draw = 0; draw < 3; ++draw) {
        const at::Tensor a = batch.draw();
        const at::Tensor b = alone.draw();
        QCOMPARE(a.sizes(), (at::IntArrayRef{4, 4, 8, 8}));
        QVERIFY(at::equal(a[2], b[0]));
        QVERIFY(!at::equal(a[1], a[2]));
    }
    SeededNoise again(1234, 0, 4, {4, 8, 8});
    QVERIFY(at::equal(again.draw(), SeededNoise(1234, 0, 4, {4, 8, 8}).draw()));
}

void TestSampler::cancellationStopsBeforeTheNextStep()
{
    const SamplingPlan plan = planSampling(NoiseSchedule::stableDiffusion(), 30, TimestepSpacing::Linspace);
    int calls = 0;
    const GuidedEps model = [&](const at::Tensor &x, double) {
        ++calls;
        return std::make_pair(at::zeros_like(x), at::zeros_like(x));
    };
    SampleOptions options;
    options.cancelled = [&] { return calls >= 5; };
    const at::Tensor x = at::zeros({1, 4, 2, 2});
    const SampleResult result = sample(plan, x, model, [&](int) { return at::zeros_like(x); }, options);
    QVERIFY(result.cancelled);
    QCOMPARE(calls, 5);
}

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_sampler.moc"
