#include "widgets/plots/SpectraView.h"

#include "core/analysis/AnalysisJson.h"
#include "core/common/Json.h"
#include "widgets/ChainColours.h"
#include "widgets/plots/PlotHelpers.h"

#include <qcustomplot.h>

#include <QComboBox>

#include <algorithm>

namespace redifine {

SpectraView::SpectraView(const PlotContext &context, QWidget *parent) : PlotView(QStringLiteral("spectra"), context, parent)
{
    m_choice = new QComboBox;
    m_choice->addItem(tr("Images: radial"), QStringLiteral("image_spectrum:radial"));
    m_choice->addItem(tr("Images: angular"), QStringLiteral("image_spectrum:angular"));
    m_choice->addItem(tr("Latents: radial"), QStringLiteral("latent_spectrum:radial"));
    m_choice->addItem(tr("Latents: angular"), QStringLiteral("latent_spectrum:angular"));
    connect(m_choice, &QComboBox::currentIndexChanged, this, &SpectraView::replot);
    addControl(m_choice);
}

namespace {

// One iteration's profile; radial without the zero-frequency bin, which standardisation empties.
Curve spectrumCurve(const RunSummary &run, const IterationRecord &record, const QString &file, bool radial)
{
    Curve curve;
    if (!record.done)
        return curve;
    const QJsonObject spectrum = json::readObjectFile(run.iterationFile(record.index, QStringLiteral("analysis/%1.json").arg(file)));
    const QJsonObject profile = spectrum.value(radial ? QStringLiteral("radial") : QStringLiteral("angular")).toObject();
    const std::vector<double> x = doublesOf(profile.value(radial ? QStringLiteral("frequency") : QStringLiteral("centre")).toArray());
    const std::vector<double> y = doublesOf(profile.value(QStringLiteral("mean")).toArray());
    if (x.empty() || x.size() != y.size())
        return curve;
    for (size_t i = radial ? 1 : 0; i < x.size(); ++i) {
        curve.x << x[i];
        curve.y << std::max(y[i], 1e-12);
    }
    return curve;
}

} // namespace

void SpectraView::replot()
{
    QCustomPlot *p = plot();
    const QStringList choice = m_choice->currentData().toString().split(QLatin1Char(':'));
    const bool radial = choice.value(1) == QLatin1String("radial");
    resetPlot(p, radial ? tr("Spatial frequency (cycles per pixel)") : tr("Angle (radians)"), tr("Power (mean over images)"));
    p->yAxis->setScaleType(QCPAxis::stLogarithmic);
    p->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    if (m_context.aggregated()) {
        // A log axis has no room for an interval below zero.
        plotConditionMeans([&](const RunSummary &run, int k) {
            return k < run.iterationRecords.size() ? spectrumCurve(run, run.iterationRecords[k], choice.value(0), radial) : Curve();
        }, 1e-12);
    } else {
        for (int r = 0; r < m_context.runs.size(); ++r) {
            const RunSummary &run = m_context.runs[r];
            for (const IterationRecord &record : run.iterationRecords) {
                const Curve curve = spectrumCurve(run, record, choice.value(0), radial);
                if (!curve.x.isEmpty())
                    emphasise(addLine(p, tr("%1 iteration %2").arg(run.name).arg(record.index), curveColour(r, record.index), curve.x, curve.y),
                              record.index == m_context.iteration);
            }
        }
    }
    p->rescaleAxes();
    p->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace redifine
