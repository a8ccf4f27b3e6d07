#pragma once

#include <QString>
#include <QStringList>

namespace redifine {

// Language and palette, chosen at start-up from the settings or the command line, and switched live from
// the View menu (the main window rebuilds its widgets on QEvent::LanguageChange and on a theme switch).

// The languages the studio ships (English is the source language).
QStringList shippedLanguages();   // "de", "ja", "zh_CN"

// Installs the studio's translation for `language` ("de", "ja", "zh_CN"; a locale name such as "de_DE" picks
// its language) and Qt's own where Qt's translations are installed. English, or a language that is not
// shipped, installs nothing and returns false. Translations installed by an earlier call are removed first.
bool installTranslations(const QString &language);

// "dark" switches the whole application to Fusion with a dark palette; anything else returns to the
// platform's own style and palette (as they were at the first call, which main() makes at start-up).
void applyTheme(const QString &theme);

} // namespace redifine
