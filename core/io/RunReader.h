#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace redifine {

// What the studio (and anything else) reads from a run folder, without LibTorch. Damaged folders (missing
// files, unreadable JSON, a half-written iteration) never throw: what is there is read and what is wrong is
// listed in `problems`.
struct IterationRecord
{
    int index = 0;
    bool done = false;
    int imageCount = 0;     // PNG files present
    QJsonObject metrics;    // metrics.json, empty until the iteration is done
    QString damage;         // why a done iteration is not what its DONE recorded; empty when it is
};

struct RunSummary
{
    QString dir;
    QString name;
    QString description;
    QJsonObject config;     // chain.json "config"
    int iterations = 0;     // K
    int imagesPerPrompt = 1;
    QStringList prompts;    // D_0's captions: the rows of the grid
    QList<IterationRecord> iterationRecords;   // 0..K
    QStringList problems;

    bool isRunFolder() const { return !config.isEmpty(); }
    int completedIterations() const;           // done iterations, D_0 included
    bool isComplete() const { return isRunFolder() && completedIterations() == iterations + 1; }
    QString settingsText() const;              // "CFG 7.5 exp(-2t/T), p = 0.2": guidanceText and condition drop
    QString imagePath(int iteration, int promptRow, int sample = 0) const;
    QString iterationFile(int iteration, const QString &name) const;
};

// Every done iteration is checked against its DONE record: settings and file sizes, and with hashMetrics the
// SHA-256 of metrics.json too (a study, which computes its results from them, does; a live view, refreshed
// often, checks sizes only; hashing every image and adapter of a paper-size sweep would take minutes).
RunSummary readRunSummary(const QString &dir, bool hashMetrics = false);

// A chain config's guidance schedule in words, read leniently (a damaged config gives what it holds, never a throw):
// "CFG 7.5", "CFG 7.5 exp(-2t/T)", "CFG linear 7.5-1", "CFG piecewise 7.5@0 1@1" (scale@progress per point).
// The run list, figures and study conditions all name guidance with it.
QString guidanceText(const QJsonObject &config);

// A cheap stamp of a run folder, from a few file times instead of reading every iteration's JSON: it changes
// when the folder gains or loses an iteration, chain.json changes, or an iteration's folder or the newest
// iteration's images change (a new file, an atomic rewrite, a deletion). For watching many runs on a
// shared folder; a change deep inside an older iteration's images is not seen by it.
QString runStamp(const QString &dir);

// The run folders directly under `root` (those holding a chain.json), sorted by name.
QStringList listRunFolders(const QString &root);

// The A1111-style "parameters" text of a PNG written by the runner (prompt, steps, sampler, CFG, seed).
QString imageParameters(const QString &path);

} // namespace redifine
