#pragma once

#include <QString>
#include <QStringList>

namespace redifine {

// Language and palette, chosen at start-up from the settings or the command line.

// The languages the studio ships (English is the source language).
QStringList shippedLanguages();   // "de", "ja", "zh_CN"

// Installs the studio's translation for `language` ("de", "ja", "zh_CN"; a locale name such as "de_DE" picks
// its language) and Qt's own where Qt's translations are installed. English, or a language that is not
// shipped, installs nothing and returns false.
bool installTranslations(const QString &language);

// "dark" switches the whole application (Fusion style) to a dark palette before any window is made; anything
// else keeps the platform's light one.
void applyTheme(const QString &theme);

} // namespace redifine
