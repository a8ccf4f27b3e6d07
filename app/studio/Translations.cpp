#include "app/studio/Translations.h"

#include <QApplication>
#include <QCoreApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QLibraryInfo>
#include <QTranslator>

namespace redifine {

QStringList shippedLanguages()
{
    return {QStringLiteral("de"), QStringLiteral("ja"), QStringLiteral("zh_CN")};
}

namespace {

// The translators installed now (none for English), so that a switch removes them first.
QList<QTranslator *> &installedTranslators()
{
    static QList<QTranslator *> translators;
    return translators;
}

void removeTranslations()
{
    for (QTranslator *translator : installedTranslators()) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
    installedTranslators().clear();
}

} // namespace

bool installTranslations(const QString &language)
{
    QString code = language;
    if (!shippedLanguages().contains(code))
        code = code.section(QLatin1Char('_'), 0, 0);
    if (code == QLatin1String("zh"))
        code = QStringLiteral("zh_CN");
    removeTranslations();
    if (!shippedLanguages().contains(code))
        return false;
    auto *studio = new QTranslator(QCoreApplication::instance());
    if (!studio->load(QStringLiteral(":/i18n/redifine-studio_%1.qm").arg(code))) {
        delete studio;
        return false;
    }
    QCoreApplication::installTranslator(studio);
    installedTranslators() << studio;
    // Qt's own dialogs (file dialogs, message box buttons), when the system has Qt's translations.
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(QStringLiteral("qtbase_%1").arg(code), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        installedTranslators() << qt;
    } else {
        delete qt;
    }
    return true;
}

void applyTheme(const QString &theme)
{
    // The platform's own style and palette, kept from the first call so that "light" can return to them.
    static const QString platformStyle = QApplication::style()->name();
    static const QPalette platformPalette = QApplication::palette();
    if (theme != QLatin1String("dark")) {
        if (QApplication::style()->name() != platformStyle)
            QApplication::setStyle(QStyleFactory::create(platformStyle));
        QApplication::setPalette(platformPalette);
        return;
    }
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(45, 45, 48));
    dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
    dark.setColor(QPalette::Base, QColor(30, 30, 32));
    dark.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
    dark.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
    dark.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
    dark.setColor(QPalette::Text, QColor(230, 230, 230));
    dark.setColor(QPalette::Button, QColor(55, 55, 58));
    dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
    dark.setColor(QPalette::Highlight, QColor(0, 114, 178));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    dark.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
    dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
    QApplication::setPalette(dark);
}

} // namespace redifine
