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

// The sweep axis that set each setting in any of the chains (a later axis overrides an earlier one's setting):
// "dataset.limit" belongs to the "data" axis even in the chains whose data choice left it at its default.
QMap<QString, QString> axesOfSettings(const QList<QList<SweepAxisChoice>> &choices)
{
    QMap<QString, QString> axisOf;
    for (const QList<SweepAxisChoice> &chain : choices)
        for (const SweepAxisChoice &choice : chain)
            for (const QString &key : choice.keys)
                axisOf.insert(key, choice.axis);
    return axisOf;
}

// The axis that set a setting, directly or as part of an object it set ("finetune" covers "finetune.lr").
QString axisOfSetting(const QMap<QString, QString> &axisOf, QString key)
{
    for (; !key.isEmpty(); key = key.section(QLatin1Char('.'), 0, -2))
        if (axisOf.contains(key))
            return axisOf.value(key);
    return {};
}

// Guidance and condition drop in words ("CFG 7.5, drop 0.2") when they differ, then the labels of the sweep axes
// (in the plan's axis order) that set other differing settings. `unnamed` gets the differing settings that neither
// names.
QString namedPartOf(const QJsonObject &config, const QStringList &differing, const QList<SweepAxisChoice> &choices,
                    const QMap<QString, QString> &axisOf, QStringList &unnamed)
{
    QStringList parts;
    const bool guidance = differing.isEmpty() || std::any_of(differing.begin(), differing.end(), [](const QString &k) { return k.startsWith(QLatin1String("sampler.cfg.")); });
    if (guidance)
        parts << guidanceText(config);
    if (differing.isEmpty() || differing.contains(QStringLiteral("finetune.condition_drop")))
        parts << QStringLiteral("drop %1").arg(conditionDropOf(config));
    QSet<QString> axesNamed;
    for (const QString &key : differing) {
        if (isGuidanceSetting(key))
            continue;
        const QString axis = axisOfSetting(axisOf, key);
        if (!axis.isEmpty() && std::any_of(choices.begin(), choices.end(), [&](const SweepAxisChoice &c) { return c.axis == axis; }))
            axesNamed.insert(axis);
        else
            unnamed << key;
    }
    for (const SweepAxisChoice &choice : choices)
        if (axesNamed.contains(choice.axis))
            parts << choice.label;
    return parts.join(QStringLiteral(", "));
}

// "limit=32": a setting by its last part, unless two differing settings share it.
QString settingText(const Settings &settings, const QString &key, const QStringList &differing)
{
    const QString last = key.section(QLatin1Char('.'), -1);
    const auto sameLast = std::count_if(differing.begin(), differing.end(), [&](const QString &k) { return k.section(QLatin1Char('.'), -1) == last; });
    return (sameLast > 1 ? key : last) + QLatin1Char('=') + (settings.contains(key) ? json::valueText(settings.value(key)) : QStringLiteral("(unset)"));
}

// Labels of every group: the named part, then the differing settings it does not name as key=value. Where every
// group came from a sweep, a setting that follows from the axis labels (equal in every group with the same named
// part, such as the LoCon alpha a "fullrank" choice turned on) is left out.
QStringList labelsOf(const QList<QJsonObject> &configs, const ConditionGrouping &grouping, const QList<QList<SweepAxisChoice>> &choices)
{
    const QMap<QString, QString> axisOf = axesOfSettings(choices);
    QStringList named;
    QList<QStringList> unnamed;
    bool allFromSweep = true;
    for (const ConditionGroup &g : grouping.groups) {
        const QList<SweepAxisChoice> groupChoices = choices.value(g.members.first());
        allFromSweep = allFromSweep && !groupChoices.isEmpty();
        unnamed.append(QStringList());
        named << namedPartOf(configs[g.members.first()], grouping.differing, groupChoices, axisOf, unnamed.last());
    }
    QSet<QString> implied;
    for (const QString &key : grouping.differing) {
        QMap<QString, QJsonValue> valueOfNamed;
        bool follows = allFromSweep;
        for (qsizetype i = 0; i < grouping.groups.size() && follows; ++i) {
            const QJsonValue value = grouping.groups[i].settings.value(key, QJsonValue(QJsonValue::Undefined));
            follows = !valueOfNamed.contains(named[i]) || valueOfNamed.value(named[i]) == value;
            valueOfNamed.insert(named[i], value);
        }
        if (follows)
            implied.insert(key);
    }
    QStringList labels;
    for (qsizetype i = 0; i < grouping.groups.size(); ++i) {
        QStringList parts;
        if (!named[i].isEmpty())
            parts << named[i];
        for (const QString &key : unnamed[i])
            if (!implied.contains(key))
                parts << settingText(grouping.groups[i].settings, key, grouping.differing);
        labels << parts.join(QStringLiteral(", "));
    }
    return labels;
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

ConditionGrouping groupConditions(const QList<QJsonObject> &configs, const QList<QList<SweepAxisChoice>> &choices)
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
    // Labels must tell conditions apart: should the axis labels not (chains of two sweeps that share a label),
    // every condition is labelled from its settings alone.
    QStringList labels = labelsOf(configs, grouping, choices);
    if (QSet<QString>(labels.begin(), labels.end()).size() < labels.size())
        labels = labelsOf(configs, grouping, {});
    for (qsizetype i = 0; i < grouping.groups.size(); ++i)
        grouping.groups[i].label = labels[i];
    return grouping;
}

} // namespace redifine
