// safetensors: round trips in every supported dtype, and hostile files refused with errors that name the
// file, the tensor and the problem.
#include "core/common/Error.h"
#include "core/io/TensorIo_p.h"

#include <QTemporaryDir>
#include <QTest>

using namespace redifine;

namespace {

QByteArray fileBytes(const QByteArray &header, const QByteArray &data)
{
    QByteArray out;
    const quint64 n = quint64(header.size());
    for (int i = 0; i < 8; ++i)
        out.append(char((n >> (8 * i)) & 0xff));
    return out + header + data;
}

} // namespace

class TestSafetensors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripEveryDtype_data();
    void roundTripEveryDtype();
    void metadataRoundTrip();
    void readsGoldenFile();
    void hostileFilesAreRefused_data();
    void hostileFilesAreRefused();
    void writeFailureIsReportedAndLeavesNoFile();

private:
    QTemporaryDir m_dir;
};

void TestSafetensors::roundTripEveryDtype_data()
{
    QTest::addColumn<int>("type");
    QTest::newRow("F32") << int(at::kFloat);
    QTest::newRow("F16") << int(at::kHalf);
    QTest::newRow("BF16") << int(at::kBFloat16);
    QTest::newRow("I64") << int(at::kLong);
    QTest::newRow("I32") << int(at::kInt);
}

void TestSafetensors::roundTripEveryDtype()
{
    QFETCH(int, type);
    const auto scalarType = at::ScalarType(type);
    const at::Tensor a = (at::randn({3, 5, 2}) * 100).to(scalarType);
    const at::Tensor b = at::arange(7).to(scalarType);
    const at::Tensor empty = at::zeros({0, 4}).to(scalarType);
    const at::Tensor scalar = at::full({}, 8).to(scalarType);
    const QString path = m_dir.filePath(QStringLiteral("round.safetensors"));
    writeSafetensors(path, {{"a", a}, {"b.weight", b}, {"empty", empty}, {"alpha", scalar}});

    const SafetensorsReader reader(path);
    QCOMPARE(reader.header().tensors.size(), size_t(4));
    QCOMPARE(reader.header().dataOffset % 8, quint64(0));
    QVERIFY(at::equal(reader.tensor("a"), a));
    QVERIFY(at::equal(reader.tensor("b.weight"), b));
    QCOMPARE(reader.tensor("empty").sizes(), empty.sizes());
    QCOMPARE(reader.tensor("alpha").dim(), int64_t(0));
    QCOMPARE(reader.tensor("alpha").item<double>(), 8.0);
    QCOMPARE(reader.tensor("a").scalar_type(), scalarType);
}

void TestSafetensors::metadataRoundTrip()
{
    const QString path = m_dir.filePath(QStringLiteral("meta.safetensors"));
    writeSafetensors(path, {{"x", at::ones({2})}}, {{"ss_network_dim", "32"}, {"config", R"({"a":1})"}});
    const SafetensorsReader reader(path);
    QCOMPARE(reader.header().metadata.at("ss_network_dim"), std::string("32"));
    QCOMPARE(reader.header().metadata.at("config"), std::string(R"({"a":1})"));
}

void TestSafetensors::readsGoldenFile()
{
    // Made by Python's safetensors: the layout other tools write must read back.
    const SafetensorsReader reader(QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/scheduler_euler_a_schedules.safetensors"));
    QCOMPARE(reader.tensor("train.betas").sizes(), (at::IntArrayRef{1000}));
    QVERIFY(std::abs(reader.tensor("train.betas")[0].item<double>() - 0.00085) < 1e-9);
    QCOMPARE(reader.tensor("leading.30.timesteps")[0].item<double>(), 958.0);
    QVERIFY(reader.header().metadata.count("scheduler_config") == 1);
}

void TestSafetensors::hostileFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const QByteArray good = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    QTest::newRow("empty file") << QByteArray() << "truncated";
    QTest::newRow("shorter than length") << QByteArray("\x05\x00\x00", 3) << "truncated";
    QTest::newRow("header past end") << fileBytes(good, QByteArray(8, 0)).left(20) << "runs past the end";
    QByteArray terabytes = fileBytes(good, QByteArray(8, 0));
    terabytes[5] = char(0x01); // header length about 1 TB
    QTest::newRow("terabyte header") << terabytes << "exceeds";
    QTest::newRow("malformed json") << fileBytes(R"({"w":{"dtype":)", {}) << "malformed JSON";
    QTest::newRow("not an object") << fileBytes("[1,2]", {}) << "not a JSON object";
    QTest::newRow("unknown dtype") << fileBytes(R"({"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}})", QByteArray(8, 0))
                                   << "tensor \"w\": unknown or missing dtype \"F64\"";
    QTest::newRow("offsets past data") << fileBytes(good, QByteArray(4, 0)) << "tensor \"w\": data_offsets end 8 runs past";
    QTest::newRow("shape mismatch") << fileBytes(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", QByteArray(8, 0))
                                    << "tensor \"w\": shape needs 12 bytes";
    QTest::newRow("reversed offsets") << fileBytes(R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", QByteArray(8, 0))
                                      << "reversed";
    QTest::newRow("negative dim") << fileBytes(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", QByteArray(8, 0))
                                  << "not a non-negative integer";
    QTest::newRow("overflowing shape")
        << fileBytes(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,0]}})", {})
        << "too large";
    QTest::newRow("overlap") << fileBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                          R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                                          QByteArray(12, 0))
                             << "overlap";
    QTest::newRow("metadata not strings") << fileBytes(R"({"__metadata__":{"k":1}})", {}) << "__metadata__.k";
}

void TestSafetensors::hostileFilesAreRefused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath(QStringLiteral("hostile.safetensors"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
    file.close();
    try {
        SafetensorsReader reader(path);
        QFAIL("a hostile file was accepted");
    } catch (const InputError &error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.startsWith(path + QStringLiteral(": ")), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
    }
}

void TestSafetensors::writeFailureIsReportedAndLeavesNoFile()
{
    const QString path = QStringLiteral("/nonexistent-dir/x.safetensors");
    QVERIFY_THROWS_EXCEPTION(RuntimeError, writeSafetensors(path, {{"x", at::ones({2})}}));
    QVERIFY(!QFile::exists(path));
    QVERIFY_THROWS_EXCEPTION(InputError, SafetensorsReader(m_dir.filePath(QStringLiteral("missing.safetensors"))));
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
