#include "core/io/RunStore.h"

#include "core/common/Error.h"
#include "core/common/Json.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace redifine {

QString RunStore::chainJsonPath() const
{
    return QDir(m_root).filePath(QStringLiteral("chain.json"));
}

QString RunStore::iterationDir(int k) const
{
    return QDir(m_root).filePath(QStringLiteral("iter_%1").arg(k));
}

QString RunStore::imagesDir(int k) const
{
    return QDir(iterationDir(k)).filePath(QStringLiteral("images"));
}

QString RunStore::imagePath(int k, int index) const
{
    return QDir(imagesDir(k)).filePath(QStringLiteral("%1.png").arg(index, 4, 10, QLatin1Char('0')));
}

QString RunStore::captionPath(int k, int index) const
{
    return QDir(imagesDir(k)).filePath(QStringLiteral("%1.txt").arg(index, 4, 10, QLatin1Char('0')));
}

QString RunStore::file(int k, const QString &name) const
{
    return QDir(iterationDir(k)).filePath(name);
}

bool RunStore::isDone(int k) const
{
    return QFile::exists(file(k, QStringLiteral("DONE")));
}

void RunStore::markDone(int k) const
{
    writeText(file(k, QStringLiteral("DONE")), QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toUtf8() + '\n');
}

QJsonObject RunStore::readChainJson() const
{
    QFile in(chainJsonPath());
    if (!in.open(QIODevice::ReadOnly))
        throw InputError(QStringLiteral("%1: cannot open (%2); is %3 a run folder?").arg(chainJsonPath(), in.errorString(), m_root).toStdString());
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &error);
    if (!document.isObject())
        throw InputError(QStringLiteral("%1: not valid JSON (%2)").arg(chainJsonPath(), error.errorString()).toStdString());
    return document.object();
}

QStringList RunStore::readPrompts(int k) const
{
    QFile in(file(k, QStringLiteral("prompts.json")));
    if (!in.open(QIODevice::ReadOnly))
        throw RuntimeError(QStringLiteral("%1: missing").arg(in.fileName()).toStdString());
    QStringList prompts;
    for (const QJsonValue &v : QJsonDocument::fromJson(in.readAll()).object().value(QStringLiteral("prompts")).toArray())
        prompts << v.toString();
    return prompts;
}

void RunStore::writeJson(const QString &path, const QJsonObject &object) const
{
    json::writeObjectFileAtomically(path, object);
}

void RunStore::writeText(const QString &path, const QByteArray &bytes) const
{
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
        throw RuntimeError(QStringLiteral("%1: write failed (%2)").arg(path, out.errorString()).toStdString());
}

} // namespace redifine
