#pragma once

#include "core/models/ModelSource.h"

#include <QString>

namespace redifine {

// The autoencoder's round trip of an image folder: each image encoded to its latent mean and decoded again,
// written under its own name to `outDir`. It is the best any chain of that model can draw D_0: a finetune that
// reproduced D_0's latents exactly would still show these images, so their distance to D_0 (`metrics run`) is
// the floor under every FD_1 of the model.
struct AutoencodeRequest
{
    ModelSource model;
    QString imagesDir;
    QString outDir;
};

struct AutoencodeResult
{
    int images = 0;
    double psnr = 0.0;   // dB, over every 8-bit channel value of the written images against the originals
};

// Throws InputError naming the folder or model (images whose size is not the model's, none at all, an output
// folder that cannot be made) and RuntimeError for what fails while writing.
AutoencodeResult runAutoencode(const AutoencodeRequest &request);

} // namespace redifine
