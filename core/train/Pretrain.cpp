#include "core/train/Pretrain.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/data/ImageFolder.h"
#include "core/data/ImageTensor_p.h"
#include "core/models/LatentDiffusion_p.h"
#include "core/models/StateDict_p.h"
#include "core/train/Finetune_p.h"
#include "core/train/TrainingSupport_p.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cmath>

namespace redifine {

namespace {

using Clock = std::chrono::steady_clock;

// Image gradients (horizontal and vertical differences): the edge term compares these.
at::Tensor gradients(const at::Tensor &x)
{
    return at::cat({(x.slice(3, 1) - x.slice(3, 0, -1)).flatten(1), (x.slice(2, 1) - x.slice(2, 0, -1)).flatten(1)}, 1);
}

double psnr(const at::Tensor &a, const at::Tensor &b)
{
    // images in [-1, 1]: peak-to-peak 2
    const double mse = (a.clamp(-1, 1) - b).pow(2).mean().item<double>();
    return 10.0 * std::log10(4.0 / mse);
}

} // namespace

PretrainResult pretrain(const PretrainOptions &o, const std::function<void(const PretrainProgress &)> &progress,
                        const std::function<bool()> &cancelled)
{
    if (o.batchSize < 1 || o.vaeBatchSize < 1 || o.vaeSteps < 0 || o.diffusionSteps < 0)
        throw InputError("pretrain: --batch and --steps must be positive");
    const QDir out(o.outDir);
    const QString statePath = out.filePath(QStringLiteral("state.json"));
    const QString checkpointPath = out.filePath(QStringLiteral("checkpoint.pt"));
    QJsonObject state = o.resume ? json::readObjectFile(statePath) : QJsonObject();
    if (!o.resume && QFile::exists(statePath))
        throw InputError(QStringLiteral("%1: holds an earlier pretraining; pass --resume to continue it or choose another --out")
                             .arg(o.outDir)
                             .toStdString());

    LatentDiffusionConfig config = LatentDiffusionConfig::tinyDefault();
    if (o.unetAttention == QLatin1String("high"))
        config.unet.crossAttention = {true, true, false};
    else if (o.unetAttention != QLatin1String("low"))
        throw InputError(QStringLiteral("pretrain --unet-attention: must be low or high, got \"%1\"").arg(o.unetAttention).toStdString());
    if (o.unetWidth < 1 || o.unetWidth > kMaxUnetWidth)
        throw InputError(QStringLiteral("pretrain --unet-width: must be from 1 to %1, got %2").arg(kMaxUnetWidth).arg(o.unetWidth).toStdString());
    for (int &channels : config.unet.blockOutChannels)
        channels *= o.unetWidth;
    // A resumed run continues with the UNet layout, width and autoencoder it started with; states from before
    // these options hold their defaults.
    const int startedWidth = state.value(QStringLiteral("unet_width")).toInt(1);
    if (!state.isEmpty() && startedWidth != o.unetWidth)
        throw InputError(QStringLiteral("%1: this pretraining started with --unet-width %2, not %3")
                             .arg(o.outDir)
                             .arg(startedWidth)
                             .arg(o.unetWidth)
                             .toStdString());
    const QString startedLayout = state.value(QStringLiteral("unet_attention")).toString(QStringLiteral("low"));
    if (!state.isEmpty() && startedLayout != o.unetAttention)
        throw InputError(QStringLiteral("%1: this pretraining started with --unet-attention %2, not %3")
                             .arg(o.outDir, startedLayout, o.unetAttention)
                             .toStdString());
    const QString startedAutoencoder = state.value(QStringLiteral("autoencoder_from")).toString();
    if (!state.isEmpty() && startedAutoencoder != o.autoencoderPath) {
        const auto autoencoderText = [](const QString &path) {
            return path.isEmpty() ? QStringLiteral("its own autoencoder") : QStringLiteral("--autoencoder ") + path;
        };
        throw InputError(QStringLiteral("%1: this pretraining started with %2, not %3")
                             .arg(o.outDir, autoencoderText(startedAutoencoder), autoencoderText(o.autoencoderPath))
                             .toStdString());
    }
    if (!state.isEmpty()) {
        state.insert(QStringLiteral("unet_attention"), o.unetAttention);
        state.insert(QStringLiteral("unet_width"), o.unetWidth);
    }
    const ImageFolder folder = loadEveryImageOf(o.dataDir, config.resolution, QStringLiteral("pretrain --data"));
    if (!state.isEmpty() && state.value(QStringLiteral("dataset_hash")).toString() != folder.contentHash)
        throw InputError(QStringLiteral("%1: the data folder changed since this pretraining started (content hash differs)")
                             .arg(o.dataDir)
                             .toStdString());
    if (folder.images.size() < 2)
        throw InputError(QStringLiteral("%1: pretraining needs at least 2 images (one is held out to measure the autoencoder), found %2")
                             .arg(o.dataDir)
                             .arg(folder.images.size())
                             .toStdString());
    // A resumed run keeps the autoencoder steps it started with: a changed count would be silently ignored once
    // phase 1 is done, and would change its learning-rate schedule if it is not. States from before this record
    // take the current count.
    if (!state.isEmpty() && state.contains(QStringLiteral("vae_steps")) && state.value(QStringLiteral("vae_steps")).toInt() != o.vaeSteps)
        throw InputError(QStringLiteral("%1: this pretraining started with --vae-steps %2, not %3")
                             .arg(o.outDir)
                             .arg(state.value(QStringLiteral("vae_steps")).toInt())
                             .arg(o.vaeSteps)
                             .toStdString());
    if (!state.isEmpty())
        state.insert(QStringLiteral("vae_steps"), o.vaeSteps);
    const HeldOutSplit split = splitHeldOut(folder, o.holdoutEvery);
    QStringList vocabularyCaptions = split.trainCaptions;
    if (!o.vocabularyDir.isEmpty())
        vocabularyCaptions += loadEveryImageOf(o.vocabularyDir, config.resolution, QStringLiteral("pretrain --vocabulary")).captions;
    config.vocabulary = WordTokenizer::build(vocabularyCaptions, config.maxTokens).toJson();
    // A resumed run must embed the same words as the checkpoint it continues. States from before --vocabulary
    // did not record theirs: it was the training captions' words.
    if (!state.isEmpty()) {
        const QJsonArray started = state.contains(QStringLiteral("vocabulary"))
                                       ? state.value(QStringLiteral("vocabulary")).toArray()
                                       : WordTokenizer::build(split.trainCaptions, config.maxTokens).toJson();
        if (started != config.vocabulary)
            throw InputError(QStringLiteral("%1: the vocabulary differs from the one this pretraining started with (--vocabulary changed?)")
                                 .arg(o.outDir)
                                 .toStdString());
        state.insert(QStringLiteral("vocabulary"), config.vocabulary);
    }
    LatentDiffusion model(config, o.seed);
    // A given autoencoder is the starting point of phase 1: used as it is with vaeSteps 0, trained further otherwise.
    const bool givenAutoencoder = !o.autoencoderPath.isEmpty() && state.value(QStringLiteral("phase")).toString(QStringLiteral("autoencoder")) == QLatin1String("autoencoder");
    if (givenAutoencoder) {
        loadWeights(*model.vae, SafetensorsReader(o.autoencoderPath), "vae.", QStringLiteral("pretrain --autoencoder"));
        // The base model is saved in fp16: a weight beyond its range would make a file nothing can load.
        for (const auto &item : model.vae->named_parameters(true))
            if (item.value().abs().max().item<double>() > 65504.0)
                throw InputError(QStringLiteral("%1: tensor \"vae.%2\" holds values beyond half precision's range (65504); the base model is saved in fp16")
                                     .arg(o.autoencoderPath, QString::fromStdString(item.key()))
                                     .toStdString());
    }
    // Everything the run reads is checked; only now is anything written.
    if (const QString why = makeFolder(o.outDir); !why.isEmpty())
        throw InputError(QStringLiteral("%1: cannot create the output folder (%2)").arg(o.outDir, why).toStdString());
    const at::Tensor trainImages = imagesToTensor(split.trainImages);
    const at::Tensor heldOut = imagesToTensor(split.heldOutImages);
    const int64_t n = trainImages.size(0);

    if (state.isEmpty()) {
        state = QJsonObject{{QStringLiteral("phase"), QStringLiteral("autoencoder")},
                            {QStringLiteral("step"), 0},
                            {QStringLiteral("dataset_hash"), folder.contentHash},
                            {QStringLiteral("train_images"), int(n)},
                            {QStringLiteral("vocabulary"), config.vocabulary},
                            {QStringLiteral("unet_attention"), o.unetAttention},
                            {QStringLiteral("unet_width"), o.unetWidth},
                            {QStringLiteral("autoencoder_from"), o.autoencoderPath},
                            {QStringLiteral("vae_steps"), o.vaeSteps},
                            {QStringLiteral("held_out_files"), QJsonArray::fromStringList(split.heldOutFiles)}};
        json::writeObjectFileAtomically(statePath, state);
    }
    const int totalSteps = o.vaeSteps + o.diffusionSteps;
    // Speed over the recent steps of the current phase (one-time work such as encoding latents is left out).
    Clock::time_point phaseStart;
    QString currentPhase;
    int stepsInPhase = 0;
    const auto report = [&](const QString &phase, int step, int phaseTotal, int globalStep, double loss) {
        if (phase != currentPhase) {
            currentPhase = phase;
            phaseStart = Clock::now();
            stepsInPhase = 0;
        }
        ++stepsInPhase;
        const double perStep = stepsInPhase < 2 ? 0.0 : std::chrono::duration<double>(Clock::now() - phaseStart).count() / (stepsInPhase - 1);
        if (progress)
            progress({phase, step, phaseTotal, loss, perStep, perStep * (totalSteps - globalStep)});
    };
    PretrainResult result;
    // Every step draws from a generator seeded by (seed, phase, step): a resumed run repeats exactly.
    const auto stepGenerator = [&](int phase, int step) {
        return at::make_generator<at::CPUGeneratorImpl>(o.seed * 1000003ULL + uint64_t(phase) * 100000007ULL + uint64_t(step));
    };

    // Named in the errors of a broken autoencoder, trained here or given.
    const QString autoencoderOrigin = o.autoencoderPath.isEmpty() ? QString() : QStringLiteral(" from ") + o.autoencoderPath;

    // ---- phase 1: autoencoder ----
    const QString vaePath = out.filePath(QStringLiteral("autoencoder.safetensors"));
    if (state.value(QStringLiteral("phase")).toString() == QLatin1String("autoencoder")) {
        std::vector<at::Tensor> params = model.vae->parameters();
        torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(o.vaeLr).weight_decay(0.0));
        std::vector<at::Tensor> noEma;
        int step = state.value(QStringLiteral("step")).toInt();
        if (step > 0)
            loadCheckpoint(checkpointPath, {{"vae.", model.vae.get()}}, noEma, optimizer);
        for (; step < o.vaeSteps; ++step) {
            if (cancelled && cancelled()) {
                result.cancelled = true;
                return result;
            }
            at::Generator g = stepGenerator(1, step);
            const at::Tensor x = trainImages.index_select(0, at::randint(0, n, {o.vaeBatchSize}, g, at::kLong));
            setLr(optimizer, scheduledLr(o.vaeLr, step, o.vaeSteps, o.warmupSteps / 2));
            const LatentDistribution dist = model.vae->encode(x);
            const at::Tensor recon = model.vae->decode(dist.sample(at::randn(dist.mean.sizes(), g)));
            const at::Tensor kl = 0.5 * (dist.mean.pow(2) + at::exp(dist.logvar) - 1.0 - dist.logvar).mean();
            const at::Tensor loss = (recon - x).abs().mean() + o.edgeWeight * (gradients(recon) - gradients(x)).abs().mean()
                                    + o.klWeight * kl;
            const double value = loss.item<double>();
            checkFiniteLoss(value, QStringLiteral("autoencoder"), step + 1);
            optimizer.zero_grad();
            loss.backward();
            torch::nn::utils::clip_grad_norm_(params, 1.0);
            optimizer.step();
            report(QStringLiteral("autoencoder"), step + 1, o.vaeSteps, step + 1, value);
            if ((step + 1) % o.checkpointEvery == 0 || step + 1 == o.vaeSteps) {
                saveCheckpoint(checkpointPath, {{"vae.", model.vae.get()}}, noEma, optimizer);
                state.insert(QStringLiteral("step"), step + 1);
                json::writeObjectFileAtomically(statePath, state);
            }
        }
        // Scale latents to unit variance over the training set, as 0.18215 was measured for SD.
        torch::NoGradGuard noGrad;
        std::vector<at::Tensor> means;
        for (int64_t s = 0; s < n; s += 256)
            means.push_back(model.vae->encode(trainImages.slice(0, s, std::min<int64_t>(s + 256, n))).mean);
        const double scale = 1.0 / at::cat(means).std().item<double>();
        if (!std::isfinite(scale) || scale <= 0.0)
            throw RuntimeError(QStringLiteral("%1: the autoencoder%2 encodes the training images to non-finite or constant latents (latent scale %3)")
                                   .arg(o.outDir, autoencoderOrigin)
                                   .arg(scale)
                                   .toStdString());
        state.insert(QStringLiteral("latent_scale"), scale);
        writeSafetensors(vaePath, weightsOf(*model.vae, "vae."));
        state.insert(QStringLiteral("phase"), QStringLiteral("diffusion"));
        state.insert(QStringLiteral("step"), 0);
        json::writeObjectFileAtomically(statePath, state);
    }
    loadWeights(*model.vae, SafetensorsReader(vaePath), "vae.", QStringLiteral("autoencoder"));
    result.latentScale = state.value(QStringLiteral("latent_scale")).toDouble();
    model.setLatentScale(result.latentScale);
    {
        torch::NoGradGuard noGrad;
        const at::Tensor decoded = model.vae->decode(model.vae->encode(heldOut).mean);
        if (!at::isfinite(decoded).all().item<bool>())
            throw RuntimeError(QStringLiteral("%1: the autoencoder%2 decodes the held-out images to NaN or infinite values")
                                   .arg(o.outDir, autoencoderOrigin)
                                   .toStdString());
        result.heldOutPsnr = psnr(decoded, heldOut);
    }
    state.insert(QStringLiteral("held_out_psnr_db"), result.heldOutPsnr);

