#pragma once

#include "widgets/plots/PlotView.h"

namespace redifine {

// The finetune loss per step of each iteration of the first selected run (train_log.csv), dark to light.
class LossView : public PlotView
{
    Q_OBJECT
public:
    explicit LossView(const PlotContext &context, QWidget *parent = nullptr);
    void replot() override;
    bool followsIteration() const override { return false; }   // every iteration's loss, whatever the linked iteration
};

} // namespace redifine
