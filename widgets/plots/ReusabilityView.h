#pragma once

#include "widgets/plots/PlotView.h"

namespace redifine {

// Paper Eq. 4 and Figures 2a/6: reusability M_K - M_1 against the first iteration's M_1, for the metric chosen
// in the Metrics tab. One point per run, or per condition the mean over seeds with 95% intervals in both
// directions (error bars on M_1 and on the reusability).
class ReusabilityView : public PlotView
{
    Q_OBJECT
public:
    explicit ReusabilityView(const PlotContext &context, QWidget *parent = nullptr);
    void replot() override;
    bool followsIteration() const override { return false; }   // K and iteration 1, whatever the linked iteration
};

// M_1 and M_K - M_1 of one run for a dotted metric, K its last done iteration with the metric (at least 2);
// false when the run has no such pair.
bool runReusability(const RunSummary &run, const QString &metric, double &first, double &reusability, int &k);

} // namespace redifine
