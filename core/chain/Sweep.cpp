#include "core/chain/Sweep.h"

#include "core/chain/ChainConfig.h"
#include "core/chain/Presets.h"
#include "core/common/AtomicFile.h"
#include "core/common/DataPaths.h"
#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/io/RunStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

namespace redifine {

namespace {

[[noreturn]] void fail(const QString &context, const QString &problem)
{
    throw InputError(QStringLiteral("%1: %2").arg(context, problem).toStdString());
}

// Labels become parts of folder names: keep them to letters, digits, '.', '_' and '-'.
QString safeLabel(const QString &label)
{
    QString safe = label;
    safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
    return safe;
}

// A plan name or label made only of dots would make a folder name such as "." or "..".
bool isDotsOnly(const QString &name)
{
    return !name.isEmpty() && name.count(QLatin1Char('.')) == name.size();
}

QString assignment(const QString &key, const QJsonValue &value)
{
    return key + QLatin1Char('=') + QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

// One choice of an axis: its label and the dotted assignments it makes.
struct Choice
{
    QString label;
    QStringList assignments;
    QList<SweepAxisChoice> axes;   // what is recorded of it: nothing, or its axis, label and settings
};

// The axis's "values" (and "labels"), checked for type before anything is expanded.
QJsonArray axisValues(const QJsonObject &axis, const QString &context)
{
    for (auto it = axis.begin(); it != axis.end(); ++it)
        if (!QStringList{"key", "name", "values", "labels"}.contains(it.key()))
            fail(context, QStringLiteral("unknown key \"%1\" (key or name, values, labels)").arg(it.key()));
    const QJsonValue values = axis.value(QStringLiteral("values"));
    if (!values.isArray() || values.toArray().isEmpty())
        fail(context, QStringLiteral("needs a non-empty \"values\" array"));
    return values.toArray();
}

QList<Choice> choicesOf(const QJsonObject &axis, const QString &context)
{
    const QJsonArray values = axisValues(axis, context);
    const QJsonValue labelsValue = axis.value(QStringLiteral("labels"));
    if (!labelsValue.isUndefined() && !labelsValue.isArray())
        fail(context, QStringLiteral("\"labels\" must be an array of strings"));
    const QJsonArray labels = labelsValue.toArray();
    if (!labels.isEmpty() && labels.size() != values.size())
        fail(context, QStringLiteral("has %1 labels for %2 values").arg(labels.size()).arg(values.size()));
    for (const QJsonValue &label : labels)
        if (!label.isString() || safeLabel(label.toString()).isEmpty())
            fail(context, QStringLiteral("each label must be a non-empty string"));
    QList<Choice> choices;
    if (axis.contains(QStringLiteral("key"))) {
        if (!axis.value(QStringLiteral("key")).isString() || axis.value(QStringLiteral("key")).toString().isEmpty())
            fail(context, QStringLiteral("\"key\" must be a setting name such as \"sampler.cfg.scale\""));
        const QString key = axis.value(QStringLiteral("key")).toString();
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QString label = labels.isEmpty() ? key.section(QLatin1Char('.'), -1) + json::valueText(values[i]) : labels[i].toString();
            Choice choice{safeLabel(label), {assignment(key, values[i])}, {}};
            if (!labels.isEmpty())
                choice.axes.append({key, choice.label, QJsonObject{{key, values[i]}}, {}});
            choices.append(choice);
        }
    } else if (axis.contains(QStringLiteral("name"))) {
        if (!axis.value(QStringLiteral("name")).isString() || axis.value(QStringLiteral("name")).toString().isEmpty())
            fail(context, QStringLiteral("\"name\" must be a non-empty string such as \"method\""));
        for (const QJsonValue &v : values) {
            const QJsonObject o = v.toObject();
            if (!o.value(QStringLiteral("label")).isString() || safeLabel(o.value(QStringLiteral("label")).toString()).isEmpty()
                || !o.value(QStringLiteral("set")).isObject())
                fail(context, QStringLiteral("each value of a named axis is {\"label\": ..., \"set\": {...}}"));
            const QString label = safeLabel(o.value(QStringLiteral("label")).toString());
            const QJsonObject set = o.value(QStringLiteral("set")).toObject();
            Choice choice{label, {}, {{axis.value(QStringLiteral("name")).toString(), label, set, {}}}};
            for (auto it = set.begin(); it != set.end(); ++it)
                choice.assignments << assignment(it.key(), it.value());
            choices.append(choice);
        }
    } else {
        fail(context, QStringLiteral("needs a \"key\" (a config setting) or a \"name\" (a named axis)"));
    }
    return choices;
}

} // namespace

SweepPlan expandSweepPlan(const QJsonObject &o, const QString &context)
{
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!QStringList{"name", "description", "preset", "config", "set", "axes", "slurm"}.contains(it.key()))
            fail(context, QStringLiteral("unknown key \"%1\" (name, description, preset, config, set, axes, slurm)").arg(it.key()));
    // Wrong types are errors, not defaults: an "axes" object read as no axes would silently run one chain.
    const auto expect = [&](const char *key, bool (QJsonValue::*is)() const, const char *what) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isUndefined() && !(v.*is)())
            fail(context + QLatin1Char(' ') + QLatin1String(key), QStringLiteral("expected %1").arg(QLatin1String(what)));
    };
    expect("name", &QJsonValue::isString, "a string");
    expect("description", &QJsonValue::isString, "a string");
    expect("preset", &QJsonValue::isString, "a preset name (a string)");
    expect("config", &QJsonValue::isObject, "an object");
    expect("set", &QJsonValue::isObject, "an object of settings");
    expect("axes", &QJsonValue::isArray, "an array of axes");
    expect("slurm", &QJsonValue::isObject, "an object");

    SweepPlan plan;
    plan.name = safeLabel(o.value(QStringLiteral("name")).toString(QStringLiteral("sweep")));
    if (plan.name.isEmpty() || isDotsOnly(plan.name))
        fail(context + QStringLiteral(" name"), QStringLiteral("\"%1\" cannot name chain folders; use letters, digits, '.', '_' or '-'")
                                                    .arg(o.value(QStringLiteral("name")).toString()));
    plan.slurm = o.value(QStringLiteral("slurm")).toObject();
    slurmOptionsOf(plan);   // names a bad Slurm field now, before anything is written
    if (o.contains(QStringLiteral("preset")) && o.contains(QStringLiteral("config")))
        fail(context, QStringLiteral("give \"preset\" or \"config\", not both"));
    QJsonObject base = o.contains(QStringLiteral("preset")) ? presetConfig(o.value(QStringLiteral("preset")).toString())
                                                           : mergeJson(ChainConfig().toJson(), o.value(QStringLiteral("config")).toObject());
    const QJsonObject common = o.value(QStringLiteral("set")).toObject();
    for (auto it = common.begin(); it != common.end(); ++it) {
        try {
            applyOverride(base, assignment(it.key(), it.value()));
        } catch (const InputError &error) {
            fail(context + QStringLiteral(" set.") + it.key(), QString::fromUtf8(error.what()));
        }
    }

    // The size of the cross product is known before it is built: a plan of 100,000 chains is refused at once.
    const QJsonArray axes = o.value(QStringLiteral("axes")).toArray();
    double total = 1.0;
    for (qsizetype a = 0; a < axes.size(); ++a) {
        const QString axisContext = QStringLiteral("%1 axes[%2]").arg(context).arg(a);
        if (!axes[a].isObject())
            fail(axisContext, QStringLiteral("expected an object {\"key\": ..., \"values\": [...]}"));
        total *= double(axisValues(axes[a].toObject(), axisContext).size());
    }
    if (total > kMaxSweepChains)
        fail(context + QStringLiteral(" axes"),
             QStringLiteral("expand into %1 chains, more than the %2 a sweep may hold; split the plan").arg(total, 0, 'g', 6).arg(kMaxSweepChains));

    QList<QList<Choice>> axisChoices;
    QList<QStringList> axisKeys;   // what any choice of the axis sets: a choice leaves the rest as it found them
    QList<QList<int>> combinations{{}};
    for (qsizetype a = 0; a < axes.size(); ++a) {
        axisChoices << choicesOf(axes[a].toObject(), QStringLiteral("%1 axes[%2]").arg(context).arg(a));
        axisKeys.append(QStringList());
        for (const Choice &choice : axisChoices.last())
            for (const SweepAxisChoice &recorded : choice.axes)
                for (const QString &key : recorded.set.keys())
                    if (!axisKeys.last().contains(key))
                        axisKeys.last() << key;
        QList<QList<int>> next;
        for (const QList<int> &partial : combinations)
            for (int c = 0; c < axisChoices.last().size(); ++c)
                next.append(partial + QList<int>{c});
        combinations = next;
    }
    QStringList names;
    for (const QList<int> &combination : combinations) {
        QStringList labels;
        for (qsizetype a = 0; a < combination.size(); ++a)
            labels << axisChoices[a][combination[a]].label;
        const QString label = labels.join(QLatin1Char('-'));
        QJsonObject config = base;
        QList<SweepAxisChoice> recorded;
        for (qsizetype a = 0; a < combination.size(); ++a) {
            const Choice &choice = axisChoices[a][combination[a]];
            // A labelled choice is recorded with what it set and with the axis's other settings as it left them,
            // so a study can check that a chain holds everything its label stands for.
            for (SweepAxisChoice axisChoice : choice.axes) {
                for (const QString &key : axisKeys[a])
                    if (!axisChoice.set.contains(key) && !json::valueAt(config, key).isUndefined())
                        axisChoice.kept.insert(key, json::valueAt(config, key));
                recorded << axisChoice;
            }
            for (const QString &assignmentText : choice.assignments) {
                try {
                    applyOverride(config, assignmentText);
                } catch (const InputError &error) {
                    fail(QStringLiteral("%1 chain %2").arg(context, label), QString::fromUtf8(error.what()));
                }
            }
        }
        const QString name = label.isEmpty() ? plan.name : plan.name + QLatin1Char('-') + label;
        if (names.contains(name))
            fail(context, QStringLiteral("two chains would both be named %1; give the axes distinct labels").arg(name));
        names << name;
        config.insert(QStringLiteral("name"), name);
        plan.chains.append({name, ChainConfig::fromJson(config).toJson(), recorded});
    }
    return plan;
}

