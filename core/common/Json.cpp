#include "core/common/Json.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/common/InputFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

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
    if (const QString problem = openInputFile(in); !problem.isEmpty())
        return {};
    return QJsonDocument::fromJson(in.readAll()).object();
}

QJsonObject requireObjectFile(const QString &path)
{
    QFile in(path);
    if (const QString problem = openInputFile(in); !problem.isEmpty())
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(path, problem).toStdString());
    return parseObject(in.readAll(), path);
}

QJsonObject parseObject(const QByteArray &bytes, const QString &path)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        throw InputError(QStringLiteral("%1: not valid JSON (%2 at byte %3)").arg(path, error.errorString()).arg(error.offset).toStdString());
    if (!document.isObject())
        throw InputError(QStringLiteral("%1: not a JSON object (the top level is %2)")
                             .arg(path, document.isArray() ? QStringLiteral("an array") : QStringLiteral("empty"))
                             .toStdString());
    return document.object();
}

void writeObjectFileAtomically(const QString &path, const QJsonObject &object)
{
    writeFileAtomically(path, QJsonDocument(object).toJson(QJsonDocument::Indented));
}

QJsonValue valueAt(const QJsonObject &object, const QString &dottedPath)
{
    QJsonValue value = object;
    for (const QString &part : dottedPath.split(QLatin1Char('.'))) {
        if (!value.isObject())
            return QJsonValue(QJsonValue::Undefined);
        value = value.toObject().value(part);
    }
    return value;
}

QString valueText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble());
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

} // namespace redifine::json
