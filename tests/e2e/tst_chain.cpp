// The Chain of Diffusion from the command line: a complete run folder, invalid settings refused before
// anything is written, other settings refused on an existing run, and runs killed with SIGKILL during
// finetuning and during generation that resume to byte-identical images.
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include "CliProcess.h"
#include "core/io/RunReader.h"
#include "core/io/Safetensors.h"
#include "tests/TimingAllowance.h"

#include <cmath>
#include <csignal>

#include <sys/resource.h>

namespace {

// Hashes of every image of a run and of the caption beside it, by relative path.
QMap<QString, QByteArray> imageHashes(const QString &run)
{
    QMap<QString, QByteArray> hashes;
    QDirIterator it(run, {QStringLiteral("*.png"), QStringLiteral("*.txt")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        hashes.insert(QDir(run).relativeFilePath(path), QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256));
    }
    return hashes;
}

} // namespace

class TestChain : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void quickChainLeavesACompleteRunFolder();
    void invalidSettingsExitTwoAndWriteNothing_data();
    void invalidSettingsExitTwoAndWriteNothing();
    void otherSettingsAreRefused();
    void anEditedDescriptionStillResumes();
    void relativeRunFolderCompletesAndResumes();
    void datasetHashNamesTheDataNotTheChain();
    void damagedOrEditedRunsAreRefusedOnResume();
    void skippedDatasetImagesAreReported();
    void killedRunsResumeToIdenticalImages_data();
    void killedRunsResumeToIdenticalImages();
    void interruptStopsWithinASecondAndResumes();
    void writeFailuresStopCleanlyAndResume_data();
    void writeFailuresStopCleanlyAndResume();
    void sd15ChainRunsOnADiffusersFolder();

private:
    QStringList chainArguments(const QString &run) const;
    QTemporaryDir m_dir;
    QString m_model;
    QMap<QString, QByteArray> m_reference;
};

void TestChain::initTestCase()
{
    // A base model made here: the chain's logic does not depend on how well M_0 draws.
    const QString data = m_dir.filePath(QStringLiteral("data"));
    QCOMPARE(cli({"dataset", "emoji", "--out", data, "--group", "food-drink", "--limit", "8"}).exitCode, 0);
    const CliResult trained = cli({"pretrain", "--data", data, "--out", m_dir.filePath(QStringLiteral("m0")), "--vae-steps", "1",
                                "--steps", "1", "--batch", "4"});
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    m_model = m_dir.filePath(QStringLiteral("m0/tiny-base.safetensors"));
}

QStringList TestChain::chainArguments(const QString &run) const
{
    return {"chain", "--preset", "redifine-quick", "--out", run, "--set", "model.path=" + m_model,
            "--set", "dataset.limit=6", "--set", "iterations=2", "--set", "finetune.max_steps=12",
            "--set", "sampler.steps=6", "--set", "sampler.batch_size=2"};
}

