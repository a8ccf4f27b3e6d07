#include "widgets/plots/PlotContext.h"

#include "core/study/Conditions.h"

#include <algorithm>

namespace redifine {

QList<RunCondition> runConditions(const QList<RunSummary> &runs)
{
    QList<QJsonObject> configs;
    QStringList dirs;
    for (const RunSummary &run : runs) {
        configs << run.config;
        dirs << run.dir;
    }
    const ConditionGrouping grouping = groupConditions(configs, sweepChoicesOfRuns(dirs));
    QList<RunCondition> conditions;
    for (const ConditionGroup &group : grouping.groups) {
        if (group.members.size() == 1)
            conditions << RunCondition{runs[group.members.first()].name, group.members, group.label};
        else
            conditions << RunCondition{QStringLiteral("%1 (%2 seeds)").arg(group.label).arg(group.members.size()), group.members, group.label};
    }
    for (const auto &repeat : grouping.repeats)
        conditions << RunCondition{runs[repeat.first].name, {repeat.first}, runs[repeat.first].name};
    return conditions;
}

bool PlotContext::aggregated() const
{
    return !showSeeds && std::any_of(conditions.begin(), conditions.end(), [](const RunCondition &c) { return c.runs.size() > 1; });
}

int PlotContext::iterations() const
{
    int k = 0;
    for (const RunSummary &run : runs)
        k = std::max(k, run.iterations);
    return k;
}

} // namespace redifine
