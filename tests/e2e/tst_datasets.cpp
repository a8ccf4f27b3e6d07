// Datasets and pretraining from the command line: exact captions for known emoji, a whole tiny pipeline
// (render, load, pretrain, reload, generate) in seconds, and clear errors for bad folders.
#include "core/chain/ChainConfig.h"
#include "core/common/Error.h"
#include "core/data/EmojiCatalog.h"
#include "core/data/EmojiRenderer.h"
#include "core/data/ImageFolder.h"
#include "core/io/TensorIo_p.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

#include "CliProcess.h"

class TestDatasets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void captionsOfKnownEmoji_data();
    void captionsOfKnownEmoji();
    void renderedDatasetLayout();
    void kohyaFolderNames_data();
    void kohyaFolderNames();
    void kohyaFolderLoadsWithRepeatsAndCaptions();
    void pretrainCountsKohyaRepeats();
    void pretrainVocabularyFromAnotherFolder();
    void stylesDrawTheirOwnFonts();
    void variantsMoveOneEmojiOntoLightBackgrounds();
    void variantPlacementsStayInsideThePicture();
    void badVariantCountsAreRefused();
    void wholeTinyPipeline();
    void pretrainAnotherUnetLayoutOnAGivenAutoencoder();
    void pretrainAWiderUnet();
    void pretrainTrainsAGivenAutoencoderFurther();
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

namespace {

// kohya sd-scripts' reading of a train_data_dir, re-implemented from its rules (config_util.py
// generate_dreambooth_subsets_config_by_subdirs, train_util.py read_caption): each subfolder whose name
// before the first '_' is an integer N >= 1 is a concept repeated N times; its images' captions are the first
// line of a same-named caption file, else the folder's class tokens.
struct KohyaImage
{
    QString path;
    int repeats = 0;
    QString caption;
};

QList<KohyaImage> kohyaRead(const QString &trainDataDir, const QString &captionExtension)
{
    QList<KohyaImage> images;
    const QDir root(trainDataDir);
    for (const QString &sub : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QStringList tokens = sub.split(QLatin1Char('_'));
        bool ok = false;
        const int repeats = tokens.first().toInt(&ok);
        if (!ok || repeats < 1)
            continue;
        const QDir dir(root.filePath(sub));
        for (const QString &name : dir.entryList({"*.png", "*.jpg", "*.jpeg", "*.webp", "*.bmp"}, QDir::Files, QDir::Name)) {
            QFile caption(dir.filePath(QFileInfo(name).completeBaseName() + captionExtension));
            QString text = tokens.mid(1).join(QLatin1Char('_'));
            if (caption.open(QIODevice::ReadOnly))
                text = QString::fromUtf8(caption.readLine()).trimmed();
            images.append({sub + QLatin1Char('/') + name, repeats, text});
        }
    }
    return images;
}

void writeImage(const QString &path, const QColor &colour)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).path()));
    QImage image(8, 8, QImage::Format_RGB888);
    image.fill(colour);
    QVERIFY(image.save(path));
}

