#pragma once

#include <QString>
#include <QStringList>

namespace redifine {

// The languages the studio ships (English is the source language).
QStringList shippedLanguages();   // "de", "ja", "zh_CN"

// Installs the studio's translation for `language` ("de", "ja", "zh_CN"; a locale name such as "de_DE" picks
// its language) and Qt's own where Qt's translations are installed. English, or a language that is not
// shipped, installs nothing and returns false.
bool installTranslations(const QString &language);

} // namespace redifine
