#pragma once

#include "app/cli/Arguments.h"

#include <QTextStream>

namespace redifine::cli {

// Each command of the redifine CLI (the table in Cli.cpp), grouped by the file that holds it. A command reads
// its options from `args`, writes results to `out`, and throws InputError (exit 2) or another exception (exit 1).

// RuntimeCommands.cpp: the machine and its speed.
int commandInfo(Arguments &args, QTextStream &out);
int commandBench(Arguments &args, QTextStream &out);

// ModelCommands.cpp: data, models and images.
int commandDataset(Arguments &args, QTextStream &out);
int commandPretrain(Arguments &args, QTextStream &out);
int commandPretrainClip(Arguments &args, QTextStream &out);
int commandGenerate(Arguments &args, QTextStream &out);
int commandAutoencode(Arguments &args, QTextStream &out);
int commandCheckGolden(Arguments &args, QTextStream &out);

// ChainCommands.cpp: Chains of Diffusion, sweeps of them, and the demo that runs one.
int commandChain(Arguments &args, QTextStream &out);
int commandSweep(Arguments &args, QTextStream &out);
int commandDemo(Arguments &args, QTextStream &out);

// StudyCommand.cpp: a sweep's chains grouped into conditions over seeds, with intervals, comparisons and figures.
int commandStudy(Arguments &args, QTextStream &out);

// AnalysisCommands.cpp: the analyses of core/analysis and core/metrics over image folders and feature files.
int commandSpectrum(Arguments &args, QTextStream &out);
int commandFingerprint(Arguments &args, QTextStream &out);
int commandTsne(Arguments &args, QTextStream &out);
int commandMetrics(Arguments &args, QTextStream &out);

} // namespace redifine::cli
