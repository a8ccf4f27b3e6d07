#include "core/io/RunStore.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/common/InputFile.h"
#include "core/common/Json.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

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

namespace {

QString sha256Of(QFile &file)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return QString::fromLatin1(hash.result().toHex());
}

// Every file of an iteration folder but DONE and the captions beside the images, relative to it, sorted. The
// captions are derived from prompts.json (which is recorded), are restored on resume when missing, and may be
// edited by a user training another tool on the folder.
QStringList iterationFiles(const QString &dir)
{
    QStringList files;
    // Absolute on both sides: QDir::relativeFilePath returns a relative path unchanged ("runs/a/iter_0/x" for
    // the run folder "runs/a" typed on the command line).
    const QDir base(QFileInfo(dir).absoluteFilePath());
    QDirIterator it(base.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = base.relativeFilePath(it.next());
        const bool caption = relative.startsWith(QLatin1String("images/")) && relative.endsWith(QLatin1String(".txt"));
        if (relative != QLatin1String("DONE") && !caption)
            files << relative;
    }
    files.sort();
    return files;
}

} // namespace

QString RunStore::configHash() const
{
    const QJsonObject config = readChainJson().value(QStringLiteral("config")).toObject();
    return QString::fromLatin1(QCryptographicHash::hash(QJsonDocument(config).toJson(QJsonDocument::Compact), QCryptographicHash::Sha256).toHex());
}

void RunStore::markDone(int k) const
{
    QJsonObject files;
    for (const QString &name : iterationFiles(iterationDir(k))) {
        QFile in(file(k, name));
        if (const QString problem = openInputFile(in); !problem.isEmpty())
            throw RuntimeError(QStringLiteral("%1: cannot read back (%2)").arg(in.fileName(), problem).toStdString());
        files.insert(name, QJsonObject{{QStringLiteral("bytes"), double(in.size())}, {QStringLiteral("sha256"), sha256Of(in)}});
    }
    writeJson(file(k, QStringLiteral("DONE")), QJsonObject{{QStringLiteral("completed"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                                                           {QStringLiteral("config_sha256"), configHash()},
                                                           {QStringLiteral("files"), files}});
}

QString RunStore::damage(int k, bool checkContents, const QStringList &alwaysHashed) const
{
    QFile in(file(k, QStringLiteral("DONE")));
    if (const QString problem = openInputFile(in); !problem.isEmpty())
        return QStringLiteral("%1: cannot open (%2)").arg(in.fileName(), problem);
    const QByteArray bytes = in.readAll();
    const QJsonObject done = QJsonDocument::fromJson(bytes).object();
    if (done.isEmpty()) {
        // Versions before 0.5 wrote a time stamp only: nothing to verify against. Anything else (an empty,
        // truncated or foreign file) is a damaged record, not a licence to skip the check.
        if (QDateTime::fromString(QString::fromUtf8(bytes).trimmed(), Qt::ISODate).isValid())
            return {};
        return QStringLiteral("%1: not a completion record (empty, truncated or not written by redifine); the iteration cannot be verified")
            .arg(in.fileName());
    }
    QString currentConfig;
    try {
        currentConfig = configHash();
    } catch (const InputError &error) {   // chain.json vanished or was damaged since it was read
        return QString::fromUtf8(error.what());
    }
    if (done.value(QStringLiteral("config_sha256")).toString() != currentConfig)
        return QStringLiteral("%1 was edited after iteration %2 was made: its settings are not those the iteration was made with")
            .arg(chainJsonPath())
            .arg(k);
    const QJsonObject files = done.value(QStringLiteral("files")).toObject();
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QFileInfo info(file(k, it.key()));
        const QJsonObject recorded = it.value().toObject();
        if (!info.isFile())
            return QStringLiteral("%1: missing (iteration %2 recorded it as complete)").arg(info.filePath()).arg(k);
        if (info.size() != qint64(recorded.value(QStringLiteral("bytes")).toDouble()))
            return QStringLiteral("%1: %2 bytes, but %3 when iteration %4 was completed").arg(info.filePath()).arg(info.size()).arg(qint64(recorded.value(QStringLiteral("bytes")).toDouble())).arg(k);
        if (checkContents || alwaysHashed.contains(it.key())) {
            QFile data(info.filePath());
            if (const QString problem = openInputFile(data); !problem.isEmpty())
                return QStringLiteral("%1: cannot open (%2)").arg(info.filePath(), problem);
            if (sha256Of(data) != recorded.value(QStringLiteral("sha256")).toString())
                return QStringLiteral("%1: its contents changed after iteration %2 was completed (SHA-256 differs)").arg(info.filePath()).arg(k);
        }
    }
    return {};
}

QJsonObject RunStore::readChainJson() const
{
    QFile in(chainJsonPath());
    if (const QString problem = openInputFile(in); !problem.isEmpty())
        throw InputError(QStringLiteral("%1: cannot open (%2); is %3 a run folder?").arg(chainJsonPath(), problem, m_root).toStdString());
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &error);
    if (!document.isObject())
        throw InputError(QStringLiteral("%1: not valid JSON (%2)").arg(chainJsonPath(), error.errorString()).toStdString());
    return document.object();
}

QStringList RunStore::readPrompts(int k) const
{
    QFile in(file(k, QStringLiteral("prompts.json")));
    if (const QString problem = openInputFile(in); !problem.isEmpty())
        throw RuntimeError(QStringLiteral("%1: cannot open (%2)").arg(in.fileName(), problem).toStdString());
    QJsonParseError error{};
    const QJsonValue list = QJsonDocument::fromJson(in.readAll(), &error).object().value(QStringLiteral("prompts"));
    if (!list.isArray())
        throw InputError(QStringLiteral("%1: expected {\"prompts\": [...]} (%2)").arg(in.fileName(), error.errorString()).toStdString());
    QStringList prompts;
    for (const QJsonValue &v : list.toArray())
        prompts << v.toString();
    return prompts;
}

void RunStore::writeJson(const QString &path, const QJsonObject &object) const
{
    json::writeObjectFileAtomically(path, object);
}

void RunStore::writeText(const QString &path, const QByteArray &bytes) const
{
    writeFileAtomically(path, bytes);
}

} // namespace redifine