void writeText(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

void TestDatasets::renderedDatasetLayout()
{
    const QString out = m_dir.filePath(QStringLiteral("animals"));
    const CliResult r = cli({"dataset", "emoji", "--out", out, "--group", "Animals & Nature", "--limit", "12"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("12 images written")), qPrintable(r.out + r.err));
    // kohya's train_data_dir layout: one concept folder, 1 repeat, an image and its caption side by side.
    const QDir dir(out);
    QCOMPARE(dir.entryList({"*.png"}).size(), 0);
    QCOMPARE(dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList{"1_animals-nature"});
    const QDir concept(dir.filePath(QStringLiteral("1_animals-nature")));
    QCOMPARE(concept.entryList({"*.png"}).size(), 12);
    QCOMPARE(concept.entryList({"*.txt"}).size(), 12);
    QFile metadata(dir.filePath(QStringLiteral("metadata.jsonl")));
    QVERIFY(metadata.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = metadata.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 12);
    const QJsonObject first = QJsonDocument::fromJson(lines.first()).object();
    QCOMPARE(first.value(QStringLiteral("group")).toString(), QStringLiteral("Animals & Nature"));
    QCOMPARE(first.value(QStringLiteral("text")).toString(), QStringLiteral("monkey face, animal-mammal, animals & nature"));
    QCOMPARE(first.value(QStringLiteral("file_name")).toString(), QStringLiteral("1_animals-nature/0000_1f435.png"));
    // What kohya reads (with --caption_extension .txt) is what the product reads back: the same images in the
    // same order, the same captions as metadata.jsonl, one repeat each.
    const QList<KohyaImage> kohya = kohyaRead(out, QStringLiteral(".txt"));
    const redifine::ImageFolder folder = redifine::loadImageFolder(out, 64);
    QCOMPARE(folder.layout, QStringLiteral("kohya"));
    QCOMPARE(folder.images.size(), 12);
    QCOMPARE(kohya.size(), 12);
    for (int i = 0; i < 12; ++i) {
        const QJsonObject entry = QJsonDocument::fromJson(lines[i]).object();
        QCOMPARE(folder.files[i], entry.value(QStringLiteral("file_name")).toString());
        QCOMPARE(folder.captions[i], entry.value(QStringLiteral("text")).toString());
        QCOMPARE(kohya[i].path, folder.files[i]);
        QCOMPARE(kohya[i].caption, folder.captions[i]);
        QCOMPARE(kohya[i].repeats, 1);
        QCOMPARE(folder.repeats[i], 1);
    }
    QVERIFY(folder.skipped.isEmpty());
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

    // Several groups: a concept folder each, one numbering over the set, read back in that order.
    const QString two = m_dir.filePath(QStringLiteral("two-groups"));
    QCOMPARE(cli({"dataset", "emoji", "--out", two, "--group", "flags", "--group", "smileys-emotion", "--limit", "4"}).exitCode, 0);
    QCOMPARE(QDir(two).entryList(QDir::Dirs | QDir::NoDotAndDotDot), (QStringList{"1_smileys-emotion"}));   // the limit is reached first
    QCOMPARE(redifine::loadImageFolder(two, 64).files.first(), QStringLiteral("1_smileys-emotion/0000_1f600.png"));
}

void TestDatasets::kohyaFolderNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("repeats");
    QTest::addColumn<QString>("tokens");
    QTest::newRow("2_cat") << "2_cat" << 2 << "cat";
    QTest::newRow("concept with underscores") << "3_black_cat" << 3 << "black_cat";
    QTest::newRow("count only") << "10" << 10 << "";
    QTest::newRow("leading zero") << "05_dog" << 5 << "dog";
    QTest::newRow("no count") << "cat" << 0 << "";
    QTest::newRow("count at the end") << "cat_2" << 0 << "";
    QTest::newRow("zero repeats") << "0_cat" << 0 << "cat";
}

void TestDatasets::kohyaFolderNames()
{
    QFETCH(QString, name);
    QFETCH(int, repeats);
    QFETCH(QString, tokens);
    QString classTokens;
    QCOMPARE(redifine::kohyaRepeats(name, &classTokens), repeats);
    QCOMPARE(classTokens, tokens);
}

