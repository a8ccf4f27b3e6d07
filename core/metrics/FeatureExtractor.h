#pragma once

#include "core/io/Npy.h"

#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace redifine {

// Images in, one feature row per image out: what FD, KID, precision/recall, SFD, Vendi and t-SNE measure in.
// Images are resized to the network's input with an antialiased bicubic filter (PIL-style, LibTorch's
// _upsample_bicubic2d_aa): unantialiased resizing shifts FD by whole points (clean-fid's finding).
class FeatureExtractor
{
public:
    virtual ~FeatureExtractor() = default;
    virtual QString name() const = 0;   // file-name safe: "tiny-clip", "dinov2", "clip"
    virtual NpyArray imageFeatures(const QList<QImage> &images) = 0;
    // Extractors with a text tower (tiny-clip, CLIP) embed prompts for the CLIP score; others throw InputError.
    virtual bool hasText() const { return false; }
    virtual NpyArray textFeatures(const QStringList &texts);
};

// "tiny-clip" (the shipped weights), "tiny-clip:PATH", "dinov2:PATH" or "clip:PATH" (Hugging Face
// model.safetensors files). Throws InputError naming the setting and the file to point it at.
std::unique_ptr<FeatureExtractor> makeFeatureExtractor(const QString &spec);

// torchmetrics' CLIP score: 100 x cosine of the L2-normalised image and text embeddings of each pair,
// averaged, then clamped at 0.
double clipScore(const NpyArray &imageFeatures, const NpyArray &textFeatures);

} // namespace redifine
