// redifine spectrum, fingerprint and tsne as a user runs them: image folders and feature files in, JSON,
// .npy and PNG out, clear errors for bad input.
#include "core/io/Npy.h"

#include "CliProcess.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace redifine;

namespace {

// Grey stripes along x, 4 cycles over 32 pixels: 0.125 cycles per pixel.
void writeStripes(const QString &dir, int count)
{
    QDir().mkpath(dir);
    for (int n = 0; n < count; ++n) {
        QImage image(32, 32, QImage::Format_RGB888);
        for (int y = 0; y < 32; ++y)
            for (int x = 0; x < 32; ++x) {
                const int v = int(std::lround(127.5 + 100.0 * std::sin(2 * M_PI * 4 * x / 32.0 + n)));
                image.setPixel(x, y, qRgb(v, v, v));
            }
        QVERIFY(image.save(QDir(dir).filePath(QStringLiteral("%1.png").arg(n, 4, 10, QLatin1Char('0')))));
    }
}

} // namespace

class TestAnalysisCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void spectrumOfStripes()
    {
        QTemporaryDir tmp;
        writeStripes(tmp.filePath(QStringLiteral("images")), 5);
        const QString npy = tmp.filePath(QStringLiteral("spectrum.npy"));
        const CliResult r = cli({"spectrum", "--images", tmp.filePath(QStringLiteral("images")), "--npy", npy, "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value("images").toInt(), 5);
        const QJsonArray mean = o.value("radial").toObject().value("mean").toArray();
        const QJsonArray frequency = o.value("radial").toObject().value("frequency").toArray();
        // Standardised images keep 32 x 32 = 1024 of energy; 8-bit rounding leaves a little elsewhere.
        QCOMPARE(frequency[4].toDouble(), 0.125);
        QVERIFY2(mean[4].toDouble() > 0.99 * 1024, qPrintable(QString::number(mean[4].toDouble())));
        const NpyArray average = readNpy(o.value("spectrum_npy").toString());
        QCOMPARE(average.shape, (std::vector<int64_t>{32, 32}));
        QVERIFY(average.values[16 * 32 + 16 + 4] > 500.0);
    }

    // A flat grey picture has no spectrum: its standard deviation is rounding noise, which must not be scaled up
    // to the unit power of a real picture (it was: 1024 at DC for 32 x 32 grey).
    void flatImagesHaveNoPower()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("grey"));
        QDir().mkpath(dir);
        for (int n = 0; n < 3; ++n) {
            QImage image(32, 32, QImage::Format_RGB888);
            image.fill(QColor(128 + 40 * n, 128 + 40 * n, 128 + 40 * n));
            QVERIFY(image.save(QDir(dir).filePath(QStringLiteral("%1.png").arg(n))));
        }
        const CliResult r = cli({"spectrum", "--images", dir, "--npy", tmp.filePath(QStringLiteral("s.npy")), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const NpyArray average = readNpy(tmp.filePath(QStringLiteral("s.npy")));
        QCOMPARE(average.values.size(), size_t(32 * 32));
        for (double v : average.values)
            QCOMPARE(v, 0.0);
    }

    void fingerprintWritesMapsAndImages()
    {
        QTemporaryDir tmp;
        writeStripes(tmp.filePath(QStringLiteral("images")), 3);
        const QString out = tmp.filePath(QStringLiteral("fp"));
        const CliResult r = cli({"fingerprint", "--images", tmp.filePath(QStringLiteral("images")), "--out", out});
        QCOMPARE(r.exitCode, 0);
        const NpyArray autocorrelation = readNpy(QDir(out).filePath(QStringLiteral("autocorrelation.npy")));
        QCOMPARE(autocorrelation.shape, (std::vector<int64_t>{32, 32}));
        QCOMPARE(autocorrelation.values[16 * 32 + 16], 1.0);
        QVERIFY(!QImage(QDir(out).filePath(QStringLiteral("autocorrelation.png"))).isNull());
        QVERIFY(!QImage(QDir(out).filePath(QStringLiteral("residual_spectrum.png"))).isNull());
    }

    void tsneEmbedsSeveralSets()
    {
        QTemporaryDir tmp;
        NpyArray a, b;
        a.shape = b.shape = {30, 3};
        for (int i = 0; i < 90; ++i) {
            a.values.push_back(std::sin(i * 1.3));
            b.values.push_back(10.0 + std::cos(i * 0.7));
        }
        writeNpy(tmp.filePath(QStringLiteral("a.npy")), a, true);
        writeNpy(tmp.filePath(QStringLiteral("b.npy")), b);
        const QString y = tmp.filePath(QStringLiteral("y.npy"));
        const CliResult r = cli({"tsne", "--features", tmp.filePath(QStringLiteral("a.npy")), tmp.filePath(QStringLiteral("b.npy")),
                                 "--out", y, "--perplexity", "5", "--iterations", "300"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value("points").toInt(), 60);
        QCOMPARE(o.value("sets").toArray()[1].toObject().value("first_row").toInt(), 30);
        const NpyArray embedding = readNpy(y);
        QCOMPARE(embedding.shape, (std::vector<int64_t>{60, 2}));
        for (double v : embedding.values)
            QVERIFY(std::isfinite(v));
    }

    void metricsRunOnImageFolders()
    {
        QTemporaryDir tmp;
        const QString images = tmp.filePath(QStringLiteral("images"));
        writeStripes(images, 8);
        for (int n = 0; n < 8; ++n) {
            QFile caption(QDir(images).filePath(QStringLiteral("%1.txt").arg(n, 4, 10, QLatin1Char('0'))));
            QVERIFY(caption.open(QIODevice::WriteOnly));
            caption.write("grey stripes");
        }
        // A folder against itself: FD and SFD 0, full coverage; captions beside the images give the CLIP score.
        CliResult r = cli({"metrics", "run", "--reference", images, "--images", images, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonObject metrics = o.value("metrics").toObject();
        QVERIFY(std::abs(metrics.value("fd").toDouble(-1)) < 1e-6);
        QCOMPARE(metrics.value("sfd").toDouble(-1), 0.0);
        QCOMPARE(metrics.value("coverage").toDouble(), 1.0);
        QVERIFY(metrics.contains("clip_score"));
        QCOMPARE(o.value("images").toInt(), 8);
        QVERIFY(o.value("pixel_indicators").toObject().value("sharpness").toObject().value("mean").toDouble() > 0.0);

        const QString prompts = tmp.filePath(QStringLiteral("prompts.txt"));
        QFile file(prompts);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("one\ntwo\n");
        file.close();
        r = cli({"metrics", "run", "--reference", images, "--images", images, "--prompts", prompts});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("2 prompts for 8 images")), qPrintable(r.err));
        r = cli({"metrics", "run", "--reference", images, "--images", images, "--features", "dinov2:/nonexistent/model.safetensors"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("/nonexistent/model.safetensors")), qPrintable(r.err));
    }

    void badInputExitsTwoNamingTheProblem()
    {
        QTemporaryDir tmp;
        writeStripes(tmp.filePath(QStringLiteral("mixed")), 2);
        QImage(20, 20, QImage::Format_RGB888).save(tmp.filePath(QStringLiteral("mixed/zz.png")));
        CliResult r = cli({"spectrum", "--images", tmp.filePath(QStringLiteral("mixed"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("zz.png")) && r.err.contains(QStringLiteral("one size")), qPrintable(r.err));

        QDir().mkpath(tmp.filePath(QStringLiteral("empty")));
        r = cli({"fingerprint", "--images", tmp.filePath(QStringLiteral("empty")), "--out", tmp.filePath(QStringLiteral("fp"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("holds no PNG")), qPrintable(r.err));
        QVERIFY(!QDir(tmp.filePath(QStringLiteral("fp"))).exists());

        NpyArray nan;
        nan.shape = {10, 1};
        nan.values.assign(10, 0.0);
        nan.values[3] = std::nan("");
        writeNpy(tmp.filePath(QStringLiteral("nan.npy")), nan);
        r = cli({"tsne", "--features", tmp.filePath(QStringLiteral("nan.npy")), "--out", tmp.filePath(QStringLiteral("y.npy")), "--perplexity", "2"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("NaN")), qPrintable(r.err));
        QVERIFY(!QFile::exists(tmp.filePath(QStringLiteral("y.npy"))));
    }
};

QTEST_GUILESS_MAIN(TestAnalysisCli)
#include "tst_analysis_cli.moc"
