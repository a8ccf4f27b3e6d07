#pragma once
// A run folder written by hand, in the run store's layout, for widget tests: known images (a distinct flat
// colour per prompt and iteration), prompts and metrics, without running a chain.

#include <QColor>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

inline QColor cellColour(int prompt, int iteration)
{
    return QColor(40 * prompt + 20, 60 * iteration + 10, 200);
}

inline void writeJson(const QString &path, const QJsonObject &object)
{
    QFile out(path);
    out.open(QIODevice::WriteOnly);
    out.write(QJsonDocument(object).toJson());
}

// Iterations 0..done complete out of `iterations`; metrics.json holds features.fd = 10 k + offset.
inline void writeSyntheticRun(const QString &dir, int prompts, int iterations, int done, const QJsonObject &cfg, double fdOffset = 0.0)
{
    QDir().mkpath(dir);
    QJsonObject config{{"name", QDir(dir).dirName()}, {"description", "synthetic"}, {"iterations", iterations}, {"images_per_prompt", 1},
                       {"sampler", QJsonObject{{"cfg", cfg}}}, {"finetune", QJsonObject{{"condition_drop", 0.0}}}};
    writeJson(dir + "/chain.json", QJsonObject{{"config", config}});
    QJsonArray promptList;
    for (int p = 0; p < prompts; ++p)
        promptList.append(QStringLiteral("prompt %1").arg(p));
    for (int k = 0; k <= done; ++k) {
        const QString iteration = dir + QStringLiteral("/iter_%1").arg(k);
        QDir().mkpath(iteration + "/images");
        for (int p = 0; p < prompts; ++p) {
            QImage image(16, 16, QImage::Format_RGB888);
            image.fill(cellColour(p, k));
            image.save(iteration + QStringLiteral("/images/%1.png").arg(p, 4, 10, QLatin1Char('0')));
        }
        writeJson(iteration + "/prompts.json", QJsonObject{{"prompts", promptList}});
        writeJson(iteration + "/metrics.json", QJsonObject{{"iteration", k}, {"features", QJsonObject{{"fd", 10.0 * k + fdOffset}}}});
        // The pre-0.5 record (a time stamp): these tests edit chain.json and metrics.json after the fact, which a
        // manifest would rightly report as damage.
        QFile doneFile(iteration + "/DONE");
        doneFile.open(QIODevice::WriteOnly);
        doneFile.write("2026-01-01T00:00:00Z\n");
    }
}
