// Exports as a paper needs them: vector SVG and PDF plots, a 300 dpi PNG, a labelled grid with the right image
// in each cell, and a report (PDF that renders, self-contained HTML, metrics CSV).
#include "SyntheticRun.h"

#include "widgets/FigureExport.h"
#include "widgets/RunPlots.h"

#include <qcustomplot.h>

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace redifine;

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
        QCOMPARE(text.count(QStringLiteral("<svg")), 7);
        QCOMPARE(text.count(QStringLiteral("<img alt=\"grid\" src=\"data:image/png;base64,")), 1);
        QVERIFY(!text.contains(QStringLiteral("src=\"file:")));   // self-contained
        QFile csv(dir + "/metrics.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);   // header + iterations 0..2
        QVERIFY(lines[0].startsWith("run,iteration,features.fd"));
        QCOMPARE(lines[3], QStringLiteral("run,2,20"));
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

private:
    QTemporaryDir m_dir;
    RunSummary m_run;
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
