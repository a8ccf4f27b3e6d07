#pragma once

#include "core/diffusion/CfgSchedule.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPGraph;
class QDoubleSpinBox;
class QMouseEvent;
class QUndoStack;

namespace redifine {

// The CFG schedule editor: guidance scale against denoising step, with the constant, exponential (s0, alpha),
// linear and cosine forms as starting shapes and a piecewise-linear form whose control points are dragged
// with the mouse. Schedules can be pinned to stay overlaid for comparison; every change can be undone.
class CfgScheduleEditor : public QWidget
{
    Q_OBJECT
public:
    explicit CfgScheduleEditor(QWidget *parent = nullptr);

    const CfgSchedule &schedule() const { return m_schedule; }
    void setSchedule(const CfgSchedule &schedule);   // an undoable edit
    void setSteps(int steps);
    int steps() const { return m_steps; }
    QUndoStack *undoStack() const { return m_undo; }
    QCustomPlot *plot() const { return m_plot; }

    // Turns the current shape into editable control points (six, evenly spaced in progress).
    void editPoints();
    // Moves control point `index` to (progress, scale) as a finished drag does: one undoable edit. Points keep
    // their order (a point stops at its neighbours) and scales stay >= 0.
    void movePoint(int index, double progress, double scale);
    void pinCurrent();
    int pinnedCount() const { return int(m_pinned.size()); }
    // Pixel position of control point `index` in the plot (for tests that drag with the mouse).
    QPoint pointPosition(int index) const;

Q_SIGNALS:
    void scheduleChanged(const CfgSchedule &schedule);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    friend class ScheduleEdit;
    void apply(const CfgSchedule &schedule);   // without undo: what undo and redo call
    void shapeChosen();
    void parametersEdited();
    void refreshControls();
    void replot();
    CfgSchedule movedPoint(const CfgSchedule &from, int index, double progress, double scale) const;

    CfgSchedule m_schedule = CfgSchedule::exponential(7.5, 2.0);
    int m_steps = 30;
    QList<QPair<QString, CfgSchedule>> m_pinned;
    QUndoStack *m_undo;
    QComboBox *m_shape;
    QDoubleSpinBox *m_first;
    QDoubleSpinBox *m_second;
    QCustomPlot *m_plot;
    QCPGraph *m_curve = nullptr;
    QCPGraph *m_points = nullptr;
    int m_dragged = -1;
    CfgSchedule m_beforeDrag = CfgSchedule::constant(1.0);
    bool m_updatingControls = false;
};

} // namespace redifine
