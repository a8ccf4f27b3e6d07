// Files the product writes, opened the way the Stable Diffusion ecosystem opens them: the "parameters" text of
// every image (generate, chain iterations, D_0) read by a re-implementation of AUTOMATIC1111's
// parse_generation_parameters (modules/infotext_utils.py) and by a walk over the raw PNG chunks, as ComfyUI's
// reader does (tEXt and iTXt only).
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "CliProcess.h"

namespace {

using Fields = QMap<QString, QString>;   // A1111's reading of an image: field name -> value

const QString tinyModel = QStringLiteral(REDIFINE_SOURCE_DIR "/resources/models/tiny-base.safetensors");

// A1111's reader, rule for rule: the last line holds the fields when at least 3 "Key: value" pairs match there;
// every line before it is the prompt until one starts with "Negative prompt:"; lines are stripped; a value in
// double quotes is JSON-decoded; "WxH" values become Key-1 and Key-2; a pair with an empty value is dropped
// (A1111's v[0] raises there and the pair is skipped).
QMap<QString, QString> parseGenerationParameters(const QString &text)
{
    static const QRegularExpression param(QStringLiteral("\\s*(\\w[\\w \\-/]+):\\s*(\"(?:\\\\.|[^\\\\\"])+\"|[^,]*)(?:,|$)"),
                                          QRegularExpression::UseUnicodePropertiesOption);
    static const QRegularExpression imageSize(QStringLiteral("^(\\d+)x(\\d+)$"));
    QStringList lines = text.trimmed().split(QLatin1Char('\n'));
    QString last = lines.takeLast();
    int matches = 0;
    for (auto it = param.globalMatch(last); it.hasNext(); it.next())
        ++matches;
    if (matches < 3) {
        lines << last;
        last.clear();
    }
    QString prompt, negative;
    bool doneWithPrompt = false;
    for (QString line : lines) {
        line = line.trimmed();
        if (line.startsWith(QStringLiteral("Negative prompt:"))) {
            doneWithPrompt = true;
            line = line.mid(16).trimmed();
        }
        QString &target = doneWithPrompt ? negative : prompt;
        target += (target.isEmpty() ? QString() : QStringLiteral("\n")) + line;
    }
    QMap<QString, QString> result{{QStringLiteral("Prompt"), prompt}, {QStringLiteral("Negative prompt"), negative}};
    for (auto it = param.globalMatch(last); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const QString key = m.captured(1);
        QString value = m.captured(2);
        if (value.isEmpty())
            continue;
        if (value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"'))) {
            const QJsonDocument decoded = QJsonDocument::fromJson(QByteArray("[") + value.toUtf8() + "]");
            if (decoded.isArray())
                value = decoded.array().first().toString();
        }
        const QRegularExpressionMatch size = imageSize.match(value);
        if (size.hasMatch()) {
            result.insert(key + QStringLiteral("-1"), size.captured(1));
            result.insert(key + QStringLiteral("-2"), size.captured(2));
        } else {
            result.insert(key, value);
        }
    }
    return result;
}

// CRC-32 as the PNG standard defines it, bit by bit.
quint32 pngCrc(const QByteArray &bytes)
{
    quint32 c = 0xFFFFFFFFu;
    for (const char byte : bytes) {
        c ^= quint8(byte);
        for (int k = 0; k < 8; ++k)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

struct TextChunk
{
    QByteArray type;   // tEXt, iTXt or zTXt
    QString text;
    bool beforeImageData = false;
};

// Every text chunk with the keyword "parameters", decoded as a PNG reader does; fails the test on a bad CRC.
QList<TextChunk> parametersChunks(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    const QByteArray png = file.readAll();
    QList<TextChunk> found;
    bool seenImageData = false;
    for (qsizetype at = 8; at + 12 <= png.size();) {
        const quint32 length = (quint32(quint8(png[at])) << 24) | (quint32(quint8(png[at + 1])) << 16)
                               | (quint32(quint8(png[at + 2])) << 8) | quint32(quint8(png[at + 3]));
        const QByteArray type = png.mid(at + 4, 4);
        const QByteArray data = png.mid(at + 8, length);
        const QByteArray stored = png.mid(at + 8 + length, 4);
        const quint32 crc = pngCrc(type + data);
        QByteArray expected(4, '\0');
        for (int i = 0; i < 4; ++i)
            expected[i] = char((crc >> (24 - 8 * i)) & 0xFF);
        if (stored != expected)
            qFatal("%s: bad CRC in %s", qPrintable(path), type.constData());
        seenImageData = seenImageData || type == "IDAT";
        const qsizetype nul = data.indexOf('\0');
        if ((type == "tEXt" || type == "iTXt" || type == "zTXt") && data.left(nul) == "parameters") {
            TextChunk chunk{type, {}, !seenImageData};
            if (type == "tEXt") {
                chunk.text = QString::fromLatin1(data.mid(nul + 1));
            } else if (type == "iTXt") {
                // keyword \0, compression flag, method, language \0, translated keyword \0, text
                if (data[nul + 1] != '\0')
                    qFatal("%s: compressed iTXt", qPrintable(path));
                const qsizetype language = data.indexOf('\0', nul + 3);
                const qsizetype translated = data.indexOf('\0', language + 1);
                chunk.text = QString::fromUtf8(data.mid(translated + 1));
            }
            found << chunk;
        }
        at += 12 + length;
    }
    return found;
}

// One "key=value" line per field, so that a failed comparison shows which field differs.
QString lines(const QMap<QString, QString> &fields)
{
    QStringList out;
    for (auto it = fields.begin(); it != fields.end(); ++it)
        out << it.key() + QLatin1Char('=') + it.value();
    return out.join(QLatin1Char('\n'));
}

bool isAscii(const QString &text)
{
    for (const QChar c : text)
        if (c.unicode() >= 0x80)
            return false;
    return true;
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    return file.readAll();
}

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

// A1111's checkpoint short hash: the first 10 hex digits of the file's SHA-256.
QString modelHash(const QString &path)
{
    return QString::fromLatin1(QCryptographicHash::hash(fileBytes(path), QCryptographicHash::Sha256).toHex().left(10));
}

// The safetensors metadata and the SHA-256 of everything after the header (A1111's and kohya's LoRA hash).
QPair<QJsonObject, QString> loraFacts(const QString &path)
{
    const QByteArray bytes = fileBytes(path);
    quint64 headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | quint8(bytes[i]);
    const QJsonObject header = QJsonDocument::fromJson(bytes.mid(8, qsizetype(headerSize))).object();
    return {header.value(QStringLiteral("__metadata__")).toObject(),
            QString::fromLatin1(QCryptographicHash::hash(bytes.mid(8 + qsizetype(headerSize)), QCryptographicHash::Sha256).toHex())};
}

} // namespace

class TestInterop : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void generatedImagesReadInA1111_data();
    void generatedImagesReadInA1111();
    void chainImagesReadInA1111_data();
    void chainImagesReadInA1111();
    void negativePromptChangesOnlyWhatItShould();
    void chainAdapterCarriesKohyasMetadata();
    void unknownSavePrecisionIsRefused();

private:
    // Checks the raw chunk and what Qt reads back, and returns A1111's reading.
    QMap<QString, QString> readImage(const QString &path);
    QTemporaryDir m_dir;
    QString m_run;
    QStringList m_captions;
};

QMap<QString, QString> TestInterop::readImage(const QString &path)
{
    const QList<TextChunk> chunks = parametersChunks(path);
    [&] {
        QCOMPARE(chunks.size(), 1);
        QVERIFY(chunks[0].beforeImageData);
        QCOMPARE(chunks[0].type, isAscii(chunks[0].text) ? QByteArray("tEXt") : QByteArray("iTXt"));
        // libpng drops a text chunk whose CRC is wrong; Qt reading the text back proves it is not (Qt's reader
        // simplify()s what it reads, newlines included, so that is what it returns).
        QCOMPARE(QImageReader(path).text(QStringLiteral("parameters")), chunks[0].text.simplified());
        QCOMPARE(QImage(path).size(), QSize(64, 64));
    }();
    return chunks.isEmpty() ? QMap<QString, QString>() : parseGenerationParameters(chunks[0].text);
}

void TestInterop::initTestCase()
{
    // D_0: four plain images whose captions are multi-line, non-ASCII and full of A1111's separators.
    const QString data = m_dir.filePath(QStringLiteral("data"));
    QDir().mkpath(data);
    m_captions = {QStringLiteral("red square, shape"), QStringLiteral("Katze über der Brücke, 猫, 🐱"),
                  QStringLiteral("a blue circle\nsecond line: with a colon"), QStringLiteral("green \"quoted\" thing")};
    const QList<QColor> colours{Qt::red, QColor(200, 120, 40), Qt::blue, Qt::green};
    for (int i = 0; i < m_captions.size(); ++i) {
        QImage image(64, 64, QImage::Format_RGB888);
        image.fill(colours[i]);
        QVERIFY(image.save(QDir(data).filePath(QStringLiteral("%1.png").arg(i))));
        QFile caption(QDir(data).filePath(QStringLiteral("%1.txt").arg(i)));
        QVERIFY(caption.open(QIODevice::WriteOnly));
        caption.write(m_captions[i].toUtf8());
    }
    m_run = m_dir.filePath(QStringLiteral("run"));
    const CliResult r = cli({"chain", "--preset", "redifine-quick", "--out", m_run, "--set", "model.path=" + tinyModel,
                             "--set", "dataset.path=" + data, "--set", "iterations=1", "--set", "finetune.max_steps=2",
                             "--set", "sampler.steps=3", "--set", "sampler.batch_size=4", "--set", "analyses=[]",
                             "--set", "name=interop, chain", "--set", "sampler.clip_skip=2",
                             "--set", "sampler.negative_prompt=blurry, low quality", "--set", "finetune.save_precision=fp16"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
}

void TestInterop::generatedImagesReadInA1111_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("negative");
    QTest::addColumn<bool>("withLora");
    QTest::addColumn<Fields>("fields");   // besides Prompt, Negative prompt, Seed, hashes
    const QMap<QString, QString> base{{"Steps", "3"}, {"Sampler", "Euler a"}, {"CFG scale", "7.5"}, {"Size-1", "64"},
                                      {"Size-2", "64"}, {"Model", "tiny-base"}, {"CFG schedule", "constant 7.5"}};
    QTest::addRow("defaults") << QStringList{} << QString() << false << base;
    QMap<QString, QString> schedule = base;
    schedule.insert("CFG scale", "7.5");
    schedule.insert("CFG schedule", "exponential s0=7.5 alpha=2");
    schedule.insert("Sampler", "DDIM");
    schedule.insert("Timestep spacing", "leading");
    QTest::addRow("redifine cfg, ddim, leading, negative")
        << QStringList{"--redifine", "--sampler", "ddim", "--spacing", "leading", "--negative", "ugly, \"bad\": hands"}
        << QStringLiteral("ugly, \"bad\": hands") << false << schedule;
    QMap<QString, QString> lora = base;
    lora.insert("CFG scale", "4");
    lora.insert("CFG schedule", "constant 4");
    lora.insert("Sampler", "Euler");
    QTest::addRow("lora, euler, non-ASCII negative")
        << QStringList{"--cfg", "4", "--sampler", "euler", "--negative", "verschwommen, ぼやけた"} << QStringLiteral("verschwommen, ぼやけた")
        << true << lora;
}

void TestInterop::generatedImagesReadInA1111()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, negative);
    QFETCH(bool, withLora);
    QFETCH(Fields, fields);
    const QStringList prompts{QStringLiteral("cat face, animal-mammal, animals & nature"), QStringLiteral("Katze über Brücke, 猫"),
                              QStringLiteral("first line\nsecond line, with: colon")};
    QTemporaryDir out;
    QStringList command{"generate", "--model", tinyModel, "--out", out.path(), "--steps", "3", "--seed", "11",
                        "--grid", out.filePath(QStringLiteral("grid.png"))};
    for (const QString &p : prompts)
        command << "--prompt" << p;
    const QString loraPath = m_run + QStringLiteral("/iter_1/lora.safetensors");
    if (withLora)
        command << "--lora" << loraPath;
    const CliResult r = cli(command + arguments);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));

    fields.insert("Model hash", modelHash(tinyModel));
    if (withLora) {
        const auto [metadata, dataHash] = loraFacts(loraPath);
        const QString alias = metadata.value(QStringLiteral("ss_output_name")).toString(QStringLiteral("lora"))
                                  .remove(QLatin1Char(':')).remove(QLatin1Char(','));   // as A1111 writes the alias
        fields.insert("Lora hashes", alias + QStringLiteral(": ") + dataHash.left(12));
    }
    for (int i = 0; i <= prompts.size(); ++i) {
        const bool grid = i == prompts.size();
        const QString path = grid ? out.filePath(QStringLiteral("grid.png")) : out.filePath(QStringLiteral("%1.png").arg(i, 4, 10, QLatin1Char('0')));
        const QMap<QString, QString> read = grid ? parseGenerationParameters(parametersChunks(path).value(0).text) : readImage(path);
        QMap<QString, QString> expected = fields;
        expected.insert("Prompt", prompts[grid ? 0 : i]);   // a grid is labelled with its first image, as in A1111
        expected.insert("Negative prompt", negative);
        expected.insert("Seed", QString::number(11 + (grid ? 0 : i)));
        QCOMPARE(lines(read), lines(expected));
    }
}

