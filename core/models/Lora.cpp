#include "core/models/Lora_p.h"

#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/models/LoraNames.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <map>

namespace redifine {

namespace {

// PEFT keeps alpha in adapter_config.json next to the weights instead of in the file; 0 when there is none.
double peftAlpha(const QString &weightsPath)
{
    const QString config = QFileInfo(weightsPath).dir().filePath(QStringLiteral("adapter_config.json"));
    return json::readObjectFile(config).value(QStringLiteral("lora_alpha")).toDouble(0.0);
}

std::string kohyaName(const std::string &prefix, std::string path)
{
    for (char &c : path)
        if (c == '.')
            c = '_';
    return prefix + path;
}

void collect(torch::nn::Module &root, const std::string &prefix, bool unet,
             std::vector<std::pair<std::string, LoraTarget *>> &out)
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

QString shapeText(c10::IntArrayRef sizes)
{
    return QString::fromStdString(c10::str(sizes));
}

} // namespace

std::pair<std::string, std::string> kohyaHashes(const NamedTensors &tensors, const std::map<std::string, std::string> &metadata)
{
    QByteArray data;
    for (const auto &entry : tensors) {
        const at::Tensor t = entry.second.detach().to(at::kCPU).contiguous();
        data.append(static_cast<const char *>(t.data_ptr()), qsizetype(t.numel() * t.element_size()));
    }
    std::map<std::string, std::string> training;   // kohya hashes with its "ss_" metadata only: the rest may change
    for (const auto &[key, value] : metadata)
        if (key.rfind("ss_", 0) == 0)
            training.emplace(key, value);
    const QByteArray legacyFile = safetensorsHeader(tensors, training) + data;
    return {QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex().toStdString(),
            QCryptographicHash::hash(legacyFile.mid(0x100000, 0x10000), QCryptographicHash::Sha256).toHex().left(8).toStdString()};
}

std::vector<std::pair<std::string, LoraTarget *>> loraTargets(torch::nn::Module &unet, torch::nn::Module &textEncoder)
{
    std::vector<std::pair<std::string, LoraTarget *>> targets;
    collect(unet, "lora_unet_", true, targets);
    collect(textEncoder, "lora_te_", false, targets);
    return targets;
}

std::vector<std::pair<std::string, LoraTarget *>> loconTargets(torch::nn::Module &unet)
{
    std::vector<std::pair<std::string, LoraTarget *>> targets;
    for (const auto &item : unet.named_modules("", false)) {
        torch::nn::Module *block = item.value().get();
        if (!dynamic_cast<ResnetBlock2DImpl *>(block) && !dynamic_cast<Downsample2DImpl *>(block) && !dynamic_cast<Upsample2DImpl *>(block))
            continue;
        for (const auto &child : block->named_children())
            if (auto *layer = dynamic_cast<LoraTarget *>(child.value().get()))
                targets.emplace_back(kohyaName("lora_unet_", item.key() + "." + child.key()), layer);
    }
    return targets;
}

LoraNetwork::LoraNetwork(torch::nn::Module &unet, torch::nn::Module &textEncoder, const LoraSettings &settings, uint64_t seed)
    : m_multiplier(settings.multiplier)
{
    if (settings.rank < 1)
        throw InputError("finetune.lora_rank: must be at least 1");
    if (!(settings.alpha >= 0))
        throw InputError("finetune.lora_alpha: must be >= 0");
    if (settings.convRank < 0)
        throw InputError("finetune.conv_rank: must be >= 0 (0: no LoCon adapters)");
    if (!(settings.convAlpha >= 0))
        throw InputError("finetune.conv_alpha: must be >= 0");
    std::vector<std::pair<std::string, LoraTarget *>> targets = loraTargets(unet, textEncoder);
    if (settings.convRank > 0 && settings.unet) {
        const std::vector<std::pair<std::string, LoraTarget *>> locon = loconTargets(unet);
        targets.insert(targets.end(), locon.begin(), locon.end());
    }
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    for (const auto &[name, layer] : targets) {
        const bool isUnet = name.rfind("lora_unet_", 0) == 0;
        if ((isUnet && !settings.unet) || (!isUnet && !settings.textEncoder))
            continue;
        const bool spatial = layer->hasSpatialKernel();
        const int64_t r = spatial ? settings.convRank : settings.rank;
        const double alpha = spatial ? settings.convAlpha : settings.alpha;
        Adapter a;
        a.name = name;
        a.layer = layer;
        a.unet = isUnet;
        a.alpha = alpha == 0 ? double(r) : alpha;
        a.down = at::empty(layer->downShape(r));
        a.up = at::zeros(layer->upShape(r));
        // kaiming_uniform_(a = sqrt 5): bound = sqrt(6 / ((1 + 5) fan_in)) = 1 / sqrt(fan_in), fan_in = in x kh x kw
        const double bound = 1.0 / std::sqrt(double(a.down[0].numel()));
        a.down.uniform_(-bound, bound, generator);
        const at::Device device = layer->loraWeight().device();
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
    std::map<std::string, LoraTarget *> byName;
    for (const auto &[name, layer] : loraTargets(unet, textEncoder))
        byName[name] = layer;
    for (const auto &[name, layer] : loconTargets(unet))
        byName[name] = layer;
    // Tensor keys by adapter (kohya name) and role, whatever naming the file uses (LoraNames.h).
    std::map<std::string, std::map<LoraKey::Role, std::string>> keys;
    for (const TensorEntry &entry : reader.header().tensors)
        if (const std::optional<LoraKey> key = parseLoraKey(entry.name)) {
            // One weight under two namings (kohya's and PEFT's) would leave which copy is drawn to chance.
            if (const auto held = keys[key->adapter].find(key->role); held != keys[key->adapter].end())
                throw InputError(QStringLiteral("%1: tensors \"%2\" and \"%3\" are the same weight of LoRA \"%4\"; a file must hold it once")
                                     .arg(path, QString::fromStdString(held->second), QString::fromStdString(entry.name),
                                          QString::fromStdString(key->adapter))
                                     .toStdString());
            keys[key->adapter][key->role] = entry.name;
        } else if (isUnappliedAdapterTensor(entry.name))   // drawing without it would be a silently different image
            throw InputError(QStringLiteral("%1: tensor \"%2\" is not a LoRA or LoCon down, up or alpha tensor, so it cannot be "
                                            "applied (a misspelt name, or a LoHa, LoKr, DoRA or Tucker factor)")
                                 .arg(path, QString::fromStdString(entry.name))
                                 .toStdString());
    const double fileAlpha = peftAlpha(path);
    for (const auto &[name, roles] : keys) {
        const auto fail = [&](const QString &problem) {
            throw InputError(QStringLiteral("%1: LoRA \"%2\": %3").arg(path, QString::fromStdString(name), problem).toStdString());
        };
        const auto it = byName.find(name);
        if (it == byName.end())
            fail(QStringLiteral("no such layer in this model (a LoRA for another architecture?)"));
        if (!roles.count(LoraKey::Down) || !roles.count(LoraKey::Up))
            fail(roles.count(LoraKey::Down) ? QStringLiteral("the up weight is missing") : QStringLiteral("the down weight is missing"));
        double alpha = fileAlpha;
        if (roles.count(LoraKey::Alpha)) {
            const at::Tensor value = reader.tensor(roles.at(LoraKey::Alpha));
            if (value.numel() != 1)
                fail(QStringLiteral("alpha must be one number, not a tensor of shape %1").arg(shapeText(value.sizes())));
            alpha = value.to(at::kDouble).item<double>();
        }
        if (!(alpha >= 0.0 && alpha <= 1e6))
            fail(QStringLiteral("alpha %1 is outside [0, 1e6]").arg(alpha));
        Adapter a;
        a.name = name;
        a.layer = it->second;
        a.unet = name.rfind("lora_unet_", 0) == 0;
        const at::Device device = a.layer->loraWeight().device();
        a.down = reader.tensor(roles.at(LoraKey::Down)).to(device, at::kFloat);
        a.up = reader.tensor(roles.at(LoraKey::Up)).to(device, at::kFloat);
        if (a.down.dim() < 2 || a.up.dim() < 2)
            fail(QStringLiteral("down and up weights must be matrices or conv kernels, not of shapes %1 / %2")
                     .arg(shapeText(a.down.sizes()), shapeText(a.up.sizes())));
        const int64_t rank = a.down.size(0);
        if (rank < 1)
            fail(QStringLiteral("rank 0 (a down weight of shape %1 has no rows)").arg(shapeText(a.down.sizes())));
        const std::vector<int64_t> downShape = a.layer->downShape(rank), upShape = a.layer->upShape(rank);
        // Linear-shaped adapters of a 1x1 convolution (some tools save them 2-D) take the conv's 4-D shape.
        if (downShape.size() == 4 && !a.layer->hasSpatialKernel() && a.down.dim() == 2 && a.up.dim() == 2) {
            a.down = a.down.view({a.down.size(0), a.down.size(1), 1, 1});
            a.up = a.up.view({a.up.size(0), a.up.size(1), 1, 1});
        }
        if (a.down.sizes() != at::IntArrayRef(downShape) || a.up.sizes() != at::IntArrayRef(upShape))
            fail(QStringLiteral("shapes %1 / %2 do not fit the layer (expected %3 / %4: a down of its input and kernel, "
                                "an up of its outputs)")
                     .arg(shapeText(a.down.sizes()), shapeText(a.up.sizes()), shapeText(downShape), shapeText(upShape)));
        // alpha: the file's, else PEFT's adapter_config.json; 0 or missing means alpha = rank (kohya, diffusers).
        a.alpha = alpha == 0.0 ? double(rank) : alpha;
        m_adapters.push_back(std::move(a));
    }
    if (m_adapters.empty())
        throw InputError(QStringLiteral("%1: no LoRA tensors found (kohya lora_down/lora_up, PEFT lora_A/lora_B or diffusers names)").arg(path).toStdString());
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
    const auto add = [&](const std::string &name, const at::Tensor &down, const at::Tensor &up, double alpha) {
        tensors.emplace_back(name + ".lora_down.weight", down.detach().to(at::kCPU, dtype).contiguous());
        tensors.emplace_back(name + ".lora_up.weight", up.detach().to(at::kCPU, dtype).contiguous());
        tensors.emplace_back(name + ".alpha", at::scalar_tensor(alpha, at::kFloat).to(dtype));
    };
    for (const Adapter &a : m_adapters)
        add(a.name, a.down, a.up, a.alpha);
    // safetensors' own writer orders tensors by dtype, then name; kohya's hashes assume that order.
    std::sort(tensors.begin(), tensors.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    const auto firstWhere = [&](bool spatial) {
        return std::find_if(m_adapters.begin(), m_adapters.end(), [&](const Adapter &a) { return a.layer->hasSpatialKernel() == spatial; });
    };
    metadata.emplace("ss_network_module", "networks.lora");
    if (const auto plain = firstWhere(false); plain != m_adapters.end()) {
        metadata.emplace("ss_network_dim", std::to_string(plain->down.size(0)));
        metadata.emplace("ss_network_alpha", c10::str(plain->alpha));
    }
    // kohya keeps --network_args as a JSON object of strings: {"conv_dim": "8", "conv_alpha": "1.0"}
    if (const auto conv = firstWhere(true); conv != m_adapters.end())
        metadata.emplace("ss_network_args", QJsonDocument(QJsonObject{{QStringLiteral("conv_dim"), QString::number(conv->down.size(0))},
                                                                      {QStringLiteral("conv_alpha"), QString::fromStdString(c10::str(conv->alpha))}})
                                                .toJson(QJsonDocument::Compact).toStdString());
    const auto [modelHash, legacyHash] = kohyaHashes(tensors, metadata);
    metadata["sshs_model_hash"] = modelHash;
    metadata["sshs_legacy_hash"] = legacyHash;
    writeSafetensors(path, tensors, metadata);
}

void LoraNetwork::merge()
{
    for (Adapter &a : m_adapters)
        a.layer->mergeLora();
    m_adapters.clear();
}

} // namespace redifine
