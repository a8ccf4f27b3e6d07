#pragma once

#include "core/io/RunReader.h"

#include <QImage>
#include <QString>

class QCustomPlot;

namespace redifine {

// Figures for a paper: plots as PNG (at a chosen DPI), SVG and PDF (vector, no GUI chrome), image grids as a
// labelled PNG and as a contact-sheet PDF. Each function returns false (and says why in `error`) when the
// file cannot be written.
bool exportPlot(QCustomPlot *plot, const QString &path, int dpi = 300, QString *error = nullptr);

// The grid of one run (a row per prompt, columns = iterations) or of several runs for one prompt, at full
// image resolution with the prompts and iterations as labels. Missing images are drawn as crossed cells.
// Rows firstRow .. firstRow + rowCount - 1 (rowCount < 0: every row from firstRow on), under the header.
QImage gridImage(const QList<RunSummary> &runs, int promptRow = 0, int firstRow = 0, int rowCount = -1);
int gridRowCount(const QList<RunSummary> &runs);
// The grid's pixel height of the header and of one row (cell and gap): what paginating it needs.
struct GridRowMetrics
{
    int header = 0;
    int row = 0;
};
GridRowMetrics gridRowMetrics(const QList<RunSummary> &runs);

// Whole rows of a grid on pages: each block gets the header and as many rows as fit its page (heights in
// grid pixels). The first block stays on the current page when a row fits in the `firstPageHeight` left
// there; every later block starts a page of `pageHeight`. Every row lands in exactly one block, at least
// one row a block.
struct GridPage
{
    int firstRow = 0;
    int rowCount = 0;
    bool newPage = true;
};
QList<GridPage> paginateGrid(int rows, const GridRowMetrics &metrics, double firstPageHeight, double pageHeight);

// PNG: the whole grid (refused, naming .pdf, when it is taller than one image can be drawn); PDF: a contact
// sheet, whole rows per A4 page.
bool exportGrid(const QList<RunSummary> &runs, const QString &path, QString *error = nullptr);

// A report for one or more runs in `dir`: report.html (self-contained: each run's grid of every prompt as
// an embedded PNG, plots as inline SVG, the metrics table), report.pdf (settings, each run's grid over as
// many pages as its prompts need, every plot as vector graphics) and metrics.csv (one row per run and
// iteration).
bool exportReport(const QList<RunSummary> &runs, const QString &dir, QString *error = nullptr);

// The metrics of done iterations: run (the config's name), run_dir (the folder, which tells two runs of one
// preset apart), seed, iteration, then every numeric metric of metrics.json flattened with dotted names.
struct MetricsTable
{
    QStringList header;
    QList<QStringList> rows;
};
MetricsTable metricsTable(const QList<RunSummary> &runs);
// RFC 4180: CRLF line ends, a field quoted (quotes doubled) when it holds a comma, quote or line break; the
// header's names follow the same rule.
QString tableCsv(const MetricsTable &table);
QString metricsCsv(const QList<RunSummary> &runs);
// The table as an HTML <table>, every field escaped.
QString tableHtml(const MetricsTable &table);

} // namespace redifine
