#include "core/train/TrainingSupport_p.h"

#include "core/common/Error.h"

#include <torch/serialize.h>

#include <QFile>

#include <cmath>

namespace redifine {

double scheduledLr(double peak, int step, int total, int warmup)
{
    if (step < warmup)
        return peak * double(step + 1) / warmup;
    const double progress = double(step - warmup) / std::max(1, total - warmup);
    return peak * (0.1 + 0.9 * 0.5 * (1.0 + std::cos(3.14159265358979 * progress)));
}

void setLr(torch::optim::AdamW &optimizer, double lr)
{
    for (auto &group : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);
}

void saveCheckpoint(const QString &path, const NamedModules &modules,
                    const std::vector<at::Tensor> &ema, torch::optim::Optimizer &optimizer)
{
    torch::serialize::OutputArchive archive;
    for (const auto &[prefix, module] : modules)
        for (const auto &item : module->named_parameters())
            archive.write(prefix + item.key(), item.value().detach());
    for (size_t i = 0; i < ema.size(); ++i)
        archive.write("ema." + std::to_string(i), ema[i]);
    torch::serialize::OutputArchive optimizerArchive;
    optimizer.save(optimizerArchive);
    archive.write("optimizer", optimizerArchive);
    const QString temporary = path + QStringLiteral(".tmp");
    archive.save_to(temporary.toStdString());
    QFile::remove(path);
    if (!QFile::rename(temporary, path))
        throw RuntimeError(QStringLiteral("%1: cannot move the checkpoint into place").arg(path).toStdString());
}

void loadCheckpoint(const QString &path, const NamedModules &modules,
                    std::vector<at::Tensor> &ema, torch::optim::Optimizer &optimizer)
{
    torch::NoGradGuard noGrad;
    torch::serialize::InputArchive archive;
    archive.load_from(path.toStdString());
    for (const auto &[prefix, module] : modules)
        for (auto &item : module->named_parameters()) {
            at::Tensor value;
            archive.read(prefix + item.key(), value);
            item.value().copy_(value);
        }
    for (size_t i = 0; i < ema.size(); ++i)
        archive.read("ema." + std::to_string(i), ema[i]);
    torch::serialize::InputArchive optimizerArchive;
    archive.read("optimizer", optimizerArchive);
    optimizer.load(optimizerArchive);
}

void checkFiniteLoss(double loss, const QString &phase, int step)
{
    if (!std::isfinite(loss))
        throw RuntimeError(QStringLiteral("pretrain: the %1 loss became %2 at step %3; lower the learning rate and resume")
                               .arg(phase, std::isnan(loss) ? QStringLiteral("NaN") : QStringLiteral("infinite"))
                               .arg(step)
                               .toStdString());
}

} // namespace redifine
