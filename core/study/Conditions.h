#pragma once

#include "core/chain/Sweep.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace redifine {

// Conditions of an experiment: chains whose settings (chain.json "config") are equal except for the settings
// that do not define an experiment are the seeds of one condition. `redifine study` and the studio's seed
// aggregation group with this one function, so a study and the studio always agree on what a condition is.

// name, description, seed, threads, device.
const QStringList &studyIgnoredSettings();

// Dotted key -> value of every leaf setting (arrays are leaves) outside studyIgnoredSettings().
using Settings = QMap<QString, QJsonValue>;
Settings experimentSettings(const QJsonObject &config);

// Guidance settings (sampler.cfg.*) and condition drop: what a ReDiFine comparison varies.
bool isGuidanceSetting(const QString &key);

// finetune.condition_drop of a chain config (0 when absent).
double conditionDropOf(const QJsonObject &config);
// The settings other than guidance and condition drop as one text: comparisons stay within one such context.
QString contextKeyOf(const Settings &settings);

struct ConditionGroup
{
    QList<int> members;     // indices into the configs, in their order
    QList<qint64> seeds;    // members' "seed" (0 when absent), same order
    Settings settings;      // of the first member
    QString label;          // from what differs between groups: "CFG 7.5, drop 0.2", "CFG 4, lr=0.001", "CFG 4, plain96"
};

struct ConditionGrouping
{
    QList<ConditionGroup> groups;   // in the order of their first member
    QStringList differing;          // setting keys that differ between groups, sorted
    // A config with the same settings and seed as an earlier member of its group (a repeat, not a new seed):
    // (its index, the earlier member's index). Left out of the groups.
    QList<QPair<int, int>> repeats;
    // Whether some chain had axis choices but the labels come from the settings alone, because one axis label
    // would have meant two settings or two groups would have shared a label.
    bool axisLabelsSetAside = false;
};

// Labels name guidance and condition drop in words and other differing settings as key=value, or, where the
// chains came from a sweep (choices[i]: config i's axis choices, from sweep.json), by the labels of the axis
// choices that account for them; only choices the config holds count, and where one label would mean two things
// or two groups would share a label, every group is labelled from its settings alone.
ConditionGrouping groupConditions(const QList<QJsonObject> &configs, const QList<QList<SweepAxisChoice>> &choices = {});

} // namespace redifine