void TestChain::quickChainLeavesACompleteRunFolder()
{
    const QString run = m_dir.filePath(QStringLiteral("reference"));
    const CliResult r = cli(chainArguments(run));
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains(QStringLiteral("chain complete")));
    QFile chainFile(run + QStringLiteral("/chain.json"));
    QVERIFY(chainFile.open(QIODevice::ReadOnly));
    const QJsonObject chain = QJsonDocument::fromJson(chainFile.readAll()).object();
    QCOMPARE(chain.value(QStringLiteral("config")).toObject().value(QStringLiteral("iterations")).toInt(), 2);
    QCOMPARE(chain.value(QStringLiteral("config")).toObject().value(QStringLiteral("finetune")).toObject()
                 .value(QStringLiteral("condition_drop")).toDouble(), 0.2);
    QCOMPARE(chain.value(QStringLiteral("dataset_hash")).toString().size(), 64);
    for (int k = 0; k <= 2; ++k) {
        const QDir iteration(run + QStringLiteral("/iter_%1").arg(k));
        QStringList expected{"DONE", "metrics.json", "prompts.json", "latents.safetensors", "analysis/image_spectrum.json",
                             "analysis/image_spectrum.npy", "analysis/latent_spectrum.json", "analysis/latent_spectrum.npy",
                             "analysis/fingerprint_spectrum.npy", "analysis/fingerprint_autocorrelation.npy",
                             "analysis/latent_histogram.json"};
        if (k > 0)
            expected << QStringList{"lora.safetensors", "diffnorm.safetensors", "train_log.csv"};
        for (const QString &name : expected)
            QVERIFY2(iteration.exists(name), qPrintable(iteration.filePath(name)));
        QVERIFY(!iteration.exists(QStringLiteral("partial")));
        QCOMPARE(QDir(iteration.filePath(QStringLiteral("images"))).entryList({"*.png"}).size(), 6);
        // Each image's caption beside it, as other trainers read them: the prompt it was made from.
        QFile promptsFile(iteration.filePath(QStringLiteral("prompts.json")));
        QVERIFY(promptsFile.open(QIODevice::ReadOnly));
        const QJsonArray prompts = QJsonDocument::fromJson(promptsFile.readAll()).object().value(QStringLiteral("prompts")).toArray();
        QCOMPARE(prompts.size(), 6);
        QCOMPARE(QDir(iteration.filePath(QStringLiteral("images"))).entryList({"*.txt"}).size(), 6);
        for (int i = 0; i < 6; ++i) {
            QFile caption(iteration.filePath(QStringLiteral("images/%1.txt").arg(i, 4, 10, QLatin1Char('0'))));
            QVERIFY(caption.open(QIODevice::ReadOnly));
            QCOMPARE(QString::fromUtf8(caption.readAll()), prompts[i].toString());
        }
        // Analyses of every iteration, the original included: the pixel indicators are in range, the latent
        // histogram over the shared edges holds every latent value of the 6 images (4 x 16 x 16 each).
        QFile metricsFile(iteration.filePath(QStringLiteral("metrics.json")));
        QVERIFY(metricsFile.open(QIODevice::ReadOnly));
        const QJsonObject metrics = QJsonDocument::fromJson(metricsFile.readAll()).object();
        const QJsonObject pixels = metrics.value(QStringLiteral("pixel_indicators")).toObject();
        // Feature metrics against D_0 in tiny-clip features: D_0 against itself is at distance 0.
        const QJsonObject features = metrics.value(QStringLiteral("features")).toObject();
        QVERIFY2(features.contains(QStringLiteral("fd")) && features.contains(QStringLiteral("kid")) && features.contains(QStringLiteral("coverage"))
                     && features.contains(QStringLiteral("clip_score")) && features.contains(QStringLiteral("vendi")),
                 qPrintable(QJsonDocument(features).toJson()));
        if (k == 0) {
            QVERIFY(std::abs(features.value(QStringLiteral("fd")).toDouble()) < 1e-6);
            QCOMPARE(features.value(QStringLiteral("sfd")).toDouble(), 0.0);
            QCOMPARE(features.value(QStringLiteral("coverage")).toDouble(), 1.0);
        } else {
            QVERIFY(features.value(QStringLiteral("fd")).toDouble() > 0.0);
        }
        QVERIFY(iteration.exists(QStringLiteral("features_tiny-clip.npy")));
        const double saturation = pixels.value(QStringLiteral("saturation")).toObject().value(QStringLiteral("mean")).toDouble(-1);
        QVERIFY2(saturation > 0.0 && saturation < 1.0, qPrintable(QString::number(saturation)));
        QVERIFY(pixels.value(QStringLiteral("sharpness")).toObject().value(QStringLiteral("mean")).toDouble() > 0.0);
        QFile histogramFile(iteration.filePath(QStringLiteral("analysis/latent_histogram.json")));
        QVERIFY(histogramFile.open(QIODevice::ReadOnly));
        const QJsonObject all = QJsonDocument::fromJson(histogramFile.readAll()).object().value(QStringLiteral("all")).toObject();
        QCOMPARE(all.value(QStringLiteral("total")).toInt(), 6 * 4 * 16 * 16);
        double integral = 0.0;
        for (const QJsonValue &d : all.value(QStringLiteral("density")).toArray())
            integral += d.toDouble() * 0.1;   // bin width: 12 / 120
        const double inside = 1.0 - (all.value(QStringLiteral("below")).toInt() + all.value(QStringLiteral("above")).toInt()) / double(6 * 4 * 16 * 16);
        QVERIFY2(std::abs(integral - inside) < 1e-9, qPrintable(QString::number(integral)));
        if (k > 0) {
            const QString parameters = QImageReader(iteration.filePath(QStringLiteral("images/0003.png"))).text(QStringLiteral("parameters"));
            QVERIFY2(parameters.contains(QStringLiteral("Steps: 6")) && parameters.contains(QStringLiteral("exponential s0=7.5 alpha=2")),
                     qPrintable(parameters));
            QFile log(iteration.filePath(QStringLiteral("train_log.csv")));
            QVERIFY(log.open(QIODevice::ReadOnly));
            QCOMPARE(log.readAll().count('\n'), 13);   // header + 12 steps
        }
    }
    m_reference = imageHashes(run);
    QCOMPARE(m_reference.size(), 36);   // 3 iterations x 6 images, each with its caption

    // A done iteration that lacks captions (a run from before they were written) gets them on resume.
    QVERIFY(QFile::remove(run + QStringLiteral("/iter_1/images/0002.txt")));
    QVERIFY(QFile::remove(run + QStringLiteral("/iter_0/images/0005.txt")));
    const CliResult resumed = cli({"chain", "--resume", run});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.out + resumed.err));
    QCOMPARE(imageHashes(run), m_reference);
}

