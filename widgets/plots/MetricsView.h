#pragma once

#include "widgets/plots/PlotView.h"

#include <QPair>

class QComboBox;

namespace redifine {

// One metric per iteration (paper Fig. 3b-d), a line per run, or per condition its mean over seeds with the
// 95% band; a vertical line marks the linked iteration. The metric chosen here is also the reusability's.
class MetricsView : public PlotView
{
    Q_OBJECT
public:
    explicit MetricsView(const PlotContext &context, QWidget *parent = nullptr);

    // (dotted key into metrics.json, label).
    static QList<QPair<QString, QString>> metricChoices();
    void showMetric(const QString &key);   // sets the chooser without emitting metricChosen
    QString metricLabel() const;
    void replot() override;

Q_SIGNALS:
    void metricChosen(const QString &key);

private:
    QComboBox *m_choice = nullptr;
};

} // namespace redifine
