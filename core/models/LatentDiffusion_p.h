#pragma once
// Core-internal: a text-to-image latent diffusion model (autoencoder, text encoder, UNet, tokenizer) of
// either family, with the operations the chain needs: encode text, predict noise, encode/decode images.

#include "core/models/Autoencoder_p.h"
#include "core/models/ClipTokenizer.h"
#include "core/models/ModelConfigs.h"
#include "core/models/ModelSource.h"
#include "core/models/StableDiffusionCheckpoint_p.h"
#include "core/models/TextEncoder_p.h"
#include "core/models/UNet_p.h"
#include "core/models/WordTokenizer.h"

#include <QStringList>

#include <memory>

namespace redifine {

class LatentDiffusion
{
public:
    // Freshly initialised weights (torch's default initialisation, seeded).
    LatentDiffusion(const LatentDiffusionConfig &config, uint64_t seed);
    // A model file written by save(): one safetensors file, "unet." / "vae." / "text_encoder." tensors, the
    // config in the metadata key "redifine_config". Throws InputError naming the file.
    static std::unique_ptr<LatentDiffusion> load(const QString &path, const at::Device &device = at::kCPU);
    // Stable Diffusion 1.x from the user's checkpoint (StableDiffusionCheckpoint_p.h): one .safetensors file or
    // a diffusers folder. The tokenizer is the folder's tokenizer/ or the shipped CLIP ViT-L/14 one; images
    // are `resolution` pixels square (512 for SD1.5). Throws InputError naming the file or the setting.
    static std::unique_ptr<LatentDiffusion> loadStableDiffusion(const QString &path, int resolution,
                                                                const at::Device &device = at::kCPU);
    // Either of the two, as the source says.
    static std::unique_ptr<LatentDiffusion> load(const ModelSource &source);
    // The same from modules already made (stableDiffusionModules() for SD1.5's architecture with random
    // weights, as the benchmark uses); `path` names them in errors.
    static std::unique_ptr<LatentDiffusion> fromStableDiffusion(StableDiffusionWeights weights, int resolution,
                                                                const at::Device &device, const QString &path);
    // The tiny family only (an sd15 model's weights are the user's checkpoint; chains save adapters).
    void save(const QString &path, at::ScalarType dtype = at::kFloat) const;

    const LatentDiffusionConfig &config() const { return m_config; }
    void setLatentScale(double scale) { m_config.vae.scalingFactor = scale; }
    const at::Device &device() const { return m_device; }
    // Moves all parts; on CUDA the UNet's weights become fp16 (fp32 again on the CPU).
    void to(const at::Device &device);
    // On the CPU, the UNet's and text encoder's matrix products in bf16 (CpuBf16_p.h); off by default.
    void setCpuBf16(bool enabled) { m_cpuBf16 = enabled; }
    bool cpuBf16() const { return m_cpuBf16; }

    at::Tensor tokenize(const QStringList &prompts) const;                 // [B, maxTokens] int64
    at::Tensor encodeText(const QStringList &prompts, int clipSkip = 1);   // [B, maxTokens, D]
    // eps in fp32, under fp16 autocast on CUDA
    at::Tensor predictNoise(const at::Tensor &latents, const at::Tensor &timesteps, const at::Tensor &context);
    // images in [-1, 1] -> latents scaled for the UNet (mean, or a sample with `unitNoise`)
    at::Tensor encodeImages(const at::Tensor &images, const at::Tensor &unitNoise = {});
    at::Tensor decodeLatents(const at::Tensor &scaledLatents);   // -> images in about [-1, 1]

    UNet unet{nullptr};
    TextEncoder textEncoder{nullptr};
    Autoencoder vae{nullptr};

private:
    LatentDiffusion() = default;
    LatentDiffusionConfig m_config;
    WordTokenizer m_tokenizer;                      // tiny
    std::shared_ptr<const ClipTokenizer> m_clip;    // sd15
    at::Device m_device = at::kCPU;
    bool m_cpuBf16 = false;
};

} // namespace redifine
