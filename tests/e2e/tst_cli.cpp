// Runs the built executables as a user would and checks their output and exit codes.
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "CliProcess.h"

#include <cmath>


class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void versionReportsRuntime();
    void helpListsCommands();
    void badUsageExitsTwoWithOneLine_data();
    void badUsageExitsTwoWithOneLine();
    void cfgJsonGivesThePaperSchedule();
    void threadsOptionIsHonoured();
    void studioVersion();
    void benchReportIsConsistent();
    void shippedModelGenerates();
    void autoencodeIsTheRoundTrip();
    void checkGoldenRunsEveryCase();
};

void TestCli::versionReportsRuntime()
{
    const CliResult r = cli({QStringLiteral("--version")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("LibTorch: ")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("Device: ")));
    QVERIFY(r.out.contains(QStringLiteral("Threads: ")));
}

void TestCli::helpListsCommands()
{
    const CliResult r = cli({QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    for (const char *command : {"info", "cfg", "bench", "demo"})
        QVERIFY2(r.out.contains(QStringLiteral("\n  %1 ").arg(QLatin1String(command))), command);
}

void TestCli::badUsageExitsTwoWithOneLine_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::addRow("unknown command") << QStringList{"frobnicate"} << "frobnicate";
    QTest::addRow("no command") << QStringList{} << "missing command";
    QTest::addRow("unknown option") << QStringList{"--frob"} << "--frob";
    QTest::addRow("missing value") << QStringList{"cfg", "--steps"} << "--steps";
    QTest::addRow("not a number") << QStringList{"cfg", "--s0", "high"} << "--s0";
    QTest::addRow("negative cfg") << QStringList{"cfg", "--type", "constant", "--scale", "-1"} << "scale";
    QTest::addRow("unexpected argument") << QStringList{"info", "extra"} << "extra";
    QTest::addRow("missing schedule file") << QStringList{"cfg", "--file", "/nonexistent/s.json"} << "/nonexistent/s.json";
    QTest::addRow("bad threads") << QStringList{"--threads", "zero", "info"} << "--threads";
    QTest::addRow("generate in fp8") << QStringList{"generate", "--prompt", "cat", "--out", "NEVER", "--cpu-matmuls", "fp8"}
                                     << "generate --cpu-matmuls";
    QTest::addRow("bench in fp8") << QStringList{"bench", "--cpu-matmuls", "fp8"} << "bench --cpu-matmuls";
    QTest::addRow("bench model without sd15") << QStringList{"bench", "--model", "/models/sd.safetensors"} << "--sd15";
    QTest::addRow("bench no pairs") << QStringList{"bench", "--peer", "--pairs", "0"} << "--pairs: must be from 1 to 100";
    QTest::addRow("bench endless pairs") << QStringList{"bench", "--peer", "--pairs", "2000000000"} << "--pairs: must be from 1 to 100";
    QTest::addRow("bench pairs without peer") << QStringList{"bench", "--pairs", "2"} << "only with --peer";
    QTest::addRow("bench peer with sd15") << QStringList{"bench", "--sd15", "--peer"} << "not with --sd15";
    // Checked before anything is read or written (NEVER must not exist afterwards).
    QTest::addRow("generate missing model") << QStringList{"generate", "--prompt", "cat", "--model", "/nonexistent/m.safetensors", "--out", "NEVER"}
                                            << "/nonexistent/m.safetensors";
    QTest::addRow("pretrain huge batch") << QStringList{"pretrain", "--data", "/nonexistent", "--out", "NEVER", "--batch", "999999999"}
                                         << "pretrain --batch: must be from 1 to 4096";
    QTest::addRow("pretrain negative seed") << QStringList{"pretrain", "--data", "/nonexistent", "--out", "NEVER", "--seed", "-1"}
                                            << "pretrain --seed";
    QTest::addRow("pretrain endless autoencoder") << QStringList{"pretrain", "--data", "/nonexistent", "--out", "NEVER", "--vae-steps", "2000000000"}
                                                  << "pretrain --vae-steps";
    QTest::addRow("pretrain-clip endless steps") << QStringList{"pretrain-clip", "--data", "/nonexistent", "--out", "NEVER", "--steps", "2000000000"}
                                                 << "pretrain-clip --steps";
    QTest::addRow("pretrain missing data") << QStringList{"pretrain", "--data", "/nonexistent", "--out", "NEVER"} << "pretrain --data: /nonexistent";
}

void TestCli::badUsageExitsTwoWithOneLine()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    const QString never = dir.filePath(QStringLiteral("never"));
    arguments.replaceInStrings(QStringLiteral("NEVER"), never);
    const CliResult r = cli(arguments);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
    QVERIFY2(r.err.startsWith(QStringLiteral("error: ")) && r.err.contains(mentions), qPrintable(r.err));
    QVERIFY2(!QFileInfo::exists(never), "an output folder was made before the input was checked");
}

