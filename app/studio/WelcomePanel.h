#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace redifine {

// What the studio shows instead of an empty grid: on a first run (no runs yet) the three ways in (the quick
// demo chain, a runs folder, the chain setup), and for a remembered runs folder that no longer exists, that it
// is missing and the way back to the default folder.
class WelcomePanel : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePanel(QWidget *parent = nullptr);

    // `missing`: the folder does not exist (offers the default instead of the demo).
    void showFolder(const QString &folder, bool missing);
    bool isShowingMissingFolder() const { return m_missing; }

Q_SIGNALS:
    void runDemoRequested();
    void openFolderRequested();
    void setUpChainRequested();
    void useDefaultFolderRequested();

private:
    QLabel *m_title = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_demo = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_setup = nullptr;
    QPushButton *m_useDefault = nullptr;
    bool m_missing = false;
};

} // namespace redifine
