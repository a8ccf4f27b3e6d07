#pragma once
// Core-internal: the image towers of DINOv2 (transformers' Dinov2Model) and CLIP (CLIPVisionModel with its
// visual projection), and CLIP's text tower with its projection, run from the weights of a Hugging Face
// model.safetensors by their checkpoint names. Inference only, so the forward passes are written as
// functions over the named tensors; sizes are read from the tensor shapes.

#include "core/models/TextEncoder_p.h"

#include <ATen/ATen.h>

#include <QString>

#include <map>
#include <memory>
#include <string>

namespace redifine {

class VisionTransformer
{
public:
    enum class Family { DinoV2, Clip };

    // Throws InputError naming the file when a tensor the family needs is missing or mis-shaped.
    VisionTransformer(const QString &path, Family family);

    Family family() const { return m_family; }
    int inputSize() const { return 224; }
    int width() const { return m_width; }
    int layers() const { return m_layers; }
    // pixels [B, 3, 224, 224], normalised with the family's mean and std -> [B, features]: DINOv2's CLS token
    // after the final layer norm; CLIP's projected image embedding.
    at::Tensor forward(const at::Tensor &pixels) const;
    // Images in [0, 1] -> normalised pixels (ImageNet mean/std for DINOv2, CLIP's for CLIP).
    at::Tensor normalise(const at::Tensor &images) const;

private:
    const at::Tensor &w(const std::string &name) const;
    at::Tensor positions(int64_t gridH, int64_t gridW) const;
    at::Tensor block(const at::Tensor &x, int layer) const;

    Family m_family;
    QString m_path;
    std::map<std::string, at::Tensor> m_weights;
    int m_width = 0;
    int m_layers = 0;
    int m_heads = 1;
    int m_patch = 14;
    double m_eps = 1e-6;
};

// CLIP's text tower: the CLIP text transformer (TextEncoder_p.h), pooled at the end-of-text token and
// projected, as CLIPModel.get_text_features.
class ClipTextTower
{
public:
    explicit ClipTextTower(const QString &path);
    at::Tensor forward(const at::Tensor &inputIds);   // [B, 77] -> [B, projection]

private:
    TextEncoder m_encoder{nullptr};
    at::Tensor m_projection;
};

} // namespace redifine
