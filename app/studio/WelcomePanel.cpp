#include "app/studio/WelcomePanel.h"

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace redifine {

WelcomePanel::WelcomePanel(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel)
    , m_text(new QLabel)
    , m_demo(new QPushButton(tr("Run the quick demo chain")))
    , m_open(new QPushButton(tr("Open a runs folder…")))
    , m_setup(new QPushButton(tr("Set up a chain…")))
    , m_useDefault(new QPushButton(tr("Use the default folder")))
{
    setObjectName(QStringLiteral("WelcomePanel"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_text->setWordWrap(true);
    m_text->setMinimumWidth(420);
    m_text->setMaximumWidth(640);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_demo->setDefault(true);
    for (QPushButton *button : {m_demo, m_open, m_setup, m_useDefault})
        button->setMinimumHeight(36);
    connect(m_demo, &QPushButton::clicked, this, &WelcomePanel::runDemoRequested);
    connect(m_open, &QPushButton::clicked, this, &WelcomePanel::openFolderRequested);
    connect(m_setup, &QPushButton::clicked, this, &WelcomePanel::setUpChainRequested);
    connect(m_useDefault, &QPushButton::clicked, this, &WelcomePanel::useDefaultFolderRequested);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    for (QPushButton *button : {m_useDefault, m_demo, m_open, m_setup})
        buttons->addWidget(button);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(m_title, 0, Qt::AlignHCenter);
    layout->addSpacing(12);
    // (in a row between stretches, not with an alignment flag: a word-wrapped label then gets its height for the
    // width it is given instead of a guessed size hint, which cut the text off)
    auto *textRow = new QHBoxLayout;
    textRow->addStretch();
    textRow->addWidget(m_text, 4);
    textRow->addStretch();
    layout->addLayout(textRow);
    layout->addSpacing(18);
    layout->addLayout(buttons);
    layout->addStretch();
}

void WelcomePanel::showFolder(const QString &folder, bool missing)
{
    m_missing = missing;
    const QString shown = QDir::toNativeSeparators(folder);
    if (missing) {
        m_title->setText(tr("The runs folder is missing"));
        m_text->setText(tr("%1 does not exist: it was moved or deleted, or it is on a drive that is not mounted. "
                           "Use the default folder, or open another one.").arg(shown));
    } else {
        m_title->setText(tr("Welcome to ReDiFine Studio"));
        m_text->setText(tr("No runs in %1 yet. A Chain of Diffusion finetunes a model on the images it made, again and again, "
                           "and the images degrade. Start with the quick demo chain (16 emoji, 3 iterations, a few minutes on a "
                           "laptop CPU) and watch it as its iterations complete, open a folder of runs, or set up a chain of your own.")
                            .arg(shown));
    }
    m_useDefault->setVisible(missing);
    m_demo->setVisible(!missing);
    m_setup->setVisible(!missing);
}

} // namespace redifine
