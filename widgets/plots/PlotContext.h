#pragma once

#include "core/io/RunReader.h"

#include <QList>
#include <QString>

namespace redifine {

// One condition of the selected runs: runs whose settings are equal except for their seed, grouped the way
// `redifine study` groups chains (core/study/Conditions.h). A repeat (same settings and seed as another run)
// is a condition of its own, so no run is silently dropped from a view.
struct RunCondition
{
    QString label;           // a lone run: its name; seeds of one condition: the settings that set it apart, and n
    QList<int> runs;         // indices into the run list
    QString settingsLabel;   // the settings that set it apart from the other conditions ("CFG 7.5, drop 0.2")
};
QList<RunCondition> runConditions(const QList<RunSummary> &runs);

// What every plot view draws: the selected runs, their conditions, the iteration linked with the image grid,
// the metric chosen in the Metrics tab, and whether seeds are shown one by one.
struct PlotContext
{
    QList<RunSummary> runs;
    QList<RunCondition> conditions;
    int iteration = 0;
    QString metric = QStringLiteral("features.fd");
    QString metricLabel;
    bool showSeeds = false;

    // Conditions drawn as mean and 95% band: some condition has two or more runs and the seeds toggle is off.
    bool aggregated() const;
    int iterations() const;   // the largest K of the runs
};

} // namespace redifine
