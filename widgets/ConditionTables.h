#pragma once

#include "widgets/FigureExport.h"

namespace redifine {

// Tables of the conditions among runs (runs equal in every setting but the seed; widgets/plots/PlotContext.h),
// for the report: every number is a mean over seeds with its spread and the number of seeds behind it.

// Long form, every metric the studio plots: condition, seeds, iteration, metric, n, mean, sd, ci_low, ci_high
// (sd and the 95% t interval empty below two seeds).
MetricsTable conditionStatisticsTable(const QList<RunSummary> &runs);
// One row per condition and done iteration: condition, n, iteration, then "mean ± sd" of FD, CLIP score,
// saturation, sharpness and latent standard deviation.
MetricsTable conditionSummaryTable(const QList<RunSummary> &runs);
// One row per condition: condition, n, K, FD_1 (mean ± sd), FD_K - FD_1 mean, sd, ci_low, ci_high (paper Eq. 4;
// K is each run's last iteration with FD).
MetricsTable conditionReusabilityTable(const QList<RunSummary> &runs);

} // namespace redifine
