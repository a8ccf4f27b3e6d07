#pragma once

#include "widgets/plots/PlotView.h"

class QComboBox;

namespace redifine {

// Latent histograms (paper Fig. 4a, 8a), two ways: one chain over its iterations (the first selected run,
// dark to light, the linked iteration bold), or all chains at the linked iteration k (a curve per run, or per
// condition the mean density over seeds with its 95% band), as the paper compares chains.
class HistogramView : public PlotView
{
    Q_OBJECT
public:
    enum Mode { OneChainOverIterations, AllChainsAtIteration };

    explicit HistogramView(const PlotContext &context, QWidget *parent = nullptr);
    void setMode(Mode mode);
    Mode mode() const;
    void replot() override;

private:
    void replotOneChain();
    void replotAllChains();
    QComboBox *m_mode = nullptr;
};

} // namespace redifine
