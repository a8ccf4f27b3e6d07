#include "core/chain/ChainRunner.h"

#include "core/chain/AdapterMetadata.h"
#include "core/chain/IterationAnalysis.h"

#include "core/common/AtomicFile.h"
#include "core/common/DataPaths.h"
#include "core/common/Error.h"
#include "core/common/InputFile.h"
#include "core/common/Json.h"
#include "core/common/Version.h"
#include "core/data/EmojiDataset.h"
#include "core/data/ImageFolder.h"
#include "core/data/ImageTensor_p.h"
#include "core/diffusion/Generate_p.h"
#include "core/diffusion/ImageInfotext.h"
#include "core/io/ImageFiles.h"
#include "core/io/RunStore.h"
#include "core/io/TensorIo_p.h"
#include "core/metrics/FeatureExtractor.h"
#include "core/models/CpuBf16_p.h"
#include "core/models/LatentDiffusion_p.h"
#include "core/models/Lora_p.h"
#include "core/runtime/BlasTuning.h"
#include "core/runtime/RuntimeInfo.h"
#include "core/train/Finetune_p.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/cuda.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>

namespace redifine {

namespace {

using Clock = std::chrono::steady_clock;

// Seeds: every random choice of iteration k derives from the chain seed, so reruns and resumes repeat.
uint64_t iterationSeed(const ChainConfig &c, int k)
{
    return c.seed * 1000003ULL + uint64_t(k) * 7919ULL;
}

// The name of iteration k's adapter (ss_output_name, A1111's alias): "<chain name>-<8 hex of the config's
// SHA-256>-iter<k>", so adapters of runs with other settings or seeds do not share a name, while a rerun or a
// resumed run of the same settings, wherever its folder, writes the same adapter under the same name and
// byte-identical images.
QString adapterName(const ChainConfig &c, int k)
{
    const QByteArray config = QJsonDocument(c.toJson()).toJson(QJsonDocument::Compact);
    return QStringLiteral("%1-%2-iter%3")
        .arg(c.name, QString::fromLatin1(QCryptographicHash::hash(config, QCryptographicHash::Sha256).toHex().left(8)))
        .arg(k);
}

QString resolveModelPath(const ChainConfig &c)
{
    const QString path = c.modelPath.isEmpty() ? defaultTinyModelPath() : c.modelPath;
    if (path.isEmpty() || !QFile::exists(path))
        throw InputError(QStringLiteral("model.path: %1 not found%2")
                             .arg(path.isEmpty() ? QStringLiteral("the shipped tiny base model was") : path,
                                  c.modelPath.isEmpty() ? QStringLiteral(" (resources/models/tiny-base.safetensors)") : QString())
                             .toStdString());
    return path;
}

// Flattened "a.b.c" -> value, to name the first setting that differs between two configs.
void flatten(const QJsonObject &o, const QString &prefix, QMap<QString, QJsonValue> &out)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it.value().isObject())
            flatten(it.value().toObject(), key, out);
        else
            out.insert(key, it.value());
    }
}

// The first setting two configs disagree on. The description is a note to the reader that changes no image, so a
// run is resumed when only it differs (a preset whose text was improved since must not orphan its old runs).
QString firstDifference(const QJsonObject &a, const QJsonObject &b)
{
    QMap<QString, QJsonValue> fa, fb;
    flatten(a, {}, fa);
    flatten(b, {}, fb);
    fa.remove(QStringLiteral("description"));
    fb.remove(QStringLiteral("description"));
    QStringList keys = fa.keys() + fb.keys();
    keys.sort();
    for (const QString &key : keys)
        if (fa.value(key) != fb.value(key))
            return QStringLiteral("%1 is %2 there, %3 here")
                .arg(key, QString::fromUtf8(QJsonDocument(QJsonArray{fa.value(key)}).toJson(QJsonDocument::Compact)),
                     QString::fromUtf8(QJsonDocument(QJsonArray{fb.value(key)}).toJson(QJsonDocument::Compact)));
    return {};
}

