#include "core/study/Conditions.h"

#include "core/common/Json.h"

#include <QSet>

#include <algorithm>

namespace redifine {

namespace {

void flatten(const QJsonObject &object, const QString &prefix, Settings &out)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (prefix.isEmpty() && studyIgnoredSettings().contains(key))
            continue;
        if (it.value().isObject())
            flatten(it.value().toObject(), key, out);
        else
            out.insert(key, it.value());
    }
}

QString keyText(const Settings &settings, bool (*keep)(const QString &))
{
    QStringList parts;
    for (auto it = settings.begin(); it != settings.end(); ++it)
        if (keep(it.key()))
            parts << it.key() + QLatin1Char('=') + json::valueText(it.value());
    return parts.join(QLatin1Char('\n'));
}

QString guidanceText(const QJsonObject &config)
{
    const QJsonObject cfg = config.value(QStringLiteral("sampler")).toObject().value(QStringLiteral("cfg")).toObject();
    const QString type = cfg.value(QStringLiteral("type")).toString();
    const auto number = [&](const char *key) { return QString::number(cfg.value(QLatin1String(key)).toDouble()); };
    if (type == QLatin1String("constant"))
        return QStringLiteral("CFG %1").arg(number("scale"));
    if (type == QLatin1String("exponential"))
        return QStringLiteral("CFG %1 exp(-%2t/T)").arg(number("s0"), number("alpha"));
    if (type == QLatin1String("linear") || type == QLatin1String("cosine"))
        return QStringLiteral("CFG %1 %2-%3").arg(type, number("start"), number("end"));
    return QStringLiteral("CFG %1").arg(type);
}

// "CFG 7.5, drop 0.2, limit=32": guidance and condition drop in words, any other differing setting as key=value
// (its last part, unless two differing keys share it).
QString labelOf(const QJsonObject &config, const Settings &settings, const QStringList &differing)
{
    QStringList parts;
    const bool guidance = differing.isEmpty() || std::any_of(differing.begin(), differing.end(), [](const QString &k) { return k.startsWith(QLatin1String("sampler.cfg.")); });
    if (guidance)
        parts << guidanceText(config);
    if (differing.isEmpty() || differing.contains(QStringLiteral("finetune.condition_drop")))
        parts << QStringLiteral("drop %1").arg(conditionDropOf(config));
    QMap<QString, int> lastParts;
    for (const QString &key : differing)
        ++lastParts[key.section(QLatin1Char('.'), -1)];
    for (const QString &key : differing) {
        if (isGuidanceSetting(key))
            continue;
        const QString last = key.section(QLatin1Char('.'), -1);
        parts << (lastParts.value(last) > 1 ? key : last) + QLatin1Char('=') +
                     (settings.contains(key) ? json::valueText(settings.value(key)) : QStringLiteral("(unset)"));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

double conditionDropOf(const QJsonObject &config)
{
    return config.value(QStringLiteral("finetune")).toObject().value(QStringLiteral("condition_drop")).toDouble();
}

const QStringList &studyIgnoredSettings()
{
    static const QStringList keys = {QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("seed"), QStringLiteral("threads"),
                                     QStringLiteral("device")};
    return keys;
}

Settings experimentSettings(const QJsonObject &config)
{
    Settings out;
    flatten(config, QString(), out);
    return out;
}

bool isGuidanceSetting(const QString &key)
{
    return key.startsWith(QLatin1String("sampler.cfg.")) || key == QLatin1String("finetune.condition_drop");
}

QString contextKeyOf(const Settings &settings)
{
    return keyText(settings, [](const QString &key) { return !isGuidanceSetting(key); });
}

ConditionGrouping groupConditions(const QList<QJsonObject> &configs)
{
    ConditionGrouping grouping;
    QMap<QString, int> groupOfKey;
    for (int i = 0; i < configs.size(); ++i) {
        const Settings settings = experimentSettings(configs[i]);
        const QString key = keyText(settings, [](const QString &) { return true; });
        const qint64 seed = configs[i].value(QStringLiteral("seed")).toInteger();
        if (!groupOfKey.contains(key)) {
            groupOfKey.insert(key, int(grouping.groups.size()));
            grouping.groups.append(ConditionGroup{{}, {}, settings, {}});
        }
        ConditionGroup &group = grouping.groups[groupOfKey.value(key)];
        const qsizetype twin = group.seeds.indexOf(seed);
        if (twin >= 0) {
            grouping.repeats.append({i, group.members[twin]});
            continue;
        }
        group.members << i;
        group.seeds << seed;
    }

    QSet<QString> allKeys;
    for (const ConditionGroup &g : grouping.groups)
        for (auto it = g.settings.begin(); it != g.settings.end(); ++it)
            allKeys.insert(it.key());
    for (const QString &key : allKeys)
        for (const ConditionGroup &g : grouping.groups)
            if (g.settings.value(key) != grouping.groups.first().settings.value(key)
                || g.settings.contains(key) != grouping.groups.first().settings.contains(key)) {
                grouping.differing << key;
                break;
            }
    grouping.differing.sort();
    for (ConditionGroup &g : grouping.groups)
        g.label = labelOf(configs[g.members.first()], g.settings, grouping.differing);
    return grouping;
}

} // namespace redifine
