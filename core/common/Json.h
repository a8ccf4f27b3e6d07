#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace redifine::json {

// Typed field access that throws InputError naming the field ("<context>.<key>") when it is missing or
// has the wrong type, so every config error tells the user exactly what to fix.
double requireNumber(const QJsonObject &object, const QString &key, const QString &context);
QString requireString(const QJsonObject &object, const QString &key, const QString &context);
QJsonArray requireArray(const QJsonObject &object, const QString &key, const QString &context);

} // namespace redifine::json
