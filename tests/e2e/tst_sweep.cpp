// Sweeps: a plan expands into the right chains, runs them one after another and skips complete ones, and
// as a Slurm job array runs through a real single-node Slurm brought up for the test.
#include "core/chain/Sweep.h"
#include "core/common/Error.h"

#include "CliProcess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace redifine;

namespace {

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

} // namespace

class TestSweep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QString data = m_dir.filePath(QStringLiteral("data"));
        QCOMPARE(cli({"dataset", "emoji", "--out", data, "--group", "food-drink", "--limit", "4"}).exitCode, 0);
        const CliResult trained = cli({"pretrain", "--data", data, "--out", m_dir.filePath(QStringLiteral("m0")), "--vae-steps", "1",
                                       "--steps", "1", "--batch", "4"});
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
        m_model = m_dir.filePath(QStringLiteral("m0/tiny-base.safetensors"));
    }

    void planExpandsIntoTheCrossProduct()
    {
        const SweepPlan plan = expandSweepPlan(json(R"({
            "name": "fig2", "preset": "cfg-7.5-quick", "set": {"iterations": 2},
            "axes": [{"key": "sampler.cfg.scale", "values": [1.0, 7.5]},
                     {"name": "method", "values": [{"label": "base", "set": {}},
                                                   {"label": "drop", "set": {"finetune.condition_drop": 0.2}}]}]})"),
                                               QStringLiteral("plan"));
        QCOMPARE(plan.chains.size(), 4);
        QCOMPARE(plan.chains[0].name, QStringLiteral("fig2-scale1-base"));
        QCOMPARE(plan.chains[3].name, QStringLiteral("fig2-scale7.5-drop"));
        const QJsonObject last = plan.chains[3].config;
        QCOMPARE(last.value("iterations").toInt(), 2);
        QCOMPARE(last.value("name").toString(), QStringLiteral("fig2-scale7.5-drop"));
        QCOMPARE(last.value("finetune").toObject().value("condition_drop").toDouble(), 0.2);
        QCOMPARE(last.value("sampler").toObject().value("cfg").toObject().value("scale").toDouble(), 7.5);
        QCOMPARE(plan.chains[0].config.value("sampler").toObject().value("cfg").toObject().value("scale").toDouble(), 1.0);
        QCOMPARE(plan.chains[0].config.value("finetune").toObject().value("condition_drop").toDouble(), 0.0);
    }

    void badPlansNameTheProblem_data()
    {
        QTest::addColumn<QString>("plan");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("unknown setting") << R"({"axes": [{"key": "sampler.guidance", "values": [1]}]})" << "sampler.guidance";
        QTest::addRow("bad value") << R"({"axes": [{"key": "finetune.condition_drop", "values": [0.1, 2]}]})" << "condition_drop";
        QTest::addRow("empty axis") << R"({"axes": [{"key": "seed", "values": []}]})" << "axes[0]";
        QTest::addRow("clashing names") << R"({"axes": [{"key": "seed", "values": [1, 2], "labels": ["a", "a"]}]})" << "distinct labels";
        QTest::addRow("unknown plan key") << R"({"axis": []})" << "axis";
    }
    void badPlansNameTheProblem()
    {
        QFETCH(QString, plan);
        QFETCH(QString, mentions);
        try {
            expandSweepPlan(QJsonDocument::fromJson(plan.toUtf8()).object(), QStringLiteral("plan.json"));
            QFAIL("accepted");
        } catch (const InputError &error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(mentions), error.what());
        }
    }

    void localSweepRunsEachChainOnceAndSkipsCompleteOnes()
    {
        const QString dir = m_dir.filePath(QStringLiteral("local"));
        const CliResult first = cli({"sweep", writePlan(QStringLiteral("local")), "--out", dir});
        QVERIFY2(first.exitCode == 0, qPrintable(first.out + first.err));
        QVERIFY(isChainComplete(QDir(dir).filePath(QStringLiteral("tiny-seed0"))));
        QVERIFY(isChainComplete(QDir(dir).filePath(QStringLiteral("tiny-seed1"))));
        QVERIFY2(first.out.contains(QStringLiteral("2 chains (0 were already complete)")), qPrintable(first.out));
        const CliResult second = cli({"sweep", writePlan(QStringLiteral("local")), "--out", dir});
        QCOMPARE(second.exitCode, 0);
        QVERIFY2(second.out.contains(QStringLiteral("2 chains (2 were already complete)")), qPrintable(second.out));
        QVERIFY(!second.out.contains(QStringLiteral("finetune")));
    }

    void slurmJobArrayRunsOnASingleNodeCluster()
    {
        for (const char *program : {"munged", "slurmctld", "slurmd", "sbatch"})
            if (QStandardPaths::findExecutable(QLatin1String(program), {"/usr/sbin", "/usr/bin"}).isEmpty())
                QSKIP("Slurm is not installed (packaging/install-deps.sh installs slurm-wlm and munge)");
        const QString cluster = m_dir.filePath(QStringLiteral("slurm"));
        const QString helper = QStringLiteral(REDIFINE_SOURCE_DIR "/tests/e2e/slurm-single-node.sh");
        QProcess start;
        start.start(QStringLiteral("bash"), {helper, QStringLiteral("start"), cluster});
        QVERIFY(start.waitForFinished(60000));
        const auto stop = qScopeGuard([&] { QProcess::execute(QStringLiteral("bash"), {helper, QStringLiteral("stop"), cluster}); });
        QVERIFY2(start.exitCode() == 0, qPrintable(QString::fromUtf8(start.readAllStandardError())));
        qputenv("SLURM_CONF", start.readAllStandardOutput().trimmed());

        const QString dir = m_dir.filePath(QStringLiteral("cluster"));
        const CliResult submitted = cli({"sweep", writePlan(QStringLiteral("cluster")), "--out", dir, "--slurm", "--submit",
                                         "--cpus", "1", "--mem", "1G", "--time", "30"});
        QVERIFY2(submitted.exitCode == 0, qPrintable(submitted.out + submitted.err));
        QVERIFY2(submitted.out.contains(QStringLiteral("submitted job array")), qPrintable(submitted.out));
        QElapsedTimer waited;
        waited.start();
        while (!(isChainComplete(QDir(dir).filePath(QStringLiteral("tiny-seed0"))) && isChainComplete(QDir(dir).filePath(QStringLiteral("tiny-seed1"))))) {
            QVERIFY2(waited.elapsed() < 300000, qPrintable(logsOf(dir)));
            QTest::qWait(500);
        }
        QCOMPARE(QDir(dir).entryList({"*.out"}, QDir::Files).size() + QDir(dir + "/logs").entryList({"*.out"}, QDir::Files).size(), 2);
        QVERIFY2(logsOf(dir).contains(QStringLiteral("chain complete")), qPrintable(logsOf(dir)));
    }

private:
    QString writePlan(const QString &name)
    {
        const QString path = m_dir.filePath(name + QStringLiteral(".json"));
        QFile out(path);
        out.open(QIODevice::WriteOnly);
        out.write(QJsonDocument(QJsonObject{
                                    {"name", "tiny"},
                                    {"preset", "redifine-quick"},
                                    {"set", QJsonObject{{"model.path", m_model}, {"dataset.limit", 2}, {"iterations", 1},
                                                        {"finetune.max_steps", 2}, {"sampler.steps", 2}, {"sampler.batch_size", 2},
                                                        {"analyses", QJsonArray{"pixel_indicators"}}}},
                                    {"axes", QJsonArray{QJsonObject{{"key", "seed"}, {"values", QJsonArray{0, 1}}}}}})
                      .toJson());
        return path;
    }

    static QString logsOf(const QString &dir)
    {
        QString text;
        for (const QString &log : QDir(dir + "/logs").entryList({"*.out"}, QDir::Files)) {
            QFile f(dir + "/logs/" + log);
            f.open(QIODevice::ReadOnly);
            text += log + ":\n" + QString::fromUtf8(f.readAll());
        }
        return text;
    }

    QTemporaryDir m_dir;
    QString m_model;
};

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
