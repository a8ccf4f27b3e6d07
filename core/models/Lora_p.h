#pragma once
// Core-internal: LoRA adapters as kohya-ss networks/lora.py makes them, saved in its safetensors format.

#include "core/io/TensorIo_p.h"
#include "core/models/Layers_p.h"

#include <QString>

namespace redifine {

struct LoraSettings
{
    int rank = 32;
    double alpha = 8.0;        // kohya's network_alpha; the update is scaled by multiplier * alpha / rank
    double multiplier = 1.0;
    bool unet = true;          // adapters on the UNet's transformer blocks
    bool textEncoder = true;   // adapters on the text encoder's attention and MLP
};

// The adapters of one model: one (down, up, alpha) per targeted layer, attached to the layers while alive.
class LoraNetwork
{
public:
    struct Adapter
    {
        std::string name;              // kohya key prefix, e.g. lora_unet_down_blocks_0_..._attn1_to_q
        AdaptableLinearImpl *layer = nullptr;
        at::Tensor down;
        at::Tensor up;
        double alpha = 0.0;
        bool unet = true;
    };

    // Fresh adapters: down kaiming-uniform(a = sqrt 5) from `seed`, up zeros, so the model is unchanged.
    LoraNetwork(torch::nn::Module &unet, torch::nn::Module &textEncoder, const LoraSettings &settings, uint64_t seed);
    // Adapters from a LoRA file in kohya, PEFT or diffusers naming (LoraNames.h; PEFT's alpha from an
    // adapter_config.json beside the file). Throws InputError naming the file and the first adapter that has
    // no matching layer, a missing half or a wrong shape.
    LoraNetwork(torch::nn::Module &unet, torch::nn::Module &textEncoder, const QString &path, double multiplier = 1.0);
    ~LoraNetwork();
    LoraNetwork(const LoraNetwork &) = delete;
    LoraNetwork &operator=(const LoraNetwork &) = delete;

    // A LoCon adapter (kohya's conv_dim) of a layer outside the transformer blocks: a ResNet block's 3x3 conv1 /
    // conv2, 1x1 conv_shortcut or time_emb_proj, a down- or upsampler's conv. Its down is a conv of the layer's
    // kernel (or a Linear), its up a 1x1 conv, so up(down(x)) is the layer's own operation with the weight
    // up.flatten(1) @ down.flatten(1): it is added to the weight while loaded (as A1111 applies LoRAs) and the
    // weight is restored exactly when the network goes.
    struct MergedAdapter
    {
        std::string name;
        at::Tensor weight;     // the layer's weight, changed in place
        at::Tensor original;   // its values before
        at::Tensor down;
        at::Tensor up;
        double alpha = 0.0;
    };

    const std::vector<Adapter> &adapters() const { return m_adapters; }
    const std::vector<MergedAdapter> &mergedAdapters() const { return m_merged; }
    std::vector<at::Tensor> parameters(bool unet) const;
    // Writes the kohya file atomically: "<name>.lora_down.weight", "<name>.lora_up.weight", "<name>.alpha", all in
    // `dtype` (kohya's save_precision) and in safetensors' own order (by name), with kohya's sshs_model_hash
    // and sshs_legacy_hash (kohyaHashes) added to `metadata`.
    void save(const QString &path, at::ScalarType dtype = at::kFloat,
              std::map<std::string, std::string> metadata = {}) const;
    // Folds every adapter into its layer's weight and detaches it.
    void merge();

private:
    void attach();
    std::vector<Adapter> m_adapters;
    std::vector<MergedAdapter> m_merged;
    double m_multiplier = 1.0;
};

// The hashes kohya's save_weights stores (library/train_util.py precalculate_safetensors_hashes), for tensors
// in the order the file holds them: sshs_model_hash = SHA-256 of the data section (what A1111 and
// sd-webui-additional-networks compute for a .safetensors file); sshs_legacy_hash = the first 8 hex digits of
// the SHA-256 of bytes 0x100000 .. 0x110000 of the same file written with only the "ss_" metadata.
std::pair<std::string, std::string> kohyaHashes(const NamedTensors &tensors, const std::map<std::string, std::string> &metadata);

// Every LoRA target of a model with its kohya name: "lora_unet_" / "lora_te_" + module path with "." as "_".
std::vector<std::pair<std::string, AdaptableLinearImpl *>> loraTargets(torch::nn::Module &unet, torch::nn::Module &textEncoder);

} // namespace redifine
