#include "core/chain/ChainConfig.h"

#include "core/chain/IterationAnalysis.h"

#include "core/common/Error.h"
#include "core/data/EmojiDataset.h"
#include "core/runtime/BlasTuning.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <functional>

#include <cmath>

namespace redifine {

namespace {

[[noreturn]] void fail(const QString &field, const QString &problem)
{
    throw InputError(QStringLiteral("%1: %2").arg(field, problem).toStdString());
}

QJsonObject section(const QJsonObject &o, const char *name)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined())
        return {};
    if (!v.isObject())
        fail(QLatin1String(name), QStringLiteral("expected an object"));
    return v.toObject();
}

// Typed optional reads: a present field of the wrong type is an error naming it.
double number(const QJsonObject &o, const QString &key, const QString &field, double fallback)
{
    if (!o.contains(key))
        return fallback;
    if (!o.value(key).isDouble())
        fail(field, QStringLiteral("expected a number"));
    return o.value(key).toDouble();
}

int integer(const QJsonObject &o, const QString &key, const QString &field, int fallback)
{
    const double v = number(o, key, field, fallback);
    if (v != std::floor(v) || std::abs(v) > 2e9)
        fail(field, QStringLiteral("expected an integer"));
    return int(v);
}

QString text(const QJsonObject &o, const QString &key, const QString &field, const QString &fallback)
{
    if (!o.contains(key))
        return fallback;
    if (!o.value(key).isString())
        fail(field, QStringLiteral("expected a string"));
    return o.value(key).toString();
}

bool boolean(const QJsonObject &o, const QString &key, const QString &field, bool fallback)
{
    if (!o.contains(key))
        return fallback;
    if (!o.value(key).isBool())
        fail(field, QStringLiteral("expected true or false"));
    return o.value(key).toBool();
}

void checkKnown(const QJsonObject &o, const QString &prefix, const QStringList &known)
{
    for (const QString &key : o.keys())
        if (!known.contains(key))
            fail(prefix.isEmpty() ? key : prefix + QLatin1Char('.') + key,
                 QStringLiteral("unknown setting (known: %1)").arg(known.join(QStringLiteral(", "))));
}

} // namespace

QJsonObject ChainConfig::toJson() const
{
    QJsonObject model{{QStringLiteral("family"), modelFamily}, {QStringLiteral("path"), modelPath}};
    if (modelFamily == QLatin1String("sd15"))   // the tiny model file carries its own size
        model.insert(QStringLiteral("resolution"), modelResolution);
    QJsonObject finetune{{QStringLiteral("epochs"), epochs},
                         {QStringLiteral("max_steps"), maxSteps},
                         {QStringLiteral("batch_size"), batchSize},
                         {QStringLiteral("unet_lr"), unetLr},
                         {QStringLiteral("text_encoder_lr"), textEncoderLr},
                         {QStringLiteral("lora_rank"), loraRank},
                         {QStringLiteral("lora_alpha"), loraAlpha},
                         {QStringLiteral("condition_drop"), conditionDrop},
                         {QStringLiteral("min_snr_gamma"), minSnrGamma},
                         {QStringLiteral("noise_offset"), noiseOffset},
                         {QStringLiteral("flip"), flip},
                         {QStringLiteral("train"), train},
                         {QStringLiteral("save_precision"), savePrecision}};
    // LoCon settings only when on, so that a chain made without them keeps its settings' hash (its adapters'
    // names) and compares equal to its own config when resumed.
    if (convRank > 0) {
        finetune.insert(QStringLiteral("conv_rank"), convRank);
        finetune.insert(QStringLiteral("conv_alpha"), convAlpha);
    }
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("description"), description},
        {QStringLiteral("model"), model},
        {QStringLiteral("dataset"), QJsonObject{{QStringLiteral("path"), datasetPath},
                                                 {QStringLiteral("emoji_group"), emojiGroup},
                                                 {QStringLiteral("emoji_variants"), emojiVariants},
                                                 {QStringLiteral("limit"), datasetLimit},
                                                 {QStringLiteral("noise"), datasetNoise}}},
        {QStringLiteral("iterations"), iterations},
        {QStringLiteral("images_per_prompt"), imagesPerPrompt},
        {QStringLiteral("real_mixing"), realMixing},
        {QStringLiteral("finetune"), finetune},
        {QStringLiteral("sampler"), QJsonObject{{QStringLiteral("sampler"), samplerName(sampler)},
                                                 {QStringLiteral("steps"), steps},
                                                 {QStringLiteral("spacing"), spacingName(spacing)},
                                                 {QStringLiteral("cfg"), cfg.toJson()},
                                                 {QStringLiteral("clip_skip"), clipSkip},
                                                 {QStringLiteral("negative_prompt"), negativePrompt},
                                                 {QStringLiteral("batch_size"), generationBatch}}},
        {QStringLiteral("analyses"), QJsonArray::fromStringList(analyses)},
        {QStringLiteral("features"), features},
        {QStringLiteral("seed"), qint64(seed)},
        {QStringLiteral("device"), device},
        {QStringLiteral("threads"), threads},
        {QStringLiteral("cpu_matmuls"), cpuMatmuls}};
}

