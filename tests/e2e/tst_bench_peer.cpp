// `redifine bench --peer`: the tiny family's training step and sampling against their eager-PyTorch peer
// (tests/device/peer_tiny.py), run by the built CLI as a user would.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "CliProcess.h"

#include <cmath>

namespace {

CliResult cliWith(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(REDIFINE_CLI), arguments);
    if (!process.waitForFinished(600000))
        qFatal("redifine did not finish");
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

// Whether any python3 on PATH imports torch: the test's own answer, not the product's.
bool pythonWithTorchOnPath()
{
    for (const QString &dir : qEnvironmentVariable("PATH").split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
        const QString python = QDir(dir).filePath(QStringLiteral("python3"));
        if (!QFileInfo(python).isExecutable())
            continue;
        QProcess probe;
        probe.start(python, {QStringLiteral("-c"), QStringLiteral("import torch")});
        if (probe.waitForFinished(120000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0)
            return true;
    }
    return false;
}

bool positiveFinite(const QJsonValue &v)
{
    return v.isDouble() && std::isfinite(v.toDouble()) && v.toDouble() > 0.0;
}

} // namespace

class TestBenchPeer : public QObject
{
    Q_OBJECT
private slots:
    void withoutPythonTorchExitsTwo_data();
    void withoutPythonTorchExitsTwo();
    void quickPairGivesRatios();
};

void TestBenchPeer::withoutPythonTorchExitsTwo_data()
{
    QTest::addColumn<bool>("fakePython");
    QTest::addRow("no python3 on PATH") << false;
    QTest::addRow("python3 without torch") << true;
}

void TestBenchPeer::withoutPythonTorchExitsTwo()
{
    QFETCH(bool, fakePython);
    QTemporaryDir bin;
    if (fakePython) {   // a python3 that cannot import anything
        QFile python(bin.filePath(QStringLiteral("python3")));
        QVERIFY(python.open(QIODevice::WriteOnly));
        python.write("#!/bin/sh\nexit 1\n");
        python.close();
        QVERIFY(python.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    }
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PATH"), bin.path());
    QElapsedTimer timer;
    timer.start();
    const CliResult r = cliWith({QStringLiteral("bench"), QStringLiteral("--peer")}, environment);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err, QStringLiteral("error: bench --peer: needs python3 with torch (Debian: apt-get install python3-torch)\n"));
    QVERIFY(r.out.isEmpty());
    // Found out before the benchmark runs (the full benchmark takes minutes).
    QVERIFY2(timer.elapsed() < 60000, qPrintable(QString::number(timer.elapsed())));
}

void TestBenchPeer::quickPairGivesRatios()
{
    if (!pythonWithTorchOnPath())
        QSKIP("no python3 with torch on PATH (Debian: apt-get install python3-torch)");
    const CliResult r = cli({"bench", "--quick", "--peer", "--pairs", "1", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonObject peer = report.value(QStringLiteral("peer")).toObject();
    const QJsonArray pairs = peer.value(QStringLiteral("pairs")).toArray();
    QCOMPARE(pairs.size(), 1);
    for (const char *part : {"train_step", "sampling"}) {
        const QJsonObject pair = pairs.at(0).toObject().value(QLatin1String(part)).toObject();
        QVERIFY2(positiveFinite(pair.value(QStringLiteral("product_seconds"))) && positiveFinite(pair.value(QStringLiteral("peer_seconds"))), part);
        const double ratio = pair.value(QStringLiteral("ratio")).toDouble();
        QVERIFY2(std::abs(ratio - pair.value(QStringLiteral("peer_seconds")).toDouble() / pair.value(QStringLiteral("product_seconds")).toDouble()) < 1e-9, part);
        // One pair: its ratio is the median.
        const QJsonValue median = peer.value(QLatin1String(part)).toObject().value(QStringLiteral("median_ratio"));
        QVERIFY2(positiveFinite(median) && median.toDouble() == ratio, part);
    }
    // The quick sizes on both sides, the same threads, BLAS library and kernels, and the same model.
    QCOMPARE(peer.value(QStringLiteral("train_step")).toObject().value(QStringLiteral("batch")).toInt(), 4);
    QCOMPARE(peer.value(QStringLiteral("sampling")).toObject().value(QStringLiteral("steps")).toInt(), 3);
    QCOMPARE(peer.value(QStringLiteral("peer_threads")).toInt(), report.value(QStringLiteral("threads")).toInt());
    const QJsonObject blas = peer.value(QStringLiteral("blas")).toObject();
    QCOMPARE(blas.value(QStringLiteral("peer")).toString(), blas.value(QStringLiteral("product")).toString());
    QCOMPARE(blas.value(QStringLiteral("peer_kernels")).toString(), blas.value(QStringLiteral("product_kernels")).toString());
    const QJsonObject model = report.value(QStringLiteral("model")).toObject();
    const QJsonObject parameters = peer.value(QStringLiteral("parameters")).toObject();
    QCOMPARE(parameters.value(QStringLiteral("unet")).toInteger(), model.value(QStringLiteral("unet_parameters")).toInteger());
    QCOMPARE(parameters.value(QStringLiteral("text_encoder")).toInteger(), model.value(QStringLiteral("text_encoder_parameters")).toInteger());
    QCOMPARE(parameters.value(QStringLiteral("vae")).toInteger(), model.value(QStringLiteral("vae_parameters")).toInteger());
    // kohya's placement: 12 layers in each of the 7 transformer blocks, 6 in each of the 4 text layers, down and up.
    const QJsonObject adapters = peer.value(QStringLiteral("lora_tensors")).toObject();
    QCOMPARE(adapters.value(QStringLiteral("unet")).toInt(), 168);
    QCOMPARE(adapters.value(QStringLiteral("text_encoder")).toInt(), 48);
}

QTEST_GUILESS_MAIN(TestBenchPeer)
#include "tst_bench_peer.moc"