void TestChain::invalidSettingsExitTwoAndWriteNothing_data()
{
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<QString>("field");
    QTest::newRow("negative cfg") << "sampler.cfg={\"type\":\"constant\",\"scale\":-1}" << "sampler.cfg.scale";
    QTest::newRow("p outside [0, 1]") << "finetune.condition_drop=1.5" << "finetune.condition_drop";
    QTest::newRow("zero steps") << "sampler.steps=0" << "sampler.steps";
    QTest::newRow("K = 0") << "iterations=0" << "iterations";
    QTest::newRow("missing dataset") << "dataset.path=/nonexistent/emoji" << "dataset.path";
    QTest::newRow("unknown key") << "finetune.learning_rate=1" << "finetune.learning_rate";
    QTest::newRow("unknown analysis") << "analyses=[\"spectrum\"]" << "analyses";
    // Sizes that would allocate or loop for hours are bounded at validation.
    QTest::newRow("rank 2e9") << "finetune.lora_rank=2000000000" << "finetune.lora_rank";
    QTest::newRow("LoCon rank 2e9") << "finetune.conv_rank=2000000000" << "finetune.conv_rank";
    QTest::newRow("negative LoCon rank") << "finetune.conv_rank=-1" << "finetune.conv_rank";
    QTest::newRow("negative LoCon alpha") << "finetune.conv_alpha=-2" << "finetune.conv_alpha";
    QTest::newRow("2e9 images per prompt") << "images_per_prompt=2000000000" << "images_per_prompt";
    QTest::newRow("2e9 iterations") << "iterations=2000000000" << "iterations";
    QTest::newRow("learning rate beyond float") << "finetune.unet_lr=1e300" << "finetune.unet_lr";
    QTest::newRow("batch 1e9") << "sampler.batch_size=1000000000" << "sampler.batch_size";
    QTest::newRow("cpu matmuls in fp8") << "cpu_matmuls=\"fp8\"" << "cpu_matmuls";
    // Found before anything is written: the feature extractor's file and a dataset without a usable image.
    QTest::newRow("missing feature extractor") << "features=dinov2:/nonexistent/dinov2.safetensors" << "features dinov2";
    QTest::newRow("dataset without images") << "dataset.path=" REDIFINE_SOURCE_DIR "/tests/e2e" << REDIFINE_SOURCE_DIR "/tests/e2e";
}

void TestChain::invalidSettingsExitTwoAndWriteNothing()
{
    QFETCH(QString, assignment);
    QFETCH(QString, field);
    const QString run = m_dir.filePath(QStringLiteral("invalid"));
    QStringList arguments = chainArguments(run);
    arguments << "--set" << assignment;
    const CliResult r = cli(arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith(QStringLiteral("error: ") + field), qPrintable(r.err));
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    QVERIFY(!QDir(run).exists());
}

