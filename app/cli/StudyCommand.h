#pragma once

#include "app/cli/Arguments.h"

#include <QTextStream>

namespace redifine::cli {

// redifine study SWEEP_DIR: a sweep's chains grouped into conditions over seeds, with intervals, comparisons and
// figures (core/study).
int commandStudy(Arguments &args, QTextStream &out);

} // namespace redifine::cli
