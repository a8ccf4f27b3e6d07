#include "core/models/StateDict_p.h"

#include "core/common/Error.h"

namespace redifine {

void loadWeights(torch::nn::Module &module, const SafetensorsReader &reader, const std::string &prefix,
                 const QString &what)
{
    loadWeights(module, reader, [&prefix](const std::string &name) { return prefix + name; }, what);
}

TensorShapes tensorShapes(const SafetensorsReader &reader)
{
    TensorShapes shapes;
    for (const TensorEntry &entry : reader.header().tensors)
        shapes[entry.name] = entry.shape;
    return shapes;
}

namespace {

// The checkpoint's shape with trailing 1x1 dimensions dropped when the parameter is the 2-D form.
std::vector<int64_t> fittedShape(std::vector<int64_t> shape, int64_t parameterDims)
{
    if (int64_t(shape.size()) == parameterDims + 2 && shape[shape.size() - 1] == 1 && shape[shape.size() - 2] == 1)
        shape.resize(shape.size() - 2);
    return shape;
}

} // namespace

void checkLayout(const torch::nn::Module &module, const TensorShapes &shapes,
                 const std::function<std::string(const std::string &)> &checkpointName, const QString &what,
                 const QString &source)
{
    QStringList problems;
    int count = 0;
    for (const auto &item : module.named_parameters(true)) {
        const std::string key = checkpointName(item.key());
        const auto found = shapes.find(key);
        const at::Tensor &target = item.value();
        QString problem;
        if (found == shapes.end())
            problem = QStringLiteral("missing %1").arg(QString::fromStdString(key));
        else if (at::IntArrayRef(fittedShape(found->second, target.dim())) != target.sizes())
            problem = QStringLiteral("%1 has shape %2, expected %3")
                          .arg(QString::fromStdString(key), QString::fromStdString(c10::str(at::IntArrayRef(found->second))),
                               QString::fromStdString(c10::str(target.sizes())));
        if (problem.isEmpty())
            continue;
        if (++count <= 5)
            problems << problem;
    }
    if (count > 0)
        throw InputError(QStringLiteral("%1: not a %2 checkpoint: %3 tensor(s) missing or mis-shaped (%4%5)")
                             .arg(source, what)
                             .arg(count)
                             .arg(problems.join(QStringLiteral("; ")), count > problems.size() ? QStringLiteral("; ...") : QString())
                             .toStdString());
}

void loadWeights(torch::nn::Module &module, const SafetensorsReader &reader,
                 const std::function<std::string(const std::string &)> &checkpointName, const QString &what)
{
    checkLayout(module, tensorShapes(reader), checkpointName, what, reader.path());
    torch::NoGradGuard noGrad;
    for (auto &item : module.named_parameters(true)) {
        at::Tensor &target = item.value();
        target.copy_(reader.tensor(checkpointName(item.key())).view(target.sizes()));
    }
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
