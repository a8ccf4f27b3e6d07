#include "widgets/CfgScheduleEditor.h"

#include "widgets/ChainColours.h"
#include "widgets/PlotStyle.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace redifine {

// One edit of the schedule, undoable.
class ScheduleEdit : public QUndoCommand
{
public:
    ScheduleEdit(CfgScheduleEditor *editor, const CfgSchedule &before, const CfgSchedule &after)
        : QUndoCommand(QObject::tr("change the CFG schedule")), m_editor(editor), m_before(before), m_after(after)
    {
    }
    void undo() override { m_editor->apply(m_before); }
    void redo() override { m_editor->apply(m_after); }

private:
    CfgScheduleEditor *m_editor;
    CfgSchedule m_before, m_after;
};

namespace {

enum Shape { Constant, Exponential, Linear, Cosine, Piecewise };

} // namespace

CfgScheduleEditor::CfgScheduleEditor(QWidget *parent)
    : QWidget(parent)
    , m_undo(new QUndoStack(this))
    , m_shape(new QComboBox)
    , m_first(new QDoubleSpinBox)
    , m_second(new QDoubleSpinBox)
    , m_plot(new QCustomPlot)
{
    m_shape->addItems({tr("Constant"), tr("Exponential s0 exp(-alpha t/T)"), tr("Linear"), tr("Cosine"), tr("Control points")});
    for (QDoubleSpinBox *box : {m_first, m_second}) {
        box->setRange(0.0, 50.0);
        box->setDecimals(2);
        box->setSingleStep(0.5);
    }
    auto *pointsButton = new QPushButton(tr("Edit points"));
    pointsButton->setToolTip(tr("Turn the current shape into control points you can drag"));
    auto *pinButton = new QPushButton(tr("Pin"));
    pinButton->setToolTip(tr("Keep the current schedule overlaid to compare the next ones with it"));
    auto *undoButton = new QPushButton(tr("Undo"));
    auto *redoButton = new QPushButton(tr("Redo"));
    connect(undoButton, &QPushButton::clicked, m_undo, &QUndoStack::undo);
    connect(redoButton, &QPushButton::clicked, m_undo, &QUndoStack::redo);
    connect(m_undo, &QUndoStack::canUndoChanged, undoButton, &QWidget::setEnabled);
    connect(m_undo, &QUndoStack::canRedoChanged, redoButton, &QWidget::setEnabled);
    undoButton->setEnabled(false);
    redoButton->setEnabled(false);
    QAction *undo = m_undo->createUndoAction(this);
    undo->setShortcut(QKeySequence::Undo);
    undo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    QAction *redo = m_undo->createRedoAction(this);
    redo->setShortcut(QKeySequence::Redo);
    redo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addActions({undo, redo});

    auto *form = new QHBoxLayout;
    form->addWidget(m_shape, 2);
    form->addWidget(m_first);
    form->addWidget(m_second);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {pointsButton, pinButton, undoButton, redoButton})
        buttons->addWidget(b);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_plot, 1);

    m_plot->setObjectName(QStringLiteral("cfgScheduleEditorPlot"));
    m_plot->setMinimumSize(260, 180);
    stylePlot(m_plot, palette());
    m_plot->xAxis->setLabel(tr("Denoising step t"));
    m_plot->yAxis->setLabel(tr("Guidance scale s_t"));
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(m_plot->font().family(), 8));
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_plot->installEventFilter(this);

    connect(m_shape, &QComboBox::currentIndexChanged, this, &CfgScheduleEditor::shapeChosen);
    connect(m_first, &QDoubleSpinBox::valueChanged, this, &CfgScheduleEditor::parametersEdited);
    connect(m_second, &QDoubleSpinBox::valueChanged, this, &CfgScheduleEditor::parametersEdited);
    connect(pointsButton, &QPushButton::clicked, this, &CfgScheduleEditor::editPoints);
    connect(pinButton, &QPushButton::clicked, this, &CfgScheduleEditor::pinCurrent);
    apply(m_schedule);
}

