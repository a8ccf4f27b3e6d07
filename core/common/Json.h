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

// A JSON object from a file; empty when the file is missing, unreadable or not a JSON object (optional
// configs, state files of a resumable job, the run store's files read by tolerant readers).
QJsonObject readObjectFile(const QString &path);
// A JSON object from a file the user gave (a plan, a config, a schedule, a golden case file, prompts); throws
// InputError naming the file and the problem: cannot open, not valid JSON (with the byte), or not an object at
// the top. parseObject does the same for bytes already read from `path`.
QJsonObject requireObjectFile(const QString &path);
QJsonObject parseObject(const QByteArray &bytes, const QString &path);
// Writes the object (indented) to a temporary name and renames it over `path`, so a kill or a full disk never
// leaves a half-written file. Throws RuntimeError naming the file.
void writeObjectFileAtomically(const QString &path, const QJsonObject &object);

// The value at a dotted path ("finetune.unet_lr") of an object; undefined when absent.
QJsonValue valueAt(const QJsonObject &object, const QString &dottedPath);

// A value as a short text for labels and keys: a string as itself, a number as QString::number, anything
// else as compact JSON ("[1,2]", "true", "null").
QString valueText(const QJsonValue &value);

} // namespace redifine::json
