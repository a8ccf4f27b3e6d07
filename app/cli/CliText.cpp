#include "app/cli/CliText.h"

#include <QJsonDocument>

namespace redifine::cli {

QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
}

QString durationText(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("?");
    if (seconds < 90)
        return QStringLiteral("%1 s").arg(int(seconds + 0.5));
    return QStringLiteral("%1 min").arg(seconds / 60.0, 0, 'f', 1);
}

} // namespace redifine::cli