QList<QImage> readImages(const RunStore &store, int k, int count)
{
    QList<QImage> images;
    for (int i = 0; i < count; ++i) {
        QImage image(store.imagePath(k, i));
        if (image.isNull())
            throw RuntimeError(QStringLiteral("%1: missing or unreadable").arg(store.imagePath(k, i)).toStdString());
        images << image.convertToFormat(QImage::Format_RGB888);
    }
    return images;
}

// D_0 by what it holds: each image's size and 8-bit RGB pixels, then the prompts. Not the PNG files' bytes,
// whose metadata names the chain, so chains drawn from the same data share the hash and can be told to.
QString hashIteration0(const RunStore &store, int count)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QImage &image : readImages(store, 0, count)) {
        hash.addData(QStringLiteral("%1x%2;").arg(image.width()).arg(image.height()).toUtf8());
        for (int y = 0; y < image.height(); ++y)   // row by row: a scan line may carry padding
            hash.addData(QByteArrayView(reinterpret_cast<const char *>(image.constScanLine(y)), qsizetype(image.width()) * 3));
    }
    QFile prompts(store.file(0, QStringLiteral("prompts.json")));
    if (const QString error = openInputFile(prompts); !error.isEmpty())
        throw RuntimeError(error.toStdString());
    hash.addData(prompts.readAll());
    return QString::fromLatin1(hash.result().toHex());
}

// An image's caption beside it (NNNN.txt, as kohya and most trainers read captions), written after the
// image and before anything that marks it complete, so a resume that keeps the image keeps its caption.
void writeCaption(const RunStore &store, int k, int index, const QString &prompt)
{
    store.writeText(store.captionPath(k, index), prompt.toUtf8());
}

// A done iteration of a run made before captions were written gets them on resume.
void writeMissingCaptions(const RunStore &store, int k, const QStringList &prompts)
{
    for (qsizetype i = 0; i < prompts.size(); ++i)
        if (!QFile::exists(store.captionPath(k, int(i))) && QFile::exists(store.imagePath(k, int(i))))
            writeCaption(store, k, int(i), prompts[i]);
}

// kohya's repeats of D_0's images (all 1 unless a kohya folder gave others).
QList<int> repeatsOfIteration0(const RunStore &store, int count)
{
    const QJsonArray stored = json::readObjectFile(store.file(0, QStringLiteral("prompts.json"))).value(QStringLiteral("repeats")).toArray();
    QList<int> repeats(count, 1);
    for (int i = 0; i < count && i < stored.size(); ++i)
        repeats[i] = std::max(1, stored[i].toInt(1));
    return repeats;
}

// Probes of the generation batch starting at image `first`; its presence marks the batch complete.
QString batchFile(const QString &partialDir, int first)
{
    return QDir(partialDir).filePath(QStringLiteral("batch_%1.safetensors").arg(first, 6, 10, QLatin1Char('0')));
}

void report(const ChainCallbacks &cb, const ChainProgress &p)
{
    if (cb.progress)
        cb.progress(p);
}

// D_0: the dataset (or the emoji group), resized to the model's resolution, optional Gaussian noise. Returns
// the number of images, or -1 when cancelled.
// Latents of D_0 from the base model's autoencoder (posterior means, scaled as the UNet sees them), so the
// latent histograms and spectra of later iterations have the original as their reference.
at::Tensor encodeDataset(LatentDiffusion &model, const QList<QImage> &images)
{
    const at::NoGradGuard noGrad;
    std::vector<at::Tensor> latents;
    for (qsizetype first = 0; first < images.size(); first += 32)
        latents.push_back(model.encodeImages(imagesToTensor(images.mid(first, 32)).to(model.device())).cpu());
    return at::cat(latents);
}

// D_0 read (or rendered) and checked before anything is written: a folder with no usable image is refused
// while the run folder is still untouched.
ImageFolder loadDataset0(const ChainConfig &c, int resolution)
{
    if (!c.datasetPath.isEmpty())
        return loadImageFolder(c.datasetPath, resolution, c.datasetLimit);
    QTemporaryDir temporary;
    if (!temporary.isValid())
        throw RuntimeError(QStringLiteral("cannot make a temporary folder for the emoji dataset (%1)").arg(temporary.errorString()).toStdString());
    EmojiDatasetOptions options;
    options.outputDir = temporary.path();
    options.groups = {c.emojiGroup};
    options.size = resolution;
    options.limit = c.datasetLimit;
    options.variants = c.emojiVariants;
    writeEmojiDataset(options);
    return loadImageFolder(temporary.path(), resolution, c.datasetLimit);
}