SweepPlan readSweepPlan(const QString &given)
{
    // A bare name that is no file here names a shipped plan (resources/plans/NAME.json).
    QString path = given;
    if (!QFile::exists(path) && !path.contains(QLatin1Char('/'))) {
        const QString shipped = findResource(QStringLiteral("plans/%1%2").arg(path, path.endsWith(QLatin1String(".json")) ? QString() : QStringLiteral(".json")));
        if (!shipped.isEmpty())
            path = shipped;
    }
    return expandSweepPlan(json::requireObjectFile(path), path);
}

void writeSweepFolder(const SweepPlan &plan, const QString &dir)
{
    if (const QString why = makeFolder(QDir(dir).filePath(QStringLiteral("configs"))); !why.isEmpty())
        throw InputError(QStringLiteral("%1: cannot create the sweep folder (%2)").arg(dir, why).toStdString());
    const RunStore store(dir);
    QJsonArray chains;
    QJsonObject choices;
    for (const SweepChain &chain : plan.chains) {
        store.writeJson(QDir(dir).filePath(QStringLiteral("configs/%1.json").arg(chain.name)), chain.config);
        chains.append(chain.name);
        QJsonArray axes;
        for (const SweepAxisChoice &choice : chain.choices)
            axes.append(QJsonObject{{QStringLiteral("axis"), choice.axis},
                                    {QStringLiteral("label"), choice.label},
                                    {QStringLiteral("set"), choice.set},
                                    {QStringLiteral("kept"), choice.kept}});
        choices.insert(chain.name, axes);
    }
    store.writeJson(QDir(dir).filePath(QStringLiteral("sweep.json")),
                    QJsonObject{{QStringLiteral("name"), plan.name}, {QStringLiteral("chains"), chains}, {QStringLiteral("choices"), choices}});
}

