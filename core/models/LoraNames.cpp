#include "core/models/LoraNames.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace redifine {

namespace {

bool startsWith(const std::string &s, const std::string &prefix)
{
    return s.compare(0, prefix.size(), prefix) == 0;
}

bool endsWith(const std::string &s, const std::string &suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool stripPrefix(std::string &s, const std::string &prefix)
{
    if (!startsWith(s, prefix))
        return false;
    s.erase(0, prefix.size());
    return true;
}

void replaceAll(std::string &s, const std::string &from, const std::string &to)
{
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

// Old attention-processor names of the projections (to_q_lora ...) -> the layer's own name.
std::string processorTarget(const std::string &name, bool textEncoder)
{
    if (!textEncoder)
        return name == "to_out" ? "to_out.0" : name;
    static const std::vector<std::pair<std::string, std::string>> clip{{"to_q", "q_proj"}, {"to_k", "k_proj"}, {"to_v", "v_proj"}, {"to_out", "out_proj"}};
    for (const auto &[from, to] : clip)
        if (name == from)
            return to;
    return name;
}

} // namespace

bool isUnappliedAdapterTensor(const std::string &key)
{
    if (parseLoraKey(key))
        return false;
    if (startsWith(key, "lora_unet_") || startsWith(key, "lora_te"))
        return true;
    for (const char *marker : {".hada_", ".lokr_", "dora_scale", "lora_magnitude_vector", ".lora_mid."})
        if (key.find(marker) != std::string::npos)
            return true;
    return false;
}

std::optional<LoraKey> parseLoraKey(const std::string &key)
{
    if (startsWith(key, "lora_unet_") || startsWith(key, "lora_te_")) {
        for (const auto &[suffix, role] : {std::pair{std::string(".lora_down.weight"), LoraKey::Down},
                                           std::pair{std::string(".lora_up.weight"), LoraKey::Up},
                                           std::pair{std::string(".alpha"), LoraKey::Alpha}})
            if (endsWith(key, suffix))
                return LoraKey{key.substr(0, key.size() - suffix.size()), role};
        return std::nullopt;
    }

    std::string path = key;
    replaceAll(path, ".processor.", ".");
    stripPrefix(path, "base_model.model.");
    bool textEncoder = false;
    if (stripPrefix(path, "text_encoder."))
        textEncoder = true;
    else if (!stripPrefix(path, "unet."))
        textEncoder = startsWith(path, "text_model.");

    static const std::vector<std::pair<std::string, LoraKey::Role>> suffixes{
        {".lora_A.weight", LoraKey::Down}, {".lora_B.weight", LoraKey::Up},
        {".lora_A.default.weight", LoraKey::Down}, {".lora_B.default.weight", LoraKey::Up},
        {".lora_linear_layer.down.weight", LoraKey::Down}, {".lora_linear_layer.up.weight", LoraKey::Up},
        {".lora.down.weight", LoraKey::Down}, {".lora.up.weight", LoraKey::Up},
        {".alpha", LoraKey::Alpha}};
    for (const auto &[suffix, role] : suffixes) {
        if (!endsWith(path, suffix))
            continue;
        std::string module = path.substr(0, path.size() - suffix.size());
        std::replace(module.begin(), module.end(), '.', '_');
        return LoraKey{(textEncoder ? "lora_te_" : "lora_unet_") + module, role};
    }
    for (const auto &[suffix, role] : {std::pair{std::string("_lora.down.weight"), LoraKey::Down},
                                       std::pair{std::string("_lora.up.weight"), LoraKey::Up}}) {
        if (!endsWith(path, suffix))
            continue;
        const std::string rest = path.substr(0, path.size() - suffix.size());   // <attention>.to_q
        const size_t dot = rest.rfind('.');
        std::string module = rest.substr(0, dot + 1) + processorTarget(rest.substr(dot + 1), textEncoder);
        std::replace(module.begin(), module.end(), '.', '_');
        return LoraKey{(textEncoder ? "lora_te_" : "lora_unet_") + module, role};
    }
    return std::nullopt;
}

} // namespace redifine