int prepareIteration0(const ChainConfig &c, const RunStore &store, LatentDiffusion &model, const ImageFolder &folder, const ChainCallbacks &cb)
{
    if (store.isDone(0))
        return int(store.readPrompts(0).size());
    report(cb, {0, c.iterations, QStringLiteral("dataset"), 0, 0, 0.0, -1});
    QList<QImage> images = folder.images;
    const QStringList prompts = folder.captions;
    const QList<int> repeats = folder.repeats;
    if (c.datasetNoise > 0.0) {
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(iterationSeed(c, 0));
        at::Tensor x = imagesToTensor(images);
        x = ((x + at::randn(x.sizes(), g) * c.datasetNoise + 1.0) / 2.0).clamp(0.0, 1.0);
        for (qsizetype i = 0; i < images.size(); ++i)
            images[i] = tensorToImage(x[i]);
    }
    QDir().mkpath(store.imagesDir(0));
    // The caption is the prompt, as for generated images; where the image came from goes in the fields.
    Infotext info;
    info.add(QStringLiteral("Source"), c.datasetNoise > 0.0 ? QStringLiteral("D_0 (original, noise added)") : QStringLiteral("D_0 (original)"));
    info.add(QStringLiteral("Dataset"), !c.datasetPath.isEmpty() ? c.datasetPath
                                        : c.emojiVariants == 1 ? QStringLiteral("emoji ") + c.emojiGroup
                                        : QStringLiteral("emoji %1, %2 pictures each").arg(c.emojiGroup).arg(c.emojiVariants));
    if (c.datasetNoise > 0.0)
        info.add(QStringLiteral("Dataset noise"), QString::number(c.datasetNoise));
    info.add(QStringLiteral("Size"), QStringLiteral("%1x%1").arg(model.config().resolution));
    info.add(QStringLiteral("Chain"), c.name);
    info.add(QStringLiteral("Iteration"), QStringLiteral("0"));
    for (qsizetype i = 0; i < images.size(); ++i) {
        info.prompt = prompts[i];
        writePngAtomically(store.imagePath(0, int(i)), images[i], info.toString());
    }
    for (qsizetype i = 0; i < images.size(); ++i)
        writeCaption(store, 0, int(i), prompts[i]);
    QJsonObject promptsJson{{QStringLiteral("prompts"), QJsonArray::fromStringList(prompts)}};
    if (std::any_of(repeats.begin(), repeats.end(), [](int n) { return n != 1; })) {
        QJsonArray list;
        for (const int n : repeats)
            list.append(n);
        promptsJson.insert(QStringLiteral("repeats"), list);
    }
    store.writeJson(store.file(0, QStringLiteral("prompts.json")), promptsJson);
    report(cb, {0, c.iterations, QStringLiteral("analyse"), 0, 1, 0.0, -1});
    const at::Tensor latents = encodeDataset(model, images);
    writeSafetensors(store.file(0, QStringLiteral("latents.safetensors")), {{"latents", latents}});
    const std::optional<QJsonObject> analysed = analyseIteration(store, 0, c, cb.cancelled);
    if (!analysed)
        return -1;
    QJsonObject metrics = *analysed;
    metrics.insert(QStringLiteral("iteration"), 0);
    metrics.insert(QStringLiteral("images"), int(images.size()));
    metrics.insert(QStringLiteral("latent_mean"), latents.mean().item<double>());
    metrics.insert(QStringLiteral("latent_std"), latents.std().item<double>());
    store.writeJson(store.file(0, QStringLiteral("metrics.json")), metrics);
    store.markDone(0);
    return int(images.size());
}

