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

    const std::vector<Adapter> &adapters() const { return m_adapters; }
    std::vector<at::Tensor> parameters(bool unet) const;
    // Writes the kohya file atomically: "<name>.lora_down.weight", "<name>.lora_up.weight", "<name>.alpha".
    void save(const QString &path, at::ScalarType dtype = at::kFloat,
              std::map<std::string, std::string> metadata = {}) const;
    // Folds every adapter into its layer's weight and detaches it.
    void merge();

private:
    void attach();
    std::vector<Adapter> m_adapters;
    double m_multiplier = 1.0;
};

// Every LoRA target of a model with its kohya name: "lora_unet_" / "lora_te_" + module path with "." as "_".
std::vector<std::pair<std::string, AdaptableLinearImpl *>> loraTargets(torch::nn::Module &unet, torch::nn::Module &textEncoder);

} // namespace redifine
