#pragma once

#include "core/data/EmojiCatalog.h"
#include "core/data/EmojiRenderer.h"

#include <functional>

namespace redifine {

struct EmojiDatasetOptions
{
    QString outputDir;
    QStringList groups;            // group names ("Animals & Nature") or slugs ("animals-nature"); empty = all
    EmojiStyle style = EmojiStyle::Noto;
    int size = 64;
    int limit = 0;                 // 0 = no limit
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
// 1_<group-slug>/NNNN_<codepoints>.png + .txt caption (NNNN numbers the whole set in emoji-test order), and
// a metadata.jsonl at the top (file_name relative to it, text, name, subgroup, group, codepoints), which
// Hugging Face's imagefolder reads. Files are written atomically. Needs a QGuiApplication. Throws
// InputError for an unknown group or an unusable output folder.
EmojiDatasetReport writeEmojiDataset(const EmojiDatasetOptions &options);

} // namespace redifine