FinetuneSettings finetuneSettings(const ChainConfig &c, int k)
{
    FinetuneSettings s;
    s.epochs = c.epochs;
    s.maxSteps = c.maxSteps;
    s.batchSize = c.batchSize;
    s.unetLr = c.unetLr;
    s.textEncoderLr = c.textEncoderLr;
    s.minSnrGamma = c.minSnrGamma;
    s.noiseOffset = c.noiseOffset;
    s.flip = c.flip;
    s.conditionDrop = c.conditionDrop;
    s.trainUnet = c.train != QLatin1String("text_encoder");
    s.trainTextEncoder = c.train != QLatin1String("unet");
    s.clipSkip = c.clipSkip;
    s.lora.rank = c.loraRank;
    s.lora.alpha = c.loraAlpha;
    s.lora.convRank = c.convRank;
    s.lora.convAlpha = c.convAlpha;
    s.lora.unet = s.trainUnet;
    s.lora.textEncoder = s.trainTextEncoder;
    s.seed = iterationSeed(c, k);
    return s;
}

// The training set of iteration k: D_{k-1}, with a share of images swapped for their real ones (C.3).
TrainingData trainingData(const ChainConfig &c, const RunStore &store, int k, int prompts0, QJsonArray &mixed)
{
    const QStringList prompts = store.readPrompts(k - 1);
    QList<QImage> images = readImages(store, k - 1, int(prompts.size()));
    if (k >= 2 && c.realMixing > 0.0) {
        const QList<QImage> real = readImages(store, 0, prompts0);
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(iterationSeed(c, k) + 17);
        const at::Tensor order = at::randperm(int64_t(images.size()), g, at::kLong);
        const int count = int(std::lround(c.realMixing * double(images.size())));
        for (int i = 0; i < count; ++i) {
            const int index = int(order[i].item<int64_t>());
            images[index] = real[index / c.imagesPerPrompt];
            mixed.append(index);
        }
    }
    // D_0's repeats carry over to the images generated from each of its prompts.
    const QList<int> repeats0 = repeatsOfIteration0(store, prompts0);
    std::vector<int64_t> repeats;
    for (qsizetype i = 0; i < images.size(); ++i)
        repeats.push_back(repeats0.value(int(k == 1 ? i : i / c.imagesPerPrompt), 1));
    if (std::all_of(repeats.begin(), repeats.end(), [](int64_t n) { return n == 1; }))
        repeats.clear();
    return {imagesToTensor(images), prompts, repeats};
}

} // namespace

ChainConfig chainConfigOfRun(const QString &runDir)
{
    const QJsonObject chain = RunStore(runDir).readChainJson();
    return ChainConfig::fromJson(chain.value(QStringLiteral("config")).toObject());
}

