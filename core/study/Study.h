#pragma once

#include "core/study/Conditions.h"
#include "core/study/Statistics.h"
#include "core/study/StudyInput.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace redifine {

// A study of a sweep (paper Sec. 3.1, Eq. 4; Figures 2a, 3 and 6 with seeds): chains whose settings differ
// only in their seed form one condition; per condition the mean and 95% t interval over seeds of every metric
// at every iteration and of K-reusability (metric_K - metric_1), and each condition's reusability against
// constant CFG 7.5 and against the best constant CFG as differences with intervals.

struct MetricReusability
{
    int k = 0;                        // the condition's K (its chains' iterations)
    QMap<qint64, double> perSeed;     // metric_K - metric_1 of each seed that has both
    SampleSummary summary;
};

struct StudyCondition
{
    QString id;                     // "c1", "c2", ... in the order of the sweep's chains
    QString label;                  // from the settings that differ between conditions ("CFG 7.5, drop 0.2")
    QJsonObject settings;           // those settings, dotted key -> value
    QJsonObject config;             // the common config (seed and name of the first chain)
    QStringList chains;
    QList<qint64> seeds;
    int iterations = 0;
    bool constantCfg = false;       // constant CFG without condition drop: a baseline of the CFG scan
    double cfgScale = 0.0;          // for constantCfg
    QString context;                // the settings other than guidance and condition drop: comparisons stay within one
    QMap<QString, QMap<int, SampleSummary>> perIteration;   // metric -> iteration -> summary over seeds
    QMap<QString, MetricReusability> reusability;           // metric -> K-reusability
};

struct StudyComparison
{
    QString condition;       // id
    QString reference;       // id
    QString against;         // "cfg-7.5" or "best-constant"
    QString metric;
    DifferenceInterval difference;   // reusability of condition - reusability of reference
};

struct StudyResult
{
    QString dir;
    QString name;
    int listedChains = 0;
    int readChains = 0;
    double level = 0.95;
    QStringList metrics;               // every metric found, sorted
    QStringList reusabilityMetrics;    // fd first, then the chosen ones
    QList<StudyCondition> conditions;
    QList<StudyComparison> comparisons;
    QStringList problems;

    const StudyCondition *condition(const QString &id) const;
};

// Groups, aggregates and compares. `extraMetrics` are metric names whose reusability is wanted besides FD;
// an unknown one throws InputError listing the metrics found.
StudyResult analyseStudy(const StudyInput &input, const QStringList &extraMetrics = {});

QString differenceMethodName(DifferenceMethod method);
QJsonObject studyJson(const StudyResult &study);
// One row per statistic: section (iteration, reusability, comparison), condition, label, reference,
// reference_label, against, metric, iteration, n, mean, sd, ci_low, ci_high, method, df.
QByteArray studyCsv(const StudyResult &study);

} // namespace redifine
