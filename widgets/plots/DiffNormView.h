#pragma once

#include "widgets/plots/PlotView.h"

namespace redifine {

// Paper Fig. 4b: |eps_c - eps_u| per denoising step, a curve per run and iteration (the linked one bold) with
// the spread over images as a band; per condition, the mean over seeds with its 95% band.
class DiffNormView : public PlotView
{
    Q_OBJECT
public:
    explicit DiffNormView(const PlotContext &context, QWidget *parent = nullptr);
    void replot() override;
};

} // namespace redifine
