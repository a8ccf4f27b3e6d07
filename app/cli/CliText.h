#pragma once

#include <QJsonObject>
#include <QString>

namespace redifine::cli {

// Text shared by the commands: indented JSON for --json, and durations as people read them ("42 s", "3.5 min").
QString jsonText(const QJsonObject &object);
QString durationText(double seconds);

} // namespace redifine::cli
