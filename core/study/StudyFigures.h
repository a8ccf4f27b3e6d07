#pragma once

#include "core/study/Study.h"

#include <QImage>
#include <QString>
#include <QStringList>

namespace redifine {

// The study's figures, drawn with QPainter so the CLI needs no widgets: the paper's Figure 2a/6 (K-reusability
// against the metric at iteration 1, one point per condition with 95% intervals in both directions) and
// Figure 3b-d (each metric over the iterations, the mean per condition with its 95% band).
QImage reusabilityFigure(const StudyResult &study, const QString &metric, double scale = 2.0);
QImage metricCurvesFigure(const StudyResult &study, double scale = 2.0);

// Writes reusability-<metric>.png/.pdf for every reusability metric and metrics.png/.pdf into `dir`; returns
// the files written. Throws RuntimeError naming a file that cannot be written.
QStringList writeStudyFigures(const StudyResult &study, const QString &dir);

} // namespace redifine
