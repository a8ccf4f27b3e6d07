// redifine study's core: t quantiles and intervals against values from mpmath (30 digits) and closed forms,
// grouping of chains into conditions, pairing by seed or Welch, references, problems of damaged chains, the
// figures, and the shipped plans of the paper's studies.
#include "core/chain/Sweep.h"
#include "core/common/Error.h"
#include "core/study/Statistics.h"
#include "core/study/Study.h"
#include "core/study/StudyFigures.h"
#include "core/study/Conditions.h"

#include "tests/SyntheticSweep.h"

#include <QJsonArray>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <functional>

using namespace redifine;

namespace {

// FD over iterations 0..6 rising from fd1 at iteration 1 to fd6 at iteration 6.
QList<double> fdCurve(double fd1, double fd6)
{
    return {0.0, fd1, fd1 + 1.0, fd1 + 2.0, fd1 + 3.0, fd1 + 4.0, fd6};
}

const StudyCondition &byLabel(const StudyResult &study, const QString &label)
{
    for (const StudyCondition &c : study.conditions)
        if (c.label == label)
            return c;
    qFatal("no condition %s", qPrintable(label));
}

const StudyComparison *findComparison(const StudyResult &study, const QString &condition, const QString &against, const QString &metric = "fd")
{
    for (const StudyComparison &c : study.comparisons)
        if (c.condition == condition && c.against == against && c.metric == metric)
            return &c;
    return nullptr;
}

bool problemMentions(const StudyResult &study, const QString &a, const QString &b)
{
    for (const QString &p : study.problems)
        if (p.contains(a) && p.contains(b))
            return true;
    return false;
}

} // namespace

