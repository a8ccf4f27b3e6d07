#pragma once

#include "core/io/Npy.h"

#include <QJsonObject>

#include <cstdint>
#include <vector>

namespace redifine {

// Every feature metric of a set of images against a reference set, as JSON: fd, fd_infinity, kid, precision, recall,
// density, coverage, vendi, and with the optional inputs sfd (row i of `current` paired with row
// referenceRowOfImage[i] of `reference`) and clip_score (text embeddings, one row per image). A metric that
// cannot be computed for these inputs (too few images) is listed under "skipped" with the reason, so one
// small set does not lose the others.
QJsonObject featureMetricSuite(const NpyArray &reference, const NpyArray &current, const std::vector<int64_t> &referenceRowOfImage = {},
                               const NpyArray *textOfImage = nullptr);

} // namespace redifine
