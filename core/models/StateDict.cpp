#include "core/models/StateDict_p.h"

#include "core/common/Error.h"

namespace redifine {

void loadWeights(torch::nn::Module &module, const SafetensorsReader &reader, const std::string &prefix,
                 const QString &what)
{
    loadWeights(module, reader, [&prefix](const std::string &name) { return prefix + name; }, what);
}

void loadWeights(torch::nn::Module &module, const SafetensorsReader &reader,
                 const std::function<std::string(const std::string &)> &checkpointName, const QString &what)
{
    torch::NoGradGuard noGrad;
    QStringList problems;
    int count = 0;
    for (auto &item : module.named_parameters(true)) {
        const std::string key = checkpointName(item.key());
        const TensorEntry *entry = reader.header().find(key);
        at::Tensor &target = item.value();
        if (!entry) {
            ++count;
            if (problems.size() < 5)
                problems << QStringLiteral("missing %1").arg(QString::fromStdString(key));
            continue;
        }
        std::vector<int64_t> shape = entry->shape;
        if (int64_t(shape.size()) == target.dim() + 2 && shape[shape.size() - 1] == 1 && shape[shape.size() - 2] == 1)
            shape.resize(shape.size() - 2);
        if (at::IntArrayRef(shape) != target.sizes()) {
            ++count;
            if (problems.size() < 5)
                problems << QStringLiteral("%1 has shape %2, expected %3")
                                .arg(QString::fromStdString(key),
                                     QString::fromStdString(c10::str(at::IntArrayRef(entry->shape))),
                                     QString::fromStdString(c10::str(target.sizes())));
            continue;
        }
        target.copy_(reader.tensor(key).view(target.sizes()));
    }
    if (count > 0)
        throw InputError(QStringLiteral("%1: not a %2 checkpoint: %3 tensor(s) missing or mis-shaped (%4%5)")
                             .arg(reader.path(), what)
                             .arg(count)
                             .arg(problems.join(QStringLiteral("; ")), count > problems.size() ? QStringLiteral("; ...") : QString())
                             .toStdString());
}

NamedTensors weightsOf(const torch::nn::Module &module, const std::string &prefix, at::ScalarType dtype)
{
    NamedTensors out;
    for (const auto &item : module.named_parameters(true))
        out.emplace_back(prefix + item.key(), item.value().detach().to(at::kCPU, dtype));
    return out;
}

int64_t parameterCount(const torch::nn::Module &module)
{
    int64_t total = 0;
    for (const at::Tensor &p : module.parameters(true))
        total += p.numel();
    return total;
}

} // namespace redifine
