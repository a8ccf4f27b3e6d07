#include "widgets/FigureExport.h"

#include "widgets/RunListModel.h"
#include "widgets/RunPlots.h"
#include "widgets/ConditionTables.h"
#include "widgets/plots/HistogramView.h"
#include "widgets/plots/MapGridPlot.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"

#include <qcustomplot.h>

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QTextDocument>

#include <cmath>
#include <map>

namespace redifine {

namespace {

constexpr int kPlotWidth = 900, kPlotHeight = 500;
// QPainter's raster engine works in 16-bit coordinates: an image taller than this cannot be drawn whole.
constexpr int kMaxImageHeight = 32767;
constexpr int kHtmlGridRows = 32;

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool saveBytes(const QString &path, const QByteArray &bytes, QString *error)
{
    try {
        writeFileAtomically(path, bytes);
        return true;
    } catch (const std::runtime_error &failure) {   // a path that cannot be created (InputError) or a failed write
        return fail(error, QString::fromUtf8(failure.what()));
    }
}

QByteArray plotSvg(QCustomPlot *plot, int width = kPlotWidth, int height = kPlotHeight)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(QSize(width, height));
    svg.setViewBox(QRect(0, 0, width, height));
    QCPPainter painter(&svg);
    fitPlotTo(plot, QSize(width, height));
    plot->toPainter(&painter, width, height);
    fitPlotTo(plot, plot->size());
    painter.end();
    return buffer.data();
}

QByteArray pngBytes(const QImage &image)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return buffer.data();
}

void flatten(const QJsonObject &o, const QString &prefix, std::map<QString, double> &out)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it.value().isObject())
            flatten(it.value().toObject(), key, out);
        else if (it.value().isDouble())
            out[key] = it.value().toDouble();
    }
}

QString csvField(QString text)
{
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) || text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r')))
        return QLatin1Char('"') + text.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return text;
}

} // namespace

bool exportPlot(QCustomPlot *plot, const QString &path, int dpi, QString *error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    // A grid of maps lays its cells out square for the figure's size, then for the window's again.
    const auto fitted = [plot](bool written) {
        fitPlotTo(plot, plot->size());
        return written;
    };
    if (suffix == QLatin1String("png")) {
        fitPlotTo(plot, QSize(kPlotWidth, kPlotHeight));
        if (!fitted(plot->savePng(path, kPlotWidth, kPlotHeight, dpi / 96.0, -1, dpi)))
            return fail(error, QStringLiteral("%1: cannot write the PNG").arg(path));
        return true;
    }
    if (suffix == QLatin1String("pdf")) {
        fitPlotTo(plot, QSize(kPlotWidth, kPlotHeight));
        if (!fitted(plot->savePdf(path, kPlotWidth, kPlotHeight, QCP::epNoCosmetic, QStringLiteral("ReDiFine Studio"))))
            return fail(error, QStringLiteral("%1: cannot write the PDF").arg(path));
        return true;
    }
    if (suffix == QLatin1String("svg"))
        return saveBytes(path, plotSvg(plot), error);
    return fail(error, QStringLiteral("%1: choose .png, .svg or .pdf").arg(path));
}

namespace {

// The grid's layout: a label column, a header row of iteration names, square cells with gaps.
struct GridGeometry
{
    int columns = 0, cell = 128, label = 260, header = 40, gap = 4;
};

GridGeometry gridGeometry(const QList<RunSummary> &runs)
{
    GridGeometry g;
    for (const RunSummary &run : runs)
        g.columns = std::max(g.columns, run.iterations + 1);
    // Cells at least 128 pixels, so 64-pixel emoji are enlarged by whole pixels and stay crisp.
    const QImage sample(runs.first().imagePath(0, 0));
    if (!sample.isNull())
        g.cell = std::max(g.cell, sample.width());
    return g;
}

} // namespace