void CfgScheduleEditor::setSchedule(const CfgSchedule &schedule)
{
    if (schedule == m_schedule)
        return;
    m_undo->push(new ScheduleEdit(this, m_schedule, schedule));
}

void CfgScheduleEditor::setSteps(int steps)
{
    m_steps = std::max(1, steps);
    replot();
}

void CfgScheduleEditor::apply(const CfgSchedule &schedule)
{
    m_schedule = schedule;
    refreshControls();
    replot();
    Q_EMIT scheduleChanged(m_schedule);
}

void CfgScheduleEditor::refreshControls()
{
    m_updatingControls = true;
    const QJsonObject json = m_schedule.toJson();
    const int shape = int(m_schedule.kind());
    m_shape->setCurrentIndex(shape);
    const auto show = [&](QDoubleSpinBox *box, const QString &prefix, const char *key) {
        box->setVisible(true);
        box->setPrefix(prefix);
        box->setValue(json.value(QLatin1String(key)).toDouble());
    };
    m_first->setVisible(false);
    m_second->setVisible(false);
    switch (shape) {
    case Constant: show(m_first, tr("s = "), "scale"); break;
    case Exponential:
        show(m_first, tr("s0 = "), "s0");
        show(m_second, tr("alpha = "), "alpha");
        break;
    case Linear:
    case Cosine:
        show(m_first, tr("start = "), "start");
        show(m_second, tr("end = "), "end");
        break;
    default: break;
    }
    m_updatingControls = false;
}

void CfgScheduleEditor::shapeChosen()
{
    if (m_updatingControls)
        return;
    // A new shape starts from the current schedule's first and last scales, so switching keeps its range.
    const double start = m_schedule.scaleAtProgress(0.0), end = m_schedule.scaleAtProgress(1.0);
    switch (m_shape->currentIndex()) {
    case Constant: setSchedule(CfgSchedule::constant(start)); break;
    case Exponential: setSchedule(CfgSchedule::exponential(start, start > 0 && end > 0 ? std::log(start / end) : 2.0)); break;
    case Linear: setSchedule(CfgSchedule::linear(start, end)); break;
    case Cosine: setSchedule(CfgSchedule::cosine(start, end)); break;
    case Piecewise: editPoints(); break;
    default: break;
    }
}

void CfgScheduleEditor::parametersEdited()
{
    if (m_updatingControls)
        return;
    const double a = m_first->value(), b = m_second->value();
    switch (m_schedule.kind()) {
    case CfgSchedule::Kind::Constant: setSchedule(CfgSchedule::constant(a)); break;
    case CfgSchedule::Kind::Exponential: setSchedule(CfgSchedule::exponential(a, b)); break;
    case CfgSchedule::Kind::Linear: setSchedule(CfgSchedule::linear(a, b)); break;
    case CfgSchedule::Kind::Cosine: setSchedule(CfgSchedule::cosine(a, b)); break;
    default: break;
    }
}

void CfgScheduleEditor::editPoints()
{
    if (m_schedule.kind() == CfgSchedule::Kind::Piecewise)
        return;
    std::vector<CfgControlPoint> points;
    for (int i = 0; i <= 5; ++i)
        points.push_back({i / 5.0, m_schedule.scaleAtProgress(i / 5.0)});
    setSchedule(CfgSchedule::piecewise(points));
}

CfgSchedule CfgScheduleEditor::movedPoint(const CfgSchedule &from, int index, double progress, double scale) const
{
    std::vector<CfgControlPoint> points = from.points();
    if (index < 0 || index >= int(points.size()))
        return from;
    const double low = index > 0 ? points[index - 1].progress : 0.0;
    const double high = index + 1 < int(points.size()) ? points[index + 1].progress : 1.0;
    points[index] = {std::clamp(progress, low, high), std::max(0.0, scale)};
    return CfgSchedule::piecewise(points);
}

