#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace redifine {

// The CLIP byte-level BPE tokenizer (openai's SimpleTokenizer, transformers' CLIPTokenizer) from a
// vocab.json and merges.txt, as Stable Diffusion 1.5 and CLIP ViT-L/14 ship them. Text is whitespace-
// collapsed, lowercased and split with CLIP's pattern (contractions, letter runs, single digits, other
// runs); literal <|startoftext|> and <|endoftext|> become their ids. Not done: ftfy's repairs (mojibake,
// ligatures, curly quotes, full-width letters, HTML entities), which have no C++ port; prompts with those
// characters get the ids transformers gives without ftfy.
class ClipTokenizer
{
public:
    static constexpr int64_t kStartOfText = 49406;
    static constexpr int64_t kEndOfText = 49407;
    static constexpr int kContextLength = 77;

    // Throws InputError naming the file for a missing or malformed vocabulary or merges file.
    ClipTokenizer(const QString &vocabJsonPath, const QString &mergesPath);

    // BPE ids of the text, without BOS/EOS and untruncated.
    std::vector<int64_t> bpeIds(const QString &text) const;
    // Stable Diffusion's convention: [BOS] + the first 75 BPE ids + [EOS], padded to 77 with EOS.
    std::vector<int64_t> encode(const QString &text) const;
    int vocabularySize() const { return int(m_vocab.size()); }

private:
    QStringList bpe(const QString &token) const;

    QHash<QString, int64_t> m_vocab;
    QHash<QString, int> m_mergeRank;   // "left right" -> rank
    QString m_byteToUnicode[256];
    mutable QHash<QString, QStringList> m_cache;
};

} // namespace redifine
