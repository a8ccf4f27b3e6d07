#include "core/models/Lora_p.h"

#include "core/common/Error.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <map>

namespace redifine {

namespace {

std::string kohyaName(const std::string &prefix, std::string path)
{
    for (char &c : path)
        if (c == '.')
            c = '_';
    return prefix + path;
}

void collect(torch::nn::Module &root, const std::string &prefix, bool unet,
             std::vector<std::pair<std::string, AdaptableLinearImpl *>> &out)
{
    for (const auto &item : root.named_modules("", false)) {
        auto *layer = dynamic_cast<AdaptableLinearImpl *>(item.value().get());
        if (!layer)
            continue;
        // UNet: only layers inside Transformer2D blocks ("attentions."), as kohya targets Transformer2DModel.
        // Text encoder: self_attn and mlp layers, kohya's CLIPAttention and CLIPMLP.
        const std::string &path = item.key();
        const bool target = unet ? path.find("attentions.") != std::string::npos
                                 : (path.find("self_attn.") != std::string::npos || path.find("mlp.") != std::string::npos);
        if (target)
            out.emplace_back(kohyaName(prefix, path), layer);
    }
}

} // namespace

std::vector<std::pair<std::string, AdaptableLinearImpl *>> loraTargets(torch::nn::Module &unet, torch::nn::Module &textEncoder)
{
    std::vector<std::pair<std::string, AdaptableLinearImpl *>> targets;
    collect(unet, "lora_unet_", true, targets);
    collect(textEncoder, "lora_te_", false, targets);
    return targets;
}

LoraNetwork::LoraNetwork(torch::nn::Module &unet, torch::nn::Module &textEncoder, const LoraSettings &settings, uint64_t seed)
    : m_multiplier(settings.multiplier)
{
    if (settings.rank < 1)
        throw InputError("finetune.lora_rank: must be at least 1");
    if (!(settings.alpha >= 0))
        throw InputError("finetune.lora_alpha: must be >= 0");
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    for (const auto &[name, layer] : loraTargets(unet, textEncoder)) {
        const bool isUnet = name.rfind("lora_unet_", 0) == 0;
        if ((isUnet && !settings.unet) || (!isUnet && !settings.textEncoder))
            continue;
        Adapter a;
        a.name = name;
        a.layer = layer;
        a.unet = isUnet;
        a.alpha = settings.alpha == 0 ? settings.rank : settings.alpha;
        const int64_t in = layer->inFeatures(), out = layer->outFeatures(), r = settings.rank;
        a.down = layer->isConv() ? at::empty({r, in, 1, 1}) : at::empty({r, in});
        a.up = layer->isConv() ? at::zeros({out, r, 1, 1}) : at::zeros({out, r});
        // kaiming_uniform_(a = sqrt 5): bound = sqrt(6 / ((1 + 5) fan_in)) = 1 / sqrt(fan_in)
        const double bound = 1.0 / std::sqrt(double(in));
        a.down.uniform_(-bound, bound, generator);
        const at::Device device = layer->weight.device();
        a.down = a.down.to(device).set_requires_grad(true);
        a.up = a.up.to(device).set_requires_grad(true);
        m_adapters.push_back(std::move(a));
    }
    attach();
}

LoraNetwork::LoraNetwork(torch::nn::Module &unet, torch::nn::Module &textEncoder, const QString &path, double multiplier)
    : m_multiplier(multiplier)
{
    const SafetensorsReader reader(path);
    std::map<std::string, AdaptableLinearImpl *> byName;
    for (const auto &[name, layer] : loraTargets(unet, textEncoder))
        byName[name] = layer;
    const std::string downSuffix = ".lora_down.weight";
    for (const TensorEntry &entry : reader.header().tensors) {
        const std::string &key = entry.name;
        const bool isDown = key.size() > downSuffix.size() && key.compare(key.size() - downSuffix.size(), downSuffix.size(), downSuffix) == 0;
        if (!isDown)
            continue;
        const std::string name = key.substr(0, key.size() - downSuffix.size());
        const auto fail = [&](const QString &problem) {
            throw InputError(QStringLiteral("%1: LoRA \"%2\": %3").arg(path, QString::fromStdString(name), problem).toStdString());
        };
        const auto it = byName.find(name);
        if (it == byName.end())
            fail(QStringLiteral("no such layer in this model (a LoRA for another architecture?)"));
        if (!reader.contains(name + ".lora_up.weight"))
            fail(QStringLiteral("lora_up.weight is missing"));
        Adapter a;
        a.name = name;
        a.layer = it->second;
        a.unet = name.rfind("lora_unet_", 0) == 0;
        const at::Device device = a.layer->weight.device();
        a.down = reader.tensor(key).to(device, at::kFloat);
        a.up = reader.tensor(name + ".lora_up.weight").to(device, at::kFloat);
        const int64_t rank = a.down.size(0);
        const bool conv = a.layer->isConv();
        const std::vector<int64_t> downShape = conv ? std::vector<int64_t>{rank, a.layer->inFeatures(), 1, 1}
                                                    : std::vector<int64_t>{rank, a.layer->inFeatures()};
        const std::vector<int64_t> upShape = conv ? std::vector<int64_t>{a.layer->outFeatures(), rank, 1, 1}
                                                  : std::vector<int64_t>{a.layer->outFeatures(), rank};
        if (a.down.sizes() != at::IntArrayRef(downShape) || a.up.sizes() != at::IntArrayRef(upShape))
            fail(QStringLiteral("shapes %1 / %2 do not fit the layer (expected %3 / %4)")
                     .arg(QString::fromStdString(c10::str(a.down.sizes())), QString::fromStdString(c10::str(a.up.sizes())),
                          QString::fromStdString(c10::str(at::IntArrayRef(downShape))),
                          QString::fromStdString(c10::str(at::IntArrayRef(upShape)))));
        // alpha 0 or missing means alpha = rank (kohya).
        a.alpha = reader.contains(name + ".alpha") ? reader.tensor(name + ".alpha").to(at::kDouble).item<double>() : 0.0;
        if (a.alpha == 0.0)
            a.alpha = double(rank);
        m_adapters.push_back(std::move(a));
    }
    if (m_adapters.empty())
        throw InputError(QStringLiteral("%1: no LoRA tensors (*.lora_down.weight) found").arg(path).toStdString());
    attach();
}

LoraNetwork::~LoraNetwork()
{
    for (Adapter &a : m_adapters)
        a.layer->clearLora();
}

void LoraNetwork::attach()
{
    for (Adapter &a : m_adapters)
        a.layer->setLora(a.down, a.up, m_multiplier * a.alpha / double(a.down.size(0)));
}

std::vector<at::Tensor> LoraNetwork::parameters(bool unet) const
{
    std::vector<at::Tensor> out;
    for (const Adapter &a : m_adapters) {
        if (a.unet == unet) {
            out.push_back(a.down);
            out.push_back(a.up);
        }
    }
    return out;
}

void LoraNetwork::save(const QString &path, at::ScalarType dtype, std::map<std::string, std::string> metadata) const
{
    NamedTensors tensors;
    for (const Adapter &a : m_adapters) {
        tensors.emplace_back(a.name + ".lora_down.weight", a.down.detach().to(at::kCPU, dtype));
        tensors.emplace_back(a.name + ".lora_up.weight", a.up.detach().to(at::kCPU, dtype));
        tensors.emplace_back(a.name + ".alpha", at::scalar_tensor(a.alpha, at::kFloat).to(dtype));
    }
    if (!m_adapters.empty()) {
        metadata.emplace("ss_network_module", "networks.lora");
        metadata.emplace("ss_network_dim", std::to_string(m_adapters.front().down.size(0)));
        metadata.emplace("ss_network_alpha", c10::str(m_adapters.front().alpha));
    }
    writeSafetensors(path, tensors, metadata);
}

void LoraNetwork::merge()
{
    for (Adapter &a : m_adapters)
        a.layer->mergeLora();
    m_adapters.clear();
}

} // namespace redifine