class TestStudy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tQuantileMatchesMpmath_data()
    {
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("df");
        QTest::addColumn<double>("expected");
        QTest::addRow("df 1") << 0.975 << 1.0 << 12.7062047361747046;
        QTest::addRow("df 2") << 0.975 << 2.0 << 4.30265272974946385;
        QTest::addRow("df 3") << 0.975 << 3.0 << 3.18244630528370959;
        QTest::addRow("df 4") << 0.975 << 4.0 << 2.77644510519779436;
        QTest::addRow("df 9") << 0.975 << 9.0 << 2.26215716279820554;
        QTest::addRow("df 29") << 0.975 << 29.0 << 2.04522964213270430;
        QTest::addRow("df 1000") << 0.975 << 1000.0 << 1.96233908082640848;
        QTest::addRow("df 2.5") << 0.975 << 2.5 << 3.57465484200368322;
        QTest::addRow("df 7.3") << 0.975 << 7.3 << 2.34506673654770364;
        QTest::addRow("df 0.6") << 0.975 << 0.6 << 67.8443953295720763;
        QTest::addRow("p 0.995 df 5") << 0.995 << 5.0 << 4.03214298355522808;
        QTest::addRow("p 0.9 df 3.7") << 0.9 << 3.7 << 1.55756583886150746;
        QTest::addRow("p 0.025 df 4") << 0.025 << 4.0 << -2.77644510519779436;
    }
    void tQuantileMatchesMpmath()
    {
        QFETCH(double, p);
        QFETCH(double, df);
        QFETCH(double, expected);
        const double t = studentTQuantile(p, df);
        QVERIFY2(std::abs(t - expected) <= 1e-10 * std::abs(expected), qPrintable(QStringLiteral("%1 vs %2").arg(t, 0, 'g', 17).arg(expected, 0, 'g', 17)));
        QVERIFY(std::abs(studentTCdf(t, df) - p) < 1e-12);
    }

    void tClosedForms()
    {
        // df = 1 is the Cauchy distribution, df = 2 has t = (2p - 1) / sqrt(2 p (1 - p)).
        for (double p : {0.6, 0.8, 0.95, 0.99, 0.999}) {
            QVERIFY(std::abs(studentTQuantile(p, 1.0) - std::tan(M_PI * (p - 0.5))) < 1e-9 * studentTQuantile(p, 1.0));
            QVERIFY(std::abs(studentTQuantile(p, 2.0) - (2 * p - 1) / std::sqrt(2 * p * (1 - p))) < 1e-10);
        }
        QCOMPARE(studentTCdf(0.0, 3.0), 0.5);
        QVERIFY(std::abs(studentTCdf(-1.3, 4.4) - (1.0 - studentTCdf(1.3, 4.4))) < 1e-15);
        QVERIFY(std::isnan(studentTQuantile(0.975, 0.0)));
        QVERIFY(std::isnan(studentTQuantile(1.0, 3.0)));
    }

    void sampleSummaryByHand()
    {
        // 1, 2, 3, 6: mean 3, sd sqrt(14/3), half-width t(0.975, 3) sd / 2.
        const SampleSummary s = summariseSample({1.0, 2.0, 3.0, 6.0});
        QCOMPARE(s.n, 4);
        QCOMPARE(s.mean, 3.0);
        QVERIFY(std::abs(s.sd - std::sqrt(14.0 / 3.0)) < 1e-14);
        QVERIFY(std::abs(s.low - -0.437434881858310413) < 1e-12);
        QVERIFY(std::abs(s.high - 6.43743488185831041) < 1e-12);
        const SampleSummary one = summariseSample({2.5});
        QCOMPARE(one.n, 1);
        QCOMPARE(one.mean, 2.5);
        QVERIFY(std::isnan(one.sd) && std::isnan(one.low) && std::isnan(one.high));
    }

    void welchByHand()
    {
        // a = 1..5 (variance 2.5), b = 2, 4, 9 (variance 13): df = (0.5 + 13/3)^2 / (0.5^2/4 + (13/3)^2/2).
        QVERIFY(std::abs(welchDegreesOfFreedom(2.5, 5, 13.0, 3) - 2.47171197648787656) < 1e-12);
        const DifferenceInterval d = welchDifference({1, 2, 3, 4, 5}, {2, 4, 9});
        QCOMPARE(d.method, DifferenceMethod::Welch);
        QCOMPARE(d.difference, -2.0);
        QVERIFY(std::abs(d.df - 2.47171197648787656) < 1e-12);
        QVERIFY(std::abs(d.low - -9.92354784671577144) < 1e-9);
        QVERIFY(std::abs(d.high - 5.92354784671577144) < 1e-9);
        QCOMPARE(welchDifference({1.0}, {2.0, 3.0}).method, DifferenceMethod::None);
    }

    void pairedByHand()
    {
        // Differences 1, 2, 1: mean 4/3, sd sqrt(1/3), half-width t(0.975, 2) sd / sqrt(3) = 4.302653 / 3.
        const DifferenceInterval d = pairedDifference({5, 7, 9}, {4, 5, 8});
        QCOMPARE(d.method, DifferenceMethod::Paired);
        QCOMPARE(d.df, 2.0);
        QVERIFY(std::abs(d.difference - 4.0 / 3.0) < 1e-14);
        QVERIFY(std::abs(d.high - d.difference - 4.30265272974946385 / 3.0) < 1e-12);
    }

    void studyOfASyntheticSweep()
    {
        const QString dir = writeKnownSweep();
        const StudyResult study = analyseStudy(readStudyInput(dir), {QStringLiteral("sfd")});
        QCOMPARE(study.conditions.size(), 4);
        QCOMPARE(study.reusabilityMetrics, (QStringList{"fd", "sfd"}));
        for (const char *m : {"fd", "sfd", "kid", "saturation", "sharpness", "latent_mean", "latent_std", "diffnorm_last"})
            QVERIFY2(study.metrics.contains(QLatin1String(m)), m);
        QVERIFY(!study.metrics.contains("seconds") && !study.metrics.contains("images") && !study.metrics.contains("precision"));

        // Labels name only what differs between conditions: the guidance and the condition drop.
        const StudyCondition &c75 = byLabel(study, "CFG 7.5, drop 0");
        const StudyCondition &c25 = byLabel(study, "CFG 2.5, drop 0");
        const StudyCondition &red = byLabel(study, "CFG 7.5 exp(-2t/T), drop 0.2");
        const StudyCondition &c10 = byLabel(study, "CFG 1, drop 0");
        QVERIFY(c75.constantCfg && c25.constantCfg && c10.constantCfg && !red.constantCfg);
        QCOMPARE(c75.seeds, (QList<qint64>{0, 1, 2, 3}));

        // FD reusability of CFG 7.5: 6, 7, 8 -> mean 7, sd 1, t(0.975, 2) / sqrt(3) either side; seed 3 stopped at 3.
        const MetricReusability r = c75.reusability.value("fd");
        QCOMPARE(r.k, 6);
        QCOMPARE(r.perSeed, (QMap<qint64, double>{{0, 6.0}, {1, 7.0}, {2, 8.0}}));
        QCOMPARE(r.summary.n, 3);
        QCOMPARE(r.summary.mean, 7.0);
        QVERIFY(std::abs(r.summary.low - 4.51586228824966893) < 1e-12);
        QVERIFY(std::abs(r.summary.high - 9.48413771175033107) < 1e-12);
        // SFD is FD / 2 in these files, so its reusability is half.
        QCOMPARE(c75.reusability.value("sfd").summary.mean, 3.5);
        // Per iteration: the stopped seed counts where it is complete.
        QCOMPARE(c75.perIteration.value("fd").value(2).n, 4);
        QCOMPARE(c75.perIteration.value("fd").value(2).mean, (5.0 + 6.0 + 7.0 + 8.0) / 4.0);
        QCOMPARE(c75.perIteration.value("fd").value(6).n, 3);
        QCOMPARE(c75.perIteration.value("diffnorm_last").value(6).mean, 12.0 / 4.0);
        QVERIFY(!c75.perIteration.value("diffnorm_last").contains(0));
        QVERIFY(problemMentions(study, "s-cfg7.5-seed3", "iterations 4, 5, 6"));

        // The NaN FD of ReDiFine seed 2 at iteration 3 is named and left out; its other metrics stay.
        QVERIFY(problemMentions(study, "s-redifine-seed2", "iteration 3: features.fd is not a finite number"));
        QCOMPARE(red.perIteration.value("fd").value(3).n, 2);
        QCOMPARE(red.perIteration.value("sfd").value(3).n, 3);

        // References: CFG 7.5, and CFG 2.5 as the constant CFG of lowest FD reusability (10/3 < 5.5 < 7).
        const StudyComparison *redVs75 = findComparison(study, red.id, "cfg-7.5");
        QVERIFY(redVs75);
        QCOMPARE(redVs75->reference, c75.id);
        QCOMPARE(redVs75->difference.method, DifferenceMethod::Paired);   // same seeds 0, 1, 2
        QVERIFY(std::abs(redVs75->difference.difference - -7.0 / 3.0) < 1e-12);
        QVERIFY(std::abs(redVs75->difference.low - -6.12791636693009452) < 1e-9);
        QVERIFY(std::abs(redVs75->difference.high - 1.46124970026342786) < 1e-9);
        const StudyComparison *redVsBest = findComparison(study, red.id, "best-constant");
        QVERIFY(redVsBest);
        QCOMPARE(redVsBest->reference, c25.id);
        QVERIFY(std::abs(redVsBest->difference.low - -2.46124970026342785) < 1e-9);
        // CFG 1 has seeds 0..3, CFG 7.5 reusability for 0..2 only: Welch.
        const StudyComparison *c10Vs75 = findComparison(study, c10.id, "cfg-7.5");
        QVERIFY(c10Vs75);
        QCOMPARE(c10Vs75->difference.method, DifferenceMethod::Welch);
        QCOMPARE(c10Vs75->difference.difference, -1.5);
        QVERIFY(std::abs(c10Vs75->difference.df - 4.95918367346938776) < 1e-12);
        QVERIFY(std::abs(c10Vs75->difference.low - -3.73171148133878843) < 1e-9);
        QVERIFY(std::abs(c10Vs75->difference.high - 0.731711481338788430) < 1e-9);
        QVERIFY(!findComparison(study, c75.id, "cfg-7.5"));   // never against itself
        QVERIFY(findComparison(study, c75.id, "best-constant"));
        QVERIFY(findComparison(study, red.id, "cfg-7.5", "sfd"));

        // The JSON carries the same numbers; NaN never appears (null instead).
        const QJsonObject json = studyJson(study);
        const QJsonArray conditions = json.value("conditions").toArray();
        QCOMPARE(conditions.size(), 4);
        QCOMPARE(conditions.first().toObject().value("reusability").toObject().value("fd").toObject().value("mean").toDouble(), 7.0);
        const QByteArray csv = studyCsv(study);
        QVERIFY(csv.contains("reusability,c1,\"CFG 7.5, drop 0\",,,,fd,6,3,7,1,"));
        QVERIFY(!csv.contains("nan"));
    }

    void groupingNeedsEveryOtherSettingEqual()
    {
        const QString dir = m_dir.filePath("grouping");
        synthetic::writeChain(dir, synthetic::config("g-a", {"iterations=2", "seed=0"}), {0, 4, 6});
        synthetic::writeChain(dir, synthetic::config("g-b", {"iterations=2", "seed=1", "threads=2"}), {0, 5, 8});
        synthetic::writeChain(dir, synthetic::config("g-c", {"iterations=2", "seed=0", "dataset.limit=32"}), {0, 3, 4});
        synthetic::writeChain(dir, synthetic::config("g-d", {"iterations=2", "seed=1", "finetune.lora_rank=8"}), {0, 3, 4});
        synthetic::writeChain(dir, synthetic::config("g-e", {"iterations=2", "seed=0", "description=copy"}), {0, 4, 6});
        synthetic::writeSweepJson(dir, {"g-a", "g-b", "g-c", "g-d", "g-e"});
        const StudyResult study = analyseStudy(readStudyInput(dir));
        QCOMPARE(study.conditions.size(), 3);
        QCOMPARE(study.conditions[0].chains, (QStringList{"g-a", "g-b"}));
        QCOMPARE(study.conditions[0].label, QStringLiteral("limit=0, lora_rank=32"));
        QCOMPARE(study.conditions[1].label, QStringLiteral("limit=32, lora_rank=32"));
        QCOMPARE(study.conditions[2].label, QStringLiteral("limit=0, lora_rank=8"));
        QCOMPARE(study.conditions[0].reusability.value("fd").summary.mean, 2.5);
        // g-e repeats g-a's settings and seed: named, not counted twice.
        QVERIFY(problemMentions(study, "g-e", "same settings and seed 0 as chain g-a"));
        QCOMPARE(study.readChains, 4);
    }

    // A chain.json from before a setting existed (no "cpu_matmuls") is the same condition as one that writes
    // the setting's default; a different value is another condition.
    void settingsMissingFromOlderChainsReadAsTheirDefaults()
    {
        const QString dir = m_dir.filePath("older");
        QJsonObject older = synthetic::config("o-a", {"iterations=2", "seed=0"});
        older.remove("cpu_matmuls");
        synthetic::writeChain(dir, older, {0, 4, 6});
        synthetic::writeChain(dir, synthetic::config("o-b", {"iterations=2", "seed=1", "cpu_matmuls=\"fp32\""}), {0, 5, 8});
        synthetic::writeChain(dir, synthetic::config("o-c", {"iterations=2", "seed=0", "cpu_matmuls=\"bf16\""}), {0, 3, 4});
        synthetic::writeSweepJson(dir, {"o-a", "o-b", "o-c"});
        const StudyResult study = analyseStudy(readStudyInput(dir));
        QCOMPARE(study.conditions.size(), 2);
        QCOMPARE(study.conditions[0].chains, (QStringList{"o-a", "o-b"}));
        QCOMPARE(study.conditions[0].label, QStringLiteral("cpu_matmuls=fp32"));
        QCOMPARE(study.conditions[1].chains, (QStringList{"o-c"}));
        QVERIFY2(study.problems.isEmpty(), qPrintable(study.problems.join('\n')));
    }

    // A sweep's labelled axes name the conditions (in the plan's axis order); guidance stays in words; a choice
    // that left a setting as it was where another choice of its axis set it ("plain" and the image limit) is named
    // by its label; a setting no axis set (images_per_prompt, changed by hand in one condition's chains) stays
    // key=value; key axes labelled automatically ("scale4", "seed0") name nothing.
    void sweepAxesLabelTheConditions()
    {
        const StudyResult study = studyOfPlan("axes", R"({"name": "ax", "set": {"iterations": 2},
            "axes": [
              {"key": "sampler.cfg.scale", "values": [4, 7.5]},
              {"name": "data", "values": [{"label": "plain", "set": {"dataset.emoji_variants": 1}},
                                          {"label": "varied", "set": {"dataset.emoji_variants": 8, "dataset.limit": 32}}]},
              {"name": "finetune", "values": [{"label": "short", "set": {"finetune.max_steps": 100, "finetune.lora_rank": 8}},
                                              {"label": "long", "set": {"finetune.max_steps": 300, "finetune.lora_rank": 8}}]},
              {"key": "seed", "values": [0, 1]}]})", [](QJsonObject &config) {
            if (config.value("name").toString().startsWith("ax-scale7.5-varied-long-"))
                config.insert("images_per_prompt", 2);
        });
        QCOMPARE(labels(study), (QStringList{"CFG 4, plain, short, images_per_prompt=1", "CFG 4, plain, long, images_per_prompt=1",
                                             "CFG 4, varied, short, images_per_prompt=1", "CFG 4, varied, long, images_per_prompt=1",
                                             "CFG 7.5, plain, short, images_per_prompt=1", "CFG 7.5, plain, long, images_per_prompt=1",
                                             "CFG 7.5, varied, short, images_per_prompt=1", "CFG 7.5, varied, long, images_per_prompt=2"}));
        QCOMPARE(study.conditions[1].chains, (QStringList{"ax-scale4-plain-long-seed0", "ax-scale4-plain-long-seed1"}));
    }

    // An axis label never names a value the chain does not have: a later axis that overrides an earlier one's
    // setting (in some of its choices), or an object that replaces a whole section, takes the name.
    void axisLabelsNameWhatTheChainHas()
    {
        const StudyResult overridden = studyOfPlan("override", R"({"name": "o", "set": {"iterations": 2}, "axes": [
            {"key": "finetune.unet_lr", "values": [0.001, 0.002], "labels": ["lrA", "lrB"]},
            {"name": "b", "values": [{"label": "b1", "set": {"finetune.unet_lr": 0.003}}, {"label": "b2", "set": {"finetune.epochs": 5}}]}]})");
        QCOMPARE(labels(overridden), (QStringList{"b1", "lrA, b2", "lrB, b2"}));   // o-lrB-b1 repeats o-lrA-b1
        const StudyResult section = studyOfPlan("section", R"({"name": "s", "set": {"iterations": 2}, "axes": [
            {"key": "finetune.unet_lr", "values": [0.001, 0.002], "labels": ["lrA", "lrB"]},
            {"key": "finetune", "values": [{"unet_lr": 0.005}, {"epochs": 7}], "labels": ["ftX", "ftY"]}]})");
        QCOMPARE(labels(section), (QStringList{"ftX", "ftY"}));
        // A choice accounts for a setting it kept only where that setting is the same wherever the choice is held:
        // "c0" kept max_steps at p's 5 in one chain and at the default in another, so max_steps is named.
        const StudyResult kept = studyOfPlan("kept", R"({"name": "k", "set": {"iterations": 2}, "axes": [
            {"name": "B", "values": [{"label": "p", "set": {"dataset.limit": 32, "finetune.max_steps": 5}},
                                     {"label": "q", "set": {"finetune.unet_lr": 0.0007}}]},
            {"name": "C", "values": [{"label": "c0", "set": {"dataset.limit": 24}}, {"label": "c1", "set": {"finetune.max_steps": 9}}]}]})");
        QCOMPARE(labels(kept), (QStringList{"c0, max_steps=5, unet_lr=0.0001", "c1, limit=32, unet_lr=0.0001",
                                            "c0, max_steps=0, unet_lr=0.0007", "c1, limit=0, unet_lr=0.0007"}));
        // A chain whose settings were changed by hand after the sweep holds no choice it contradicts.
        const StudyResult edited = studyOfPlan("edited", R"({"name": "e", "set": {"iterations": 2}, "axes": [{"name": "size", "values": [
            {"label": "plain", "set": {}}, {"label": "big", "set": {"dataset.limit": 96}}]}]})", [](QJsonObject &config) {
            if (config.value("name").toString() == "e-plain")
                applyOverride(config, "dataset.limit=50");
        });
        QCOMPARE(labels(edited), (QStringList{"limit=50", "big"}));
        // Guidance stays in words, piecewise schedules with their points (scale@progress).
        const StudyResult schedules = studyOfPlan("schedules", R"({"name": "g", "set": {"iterations": 2}, "axes": [
            {"key": "sampler.cfg", "labels": ["down", "up"], "values": [{"type": "piecewise", "points": [[0, 7.5], [1, 1]]},
                                                                        {"type": "piecewise", "points": [[0, 1], [1, 7.5]]}]}]})");
        QCOMPARE(labels(schedules), (QStringList{"CFG piecewise 7.5@0 1@1", "CFG piecewise 1@0 7.5@1"}));
    }

    // Labels must tell conditions apart and mean one thing: one label for two meanings (chains of two sweeps),
    // choices a chain contradicts (a hand-edited sweep.json) and colliding labels fall back to the settings;
    // choices that are not well formed are no choices.
    void untrustworthyAxisLabelsFallBackToSettings()
    {
        const auto rank = [](int r) { return synthetic::config(QStringLiteral("r%1").arg(r), {QStringLiteral("finetune.lora_rank=%1").arg(r)}); };
        const auto choice = [](const char *label, int r) { return QList<SweepAxisChoice>{{"finetune.lora_rank", label, QJsonObject{{"finetune.lora_rank", r}}, {}}}; };
        const auto labelsOf = [](const ConditionGrouping &g) {
            QStringList out;
            for (const ConditionGroup &group : g.groups)
                out << group.label;
            return out;
        };
        QCOMPARE(labelsOf(groupConditions({rank(8), rank(16)}, {choice("small", 8), choice("big", 16)})), (QStringList{"small", "big"}));
        const ConditionGrouping twoSweeps = groupConditions({rank(8), rank(16), rank(4), rank(32)}, {choice("small", 8), choice("big", 16), choice("small", 4), choice("big", 32)});
        QCOMPARE(labelsOf(twoSweeps), (QStringList{"lora_rank=8", "lora_rank=16", "lora_rank=4", "lora_rank=32"}));
        QVERIFY(twoSweeps.axisLabelsSetAside);
        QVERIFY(!groupConditions({rank(8), rank(16)}, {choice("small", 8), choice("big", 16)}).axisLabelsSetAside);
        QVERIFY(!groupConditions({rank(8), rank(16)}).axisLabelsSetAside);
        QCOMPARE(labelsOf(groupConditions({rank(8), rank(16)}, {choice("big", 16), choice("small", 8)})), (QStringList{"lora_rank=8", "lora_rank=16"}));
        QCOMPARE(labelsOf(groupConditions({rank(8), rank(16)}, {choice("same", 8), {{"other", "same", QJsonObject{{"finetune.lora_rank", 16}}, {}}}})),
                 (QStringList{"lora_rank=8", "lora_rank=16"}));

        const QJsonObject sweepJson = QJsonDocument::fromJson(R"({"choices": {
            "good": [{"axis": "data", "label": "plain", "set": {"dataset.limit": 0}}],
            "label not text": [{"axis": "data", "label": 3, "set": {}}],
            "label with a newline": [{"axis": "data", "label": "a\nb", "set": {}}],
            "set not an object": [{"axis": "data", "label": "x", "set": ["dataset.limit"]}],
            "not a list": {"axis": "data"}}})").object();
        QStringList malformed;
        const QMap<QString, QList<SweepAxisChoice>> read = sweepChoicesOf(sweepJson, &malformed);
        QCOMPARE(read.keys(), QStringList{"good"});
        malformed.sort();
        QCOMPARE(malformed, (QStringList{"label not text", "label with a newline", "not a list", "set not an object"}));
        QCOMPARE(read.value("good").first().set, (QJsonObject{{"dataset.limit", 0}}));
        QVERIFY(sweepChoicesOf(QJsonObject{}).isEmpty());   // a sweep folder from before choices were recorded

        // A damaged record in a sweep folder: that chain's condition is labelled by its settings, and the study says so.
        QCOMPARE(labels(studyOfPlan("damaged", R"({"name": "m", "set": {"iterations": 2}, "axes": [{"name": "x", "values": [
            {"label": "a", "set": {"dataset.limit": 16}}, {"label": "b", "set": {"dataset.limit": 32}}]}]})")), (QStringList{"a", "b"}));
        const QString sweepPath = m_dir.filePath("damaged/sweep.json");
        QFile file(sweepPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject sweep = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        QJsonObject choices = sweep.value("choices").toObject();
        choices.insert("m-a", "junk");
        sweep.insert("choices", choices);
        synthetic::writeJsonFile(sweepPath, sweep);
        const StudyResult damaged = analyseStudy(readStudyInput(m_dir.filePath("damaged")));
        QCOMPARE(labels(damaged), (QStringList{"limit=16", "b"}));
        QVERIFY(problemMentions(damaged, "chain m-a", "not well formed"));
    }

    void badSweepsAreInputErrors()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, readStudyInput(m_dir.filePath("nowhere")));
        const QString empty = m_dir.filePath("empty");
        QDir().mkpath(empty);
        QVERIFY_THROWS_EXCEPTION(InputError, readStudyInput(empty));
        const QString unstarted = m_dir.filePath("unstarted");
        synthetic::writeChain(unstarted, synthetic::config("u-a", {"iterations=2"}), {0}, 0);
        synthetic::writeSweepJson(unstarted, {"u-a", "u-b"});
        try {
            readStudyInput(unstarted);
            QFAIL("accepted a sweep without a complete iteration 1");
        } catch (const InputError &error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains("no chain of the sweep has a complete iteration 1"), error.what());
        }
        try {
            analyseStudy(readStudyInput(writeKnownSweep()), {QStringLiteral("fid")});
            QFAIL("accepted an unknown metric");
        } catch (const InputError &error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains("metric \"fid\"") && QString::fromUtf8(error.what()).contains("sfd"), error.what());
        }
    }

    // Records that cannot be trusted are named and left out, never averaged in: an iteration edited after its DONE
    // (same size, other value), a DONE that is empty, a metric one seed lacks, a value beyond any metric's range,
    // a seed that is not one.
    void untrustworthyRecordsAreNamedAndLeftOut()
    {
        const QString dir = m_dir.filePath("untrustworthy");
        QStringList names;
        const auto chain = [&](const QString &name, int seed, const QMap<int, QJsonObject> &metricsOf = {}) {
            synthetic::writeChain(dir, synthetic::config(name, {"iterations=2", QStringLiteral("seed=%1").arg(seed)}), {0.0, 1.0, 2.0}, -1, metricsOf);
            names << name;
            return dir + "/" + name;
        };
        const auto rewrite = [](const QString &path, const std::function<QByteArray(QByteArray)> &edit) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray before = file.readAll();
            file.close();
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(edit(before));
        };
        chain("u-a", 0);
        const QString edited = chain("u-b", 1);
        QJsonObject noFd = synthetic::metrics(1, 1.0);
        QJsonObject features = noFd.value("features").toObject();
        features.remove("fd");
        noFd.insert("features", features);
        chain("u-c", 2, {{1, noFd}});
        QJsonObject huge = synthetic::metrics(2, 2.0);
        huge.insert("latent_std", 1e300);
        chain("u-d", 3, {{2, huge}});
        const QString emptyDone = chain("u-e", 4);
        const QString badSeed = chain("u-f", 5);
        synthetic::writeChain(m_dir.filePath("outside"), synthetic::config("u-outside", {"iterations=2"}), {0.0, 1.0, 2.0});
        synthetic::writeSweepJson(dir, names + QStringList{"../outside/u-outside"});

        // The same size: only the contents check sees it.
        rewrite(edited + "/iter_2/metrics.json", [](QByteArray b) { return b.replace("\"fd\": 2", "\"fd\": 9"); });
        QFile editedFile(edited + "/iter_2/metrics.json");
        QVERIFY(editedFile.open(QIODevice::ReadOnly) && editedFile.readAll().contains("\"fd\": 9"));
        rewrite(emptyDone + "/iter_1/DONE", [](const QByteArray &) { return QByteArray(); });
        rewrite(badSeed + "/chain.json", [](QByteArray b) { return b.replace("\"seed\": 5", "\"seed\": \"5\""); });

        const StudyResult study = analyseStudy(readStudyInput(dir), {});
        QCOMPARE(study.conditions.size(), 1);
        const StudyCondition &c = study.conditions.first();
        QCOMPARE(c.seeds, (QList<qint64>{0, 1, 2, 3, 4}));
        QVERIFY(problemMentions(study, "u-b", "iteration 2 is damaged"));
        QVERIFY(problemMentions(study, "u-b", "SHA-256 differs"));
        QVERIFY(problemMentions(study, "u-e", "not a completion record"));
        QVERIFY(problemMentions(study, "u-c", "iteration 1 has no fd, which the other seeds of"));
        QVERIFY(problemMentions(study, "u-d", "latent_std is 1e+300, beyond any metric's range"));
        QVERIFY(problemMentions(study, "u-f", "seed is not a non-negative integer; not counted"));
        QVERIFY(problemMentions(study, "../outside/u-outside", "not a chain folder's name; not counted"));
        // FD at iteration 2: seeds 0, 2, 3, 4 (seed 1's iteration 2 was edited); the edited 9 is nowhere.
        QCOMPARE(c.perIteration.value("fd").value(2).n, 4);
        QCOMPARE(c.perIteration.value("fd").value(2).mean, 2.0);
        // Reusability FD_2 - FD_1 only where both are trusted: seeds 0 and 3.
        const MetricReusability r = c.reusability.value("fd");
        QCOMPARE(r.perSeed, (QMap<qint64, double>{{0, 1.0}, {3, 1.0}}));
        QCOMPARE(c.perIteration.value("latent_std").value(2).n, 3);
    }

    void figuresShowEachCondition()
    {
        const StudyResult study = analyseStudy(readStudyInput(writeKnownSweep()));
        const QImage scatter = reusabilityFigure(study, "fd", 1.0);
        const QImage curves = metricCurvesFigure(study, 1.0);
        QVERIFY(scatter.width() >= 900 && curves.width() >= 1200);
        // Every condition's colour is drawn (its marker, bars and legend entry).
        for (const QImage &image : {scatter, curves})
            for (QRgb colour : {0x1f77b4u, 0xff7f0eu, 0x2ca02cu, 0xd62728u}) {
                int found = 0;
                for (int y = 0; y < image.height(); ++y)
                    for (int x = 0; x < image.width(); ++x)
                        found += (image.pixel(x, y) & 0xffffff) == colour ? 1 : 0;
                QVERIFY2(found > 20, qPrintable(QString::number(colour, 16)));
            }
        const QString out = m_dir.filePath("figures");
        QDir().mkpath(out);
        const QStringList written = writeStudyFigures(study, out);
        QCOMPARE(written.size(), 4);
        for (const QString &file : written) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray head = f.read(8);
            QVERIFY2(file.endsWith(".pdf") ? head.startsWith("%PDF") : head.startsWith("\x89PNG"), qPrintable(file));
        }
    }

    void shippedPlansExpandIntoThePapersConditions_data()
    {
        QTest::addColumn<QString>("plan");
        QTest::addColumn<int>("chains");
        QTest::addColumn<QStringList>("labels");
        const QStringList scan{"CFG 1", "CFG 1.5", "CFG 2.5", "CFG 4", "CFG 7.5", "CFG 10"};
        const QStringList methods{"CFG 7.5 exp(-2t/T), drop 0.2", "CFG 7.5, drop 0.2", "CFG 7.5 exp(-2t/T), drop 0"};
        QStringList scanWithDrop;
        for (const QString &s : scan)
            scanWithDrop << s + ", drop 0";
        QTest::addRow("cfg scan") << "paper-cfg-scan-quick" << 18 << scan;
        QTest::addRow("redifine and ablations") << "paper-redifine-quick" << 12 << QStringList{"CFG 7.5, drop 0"} + methods;
        QTest::addRow("both") << "paper-study-quick" << 27 << scanWithDrop + methods;
    }
    void shippedPlansExpandIntoThePapersConditions()
    {
        QFETCH(QString, plan);
        QFETCH(int, chains);
        QFETCH(QStringList, labels);
        const SweepPlan expanded = readSweepPlan(plan);   // found by name among the shipped plans
        QCOMPARE(expanded.chains.size(), chains);
        // Fake results for every chain, then the study's grouping: one condition per method, seeds 0, 1, 2, K = 6.
        const QString dir = m_dir.filePath(plan);
        for (const SweepChain &chain : expanded.chains) {
            QCOMPARE(chain.config.value("iterations").toInt(), 6);
            synthetic::writeChain(dir, chain.config, fdCurve(4.0, 9.0));
        }
        writeSweepFolder(expanded, dir);   // with each chain's axis choices: the method axis sets guidance only
        const StudyResult study = analyseStudy(readStudyInput(dir));
        QStringList found;
        for (const StudyCondition &c : study.conditions) {
            found << c.label;
            QCOMPARE(c.seeds, (QList<qint64>{0, 1, 2}));
            QCOMPARE(c.iterations, 6);
        }
        QCOMPARE(found, labels);
        QVERIFY(study.problems.isEmpty());
        // Every non-baseline condition is compared with CFG 7.5, paired by seed.
        const StudyCondition &baseline = byLabel(study, labels.contains("CFG 7.5") ? "CFG 7.5" : "CFG 7.5, drop 0");
        for (const StudyCondition &c : study.conditions) {
            if (c.id == baseline.id)
                continue;
            const StudyComparison *x = findComparison(study, c.id, "cfg-7.5");
            QVERIFY(x);
            QCOMPARE(x->reference, baseline.id);
            QCOMPARE(x->difference.method, DifferenceMethod::Paired);
        }
    }

    void shippedPlansShareTheirChains()
    {
        // One plan name and one set of labels: the scan's and the ablation's chains are chains of the full study,
        // with identical configs, so a sweep into the same folder skips the ones already complete.
        QMap<QString, QJsonObject> full;
        for (const SweepChain &chain : readSweepPlan("paper-study-quick").chains)
            full.insert(chain.name, chain.config);
        for (const char *plan : {"paper-cfg-scan-quick", "paper-redifine-quick"})
            for (const SweepChain &chain : readSweepPlan(QLatin1String(plan)).chains) {
                QVERIFY2(full.contains(chain.name), qPrintable(chain.name));
                QCOMPARE(full.value(chain.name), chain.config);
            }
    }

