#pragma once

#include "app/cli/Arguments.h"

#include <QTextStream>

namespace redifine::cli {

// redifine spectrum / fingerprint / tsne / metrics run: the analyses of core/analysis over image folders and feature files.
int commandSpectrum(Arguments &args, QTextStream &out);
int commandFingerprint(Arguments &args, QTextStream &out);
int commandTsne(Arguments &args, QTextStream &out);
int commandMetricsRun(Arguments &args, QTextStream &out);

} // namespace redifine::cli