void TestDatasets::kohyaFolderLoadsWithRepeatsAndCaptions()
{
    const QString root = m_dir.filePath(QStringLiteral("kohya"));
    writeImage(root + "/2_cat/a1.png", Qt::red);
    writeText(root + "/2_cat/a1.txt", "a red cat\nsecond line kohya ignores\n");
    writeImage(root + "/2_cat/a2.png", Qt::darkRed);                // no caption: the folder's class tokens
    writeImage(root + "/3_dog/b1.png", Qt::blue);
    writeText(root + "/3_dog/b1.txt", "  a blue dog  ");
    writeImage(root + "/3_dog/b2.jpg", Qt::darkBlue);
    writeText(root + "/3_dog/b2.caption", "a dark dog");            // kohya's default caption extension
    writeImage(root + "/3_dog/b3.png", Qt::cyan);
    writeText(root + "/3_dog/b3.txt", "a cyan dog");
    writeImage(root + "/reg/c1.png", Qt::green);                    // no repeat count: kohya ignores it
    writeImage(root + "/0_none/d1.png", Qt::yellow);                // zero repeats: ignored too
    writeImage(root + "/top.png", Qt::black);                       // outside the concept folders: ignored
    writeText(root + "/top.txt", "ignored");

    const redifine::ImageFolder folder = redifine::loadImageFolder(root, 16);
    QCOMPARE(folder.layout, QStringLiteral("kohya"));
    QCOMPARE(folder.files, (QStringList{"2_cat/a1.png", "2_cat/a2.png", "3_dog/b1.png", "3_dog/b2.jpg", "3_dog/b3.png"}));
    QCOMPARE(folder.captions, (QStringList{"a red cat", "cat", "a blue dog", "a dark dog", "a cyan dog"}));
    QCOMPARE(folder.repeats, (QList<int>{2, 2, 3, 3, 3}));
    QCOMPARE(folder.repeatedCount(), 2 * 2 + 3 * 3);   // kohya's "13 train images with repeats"
    QCOMPARE(folder.images[2].pixelColor(8, 8), QColor(Qt::blue));
    QCOMPARE(folder.skipped.size(), 3);
    QVERIFY(folder.skipped.filter("reg").size() == 1 && folder.skipped.filter("0_none").size() == 1 && folder.skipped.filter("top.png").size() == 1);
    // The same as kohya's own reading (its .txt and its .caption runs together cover every file here).
    const QList<KohyaImage> txt = kohyaRead(root, QStringLiteral(".txt"));
    QCOMPARE(txt.size(), 5);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(txt[i].path, folder.files[i]);
        QCOMPARE(txt[i].repeats, folder.repeats[i]);
        if (i != 3)
            QCOMPARE(txt[i].caption, folder.captions[i]);
    }
    QCOMPARE(kohyaRead(root, QStringLiteral(".caption"))[3].caption, folder.captions[3]);
    // The held-out split repeats each training image as often as kohya would.
    const redifine::HeldOutSplit split = redifine::splitHeldOut(folder, 5);
    QCOMPARE(split.heldOutFiles, QStringList{"3_dog/b3.png"});
    QCOMPARE(split.trainImages.size(), 2 + 2 + 3 + 3);
    QCOMPARE(split.trainCaptions.count("a blue dog"), 3);
    // A zero-byte caption file is refused, as kohya refuses it.
    writeText(root + "/3_dog/b3.txt", "");
    try {
        redifine::loadImageFolder(root, 16);
        QFAIL("an empty caption file was accepted");
    } catch (const std::exception &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains("b3.txt: empty caption file"), e.what());
    }
}

