#include "core/chain/Sweep.h"

#include "core/chain/ChainConfig.h"
#include "core/chain/Presets.h"
#include "core/common/DataPaths.h"
#include "core/common/Error.h"
#include "core/io/RunStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace redifine {

namespace {

[[noreturn]] void fail(const QString &context, const QString &problem)
{
    throw InputError(QStringLiteral("%1: %2").arg(context, problem).toStdString());
}

QString compactJson(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble());
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

// Labels become parts of folder names: keep them to letters, digits, '.', '_' and '-'.
QString safeLabel(const QString &label)
{
    QString safe = label;
    safe.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
    return safe;
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
};

QList<Choice> choicesOf(const QJsonObject &axis, const QString &context)
{
    const QJsonArray values = axis.value(QStringLiteral("values")).toArray();
    if (values.isEmpty())
        fail(context, QStringLiteral("needs a non-empty \"values\" array"));
    const QJsonArray labels = axis.value(QStringLiteral("labels")).toArray();
    if (!labels.isEmpty() && labels.size() != values.size())
        fail(context, QStringLiteral("has %1 labels for %2 values").arg(labels.size()).arg(values.size()));
    QList<Choice> choices;
    if (axis.contains(QStringLiteral("key"))) {
        const QString key = axis.value(QStringLiteral("key")).toString();
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QString label = labels.isEmpty() ? key.section(QLatin1Char('.'), -1) + compactJson(values[i]) : labels[i].toString();
            choices.append({safeLabel(label), {assignment(key, values[i])}});
        }
    } else if (axis.contains(QStringLiteral("name"))) {
        for (const QJsonValue &v : values) {
            const QJsonObject o = v.toObject();
            if (!o.value(QStringLiteral("label")).isString() || !o.value(QStringLiteral("set")).isObject())
                fail(context, QStringLiteral("each value of a named axis is {\"label\": ..., \"set\": {...}}"));
            Choice choice{safeLabel(o.value(QStringLiteral("label")).toString()), {}};
            const QJsonObject set = o.value(QStringLiteral("set")).toObject();
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
    SweepPlan plan;
    plan.name = safeLabel(o.value(QStringLiteral("name")).toString(QStringLiteral("sweep")));
    plan.slurm = o.value(QStringLiteral("slurm")).toObject();
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

    QList<Choice> combinations{Choice{}};
    const QJsonArray axes = o.value(QStringLiteral("axes")).toArray();
    for (qsizetype a = 0; a < axes.size(); ++a) {
        const QList<Choice> choices = choicesOf(axes[a].toObject(), QStringLiteral("%1 axes[%2]").arg(context).arg(a));
        QList<Choice> next;
        for (const Choice &partial : combinations)
            for (const Choice &choice : choices)
                next.append({partial.label.isEmpty() ? choice.label : partial.label + QLatin1Char('-') + choice.label,
                             partial.assignments + choice.assignments});
        combinations = next;
    }
    QStringList names;
    for (const Choice &combination : combinations) {
        QJsonObject config = base;
        for (const QString &a : combination.assignments) {
            try {
                applyOverride(config, a);
            } catch (const InputError &error) {
                fail(QStringLiteral("%1 chain %2").arg(context, combination.label), QString::fromUtf8(error.what()));
            }
        }
        const QString name = combination.label.isEmpty() ? plan.name : plan.name + QLatin1Char('-') + combination.label;
        if (names.contains(name))
            fail(context, QStringLiteral("two chains would both be named %1; give the axes distinct labels").arg(name));
        names << name;
        config.insert(QStringLiteral("name"), name);
        plan.chains.append({name, ChainConfig::fromJson(config).toJson()});
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
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(path, in.errorString()).toStdString());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &error);
    if (!document.isObject())
        throw InputError(QStringLiteral("%1: not a JSON object (%2)").arg(path, error.errorString()).toStdString());
    return expandSweepPlan(document.object(), path);
}

void writeSweepFolder(const SweepPlan &plan, const QString &dir)
{
    if (!QDir().mkpath(QDir(dir).filePath(QStringLiteral("configs"))))
        throw InputError(QStringLiteral("%1: cannot create the sweep folder").arg(dir).toStdString());
    const RunStore store(dir);
    QJsonArray chains;
    for (const SweepChain &chain : plan.chains) {
        store.writeJson(QDir(dir).filePath(QStringLiteral("configs/%1.json").arg(chain.name)), chain.config);
        chains.append(chain.name);
    }
    store.writeJson(QDir(dir).filePath(QStringLiteral("sweep.json")),
                    QJsonObject{{QStringLiteral("name"), plan.name}, {QStringLiteral("chains"), chains}});
}

bool isChainComplete(const QString &runDir)
{
    const RunStore store(runDir);
    if (!QFile::exists(store.chainJsonPath()))
        return false;
    const int iterations = store.readChainJson().value(QStringLiteral("config")).toObject().value(QStringLiteral("iterations")).toInt();
    for (int k = 0; k <= iterations; ++k)
        if (!store.isDone(k))
            return false;
    return iterations > 0;
}

SlurmOptions slurmOptionsOf(const SweepPlan &plan)
{
    SlurmOptions s;
    const QJsonObject &o = plan.slurm;
    s.partition = o.value(QStringLiteral("partition")).toString(s.partition);
    s.cpusPerTask = o.value(QStringLiteral("cpus_per_task")).toInt(s.cpusPerTask);
    s.memory = o.value(QStringLiteral("mem")).toString(s.memory);
    s.time = o.value(QStringLiteral("time")).toString(s.time);
    s.gpus = o.value(QStringLiteral("gpus")).toInt(s.gpus);
    s.maxParallel = o.value(QStringLiteral("max_parallel")).toInt(s.maxParallel);
    return s;
}

QString slurmScript(const SweepPlan &plan, const QString &dir, const SlurmOptions &s, const QString &executable)
{
    const QString root = QFileInfo(dir).absoluteFilePath();
    QString script;
    script += QStringLiteral("#!/bin/bash\n"
                             "# Written by redifine sweep --slurm: one array task per chain of sweep %1.\n"
                             "# Submit with: sbatch %2/sweep.sbatch\n")
                  .arg(plan.name, root);
    script += QStringLiteral("#SBATCH --job-name=%1\n").arg(plan.name);
    script += QStringLiteral("#SBATCH --array=0-%1%2\n").arg(plan.chains.size() - 1).arg(s.maxParallel > 0 ? QStringLiteral("%%1").arg(s.maxParallel) : QString());
    script += QStringLiteral("#SBATCH --cpus-per-task=%1\n#SBATCH --mem=%2\n#SBATCH --time=%3\n").arg(s.cpusPerTask).arg(s.memory, s.time);
    script += QStringLiteral("#SBATCH --output=%1/logs/%x-%a.out\n").arg(root);
    if (!s.partition.isEmpty())
        script += QStringLiteral("#SBATCH --partition=%1\n").arg(s.partition);
    if (s.gpus > 0)
        script += QStringLiteral("#SBATCH --gres=gpu:%1\n").arg(s.gpus);
    script += QStringLiteral("set -euo pipefail\nchains=(");
    for (const SweepChain &chain : plan.chains)
        script += QLatin1Char(' ') + chain.name;
    script += QStringLiteral(" )\nchain=${chains[$SLURM_ARRAY_TASK_ID]}\n");
    // --config on an existing run folder with the same settings continues it, so a requeued task resumes.
    script += QStringLiteral("exec '%1' --threads \"${SLURM_CPUS_PER_TASK:-%2}\" chain --config '%3/configs/'\"$chain\".json --out '%3/'\"$chain\"\n")
                  .arg(executable)
                  .arg(s.cpusPerTask)
                  .arg(root);
    return script;
}

} // namespace redifine