int gridRowCount(const QList<RunSummary> &runs)
{
    if (runs.isEmpty())
        return 0;
    return runs.size() > 1 ? int(runs.size()) : int(runs.first().prompts.size());
}

GridRowMetrics gridRowMetrics(const QList<RunSummary> &runs)
{
    if (runs.isEmpty())
        return {};
    const GridGeometry g = gridGeometry(runs);
    return {g.header, g.cell + g.gap};
}

QList<GridPage> paginateGrid(int rows, const GridRowMetrics &metrics, double firstPageHeight, double pageHeight)
{
    const auto fit = [&](double height) { return metrics.row > 0 ? int(std::floor((height - metrics.header) / metrics.row)) : rows; };
    QList<GridPage> pages;
    int next = 0;
    if (const int onCurrent = fit(firstPageHeight); onCurrent > 0 && rows > 0) {
        pages.append({0, std::min(onCurrent, rows), false});
        next = pages.last().rowCount;
    }
    const int perPage = std::max(1, fit(pageHeight));   // a row taller than a page is drawn shrunk
    while (next < rows) {
        pages.append({next, std::min(perPage, rows - next), true});
        next += pages.last().rowCount;
    }
    return pages;
}

QImage gridImage(const QList<RunSummary> &runs, int promptRow, int firstRow, int rowCount)
{
    if (runs.isEmpty())
        return {};
    const bool comparison = runs.size() > 1;
    const RunSummary &first = runs.first();
    const int available = std::max(0, gridRowCount(runs) - firstRow);
    const int rows = rowCount < 0 ? available : std::min(rowCount, available);
    const GridGeometry g = gridGeometry(runs);
    const int cell = g.cell, label = g.label, header = g.header, gap = g.gap;
    QImage image(label + g.columns * (cell + gap), header + rows * (cell + gap), QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::TextAntialiasing);
    QFont font = painter.font();
    font.setPixelSize(15);
    painter.setFont(font);
    for (int k = 0; k < g.columns; ++k)
        painter.drawText(QRect(label + k * (cell + gap), 0, cell, header), Qt::AlignCenter,
                         k == 0 ? QStringLiteral("D_0 (original)") : QStringLiteral("iteration %1").arg(k));
    for (int r = 0; r < rows; ++r) {
        const RunSummary &run = comparison ? runs[firstRow + r] : first;
        const int prompt = comparison ? promptRow : firstRow + r;
        const QRect labelRect(6, header + r * (cell + gap), label - 12, cell);
        painter.drawText(labelRect, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap,
                         comparison ? QStringLiteral("%1\n%2").arg(run.name, run.settingsText()) : run.prompts.value(prompt));
        for (int k = 0; k <= run.iterations; ++k) {
            const QRect target(label + k * (cell + gap), header + r * (cell + gap), cell, cell);
            const QImage picture(run.imagePath(k, prompt));
            if (picture.isNull()) {
                painter.fillRect(target, QColor(236, 236, 236));
                if (run.iterationRecords.value(k).done) {
                    painter.setPen(QPen(QColor(200, 60, 60), 2));
                    painter.drawLine(target.topLeft(), target.bottomRight());
                    painter.drawLine(target.topRight(), target.bottomLeft());
                    painter.setPen(Qt::black);
                }
                continue;
            }
            painter.drawImage(target, picture.scaled(cell, cell, Qt::KeepAspectRatio, Qt::FastTransformation));
        }
    }
    return image;
}

