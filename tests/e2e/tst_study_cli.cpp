// redifine study as a user runs it: a synthetic sweep in, study.json / study.csv / figures out with the known
// reusabilities, damaged chains named on stderr, and bad input refused with one line and exit code 2.
#include "CliProcess.h"
#include "tests/SyntheticSweep.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

class TestStudyCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // CFG 7.5 and CFG 2.5, seeds 0-2, K = 3; CFG 7.5 seed 3 stops after iteration 1.
        m_sweep = m_dir.filePath("sweep");
        const QStringList cfg75{"iterations=3", "sampler.cfg={\"type\": \"constant\", \"scale\": 7.5}"};
        const QStringList cfg25{"iterations=3", "sampler.cfg={\"type\": \"constant\", \"scale\": 2.5}"};
        QStringList names;
        const auto chain = [&](const QString &name, QStringList settings, int seed, QList<double> fd, int done = -1) {
            synthetic::writeChain(m_sweep, synthetic::config(name, settings << QStringLiteral("seed=%1").arg(seed)), fd, done);
            names << name;
        };
        chain("cfg75-s0", cfg75, 0, {0, 4, 7, 10});    // reusability 6
        chain("cfg75-s1", cfg75, 1, {0, 5, 9, 12});    // 7
        chain("cfg75-s2", cfg75, 2, {0, 6, 10, 14});   // 8
        chain("cfg75-s3", cfg75, 3, {0, 6}, 1);
        chain("cfg25-s0", cfg25, 0, {0, 6, 8, 9});     // 3
        chain("cfg25-s1", cfg25, 1, {0, 7, 8, 10});    // 3
        chain("cfg25-s2", cfg25, 2, {0, 8, 10, 12});   // 4
        synthetic::writeSweepJson(m_sweep, names);
    }

    void studyJsonHoldsTheKnownValues()
    {
        const QString out = m_dir.filePath("study-out");
        const CliResult r = cli({"study", m_sweep, "--out", out, "--metric", "sfd", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // The stopped chain is named on stderr, one line.
        QVERIFY2(r.err.contains("warning: chain cfg75-s3: iterations 2, 3 of 0..3 are not complete"), qPrintable(r.err));
        QCOMPARE(r.err.count('\n'), 1);

        QFile file(out + "/study.json");
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject study = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object(), study);
        QCOMPARE(study.value("sweep").toObject().value("chains_counted").toInt(), 7);
        const QJsonArray conditions = study.value("conditions").toArray();
        QCOMPARE(conditions.size(), 2);
        const QJsonObject c75 = conditions[0].toObject();
        QCOMPARE(c75.value("label").toString(), QStringLiteral("CFG 7.5"));
        QCOMPARE(c75.value("seeds").toArray(), (QJsonArray{0, 1, 2, 3}));
        const QJsonObject fd = c75.value("reusability").toObject().value("fd").toObject();
        QCOMPARE(fd.value("n").toInt(), 3);
        QCOMPARE(fd.value("k").toInt(), 3);
        QCOMPARE(fd.value("mean").toDouble(), 7.0);
        QCOMPARE(fd.value("sd").toDouble(), 1.0);
        // t(0.975, 2) = 4.302653: 7 -+ 4.302653 / sqrt(3).
        QVERIFY(std::abs(fd.value("ci_low").toDouble() - 4.51586228824966893) < 1e-9);
        QVERIFY(std::abs(fd.value("ci_high").toDouble() - 9.48413771175033107) < 1e-9);
        QCOMPARE(c75.value("reusability").toObject().value("sfd").toObject().value("mean").toDouble(), 3.5);
        // FD at iteration 1 over all four seeds: 4, 5, 6, 6.
        const QJsonObject fd1 = c75.value("per_iteration").toObject().value("fd").toArray()[1].toObject();
        QCOMPARE(fd1.value("iteration").toInt(), 1);
        QCOMPARE(fd1.value("n").toInt(), 4);
        QCOMPARE(fd1.value("mean").toDouble(), 5.25);

        // CFG 2.5 (10/3) is the best constant CFG; CFG 7.5 against it, paired by seed: differences 3, 4, 4.
        QJsonObject versus;
        for (const QJsonValue &v : study.value("comparisons").toArray())
            if (v.toObject().value("condition").toString() == "c1" && v.toObject().value("metric").toString() == "fd")
                versus = v.toObject();
        QCOMPARE(versus.value("against").toString(), QStringLiteral("best-constant"));
        QCOMPARE(versus.value("reference_label").toString(), QStringLiteral("CFG 2.5"));
        QCOMPARE(versus.value("method").toString(), QStringLiteral("paired"));
        QVERIFY(std::abs(versus.value("difference").toDouble() - 11.0 / 3.0) < 1e-12);
        // sd of 3, 4, 4 is sqrt(1/3): half-width 4.302653 sqrt(1/3) / sqrt(3) = 4.302653 / 3.
        QVERIFY(std::abs(versus.value("ci_high").toDouble() - (11.0 + 4.30265272974946385) / 3.0) < 1e-9);
        QCOMPARE(versus.value("df").toDouble(), 2.0);

        QFile csv(out + "/study.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray table = csv.readAll();
        QVERIFY2(table.startsWith("section,condition,label,reference"), table.left(100).constData());
        QVERIFY(table.contains("reusability,c1,CFG 7.5,,,,fd,3,3,7,1,"));
        for (const char *name : {"reusability-fd.png", "reusability-fd.pdf", "reusability-sfd.png", "metrics.png", "metrics.pdf"})
            QVERIFY2(QFile::exists(out + "/" + name), name);
        QVERIFY(QImage(out + "/reusability-fd.png").width() >= 1800);
    }

    void textSummaryAndDefaultOutputFolder()
    {
        const CliResult r = cli({"study", m_sweep});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("c1 CFG 7.5"), qPrintable(r.out));
        QVERIFY2(r.out.contains("7.000 [4.516, 9.484]"), qPrintable(r.out));
        QVERIFY(QFile::exists(m_sweep + "/study/study.json"));
    }

    void badInputExitsTwoWithOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("no folder") << QStringList{"study"} << "give the sweep folder";
        QTest::addRow("missing folder") << QStringList{"study", "/nonexistent/sweep"} << "/nonexistent/sweep: not a folder";
        QTest::addRow("not a sweep") << QStringList{"study", QStringLiteral(REDIFINE_SOURCE_DIR "/tests")} << "not a sweep folder";
        QTest::addRow("unknown metric") << QStringList{"study", "SWEEP", "--metric", "fid"} << "study --metric \"fid\": not in any chain's metrics.json";
        QTest::addRow("unknown option") << QStringList{"study", "SWEEP", "--seeds", "3"} << "--seeds";
        QTest::addRow("out is a file") << QStringList{"study", "SWEEP", "--out", "SWEEP/sweep.json"} << "study --out: ";
        QTest::addRow("nothing complete") << QStringList{"study", "UNSTARTED"} << "no chain of the sweep has a complete iteration 1";
    }
    void badInputExitsTwoWithOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        const QString unstarted = m_dir.filePath("unstarted");
        synthetic::writeChain(unstarted, synthetic::config("u", {"iterations=3"}), {0}, 0);
        synthetic::writeSweepJson(unstarted, {"u"});
        arguments.replaceInStrings("UNSTARTED", unstarted);
        arguments.replaceInStrings("SWEEP", m_sweep);
        const CliResult r = cli(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith("error: ") && r.err.count('\n') == 1, qPrintable(r.err));
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
    }

private:
    QTemporaryDir m_dir;
    QString m_sweep;
};

QTEST_MAIN(TestStudyCli)
#include "tst_study_cli.moc"