ChainConfig ChainConfig::fromJson(const QJsonObject &o)
{
    checkKnown(o, {}, {"name", "description", "model", "dataset", "iterations", "images_per_prompt", "real_mixing",
                       "finetune", "sampler", "analyses", "features", "seed", "device", "threads", "cpu_matmuls"});
    ChainConfig c;
    c.name = text(o, "name", "name", c.name);
    c.description = text(o, "description", "description", c.description);
    const QJsonObject model = section(o, "model");
    checkKnown(model, "model", {"family", "path", "resolution"});
    c.modelFamily = text(model, "family", "model.family", c.modelFamily);
    c.modelPath = text(model, "path", "model.path", c.modelPath);
    c.modelResolution = integer(model, "resolution", "model.resolution", c.modelResolution);
    const QJsonObject dataset = section(o, "dataset");
    checkKnown(dataset, "dataset", {"path", "emoji_group", "emoji_variants", "limit", "noise"});
    c.datasetPath = text(dataset, "path", "dataset.path", c.datasetPath);
    c.emojiGroup = text(dataset, "emoji_group", "dataset.emoji_group", c.emojiGroup);
    c.emojiVariants = integer(dataset, "emoji_variants", "dataset.emoji_variants", c.emojiVariants);
    c.datasetLimit = integer(dataset, "limit", "dataset.limit", c.datasetLimit);
    c.datasetNoise = number(dataset, "noise", "dataset.noise", c.datasetNoise);
    c.iterations = integer(o, "iterations", "iterations", c.iterations);
    c.imagesPerPrompt = integer(o, "images_per_prompt", "images_per_prompt", c.imagesPerPrompt);
    c.realMixing = number(o, "real_mixing", "real_mixing", c.realMixing);
    const QJsonObject ft = section(o, "finetune");
    checkKnown(ft, "finetune", {"epochs", "max_steps", "batch_size", "unet_lr", "text_encoder_lr", "lora_rank", "lora_alpha",
                                "conv_rank", "conv_alpha", "condition_drop", "min_snr_gamma", "noise_offset", "flip", "train", "save_precision"});
    c.epochs = integer(ft, "epochs", "finetune.epochs", c.epochs);
    c.maxSteps = integer(ft, "max_steps", "finetune.max_steps", c.maxSteps);
    c.batchSize = integer(ft, "batch_size", "finetune.batch_size", c.batchSize);
    c.unetLr = number(ft, "unet_lr", "finetune.unet_lr", c.unetLr);
    c.textEncoderLr = number(ft, "text_encoder_lr", "finetune.text_encoder_lr", c.textEncoderLr);
    c.loraRank = integer(ft, "lora_rank", "finetune.lora_rank", c.loraRank);
    c.loraAlpha = number(ft, "lora_alpha", "finetune.lora_alpha", c.loraAlpha);
    c.convRank = integer(ft, "conv_rank", "finetune.conv_rank", c.convRank);
    c.convAlpha = number(ft, "conv_alpha", "finetune.conv_alpha", c.convAlpha);
    c.conditionDrop = number(ft, "condition_drop", "finetune.condition_drop", c.conditionDrop);
    c.minSnrGamma = number(ft, "min_snr_gamma", "finetune.min_snr_gamma", c.minSnrGamma);
    c.noiseOffset = number(ft, "noise_offset", "finetune.noise_offset", c.noiseOffset);
    c.flip = boolean(ft, "flip", "finetune.flip", c.flip);
    c.train = text(ft, "train", "finetune.train", c.train);
    c.savePrecision = text(ft, "save_precision", "finetune.save_precision", c.savePrecision);
    const QJsonObject s = section(o, "sampler");
    checkKnown(s, "sampler", {"sampler", "steps", "spacing", "cfg", "clip_skip", "negative_prompt", "batch_size"});
    c.sampler = parseSampler(text(s, "sampler", "sampler.sampler", samplerName(c.sampler)), "sampler.sampler");
    c.steps = integer(s, "steps", "sampler.steps", c.steps);
    c.spacing = parseSpacing(text(s, "spacing", "sampler.spacing", spacingName(c.spacing)), "sampler.spacing");
    if (s.contains(QStringLiteral("cfg"))) {
        if (!s.value(QStringLiteral("cfg")).isObject())
            fail(QStringLiteral("sampler.cfg"), QStringLiteral("expected an object such as {\"type\": \"constant\", \"scale\": 7.5}"));
        c.cfg = CfgSchedule::fromJson(s.value(QStringLiteral("cfg")).toObject(), QStringLiteral("sampler.cfg"));
    }
    c.clipSkip = integer(s, "clip_skip", "sampler.clip_skip", c.clipSkip);
    c.negativePrompt = text(s, "negative_prompt", "sampler.negative_prompt", c.negativePrompt);
    c.generationBatch = integer(s, "batch_size", "sampler.batch_size", c.generationBatch);
    if (o.contains(QStringLiteral("analyses"))) {
        if (!o.value(QStringLiteral("analyses")).isArray())
            fail(QStringLiteral("analyses"), QStringLiteral("expected an array of names such as [\"pixel_indicators\"]"));
        c.analyses.clear();
        for (const QJsonValue &v : o.value(QStringLiteral("analyses")).toArray())
            c.analyses << v.toString();
    }
    c.features = text(o, "features", "features", c.features);
    const double seed = number(o, "seed", "seed", 0);
    if (!isValidSeed(seed))
        fail(QStringLiteral("seed"), QStringLiteral("expected a non-negative integer"));
    c.seed = uint64_t(seed);
    c.device = text(o, "device", "device", c.device);
    c.threads = integer(o, "threads", "threads", c.threads);
    c.cpuMatmuls = text(o, "cpu_matmuls", "cpu_matmuls", c.cpuMatmuls);
    c.validate();
    return c;
}

