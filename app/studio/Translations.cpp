#include "app/studio/Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace redifine {

QStringList shippedLanguages()
{
    return {QStringLiteral("de"), QStringLiteral("ja"), QStringLiteral("zh_CN")};
}

bool installTranslations(const QString &language)
{
    QString code = language;
    if (!shippedLanguages().contains(code))
        code = code.section(QLatin1Char('_'), 0, 0);
    if (code == QLatin1String("zh"))
        code = QStringLiteral("zh_CN");
    if (!shippedLanguages().contains(code))
        return false;
    auto *studio = new QTranslator(QCoreApplication::instance());
    if (!studio->load(QStringLiteral(":/i18n/redifine-studio_%1.qm").arg(code))) {
        delete studio;
        return false;
    }
    QCoreApplication::installTranslator(studio);
    // Qt's own dialogs (file dialogs, message box buttons), when the system has Qt's translations.
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(QStringLiteral("qtbase_%1").arg(code), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return true;
}

} // namespace redifine