// A completed iteration is what its DONE recorded: an edited chain.json or a damaged file is refused on resume,
// naming the file, and the studio's reader lists the same problem.
void TestChain::damagedOrEditedRunsAreRefusedOnResume()
{
    const QString reference = m_dir.filePath(QStringLiteral("reference"));
    const auto copyOfReference = [&](const QString &name) {
        const QString copy = m_dir.filePath(name);
        QDirIterator it(reference, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString target = QDir(copy).filePath(QDir(reference).relativeFilePath(path));
            QDir().mkpath(QFileInfo(target).path());
            QFile::copy(path, target);
        }
        return copy;
    };
    const QString edited = copyOfReference(QStringLiteral("edited"));
    QFile chainFile(edited + QStringLiteral("/chain.json"));
    QVERIFY(chainFile.open(QIODevice::ReadOnly));
    QJsonObject chain = QJsonDocument::fromJson(chainFile.readAll()).object();
    chainFile.close();
    QJsonObject config = chain.value(QStringLiteral("config")).toObject();
    QJsonObject sampler = config.value(QStringLiteral("sampler")).toObject();
    sampler.insert(QStringLiteral("steps"), 7);
    config.insert(QStringLiteral("sampler"), sampler);
    chain.insert(QStringLiteral("config"), config);
    QVERIFY(chainFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
    chainFile.write(QJsonDocument(chain).toJson());
    chainFile.close();
    const CliResult editedRun = cli({"chain", "--resume", edited});
    QCOMPARE(editedRun.exitCode, 2);
    QVERIFY2(editedRun.err.contains(QStringLiteral("was edited after iteration 0 was made")), qPrintable(editedRun.err));

    const QString truncated = copyOfReference(QStringLiteral("truncated"));
    const QString image = truncated + QStringLiteral("/iter_1/images/0003.png");
    QVERIFY(QFile::resize(image, 100));
    const CliResult truncatedRun = cli({"chain", "--resume", truncated});
    QCOMPARE(truncatedRun.exitCode, 2);
    QVERIFY2(truncatedRun.err.contains(QStringLiteral("iteration 1 is damaged")) && truncatedRun.err.contains(image), qPrintable(truncatedRun.err));
    QCOMPARE(truncatedRun.err.count(QLatin1Char('\n')), 1);
    QVERIFY2(redifine::readRunSummary(truncated).problems.join(QLatin1Char(' ')).contains(image), qPrintable(redifine::readRunSummary(truncated).problems.join(' ')));

    // Same size, other bytes: found by the SHA-256 on resume.
    const QString altered = copyOfReference(QStringLiteral("altered"));
    QFile metrics(altered + QStringLiteral("/iter_2/metrics.json"));
    QVERIFY(metrics.open(QIODevice::ReadWrite));
    QByteArray bytes = metrics.readAll();
    bytes[bytes.size() / 2] = bytes[bytes.size() / 2] == '1' ? '2' : '1';
    QVERIFY(metrics.seek(0) && metrics.write(bytes) == bytes.size());
    metrics.close();
    const CliResult alteredRun = cli({"chain", "--resume", altered});
    QCOMPARE(alteredRun.exitCode, 2);
    QVERIFY2(alteredRun.err.contains(QStringLiteral("SHA-256 differs")) && alteredRun.err.contains(QStringLiteral("iter_2/metrics.json")),
             qPrintable(alteredRun.err));
    // The untouched run resumes as complete.
    const CliResult intact = cli({"chain", "--resume", copyOfReference(QStringLiteral("intact"))});
    QVERIFY2(intact.exitCode == 0, qPrintable(intact.err));
}

// A corrupt image in D_0's folder is never dropped silently: a warning line each and the list in chain.json.
void TestChain::skippedDatasetImagesAreReported()
{
    const QString data = m_dir.filePath(QStringLiteral("with-corrupt"));
    QDir().mkpath(data);
    for (int i = 0; i < 3; ++i) {
        QImage image(64, 64, QImage::Format_RGB888);
        image.fill(QColor::fromHsv(i * 100, 200, 200));
        QVERIFY(image.save(QDir(data).filePath(QStringLiteral("%1.png").arg(i))));
        QFile caption(QDir(data).filePath(QStringLiteral("%1.txt").arg(i)));
        QVERIFY(caption.open(QIODevice::WriteOnly));
        caption.write("a coloured square");
    }
    QFile bad(QDir(data).filePath(QStringLiteral("bad.png")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("\x89PNG\r\n\x1a\nnot really");
    bad.close();
    QFile badCaption(QDir(data).filePath(QStringLiteral("bad.txt")));
    QVERIFY(badCaption.open(QIODevice::WriteOnly));
    badCaption.write("broken");
    badCaption.close();
    const QString run = m_dir.filePath(QStringLiteral("skipped"));
    const CliResult r = cli({"chain", "--preset", "redifine-quick", "--out", run, "--set", "model.path=" + m_model, "--set",
                             "dataset.path=" + data, "--set", "iterations=1", "--set", "finetune.max_steps=2", "--set", "sampler.steps=2"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("warning: D_0: skipped ") + QDir(data).filePath(QStringLiteral("bad.png"))), qPrintable(r.err));
    QFile chainFile(run + QStringLiteral("/chain.json"));
    QVERIFY(chainFile.open(QIODevice::ReadOnly));
    const QJsonArray skipped = QJsonDocument::fromJson(chainFile.readAll()).object().value(QStringLiteral("dataset_skipped")).toArray();
    QCOMPARE(skipped.size(), 1);
    QVERIFY(skipped.first().toString().contains(QStringLiteral("bad.png")));
}

void TestChain::otherSettingsAreRefused()
{
    const QString run = m_dir.filePath(QStringLiteral("reference"));
    QStringList arguments = chainArguments(run);
    arguments << "--set" << "finetune.condition_drop=0.1";
    const CliResult r = cli(arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("made with other settings")) && r.err.contains(QStringLiteral("finetune.condition_drop")),
             qPrintable(r.err));
    QCOMPARE(imageHashes(run), m_reference);   // nothing touched
}

// The description changes no image: a preset whose text was edited since still resumes (here: verifies) its old
// runs, and the run keeps the description it was made with.
void TestChain::anEditedDescriptionStillResumes()
{
    const QString run = m_dir.filePath(QStringLiteral("reference"));
    QFile chainFile(run + QStringLiteral("/chain.json"));
    QVERIFY(chainFile.open(QIODevice::ReadOnly));
    const QByteArray before = chainFile.readAll();
    chainFile.close();
    QStringList arguments = chainArguments(run);
    arguments << "--set" << "description=a note edited since";
    const CliResult r = cli(arguments);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(imageHashes(run), m_reference);
    QVERIFY(chainFile.open(QIODevice::ReadOnly));
    const QByteArray after = chainFile.readAll();
    QVERIFY(!after.contains("a note edited since"));
    QCOMPARE(QJsonDocument::fromJson(after).object().value(QStringLiteral("config")),
             QJsonDocument::fromJson(before).object().value(QStringLiteral("config")));
}

// A run folder named relative to the working directory, as users type it: the DONE manifest names each file
// relative to its iteration, and running the complete chain again verifies it and has nothing to do.
void TestChain::relativeRunFolderCompletesAndResumes()
{
    const QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(m_dir.path()));
    const CliResult first = cli(chainArguments(QStringLiteral("runs/relative")));
    const CliResult again = cli(chainArguments(QStringLiteral("runs/relative")));
    QVERIFY(QDir::setCurrent(previous));
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QFile done(m_dir.filePath(QStringLiteral("runs/relative/iter_2/DONE")));
    QVERIFY(done.open(QIODevice::ReadOnly));
    const QJsonObject files = QJsonDocument::fromJson(done.readAll()).object().value(QStringLiteral("files")).toObject();
    QVERIFY2(files.contains(QStringLiteral("analysis/fingerprint_autocorrelation.npy")), qPrintable(files.keys().join(' ')));
    QVERIFY(files.contains(QStringLiteral("lora.safetensors")));
}

// chain.json's dataset_hash identifies D_0: two chains with different names (which every PNG's metadata records)
// drawn from the same data share it, and one image fewer changes it.
void TestChain::datasetHashNamesTheDataNotTheChain()
{
    const auto datasetHash = [](const QString &run) {
        QFile f(run + QStringLiteral("/chain.json"));
        return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("dataset_hash")).toString()
                                           : QString();
    };
    const QString reference = datasetHash(m_dir.filePath(QStringLiteral("reference")));
    QCOMPARE(reference.size(), 64);
    const QString renamed = m_dir.filePath(QStringLiteral("renamed"));
    const CliResult r = cli(chainArguments(renamed) << "--set" << "name=another-name" << "--set" << "iterations=1");
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(datasetHash(renamed), reference);
    const QString fewer = m_dir.filePath(QStringLiteral("fewer"));
    const CliResult f = cli(chainArguments(fewer) << "--set" << "dataset.limit=5" << "--set" << "iterations=1");
    QVERIFY2(f.exitCode == 0, qPrintable(f.err));
    QCOMPARE(datasetHash(fewer).size(), 64);
    QVERIFY(datasetHash(fewer) != reference);
}