// pretrain reads a kohya folder and counts the repeats. The last image (by file name) is held out, as in any
// folder too small for every 20th: a (3 repeats) and b (1) train, 3 + 1 = 4 training images.
void TestDatasets::pretrainCountsKohyaRepeats()
{
    const QString root = m_dir.filePath(QStringLiteral("kohya-pretrain"));
    writeImage(root + "/3_blue/a.png", Qt::blue);
    writeText(root + "/3_blue/a.txt", "blue square");
    writeImage(root + "/1_red/b.png", Qt::red);
    writeText(root + "/1_red/b.txt", "red square");
    writeImage(root + "/1_red/c.png", Qt::darkRed);
    writeText(root + "/1_red/c.txt", "dark red square");
    const QString out = m_dir.filePath(QStringLiteral("kohya-pretrain-out"));
    const CliResult r = cli({"pretrain", "--data", root, "--out", out, "--vae-steps", "1", "--steps", "1", "--batch", "2"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QFile state(out + "/state.json");
    QVERIFY(state.open(QIODevice::ReadOnly));
    const QJsonObject s = QJsonDocument::fromJson(state.readAll()).object();
    QCOMPARE(s.value("held_out_files").toArray(), QJsonArray{"1_red/c.png"});
    QCOMPARE(s.value("train_images").toInt(), 4);
}

// --vocabulary adds another folder's words (a held-out group keeps its own words instead of [UNK]); the
// vocabulary is recorded, and a resume with other words is refused rather than mixing embeddings.
void TestDatasets::pretrainVocabularyFromAnotherFolder()
{
    const QString train = m_dir.filePath(QStringLiteral("vocab-train"));
    writeImage(train + "/1_red/a.png", Qt::red);
    writeText(train + "/1_red/a.txt", "red square");
    writeImage(train + "/1_red/b.png", Qt::darkRed);
    writeText(train + "/1_red/b.txt", "dark red square");
    const QString other = m_dir.filePath(QStringLiteral("vocab-other"));
    writeImage(other + "/1_green/c.png", Qt::green);
    writeText(other + "/1_green/c.txt", "green circle");
    const auto vocabularyOf = [](const QString &out) {
        QFile state(out + "/state.json");
        return state.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(state.readAll()).object().value("vocabulary").toArray()
                                               : QJsonArray();
    };
    const QString plain = m_dir.filePath(QStringLiteral("vocab-plain"));
    QCOMPARE(cli({"pretrain", "--data", train, "--out", plain, "--vae-steps", "1", "--steps", "1", "--batch", "2"}).exitCode, 0);
    QVERIFY(vocabularyOf(plain).contains(QJsonValue("red")));
    QVERIFY(!vocabularyOf(plain).contains(QJsonValue("green")));
    const QString wide = m_dir.filePath(QStringLiteral("vocab-wide"));
    const CliResult r = cli({"pretrain", "--data", train, "--vocabulary", other, "--out", wide, "--vae-steps", "1", "--steps", "1",
                             "--batch", "2"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    const QJsonArray words = vocabularyOf(wide);
    for (const char *word : {"red", "square", "green", "circle"})
        QVERIFY2(words.contains(QJsonValue(word)), word);
    const CliResult resumed = cli({"pretrain", "--data", train, "--out", wide, "--vae-steps", "1", "--resume"});
    QCOMPARE(resumed.exitCode, 2);
    QVERIFY2(resumed.err.contains(QStringLiteral("vocabulary differs")), qPrintable(resumed.err));
    // A state from before --vocabulary existed recorded no words: it embedded its training captions' words,
    // so resuming it with a wider vocabulary is refused too.
    QFile stateFile(plain + "/state.json");
    QVERIFY(stateFile.open(QIODevice::ReadOnly));
    QJsonObject older = QJsonDocument::fromJson(stateFile.readAll()).object();
    stateFile.close();
    older.remove("vocabulary");
    QVERIFY(stateFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
    stateFile.write(QJsonDocument(older).toJson());
    stateFile.close();
    const CliResult widened = cli({"pretrain", "--data", train, "--vocabulary", other, "--out", plain, "--vae-steps", "1", "--resume"});
    QCOMPARE(widened.exitCode, 2);
    QVERIFY2(widened.err.contains(QStringLiteral("vocabulary differs")), qPrintable(widened.err));
    // A vocabulary folder that is missing or has a file it cannot read is named as --vocabulary's, before any --out is made.
    const QString never = m_dir.filePath(QStringLiteral("vocab-never"));
    const CliResult missing = cli({"pretrain", "--data", train, "--vocabulary", m_dir.filePath("vocab-nosuch"), "--out", never});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.startsWith(QStringLiteral("error: pretrain --vocabulary: ")) && missing.err.contains("no such folder"), qPrintable(missing.err));
    QFile broken(other + "/1_green/d.png");
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("not a png");
    broken.close();
    const CliResult damaged = cli({"pretrain", "--data", train, "--vocabulary", other, "--out", never});
    QCOMPARE(damaged.exitCode, 2);
    QVERIFY2(damaged.err.contains(QStringLiteral("pretrain --vocabulary: ")) && damaged.err.contains("d.png"), qPrintable(damaged.err));
    QVERIFY(!QFileInfo::exists(never));
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
        QDirIterator files(out, {"*.png"}, QDir::Files, QDirIterator::Subdirectories);   // kohya layout: OUT/1_<group>/
        QVERIFY(files.hasNext());
        while (files.hasNext()) {
            const QImage image(files.next());
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

void TestDatasets::variantsMoveOneEmojiOntoLightBackgrounds()
{
    QTemporaryDir dir;
    const QString plain = dir.filePath(QStringLiteral("plain"));
    QCOMPARE(cli({"dataset", "emoji", "--out", plain, "--group", "animals-nature", "--limit", "3"}).exitCode, 0);
    const QString varied = dir.filePath(QStringLiteral("varied"));
    const CliResult r = cli({"dataset", "emoji", "--out", varied, "--group", "animals-nature", "--limit", "10", "--variants", "4"});
    QVERIFY2(r.exitCode == 0 && r.out.contains(QStringLiteral("10 images written")), qPrintable(r.out + r.err));
    // The limit counts pictures: emoji 0 and 1 with four each, emoji 2 cut after two; numbered by picture.
    const redifine::ImageFolder folder = redifine::loadImageFolder(varied, 64);
    const QStringList expected{"0000_1f435_v0", "0000_1f435_v1", "0000_1f435_v2", "0000_1f435_v3", "0004_1f412_v0",
                               "0004_1f412_v1", "0004_1f412_v2", "0004_1f412_v3", "0008_1f98d_v0", "0008_1f98d_v1"};
    QCOMPARE(folder.files.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i) {
        QCOMPARE(folder.files[i], QStringLiteral("1_animals-nature/") + expected[i] + QStringLiteral(".png"));
        QCOMPARE(folder.captions[i], folder.captions[i - i % 4]);   // one caption for all pictures of an emoji
    }
    QCOMPARE(folder.captions[0], QStringLiteral("monkey face, animal-mammal, animals & nature"));
    QFile metadata(QDir(varied).filePath(QStringLiteral("metadata.jsonl")));
    QVERIFY(metadata.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = metadata.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 10);
    QCOMPARE(QJsonDocument::fromJson(lines[6]).object().value(QStringLiteral("variant")).toInt(-1), 2);

    // Picture 0 is the plain emoji, pixel for pixel; the others hold the same glyph moved onto a light,
    // non-white background that fills the corners (the glyph stays inside).
    const redifine::ImageFolder plainFolder = redifine::loadImageFolder(plain, 64);
    QCOMPARE(folder.images[0], plainFolder.images[0]);
    QCOMPARE(folder.images[4], plainFolder.images[1]);
    for (int i : {1, 2, 3, 5, 6, 7, 9}) {
        const QImage &image = folder.images[i];
        const QRgb corner = image.pixel(0, 0);
        QVERIFY2(corner != qRgb(255, 255, 255), qPrintable(folder.files[i]));
        QVERIFY(qRed(corner) >= 0xC0 && qGreen(corner) >= 0xC0 && qBlue(corner) >= 0xC0);
        for (const QPoint p : {QPoint(63, 0), QPoint(0, 63), QPoint(63, 63)})
            QCOMPARE(image.pixel(p), corner);
        QVERIFY(image != folder.images[i - i % 4]);
    }
    // Drawn the same way on every run: the same bytes again.
    const QString again = dir.filePath(QStringLiteral("again"));
    QCOMPARE(cli({"dataset", "emoji", "--out", again, "--group", "animals-nature", "--limit", "10", "--variants", "4"}).exitCode, 0);
    QCOMPARE(redifine::loadImageFolder(again, 64).contentHash, folder.contentHash);
}

void TestDatasets::variantPlacementsStayInsideThePicture()
{
    QCOMPARE(redifine::EmojiPlacement::variant(QStringLiteral("1F435"), 0).background, QColor(Qt::white));
    QCOMPARE(redifine::EmojiPlacement::variant(QStringLiteral("1F435"), 0).scale, 1.0);
    QSet<QRgb> backgrounds;
    for (int e = 0; e < 50; ++e) {
        const QString codepoints = QStringLiteral("1F%1").arg(0x400 + e, 3, 16);
        for (int v = 1; v < 64; ++v) {
            const redifine::EmojiPlacement p = redifine::EmojiPlacement::variant(codepoints, v);
            QVERIFY(p.scale >= 0.6 && p.scale <= 0.9);
            const double room = (1.0 - 0.75 * p.scale) / 2.0 - 0.02;
            QVERIFY(std::abs(p.dx) <= room && std::abs(p.dy) <= room);
            backgrounds.insert(p.background.rgb());
            const redifine::EmojiPlacement same = redifine::EmojiPlacement::variant(codepoints, v);
            QCOMPARE(same.background, p.background);
            QCOMPARE(same.dx, p.dx);
        }
    }
    QCOMPARE(backgrounds.size(), 8);   // every colour of the palette is used, never white
    QVERIFY(!backgrounds.contains(qRgb(255, 255, 255)));
}

void TestDatasets::badVariantCountsAreRefused()
{
    for (const char *count : {"0", "65", "-3"}) {
        const CliResult r = cli({"dataset", "emoji", "--out", m_dir.filePath(QStringLiteral("never")), "--variants", count});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("dataset --variants: must lie in 1..64")), qPrintable(r.err));
    }
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("never"))));
    QJsonObject config = redifine::ChainConfig().toJson();
    QJsonObject dataset = config.value(QStringLiteral("dataset")).toObject();
    QCOMPARE(dataset.value(QStringLiteral("emoji_variants")).toInt(), 1);
    dataset.insert(QStringLiteral("emoji_variants"), 0);
    config.insert(QStringLiteral("dataset"), dataset);
    try {
        redifine::ChainConfig::fromJson(config).validate();
        QFAIL("emoji_variants 0 was accepted");
    } catch (const redifine::InputError &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("dataset.emoji_variants")), e.what());
    }
    dataset.insert(QStringLiteral("emoji_variants"), 8);
    config.insert(QStringLiteral("dataset"), dataset);
    QCOMPARE(redifine::ChainConfig::fromJson(config).emojiVariants, 8);
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