namespace {

// Draws `runs`' grid from height `top` of the painter's current page on: whole rows per page, the header
// repeated, a line under each block saying which rows it holds.
void drawPaginatedGrid(QPainter &painter, QPagedPaintDevice &device, const QList<RunSummary> &runs, double top)
{
    const QRect page = painter.viewport();
    const int rows = gridRowCount(runs);
    const double scale = double(page.width()) / gridImage(runs, 0, 0, 0).width();
    const double note = painter.fontMetrics().height() * 1.5;
    const QList<GridPage> pages = paginateGrid(rows, gridRowMetrics(runs), (page.height() - top - note) / scale, (page.height() - note) / scale);
    for (const GridPage &block : pages) {
        if (block.newPage)
            device.newPage();
        const double y = block.newPage ? 0.0 : top;
        const QImage picture = gridImage(runs, 0, block.firstRow, block.rowCount);
        const double blockScale = std::min(scale, (page.height() - y - note) / picture.height());
        painter.drawImage(QRectF(0, y, picture.width() * blockScale, picture.height() * blockScale), picture);
        painter.drawText(QRectF(0, y + picture.height() * blockScale, page.width(), note), Qt::AlignLeft | Qt::AlignVCenter,
                         QStringLiteral("%1 %2-%3 of %4")
                             .arg(runs.size() > 1 ? QStringLiteral("Runs") : QStringLiteral("Prompts"))
                             .arg(block.firstRow + 1)
                             .arg(block.firstRow + block.rowCount)
                             .arg(rows));
    }
}

} // namespace

bool exportGrid(const QList<RunSummary> &runs, const QString &path, QString *error)
{
    const GridRowMetrics metrics = gridRowMetrics(runs);
    const int fullHeight = metrics.header + gridRowCount(runs) * metrics.row;
    // Drawn whole only when it fits: a PNG taller than QPainter's coordinate range is refused below.
    const QImage grid = fullHeight > kMaxImageHeight ? gridImage(runs, 0, 0, 1) : gridImage(runs);
    if (grid.isNull())
        return fail(error, QStringLiteral("no run to export"));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) {
        if (fullHeight > kMaxImageHeight)
            return fail(error, QStringLiteral("%1: %2 rows make a grid %3 pixels tall, more than one PNG can hold (%4); export .pdf, which "
                                              "pages them")
                                   .arg(path)
                                   .arg(gridRowCount(runs))
                                   .arg(fullHeight)
                                   .arg(kMaxImageHeight));
        return grid.save(path, "PNG") || fail(error, QStringLiteral("%1: cannot write the PNG").arg(path));
    }
    if (suffix != QLatin1String("pdf"))
        return fail(error, QStringLiteral("%1: choose .png or .pdf").arg(path));
    // Contact sheet: the grid on A4 pages, whole rows per page.
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(QPageSize::A4));
    pdf.setResolution(150);
    pdf.setTitle(QStringLiteral("ReDiFine Studio contact sheet"));
    QPainter painter;
    if (!painter.begin(&pdf))
        return fail(error, QStringLiteral("%1: cannot write the PDF").arg(path));
    drawPaginatedGrid(painter, pdf, runs, 0.0);
    painter.end();
    return true;
}

MetricsTable metricsTable(const QList<RunSummary> &runs)
{
    std::map<QString, double> columnsSeen;
    for (const RunSummary &run : runs)
        for (const IterationRecord &r : run.iterationRecords)
            flatten(r.metrics, {}, columnsSeen);
    MetricsTable table;
    table.header = QStringList{QStringLiteral("run"), QStringLiteral("run_dir"), QStringLiteral("seed"), QStringLiteral("iteration")};
    QStringList columns;
    for (const auto &entry : columnsSeen)
        if (entry.first != QLatin1String("iteration"))
            columns << entry.first;
    table.header += columns;
    for (const RunSummary &run : runs)
        for (const IterationRecord &r : run.iterationRecords) {
            if (!r.done)
                continue;
            std::map<QString, double> values;
            flatten(r.metrics, {}, values);
            QStringList fields{run.name, QDir::toNativeSeparators(run.dir), QString::number(run.config.value(QStringLiteral("seed")).toInteger()),
                               QString::number(r.index)};
            for (const QString &column : columns)
                fields << (values.count(column) ? QString::number(values[column], 'g', 10) : QString());
            table.rows << fields;
        }
    return table;
}

QString metricsCsv(const QList<RunSummary> &runs)
{
    return tableCsv(metricsTable(runs));
}