void TestChain::killedRunsResumeToIdenticalImages_data()
{
    QTest::addColumn<QString>("killAt");
    QTest::newRow("during finetuning") << "[iteration 2/2] finetune";
    QTest::newRow("during generation") << "[iteration 1/2] generate";
}

void TestChain::killedRunsResumeToIdenticalImages()
{
    QFETCH(QString, killAt);
    QVERIFY(!m_reference.isEmpty());
    const QString run = m_dir.filePath(QStringLiteral("killed-") + QString::number(qHash(killAt)));
    QProcess process;
    process.start(QStringLiteral(REDIFINE_CLI), chainArguments(run));
    QByteArray seen;
    while (!seen.contains(killAt.toUtf8())) {
        QVERIFY2(process.waitForReadyRead(300000), "the chain ended before reaching the kill point");
        seen += process.readAllStandardOutput();
    }
    ::kill(pid_t(process.processId()), SIGKILL);
    process.waitForFinished();
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
    QVERIFY(!QFile::exists(run + QStringLiteral("/iter_2/DONE")));

    const CliResult resumed = cli({"chain", "--resume", run});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.out + resumed.err));
    QCOMPARE(imageHashes(run), m_reference);
}

void TestChain::interruptStopsWithinASecondAndResumes()
{
    QVERIFY(!m_reference.isEmpty());
    const QString run = m_dir.filePath(QStringLiteral("interrupted"));
    QProcess process;
    process.start(QStringLiteral(REDIFINE_CLI), chainArguments(run));
    QByteArray seen;
    while (!seen.contains("[iteration 1/2] generate")) {
        QVERIFY2(process.waitForReadyRead(300000), "the chain ended before generating");
        seen += process.readAllStandardOutput();
    }
    QElapsedTimer timer;
    timer.start();
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(10000));
    QVERIFY2(timer.elapsed() < 1000 * kTimingAllowance, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 130);
    QVERIFY(QString::fromUtf8(seen + process.readAllStandardOutput()).contains(QStringLiteral("redifine chain --resume")));
    const CliResult resumed = cli({"chain", "--resume", run});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.out + resumed.err));
    QCOMPARE(imageHashes(run), m_reference);
}

