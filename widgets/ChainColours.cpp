#include "widgets/ChainColours.h"

#include "core/analysis/ColourMap.h"

#include <iterator>

namespace redifine {

QColor chainColour(int index)
{
    static const QColor palette[] = {QColor(0, 114, 178), QColor(213, 94, 0), QColor(0, 158, 115), QColor(204, 121, 167),
                                     QColor(230, 159, 0), QColor(86, 180, 233), QColor(0, 0, 0), QColor(240, 228, 66)};
    return palette[index % int(std::size(palette))];
}

QColor iterationColour(int iteration, int iterations)
{
    return viridis(iterations > 0 ? 0.9 * double(iteration) / iterations : 0.0);
}

} // namespace redifine