namespace {

QJsonObject safetensorsHeader(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    quint64 length = 0;
    f.read(reinterpret_cast<char *>(&length), 8);   // little-endian, as x86-64 is
    return QJsonDocument::fromJson(f.read(qint64(length))).object();
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

} // namespace

void TestDatasets::pretrainAnotherUnetLayoutOnAGivenAutoencoder()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("faces"));
    QCOMPARE(cli({"dataset", "emoji", "--out", data, "--group", "smileys-emotion", "--limit", "8"}).exitCode, 0);
    const QString first = dir.filePath(QStringLiteral("first"));
    QCOMPARE(cli({"pretrain", "--data", data, "--out", first, "--vae-steps", "2", "--steps", "1", "--batch", "2"}).exitCode, 0);
    const QString second = dir.filePath(QStringLiteral("second"));
    const CliResult r = cli({"pretrain", "--data", data, "--out", second, "--steps", "1", "--batch", "2", "--unet-attention", "high",
                             "--autoencoder", first + QStringLiteral("/autoencoder.safetensors")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(!r.out.contains(QStringLiteral("autoencoder 1/")), qPrintable(r.out));   // phase 1 skipped
    // The same autoencoder, so the same latent scale; only the UNet's layout differs.
    const QJsonObject a = readJson(first + QStringLiteral("/state.json"));
    const QJsonObject b = readJson(second + QStringLiteral("/state.json"));
    QCOMPARE(b.value(QStringLiteral("latent_scale")).toDouble(), a.value(QStringLiteral("latent_scale")).toDouble());
    QCOMPARE(a.value(QStringLiteral("unet_attention")).toString(), QStringLiteral("low"));
    QCOMPARE(b.value(QStringLiteral("unet_attention")).toString(), QStringLiteral("high"));
    const QJsonObject vaeA = safetensorsHeader(first + QStringLiteral("/autoencoder.safetensors"));
    const QJsonObject vaeB = safetensorsHeader(second + QStringLiteral("/autoencoder.safetensors"));
    QVERIFY(vaeA.size() > 10);
    QCOMPARE(vaeB, vaeA);   // names, shapes and byte offsets
    QFile fa(first + QStringLiteral("/autoencoder.safetensors")), fb(second + QStringLiteral("/autoencoder.safetensors"));
    QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
    QVERIFY(fa.readAll() == fb.readAll());
    // Attention at the 16x16 level (down block 0) and not at 4x4 (down block 2), and the reverse for the default.
    const auto hasAttention = [](const QJsonObject &header, int block) {
        const QString prefix = QStringLiteral("unet.down_blocks.%1.attentions.").arg(block);
        const QStringList names = header.keys();
        return std::any_of(names.begin(), names.end(), [&](const QString &k) { return k.startsWith(prefix); });
    };
    const QJsonObject modelA = safetensorsHeader(first + QStringLiteral("/tiny-base.safetensors"));
    const QJsonObject modelB = safetensorsHeader(second + QStringLiteral("/tiny-base.safetensors"));
    QVERIFY(!hasAttention(modelA, 0) && hasAttention(modelA, 2));
    QVERIFY(hasAttention(modelB, 0) && !hasAttention(modelB, 2));
    // It loads and generates like any tiny model.
    const CliResult generated = cli({"generate", "--model", second + QStringLiteral("/tiny-base.safetensors"), "--prompt", "grinning face",
                                     "--steps", "2", "--out", dir.filePath(QStringLiteral("generated"))});
    QVERIFY2(generated.exitCode == 0, qPrintable(generated.err));

    // A resume keeps the layout and the autoencoder it started with; bad choices are refused before --out exists.
    const CliResult otherLayout = cli({"pretrain", "--data", data, "--out", second, "--steps", "2", "--resume",
                                       "--autoencoder", first + QStringLiteral("/autoencoder.safetensors")});
    QCOMPARE(otherLayout.exitCode, 2);
    QVERIFY2(otherLayout.err.contains(QStringLiteral("started with --unet-attention high, not low")), qPrintable(otherLayout.err));
    const CliResult ownAutoencoder = cli({"pretrain", "--data", data, "--out", second, "--steps", "2", "--resume", "--unet-attention", "high"});
    QCOMPARE(ownAutoencoder.exitCode, 2);
    QVERIFY2(ownAutoencoder.err.contains(QStringLiteral("not its own autoencoder")), qPrintable(ownAutoencoder.err));
    const QString never = dir.filePath(QStringLiteral("never"));
    const CliResult layout = cli({"pretrain", "--data", data, "--out", never, "--unet-attention", "middle"});
    QCOMPARE(layout.exitCode, 2);
    QVERIFY(layout.err.contains(QStringLiteral("--unet-attention: must be low or high")));
    const CliResult missing = cli({"pretrain", "--data", data, "--out", never, "--autoencoder", dir.filePath(QStringLiteral("none.safetensors"))});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.err.contains(QStringLiteral("none.safetensors")));
    const CliResult wrong = cli({"pretrain", "--data", data, "--out", never, "--autoencoder", data + QStringLiteral("/metadata.jsonl")});
    QCOMPARE(wrong.exitCode, 2);
    QVERIFY2(wrong.err.contains(QStringLiteral("metadata.jsonl")), qPrintable(wrong.err));
    QVERIFY(!QFileInfo::exists(never));
}