QMap<QString, QList<SweepAxisChoice>> sweepChoicesOf(const QJsonObject &sweepJson, QStringList *malformed)
{
    QMap<QString, QList<SweepAxisChoice>> out;
    const QJsonObject choices = sweepJson.value(QStringLiteral("choices")).toObject();
    for (auto chain = choices.begin(); chain != choices.end(); ++chain) {
        QList<SweepAxisChoice> axes;
        bool wellFormed = chain.value().isArray();
        for (const QJsonValue &entry : chain.value().toArray()) {
            const QJsonObject o = entry.toObject();
            const QString label = o.value(QStringLiteral("label")).toString();
            wellFormed = wellFormed && entry.isObject() && o.value(QStringLiteral("axis")).isString() && !label.isEmpty()
                         && safeLabel(label) == label && o.value(QStringLiteral("set")).isObject()
                         && (o.value(QStringLiteral("kept")).isUndefined() || o.value(QStringLiteral("kept")).isObject());
            axes.append({o.value(QStringLiteral("axis")).toString(), label, o.value(QStringLiteral("set")).toObject(),
                         o.value(QStringLiteral("kept")).toObject()});
        }
        if (wellFormed)
            out.insert(chain.key(), axes);
        else if (malformed)
            *malformed << chain.key();
    }
    return out;
}