void TestInterop::chainImagesReadInA1111_data()
{
    QTest::addColumn<int>("iteration");
    QTest::addRow("D_0") << 0;
    QTest::addRow("D_1") << 1;
}

void TestInterop::chainImagesReadInA1111()
{
    QFETCH(int, iteration);
    QFile chainFile(m_run + QStringLiteral("/chain.json"));
    QVERIFY(chainFile.open(QIODevice::ReadOnly));
    const QJsonObject config = QJsonDocument::fromJson(chainFile.readAll()).object().value(QStringLiteral("config")).toObject();
    QCOMPARE(config.value(QStringLiteral("sampler")).toObject().value(QStringLiteral("negative_prompt")).toString(),
             QStringLiteral("blurry, low quality"));
    const quint64 chainSeed = 0;
    for (int i = 0; i < m_captions.size(); ++i) {
        const QMap<QString, QString> read = readImage(m_run + QStringLiteral("/iter_%1/images/%2.png").arg(iteration).arg(i, 4, 10, QLatin1Char('0')));
        QMap<QString, QString> expected{{"Prompt", m_captions[i]}, {"Size-1", "64"}, {"Size-2", "64"},
                                        {"Chain", "interop, chain"}, {"Iteration", QString::number(iteration)}};
        if (iteration == 0) {
            expected.insert("Negative prompt", QString());
            expected.insert("Source", "D_0 (original)");
            expected.insert("Dataset", m_dir.filePath(QStringLiteral("data")));
        } else {
            const auto [metadata, dataHash] = loraFacts(m_run + QStringLiteral("/iter_1/lora.safetensors"));
            const QString alias = metadata.value(QStringLiteral("ss_output_name")).toString(QStringLiteral("lora"))
                                  .remove(QLatin1Char(':')).remove(QLatin1Char(','));   // as A1111 writes the alias
            // The chain's seed rule (ChainRunner iterationSeed): seed * 1000003 + k * 7919, image i adds i.
            const quint64 seed = chainSeed * 1000003ULL + quint64(iteration) * 7919ULL + quint64(i);
            expected.insert("Negative prompt", "blurry, low quality");
            expected.insert("Steps", "3");
            expected.insert("Sampler", "Euler a");
            expected.insert("CFG scale", "7.5");
            expected.insert("CFG schedule", "exponential s0=7.5 alpha=2");
            expected.insert("Seed", QString::number(seed));
            expected.insert("Model hash", modelHash(tinyModel));
            expected.insert("Model", "tiny-base");
            expected.insert("Clip skip", "2");
            expected.insert("Lora hashes", alias + QStringLiteral(": ") + dataHash.left(12));
        }
        QCOMPARE(lines(read), lines(expected));
    }
}

