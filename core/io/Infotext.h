#pragma once

#include <QString>

#include <utility>
#include <vector>

namespace redifine {

// The "parameters" text of an image in AUTOMATIC1111's layout, which A1111's PNG Info / "Send to txt2img",
// ComfyUI's A1111 importers and image managers parse: the prompt (any number of lines), an optional
// "Negative prompt: ..." line, then one last line of "Key: value" fields joined by ", ".
struct Infotext
{
    QString prompt;
    QString negativePrompt;
    std::vector<std::pair<QString, QString>> fields;   // in the order written, e.g. {"Steps", "30"}

    void add(const QString &key, const QString &value) { fields.emplace_back(key, value); }
    QString toString() const;
};

// A field value as A1111 writes it: as is, or as a JSON string when it holds a comma, a colon, a newline
// or a double quote (any of which would end or confuse the field when read back).
QString quoteInfotextValue(const QString &value);

} // namespace redifine
