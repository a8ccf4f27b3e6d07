#pragma once

#include "widgets/plots/PlotView.h"

class QComboBox;

namespace redifine {

// Radial and angular power spectra of the images or the latents (paper Fig. 35), a curve per run and
// iteration (the linked one bold); per condition, the mean over seeds, with the 95% band at the linked iteration.
class SpectraView : public PlotView
{
    Q_OBJECT
public:
    explicit SpectraView(const PlotContext &context, QWidget *parent = nullptr);
    void replot() override;

private:
    QComboBox *m_choice = nullptr;
};

} // namespace redifine