bool runChain(const ChainConfig &requested, const QString &runDir, const ChainCallbacks &cb)
{
    requested.validateForRun();
    ChainConfig c = requested;
    if (!c.datasetPath.isEmpty() && !QDir(c.datasetPath).exists())
        throw InputError(QStringLiteral("dataset.path: %1: no such folder").arg(c.datasetPath).toStdString());
    const QString modelPath = resolveModelPath(c);
    const RunStore store(runDir);
    if (QFile::exists(store.chainJsonPath())) {
        // Through fromJson: a setting added since the run was made reads as its default there.
        const QJsonObject existing = ChainConfig::fromJson(store.readChainJson().value(QStringLiteral("config")).toObject()).toJson();
        const QString difference = firstDifference(existing, c.toJson());
        if (!difference.isEmpty())
            throw InputError(QStringLiteral("%1: made with other settings (%2); choose another folder").arg(runDir, difference).toStdString());
        // The run keeps the description it was made with, so its adapters keep one name from the first iteration on.
        c.description = existing.value(QStringLiteral("description")).toString();
        // Completed iterations are what their DONE recorded, or the run is refused before anything is added to it.
        for (int k = 0; k <= c.iterations; ++k)
            if (store.isDone(k))
                if (const QString damage = store.damage(k, true); !damage.isEmpty())
                    throw InputError(QStringLiteral("%1: iteration %2 is damaged: %3; move the run away, or delete iter_%2 and every later "
                                                    "iteration to make them again")
                                         .arg(runDir)
                                         .arg(k)
                                         .arg(damage)
                                         .toStdString());
    } else if (QDir(runDir).exists() && !QDir(runDir).isEmpty()) {
        throw InputError(QStringLiteral("%1: exists and is not a run folder").arg(runDir).toStdString());
    }

    // Everything that can be refused is checked before the run folder is made: the model, the feature
    // extractor's file and D_0; a refused setting leaves nothing behind, and the corrected rerun starts clean.
    configureThreads(c.threads);
    const bool cuda = c.device == QLatin1String("cuda") || (c.device == QLatin1String("auto") && torch::cuda::is_available());
    if (c.device == QLatin1String("cuda") && !torch::cuda::is_available())
        throw InputError("device: cuda was asked for but LibTorch sees no CUDA device");
    const at::Device device = cuda ? at::Device(at::kCUDA) : at::Device(at::kCPU);
    auto model = c.modelFamily == QLatin1String("sd15") ? LatentDiffusion::loadStableDiffusion(modelPath, c.modelResolution, device)
                                                        : LatentDiffusion::load(modelPath, device);
    model->setCpuBf16(cpuMatmulsIsBf16(c.cpuMatmuls, QStringLiteral("cpu_matmuls")));
    if (model->cpuBf16() && !cuda && !cpuHasNativeBf16() && cb.warning)
        cb.warning(QStringLiteral("cpu_matmuls: bf16 on a CPU without AVX-512 BF16 is emulated and slower than fp32 (the numbers are bf16's either way)"));
    if (c.analyses.contains(QStringLiteral("feature_metrics")))
        makeFeatureExtractor(c.features);
    ImageFolder dataset0;
    if (!store.isDone(0)) {
        dataset0 = loadDataset0(c, model->config().resolution);
        for (const QString &skipped : dataset0.skipped)
            if (cb.warning)
                cb.warning(QStringLiteral("D_0: skipped %1").arg(skipped));
    }
    if (const QString why = makeFolder(runDir); !why.isEmpty())
        throw InputError(QStringLiteral("%1: cannot create the run folder (%2)").arg(runDir, why).toStdString());
    const ModelIdentity modelIdentity = checkpointIdentity(modelPath);

    QJsonObject chainJson{{QStringLiteral("config"), c.toJson()},
                          {QStringLiteral("software"), QJsonObject{{QStringLiteral("redifine"), QStringLiteral(REDIFINE_VERSION_STRING)},
                                                                   {QStringLiteral("torch"), runtimeInfo().torchVersion}}},
                          {QStringLiteral("model_path"), modelPath}};
    if (!dataset0.skipped.isEmpty())   // a user never loses images from D_0 without being told
        chainJson.insert(QStringLiteral("dataset_skipped"), QJsonArray::fromStringList(dataset0.skipped));
    if (!QFile::exists(store.chainJsonPath()))
        store.writeJson(store.chainJsonPath(), chainJson);

    const int n0 = prepareIteration0(c, store, *model, dataset0, cb);
    if (n0 < 0)
        return false;
    chainJson = store.readChainJson();
    // (a run resumed before its D_0 was complete learns of skipped files only now)
    const bool listSkipped = !dataset0.skipped.isEmpty() && !chainJson.contains(QStringLiteral("dataset_skipped"));
    if (listSkipped)
        chainJson.insert(QStringLiteral("dataset_skipped"), QJsonArray::fromStringList(dataset0.skipped));
    if (!chainJson.contains(QStringLiteral("dataset_hash")) || listSkipped) {
        chainJson.insert(QStringLiteral("dataset_hash"), hashIteration0(store, n0));
        store.writeJson(store.chainJsonPath(), chainJson);
    }
    if (cb.iterationDone)
        cb.iterationDone(0);

    const QStringList prompts0 = store.readPrompts(0);
    QStringList prompts;
    for (const QString &p : prompts0)
        for (int j = 0; j < c.imagesPerPrompt; ++j)
            prompts << p;

    writeMissingCaptions(store, 0, prompts0);
    for (int k = 1; k <= c.iterations; ++k) {
        if (store.isDone(k)) {
            writeMissingCaptions(store, k, prompts);
            continue;
        }
        QDir().mkpath(store.imagesDir(k));
        const Clock::time_point iterationStart = Clock::now();

        // M_k = Finetune(M_0, D_{k-1}, P): a fresh adapter on the unchanged base model.
        const QString loraPath = store.file(k, QStringLiteral("lora.safetensors"));
        std::unique_ptr<LoraNetwork> lora;
        double finalLoss = 0.0;
        QJsonArray mixed;
        if (QFile::exists(loraPath)) {
            lora = std::make_unique<LoraNetwork>(*model->unet, *model->textEncoder, loraPath);
        } else {
            const FinetuneSettings settings = finetuneSettings(c, k);
            const TrainingData data = trainingData(c, store, k, n0, mixed);
            lora = std::make_unique<LoraNetwork>(*model->unet, *model->textEncoder, settings.lora, settings.seed);
            QByteArray log("step,epoch,loss,unet_lr,text_encoder_lr\n");
            const Clock::time_point start = Clock::now();
            const FinetuneResult result = finetune(*model, *lora, data, settings, cb.cancelled, [&](const TrainStep &s) {
                log += QStringLiteral("%1,%2,%3,%4,%5\n").arg(s.step).arg(s.epoch).arg(s.loss, 0, 'g', 8).arg(s.unetLr).arg(s.textEncoderLr).toUtf8();
                const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
                report(cb, {k, c.iterations, QStringLiteral("finetune"), s.step, s.totalSteps, s.loss,
                            elapsed / s.step * (s.totalSteps - s.step)});
            });
            if (result.cancelled)
                return false;
            double sum = 0.0;
            const size_t tail = std::min<size_t>(10, result.log.size());
            for (size_t i = result.log.size() - tail; i < result.log.size(); ++i)
                sum += result.log[i].loss;
            finalLoss = tail ? sum / double(tail) : 0.0;
            store.writeText(store.file(k, QStringLiteral("train_log.csv")), log);
            AdapterProvenance provenance;
            provenance.outputName = adapterName(c, k);
            provenance.modelPath = modelPath;
            provenance.resolution = model->config().resolution;
            provenance.captions = data.captions;
            provenance.datasetName = QStringLiteral("iter_%1").arg(k - 1);
            provenance.steps = int(result.log.size());
            provenance.seed = settings.seed;
            std::map<std::string, std::string> metadata = kohyaTrainingMetadata(c, provenance);
            metadata["redifine_chain"] = c.name.toStdString();
            metadata["redifine_iteration"] = std::to_string(k);
            const at::ScalarType precision = c.savePrecision == QLatin1String("fp16")   ? at::kHalf
                                             : c.savePrecision == QLatin1String("bf16") ? at::kBFloat16
                                                                                        : at::kFloat;
            lora->save(loraPath, precision, metadata);
            // D_k comes from the adapter as saved (rounded to its precision), as a resumed run and every other
            // tool that loads the file see it.
            lora.reset();
            lora = std::make_unique<LoraNetwork>(*model->unet, *model->textEncoder, loraPath);
        }

        // D_k = Generate(M_k, P), batch by batch; a batch is complete once its probe file exists.
        GenerationSettings gen;
        gen.sampler = c.sampler;
        gen.steps = c.steps;
        gen.spacing = c.spacing;
        gen.cfg = c.cfg;
        gen.clipSkip = c.clipSkip;
        gen.negativePrompt = c.negativePrompt;
        gen.seed = iterationSeed(c, k);
        ImageRecipe recipe = recipeOf(gen);
        recipe.size = model->config().resolution;
        recipe.model = modelIdentity;
        recipe.lora = loraIdentity(loraPath);
        gen.batchSize = c.generationBatch;
        gen.weights = modelPath + QStringLiteral(" with LoRA ") + loraPath;
        const QString partialDir = store.file(k, QStringLiteral("partial"));
        QDir().mkpath(partialDir);
        const int total = int(prompts.size());
        const Clock::time_point generateStart = Clock::now();
        int generatedThisRun = 0;
        for (int first = 0; first < total; first += c.generationBatch) {
            const QString probes = batchFile(partialDir, first);
            if (QFile::exists(probes))
                continue;
            const int count = std::min(c.generationBatch, total - first);
            const GeneratedImages images = generateImages(*model, prompts.mid(first, count), first, gen, cb.cancelled, [&](double done) {
                const double elapsed = std::chrono::duration<double>(Clock::now() - generateStart).count();
                const double doneThisRun = generatedThisRun + done;
                report(cb, {k, c.iterations, QStringLiteral("generate"), first + int(done), total, 0.0,
                            elapsed / doneThisRun * (total - first - done)});
            });
            if (images.cancelled)
                return false;
            for (int i = 0; i < count; ++i) {
                recipe.prompt = prompts[first + i];
                recipe.seed = gen.seed + uint64_t(first + i);
                Infotext info = generationInfotext(recipe);
                info.add(QStringLiteral("Chain"), c.name);
                info.add(QStringLiteral("Iteration"), QString::number(k));
                writePngAtomically(store.imagePath(k, first + i), tensorToImage(images.images[i]), info.toString());
            }
            for (int i = 0; i < count; ++i)
                writeCaption(store, k, first + i, prompts[first + i]);
            writeSafetensors(probes, {{"latents", images.latents}, {"diffnorm", images.diffNorm}});
            generatedThisRun += count;   // (generateImages reported the batch complete after its decode)
        }

        // Probes of the whole iteration, then the metrics, then DONE.
        report(cb, {k, c.iterations, QStringLiteral("analyse"), 0, 1, 0.0, -1});
        std::vector<at::Tensor> latents, diffNorms;
        for (int first = 0; first < total; first += c.generationBatch) {
            const SafetensorsReader reader(batchFile(partialDir, first));
            latents.push_back(reader.tensor("latents"));
            diffNorms.push_back(reader.tensor("diffnorm"));
        }
        const at::Tensor allLatents = at::cat(latents);
        const at::Tensor allDiff = at::cat(diffNorms);
        writeSafetensors(store.file(k, QStringLiteral("latents.safetensors")), {{"latents", allLatents}});
        writeSafetensors(store.file(k, QStringLiteral("diffnorm.safetensors")), {{"diffnorm", allDiff}});
        store.writeJson(store.file(k, QStringLiteral("prompts.json")), QJsonObject{{QStringLiteral("prompts"), QJsonArray::fromStringList(prompts)}});
        // Diff-norm per denoising step: mean and spread over the images (paper Fig. 4b).
        QJsonArray diffPerStep, diffSpreadPerStep;
        const at::Tensor meanDiff = allDiff.mean(0);
        const at::Tensor spreadDiff = allDiff.size(0) > 1 ? allDiff.std(0) : at::zeros_like(meanDiff);
        for (int64_t s = 0; s < meanDiff.size(0); ++s) {
            diffPerStep.append(meanDiff[s].item<double>());
            diffSpreadPerStep.append(spreadDiff[s].item<double>());
        }
        const std::optional<QJsonObject> analysed = analyseIteration(store, k, c, cb.cancelled);
        if (!analysed)
            return false;   // the batches stay; a resume redoes only the analysis
        QJsonObject metrics = *analysed;
        metrics.insert(QStringLiteral("iteration"), k);
        metrics.insert(QStringLiteral("images"), total);
        metrics.insert(QStringLiteral("latent_mean"), allLatents.mean().item<double>());
        metrics.insert(QStringLiteral("latent_std"), allLatents.std().item<double>());
        metrics.insert(QStringLiteral("diffnorm_mean_per_step"), diffPerStep);
        metrics.insert(QStringLiteral("diffnorm_spread_per_step"), diffSpreadPerStep);
        metrics.insert(QStringLiteral("seconds"), std::chrono::duration<double>(Clock::now() - iterationStart).count());
        if (finalLoss > 0.0)
            metrics.insert(QStringLiteral("finetune_final_loss"), finalLoss);
        if (!mixed.isEmpty())
            metrics.insert(QStringLiteral("real_mixed_images"), mixed);
        store.writeJson(store.file(k, QStringLiteral("metrics.json")), metrics);
        QDir(partialDir).removeRecursively();
        store.markDone(k);
        if (cb.iterationDone)
            cb.iterationDone(k);
    }
    return true;
}

} // namespace redifine
