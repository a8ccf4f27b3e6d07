#include "app/studio/ChainQueue.h"

#include <QEvent>

#include "core/chain/ChainConfig.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <chrono>

namespace redifine {

void ChainWorker::run(const QJsonObject &configJson, const QString &runDir)
{
    m_cancel->store(false);
    // Progress reaches the GUI at most ten times a second: enough for a smooth bar, never a flood of events.
    auto lastEmit = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    try {
        const ChainConfig config = ChainConfig::fromJson(configJson);
        ChainCallbacks callbacks;
        callbacks.cancelled = [this] { return m_cancel->load(); };
        callbacks.progress = [&](const ChainProgress &p) {
            const auto now = std::chrono::steady_clock::now();
            if (now - lastEmit < std::chrono::milliseconds(100) && p.step != p.total)
                return;
            lastEmit = now;
            Q_EMIT progress(runDir, p.iteration, p.iterations, p.phase, p.step, p.total, p.etaSeconds);
        };
        callbacks.iterationDone = [&](int k) { Q_EMIT iterationDone(runDir, k); };
        const bool complete = runChain(config, runDir, callbacks);
        Q_EMIT finished(runDir, complete);
    } catch (const std::exception &error) {
        // The first line: LibTorch's errors carry their C++ backtrace after it.
        Q_EMIT failed(runDir, QString::fromUtf8(error.what()).trimmed().section(QLatin1Char('\n'), 0, 0));
    }
}

void ChainQueue::retranslate()
{
    m_cancelButton->setText(tr("Cancel"));
    m_resumeButton->setText(tr("Resume"));
    m_removeButton->setText(tr("Remove"));
    m_list->setHeaderLabels({tr("Chain"), tr("Progress"), tr("Status")});
}

// The queue outlives a language switch (the main window rebuilds everything else around it).
void ChainQueue::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

ChainQueue::ChainQueue(QWidget *parent)
    : QWidget(parent)
    , m_list(new QTreeWidget)
    , m_cancelButton(new QPushButton)
    , m_resumeButton(new QPushButton)
    , m_removeButton(new QPushButton)
{
    m_list->setObjectName(QStringLiteral("queueList"));
    retranslate();
    m_list->setRootIsDecorated(false);
    m_list->header()->setStretchLastSection(true);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_cancelButton, m_resumeButton, m_removeButton})
        buttons->addWidget(b);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_list);
    layout->addLayout(buttons);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] { cancel(selectedRow()); });
    connect(m_resumeButton, &QPushButton::clicked, this, [this] { resume(selectedRow()); });
    connect(m_removeButton, &QPushButton::clicked, this, [this] {
        const int row = selectedRow();
        if (row >= 0 && m_entries[row].state != Running) {
            delete m_entries[row].item;
            m_entries.removeAt(row);
            if (m_running > row)
                --m_running;
        }
    });

    auto *worker = new ChainWorker(&m_cancel);
    worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(this, &ChainQueue::startChain, worker, &ChainWorker::run);
    connect(worker, &ChainWorker::progress, this, &ChainQueue::showProgress);
    connect(worker, &ChainWorker::iterationDone, this, &ChainQueue::iterationCompleted);
    connect(worker, &ChainWorker::finished, this, [this](const QString &dir, bool complete) {
        finish(dir, complete ? Done : Cancelled, complete ? tr("complete") : tr("cancelled; resume continues it"));
        Q_EMIT chainFinished(dir, complete);
    });
    connect(worker, &ChainWorker::failed, this, [this](const QString &dir, const QString &error) {
        finish(dir, Failed, tr("failed: %1").arg(error));
        Q_EMIT chainFinished(dir, false);
    });
    // The chain's own compute threads do the work; the QThread that drives them yields to the GUI.
    m_thread.start(QThread::LowPriority);
}

ChainQueue::~ChainQueue()
{
    m_cancel.store(true);
    m_thread.quit();
    m_thread.wait();
}

