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
    // kohya's conv_dim / conv_alpha (LoCon): when convRank > 0, the UNet's ResNet blocks and down- and
    // upsamplers are adapted too: their 3x3 convolutions with this rank and alpha, their 1x1 convolutions and
    // time_emb_proj with `rank` and `alpha`, as kohya's networks/lora.py does.
    int convRank = 0;
    double convAlpha = 1.0;    // kohya's default when conv_dim is given without conv_alpha
};

// The adapters of one model: one (down, up, alpha) per targeted layer, attached to the layers while alive.
class LoraNetwork
{
public:
    struct Adapter
    {
        std::string name;              // kohya key prefix, e.g. lora_unet_down_blocks_0_..._attn1_to_q
        LoraTarget *layer = nullptr;
        at::Tensor down;
        at::Tensor up;
        double alpha = 0.0;
        bool unet = true;
    };

    // Fresh adapters: down kaiming-uniform(a = sqrt 5) from `seed`, up zeros, so the model is unchanged.
    LoraNetwork(torch::nn::Module &unet, torch::nn::Module &textEncoder, const LoraSettings &settings, uint64_t seed);
    // Adapters from a LoRA or LoCon file in kohya, PEFT or diffusers naming (LoraNames.h; PEFT's alpha from an
    // adapter_config.json beside the file). Throws InputError naming the file and the first adapter that has
    // no matching layer, a missing half or a wrong shape.
    LoraNetwork(torch::nn::Module &unet, torch::nn::Module &textEncoder, const QString &path, double multiplier = 1.0);
    ~LoraNetwork();
    LoraNetwork(const LoraNetwork &) = delete;
    LoraNetwork &operator=(const LoraNetwork &) = delete;

    const std::vector<Adapter> &adapters() const { return m_adapters; }
    std::vector<at::Tensor> parameters(bool unet) const;
    // Writes the kohya file atomically: "<name>.lora_down.weight", "<name>.lora_up.weight", "<name>.alpha", all in
    // `dtype` (kohya's save_precision) and in safetensors' own order (by name), with kohya's sshs_model_hash
    // and sshs_legacy_hash (kohyaHashes) added to `metadata`, and its ss_network_args when there are LoCon adapters.
    void save(const QString &path, at::ScalarType dtype = at::kFloat,
              std::map<std::string, std::string> metadata = {}) const;
    // Folds every adapter into its layer's weight and detaches it.
    void merge();

private:
    void attach();
    std::vector<Adapter> m_adapters;
    double m_multiplier = 1.0;
};

// The hashes kohya's save_weights stores (library/train_util.py precalculate_safetensors_hashes), for tensors
// in the order the file holds them: sshs_model_hash = SHA-256 of the data section (what A1111 and
// sd-webui-additional-networks compute for a .safetensors file); sshs_legacy_hash = the first 8 hex digits of
// the SHA-256 of bytes 0x100000 .. 0x110000 of the same file written with only the "ss_" metadata.
std::pair<std::string, std::string> kohyaHashes(const NamedTensors &tensors, const std::map<std::string, std::string> &metadata);

// Every LoRA target of a model with its kohya name: "lora_unet_" / "lora_te_" + module path with "." as "_".
std::vector<std::pair<std::string, LoraTarget *>> loraTargets(torch::nn::Module &unet, torch::nn::Module &textEncoder);
// kohya's conv_dim targets, named likewise: every convolution and Linear inside the UNet's ResnetBlock2D,
// Downsample2D and Upsample2D modules.
std::vector<std::pair<std::string, LoraTarget *>> loconTargets(torch::nn::Module &unet);

} // namespace redifine
