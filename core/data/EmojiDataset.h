#pragma once

#include "core/data/EmojiCatalog.h"
#include "core/data/EmojiRenderer.h"

#include <functional>

namespace redifine {

constexpr int kMaxEmojiVariants = 64;

struct EmojiDatasetOptions
{
    QString outputDir;
    QStringList groups;            // group names ("Animals & Nature") or slugs ("animals-nature"); empty = all
    EmojiStyle style = EmojiStyle::Noto;
    int size = 64;
    int limit = 0;                 // images in all, variants counted; 0 = no limit
    int variants = 1;              // pictures of each emoji (EmojiPlacement::variant 0, 1, ...), written together
    CaptionStyle captions = CaptionStyle::Long;
    QString emojiTestPath = defaultEmojiTestPath();
};

struct EmojiDatasetReport
{
    int written = 0;
    int skipped = 0;               // glyphs the font cannot draw
};

QString groupSlug(const QString &group);   // "Animals & Nature" -> "animals-nature"

// Renders the emoji into a folder that kohya's train_data_dir reads as it is: a concept folder per group,
// 1_<group-slug>/NNNN_<codepoints>.png + .txt caption (NNNN numbers the whole set in emoji-test order; with
// several variants, NNNN_<codepoints>_vV, all variants of one emoji share its caption), and
// a metadata.jsonl at the top (file_name relative to it, text, name, subgroup, group, codepoints), which
// Hugging Face's imagefolder reads, with "variant". Files are written atomically. Needs a QGuiApplication. Throws
// InputError for an unknown group or an unusable output folder.
EmojiDatasetReport writeEmojiDataset(const EmojiDatasetOptions &options);

} // namespace redifine
