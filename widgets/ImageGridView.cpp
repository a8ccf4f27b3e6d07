#include "widgets/ImageGridView.h"

#include "widgets/ImageGridModel.h"
#include "widgets/ThumbnailCache.h"

#include "core/common/InputFile.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QKeyEvent>
#include <QWheelEvent>

namespace redifine {

ImageGridView::ImageGridView(QWidget *parent)
    : QWidget(parent)
    , m_thumbnails(new ThumbnailCache(this))
    , m_model(new ImageGridModel(m_thumbnails, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView)
    , m_zoom(new QSlider(Qt::Horizontal))
    , m_filter(new QLineEdit)
    , m_comparisonPrompt(new QComboBox)
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(ImageGridModel::PromptRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setObjectName(QStringLiteral("imageGrid"));
    m_table->setModel(m_proxy);
    m_table->setIconSize(QSize(96, 96));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    m_zoom->setRange(32, 256);
    m_zoom->setValue(96);
    m_zoom->setToolTip(tr("Thumbnail size (Ctrl+wheel over the grid)"));
    m_filter->setPlaceholderText(tr("Filter prompts…"));
    m_filter->setClearButtonEnabled(true);
    m_comparisonPrompt->setToolTip(tr("The prompt shown for every run when comparing"));
    m_comparisonPrompt->setVisible(false);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_filter, 2);
    controls->addWidget(m_comparisonPrompt, 2);
    controls->addWidget(new QLabel(tr("Zoom")));
    controls->addWidget(m_zoom, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_table);

    m_table->viewport()->installEventFilter(this);
    m_table->installEventFilter(this);
    connect(m_zoom, &QSlider::valueChanged, this, &ImageGridView::setThumbnailSize);
    connect(m_filter, &QLineEdit::textChanged, this, &ImageGridView::setPromptFilter);
    connect(m_comparisonPrompt, &QComboBox::currentIndexChanged, m_model, &ImageGridModel::setComparisonPrompt);
    connect(m_table, &QTableView::doubleClicked, this, &ImageGridView::openCell);
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex &index) { Q_EMIT iterationSelected(index.column()); });
    connect(m_table->horizontalHeader(), &QHeaderView::sectionClicked, this, &ImageGridView::iterationSelected);
}

bool ImageGridView::eventFilter(QObject *watched, QEvent *event)
{
    // Arrow keys move between cells (the table's own navigation); Return opens the current image.
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) && m_table->currentIndex().isValid()) {
            openCell(m_table->currentIndex());
            return true;
        }
    }
    // Ctrl+wheel zooms the thumbnails; the plain wheel scrolls (pans) as usual.
    if (event->type() == QEvent::Wheel && static_cast<QWheelEvent *>(event)->modifiers() & Qt::ControlModifier) {
        const int steps = static_cast<QWheelEvent *>(event)->angleDelta().y() / 120;
        setThumbnailSize(std::clamp(m_zoom->value() + 16 * steps, m_zoom->minimum(), m_zoom->maximum()));
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void ImageGridView::setRuns(const QList<RunSummary> &runs)
{
    m_model->setRuns(runs);
    const bool comparison = runs.size() > 1;
    m_comparisonPrompt->setVisible(comparison);
    m_filter->setVisible(!comparison);
    if (comparison) {
        const QSignalBlocker block(m_comparisonPrompt);
        const int current = m_comparisonPrompt->currentIndex();
        m_comparisonPrompt->clear();
        m_comparisonPrompt->addItems(runs.first().prompts);
        m_comparisonPrompt->setCurrentIndex(std::max(0, std::min(current, int(runs.first().prompts.size()) - 1)));
        m_model->setComparisonPrompt(m_comparisonPrompt->currentIndex());
    }
}

void ImageGridView::setThumbnailSize(int pixels)
{
    m_model->setThumbnailSize(pixels);
    m_table->setIconSize(QSize(pixels, pixels));
    if (m_zoom->value() != pixels)
        m_zoom->setValue(pixels);
}

void ImageGridView::setPromptFilter(const QString &text)
{
    m_proxy->setFilterFixedString(text);
    if (m_filter->text() != text)
        m_filter->setText(text);
}

void ImageGridView::openCell(const QModelIndex &proxyIndex)
{
    const QString path = proxyIndex.data(ImageGridModel::ImagePathRole).toString();
    const QImage image(isRegularFile(path) ? path : QString());   // never a FIFO: it would block the GUI
    if (image.isNull())
        return;
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Iteration %1: %2").arg(proxyIndex.data(ImageGridModel::IterationRole).toInt())
                               .arg(proxyIndex.data(ImageGridModel::PromptRole).toString()));
    auto *picture = new QLabel;
    // Small images are enlarged by whole pixels (no smoothing), so what the model drew stays visible.
    const int scale = std::max(1, 512 / std::max(image.width(), image.height()));
    picture->setPixmap(QPixmap::fromImage(image.scaled(image.size() * scale, Qt::KeepAspectRatio, Qt::FastTransformation)));
    picture->setAlignment(Qt::AlignCenter);
    auto *parameters = new QPlainTextEdit(imageParameters(path) + QStringLiteral("\n\n") + path);
    parameters->setReadOnly(true);
    parameters->setMaximumHeight(110);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(picture);
    layout->addWidget(parameters);
    layout->addWidget(buttons);
    dialog->show();
}

void ImageGridView::selectRunIteration(int run, int iteration)
{
    if (iteration < 0 || iteration >= m_model->columnCount())
        return;
    const QModelIndex cell = m_proxy->mapFromSource(m_model->index(m_model->isComparison() ? run : 0, iteration));
    if (!cell.isValid())
        return;
    if (m_model->isComparison())
        m_table->setCurrentIndex(cell);
    else
        m_table->selectColumn(cell.column());
    m_table->scrollTo(cell);
}

} // namespace redifine
