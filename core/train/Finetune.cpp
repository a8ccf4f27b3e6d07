#include "core/train/Finetune_p.h"

#include "core/common/Error.h"
#include "core/models/CudaAutocast_p.h"
#include "core/models/LatentDiffusion_p.h"
#include "core/train/MultiTensorAdamW_p.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>

namespace redifine {

namespace {

void validate(const FinetuneSettings &s, const TrainingData &data)
{
    const auto fail = [](const char *field, const char *problem) {
        throw InputError(std::string("finetune.") + field + ": " + problem);
    };
    if (s.batchSize < 1)
        fail("batch_size", "must be at least 1");
    if (s.epochs < 1 && s.maxSteps < 1)
        fail("epochs", "must be at least 1");
    if (!(s.conditionDrop >= 0.0 && s.conditionDrop <= 1.0))
        fail("condition_drop", "must lie in [0, 1]");
    if (!(s.unetLr >= 0.0) || !(s.textEncoderLr >= 0.0))
        fail("learning_rate", "must be >= 0");
    if (!(s.minSnrGamma >= 0.0))
        fail("min_snr_gamma", "must be >= 0 (0 disables it)");
    if (!s.trainUnet && !s.trainTextEncoder)
        fail("train", "train the UNet, the text encoder or both");
    if (!data.images.defined() || data.images.size(0) == 0)
        throw InputError("finetune: no training images");
    if (data.images.size(0) != data.captions.size())
        throw InputError("finetune: the number of captions does not match the number of images");
    if (!data.repeats.empty() && (int64_t(data.repeats.size()) != data.images.size(0)
                                  || *std::min_element(data.repeats.begin(), data.repeats.end()) < 1))
        throw InputError("finetune: repeats need one count >= 1 per image");
}

} // namespace

int finetuneSteps(int images, const FinetuneSettings &settings)
{
    if (settings.maxSteps > 0)
        return settings.maxSteps;
    const int perEpoch = (images + settings.batchSize - 1) / settings.batchSize;
    return perEpoch * settings.epochs;
}

QStringList dropCaptions(const QStringList &captions, double p, at::Generator &generator)
{
    QStringList out = captions;
    if (p <= 0.0)
        return out;
    const at::Tensor draws = at::rand({int64_t(captions.size())}, generator, at::kDouble);
    const double *values = draws.data_ptr<double>();
    for (qsizetype i = 0; i < out.size(); ++i)
        if (values[i] < p)
            out[i].clear();
    return out;
}

at::Tensor addNoise(const at::Tensor &x0, const at::Tensor &noise, const at::Tensor &timesteps, const NoiseSchedule &schedule)
{
    const int64_t b = x0.size(0);
    std::vector<float> signal, noiseScale;
    const at::Tensor t = timesteps.to(at::kCPU, at::kLong);
    for (int64_t i = 0; i < b; ++i) {
        const double abar = schedule.alphasCumprod()[size_t(t[i].item<int64_t>())];
        signal.push_back(float(std::sqrt(abar)));
        noiseScale.push_back(float(std::sqrt(1.0 - abar)));
    }
    return x0 * at::tensor(signal).to(x0.device()).view({b, 1, 1, 1})
           + noise * at::tensor(noiseScale).to(x0.device()).view({b, 1, 1, 1});
}

at::Tensor diffusionLoss(const at::Tensor &prediction, const at::Tensor &target, const at::Tensor &timesteps,
                         const NoiseSchedule &schedule, double minSnrGamma)
{
    at::Tensor loss = (prediction.to(at::kFloat) - target.to(at::kFloat)).pow(2).flatten(1).mean(1);
    if (minSnrGamma > 0.0) {
        std::vector<float> weights;
        const at::Tensor t = timesteps.to(at::kCPU, at::kLong);
        for (int64_t i = 0; i < t.size(0); ++i)
            weights.push_back(float(schedule.minSnrWeight(int(t[i].item<int64_t>()), minSnrGamma)));
        loss = loss * at::tensor(weights).to(loss.device());
    }
    return loss;
}

FinetuneResult finetune(LatentDiffusion &model, LoraNetwork &lora, const TrainingData &data,
                        const FinetuneSettings &settings, const std::function<bool()> &cancelled,
                        const std::function<void(const TrainStep &)> &onStep)
{
    validate(settings, data);
    const at::Device device = model.device();
    const bool cuda = device.is_cuda();
    const NoiseSchedule schedule = NoiseSchedule::stableDiffusion();
    at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(settings.seed);

    // The base model is frozen; only the adapters learn.
    for (torch::nn::Module *m : {static_cast<torch::nn::Module *>(model.unet.get()),
                                 static_cast<torch::nn::Module *>(model.textEncoder.get()),
                                 static_cast<torch::nn::Module *>(model.vae.get())})
        for (at::Tensor &p : m->parameters())
            p.set_requires_grad(false);

    // Latents are encoded once (and once more flipped), as kohya's cache_latents does.
    at::Tensor latents, flipped;
    {
        torch::NoGradGuard noGrad;
        std::vector<at::Tensor> plain, mirrored;
        const int64_t down = int64_t(1) << (model.config().vae.blockOutChannels.size() - 1);
        for (int64_t start = 0; start < data.images.size(0); start += 16) {
            const at::Tensor batch = data.images.slice(0, start, std::min<int64_t>(start + 16, data.images.size(0)));
            const std::vector<int64_t> shape{batch.size(0), model.config().vae.latentChannels, batch.size(2) / down,
                                             batch.size(3) / down};
            plain.push_back(model.encodeImages(batch, at::randn(shape, generator)));
            if (settings.flip)
                mirrored.push_back(model.encodeImages(batch.flip({3}), at::randn(shape, generator)));
        }
        latents = at::cat(plain);
        if (settings.flip)
            flipped = at::cat(mirrored);
    }

    std::vector<MultiTensorAdamW::Group> groups;
    std::vector<at::Tensor> trainable;
    for (const bool unet : {true, false}) {
        std::vector<at::Tensor> params = lora.parameters(unet);
        if (params.empty())
            continue;
        if (unet ? settings.trainUnet : settings.trainTextEncoder) {
            for (at::Tensor &p : params)
                p.set_requires_grad(true);
            trainable.insert(trainable.end(), params.begin(), params.end());
            groups.push_back({std::move(params), unet ? settings.unetLr : settings.textEncoderLr});
        } else {
            for (at::Tensor &p : params)   // the part left as it is computes no gradients
                p.set_requires_grad(false);
        }
    }
    if (groups.empty())
        throw InputError("finetune: the LoRA network has no adapters on the parts chosen for training");
    MultiTensorAdamW optimizer(std::move(groups), settings.weightDecay);

    // An epoch draws each image as often as its repeats, as kohya's buckets hold an image N times; the
    // latents are encoded once per image all the same.
    at::Tensor pool = at::arange(latents.size(0), at::TensorOptions(at::kLong));
    if (!data.repeats.empty())
        pool = at::repeat_interleave(pool, at::tensor(at::ArrayRef<int64_t>(data.repeats), at::TensorOptions(at::kLong)));
    const int64_t n = pool.size(0);
    const int totalSteps = finetuneSteps(int(n), settings);
    FinetuneResult result;
    // fp16 loss scaling on CUDA as torch.cuda.amp.GradScaler does it: start at 2^16, halve on overflow,
    // double after 2000 steps without one.
    double lossScale = cuda ? 65536.0 : 1.0;
    int stepsSinceOverflow = 0;
    int step = 0;
    for (int epoch = 1; step < totalSteps; ++epoch) {
        const at::Tensor order = pool.index_select(0, at::randperm(n, generator, at::kLong));
        for (int64_t start = 0; start < n && step < totalSteps; start += settings.batchSize) {
            if (cancelled && cancelled()) {
                result.cancelled = true;
                return result;
            }
            const at::Tensor index = order.slice(0, start, std::min<int64_t>(start + settings.batchSize, n));
            const int64_t b = index.size(0);
            at::Tensor x0 = latents.index_select(0, index.to(latents.device()));
            if (settings.flip) {
                const at::Tensor useFlip = (at::rand({b}, generator) < 0.5).to(x0.device()).view({b, 1, 1, 1});
                x0 = at::where(useFlip, flipped.index_select(0, index.to(flipped.device())), x0);
            }
            QStringList captions;
            const int64_t *idx = index.data_ptr<int64_t>();
            for (int64_t i = 0; i < b; ++i)
                captions << data.captions.at(qsizetype(idx[i]));
            captions = dropCaptions(captions, settings.conditionDrop, generator);

            at::Tensor noise = at::randn(x0.sizes(), generator).to(device);
            if (settings.noiseOffset != 0.0)
                noise = noise + settings.noiseOffset * at::randn({b, x0.size(1), 1, 1}, generator).to(device);
            const at::Tensor timesteps = at::randint(0, schedule.trainSteps(), {b}, generator, at::kLong);
            const at::Tensor noisy = addNoise(x0, noise, timesteps, schedule);

            at::Tensor prediction;
            {
                const CudaAutocast autocast(cuda);
                at::Tensor context;
                if (settings.trainTextEncoder) {
                    context = model.encodeText(captions, settings.clipSkip);
                } else {
                    torch::NoGradGuard noGrad;
                    context = model.encodeText(captions, settings.clipSkip);
                }
                prediction = model.predictNoise(noisy, timesteps.to(at::kFloat).to(device), context);
            }
            const at::Tensor loss = diffusionLoss(prediction, noise, timesteps, schedule, settings.minSnrGamma).mean();
            const double lossValue = loss.item<double>();
            if (!std::isfinite(lossValue))
                throw RuntimeError("finetune: the loss became " + std::string(std::isnan(lossValue) ? "NaN" : "infinite")
                                   + " at step " + std::to_string(step + 1) + " of " + std::to_string(totalSteps)
                                   + "; lower the learning rate");
            optimizer.zeroGrad();
            (loss * lossScale).backward();
            const std::vector<at::Tensor> grads = gradientsOf(trainable);
            if (lossScale == 1.0 || unscaleGradients(grads, lossScale)) {
                if (settings.maxGradNorm > 0.0)
                    clipGradientNorm(grads, settings.maxGradNorm);
                optimizer.step();
                if (cuda && ++stepsSinceOverflow >= 2000) {
                    lossScale *= 2.0;
                    stepsSinceOverflow = 0;
                }
            } else {
                lossScale /= 2.0;   // an fp16 overflow: skip the step and retry with a smaller scale
                stepsSinceOverflow = 0;
            }
            ++step;
            TrainStep entry{step, totalSteps, epoch, lossValue, settings.unetLr, settings.textEncoderLr};
            result.log.push_back(entry);
            if (onStep)
                onStep(entry);
        }
    }
    return result;
}

} // namespace redifine
