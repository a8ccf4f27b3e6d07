#pragma once

#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace redifine {

// The paper's experiments as chain presets: JSON files in resources/presets, each {"description", "config"}
// where config holds only what differs from ChainConfig's defaults.
QList<QPair<QString, QString>> listPresets();   // (name, description), sorted by name
// The full config JSON of a preset: its settings merged over the defaults. Throws InputError for an
// unknown name, listing the known ones.
QJsonObject presetConfig(const QString &name);
// Deep merge: values of `overrides` replace those of `base`; objects merge key by key.
QJsonObject mergeJson(QJsonObject base, const QJsonObject &overrides);

} // namespace redifine
