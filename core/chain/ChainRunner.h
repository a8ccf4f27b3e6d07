#pragma once

#include "core/chain/ChainConfig.h"

#include <functional>

namespace redifine {

struct ChainProgress
{
    int iteration = 0;        // 0 = preparing D_0
    int iterations = 0;
    QString phase;            // "dataset", "finetune", "generate", "analyse"
    int step = 0;
    int total = 0;
    double loss = 0.0;        // finetune phase
    double etaSeconds = -1;   // of the current phase; < 0 when unknown
};

struct ChainCallbacks
{
    std::function<void(const ChainProgress &)> progress;
    std::function<void(int iteration)> iterationDone;
    std::function<bool()> cancelled;
    std::function<void(const QString &)> warning;   // something the user must hear of, such as a skipped D_0 image
};

// Runs the chain into `runDir`, or continues it from its last complete iteration, and inside a generation
// from the last batch of images written. A run folder made with other settings is refused (InputError),
// never mixed. Invalid settings and a missing dataset are refused before anything is written. Returns true
// when all iterations are complete, false when cancelled (the folder stays consistent).
bool runChain(const ChainConfig &config, const QString &runDir, const ChainCallbacks &callbacks = {});

// The config a run folder was made with (its chain.json).
ChainConfig chainConfigOfRun(const QString &runDir);

} // namespace redifine