void TestDatasets::pretrainAWiderUnet()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("faces"));
    QCOMPARE(cli({"dataset", "emoji", "--out", data, "--group", "smileys-emotion", "--limit", "8"}).exitCode, 0);
    const QString wide = dir.filePath(QStringLiteral("wide"));
    const CliResult r = cli({"pretrain", "--data", data, "--out", wide, "--vae-steps", "1", "--steps", "1", "--batch", "2", "--unet-width", "2"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QCOMPARE(readJson(wide + QStringLiteral("/state.json")).value(QStringLiteral("unet_width")).toInt(), 2);
    // Twice the shipped UNet's channels at every level (32/64/128 -> 64/128/256); the text encoder keeps its 128.
    const QJsonObject header = safetensorsHeader(wide + QStringLiteral("/tiny-base.safetensors"));
    const auto shape = [&](const QString &name) { return header.value(name).toObject().value(QStringLiteral("shape")).toArray(); };
    QCOMPARE(shape(QStringLiteral("unet.conv_in.weight")).at(0).toInt(), 64);
    QCOMPARE(shape(QStringLiteral("unet.down_blocks.2.resnets.0.conv1.weight")).at(0).toInt(), 256);
    QCOMPARE(shape(QStringLiteral("unet.down_blocks.2.attentions.0.transformer_blocks.0.attn2.to_k.weight")),
             (QJsonArray{256, 128}));
    // It loads and generates like any tiny model, and a finetune's adapters fit it.
    const CliResult generated = cli({"generate", "--model", wide + QStringLiteral("/tiny-base.safetensors"), "--prompt", "grinning face",
                                     "--steps", "2", "--out", dir.filePath(QStringLiteral("generated"))});
    QVERIFY2(generated.exitCode == 0, qPrintable(generated.err));
    // A resume keeps the width it started with; a width out of range is refused before --out exists.
    const CliResult narrower = cli({"pretrain", "--data", data, "--out", wide, "--steps", "2", "--resume"});
    QCOMPARE(narrower.exitCode, 2);
    QVERIFY2(narrower.err.contains(QStringLiteral("started with --unet-width 2, not 1")), qPrintable(narrower.err));
    const QString never = dir.filePath(QStringLiteral("never"));
    for (const char *width : {"0", "5", "two"}) {
        const CliResult refused = cli({"pretrain", "--data", data, "--out", never, "--unet-width", width});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(QStringLiteral("--unet-width")), qPrintable(refused.err));
    }
    QVERIFY(!QFileInfo::exists(never));
}

