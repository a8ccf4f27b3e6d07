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
    bool fileCheck = false;   // a file of SHA256SUMS checked against its checksum, not a comparison
};

// Runs every case whose files are in `dir`: the UNet (cases a and b), the VAE (encoder moments, sample,
// decoder), the CLIP text encoder (every hidden state, last and CLIP-skip-2 outputs), the training noise
// schedule, the Euler-ancestral trajectories of every timestep spacing, the tokenizer's 40 prompts and the single-file checkpoint against the diffusers weights.
// Every file SHA256SUMS lists is checked against its checksum first (fileCheck cases); a case file present
// without the files its cases need is a failed case. Throws InputError when the folder holds none of them, or
// when a case file cannot be parsed (it is never skipped).
QList<GoldenCase> checkGoldenFolder(const QString &dir);

} // namespace redifine
