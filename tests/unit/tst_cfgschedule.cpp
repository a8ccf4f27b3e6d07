#include "core/common/Error.h"
#include "core/diffusion/CfgSchedule.h"

#include <QJsonDocument>
#include <QTest>

#include <cmath>

using redifine::CfgSchedule;

class TestCfgSchedule : public QObject
{
    Q_OBJECT
private slots:
    void exponentialMatchesPaperEquation6_data();
    void exponentialMatchesPaperEquation6();
    void shapesAtKnownSteps_data();
    void shapesAtKnownSteps();
    void piecewiseInterpolatesAndHoldsEnds();
    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void invalidJsonNamesTheField_data();
    void invalidJsonNamesTheField();
};

void TestCfgSchedule::exponentialMatchesPaperEquation6_data()
{
    QTest::addColumn<int>("step");
    QTest::addColumn<double>("expected");
    // s = 7.5 exp(-2 t / 30), written out for every step of the paper's T = 30.
    for (int t = 0; t < 30; ++t)
        QTest::addRow("t=%d", t) << t << 7.5 * std::exp(-2.0 * t / 30.0);
}

void TestCfgSchedule::exponentialMatchesPaperEquation6()
{
    QFETCH(int, step);
    QFETCH(double, expected);
    const CfgSchedule schedule = CfgSchedule::exponential(7.5, 2.0);
    QCOMPARE(schedule.scaleAt(step, 30), expected);
    QCOMPARE(schedule.values(30).at(step), expected);
}

void TestCfgSchedule::shapesAtKnownSteps_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<int>("step");
    QTest::addColumn<int>("steps");
    QTest::addColumn<double>("expected");
    QTest::addRow("exp first") << R"({"type":"exponential","s0":7.5,"alpha":2})" << 0 << 30 << 7.5;
    QTest::addRow("exp last") << R"({"type":"exponential","s0":7.5,"alpha":2})" << 29 << 30 << 1.0849888247924628;
    QTest::addRow("exp s0=5 t=15") << R"({"type":"exponential","s0":5,"alpha":2})" << 15 << 30 << 1.8393972058572117;
    QTest::addRow("constant") << R"({"type":"constant","scale":2.5})" << 17 << 30 << 2.5;
    QTest::addRow("linear mid") << R"({"type":"linear","start":7.5,"end":1.5})" << 15 << 30 << 4.5;
    QTest::addRow("linear t=10") << R"({"type":"linear","start":7.5,"end":1.5})" << 10 << 30 << 5.5;
    QTest::addRow("cosine start") << R"({"type":"cosine","start":7.5,"end":1.5})" << 0 << 30 << 7.5;
    QTest::addRow("cosine mid") << R"({"type":"cosine","start":7.5,"end":1.5})" << 15 << 30 << 4.5;
    QTest::addRow("cosine quarter") << R"({"type":"cosine","start":8,"end":0})" << 10 << 40 << 4.0 * (1.0 + std::sqrt(0.5));
}

void TestCfgSchedule::shapesAtKnownSteps()
{
    QFETCH(QString, json);
    QFETCH(int, step);
    QFETCH(int, steps);
    QFETCH(double, expected);
    const CfgSchedule schedule = CfgSchedule::fromJson(QJsonDocument::fromJson(json.toUtf8()).object());
    QVERIFY(std::abs(schedule.scaleAt(step, steps) - expected) < 1e-12);
}

void TestCfgSchedule::piecewiseInterpolatesAndHoldsEnds()
{
    const CfgSchedule schedule = CfgSchedule::piecewise({{0.5, 2.0}, {0.1, 8.0}, {0.9, 2.0}});
    QCOMPARE(schedule.points().front().progress, 0.1); // sorted
    QCOMPARE(schedule.scaleAtProgress(0.0), 8.0);      // held before the first point
    QCOMPARE(schedule.scaleAtProgress(0.3), 5.0);      // halfway between 8 and 2
    QCOMPARE(schedule.scaleAtProgress(0.7), 2.0);
    QCOMPARE(schedule.scaleAtProgress(1.0), 2.0);      // held after the last point
    QCOMPARE(schedule.scaleAt(6, 20), 5.0);            // t/T = 0.3

    // Sampling a smooth schedule at every step reproduces it exactly at those steps.
    const CfgSchedule exponential = CfgSchedule::exponential(7.5, 2.0);
    const CfgSchedule sampled = exponential.toPiecewise(30);
    QCOMPARE(sampled.points().size(), size_t(30));
    for (int t = 0; t < 30; ++t)
        QCOMPARE(sampled.scaleAt(t, 30), exponential.scaleAt(t, 30));
}

void TestCfgSchedule::jsonRoundTrip_data()
{
    QTest::addColumn<int>("which");
    QTest::addRow("constant") << 0;
    QTest::addRow("exponential") << 1;
    QTest::addRow("linear") << 2;
    QTest::addRow("cosine") << 3;
    QTest::addRow("piecewise") << 4;
}

void TestCfgSchedule::jsonRoundTrip()
{
    QFETCH(int, which);
    const CfgSchedule schedules[] = {CfgSchedule::constant(2.5), CfgSchedule::exponential(10.0, 2.0),
                                     CfgSchedule::linear(7.5, 1.0), CfgSchedule::cosine(7.5, 1.0),
                                     CfgSchedule::piecewise({{0.0, 9.0}, {0.25, 3.0}, {1.0, 1.0}})};
    const CfgSchedule &original = schedules[which];
    const QByteArray text = QJsonDocument(original.toJson()).toJson();
    const CfgSchedule back = CfgSchedule::fromJson(QJsonDocument::fromJson(text).object());
    QVERIFY(back == original);
}

void TestCfgSchedule::invalidJsonNamesTheField_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expectedField");
    QTest::addRow("negative scale") << R"({"type":"constant","scale":-1})" << "sampler.cfg.scale";
    QTest::addRow("missing alpha") << R"({"type":"exponential","s0":7.5})" << "sampler.cfg.alpha";
    QTest::addRow("string s0") << R"({"type":"exponential","s0":"7.5","alpha":2})" << "sampler.cfg.s0";
    QTest::addRow("unknown type") << R"({"type":"sigmoid"})" << "sampler.cfg.type";
    QTest::addRow("point outside") << R"({"type":"piecewise","points":[[1.5,2]]})" << "sampler.cfg.points[0].progress";
    QTest::addRow("no points") << R"({"type":"piecewise","points":[]})" << "sampler.cfg.points";
}

void TestCfgSchedule::invalidJsonNamesTheField()
{
    QFETCH(QString, json);
    QFETCH(QString, expectedField);
    try {
        CfgSchedule::fromJson(QJsonDocument::fromJson(json.toUtf8()).object(), QStringLiteral("sampler.cfg"));
        QFAIL("accepted an invalid schedule");
    } catch (const redifine::InputError &error) {
        const QString message = QString::fromStdString(error.what());
        QVERIFY2(message.startsWith(expectedField), qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(TestCfgSchedule)
#include "tst_cfgschedule.moc"