void TestDatasets::pretrainTrainsAGivenAutoencoderFurther()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("faces"));
    QCOMPARE(cli({"dataset", "emoji", "--out", data, "--group", "smileys-emotion", "--limit", "8"}).exitCode, 0);
    const QString first = dir.filePath(QStringLiteral("first"));
    QCOMPARE(cli({"pretrain", "--data", data, "--out", first, "--vae-steps", "2", "--steps", "0", "--seed", "1"}).exitCode, 0);
    const QString further = dir.filePath(QStringLiteral("further"));
    const CliResult r = cli({"pretrain", "--data", data, "--out", further, "--vae-steps", "2", "--steps", "0",
                             "--autoencoder", first + QStringLiteral("/autoencoder.safetensors")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral("autoencoder 2/2")), qPrintable(r.out));
    const QString scratch = dir.filePath(QStringLiteral("scratch"));
    QCOMPARE(cli({"pretrain", "--data", data, "--out", scratch, "--vae-steps", "2", "--steps", "0"}).exitCode, 0);

    // Two AdamW steps at the learning rate's warm-up move a weight by at most about 2 x 3e-4: the continued
    // autoencoder lies that close to the one it started from, and a from-scratch run (another seed's
    // initialisation) lies far from it.
    const std::string name = "vae.encoder.conv_in.weight";
    const at::Tensor start = redifine::SafetensorsReader(first + QStringLiteral("/autoencoder.safetensors")).tensor(name).to(at::kFloat);
    const at::Tensor continued = redifine::SafetensorsReader(further + QStringLiteral("/autoencoder.safetensors")).tensor(name).to(at::kFloat);
    const at::Tensor fresh = redifine::SafetensorsReader(scratch + QStringLiteral("/autoencoder.safetensors")).tensor(name).to(at::kFloat);
    const double moved = (continued - start).abs().max().item<double>();
    QVERIFY2(moved > 0.0 && moved < 1e-3, qPrintable(QString::number(moved)));
    QVERIFY((fresh - start).abs().max().item<double>() > 1e-2);
}

