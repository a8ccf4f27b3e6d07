#include "core/study/Conditions.h"

#include "core/common/Json.h"
#include "core/io/RunReader.h"

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

// "limit=32": a setting by its last part, unless two differing settings share it.
QString settingText(const Settings &settings, const QString &key, const QStringList &differing)
{
    const QString last = key.section(QLatin1Char('.'), -1);
    const auto sameLast = std::count_if(differing.begin(), differing.end(), [&](const QString &k) { return k.section(QLatin1Char('.'), -1) == last; });
    return (sameLast > 1 ? key : last) + QLatin1Char('=') + (settings.contains(key) ? json::valueText(settings.value(key)) : QStringLiteral("(unset)"));
}

// Whether the config holds what a choice set at `path` (for an object: each setting inside it).
bool holds(const QJsonObject &config, const QString &path, const QJsonValue &value)
{
    if (!value.isObject())
        return json::valueAt(config, path) == value;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        if (!holds(config, path + QLatin1Char('.') + it.key(), it.value()))
            return false;
    return true;
}

// The choices whose settings the chain's config holds: one that a later axis overrode, or that a hand-edited
// sweep.json or a chain run with other settings contradicts, names nothing.
QList<SweepAxisChoice> heldChoices(const QJsonObject &config, const QList<SweepAxisChoice> &choices)
{
    QList<SweepAxisChoice> held;
    for (const SweepAxisChoice &choice : choices) {
        bool all = true;
        for (const QJsonObject &part : {choice.set, choice.kept})
            for (auto it = part.begin(); it != part.end() && all; ++it)
                all = holds(config, it.key(), it.value());
        if (all)
            held << choice;
    }
    return held;
}

// The entry of `settings` (a choice's set or kept) that holds the setting, directly or as part of an object
// ("finetune" covers "finetune.lr"); empty when none does.
QString entryFor(const QJsonObject &settings, const QString &key)
{
    for (auto it = settings.begin(); it != settings.end(); ++it)
        if (key == it.key() || key.startsWith(it.key() + QLatin1Char('.')))
            return it.key();
    return {};
}

// Labels of every group, or none when the axis labels cannot be trusted to tell conditions apart. Guidance and
// condition drop in words when they differ; then, in the plan's axis order, the label of each axis choice that
// accounts for a differing setting (it set it, or, as `sweep` recorded, left it as it was where another choice of
// its axis sets it); then the differing settings no choice accounts for, as key=value.
QStringList labelsOf(const QList<QJsonObject> &configs, const ConditionGrouping &grouping, const QList<QList<SweepAxisChoice>> &choices)
{
    const QStringList &differing = grouping.differing;
    QList<QList<SweepAxisChoice>> held;
    for (const ConditionGroup &g : grouping.groups)
        held << heldChoices(configs[g.members.first()], choices.value(g.members.first()));

    // One axis label must mean one thing: the same (axis, label) setting other values (chains of two sweeps that
    // share labels) makes the axis labels unusable. What a choice kept depends on the axes before it, so it
    // accounts for a kept setting only where the setting is the same in every group that holds the choice.
    QMap<QPair<QString, QString>, QJsonObject> meaning;
    QMap<QPair<QString, QString>, QSet<QString>> keptVaries;
    QMap<QPair<QString, QString>, QJsonObject> keptSeen;
    for (const QList<SweepAxisChoice> &groupChoices : held)
        for (const SweepAxisChoice &choice : groupChoices) {
            const QPair<QString, QString> id{choice.axis, choice.label};
            if (meaning.contains(id) && meaning.value(id) != choice.set)
                return {};
            meaning.insert(id, choice.set);
            for (auto it = choice.kept.begin(); it != choice.kept.end(); ++it) {
                if (keptSeen[id].contains(it.key()) && keptSeen[id].value(it.key()) != it.value())
                    keptVaries[id].insert(it.key());
                keptSeen[id].insert(it.key(), it.value());
            }
        }

    const bool guidance = differing.isEmpty() || std::any_of(differing.begin(), differing.end(), [](const QString &k) { return k.startsWith(QLatin1String("sampler.cfg.")); });
    const bool drop = differing.isEmpty() || differing.contains(QStringLiteral("finetune.condition_drop"));
    QStringList labels;
    for (qsizetype g = 0; g < grouping.groups.size(); ++g) {
        QSet<qsizetype> named;   // indices into held[g]
        QStringList unnamed;
        for (const QString &key : differing) {
            if (isGuidanceSetting(key))
                continue;
            // The last choice that set it (a later axis overrides an earlier one), else one that kept it.
            qsizetype by = -1;
            for (qsizetype c = 0; c < held[g].size(); ++c)
                if (!entryFor(held[g][c].set, key).isEmpty())
                    by = c;
            for (qsizetype c = 0; c < held[g].size() && by < 0; ++c) {
                const QString entry = entryFor(held[g][c].kept, key);
                if (!entry.isEmpty() && !keptVaries.value({held[g][c].axis, held[g][c].label}).contains(entry))
                    by = c;
            }
            if (by >= 0)
                named.insert(by);
            else
                unnamed << settingText(grouping.groups[g].settings, key, differing);
        }
        const QJsonObject &config = configs[grouping.groups[g].members.first()];
        QStringList parts;
        if (guidance)
            parts << guidanceText(config);
        if (drop)
            parts << QStringLiteral("drop %1").arg(conditionDropOf(config));
        for (qsizetype c = 0; c < held[g].size(); ++c)
            if (named.contains(c))
                parts << held[g][c].label;
        labels << (parts + unnamed).join(QStringLiteral(", "));
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
    // Labels must tell conditions apart: by the sweep's axis labels where they can be trusted to, else from the
    // settings alone.
    const auto unique = [](const QStringList &l) { return !l.isEmpty() && QSet<QString>(l.begin(), l.end()).size() == l.size(); };
    QStringList labels = labelsOf(configs, grouping, choices);
    if (!unique(labels)) {
        labels = labelsOf(configs, grouping, {});
        grouping.axisLabelsSetAside = std::any_of(choices.begin(), choices.end(), [](const QList<SweepAxisChoice> &c) { return !c.isEmpty(); });
    }
    for (qsizetype i = 0; i < grouping.groups.size(); ++i)
        grouping.groups[i].label = labels.value(i);
    return grouping;
}

} // namespace redifine
