#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace redifine {

// A sweep: one base chain config crossed with axes (CFG x method x dataset x seed ...), expanded into chains
// that run one after another locally or as a Slurm job array on a shared run folder. PLAN.json:
//   {"name": "cfg-sweep",
//    "preset": "cfg-7.5-quick"            (or "config": {...}; neither: the defaults),
//    "set": {"iterations": 2},            (dotted keys applied to every chain)
//    "axes": [
//      {"key": "sampler.cfg.scale", "values": [1.0, 2.5, 7.5]},
//      {"name": "method", "values": [{"label": "baseline", "set": {}},
//                                    {"label": "redifine", "set": {"finetune.condition_drop": 0.2}}]},
//      {"key": "seed", "values": [0, 1], "labels": ["s0", "s1"]}],
//    "slurm": {"partition": "gpu", "cpus_per_task": 8, "mem": "32G", "time": "1-00:00:00", "gpus": 1}}
// A chain is named "<plan>-<label>-<label>..."; a key axis labels its values "<last key part><value>".
// A plan may expand into at most this many chains; the size is checked before the expansion is built.
constexpr int kMaxSweepChains = 10000;
// Slurm's default MaxArraySize (array indexes 0..1000).
constexpr int kSlurmDefaultMaxArraySize = 1001;

// What one labelled axis of a plan gave one chain: the axis (its "name", or its "key" where the plan gave that
// axis "labels"), the label it put in the chain's name and what it set (dotted key -> value, as in the plan). A
// study names conditions by these labels rather than by every setting an axis changed ("plain96, paper" instead
// of "emoji_variants=1, epochs=100, lora_rank=32, ..."). Key axes labelled automatically ("scale7.5") give none:
// their key=value text says more.
struct SweepAxisChoice
{
    QString axis;
    QString label;
    QJsonObject set;
    QJsonObject kept;   // the axis's other settings (those its other choices set) as this choice left them
};

struct SweepChain
{
    QString name;
    QJsonObject config;   // complete, validated
    QList<SweepAxisChoice> choices;   // one per labelled axis, in the plan's order
};

struct SweepPlan
{
    QString name;
    QList<SweepChain> chains;
    QJsonObject slurm;
};

// Throws InputError naming the file and the axis or key at fault. A bare name that is no file here names a
// shipped plan (resources/plans/NAME.json, for example paper-cfg-scan-quick).
SweepPlan readSweepPlan(const QString &path);
SweepPlan expandSweepPlan(const QJsonObject &plan, const QString &context);

// Writes DIR/sweep.json (the plan's chains and each chain's axis choices) and DIR/configs/<chain>.json, atomically.
void writeSweepFolder(const SweepPlan &plan, const QString &dir);

// sweep.json "choices": chain name -> its axis choices. Folders written before the choices were recorded, and
// entries that are not well formed (a label that is not a label `sweep` writes, a "set" that is not an object),
// give no entry (and their chain's name in `malformed`): labels then come from the settings alone.
QMap<QString, QList<SweepAxisChoice>> sweepChoicesOf(const QJsonObject &sweepJson, QStringList *malformed = nullptr);
// For each run folder, its axis choices when its parent folder is a sweep folder listing it, else none; each
// sweep.json is read once.
QList<QList<SweepAxisChoice>> sweepChoicesOfRuns(const QStringList &runDirs);

// Whether a run folder holds every iteration of its config.
bool isChainComplete(const QString &runDir);

struct SlurmOptions
{
    QString partition;
    int cpusPerTask = 2;
    QString memory = QStringLiteral("16G");
    QString time = QStringLiteral("1-00:00:00");
    int gpus = 0;
    int maxParallel = 0;   // 0: no limit on simultaneously running array tasks
    int maxArraySize = kSlurmDefaultMaxArraySize;   // the cluster's MaxArraySize: more chains are refused
};
// The plan's "slurm" section over the defaults; throws InputError naming a field of the wrong type or grammar.
SlurmOptions slurmOptionsOf(const SweepPlan &plan);
// Every field in Slurm's own grammar (partition names, memory sizes, time limits, counts); throws InputError.
void validateSlurmOptions(const SlurmOptions &options);

// A job-array script, one array task per chain, each running `redifine chain --config ... --out ...` on the
// shared run folder (which resumes a chain an earlier or pre-empted task left unfinished). Every value is validated
// and every path shell-quoted, so bash reads them back byte for byte; throws InputError when the plan has more
// chains than options.maxArraySize.
QString slurmScript(const SweepPlan &plan, const QString &dir, const SlurmOptions &options, const QString &executable);

} // namespace redifine
