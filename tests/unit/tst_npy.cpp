// .npy feature files: round trips and NumPy's own byte layout.
#include "core/common/Error.h"
#include "core/io/Npy.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace redifine;

class TestNpy : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void readsNumpyBytes();
    void badFilesAreRefused_data();
    void badFilesAreRefused();

private:
    QTemporaryDir m_dir;
};

void TestNpy::roundTrip_data()
{
    QTest::addColumn<bool>("asFloat32");
    QTest::newRow("float64") << false;
    QTest::newRow("float32") << true;
}

void TestNpy::roundTrip()
{
    QFETCH(bool, asFloat32);
    NpyArray array;
    array.shape = {3, 2};
    array.values = {1.5, -2.25, 3.0, 4.125, 1e-3, 7.0};
    const QString path = m_dir.filePath(QStringLiteral("a.npy"));
    writeNpy(path, array, asFloat32);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QCOMPARE(bytes.size(), 128 + 6 * (asFloat32 ? 4 : 8));   // header padded to a multiple of 64 as NumPy does
    const NpyArray back = readNpy(path);
    QCOMPARE(back.shape, array.shape);
    QCOMPARE(back.rows(), int64_t(3));
    QCOMPARE(back.columns(), int64_t(2));
    for (size_t i = 0; i < array.values.size(); ++i)
        QCOMPARE(back.values[i], asFloat32 ? double(float(array.values[i])) : array.values[i]);
}

void TestNpy::readsNumpyBytes()
{
    // np.save of np.array([[1, 2]], dtype='<i8') with NumPy's exact header text.
    QByteArray bytes("\x93NUMPY\x01\x00", 8);
    QByteArray header("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }");
    while ((10 + header.size() + 1) % 64)
        header.append(' ');
    header.append('\n');
    bytes.append(char(header.size()));
    bytes.append('\0');
    bytes.append(header);
    const qint64 values[2] = {1, -2};
    bytes.append(reinterpret_cast<const char *>(values), 16);
    const QString path = m_dir.filePath(QStringLiteral("numpy.npy"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
    file.close();
    const NpyArray array = readNpy(path);
    QCOMPARE(array.shape, (std::vector<int64_t>{1, 2}));
    QCOMPARE(array.values, (std::vector<double>{1.0, -2.0}));
}

void TestNpy::badFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not npy") << QByteArray("PK\x03\x04 zip file") << "magic";
    // Headers padded to their declared lengths (0x3a, 0x3b) with " \n", as numpy pads them; the sizes given
    // are the literals' exact lengths (AddressSanitizer found them reading 2 bytes past when unpadded).
    QTest::newRow("fortran") << QByteArray("\x93NUMPY\x01\x00\x3a\x00{'descr': '<f8', 'fortran_order': True, 'shape': (1,), } \n", 68)
                             << "Fortran";
    QTest::newRow("big endian") << QByteArray("\x93NUMPY\x01\x00\x3b\x00{'descr': '>f8', 'fortran_order': False, 'shape': (1,), } \n", 69)
                                << "unsupported dtype";
    QTest::newRow("short data") << QByteArray("\x93NUMPY\x01\x00\x3b\x00{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } \n\x01", 70)
                                << "needs 16 bytes";
}

void TestNpy::badFilesAreRefused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath(QStringLiteral("bad.npy"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
    file.close();
    try {
        readNpy(path);
        QFAIL("accepted a bad file");
    } catch (const InputError &error) {
        const QString message = QString::fromUtf8(error.what());
        QVERIFY2(message.startsWith(path) && message.contains(expected), qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(TestNpy)
#include "tst_npy.moc"
