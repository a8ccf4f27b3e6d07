// Exports as a paper needs them: vector SVG and PDF plots, a 300 dpi PNG, a labelled grid with the right image
// in each cell, and a report (PDF that renders, self-contained HTML, metrics CSV).
#include "SyntheticRun.h"

#include "widgets/FigureExport.h"
#include "widgets/RunPlots.h"

#include <qcustomplot.h>

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace redifine;

namespace {

// RFC 4180, strictly: records end in CRLF; a field is either free of quotes, commas and line breaks, or
// quoted with its quotes doubled. Anything else fails the test.
QList<QStringList> parseRfc4180(const QString &text)
{
    QList<QStringList> records;
    QStringList record;
    QString field;
    qsizetype i = 0;
    const auto fail = [&](const char *why) {
        QTest::qFail(qPrintable(QStringLiteral("not RFC 4180 at character %1: %2").arg(i).arg(QLatin1String(why))), __FILE__, __LINE__);
        return QList<QStringList>{};
    };
    while (i < text.size()) {
        if (text[i] == QLatin1Char('"')) {
            for (++i;; ++i) {
                if (i >= text.size())
                    return fail("unterminated quoted field");
                if (text[i] == QLatin1Char('"')) {
                    if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                        field += QLatin1Char('"');
                        ++i;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += text[i];
            }
        } else {
            while (i < text.size() && text[i] != QLatin1Char(',') && text[i] != QLatin1Char('\r')) {
                if (text[i] == QLatin1Char('"') || text[i] == QLatin1Char('\n'))
                    return fail("quote or bare line feed in an unquoted field");
                field += text[i++];
            }
        }
        record << field;
        field.clear();
        if (i < text.size() && text[i] == QLatin1Char(',')) {
            ++i;
            continue;
        }
        if (text.mid(i, 2) != QLatin1String("\r\n"))
            return fail("a record must end in CRLF");
        i += 2;
        records << record;
        record.clear();
    }
    return records;
}

// The cells of each <tr> of the first <table>, entities decoded.
// The cells of the report's metrics table (the one under its "Metrics" heading).
QList<QStringList> htmlTableCells(const QString &html)
{
    const qsizetype start = html.indexOf(QLatin1String("<table>"), html.indexOf(QLatin1String("<h2>Metrics</h2>")));
    const QString table = html.mid(start, html.indexOf(QLatin1String("</table>"), start) - start);
    static const QRegularExpression rowPattern(QStringLiteral("<tr>(.*?)</tr>"));
    static const QRegularExpression cellPattern(QStringLiteral("<t[dh]>([^<]*)</t[dh]>"));
    QList<QStringList> rows;
    for (const QRegularExpressionMatch &row : rowPattern.globalMatch(table)) {
        QStringList cells;
        for (const QRegularExpressionMatch &cell : cellPattern.globalMatch(row.captured(1))) {
            QString text = cell.captured(1);
            text.replace(QLatin1String("&lt;"), QLatin1String("<")).replace(QLatin1String("&gt;"), QLatin1String(">"));
            text.replace(QLatin1String("&quot;"), QLatin1String("\"")).replace(QLatin1String("&#39;"), QLatin1String("'"));
            cells << text.replace(QLatin1String("&amp;"), QLatin1String("&"));
        }
        rows << cells;
    }
    return rows;
}

// Sets the name and seed of a synthetic run in its chain.json.
void renameRun(const QString &dir, const QString &name, qint64 seed)
{
    QFile in(dir + "/chain.json");
    QVERIFY(in.open(QIODevice::ReadOnly));
    QJsonObject chain = QJsonDocument::fromJson(in.readAll()).object();
    in.close();
    QJsonObject config = chain.value("config").toObject();
    config.insert("name", name);
    config.insert("seed", seed);
    chain.insert("config", config);
    writeJson(dir + "/chain.json", chain);
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        writeSyntheticRun(m_dir.filePath("run"), 3, 2, 2, QJsonObject{{"type", "constant"}, {"scale", 7.5}});
        m_run = readRunSummary(m_dir.filePath("run"));
    }

    void plotsExportAsVectorsAndHighResolutionPng()
    {
        RunPlots plots;
        plots.setRuns({m_run});
        QCustomPlot *plot = plots.plot("metrics");
        QVERIFY(exportPlot(plot, m_dir.filePath("fd.svg")));
        QFile svg(m_dir.filePath("fd.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray svgText = svg.readAll();
        QVERIFY2((svgText.contains("<polyline") || svgText.contains("<path")) && !svgText.contains("<image"), svgText.left(400).constData());
        QVERIFY(exportPlot(plot, m_dir.filePath("fd.pdf")));
        QFile pdf(m_dir.filePath("fd.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        const QByteArray pdfBytes = pdf.readAll();
        QVERIFY(pdfBytes.startsWith("%PDF") && !pdfBytes.contains("/Subtype /Image"));
        QVERIFY(exportPlot(plot, m_dir.filePath("fd.png"), 300));
        QCOMPARE(QImage(m_dir.filePath("fd.png")).width(), qRound(900 * 300 / 96.0));
        QString error;
        QVERIFY(!exportPlot(plot, m_dir.filePath("fd.bmp"), 300, &error));
        QVERIFY(error.contains(".svg"));
    }

    void gridHasTheRightImageInEachCell()
    {
        QVERIFY(exportGrid({m_run}, m_dir.filePath("grid.png")));
        const QImage grid(m_dir.filePath("grid.png"));
        // Layout: 260-pixel label column, 40-pixel header, 128-pixel cells with 4-pixel gaps.
        QCOMPARE(grid.width(), 260 + 3 * 132);
        QCOMPARE(grid.height(), 40 + 3 * 132);
        for (int p = 0; p < 3; ++p)
            for (int k = 0; k < 3; ++k)
                QCOMPARE(grid.pixelColor(260 + k * 132 + 64, 40 + p * 132 + 64), cellColour(p, k));
        QVERIFY(exportGrid({m_run}, m_dir.filePath("sheet.pdf")));
    }

    void reportRendersWithEveryFigure()
    {
        const QString dir = m_dir.filePath("report");
        QString error;
        QVERIFY2(exportReport({m_run}, dir, &error), qPrintable(error));
        QFile html(dir + "/report.html");
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(html.readAll());
        QCOMPARE(text.count(QStringLiteral("<svg")), 8);
        QCOMPARE(text.count(QStringLiteral("<img alt=\"grid\" src=\"data:image/png;base64,")), 1);
        QCOMPARE(htmlTableCells(text).value(3), (QStringList{"run", m_run.dir, "0", "2", "20"}));
        QVERIFY(!text.contains(QStringLiteral("src=\"file:")));   // self-contained
        QFile csv(dir + "/metrics.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QStringList> records = parseRfc4180(QString::fromUtf8(csv.readAll()));
        QCOMPARE(records.size(), 4);   // header + iterations 0..2
        QCOMPARE(records[0], (QStringList{"run", "run_dir", "seed", "iteration", "features.fd"}));
        QCOMPARE(records[3], (QStringList{"run", m_run.dir, "0", "2", "20"}));
        if (QStandardPaths::findExecutable("pdftoppm").isEmpty())
            QSKIP("pdftoppm (poppler-utils) is not installed: the PDF was written but not rendered");
        QCOMPARE(QProcess::execute("pdftoppm", {"-r", "40", "-png", dir + "/report.pdf", dir + "/page"}), 0);
        const QStringList pages = QDir(dir).entryList({"page-*.png"});
        QCOMPARE(pages.size(), 5);   // settings and grid, then two plots a page
        const QImage first(dir + "/" + pages.first());
        QSet<QRgb> colours;
        for (int y = 0; y < first.height(); y += 2)
            for (int x = 0; x < first.width(); x += 2)
                colours.insert(first.pixel(x, y));
        QVERIFY2(colours.size() > 10, qPrintable(QString::number(colours.size())));
    }

    // Names with a comma, a quote or a tag stay in their own cell of the CSV and of the HTML table, and two
    // runs of one preset are told apart by folder and seed.
    void reportTablesKeepEveryFieldInItsColumn()
    {
        const QStringList names{"redifine, quick", "<b>bold</b> \"quoted\"", "redifine, quick"};
        QList<RunSummary> runs;
        for (int i = 0; i < names.size(); ++i) {
            const QString dir = m_dir.filePath(QStringLiteral("named-%1").arg(i));
            writeSyntheticRun(dir, 2, 1, 1, QJsonObject{{"type", "constant"}, {"scale", 7.5}}, 100.0 * i);
            renameRun(dir, names[i], 1000 + i);
            runs << readRunSummary(dir);
        }
        const QString out = m_dir.filePath("named-report");
        QString error;
        QVERIFY2(exportReport(runs, out, &error), qPrintable(error));
        QFile csvFile(out + "/metrics.csv");
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QList<QStringList> csv = parseRfc4180(QString::fromUtf8(csvFile.readAll()));
        QFile htmlFile(out + "/report.html");
        QVERIFY(htmlFile.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(htmlFile.readAll());
        QVERIFY(!html.contains("<b>bold"));
        const QList<QStringList> cells = htmlTableCells(html);
        for (const QList<QStringList> &table : {csv, cells}) {
            QCOMPARE(table.size(), 1 + 3 * 2);
            QCOMPARE(table[0], (QStringList{"run", "run_dir", "seed", "iteration", "features.fd"}));
            for (int i = 0; i < 3; ++i)
                for (int k = 0; k < 2; ++k)
                    QCOMPARE(table[1 + 2 * i + k], (QStringList{names[i], runs[i].dir, QString::number(1000 + i), QString::number(k),
                                                                QString::number(10 * k + 100 * i)}));
        }
    }

    // A metric name that needs quoting is quoted in the header as a value would be.
    void csvHeaderQuotesNamesLikeValues()
    {
        const QString dir = m_dir.filePath("odd-metric");
        writeSyntheticRun(dir, 1, 0, 0, QJsonObject{{"type", "constant"}, {"scale", 7.5}});
        writeJson(dir + "/iter_0/metrics.json", QJsonObject{{"iteration", 0}, {"fd, \"clip\"", 1.5}});
        const QString csv = metricsCsv({readRunSummary(dir)});
        QVERIFY2(csv.startsWith("run,run_dir,seed,iteration,\"fd, \"\"clip\"\"\"\r\n"), qPrintable(csv));
        QCOMPARE(parseRfc4180(csv).value(0).value(4), QStringLiteral("fd, \"clip\""));
    }

    // Blocks of whole rows: every row on exactly one page, none over its page's height.
    void paginationPlacesEveryRowOnce_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<double>("firstPage");
        QTest::addColumn<double>("page");
        QTest::addColumn<int>("blocks");
        QTest::newRow("20 rows, half a first page") << 20 << 600.0 << 1400.0 << 3;     // 4 + 10 + 6
        QTest::newRow("fits on the first page") << 3 << 1400.0 << 1400.0 << 1;
        QTest::newRow("no room on the first page") << 5 << 100.0 << 1400.0 << 1;
        QTest::newRow("a row taller than a page") << 3 << 50.0 << 100.0 << 3;
        QTest::newRow("no rows") << 0 << 600.0 << 1400.0 << 0;
    }

    void paginationPlacesEveryRowOnce()
    {
        QFETCH(int, rows);
        QFETCH(double, firstPage);
        QFETCH(double, page);
        QFETCH(int, blocks);
        const GridRowMetrics metrics{40, 132};
        const QList<GridPage> pages = paginateGrid(rows, metrics, firstPage, page);
        QCOMPARE(pages.size(), blocks);
        int next = 0;
        for (qsizetype i = 0; i < pages.size(); ++i) {
            QCOMPARE(pages[i].firstRow, next);
            QVERIFY(pages[i].rowCount >= 1);
            const double room = (i == 0 && !pages[i].newPage) ? firstPage : page;
            QVERIFY(pages[i].rowCount == 1 || metrics.header + pages[i].rowCount * metrics.row <= room);
            QVERIFY(i == 0 || pages[i].newPage);
            next += pages[i].rowCount;
        }
        QCOMPARE(next, rows);
    }

    // The README's examples are rows 15 and 16 of the prompt list: a 20-prompt run's PDF shows all 20 rows.
    void reportPdfHoldsEveryPrompt()
    {
        const QString dir = m_dir.filePath("twenty");
        writeSyntheticRun(dir, 20, 2, 2, QJsonObject{{"type", "constant"}, {"scale", 7.5}});
        const RunSummary run = readRunSummary(dir);
        const QString out = m_dir.filePath("twenty-report");
        QString error;
        QVERIFY2(exportReport({run}, out, &error), qPrintable(error));
        if (QStandardPaths::findExecutable("pdftotext").isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed: the PDF was written but not read back");
        QProcess text;
        text.start("pdftotext", {"-layout", out + "/report.pdf", "-"});
        QVERIFY(text.waitForFinished(60000));
        const QString pdfText = QString::fromUtf8(text.readAllStandardOutput());
        // The blocks' "Prompts a-b of 20" lines cover 1..20 without a gap.
        static const QRegularExpression block(QStringLiteral("Prompts (\\d+)-(\\d+) of (\\d+)"));
        int next = 1, blocks = 0;
        for (const QRegularExpressionMatch &m : block.globalMatch(pdfText)) {
            QCOMPARE(m.captured(1).toInt(), next);
            QCOMPARE(m.captured(3).toInt(), 20);
            next = m.captured(2).toInt() + 1;
            ++blocks;
        }
        QCOMPARE(next, 21);
        QVERIFY2(blocks >= 2, qPrintable(pdfText.left(2000)));   // 20 rows of 132 px do not fit one A4 page
        // The pages the blocks need, then the plots two a page.
        QProcess info;
        info.start("pdfinfo", {out + "/report.pdf"});
        QVERIFY(info.waitForFinished(60000));
        static const QRegularExpression pagesLine(QStringLiteral("Pages:\\s+(\\d+)"));
        QCOMPARE(pagesLine.match(QString::fromUtf8(info.readAllStandardOutput())).captured(1).toInt(), blocks + 4);
        // The contact sheet too.
        QVERIFY(exportGrid({run}, out + "/sheet.pdf"));
        text.start("pdftotext", {out + "/sheet.pdf", "-"});
        QVERIFY(text.waitForFinished(60000));
        QVERIFY(QString::fromUtf8(text.readAllStandardOutput()).contains("Prompts 1-"));
    }

    // A run with more prompts than one image can be drawn tall: the PNG export says so and names .pdf; the
    // report's HTML holds every row in blocks of 32, the PDF pages them.
    void tallGridsArePagedNotDropped()
    {
        const QString dir = m_dir.filePath("tall");
        writeSyntheticRun(dir, 250, 1, 1, QJsonObject{{"type", "constant"}, {"scale", 7.5}});   // 40 + 250 x 132 > 32767 pixels
        const RunSummary run = readRunSummary(dir);
        QString error;
        QVERIFY(!exportGrid({run}, m_dir.filePath("tall.png"), &error));
        QVERIFY2(error.contains("250 rows") && error.contains(".pdf"), qPrintable(error));
        QVERIFY(!QFile::exists(m_dir.filePath("tall.png")));
        QVERIFY(exportGrid({run}, m_dir.filePath("tall.pdf"), &error));
        QVERIFY2(exportReport({run}, m_dir.filePath("tall-report"), &error), qPrintable(error));
        QFile html(m_dir.filePath("tall-report/report.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(html.readAll()).count(QStringLiteral("<img alt=\"grid\"")), 8);   // 7 x 32 + 26
        if (QStandardPaths::findExecutable("pdftotext").isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        QProcess text;
        text.start("pdftotext", {m_dir.filePath("tall.pdf"), "-"});
        QVERIFY(text.waitForFinished(60000));
        QVERIFY(QString::fromUtf8(text.readAllStandardOutput()).contains(QRegularExpression("Prompts \\d+-250 of 250")));
    }

private:
    QTemporaryDir m_dir;
    RunSummary m_run;
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
