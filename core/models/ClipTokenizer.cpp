#include "core/models/ClipTokenizer.h"

#include "core/common/Error.h"
#include "core/common/InputFile.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <limits>

namespace redifine {

namespace {

QByteArray readAll(const QString &path)
{
    QFile in(path);
    if (const QString problem = openInputFile(in); !problem.isEmpty())
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(path, problem).toStdString());
    return in.readAll();
}

} // namespace

ClipTokenizer::ClipTokenizer(const QString &vocabJsonPath, const QString &mergesPath)
{
    const QJsonDocument vocab = QJsonDocument::fromJson(readAll(vocabJsonPath));
    if (!vocab.isObject() || vocab.object().isEmpty())
        throw InputError(QStringLiteral("%1: not a CLIP vocabulary (a JSON object of token -> id)").arg(vocabJsonPath).toStdString());
    const QJsonObject entries = vocab.object();
    for (auto it = entries.begin(); it != entries.end(); ++it)
        m_vocab.insert(it.key(), int64_t(it.value().toInteger()));
    if (!m_vocab.contains(QStringLiteral("<|endoftext|>")))
        throw InputError(QStringLiteral("%1: has no <|endoftext|> token").arg(vocabJsonPath).toStdString());

    const QList<QByteArray> lines = readAll(mergesPath).split('\n');
    int rank = 0;
    for (const QByteArray &line : lines) {
        if (line.startsWith("#version") || line.trimmed().isEmpty())
            continue;
        const QList<QByteArray> pair = line.trimmed().split(' ');
        if (pair.size() != 2)
            throw InputError(QStringLiteral("%1: merge line %2 is not \"left right\"").arg(mergesPath).arg(rank + 1).toStdString());
        m_mergeRank.insert(QString::fromUtf8(line.trimmed()), rank++);
    }
    if (m_mergeRank.isEmpty())
        throw InputError(QStringLiteral("%1: holds no merges").arg(mergesPath).toStdString());

    // GPT-2's reversible byte -> unicode map: printable bytes stand for themselves, the rest map to 256 + n.
    int next = 0;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        m_byteToUnicode[b] = printable ? QString(QChar(b)) : QString(QChar(256 + next++));
    }
}

QStringList ClipTokenizer::bpe(const QString &token) const
{
    if (const auto it = m_cache.constFind(token); it != m_cache.constEnd())
        return *it;
    // Symbols: one per (byte-mapped) character, the last carrying the end-of-word marker.
    QStringList word;
    for (qsizetype i = 0; i < token.size(); ++i)
        word << QString(token[i]);
    word.last() += QStringLiteral("</w>");
    while (word.size() > 1) {
        int bestRank = std::numeric_limits<int>::max();
        qsizetype best = -1;
        for (qsizetype i = 0; i + 1 < word.size(); ++i) {
            const auto rank = m_mergeRank.constFind(word[i] + QLatin1Char(' ') + word[i + 1]);
            if (rank != m_mergeRank.constEnd() && *rank < bestRank) {
                bestRank = *rank;
                best = i;
            }
        }
        if (best < 0)
            break;
        // Merge every occurrence of the best pair, left to right.
        const QString left = word[best], right = word[best + 1];
        QStringList merged;
        for (qsizetype i = 0; i < word.size();) {
            if (i + 1 < word.size() && word[i] == left && word[i + 1] == right) {
                merged << left + right;
                i += 2;
            } else {
                merged << word[i++];
            }
        }
        word = merged;
    }
    m_cache.insert(token, word);
    return word;
}

std::vector<int64_t> ClipTokenizer::bpeIds(const QString &text) const
{
    static const QRegularExpression whitespace(QStringLiteral("\\s+"), QRegularExpression::UseUnicodePropertiesOption);
    static const QRegularExpression pattern(
        QStringLiteral("<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
    const QString cleaned = QString(text).replace(whitespace, QStringLiteral(" ")).trimmed().toLower();
    std::vector<int64_t> ids;
    for (auto match = pattern.globalMatch(cleaned); match.hasNext();) {
        const QString piece = match.next().captured();
        if (piece == QLatin1String("<|startoftext|>") || piece == QLatin1String("<|endoftext|>")) {
            ids.push_back(m_vocab.value(piece));
            continue;
        }
        QString mapped;
        for (const char byte : piece.toUtf8())
            mapped += m_byteToUnicode[uint8_t(byte)];
        for (const QString &symbol : bpe(mapped)) {
            const auto id = m_vocab.constFind(symbol);
            if (id == m_vocab.constEnd())
                throw RuntimeError(QStringLiteral("CLIP tokenizer: \"%1\" is not in the vocabulary").arg(symbol).toStdString());
            ids.push_back(*id);
        }
    }
    return ids;
}

std::vector<int64_t> ClipTokenizer::encode(const QString &text) const
{
    const std::vector<int64_t> bpe = bpeIds(text);
    std::vector<int64_t> ids{kStartOfText};
    ids.insert(ids.end(), bpe.begin(), bpe.begin() + long(std::min<size_t>(bpe.size(), kContextLength - 2)));
    ids.push_back(kEndOfText);
    ids.resize(kContextLength, kEndOfText);
    return ids;
}

} // namespace redifine