void ChainQueue::enqueue(const QJsonObject &config, const QString &runDir)
{
    Entry entry{config, runDir, Waiting, new QTreeWidgetItem(m_list)};
    entry.item->setText(0, config.value(QStringLiteral("name")).toString());
    entry.item->setText(2, tr("waiting"));
    entry.item->setToolTip(0, runDir);
    auto *bar = new QProgressBar;
    bar->setRange(0, 100);
    bar->setValue(0);
    m_list->setItemWidget(entry.item, 1, bar);
    m_entries.append(entry);
    startNext();
}

void ChainQueue::startNext()
{
    if (m_running >= 0)
        return;
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries[row].state == Waiting) {
            m_running = row;
            m_entries[row].state = Running;
            m_entries[row].item->setText(2, tr("starting"));
            Q_EMIT startChain(m_entries[row].config, m_entries[row].runDir);
            return;
        }
}

void ChainQueue::showProgress(const QString &runDir, int iteration, int iterations, const QString &phase, int step, int total, double eta)
{
    const int row = rowOf(runDir);
    if (row < 0)
        return;
    // Overall progress: iterations done plus the share of the current one's phase.
    const double within = total > 0 ? double(step) / total : 0.0;
    const double phaseShare = phase == QLatin1String("finetune") ? 0.5 * within : phase == QLatin1String("generate") ? 0.5 + 0.45 * within : 0.95;
    const double overall = iterations > 0 ? (std::max(0, iteration - 1) + (iteration == 0 ? 0.0 : phaseShare)) / iterations : 0.0;
    if (auto *bar = qobject_cast<QProgressBar *>(m_list->itemWidget(m_entries[row].item, 1)))
        bar->setValue(int(100 * overall));
    QString text = tr("iteration %1/%2, %3").arg(iteration).arg(iterations).arg(phase);
    if (total > 0)
        text += QStringLiteral(" %1/%2").arg(step).arg(total);
    if (eta >= 0)
        text += tr(", ETA %1 s").arg(eta, 0, 'f', 0);
    m_entries[row].item->setText(2, text);
}

void ChainQueue::finish(const QString &runDir, State state, const QString &text)
{
    const int row = rowOf(runDir);
    if (row >= 0) {
        m_entries[row].state = state;
        m_entries[row].item->setText(2, text);
        if (state == Done)
            if (auto *bar = qobject_cast<QProgressBar *>(m_list->itemWidget(m_entries[row].item, 1)))
                bar->setValue(100);
    }
    m_running = -1;
    startNext();
}

void ChainQueue::cancel(int row)
{
    if (row < 0 || row >= m_entries.size())
        return;
    if (m_entries[row].state == Running)
        m_cancel.store(true);
    else if (m_entries[row].state == Waiting)
        finish(m_entries[row].runDir, Cancelled, tr("cancelled before it started"));
}

void ChainQueue::resume(int row)
{
    if (row < 0 || row >= m_entries.size() || (m_entries[row].state != Cancelled && m_entries[row].state != Failed))
        return;
    m_entries[row].state = Waiting;
    m_entries[row].item->setText(2, tr("waiting (resumes)"));
    startNext();
}

int ChainQueue::count() const
{
    return int(m_entries.size());
}

ChainQueue::State ChainQueue::state(int row) const
{
    return m_entries.at(row).state;
}

QString ChainQueue::runDir(int row) const
{
    return m_entries.at(row).runDir;
}

QString ChainQueue::statusText(int row) const
{
    return m_entries.at(row).item->text(2);
}

int ChainQueue::rowOf(const QString &runDir) const
{
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries[row].runDir == runDir)
            return row;
    return -1;
}

int ChainQueue::selectedRow() const
{
    QTreeWidgetItem *item = m_list->currentItem();
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries[row].item == item)
            return row;
    return -1;
}

GuiLatencyProbe::GuiLatencyProbe(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(10);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        const qint64 now = m_clock.elapsed();
        m_maxBlockedMs = std::max(m_maxBlockedMs, double(now - m_last - 10));
        m_last = now;
    });
}

void GuiLatencyProbe::start()
{
    m_maxBlockedMs = 0.0;
    m_clock.start();
    m_last = 0;
    m_timer.start();
}

} // namespace redifine