void ChainConfig::validateForRun() const
{
    validate();
    if (modelFamily == QLatin1String("sd15") && modelPath.isEmpty())
        fail(QStringLiteral("model.path"), QStringLiteral("sd15 needs the path of your Stable Diffusion 1.5 checkpoint (.safetensors file or diffusers folder)"));
}

void ChainConfig::validate() const
{
    if (modelFamily != QLatin1String("tiny") && modelFamily != QLatin1String("sd15"))
        fail(QStringLiteral("model.family"), QStringLiteral("must be tiny or sd15"));
    const auto atMost = [](const char *field, double value, double high, const QString &what) {
        if (value > high)
            fail(QLatin1String(field), QStringLiteral("%1 is more than %2 %3").arg(value).arg(high).arg(what));
    };
    if (modelResolution < 64 || modelResolution % 64 != 0)
        fail(QStringLiteral("model.resolution"), QStringLiteral("must be a multiple of 64, at least 64 (SD1.5: 512)"));
    atMost("model.resolution", modelResolution, kMaxResolution, QStringLiteral("pixels"));
    if (emojiVariants < 1 || emojiVariants > kMaxEmojiVariants)
        fail(QStringLiteral("dataset.emoji_variants"), QStringLiteral("must lie in 1..%1").arg(kMaxEmojiVariants));
    if (datasetLimit < 0)
        fail(QStringLiteral("dataset.limit"), QStringLiteral("must be >= 0 (0 = all images)"));
    if (!(datasetNoise >= 0.0 && datasetNoise <= 10.0))
        fail(QStringLiteral("dataset.noise"), QStringLiteral("must lie in [0, 10] (a std in [-1, 1] pixel units)"));
    if (iterations < 1)
        fail(QStringLiteral("iterations"), QStringLiteral("must be at least 1"));
    atMost("iterations", iterations, kMaxIterations, QStringLiteral("iterations"));
    if (imagesPerPrompt < 1)
        fail(QStringLiteral("images_per_prompt"), QStringLiteral("must be at least 1"));
    atMost("images_per_prompt", imagesPerPrompt, kMaxImagesPerPrompt, QStringLiteral("images"));
    if (!(realMixing >= 0.0 && realMixing <= 1.0))
        fail(QStringLiteral("real_mixing"), QStringLiteral("must lie in [0, 1]"));
    if (epochs < 1)
        fail(QStringLiteral("finetune.epochs"), QStringLiteral("must be at least 1"));
    atMost("finetune.epochs", epochs, 100000, QStringLiteral("epochs"));
    if (maxSteps < 0)
        fail(QStringLiteral("finetune.max_steps"), QStringLiteral("must be >= 0 (0 = no cap)"));
    if (batchSize < 1)
        fail(QStringLiteral("finetune.batch_size"), QStringLiteral("must be at least 1"));
    atMost("finetune.batch_size", batchSize, kMaxBatchSize, QStringLiteral("images"));
    if (!(unetLr >= 0.0 && unetLr <= kMaxLearningRate))
        fail(QStringLiteral("finetune.unet_lr"), QStringLiteral("must lie in [0, %1]").arg(kMaxLearningRate));
    if (!(textEncoderLr >= 0.0 && textEncoderLr <= kMaxLearningRate))
        fail(QStringLiteral("finetune.text_encoder_lr"), QStringLiteral("must lie in [0, %1]").arg(kMaxLearningRate));
    if (loraRank < 1)
        fail(QStringLiteral("finetune.lora_rank"), QStringLiteral("must be at least 1"));
    atMost("finetune.lora_rank", loraRank, kMaxLoraRank, QStringLiteral("(a rank above the layers' widths has no effect)"));
    if (!(loraAlpha >= 0.0 && loraAlpha <= 1e6))
        fail(QStringLiteral("finetune.lora_alpha"), QStringLiteral("must lie in [0, 1e6]"));
    if (convRank < 0)
        fail(QStringLiteral("finetune.conv_rank"), QStringLiteral("must be at least 0 (0: no LoCon adapters)"));
    atMost("finetune.conv_rank", convRank, kMaxLoraRank, QStringLiteral("(a rank above the layers' widths has no effect)"));
    if (!(convAlpha >= 0.0 && convAlpha <= 1e6))
        fail(QStringLiteral("finetune.conv_alpha"), QStringLiteral("must lie in [0, 1e6]"));
    if (!(conditionDrop >= 0.0 && conditionDrop <= 1.0))
        fail(QStringLiteral("finetune.condition_drop"), QStringLiteral("must lie in [0, 1]"));
    if (!(minSnrGamma >= 0.0 && minSnrGamma <= 1e6))
        fail(QStringLiteral("finetune.min_snr_gamma"), QStringLiteral("must lie in [0, 1e6] (0 = off)"));
    if (!(std::abs(noiseOffset) <= 10.0))
        fail(QStringLiteral("finetune.noise_offset"), QStringLiteral("must be a finite number in [-10, 10]"));
    if (train != QLatin1String("both") && train != QLatin1String("unet") && train != QLatin1String("text_encoder"))
        fail(QStringLiteral("finetune.train"), QStringLiteral("must be both, unet or text_encoder"));
    if (savePrecision != QLatin1String("float") && savePrecision != QLatin1String("fp16") && savePrecision != QLatin1String("bf16"))
        fail(QStringLiteral("finetune.save_precision"), QStringLiteral("must be float, fp16 or bf16"));
    if (steps < 1 || steps > 1000)
        fail(QStringLiteral("sampler.steps"), QStringLiteral("must be between 1 and 1000"));
    if (clipSkip < 1 || clipSkip > 48)
        fail(QStringLiteral("sampler.clip_skip"), QStringLiteral("must be from 1 to 48"));
    if (generationBatch < 1)
        fail(QStringLiteral("sampler.batch_size"), QStringLiteral("must be at least 1"));
    atMost("sampler.batch_size", generationBatch, kMaxBatchSize, QStringLiteral("images"));
    if (device != QLatin1String("auto") && device != QLatin1String("cpu") && device != QLatin1String("cuda"))
        fail(QStringLiteral("device"), QStringLiteral("must be auto, cpu or cuda"));
    if (threads < 0 || threads > 1024)
        fail(QStringLiteral("threads"), QStringLiteral("must be from 0 to 1024 (0 = all cores)"));
    cpuMatmulsIsBf16(cpuMatmuls, QStringLiteral("cpu_matmuls"));
    for (const QString &analysis : analyses)
        if (!knownAnalyses().contains(analysis))
            fail(QStringLiteral("analyses"), QStringLiteral("unknown analysis \"%1\" (known: %2)").arg(analysis, knownAnalyses().join(QStringLiteral(", "))));
}