void TestCli::cfgJsonGivesThePaperSchedule()
{
    const CliResult r = cli({QStringLiteral("cfg"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("steps")).toInt(), 30);
    const QJsonArray values = o.value(QStringLiteral("values")).toArray();
    QCOMPARE(values.size(), 30);
    for (int t = 0; t < 30; ++t)
        QCOMPARE(values.at(t).toDouble(), 7.5 * std::exp(-2.0 * t / 30.0));
}

void TestCli::threadsOptionIsHonoured()
{
    const CliResult r = cli({QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("info"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("threads")).toInt(), 1);
}

void TestCli::studioVersion()
{
    const CliResult r = runProgram(QStringLiteral(REDIFINE_STUDIO), {QStringLiteral("--version")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("ReDiFine Studio ")), qPrintable(r.out + r.err));
}

void TestCli::benchReportIsConsistent()
{
    const CliResult r = cli({QStringLiteral("bench"), QStringLiteral("--quick"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const double matmul = o.value(QStringLiteral("matmul")).toObject().value(QStringLiteral("gflops")).toDouble();
    const QJsonObject train = o.value(QStringLiteral("train_step")).toObject();
    QVERIFY(matmul > 0.0);
    QCOMPARE(train.value(QStringLiteral("batch")).toInt(), 4);
    // Achieved rate = counted FLOPs / measured time, and the fraction is taken against this run's matmul.
    QVERIFY(std::abs(train.value(QStringLiteral("gflops")).toDouble()
                     - train.value(QStringLiteral("gflop")).toDouble() / train.value(QStringLiteral("seconds")).toDouble()) < 1e-6);
    QVERIFY(std::abs(train.value(QStringLiteral("fraction_of_matmul")).toDouble()
                     - train.value(QStringLiteral("gflops")).toDouble() / matmul) < 1e-9);
    // Executed FLOPs are the model's (2 x forward) plus the LoRA work, over the same fastest step.
    QVERIFY(train.value(QStringLiteral("gflop")).toDouble() > train.value(QStringLiteral("model_gflop")).toDouble());
    QVERIFY(std::abs(train.value(QStringLiteral("model_gflops")).toDouble()
                     - train.value(QStringLiteral("model_gflop")).toDouble() / train.value(QStringLiteral("seconds")).toDouble()) < 1e-6);
    QVERIFY(train.value(QStringLiteral("mean_seconds")).toDouble() >= train.value(QStringLiteral("seconds")).toDouble());
    QVERIFY(o.value(QStringLiteral("sampling")).toObject().value(QStringLiteral("images_per_second")).toDouble() > 0.0);
    QVERIFY(o.value(QStringLiteral("peak_rss_mib")).toDouble() > 10.0);
    QVERIFY(o.value(QStringLiteral("model")).toObject().value(QStringLiteral("unet_parameters")).toInt() > 1000000);
}

void TestCli::shippedModelGenerates()
{
    // The README's promise: a fresh install draws with no download, from resources/models/tiny-base.safetensors.
    QTemporaryDir dir;
    const CliResult r = cli({"generate", "--prompt", "cat face, animal-mammal, animals & nature", "--steps", "4", "--out",
                          dir.path(), "--seed", "3"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QImage image(dir.filePath(QStringLiteral("0000.png")));
    QCOMPARE(image.size(), QSize(64, 64));
    QVERIFY(QImageReader(dir.filePath(QStringLiteral("0000.png"))).text(QStringLiteral("parameters")).startsWith(QStringLiteral("cat face")));
}

// Emoji through the shipped model's autoencoder: one PNG per image under its own name, and the printed PSNR is
// the one of the written files against the originals, over every 8-bit channel value. The round trip of
// 64-pixel emoji is close (the model card's held-out PSNR is about 24 dB) but not exact. Inputs that would lose
// images or cannot be encoded are refused before anything is written.
void TestCli::autoencodeIsTheRoundTrip()
{
    QTemporaryDir dir;
    const CliResult data = cli({"dataset", "emoji", "--out", dir.filePath("data"), "--group", "animals-nature", "--limit", "5"});
    QVERIFY2(data.exitCode == 0, qPrintable(data.err));
    const QString images = dir.filePath("data/1_animals-nature");
    const CliResult r = cli({"autoencode", "--images", images, "--out", dir.filePath("round-trip")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList written = QDir(dir.filePath("round-trip")).entryList({"*.png"}, QDir::Files, QDir::Name);
    QCOMPARE(written, QDir(images).entryList({"*.png"}, QDir::Files, QDir::Name));
    double squared = 0.0, values = 0.0;
    for (const QString &name : written) {
        const QImage a = QImage(QDir(images).filePath(name)).convertToFormat(QImage::Format_RGB888);
        const QImage b = QImage(dir.filePath("round-trip/" + name)).convertToFormat(QImage::Format_RGB888);
        QCOMPARE(b.size(), a.size());
        for (int y = 0; y < a.height(); ++y)
            for (int x = 0; x < 3 * a.width(); ++x) {
                const double d = double(a.constScanLine(y)[x]) - double(b.constScanLine(y)[x]);
                squared += d * d;
                values += 1.0;
            }
    }
    const double psnr = 10.0 * std::log10(255.0 * 255.0 / (squared / values));
    QVERIFY2(r.out.contains(QStringLiteral("5 images") + QStringLiteral(" through the autoencoder"))
                 && r.out.contains(QStringLiteral("PSNR %1 dB").arg(psnr, 0, 'f', 2)),
             qPrintable(r.out + QStringLiteral(" (computed here: %1)").arg(psnr)));
    QVERIFY2(psnr > 15.0 && psnr < 60.0, qPrintable(QString::number(psnr)));

    QCOMPARE(cli({"autoencode", "--images", images, "--out", images}).exitCode, 2);   // would overwrite the originals
    QVERIFY(QImage(dir.filePath("data/1_animals-nature/" + written.first())).save(dir.filePath("data/1_animals-nature/"
                                                                                              + QFileInfo(written.first()).completeBaseName() + ".jpg")));
    const CliResult twice = cli({"autoencode", "--images", images, "--out", dir.filePath("NEVER")});
    QCOMPARE(twice.exitCode, 2);
    QVERIFY2(twice.err.contains(QStringLiteral("two images are named")), qPrintable(twice.err));
    QDir small(dir.filePath("small"));
    QVERIFY(QDir().mkpath(small.path()) && QImage(32, 32, QImage::Format_RGB888).save(small.filePath("a.png")));
    const CliResult wrongSize = cli({"autoencode", "--images", small.path(), "--out", dir.filePath("NEVER")});
    QCOMPARE(wrongSize.exitCode, 2);
    QVERIFY2(wrongSize.err.contains(QStringLiteral("32x32")) && wrongSize.err.contains(QStringLiteral("64x64")), qPrintable(wrongSize.err));
    QVERIFY(!QFileInfo::exists(dir.filePath("NEVER")));
}

void TestCli::checkGoldenRunsEveryCase()
{
    const CliResult r = cli({"check-golden", QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("74 of 74 cases pass; 21 of 21 files as SHA256SUMS lists them")), qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("unet case b")) && r.out.contains(QStringLiteral("tokenizer sd_negative")));
    QVERIFY(r.out.contains(QStringLiteral("euler_a trailing 30 steps states")));
    QTemporaryDir empty;
    QCOMPARE(cli({"check-golden", empty.path()}).exitCode, 2);

    // A trajectory that is not the reference's fails: the last value of the file (the trailing run's
    // starting noise) made 1 larger changes its initial latents, states and result, and exits 1.
    QTemporaryDir altered;
    const QString runs = altered.filePath(QStringLiteral("scheduler_euler_a_runs.safetensors"));
    QVERIFY(QFile::copy(QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/scheduler_euler_a_runs.safetensors"), runs));
    QFile file(runs);
    QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner) && file.open(QIODevice::ReadWrite));
    float last = 0.0f;
    QVERIFY(file.seek(file.size() - 4) && file.read(reinterpret_cast<char *>(&last), 4) == 4);
    last += 1.0f;
    QVERIFY(file.seek(file.size() - 4) && file.write(reinterpret_cast<const char *>(&last), 4) == 4);
    file.close();
    const CliResult failed = cli({"check-golden", altered.path()});
    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(failed.out.contains(QStringLiteral("euler_a trailing 30 steps states")) && failed.out.contains(QStringLiteral("FAIL"))
                 && failed.out.contains(QStringLiteral("euler_a linspace 30 steps states")), qPrintable(failed.out));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
