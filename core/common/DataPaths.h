#pragma once

#include <QString>

namespace redifine {

// Finds a file shipped with the product (weights, presets, translations) by its path under resources/:
// $REDIFINE_DATA_DIR first, then <prefix>/share/redifine-studio next to an installed executable, then
// the source tree the program was built from. Returns an empty string when none has it.
QString findResource(const QString &relativePath);

// The shipped tiny base model M_0.
QString defaultTinyModelPath();

} // namespace redifine