void applyOverride(QJsonObject &config, const QString &assignment)
{
    const qsizetype equals = assignment.indexOf(QLatin1Char('='));
    if (equals <= 0)
        throw InputError(QStringLiteral("--set %1: expected key=value").arg(assignment).toStdString());
    const QStringList path = assignment.left(equals).split(QLatin1Char('.'));
    const QString raw = assignment.mid(equals + 1);
    QJsonValue value(raw);
    const QJsonDocument parsed = QJsonDocument::fromJson(QByteArray("[") + raw.toUtf8() + "]");
    if (parsed.isArray() && parsed.array().size() == 1)
        value = parsed.array().first();

    // Walk down, then rebuild the objects on the way back up (QJsonObject holds values, not references).
    std::function<QJsonObject(QJsonObject, int)> set = [&](QJsonObject object, int depth) {
        const QString &key = path[depth];
        if (depth == path.size() - 1) {
            object.insert(key, value);
            return object;
        }
        const QJsonValue child = object.value(key);
        if (!child.isUndefined() && !child.isObject())
            throw InputError(QStringLiteral("--set %1: %2 is not a section").arg(assignment, path.mid(0, depth + 1).join(QLatin1Char('.'))).toStdString());
        object.insert(key, set(child.toObject(), depth + 1));
        return object;
    };
    config = set(config, 0);
    ChainConfig::fromJson(config);   // names an unknown key or a bad value now, before anything runs
}

bool isValidSeed(double seed)
{
    return seed >= 0 && seed == std::floor(seed) && seed <= 9007199254740992.0;
}

} // namespace redifine
