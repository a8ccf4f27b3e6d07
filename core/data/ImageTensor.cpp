#include "core/data/ImageTensor_p.h"

#include <cstring>

namespace redifine {

at::Tensor imagesToTensor(const QList<QImage> &images)
{
    if (images.isEmpty())
        return at::empty({0, 3, 0, 0});
    const int h = images.first().height(), w = images.first().width();
    at::Tensor out = at::empty({int64_t(images.size()), h, w, 3}, at::kByte);
    uint8_t *data = out.data_ptr<uint8_t>();
    for (qsizetype i = 0; i < images.size(); ++i) {
        const QImage rgb = images[i].convertToFormat(QImage::Format_RGB888);
        for (int y = 0; y < h; ++y)
            std::memcpy(data + ((i * h + y) * w) * 3, rgb.constScanLine(y), size_t(w) * 3);
    }
    return out.permute({0, 3, 1, 2}).to(at::kFloat).div(127.5).sub(1.0).contiguous();
}

QImage tensorToImage(const at::Tensor &image)
{
    const at::Tensor bytes = image.detach().to(at::kCPU, at::kFloat).clamp(0, 1).mul(255).round().to(at::kByte).permute({1, 2, 0}).contiguous();
    const int h = int(bytes.size(0)), w = int(bytes.size(1));
    QImage out(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y)
        std::memcpy(out.scanLine(y), bytes.data_ptr<uint8_t>() + size_t(y) * w * 3, size_t(w) * 3);
    return out;
}

} // namespace redifine