QList<QList<SweepAxisChoice>> sweepChoicesOfRuns(const QStringList &runDirs)
{
    QMap<QString, QMap<QString, QList<SweepAxisChoice>>> bySweep;
    QList<QList<SweepAxisChoice>> out;
    for (const QString &runDir : runDirs) {
        const QFileInfo run(QDir::cleanPath(QFileInfo(runDir).absoluteFilePath()));
        const QString sweepDir = run.absolutePath();
        // readObjectFile gives an empty object for a missing or unreadable sweep.json: its runs get no axis labels.
        if (!bySweep.contains(sweepDir))
            bySweep.insert(sweepDir, sweepChoicesOf(json::readObjectFile(QDir(sweepDir).filePath(QStringLiteral("sweep.json")))));
        out << bySweep.value(sweepDir).value(run.fileName());
    }
    return out;
}

bool isChainComplete(const QString &runDir)
{
    const RunStore store(runDir);
    if (!QFile::exists(store.chainJsonPath()))
        return false;
    const int iterations = store.readChainJson().value(QStringLiteral("config")).toObject().value(QStringLiteral("iterations")).toInt();
    if (iterations > kMaxIterations)   // not a config this product writes: never walk two billion folders
        return false;
    for (int k = 0; k <= iterations; ++k)
        if (!store.isDone(k))
            return false;
    return iterations > 0;
}

namespace {

// Bash reads a single-quoted word back byte for byte; a quote inside is closed, escaped and reopened.
QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// sbatch reads "#SBATCH" lines with its own tokenizer and expands %-patterns in --output: only paths of plain
// characters go there; any other path is handled by bash in the script body.
bool isSlurmSafePath(const QString &path)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9._/+,=@~-]+$"));
    return plain.match(path).hasMatch();
}

int slurmInteger(const QJsonObject &o, const char *key, int fallback, int low, int high)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return fallback;
    if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()) || v.toDouble() < low || v.toDouble() > high)
        fail(QStringLiteral("slurm.%1").arg(QLatin1String(key)), QStringLiteral("expected an integer from %1 to %2").arg(low).arg(high));
    return int(v.toDouble());
}

QString slurmText(const QJsonObject &o, const char *key, const QString &fallback)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return fallback;
    if (!v.isString())
        fail(QStringLiteral("slurm.%1").arg(QLatin1String(key)), QStringLiteral("expected a string"));
    return v.toString();
}

} // namespace

void validateSlurmOptions(const SlurmOptions &s)
{
    // Slurm's own grammar for each field: nothing else (no spaces, quotes, newlines) can reach the script.
    static const QRegularExpression partition(QStringLiteral("^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$"));
    static const QRegularExpression memory(QStringLiteral("^[0-9]+[KMGT]?$"));
    static const QRegularExpression time(QStringLiteral("^([0-9]+(:[0-9]+){0,2}|[0-9]+-[0-9]+(:[0-9]+){0,2})$"));
    if (!s.partition.isEmpty() && !partition.match(s.partition).hasMatch())
        fail(QStringLiteral("slurm.partition"), QStringLiteral("\"%1\" is not a Slurm partition name (letters, digits, '_', '.', '-', comma-separated)").arg(s.partition));
    if (!memory.match(s.memory).hasMatch())
        fail(QStringLiteral("slurm.mem"), QStringLiteral("\"%1\" is not a Slurm memory size such as 16G or 16000M").arg(s.memory));
    if (!time.match(s.time).hasMatch())
        fail(QStringLiteral("slurm.time"), QStringLiteral("\"%1\" is not a Slurm time limit (minutes, HH:MM:SS or D-HH:MM:SS)").arg(s.time));
    if (s.cpusPerTask < 1 || s.cpusPerTask > 4096)
        fail(QStringLiteral("slurm.cpus_per_task"), QStringLiteral("must be from 1 to 4096"));
    if (s.gpus < 0 || s.gpus > 64)
        fail(QStringLiteral("slurm.gpus"), QStringLiteral("must be from 0 to 64"));
    if (s.maxParallel < 0)
        fail(QStringLiteral("slurm.max_parallel"), QStringLiteral("must be >= 0 (0 = no limit)"));
    if (s.maxArraySize < 1)
        fail(QStringLiteral("slurm.max_array_size"), QStringLiteral("must be at least 1"));
}

