#include "core/models/WordTokenizer.h"

#include "core/common/Error.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>

namespace redifine {

namespace {
const QStringList kSpecials = {QStringLiteral("<pad>"), QStringLiteral("<bos>"), QStringLiteral("<eos>"),
                               QStringLiteral("<unk>")};
}

QStringList WordTokenizer::split(const QString &text)
{
    static const QRegularExpression token(QStringLiteral(R"([\p{L}\p{N}]+|[^\s\p{L}\p{N}])"));
    QStringList words;
    const QString lower = text.toLower();
    for (auto it = token.globalMatch(lower); it.hasNext();)
        words << it.next().captured(0);
    return words;
}

WordTokenizer WordTokenizer::build(const QStringList &captions, int maxLength, int minCount)
{
    if (maxLength < 3)
        throw InputError("tokenizer.max_length: must be at least 3");
    QHash<QString, int> counts;
    for (const QString &caption : captions)
        for (const QString &word : split(caption))
            ++counts[word];
    QStringList words = counts.keys();
    words.erase(std::remove_if(words.begin(), words.end(), [&](const QString &w) { return counts.value(w) < minCount; }),
                words.end());
    std::sort(words.begin(), words.end(), [&](const QString &a, const QString &b) {
        const int ca = counts.value(a), cb = counts.value(b);
        return ca != cb ? ca > cb : a < b;
    });
    QJsonArray vocabulary;
    for (const QString &w : kSpecials + words)
        vocabulary.append(w);
    return fromJson(vocabulary, maxLength, QStringLiteral("tokenizer"));
}

WordTokenizer WordTokenizer::fromJson(const QJsonArray &vocabulary, int maxLength, const QString &context)
{
    WordTokenizer t;
    t.m_maxLength = maxLength;
    for (qsizetype i = 0; i < vocabulary.size(); ++i) {
        const QString word = vocabulary.at(i).toString();
        if (word.isEmpty() || t.m_ids.contains(word))
            throw InputError(QStringLiteral("%1.vocabulary[%2]: empty or repeated word").arg(context).arg(i).toStdString());
        if (i < kSpecials.size() && word != kSpecials.at(i))
            throw InputError(QStringLiteral("%1.vocabulary[%2]: expected the special token %3")
                                 .arg(context)
                                 .arg(i)
                                 .arg(kSpecials.at(i))
                                 .toStdString());
        t.m_ids.insert(word, int64_t(i));
        t.m_words << word;
    }
    if (t.m_words.size() < kSpecials.size())
        throw InputError((context + QStringLiteral(".vocabulary: too short")).toStdString());
    return t;
}

std::vector<int64_t> WordTokenizer::encode(const QString &text) const
{
    std::vector<int64_t> ids{kBos};
    for (const QString &word : split(text)) {
        if (int(ids.size()) >= m_maxLength - 1)
            break;
        ids.push_back(m_ids.value(word, kUnk));
    }
    ids.push_back(kEos);
    ids.resize(size_t(m_maxLength), kPad);
    return ids;
}

QJsonArray WordTokenizer::toJson() const
{
    QJsonArray array;
    for (const QString &w : m_words)
        array.append(w);
    return array;
}

} // namespace redifine