void TestChain::writeFailuresStopCleanlyAndResume_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("file size limit (EFBIG)") << "rlimit";
    QTest::newRow("full disk (ENOSPC, tmpfs)") << "tmpfs";
}

void TestChain::writeFailuresStopCleanlyAndResume()
{
    QFETCH(QString, kind);
    QVERIFY(!m_reference.isEmpty());
    QString run = m_dir.filePath(QStringLiteral("write-failure-") + kind);
    // The adapter of iteration 1 (about 4 MB) does not fit; D_0 and its analyses (a few hundred kB) do.
    const QString mountPoint = m_dir.filePath(QStringLiteral("small-disk"));
    if (kind == QLatin1String("tmpfs")) {
        QDir().mkpath(mountPoint);
        if (QProcess::execute(QStringLiteral("mount"), {"-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint}) != 0)
            QSKIP("cannot mount a tmpfs here (needs root); the file-size-limit case covers the error path");
        run = QDir(mountPoint).filePath(QStringLiteral("run"));
    }
    const auto unmount = qScopeGuard([&] {
        if (kind == QLatin1String("tmpfs"))
            QProcess::execute(QStringLiteral("umount"), {mountPoint});
    });
    QProcess process;
    if (kind == QLatin1String("rlimit"))
        process.setChildProcessModifier([] {
            const rlimit limit{1 << 20, 1 << 20};
            ::setrlimit(RLIMIT_FSIZE, &limit);
            ::signal(SIGXFSZ, SIG_IGN);
        });
    process.start(QStringLiteral(REDIFINE_CLI), chainArguments(run));
    QVERIFY(process.waitForFinished(300000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 1);
    QVERIFY2(err.startsWith(QStringLiteral("error: ") + run) && err.count(QLatin1Char('\n')) == 1, qPrintable(err));
    QVERIFY(QFile::exists(run + QStringLiteral("/iter_0/DONE")));
    QVERIFY(!QFile::exists(run + QStringLiteral("/iter_1/DONE")));

    // With room again, the run resumes to exactly the images of an uninterrupted run.
    if (kind == QLatin1String("tmpfs"))
        QCOMPARE(QProcess::execute(QStringLiteral("mount"), {"-o", "remount,size=256m", mountPoint}), 0);
    const CliResult resumed = cli({"chain", "--resume", run});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.out + resumed.err));
    QCOMPARE(imageHashes(run), m_reference);
}

QTEST_GUILESS_MAIN(TestChain)
// The sd15 family end to end on the golden tiny SD1.5-architecture model (random weights, same code path as a
// real checkpoint) laid out as a diffusers folder: the chain loads it with its CLIP tokenizer, finetunes kohya
// LoRA adapters on the UNet's transformer blocks (1x1-conv proj_in/proj_out as 4-D weights) and the CLIP text
// encoder, and generates 64 x 64 images. A resolution the model cannot divide, or sd15 without a checkpoint,
// is refused before anything is written.
void TestChain::sd15ChainRunsOnADiffusersFolder()
{
    const QDir golden(QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden"));
    const QDir folder(m_dir.filePath(QStringLiteral("sd15-tiny")));
    for (const char *part : {"unet", "vae", "text_encoder", "tokenizer"})
        QVERIFY(folder.mkpath(QLatin1String(part)));
    const QList<QPair<QString, QString>> files{{"unet_config.json", "unet/config.json"},
                                               {"unet_diffusers.safetensors", "unet/diffusion_pytorch_model.safetensors"},
                                               {"vae_config.json", "vae/config.json"},
                                               {"vae_diffusers.safetensors", "vae/diffusion_pytorch_model.safetensors"},
                                               {"clip_text_config.json", "text_encoder/config.json"},
                                               {"clip_text_transformers.safetensors", "text_encoder/model.safetensors"},
                                               {"tokenizer_vocab.json", "tokenizer/vocab.json"},
                                               {"tokenizer_merges.txt", "tokenizer/merges.txt"}};
    for (const auto &[from, to] : files)
        QVERIFY(QFile::copy(golden.filePath(from), folder.filePath(to)));

    const QString run = m_dir.filePath(QStringLiteral("sd15-run"));
    QStringList arguments{"chain", "--preset", "redifine-quick", "--out", run, "--set", "model.family=sd15",
                          "--set", "model.path=" + folder.path(), "--set", "model.resolution=64", "--set", "dataset.limit=4",
                          "--set", "iterations=1", "--set", "finetune.max_steps=3", "--set", "sampler.steps=4",
                          "--set", "sampler.batch_size=2"};
    const CliResult refused = cli(QStringList(arguments) << "--set" << "model.resolution=32");
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(QStringLiteral("model.resolution")), qPrintable(refused.err));
    const CliResult noCheckpoint = cli({"chain", "--preset", "redifine-quick", "--out", run, "--set", "model.family=sd15"});
    QCOMPARE(noCheckpoint.exitCode, 2);
    QVERIFY2(noCheckpoint.err.startsWith(QStringLiteral("error: model.path")), qPrintable(noCheckpoint.err));
    QVERIFY(!QDir(run).exists());

    const CliResult r = cli(arguments);
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    const QDir iteration(run + QStringLiteral("/iter_1"));
    QVERIFY(iteration.exists(QStringLiteral("DONE")));
    const QStringList images = QDir(iteration.filePath(QStringLiteral("images"))).entryList({"*.png"});
    QCOMPARE(images.size(), 4);
    QCOMPARE(QImageReader(iteration.filePath(QStringLiteral("images/") + images.first())).size(), QSize(64, 64));
    QFile loraFile(iteration.filePath(QStringLiteral("lora.safetensors")));
    QVERIFY(loraFile.open(QIODevice::ReadOnly));
    const QByteArray bytes = loraFile.readAll();
    const redifine::SafetensorsHeader lora = redifine::parseSafetensorsHeader(reinterpret_cast<const uint8_t *>(bytes.constData()),
                                                                              size_t(bytes.size()), loraFile.fileName());
    const redifine::TensorEntry *projIn = lora.find("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight");
    QVERIFY(projIn);
    QCOMPARE(projIn->shape, (std::vector<int64_t>{32, 16, 1, 1}));
    QVERIFY(lora.find("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn2_to_k.lora_up.weight"));
    QVERIFY(lora.find("lora_te_text_model_encoder_layers_2_mlp_fc2.alpha"));

    // The chain's adapter on the same checkpoint from `redifine generate`.
    const QString out = m_dir.filePath(QStringLiteral("sd15-generated"));
    const CliResult generated = cli({"generate", "--sd15", "--model", folder.path(), "--resolution", "64", "--lora",
                                     iteration.filePath(QStringLiteral("lora.safetensors")), "--prompt", "a red apple",
                                     "--prompt", "a green frog", "--steps", "3", "--out", out});
    QVERIFY2(generated.exitCode == 0, qPrintable(generated.err));
    const QStringList written = QDir(out).entryList({"*.png"});
    QCOMPARE(written.size(), 2);
    QCOMPARE(QImageReader(QDir(out).filePath(written.first())).size(), QSize(64, 64));

    // The SD benchmark through the same path: a sampling step and LoRA training steps at batch 6.
    const CliResult bench = cli({"bench", "--sd15", "--model", folder.path(), "--resolution", "64", "--train", "--json"});
    QVERIFY2(bench.exitCode == 0, qPrintable(bench.err));
    const QJsonObject report = QJsonDocument::fromJson(bench.out.toUtf8()).object();
    const QJsonObject step = report.value(QStringLiteral("sampling_step")).toObject();
    QVERIFY(step.value(QStringLiteral("seconds")).toDouble() > 0.0);
    QVERIFY(std::abs(step.value(QStringLiteral("gflops")).toDouble()
                     - step.value(QStringLiteral("gflop")).toDouble() / step.value(QStringLiteral("seconds")).toDouble()) < 1e-6);
    const QJsonObject train = report.value(QStringLiteral("lora_train_step")).toObject();
    QCOMPARE(train.value(QStringLiteral("batch")).toInt(), 6);
    QVERIFY(train.value(QStringLiteral("seconds")).toDouble() > 0.0);
    QVERIFY(train.value(QStringLiteral("mean_seconds")).toDouble() >= train.value(QStringLiteral("seconds")).toDouble());
    QCOMPARE(report.value(QStringLiteral("resolution")).toInt(), 64);
    // Fractions are taken against this run's matrix multiply (fp32 on the CPU).
    const double matmul = report.value(QStringLiteral("matmul_gflops")).toDouble();
    QCOMPARE(report.value(QStringLiteral("matmul_kind")).toString(), QStringLiteral("CPU fp32 1024 x 1024"));
    QVERIFY(std::abs(step.value(QStringLiteral("fraction_of_matmul")).toDouble() - step.value(QStringLiteral("gflops")).toDouble() / matmul) < 1e-9);
    QVERIFY(std::abs(train.value(QStringLiteral("fraction_of_matmul")).toDouble()
                     - train.value(QStringLiteral("model_gflop")).toDouble() / train.value(QStringLiteral("seconds")).toDouble() / matmul) < 1e-9);
}

#include "tst_chain.moc"
