#pragma once

#include <QHash>
#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace redifine {

// The tiny family's tokenizer: a word vocabulary built from the training captions. Text is lowercased and
// split into runs of letters/digits and single punctuation marks ("&", "-", ","), then encoded as
// [BOS] words... [EOS] [PAD]... to a fixed length; unknown words become [UNK], long captions are truncated
// keeping the EOS (as CLIP does).
class WordTokenizer
{
public:
    static constexpr int64_t kPad = 0, kBos = 1, kEos = 2, kUnk = 3;

    // Words that occur at least `minCount` times, most frequent first (ties alphabetical), after the specials.
    static WordTokenizer build(const QStringList &captions, int maxLength, int minCount = 1);
    static WordTokenizer fromJson(const QJsonArray &vocabulary, int maxLength, const QString &context);

    static QStringList split(const QString &text);
    std::vector<int64_t> encode(const QString &text) const;
    int vocabularySize() const { return int(m_words.size()); }
    int maxLength() const { return m_maxLength; }
    QJsonArray toJson() const;

private:
    QStringList m_words;   // index = token id
    QHash<QString, int64_t> m_ids;
    int m_maxLength = 0;
};

} // namespace redifine
