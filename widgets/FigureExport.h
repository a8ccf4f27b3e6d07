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
QImage gridImage(const QList<RunSummary> &runs, int promptRow = 0, int maxRows = 32);
bool exportGrid(const QList<RunSummary> &runs, const QString &path, QString *error = nullptr);

// A report for one or more runs in `dir`: report.html (self-contained: grids as embedded PNG, plots as
// inline SVG), report.pdf (settings, metrics table, grids, every plot as vector graphics) and metrics.csv
// (one row per run and iteration).
bool exportReport(const QList<RunSummary> &runs, const QString &dir, QString *error = nullptr);

// metrics.csv: run, iteration, then every numeric metric of metrics.json flattened with dotted names.
QString metricsCsv(const QList<RunSummary> &runs);

} // namespace redifine
