#pragma once
// Core-internal: QImage <-> LibTorch tensors.

#include <ATen/ATen.h>

#include <QImage>
#include <QList>

namespace redifine {

// [N, 3, H, W] float in [-1, 1] from RGB888 images of equal size.
at::Tensor imagesToTensor(const QList<QImage> &images);
// One image from [3, H, W] in [0, 1].
QImage tensorToImage(const at::Tensor &image);

} // namespace redifine