void CfgScheduleEditor::movePoint(int index, double progress, double scale)
{
    setSchedule(movedPoint(m_schedule, index, progress, scale));
}

void CfgScheduleEditor::pinCurrent()
{
    m_pinned.append({m_schedule.describe(), m_schedule});
    replot();
}

QPoint CfgScheduleEditor::pointPosition(int index) const
{
    const CfgControlPoint &p = m_schedule.points().at(index);
    return QPoint(int(std::lround(m_plot->xAxis->coordToPixel(p.progress * m_steps))),
                  int(std::lround(m_plot->yAxis->coordToPixel(p.scale))));
}

void CfgScheduleEditor::replot()
{
    m_plot->clearGraphs();
    double top = 1.0;
    const auto curve = [&](const CfgSchedule &schedule, const QString &name, const QPen &pen) {
        QCPGraph *graph = m_plot->addGraph();
        graph->setName(name);
        graph->setPen(pen);
        QVector<double> x, y;
        for (int t = 0; t < m_steps; ++t) {
            x << t;
            y << schedule.scaleAt(t, m_steps);
            top = std::max(top, y.back());
        }
        graph->setData(x, y, true);
        return graph;
    };
    for (int i = 0; i < m_pinned.size(); ++i) {
        QColor colour = chainColour(i + 1);
        colour.setAlphaF(0.6);
        curve(m_pinned[i].second, m_pinned[i].first, QPen(colour, 1.5, Qt::DashLine));
    }
    m_curve = curve(m_schedule, m_schedule.describe(), QPen(chainColour(0), 2.5));
    m_curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, chainColour(0), chainColour(0), 4));
    m_points = nullptr;
    if (m_schedule.kind() == CfgSchedule::Kind::Piecewise) {
        m_points = m_plot->addGraph();
        m_points->setName(tr("control points (drag)"));
        m_points->setLineStyle(QCPGraph::lsNone);
        m_points->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2), QBrush(Qt::white), 11));
        QVector<double> x, y;
        for (const CfgControlPoint &p : m_schedule.points()) {
            x << p.progress * m_steps;
            y << p.scale;
            top = std::max(top, p.scale);
        }
        m_points->setData(x, y, true);
    }
    m_plot->xAxis->setRange(-0.5, m_steps + 0.5);
    m_plot->yAxis->setRange(0.0, top * 1.15);
    m_plot->replot();
}

bool CfgScheduleEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_plot || m_schedule.kind() != CfgSchedule::Kind::Piecewise)
        return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::MouseButtonPress) {
        const QPointF pos = static_cast<QMouseEvent *>(event)->position();
        m_dragged = -1;
        double nearest = 12.0;   // pixels
        for (int i = 0; i < int(m_schedule.points().size()); ++i) {
            const double d = QLineF(pos, pointPosition(i)).length();
            if (d < nearest) {
                nearest = d;
                m_dragged = i;
            }
        }
        if (m_dragged >= 0) {
            m_beforeDrag = m_schedule;
            return true;
        }
    } else if (event->type() == QEvent::MouseMove && m_dragged >= 0) {
        const QPointF pos = static_cast<QMouseEvent *>(event)->position();
        // Live feedback while dragging; the undoable edit is made on release.
        m_schedule = movedPoint(m_schedule, m_dragged, m_plot->xAxis->pixelToCoord(pos.x()) / m_steps, m_plot->yAxis->pixelToCoord(pos.y()));
        replot();
        return true;
    } else if (event->type() == QEvent::MouseButtonRelease && m_dragged >= 0) {
        const QPointF pos = static_cast<QMouseEvent *>(event)->position();
        const CfgSchedule after = movedPoint(m_beforeDrag, m_dragged, m_plot->xAxis->pixelToCoord(pos.x()) / m_steps,
                                             m_plot->yAxis->pixelToCoord(pos.y()));
        m_schedule = m_beforeDrag;
        m_dragged = -1;
        setSchedule(after);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace redifine