QString tableHtml(const MetricsTable &table)
{
    QString html = QStringLiteral("<table><tr>");
    for (const QString &name : table.header)
        html += QStringLiteral("<th>%1</th>").arg(name.toHtmlEscaped());
    html += QStringLiteral("</tr>");
    for (const QStringList &row : table.rows) {
        html += QStringLiteral("<tr>");
        for (const QString &field : row)
            html += QStringLiteral("<td>%1</td>").arg(field.toHtmlEscaped());
        html += QStringLiteral("</tr>");
    }
    return html + QStringLiteral("</table>");
}

QString tableCsv(const MetricsTable &table)
{
    const auto line = [](const QStringList &fields) {
        QStringList quoted;
        for (const QString &field : fields)
            quoted << csvField(field);
        return quoted.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    };
    QString csv = line(table.header);
    for (const QStringList &row : table.rows)
        csv += line(row);
    return csv;
}

bool exportReport(const QList<RunSummary> &runs, const QString &dir, QString *error)
{
    if (runs.isEmpty())
        return fail(error, QStringLiteral("no run to report"));
    if (const QString why = makeFolder(dir); !why.isEmpty())
        return fail(error, QStringLiteral("%1: cannot create the folder (%2)").arg(dir, why));
    RunPlots plots;
    plots.resize(kPlotWidth, kPlotHeight);
    plots.setRuns(runs);
    const QStringList tabs{QStringLiteral("metrics"), QStringLiteral("reusability"), QStringLiteral("histograms"), QStringLiteral("diffnorm"),
                           QStringLiteral("spectra"), QStringLiteral("fingerprint"), QStringLiteral("spectrum2d"), QStringLiteral("loss")};
    const QStringList titles{QStringLiteral("Frechet distance to D_0 per iteration"), QStringLiteral("Reusability against first-iteration fidelity"),
                             QStringLiteral("Latent histograms"), QStringLiteral("Diff-norm per denoising step"),
                             QStringLiteral("Radial power spectra of the images"), QStringLiteral("Fingerprint: autocorrelation of the noise residuals"),
                             QStringLiteral("2-D power spectrum of the images"),
                             QStringLiteral("Finetune loss")};
    plots.setIteration(runs.first().iterations);
    // Several chains: their histograms side by side at iteration K, as the paper compares them (Fig. 4a).
    if (runs.size() > 1)
        plots.histograms()->setMode(HistogramView::AllChainsAtIteration);

    // HTML: self-contained, figures inline.
    QString html = QStringLiteral("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>ReDiFine Studio report</title>"
                                  "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}table{border-collapse:collapse}"
                                  "td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px}img{max-width:100%}</style></head><body>"
                                  "<h1>ReDiFine Studio report</h1>");
    for (const RunSummary &run : runs)
        html += QStringLiteral("<h2>%1</h2><p>%2<br>%3, status: %4<br><code>%5</code></p>")
                    .arg(run.name.toHtmlEscaped(), run.description.toHtmlEscaped(), run.settingsText().toHtmlEscaped(),
                         RunListModel::statusText(run).toHtmlEscaped(), run.dir.toHtmlEscaped());
    // Each run's own grid with every prompt (a comparison of several runs on one prompt would drop the rest),
    // in images of kHtmlGridRows rows, so a run with a thousand prompts makes many moderate PNGs, not one that
    // no painter can draw.
    for (const RunSummary &run : runs) {
        html += QStringLiteral("<h2>Images: %1</h2>").arg(run.name.toHtmlEscaped());
        for (int first = 0; first < gridRowCount({run}); first += kHtmlGridRows)
            html += QStringLiteral("<img alt=\"grid\" src=\"data:image/png;base64,%1\">")
                        .arg(QString::fromLatin1(pngBytes(gridImage({run}, 0, first, kHtmlGridRows)).toBase64()));
    }
    for (int i = 0; i < tabs.size(); ++i)
        html += QStringLiteral("<h2>%1</h2>").arg(titles[i]) + QString::fromUtf8(plotSvg(plots.plot(tabs[i])));
    // Conditions (runs equal but for the seed): mean, spread and number of seeds.
    const MetricsTable summary = conditionSummaryTable(runs);
    const MetricsTable reusability = conditionReusabilityTable(runs);
    html += QStringLiteral("<h2>Conditions: mean over seeds</h2>") + tableHtml(summary);
    html += QStringLiteral("<h2>Reusability per condition</h2>") + tableHtml(reusability);
    // The tables from the data, not from the CSV's text: a comma or a tag in a run's name stays in its cell.
    html += QStringLiteral("<h2>Metrics</h2>") + tableHtml(metricsTable(runs)) + QStringLiteral("</body></html>");
    const QDir out(dir);
    if (!saveBytes(out.filePath(QStringLiteral("report.html")), html.toUtf8(), error)
        || !saveBytes(out.filePath(QStringLiteral("metrics.csv")), metricsCsv(runs).toUtf8(), error)
        || !saveBytes(out.filePath(QStringLiteral("conditions.csv")), tableCsv(conditionStatisticsTable(runs)).toUtf8(), error))
        return false;

    // PDF: A4 pages, text and plots as vectors, the grid as an image.
    QPdfWriter pdf(out.filePath(QStringLiteral("report.pdf")));
    pdf.setPageSize(QPageSize(QPageSize::A4));
    // At 96 dpi the plots lay out with the same font metrics as on screen; they stay vectors in the PDF.
    pdf.setResolution(96);
    pdf.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
    pdf.setTitle(QStringLiteral("ReDiFine Studio report"));
    QCPPainter painter;
    if (!painter.begin(&pdf))
        return fail(error, QStringLiteral("%1: cannot write the PDF").arg(out.filePath(QStringLiteral("report.pdf"))));
    const QRect page = painter.viewport();
    QTextDocument summaryText;
    summaryText.setPageSize(page.size());
    QString text = QStringLiteral("<h1>ReDiFine Studio report</h1>");
    for (const RunSummary &run : runs)
        text += QStringLiteral("<h3>%1</h3><p>%2<br>%3; %4</p>")
                    .arg(run.name.toHtmlEscaped(), run.description.toHtmlEscaped(), run.settingsText().toHtmlEscaped(), RunListModel::statusText(run).toHtmlEscaped());
    text += QStringLiteral("<h3>Reusability per condition (mean over seeds)</h3>") + tableHtml(reusability);
    summaryText.setHtml(text);
    summaryText.drawContents(&painter);
    // Each run's grid, every prompt, over as many pages as it needs.
    double top = summaryText.size().height() + 20;
    for (qsizetype r = 0; r < runs.size(); ++r) {
        if (r > 0) {
            pdf.newPage();
            top = 0;
        }
        const double heading = painter.fontMetrics().height() * 2;
        painter.drawText(QRectF(0, top, page.width(), heading), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("Images: %1").arg(runs[r].name));
        drawPaginatedGrid(painter, pdf, {runs[r]}, top + heading);
    }
    for (int i = 0; i < tabs.size(); ++i) {
        if (i % 2 == 0)
            pdf.newPage();
        const int top = (i % 2) * page.height() / 2;
        QFont heading = painter.font();
        heading.setPointSize(12);
        heading.setBold(true);
        painter.setFont(heading);
        painter.drawText(QRect(0, top, page.width(), 40), Qt::AlignLeft | Qt::AlignVCenter, titles[i]);
        painter.save();
        painter.translate(0, top + 45);
        fitPlotTo(plots.plot(tabs[i]), QSize(page.width(), page.height() / 2 - 60));
        plots.plot(tabs[i])->toPainter(&painter, page.width(), page.height() / 2 - 60);
        painter.restore();
    }
    painter.end();
    return true;
}

} // namespace redifine
