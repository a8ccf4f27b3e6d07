#include "core/io/Infotext.h"

#include <QStringList>

namespace redifine {

QString quoteInfotextValue(const QString &value)
{
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char(':')) && !value.contains(QLatin1Char('\n'))
        && !value.contains(QLatin1Char('"')))
        return value;
    // Python's json.dumps(value, ensure_ascii=False), which A1111 uses and its reader undoes with json.loads.
    QString out = QStringLiteral("\"");
    for (const QChar c : value) {
        switch (c.unicode()) {
        case '"': out += QStringLiteral("\\\""); break;
        case '\\': out += QStringLiteral("\\\\"); break;
        case '\n': out += QStringLiteral("\\n"); break;
        case '\r': out += QStringLiteral("\\r"); break;
        case '\t': out += QStringLiteral("\\t"); break;
        case '\b': out += QStringLiteral("\\b"); break;
        case '\f': out += QStringLiteral("\\f"); break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out + QLatin1Char('"');
}

QString Infotext::toString() const
{
    QStringList parts;
    for (const auto &[key, value] : fields)
        parts << key + QStringLiteral(": ") + quoteInfotextValue(value);
    QString text = prompt;
    if (!negativePrompt.isEmpty())
        text += QStringLiteral("\nNegative prompt: ") + negativePrompt;
    return text + QLatin1Char('\n') + parts.join(QStringLiteral(", "));
}

} // namespace redifine
