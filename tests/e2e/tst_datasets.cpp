// Datasets and pretraining from the command line: exact captions for known emoji, a whole tiny pipeline
// (render, load, pretrain, reload, generate) in seconds, and clear errors for bad folders.
#include "core/data/EmojiCatalog.h"
#include "core/data/ImageFolder.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include "CliProcess.h"

class TestDatasets : public QObject
{
    Q_OBJECT
private slots:
    void captionsOfKnownEmoji_data();
    void captionsOfKnownEmoji();
    void renderedDatasetLayout();
    void stylesDrawTheirOwnFonts();
    void wholeTinyPipeline();
    void badFoldersExitTwo_data();
    void badFoldersExitTwo();

private:
    QTemporaryDir m_dir;
};

void TestDatasets::captionsOfKnownEmoji_data()
{
    QTest::addColumn<QString>("codepoints");
    QTest::addColumn<QString>("style");
    QTest::addColumn<QString>("expected");
    QTest::newRow("cat face long") << "1F431" << "long" << "cat face, animal-mammal, animals & nature";
    QTest::newRow("cat face short") << "1F431" << "short" << "cat face";
    QTest::newRow("cat face tags") << "1F431" << "tags" << "cat, face, animal, mammal, animals, nature";
    QTest::newRow("skin tone kept") << "1F44B 1F3FB" << "long" << "waving hand: light skin tone, hand-fingers-open, people & body";
    QTest::newRow("flag") << "1F1EF 1F1F5" << "long" << "flag: japan, country-flag, flags";
    QTest::newRow("red apple") << "1F34E" << "short" << "red apple";
}

void TestDatasets::captionsOfKnownEmoji()
{
    QFETCH(QString, codepoints);
    QFETCH(QString, style);
    QFETCH(QString, expected);
    const QList<redifine::EmojiEntry> entries = redifine::readEmojiTest(redifine::defaultEmojiTestPath());
    QVERIFY(entries.size() > 3000);
    for (const redifine::EmojiEntry &e : entries) {
        if (e.codepoints == codepoints) {
            QCOMPARE(redifine::caption(e, redifine::parseCaptionStyle(style, "style")), expected);
            return;
        }
    }
    QFAIL("emoji not found");
}

void TestDatasets::renderedDatasetLayout()
{
    const QString out = m_dir.filePath(QStringLiteral("animals"));
    const CliResult r = cli({"dataset", "emoji", "--out", out, "--group", "Animals & Nature", "--limit", "12"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("12 images written")), qPrintable(r.out + r.err));
    const QDir dir(out);
    QCOMPARE(dir.entryList({"*.png"}).size(), 12);
    QCOMPARE(dir.entryList({"*.txt"}).size(), 12);
    QFile metadata(dir.filePath(QStringLiteral("metadata.jsonl")));
    QVERIFY(metadata.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = metadata.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 12);
    const QJsonObject first = QJsonDocument::fromJson(lines.first()).object();
    QCOMPARE(first.value(QStringLiteral("group")).toString(), QStringLiteral("Animals & Nature"));
    QCOMPARE(first.value(QStringLiteral("text")).toString(), QStringLiteral("monkey face, animal-mammal, animals & nature"));
    // Every image is a drawn glyph on white, not blank.
    const redifine::ImageFolder folder = redifine::loadImageFolder(out, 64);
    QCOMPARE(folder.images.size(), 12);
    QCOMPARE(folder.contentHash.size(), 64);
    for (const QImage &image : folder.images) {
        int coloured = 0;
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 64; ++x)
                coloured += image.pixel(x, y) != qRgb(255, 255, 255);
        QVERIFY(coloured > 200);
    }
    // Same folder, same hash; the hash follows the content.
    QCOMPARE(redifine::loadImageFolder(out, 64).contentHash, folder.contentHash);
}

void TestDatasets::stylesDrawTheirOwnFonts()
{
    // Noto Color Emoji is in colour; Symbola is monochrome, so its images hold only greys. (Qt's own option
    // parser used to swallow --style, and every Symbola dataset came out in Noto.)
    QTemporaryDir dir;
    int colouredPixels[2] = {0, 0};
    const QStringList styles{"noto", "symbola"};
    for (int s = 0; s < 2; ++s) {
        const QString out = dir.filePath(styles[s]);
        const CliResult r = cli({"dataset", "emoji", "--out", out, "--style", styles[s], "--group", "animals-nature", "--limit", "6"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const QString &file : QDir(out).entryList({"*.png"})) {
            const QImage image(QDir(out).filePath(file));
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    colouredPixels[s] += std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()}) > 40;
                }
        }
    }
    QVERIFY2(colouredPixels[0] > 1000, qPrintable(QString::number(colouredPixels[0])));
    QCOMPARE(colouredPixels[1], 0);
}

void TestDatasets::wholeTinyPipeline()
{
    const QString data = m_dir.filePath(QStringLiteral("faces"));
    QCOMPARE(cli({"dataset", "emoji", "--out", data, "--group", "smileys-emotion", "--limit", "12"}).exitCode, 0);
    const QString model = m_dir.filePath(QStringLiteral("model"));
    const CliResult trained = cli({"pretrain", "--data", data, "--out", model, "--vae-steps", "2", "--steps", "2",
                                "--batch", "4", "--checkpoint-every", "1"});
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.out + trained.err));
    QVERIFY(trained.out.contains(QStringLiteral("held-out PSNR")));
    QVERIFY(QFile::exists(model + QStringLiteral("/tiny-base.safetensors")));
    // A finished pretraining is not silently restarted.
    const CliResult again = cli({"pretrain", "--data", data, "--out", model});
    QCOMPARE(again.exitCode, 2);
    QVERIFY(again.err.contains(QStringLiteral("--resume")));
    const QString images = m_dir.filePath(QStringLiteral("generated"));
    const CliResult generated = cli({"generate", "--model", model + QStringLiteral("/tiny-base.safetensors"), "--prompt",
                                  "grinning face, face-smiling, smileys & emotion", "--prompt", "red heart", "--steps", "3",
                                  "--out", images});
    QVERIFY2(generated.exitCode == 0, qPrintable(generated.out + generated.err));
    QCOMPARE(QDir(images).entryList({"*.png"}).size(), 2);
}

void TestDatasets::badFoldersExitTwo_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing folder") << "missing" << "no such folder";
    QTest::newRow("empty folder") << "empty" << "no usable images";
    QTest::newRow("not images") << "notimages" << "no usable images";
    QTest::newRow("caption not utf-8") << "latin1" << "not UTF-8";
}

void TestDatasets::badFoldersExitTwo()
{
    QFETCH(QString, setup);
    QFETCH(QString, expected);
    const QString folder = m_dir.filePath(QStringLiteral("bad-") + setup);
    if (setup != QLatin1String("missing"))
        QVERIFY(QDir().mkpath(folder));
    const auto write = [&](const QString &name, const QByteArray &bytes) {
        QFile f(folder + QLatin1Char('/') + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    };
    if (setup == QLatin1String("notimages")) {
        write(QStringLiteral("a.png"), "this is not a png");
        write(QStringLiteral("a.txt"), "a caption");
    }
    if (setup == QLatin1String("latin1")) {
        QImage image(8, 8, QImage::Format_RGB888);
        image.fill(Qt::red);
        QVERIFY(image.save(folder + QStringLiteral("/a.png")));
        write(QStringLiteral("a.txt"), "caf\xe9 au lait");
    }
    const CliResult r = cli({"pretrain", "--data", folder, "--out", m_dir.filePath(QStringLiteral("out-") + setup)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(folder) && r.err.contains(expected), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
