#pragma once
// A sweep folder written by hand in the run store's layout, for the study tests: sweep.json listing the chains,
// each chain a run folder with chain.json (the default config with some settings changed), one prompt with one
// tiny image per iteration, iter_K/metrics.json laid out as the chain runner writes it, and DONE.

#include "core/chain/ChainConfig.h"

#include "core/io/RunStore.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

namespace synthetic {

inline void writeJsonFile(const QString &path, const QJsonObject &object)
{
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    out.write(QJsonDocument(object).toJson());
}

// The default chain config with `assignments` ("seed=1", "sampler.cfg.scale=2.5") applied.
inline QJsonObject config(const QString &name, const QStringList &assignments)
{
    QJsonObject c = redifine::ChainConfig().toJson();
    c.insert(QStringLiteral("name"), name);
    for (const QString &a : assignments)
        redifine::applyOverride(c, a);
    return c;
}

// metrics.json of one iteration with the given FD and the other metrics derived from it, so each has a known value.
inline QJsonObject metrics(int k, double fd)
{
    QJsonObject m{{"iteration", k},
                  {"images", 1},
                  {"features", QJsonObject{{"fd", fd}, {"sfd", fd / 2.0}, {"kid", fd / 100.0}, {"extractor", "tiny-clip"},
                                           {"skipped", QJsonObject{{"precision", "too few images"}}}}},
                  {"pixel_indicators", QJsonObject{{"saturation", QJsonObject{{"mean", 0.1 + 0.01 * fd}, {"spread", 0.05}}},
                                                   {"sharpness", QJsonObject{{"mean", 1000.0 - fd}, {"spread", 10.0}}}}},
                  {"latent_mean", 0.0},
                  {"latent_std", 1.0 + fd / 10.0},
                  {"seconds", 1.5}};
    if (k > 0) {
        m.insert("diffnorm_mean_per_step", QJsonArray{3.0, 2.0, fd / 4.0});
        m.insert("diffnorm_spread_per_step", QJsonArray{0.1, 0.1, 0.1});
    }
    return m;
}

// A chain whose iterations 0..done are complete; metricsOf[k] overrides the metrics.json of iteration k,
// fd[k] gives the FD of iteration k otherwise.
inline void writeChain(const QString &sweepDir, const QJsonObject &cfg, const QList<double> &fd, int done = -1,
                       const QMap<int, QJsonObject> &metricsOf = {})
{
    const QString dir = QDir(sweepDir).filePath(cfg.value("name").toString());
    QDir().mkpath(dir);
    writeJsonFile(dir + "/chain.json", QJsonObject{{"config", cfg}});
    const int last = done < 0 ? cfg.value("iterations").toInt() : done;
    for (int k = 0; k <= last; ++k) {
        const QString iteration = dir + QStringLiteral("/iter_%1").arg(k);
        QDir().mkpath(iteration + "/images");
        QImage image(4, 4, QImage::Format_RGB888);
        image.fill(Qt::gray);
        image.save(iteration + "/images/0000.png");
        writeJsonFile(iteration + "/prompts.json", QJsonObject{{"prompts", QJsonArray{"cat face"}}});
        writeJsonFile(iteration + "/metrics.json", metricsOf.value(k, metrics(k, fd.value(k))));
        redifine::RunStore(dir).markDone(k);   // the manifest the chain runner writes, so readers verify against it
    }
}

inline void writeSweepJson(const QString &sweepDir, const QStringList &chains)
{
    QDir().mkpath(sweepDir);
    writeJsonFile(QDir(sweepDir).filePath("sweep.json"), QJsonObject{{"name", QDir(sweepDir).dirName()}, {"chains", QJsonArray::fromStringList(chains)}});
}

} // namespace synthetic
