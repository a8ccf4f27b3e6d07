#include "core/train/TinyClipTraining.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/data/ImageFolder.h"
#include "core/data/ImageTensor_p.h"
#include "core/models/TinyClip_p.h"
#include "core/train/TrainingSupport_p.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/utils/clip_grad.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>

#include <chrono>

namespace redifine {

namespace {

// Each image moved by up to `shift` pixels in x and y, the uncovered border white ([-1, 1] images).
at::Tensor randomShift(const at::Tensor &images, int shift, at::Generator &g)
{
    if (shift <= 0)
        return images;
    const int64_t size = images.size(2);
    const at::Tensor padded = at::constant_pad_nd(images, {shift, shift, shift, shift}, 1.0);
    const at::Tensor offsets = at::randint(0, 2 * shift + 1, {images.size(0), 2}, g, at::kLong);
    std::vector<at::Tensor> shifted;
    for (int64_t i = 0; i < images.size(0); ++i) {
        const int64_t dy = offsets[i][0].item<int64_t>(), dx = offsets[i][1].item<int64_t>();
        shifted.push_back(padded[i].slice(1, dy, dy + size).slice(2, dx, dx + size));
    }
    return at::stack(shifted);
}

RetrievalAccuracy retrieval(const at::Tensor &queries, const at::Tensor &candidates)
{
    const at::Tensor q = queries / queries.norm(2, 1, true);
    const at::Tensor c = candidates / candidates.norm(2, 1, true);
    const at::Tensor similarity = at::matmul(q, c.t());
    const at::Tensor own = similarity.diagonal().unsqueeze(1);
    // Rank of the matching candidate: how many others score strictly higher.
    const at::Tensor rank = (similarity > own).sum(1);
    RetrievalAccuracy r;
    r.candidates = int(candidates.size(0));
    r.top1 = (rank < 1).to(at::kDouble).mean().item<double>();
    r.top5 = (rank < 5).to(at::kDouble).mean().item<double>();
    return r;
}

} // namespace

TinyClipResult trainTinyClip(const TinyClipTrainOptions &o, const std::function<void(const TinyClipProgress &)> &progress,
                             const std::function<bool()> &cancelled)
{
    if (o.steps < 1 || o.batchSize < 2)
        throw InputError("pretrain-clip: --steps must be at least 1 and --batch at least 2");
    const QDir out(o.outDir);
    const QString statePath = out.filePath(QStringLiteral("clip-state.json"));
    const QString checkpointPath = out.filePath(QStringLiteral("clip-checkpoint.pt"));
    if (!o.resume && QFile::exists(statePath))
        throw InputError(QStringLiteral("%1: holds an earlier tiny-clip training; pass --resume to continue it or choose another --out")
                             .arg(o.outDir)
                             .toStdString());
    QJsonObject state = o.resume ? json::readObjectFile(statePath) : QJsonObject();

    TinyClipConfig config;
    const ImageFolder folder = loadEveryImageOf(o.dataDir, config.resolution, QStringLiteral("pretrain-clip --data"));
    if (!state.isEmpty() && state.value(QStringLiteral("dataset_hash")).toString() != folder.contentHash)
        throw InputError(QStringLiteral("%1: the data folder changed since this training started (content hash differs)").arg(o.dataDir).toStdString());
    // Everything the run reads is checked; only now is anything written.
    if (const QString why = makeFolder(o.outDir); !why.isEmpty())
        throw InputError(QStringLiteral("%1: cannot create the output folder (%2)").arg(o.outDir, why).toStdString());
    const HeldOutSplit split = splitHeldOut(folder, o.holdoutEvery);
    config.vocabulary = WordTokenizer::build(split.trainCaptions, config.maxTokens).toJson();
    TinyClip model(config, o.seed);
    const at::Tensor images = imagesToTensor(split.trainImages);
    const at::Tensor tokens = model->tokenize(split.trainCaptions);
    const int64_t n = images.size(0);
    const int64_t batch = std::min<int64_t>(o.batchSize, n);

    std::vector<at::Tensor> params = model->parameters();
    torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(o.lr).weight_decay(o.weightDecay));
    const NamedModules modules{{"", model.get()}};
    std::vector<at::Tensor> noEma;
    int step = state.value(QStringLiteral("step")).toInt();
    if (state.isEmpty()) {
        state = QJsonObject{{QStringLiteral("step"), 0}, {QStringLiteral("dataset_hash"), folder.contentHash},
                            {QStringLiteral("held_out_files"), QJsonArray::fromStringList(split.heldOutFiles)}};
        json::writeObjectFileAtomically(statePath, state);
    } else if (step > 0) {
        loadCheckpoint(checkpointPath, modules, noEma, optimizer);
    }

    TinyClipResult result;
    const auto start = std::chrono::steady_clock::now();
    const int firstStep = step;
    model->train();
    for (; step < o.steps; ++step) {
        if (cancelled && cancelled()) {
            result.cancelled = true;
            return result;
        }
        // Seeded by (seed, step): a resumed run repeats exactly.
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(o.seed * 1000003ULL + 31ULL * uint64_t(step) + 7ULL);
        const at::Tensor index = at::randperm(n, g, at::kLong).slice(0, 0, batch);
        setLr(optimizer, scheduledLr(o.lr, step, o.steps, o.warmupSteps));
        const at::Tensor x = randomShift(images.index_select(0, index), o.shift, g);
        const at::Tensor loss = model->contrastiveLoss(model->encodeImages(x), model->encodeTokens(tokens.index_select(0, index)));
        const double value = loss.item<double>();
        checkFiniteLoss(value, QStringLiteral("tiny-clip"), step + 1);
        optimizer.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(params, 1.0);
        optimizer.step();
        if (progress) {
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            progress({step + 1, o.steps, value, elapsed / (step + 1 - firstStep)});
        }
        if ((step + 1) % o.checkpointEvery == 0 || step + 1 == o.steps) {
            saveCheckpoint(checkpointPath, modules, noEma, optimizer);
            state.insert(QStringLiteral("step"), step + 1);
            json::writeObjectFileAtomically(statePath, state);
        }
    }

    model->eval();
    {
        const at::NoGradGuard noGrad;
        const at::Tensor heldImages = model->encodeImages(imagesToTensor(split.heldOutImages));
        const at::Tensor heldText = model->encodeTokens(model->tokenize(split.heldOutCaptions));
        result.captionToImage = retrieval(heldText, heldImages);
        result.imageToCaption = retrieval(heldImages, heldText);
    }
    result.modelPath = out.filePath(QStringLiteral("tiny-clip.safetensors"));
    model->save(result.modelPath, at::kHalf);
    state.insert(QStringLiteral("caption_to_image"), QJsonObject{{QStringLiteral("candidates"), result.captionToImage.candidates},
                                                                  {QStringLiteral("top1"), result.captionToImage.top1},
                                                                  {QStringLiteral("top5"), result.captionToImage.top5}});
    state.insert(QStringLiteral("image_to_caption"), QJsonObject{{QStringLiteral("top1"), result.imageToCaption.top1},
                                                                  {QStringLiteral("top5"), result.imageToCaption.top5}});
    state.insert(QStringLiteral("done"), true);
    json::writeObjectFileAtomically(statePath, state);
    return result;
}

} // namespace redifine