void TestDatasets::badFoldersExitTwo_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing folder") << "missing" << "no such folder";
    QTest::newRow("empty folder") << "empty" << "no usable images";
    QTest::newRow("not images") << "notimages" << "no usable images";
    QTest::newRow("caption not utf-8") << "latin1" << "not UTF-8";
    QTest::newRow("subfolders without kohya's repeat count") << "unprefixed" << "need kohya's repeat prefix, e.g. 1_cat";
    // A training never loses an image of its folder without a word: one bad file among good ones is refused.
    QTest::newRow("one unreadable image among good ones") << "onebad" << "1 file(s) cannot be used, first: ";
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
    if (setup == QLatin1String("unprefixed")) {
        writeImage(folder + QStringLiteral("/cat/a.png"), Qt::red);
        write(QStringLiteral("cat/a.txt"), "a cat");
    }
    if (setup == QLatin1String("latin1")) {
        QImage image(8, 8, QImage::Format_RGB888);
        image.fill(Qt::red);
        QVERIFY(image.save(folder + QStringLiteral("/a.png")));
        write(QStringLiteral("a.txt"), "caf\xe9 au lait");
    }
    if (setup == QLatin1String("onebad")) {
        writeImage(folder + QStringLiteral("/a.png"), Qt::red);
        write(QStringLiteral("a.txt"), "red square");
        write(QStringLiteral("b.png"), "this is not a png");
        write(QStringLiteral("b.txt"), "broken square");
    }
    // Both trainings read their folder alike, and nothing is written before it is read: no --out folder is left.
    for (const QString &command : {QStringLiteral("pretrain"), QStringLiteral("pretrain-clip")}) {
        const QString out = m_dir.filePath(QStringLiteral("out-%1-%2").arg(command, setup));
        const CliResult r = cli({command, "--data", folder, "--out", out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(command + " --data: ") && r.err.contains(folder) && r.err.contains(expected), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY2(!QFileInfo::exists(out), qPrintable(out));
    }
}

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
