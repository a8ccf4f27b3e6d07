#include "core/metrics/ImageResize_p.h"

#include <cmath>
#include <cstring>

namespace redifine {

namespace {

at::Tensor imageTensor(const QImage &image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    at::Tensor bytes = at::empty({rgb.height(), rgb.width(), 3}, at::kByte);
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(bytes.data_ptr<uint8_t>() + size_t(y) * rgb.width() * 3, rgb.constScanLine(y), size_t(rgb.width()) * 3);
    return bytes.permute({2, 0, 1}).to(at::kFloat).div(255.0).unsqueeze(0);
}

at::Tensor resize(const at::Tensor &x, int64_t height, int64_t width)
{
    if (x.size(2) == height && x.size(3) == width)
        return x;
    return at::_upsample_bicubic2d_aa(x, {height, width}, /*align_corners=*/false).clamp(0.0, 1.0);
}

} // namespace

at::Tensor resizeAntialiased(const QImage &image, int height, int width)
{
    return resize(imageTensor(image), height, width).squeeze(0);
}

at::Tensor resizeShortSideAndCrop(const QImage &image, int size)
{
    const at::Tensor x = imageTensor(image);
    const double scale = double(size) / std::min(x.size(2), x.size(3));
    const int64_t h = std::max<int64_t>(size, std::lround(x.size(2) * scale)), w = std::max<int64_t>(size, std::lround(x.size(3) * scale));
    const at::Tensor resized = resize(x, h, w);
    const int64_t top = (h - size) / 2, left = (w - size) / 2;
    return resized.slice(2, top, top + size).slice(3, left, left + size).squeeze(0).contiguous();
}

} // namespace redifine
