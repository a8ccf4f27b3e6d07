#pragma once
// Names of LoRA tensors in the files other tools write, mapped onto kohya's adapter names ("lora_unet_" /
// "lora_te_" + the module path with "." as "_"), which is how adapters are named here.

#include <optional>
#include <string>

namespace redifine {

struct LoraKey
{
    enum Role { Down, Up, Alpha };
    std::string adapter;   // kohya name, e.g. lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q
    Role role = Down;
};

// The adapter and role of one tensor key of a LoRA file in any of these namings; nullopt for a key that is
// not a LoRA tensor (e.g. DoRA magnitudes, which are not supported):
// - kohya-ss: lora_unet_<path>.lora_down.weight / .lora_up.weight / .alpha, lora_te_<path>...
// - PEFT and diffusers >= 0.24: [base_model.model.][unet.|text_encoder.]<path>.lora_A[.default].weight / lora_B
// - diffusers' lora_linear_layer and .lora.down/.lora.up naming
// - diffusers' attention-processor files: <attention>.processor.to_q_lora.down.weight (to_k, to_v, to_out;
//   on the text encoder these are q_proj, k_proj, v_proj, out_proj)
// A path under text_model. (or a text_encoder. prefix) is the text encoder's; anything else the UNet's.
std::optional<LoraKey> parseLoraKey(const std::string &key);
// A tensor of an adapter file that parseLoraKey does not read but that changes the model when applied (kohya's
// namespace with another suffix, LyCORIS's LoHa/LoKr factors, DoRA magnitudes, Tucker mid weights). Loaders refuse
// such files instead of applying the LoRA part alone.
bool isUnappliedAdapterTensor(const std::string &key);

} // namespace redifine
