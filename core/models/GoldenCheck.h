#pragma once

#include <QList>
#include <QString>

namespace redifine {

// One case of a golden folder (format of ../shared/golden/README.md) run through our implementation.
struct GoldenCase
{
    QString name;
    double maxAbsError = 0.0;
    double maxRelError = 0.0;
    double tolerance = 0.0;   // on the absolute error
    bool passed = false;
    QString note;             // why a case could not run, or what was compared
};

// Runs every case whose files are in `dir`: the UNet (cases a and b), the VAE (encoder moments, sample,
// decoder), the CLIP text encoder (every hidden state, last and CLIP-skip-2 outputs), the training noise
// schedule, the Euler-ancestral trajectories of every timestep spacing, the tokenizer's 40 prompts and the single-file checkpoint against the diffusers weights.
// Throws InputError when the folder holds none of them.
QList<GoldenCase> checkGoldenFolder(const QString &dir);

} // namespace redifine