private:
    // Conditions of a sweep written by `redifine sweep` with fake finished chains (FD 1, 2, ... in plan order).
    StudyResult studyOfPlan(const QString &name, const QByteArray &plan, const std::function<void(QJsonObject &)> &edit = {})
    {
        const SweepPlan expanded = expandSweepPlan(QJsonDocument::fromJson(plan).object(), name + ".json");
        const QString dir = m_dir.filePath(name);
        writeSweepFolder(expanded, dir);
        double fd = 1.0;
        for (const SweepChain &chain : expanded.chains) {
            QJsonObject config = chain.config;
            if (edit)
                edit(config);
            synthetic::writeChain(dir, config, {0, fd, fd + 1});
            fd += 1.0;
        }
        return analyseStudy(readStudyInput(dir));
    }

    static QStringList labels(const StudyResult &study)
    {
        QStringList found;
        for (const StudyCondition &c : study.conditions)
            found << c.label;
        return found;
    }

    // Four conditions of a K = 6 sweep with known reusabilities (see the asserts above), one chain stopped after
    // iteration 3 and one NaN FD.
    QString writeKnownSweep()
    {
        const QString dir = m_dir.filePath("known");
        if (QFile::exists(dir + "/sweep.json"))
            return dir;
        const QStringList constant{"iterations=6", "sampler.cfg={\"type\": \"constant\", \"scale\": 7.5}"};
        const QStringList low{"iterations=6", "sampler.cfg={\"type\": \"constant\", \"scale\": 2.5}"};
        const QStringList lowest{"iterations=6", "sampler.cfg={\"type\": \"constant\", \"scale\": 1}"};
        const QStringList redifine{"iterations=6", "sampler.cfg={\"type\": \"exponential\", \"s0\": 7.5, \"alpha\": 2}", "finetune.condition_drop=0.2"};
        QStringList names;
        const auto chain = [&](const QString &name, QStringList settings, int seed, double fd1, double fd6, int done = -1,
                               const QMap<int, QJsonObject> &metrics = {}) {
            settings << QStringLiteral("seed=%1").arg(seed);
            synthetic::writeChain(dir, synthetic::config(name, settings), fdCurve(fd1, fd6), done, metrics);
            names << name;
        };
        chain("s-cfg7.5-seed0", constant, 0, 4, 10);
        chain("s-cfg7.5-seed1", constant, 1, 5, 12);
        chain("s-cfg7.5-seed2", constant, 2, 6, 14);
        chain("s-cfg7.5-seed3", constant, 3, 7, 0, 3);
        chain("s-cfg2.5-seed0", low, 0, 6, 9);
        chain("s-cfg2.5-seed1", low, 1, 7, 10);
        chain("s-cfg2.5-seed2", low, 2, 8, 12);
        chain("s-redifine-seed0", redifine, 0, 5, 9);
        chain("s-redifine-seed1", redifine, 1, 5, 11);
        QJsonObject nanFd = synthetic::metrics(3, 8.0);
        QJsonObject features = nanFd.value("features").toObject();
        features.insert("fd", qQNaN());   // written as null, as the runner's JSON writer does with NaN
        nanFd.insert("features", features);
        chain("s-redifine-seed2", redifine, 2, 6, 10, -1, {{3, nanFd}});
        chain("s-cfg1-seed0", lowest, 0, 9, 14);
        chain("s-cfg1-seed1", lowest, 1, 10, 16);
        chain("s-cfg1-seed2", lowest, 2, 11, 15);
        chain("s-cfg1-seed3", lowest, 3, 12, 19);
        synthetic::writeSweepJson(dir, names);
        return dir;
    }

    QTemporaryDir m_dir;
};

QTEST_MAIN(TestStudy)
#include "tst_study.moc"
