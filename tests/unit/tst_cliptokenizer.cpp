// The CLIP BPE tokenizer against the 40 golden cases made with transformers' CLIPTokenizer (../shared/golden):
// ids, length and truncation. Cases that ftfy would repair are compared with the ids transformers gives
// without ftfy (we have no ftfy), as the golden README prescribes.
#include "core/common/Error.h"
#include "core/models/ClipTokenizer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace redifine;

namespace {

std::vector<int64_t> idsOf(const QJsonArray &array)
{
    std::vector<int64_t> ids;
    for (const QJsonValue &v : array)
        ids.push_back(v.toInteger());
    return ids;
}

QString golden(const char *name)
{
    return QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/") + QLatin1String(name);
}

} // namespace

class TestClipTokenizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { m_tokenizer = std::make_unique<ClipTokenizer>(golden("tokenizer_vocab.json"), golden("tokenizer_merges.txt")); }

    void goldenCases_data()
    {
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QJsonArray>("expected");
        QTest::addColumn<QJsonArray>("untruncated");
        QFile in(golden("tokenizer_cases.json"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QJsonArray cases = QJsonDocument::fromJson(in.readAll()).object().value("cases").toArray();
        QCOMPARE(cases.size(), 40);
        for (const QJsonValue &v : cases) {
            const QJsonObject c = v.toObject();
            const bool ftfyRepairs = c.value("input_ids").toArray() != c.value("input_ids_without_ftfy").toArray();
            QTest::addRow("%s", qPrintable(c.value("name").toString()))
                << c.value("prompt").toString() << c.value(ftfyRepairs ? "input_ids_without_ftfy" : "input_ids").toArray()
                << (ftfyRepairs ? QJsonArray() : c.value("bpe_ids_untruncated").toArray());
        }
    }
    void goldenCases()
    {
        QFETCH(QString, prompt);
        QFETCH(QJsonArray, expected);
        QFETCH(QJsonArray, untruncated);
        QCOMPARE(m_tokenizer->encode(prompt), idsOf(expected));
        if (!untruncated.isEmpty())
            QCOMPARE(m_tokenizer->bpeIds(prompt), idsOf(untruncated));
    }

    void missingFilesAreNamed()
    {
        try {
            ClipTokenizer(QStringLiteral("/nonexistent/vocab.json"), golden("tokenizer_merges.txt"));
            QFAIL("accepted");
        } catch (const InputError &error) {
            QVERIFY(QString::fromUtf8(error.what()).contains("/nonexistent/vocab.json"));
        }
    }

private:
    std::unique_ptr<ClipTokenizer> m_tokenizer;
};

QTEST_GUILESS_MAIN(TestClipTokenizer)
#include "tst_cliptokenizer.moc"