void TestInterop::negativePromptChangesOnlyWhatItShould()
{
    // An empty negative prompt is the paper's unconditional text: the images are the ones made without one.
    QTemporaryDir a, b, c;
    const QStringList common{"generate", "--model", tinyModel, "--steps", "3", "--seed", "4", "--prompt", "cat face"};
    QCOMPARE(cli(QStringList(common) << "--out" << a.path()).exitCode, 0);
    QCOMPARE(cli(QStringList(common) << "--out" << b.path() << "--negative" << "").exitCode, 0);
    QCOMPARE(cli(QStringList(common) << "--out" << c.path() << "--negative" << "dog face, red").exitCode, 0);
    const QImage plain(a.filePath(QStringLiteral("0000.png")));
    QCOMPARE(QImage(b.filePath(QStringLiteral("0000.png"))), plain);
    QVERIFY(QImage(c.filePath(QStringLiteral("0000.png"))) != plain);
}

// The adapter of iteration 1 as kohya's train_network.py would have written it: the training metadata A1111,
// ComfyUI and LoRA managers read, kohya's hashes recomputed here from the file's bytes, fp16 tensors
// (finetune.save_precision), and a name that tells runs and iterations apart.
void TestInterop::chainAdapterCarriesKohyasMetadata()
{
    const QByteArray bytes = fileBytes(m_run + QStringLiteral("/iter_1/lora.safetensors"));
    qint64 headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | quint8(bytes[i]);
    QJsonObject header = QJsonDocument::fromJson(bytes.mid(8, headerSize)).object();
    const QJsonObject metadata = header.value(QStringLiteral("__metadata__")).toObject();
    const auto meta = [&](const char *key) { return metadata.value(QLatin1String(key)).toString(); };
    // "<chain name>-<8 hex of the SHA-256 of the config>-iter<k>": runs of other settings get other names.
    QFile chainFile(m_run + QStringLiteral("/chain.json"));
    QVERIFY(chainFile.open(QIODevice::ReadOnly));
    const QJsonObject config = QJsonDocument::fromJson(chainFile.readAll()).object().value(QStringLiteral("config")).toObject();
    const QString name = QStringLiteral("interop, chain-%1-iter1").arg(QString::fromLatin1(sha256(QJsonDocument(config).toJson(QJsonDocument::Compact)).left(8)));
    QCOMPARE(meta("ss_output_name"), name);
    QCOMPARE(meta("modelspec.title"), name);
    QCOMPARE(meta("ss_network_module"), QStringLiteral("networks.lora"));
    QCOMPARE(meta("ss_network_dim"), QStringLiteral("32"));
    QCOMPARE(meta("ss_base_model_version"), QStringLiteral("redifine_tiny"));
    QCOMPARE(meta("modelspec.architecture"), QStringLiteral("redifine-tiny/lora"));
    QCOMPARE(meta("ss_sd_model_name"), QStringLiteral("tiny-base.safetensors"));
    const QByteArray model = fileBytes(tinyModel);
    QCOMPARE(meta("ss_new_sd_model_hash").toLatin1(), sha256(model));
    QCOMPARE(meta("ss_sd_model_hash").toLatin1(), sha256(model.mid(0x100000, 0x10000)).left(8));
    QCOMPARE(meta("ss_resolution"), QStringLiteral("(64, 64)"));
    QCOMPARE(meta("modelspec.resolution"), QStringLiteral("64x64"));
    QCOMPARE(meta("ss_num_train_images"), QStringLiteral("4"));
    QCOMPARE(meta("ss_learning_rate"), QStringLiteral("0.001"));   // the preset's rates
    QCOMPARE(meta("ss_unet_lr"), QStringLiteral("0.001"));
    QCOMPARE(meta("ss_text_encoder_lr"), QStringLiteral("0.0005"));
    QCOMPARE(meta("ss_caption_dropout_rate"), QStringLiteral("0.2"));
    QCOMPARE(meta("ss_min_snr_gamma"), QStringLiteral("5.0"));   // Python's str(5.0), as kohya writes it
    QCOMPARE(meta("ss_clip_skip"), QStringLiteral("2"));
    QCOMPARE(meta("ss_steps"), QStringLiteral("2"));
    // kohya's set_tag_frequency: tags split on commas, stripped, lowercased, counted per dataset folder.
    QJsonObject tags;
    for (const QString &caption : m_captions)
        for (const QString &tag : caption.split(QLatin1Char(','))) {
            const QString t = tag.trimmed().toLower();
            if (!t.isEmpty())
                tags.insert(t, tags.value(t).toInt() + 1);
        }
    QCOMPARE(QJsonDocument::fromJson(meta("ss_tag_frequency").toUtf8()).object(), (QJsonObject{{QStringLiteral("iter_0"), tags}}));

    // Hashes: sshs_model_hash over the data section; the legacy one over bytes 1 MiB .. +64 KiB of the file as
    // it would be with only its "ss_" metadata.
    const QByteArray data = bytes.mid(8 + headerSize);
    QCOMPARE(meta("sshs_model_hash").toLatin1(), sha256(data));
    QJsonObject training;
    for (auto it = metadata.begin(); it != metadata.end(); ++it)
        if (it.key().startsWith(QStringLiteral("ss_")))
            training.insert(it.key(), it.value());
    header.insert(QStringLiteral("__metadata__"), training);
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    json.append(QByteArray((8 - json.size() % 8) % 8, ' '));
    QByteArray kohyaFile(8, '\0');
    for (int i = 0; i < 8; ++i)
        kohyaFile[i] = char((quint64(json.size()) >> (8 * i)) & 0xff);
    kohyaFile += json + data;
    QCOMPARE(meta("sshs_legacy_hash").toLatin1(), sha256(kohyaFile.mid(0x100000, 0x10000)).left(8));

    // finetune.save_precision=fp16: every tensor, alpha included, is stored as F16.
    int tensors = 0;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == QLatin1String("__metadata__"))
            continue;
        QCOMPARE(it.value().toObject().value(QStringLiteral("dtype")).toString(), QStringLiteral("F16"));
        ++tensors;
    }
    QVERIFY(tensors > 100);
}

void TestInterop::unknownSavePrecisionIsRefused()
{
    const CliResult r = cli({"chain", "--preset", "redifine-quick", "--out", m_dir.filePath(QStringLiteral("refused")), "--set",
                             "finetune.save_precision=fp8"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("finetune.save_precision: must be float, fp16 or bf16")), qPrintable(r.err));
    QVERIFY(!QDir(m_dir.filePath(QStringLiteral("refused"))).exists());
}

QTEST_GUILESS_MAIN(TestInterop)
#include "tst_interop.moc"
