#include "core/common/Json.h"

#include "core/common/Error.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace redifine::json {

namespace {

QJsonValue requireField(const QJsonObject &object, const QString &key, const QString &context)
{
    if (!object.contains(key))
        throw InputError(QStringLiteral("%1.%2: missing").arg(context, key).toStdString());
    return object.value(key);
}

[[noreturn]] void throwWrongType(const QString &key, const QString &context, const char *expected)
{
    throw InputError(QStringLiteral("%1.%2: expected %3").arg(context, key, QLatin1String(expected)).toStdString());
}

} // namespace

double requireNumber(const QJsonObject &object, const QString &key, const QString &context)
{
    const QJsonValue value = requireField(object, key, context);
    if (!value.isDouble())
        throwWrongType(key, context, "a number");
    return value.toDouble();
}

QString requireString(const QJsonObject &object, const QString &key, const QString &context)
{
    const QJsonValue value = requireField(object, key, context);
    if (!value.isString())
        throwWrongType(key, context, "a string");
    return value.toString();
}

QJsonArray requireArray(const QJsonObject &object, const QString &key, const QString &context)
{
    const QJsonValue value = requireField(object, key, context);
    if (!value.isArray())
        throwWrongType(key, context, "an array");
    return value.toArray();
}

QJsonObject readObjectFile(const QString &path)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(in.readAll()).object();
}

void writeObjectFileAtomically(const QString &path, const QJsonObject &object)
{
    QSaveFile out(path);
    const QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Indented);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
        throw RuntimeError(QStringLiteral("%1: write failed (%2)").arg(path, out.errorString()).toStdString());
}

} // namespace redifine::json
