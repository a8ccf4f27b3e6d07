#pragma once

#include "widgets/plots/PlotView.h"

#include <QFutureWatcher>

#include <vector>

class QPushButton;

namespace redifine {

// Paper Fig. 3a: t-SNE of the image features of every done iteration of the selected runs, computed on request
// off the GUI thread; points coloured by run, lighter with the iteration, arrows joining the centroids.
class TsneView : public PlotView
{
    Q_OBJECT
public:
    explicit TsneView(const PlotContext &context, QWidget *parent = nullptr);
    ~TsneView() override;

    void compute();
    bool isComputing() const { return m_tsne.isRunning(); }
    // Clears the points: they belong to the runs they were computed for.
    void replot() override;
    bool followsIteration() const override { return false; }   // the points of every iteration

Q_SIGNALS:
    void finished();

private:
    void show();

    struct Points
    {
        QList<int> run, iteration;
        std::vector<double> xy;
        QString error;
    };
    QPushButton *m_button = nullptr;
    QFutureWatcher<Points> m_tsne;
};

} // namespace redifine