    // ---- phase 2: text encoder and UNet ----
    for (at::Tensor &p : model.vae->parameters())
        p.set_requires_grad(false);
    at::Tensor latentMean, latentStd;
    {
        torch::NoGradGuard noGrad;
        std::vector<at::Tensor> means, stds;
        for (int64_t s = 0; s < n; s += 256) {
            const LatentDistribution d = model.vae->encode(trainImages.slice(0, s, std::min<int64_t>(s + 256, n)));
            means.push_back(d.mean);
            stds.push_back(d.std());
        }
        latentMean = at::cat(means);
        latentStd = at::cat(stds);
    }
    std::vector<at::Tensor> params = model.unet->parameters();
    for (const at::Tensor &p : model.textEncoder->parameters())
        params.push_back(p);
    std::vector<at::Tensor> ema;
    for (const at::Tensor &p : params)
        ema.push_back(p.detach().clone());
    torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(o.diffusionLr).weight_decay(0.01));
    const NamedModules modules{{"unet.", model.unet.get()},
                                                                           {"text_encoder.", model.textEncoder.get()}};
    int step = state.value(QStringLiteral("step")).toInt();
    if (step > 0)
        loadCheckpoint(checkpointPath, modules, ema, optimizer);
    const NoiseSchedule schedule = NoiseSchedule::stableDiffusion();
    for (; step < o.diffusionSteps; ++step) {
        if (cancelled && cancelled()) {
            result.cancelled = true;
            return result;
        }
        at::Generator g = stepGenerator(2, step);
        const at::Tensor index = at::randint(0, n, {o.batchSize}, g, at::kLong);
        const at::Tensor x0 = (latentMean.index_select(0, index)
                               + latentStd.index_select(0, index) * at::randn({o.batchSize, latentMean.size(1), latentMean.size(2), latentMean.size(3)}, g))
                              * result.latentScale;
        QStringList captions;
        const int64_t *idx = index.data_ptr<int64_t>();
        for (int i = 0; i < o.batchSize; ++i)
            captions << split.trainCaptions.at(qsizetype(idx[i]));
        captions = dropCaptions(captions, o.conditionDrop, g);
        const at::Tensor noise = at::randn(x0.sizes(), g);
        const at::Tensor t = at::randint(0, schedule.trainSteps(), {o.batchSize}, g, at::kLong);
        const at::Tensor noisy = addNoise(x0, noise, t, schedule);
        setLr(optimizer, scheduledLr(o.diffusionLr, step, o.diffusionSteps, o.warmupSteps));
        const at::Tensor prediction = model.predictNoise(noisy, t.to(at::kFloat), model.encodeText(captions));
        const at::Tensor loss = diffusionLoss(prediction, noise, t, schedule, 5.0).mean();
        const double value = loss.item<double>();
        checkFiniteLoss(value, QStringLiteral("diffusion"), step + 1);
        optimizer.zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(params, 1.0);
        optimizer.step();
        {
            torch::NoGradGuard noGrad;
            const double decay = std::min(o.emaDecay, (1.0 + step) / (10.0 + step));   // warm-up of the average
            for (size_t i = 0; i < params.size(); ++i)
                ema[i].mul_(decay).add_(params[i].detach(), 1.0 - decay);
        }
        report(QStringLiteral("diffusion"), step + 1, o.diffusionSteps, o.vaeSteps + step + 1, value);
        if ((step + 1) % o.checkpointEvery == 0 || step + 1 == o.diffusionSteps) {
            saveCheckpoint(checkpointPath, modules, ema, optimizer);
            state.insert(QStringLiteral("step"), step + 1);
            json::writeObjectFileAtomically(statePath, state);
        }
    }

    // The shipped model carries the averaged weights.
    {
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < params.size(); ++i)
            params[i].copy_(ema[i]);
    }
    result.modelPath = out.filePath(QStringLiteral("tiny-base.safetensors"));
    model.save(result.modelPath, at::kHalf);
    state.insert(QStringLiteral("phase"), QStringLiteral("done"));
    json::writeObjectFileAtomically(statePath, state);
    return result;
}

} // namespace redifine
