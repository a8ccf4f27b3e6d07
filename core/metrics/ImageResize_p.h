#pragma once
// Core-internal: images to network inputs with antialiased resizing.

#include <ATen/ATen.h>

#include <QImage>

namespace redifine {

// [3, height, width] float in [0, 1]: the image resized (ignoring its aspect ratio) with antialiased
// bicubic interpolation, as PIL's BICUBIC does when shrinking.
at::Tensor resizeAntialiased(const QImage &image, int height, int width);

// [3, size, size]: the short side resized to `size` (antialiased bicubic), then the centre cropped (CLIP).
at::Tensor resizeShortSideAndCrop(const QImage &image, int size);

} // namespace redifine
