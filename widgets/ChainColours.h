#pragma once

#include <QColor>

namespace redifine {

// The colour of the i-th chain in a view. Every view gets the runs in the same order (the selection order),
// so one chain has one colour across the grid, the plots and the legends. Okabe-Ito: colour-blind safe.
QColor chainColour(int index);

// Iterations 0..K of one chain as a sequential ramp (viridis), so degradation reads from dark to light.
QColor iterationColour(int iteration, int iterations);

} // namespace redifine
