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

// Renders the emoji into a kohya-layout folder (NNNN_<codepoints>.png + .txt) with a metadata.jsonl
// (file_name, text, name, subgroup, group, codepoints). Files are written atomically. Needs a
// QGuiApplication. Throws InputError for an unknown group or an unusable output folder.
EmojiDatasetReport writeEmojiDataset(const EmojiDatasetOptions &options);

} // namespace redifine
