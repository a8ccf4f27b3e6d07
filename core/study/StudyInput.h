#pragma once

#include "core/chain/Sweep.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace redifine {

// One chain of a sweep as a study reads it: its settings and the metrics of its complete iterations.
struct StudyChain
{
    QString name;
    QJsonObject config;                         // chain.json "config"
    qint64 seed = 0;
    int iterations = 0;                         // K of its config
    QMap<int, QMap<QString, double>> metrics;   // complete iteration -> metric name -> finite value
    QList<SweepAxisChoice> choices;             // sweep.json's record of the axes that made it (none before session 15)
};

struct StudyInput
{
    QString dir;
    QString name;          // sweep.json "name"
    int listedChains = 0;  // chains sweep.json names
    QList<StudyChain> chains;   // those with at least one complete generated iteration
    QStringList problems;       // one line each: "chain <name>: <what is missing or wrong>"
};

// The metrics of one iteration's metrics.json under the study's names: the feature metrics by their own names
// (fd, sfd, clip_score, kid, precision, ...), the pixel indicators' means (saturation, colourfulness,
// high_frequency_ratio, sharpness, clipped_share), latent_mean, latent_std, diffnorm_last (the last denoising
// step's mean Diff norm) and finetune_final_loss. A metric that is present but not a finite number (JSON null:
// NaN or infinity when written) is left out and named in `problems`.
QMap<QString, double> studyMetricsOf(const QJsonObject &metricsJson, QStringList &problems);

// Reads SWEEP_DIR/sweep.json and every chain it lists. Throws InputError when the folder is not a sweep
// folder; chains that are missing, damaged or incomplete are kept as far as they are complete and listed in
// `problems`.
StudyInput readStudyInput(const QString &sweepDir);

} // namespace redifine
