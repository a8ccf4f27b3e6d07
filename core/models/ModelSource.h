#pragma once

#include <QString>

namespace redifine {

// Where a command's model comes from: a tiny-family file (the shipped base model when the user names none) or a
// Stable Diffusion 1.x checkpoint (one .safetensors file or a diffusers folder) drawn at `resolution` pixels.
struct ModelSource
{
    QString path;
    bool stableDiffusion = false;
    int resolution = 512;   // of SD1.x images; a tiny-family file carries its own
};

} // namespace redifine