SlurmOptions slurmOptionsOf(const SweepPlan &plan)
{
    SlurmOptions s;
    const QJsonObject &o = plan.slurm;
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!QStringList{"partition", "cpus_per_task", "mem", "time", "gpus", "max_parallel", "max_array_size"}.contains(it.key()))
            fail(QStringLiteral("slurm.%1").arg(it.key()),
                 QStringLiteral("unknown setting (partition, cpus_per_task, mem, time, gpus, max_parallel, max_array_size)"));
    s.partition = slurmText(o, "partition", s.partition);
    s.cpusPerTask = slurmInteger(o, "cpus_per_task", s.cpusPerTask, 1, 4096);
    s.memory = slurmText(o, "mem", s.memory);
    s.time = slurmText(o, "time", s.time);
    s.gpus = slurmInteger(o, "gpus", s.gpus, 0, 64);
    s.maxParallel = slurmInteger(o, "max_parallel", s.maxParallel, 0, kMaxSweepChains);
    s.maxArraySize = slurmInteger(o, "max_array_size", s.maxArraySize, 1, 4000001);
    validateSlurmOptions(s);
    return s;
}

QString slurmScript(const SweepPlan &plan, const QString &dir, const SlurmOptions &s, const QString &executable)
{
    validateSlurmOptions(s);
    if (plan.chains.size() > s.maxArraySize)
        throw InputError(QStringLiteral("sweep %1: %2 chains are more array tasks than Slurm's array limit of %3 (MaxArraySize); "
                                        "split the plan, or give the cluster's own limit with --max-array-size N")
                             .arg(plan.name)
                             .arg(plan.chains.size())
                             .arg(s.maxArraySize)
                             .toStdString());
    const QString root = QFileInfo(dir).absoluteFilePath();
    const QString logs = root + QStringLiteral("/logs");
    QString script;
    script += QStringLiteral("#!/bin/bash\n"
                             "# Written by redifine sweep --slurm: one array task per chain of sweep %1.\n"
                             "# Submit with sbatch from anywhere; every path below is absolute.\n")
                  .arg(plan.name);
    script += QStringLiteral("#SBATCH --job-name=%1\n").arg(plan.name);
    script += QStringLiteral("#SBATCH --array=0-%1%2\n").arg(plan.chains.size() - 1).arg(s.maxParallel > 0 ? QStringLiteral("%%1").arg(s.maxParallel) : QString());
    script += QStringLiteral("#SBATCH --cpus-per-task=%1\n#SBATCH --mem=%2\n#SBATCH --time=%3\n").arg(s.cpusPerTask).arg(s.memory, s.time);
    if (isSlurmSafePath(logs))
        script += QStringLiteral("#SBATCH --output=%1/%x-%a.out\n").arg(logs);
    if (!s.partition.isEmpty())
        script += QStringLiteral("#SBATCH --partition=%1\n").arg(s.partition);
    if (s.gpus > 0)
        script += QStringLiteral("#SBATCH --gres=gpu:%1\n").arg(s.gpus);
    script += QStringLiteral("set -euo pipefail\n");
    script += QStringLiteral("root=%1\n").arg(shellQuote(root));
    if (!isSlurmSafePath(logs))   // a path sbatch cannot be given: the task sends its own output there
        script += QStringLiteral("exec >>\"$root/logs/$SLURM_JOB_NAME-$SLURM_ARRAY_TASK_ID.out\" 2>&1\n");
    script += QStringLiteral("chains=(");
    for (const SweepChain &chain : plan.chains)
        script += QLatin1Char(' ') + shellQuote(chain.name);
    script += QStringLiteral(" )\nchain=${chains[$SLURM_ARRAY_TASK_ID]}\n");
    // --config on an existing run folder with the same settings continues it, so a requeued task resumes.
    script += QStringLiteral("exec %1 --threads \"${SLURM_CPUS_PER_TASK:-%2}\" chain --config \"$root/configs/$chain.json\" --out \"$root/$chain\"\n")
                  .arg(shellQuote(executable))
                  .arg(s.cpusPerTask);
    return script;
}

} // namespace redifine
