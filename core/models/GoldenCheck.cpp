#include "core/models/GoldenCheck.h"

#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/common/InputFile.h"
#include "core/diffusion/NoiseSchedule.h"
#include "core/diffusion/Sampler_p.h"
#include "core/io/TensorIo_p.h"
#include "core/models/Autoencoder_p.h"
#include "core/models/ClipTokenizer.h"
#include "core/models/StableDiffusionCheckpoint_p.h"
#include "core/models/StateDict_p.h"
#include "core/models/TextEncoder_p.h"
#include "core/models/UNet_p.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace redifine {

namespace {

// Every file a check below reads; one present but unread means its case was not run.
constexpr const char *kCaseFiles[] = {"unet_config.json", "unet_diffusers.safetensors", "unet_io.safetensors", "vae_config.json",
                                      "vae_diffusers.safetensors", "vae_io.safetensors", "clip_text_config.json",
                                      "clip_text_transformers.safetensors", "clip_text_io.safetensors",
                                      "scheduler_euler_a_schedules.safetensors", "scheduler_euler_a_runs.safetensors",
                                      "tokenizer_vocab.json", "tokenizer_merges.txt", "tokenizer_cases.json", "sd15_tiny_ldm.safetensors"};

// The golden README's suggested bounds for float32.
constexpr double kModelTolerance = 1e-4, kScheduleTolerance = 1e-5, kSamplerTolerance = 1e-4;

GoldenCase compare(const QString &name, const at::Tensor &ours, const at::Tensor &reference, double tolerance)
{
    GoldenCase c;
    c.name = name;
    c.tolerance = tolerance;
    const at::Tensor a = ours.detach().to(at::kDouble), b = reference.to(at::kDouble);
    if (a.sizes() != b.sizes()) {
        c.note = QStringLiteral("shape %1, expected %2").arg(QString::fromStdString(c10::str(a.sizes())), QString::fromStdString(c10::str(b.sizes())));
        return c;
    }
    c.maxAbsError = (a - b).abs().max().item<double>();
    c.maxRelError = ((a - b).abs() / b.abs().clamp_min(1e-6)).max().item<double>();
    c.passed = c.maxAbsError <= tolerance;
    return c;
}

GoldenCase failedCase(const QString &name, const QString &why)
{
    GoldenCase c;
    c.name = name;
    c.note = why;
    return c;
}

// SHA256SUMS declares the folder's files: each one listed must be there with its checksum, so a truncated or
// edited reference file fails instead of being read as a (wrong) reference.
QList<GoldenCase> checkDeclaredFiles(const QDir &dir)
{
    QList<GoldenCase> cases;
    QFile sums(dir.filePath(QStringLiteral("SHA256SUMS")));
    if (!sums.exists())
        return {failedCase(QStringLiteral("file SHA256SUMS"), QStringLiteral("missing: no file of the folder can be verified against its checksum"))};
    if (const QString problem = openInputFile(sums); !problem.isEmpty())
        throw InputError(QStringLiteral("%1: cannot open (%2)").arg(sums.fileName(), problem).toStdString());
    int line = 0;
    while (!sums.atEnd()) {
        ++line;
        const QString text = QString::fromUtf8(sums.readLine()).trimmed();
        if (text.isEmpty())
            continue;
        const QString hash = text.section(QLatin1Char(' '), 0, 0);
        const QString name = text.section(QLatin1Char(' '), 1).trimmed().remove(QRegularExpression(QStringLiteral("^\\*")));
        if (hash.size() != 64 || name.isEmpty() || name.contains(QLatin1Char('/')))
            throw InputError(QStringLiteral("%1:%2: expected \"<sha256>  <file name>\"").arg(sums.fileName()).arg(line).toStdString());
        QFile file(dir.filePath(name));
        if (!file.exists()) {
            cases << failedCase(QStringLiteral("file %1").arg(name), QStringLiteral("listed in SHA256SUMS but missing"));
            cases.last().fileCheck = true;
            continue;
        }
        QCryptographicHash sha(QCryptographicHash::Sha256);
        if (const QString problem = openInputFile(file); !problem.isEmpty() || !sha.addData(&file)) {   // a FIFO is refused, not waited on
            cases << failedCase(QStringLiteral("file %1").arg(name), QStringLiteral("cannot read (%1)").arg(problem.isEmpty() ? file.errorString() : problem));
            cases.last().fileCheck = true;
            continue;
        }
        GoldenCase c;
        c.name = QStringLiteral("file %1").arg(name);
        c.fileCheck = true;
        c.passed = QString::fromLatin1(sha.result().toHex()) == hash.toLower();
        c.note = c.passed ? QStringLiteral("SHA-256 as listed") : QStringLiteral("SHA-256 differs from SHA256SUMS: the file is damaged or edited");
        cases << c;
    }
    return cases;
}

at::Tensor doubles(const std::vector<double> &values)
{
    return at::tensor(values, at::kDouble);
}

// The README's bound for sampler states: |ours - reference| <= tolerance * (1 + |reference|).
GoldenCase compareScaled(const QString &name, const at::Tensor &ours, const at::Tensor &reference, double tolerance)
{
    GoldenCase c = compare(name, ours, reference, tolerance);
    if (c.note.isEmpty()) {
        const at::Tensor b = reference.to(at::kDouble);
        c.passed = ((ours.detach().to(at::kDouble) - b).abs() / (1.0 + b.abs())).max().item<double>() <= tolerance;
        c.note = QStringLiteral("bound scaled by 1 + |reference|");
    }
    return c;
}

// Euler-ancestral runs of the golden file: for each "<spacing>.<steps>." prefix, the plan's timesteps and
// sigmas, then the whole trajectory with the file's fake denoiser (eps = 0.1 * scaled input + 1e-4 * t,
// the same with and without text) and its recorded noise: every model input, every state, the result.
QList<GoldenCase> samplerRuns(const SafetensorsReader &golden)
{
    QList<GoldenCase> cases;
    const std::string suffix = ".x_T_unit";
    for (const TensorEntry &entry : golden.header().tensors) {
        if (entry.name.size() <= suffix.size() || entry.name.compare(entry.name.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const std::string prefix = entry.name.substr(0, entry.name.size() - suffix.size() + 1);   // "linspace.30."
        const QStringList parts = QString::fromStdString(prefix).split(QLatin1Char('.'));
        bool ok = false;
        const int steps = parts.size() == 3 ? parts[1].toInt(&ok) : 0;
        if (!ok || steps < 1 || steps > 1000)
            throw InputError(QStringLiteral("golden sampler runs: tensor \"%1\" is not named <spacing>.<steps>.x_T_unit")
                                 .arg(QString::fromStdString(entry.name))
                                 .toStdString());
        const QString spacing = parts[0];
        const QString run = QStringLiteral("euler_a %1 %2 steps").arg(spacing).arg(steps);
        const SamplingPlan plan = planSampling(NoiseSchedule::stableDiffusion(), steps, parseSpacing(spacing, QStringLiteral("golden spacing")));
        // (timesteps are stored as float32: 999 - k * 34.45 carries its rounding)
        cases << compareScaled(run + QStringLiteral(" timesteps"), doubles(plan.timesteps), golden.tensor(prefix + "timesteps"), kScheduleTolerance);
        cases << compareScaled(run + QStringLiteral(" sigmas"), doubles(plan.sigmas), golden.tensor(prefix + "sigmas"), kSamplerTolerance);

        const at::Tensor initial = golden.tensor(prefix + "x_T_unit") * plan.initNoiseSigma;
        const at::Tensor noise = golden.tensor(prefix + "noise");
        std::vector<at::Tensor> inputs, states;
        const GuidedEps denoiser = [&](const at::Tensor &input, double t) {
            inputs.push_back(input);
            const at::Tensor eps = input * 0.1 + 1e-4 * t;
            return std::make_pair(eps, eps);
        };
        SampleOptions options;
        options.cfg = CfgSchedule::constant(7.5);
        options.onStep = [&](int, const at::Tensor &x) { states.push_back(x); };
        const SampleResult result = sample(plan, initial, denoiser, [&](int step) { return noise[step]; }, options);
        cases << compareScaled(run + QStringLiteral(" initial latents"), initial, golden.tensor(prefix + "latents_0"), kSamplerTolerance);
        cases << compareScaled(run + QStringLiteral(" model inputs"), at::stack(inputs), golden.tensor(prefix + "model_input"), kSamplerTolerance);
        cases << compareScaled(run + QStringLiteral(" states"), at::stack(states), golden.tensor(prefix + "prev_sample"), kSamplerTolerance);
        cases << compareScaled(run + QStringLiteral(" result"), result.latents, golden.tensor(prefix + "final"), kSamplerTolerance);
    }
    return cases;
}

} // namespace

QList<GoldenCase> checkGoldenFolder(const QString &path)
{
    const QDir dir(path);
    if (!dir.exists())
        throw InputError(QStringLiteral("%1: no such folder").arg(path).toStdString());
    QSet<QString> used;   // the case files a check below consumed
    const auto has = [&](const char *file) { return dir.exists(QLatin1String(file)); };
    const auto file = [&](const char *name) {
        used.insert(QLatin1String(name));
        return dir.filePath(QLatin1String(name));
    };
    const at::NoGradGuard noGrad;
    QList<GoldenCase> cases = checkDeclaredFiles(dir);

    if (has("unet_config.json") && has("unet_diffusers.safetensors") && has("unet_io.safetensors")) {
        UNet unet(UNetConfig::fromJson(json::requireObjectFile(file("unet_config.json")), file("unet_config.json")));
        loadWeights(*unet, SafetensorsReader(file("unet_diffusers.safetensors")), std::string(), QStringLiteral("UNet"));
        const SafetensorsReader io(file("unet_io.safetensors"));
        if (!io.contains("a.sample"))
            cases << failedCase(QStringLiteral("unet case a"), QStringLiteral("unet_io.safetensors holds no a.sample"));
        for (const std::string c : {"a", "b"})
            if (io.contains(c + ".sample"))
                cases << compare(QStringLiteral("unet case %1").arg(QString::fromStdString(c)),
                                 unet->forward(io.tensor(c + ".sample"), io.tensor(c + ".timestep"), io.tensor(c + ".encoder_hidden_states")),
                                 io.tensor(c + ".out"), kModelTolerance);
    }
    if (has("vae_config.json") && has("vae_diffusers.safetensors") && has("vae_io.safetensors")) {
        Autoencoder vae(VaeConfig::fromJson(json::requireObjectFile(file("vae_config.json")), file("vae_config.json")));
        loadWeights(*vae, SafetensorsReader(file("vae_diffusers.safetensors")), std::string(), QStringLiteral("VAE"));
        const SafetensorsReader io(file("vae_io.safetensors"));
        const LatentDistribution dist = vae->encode(io.tensor("encode.image"));
        cases << compare(QStringLiteral("vae encoder mean"), dist.mean, io.tensor("encode.mean"), kModelTolerance);
        cases << compare(QStringLiteral("vae encoder logvar"), dist.logvar, io.tensor("encode.logvar"), kModelTolerance);
        cases << compare(QStringLiteral("vae sample"), dist.sample(io.tensor("encode.eps")), io.tensor("encode.sample"), kModelTolerance);
        cases << compare(QStringLiteral("vae decoder"), vae->decode(io.tensor("decode.latent")), io.tensor("decode.out"), kModelTolerance);
    }
    if (has("clip_text_config.json") && has("clip_text_transformers.safetensors") && has("clip_text_io.safetensors")) {
        TextEncoder text(TextEncoderConfig::fromJson(json::requireObjectFile(file("clip_text_config.json")), file("clip_text_config.json")));
        loadWeights(*text, SafetensorsReader(file("clip_text_transformers.safetensors")), std::string(), QStringLiteral("CLIP text"));
        const SafetensorsReader io(file("clip_text_io.safetensors"));
        const at::Tensor ids = io.tensor("input_ids");
        const std::vector<at::Tensor> states = text->hiddenStates(ids);
        for (size_t i = 0; i < states.size(); ++i)
            if (io.contains("hidden_states." + std::to_string(i)))
                cases << compare(QStringLiteral("clip text hidden state %1").arg(i), states[i], io.tensor("hidden_states." + std::to_string(i)), kModelTolerance);
        cases << compare(QStringLiteral("clip text last hidden state"), text->encode(ids, 1), io.tensor("last_hidden_state"), kModelTolerance);
        cases << compare(QStringLiteral("clip text CLIP skip 2"), text->encode(ids, 2), io.tensor("penultimate_final_ln"), kModelTolerance);
    }
    if (has("scheduler_euler_a_schedules.safetensors")) {
        const SafetensorsReader golden(file("scheduler_euler_a_schedules.safetensors"));
        const NoiseSchedule schedule = NoiseSchedule::stableDiffusion();
        std::vector<double> sigmas;
        for (int t = 0; t < schedule.trainSteps(); ++t)
            sigmas.push_back(schedule.sigma(t));
        cases << compare(QStringLiteral("schedule betas"), doubles(schedule.betas()), golden.tensor("train.betas"), kScheduleTolerance);
        cases << compare(QStringLiteral("schedule alphas_cumprod"), doubles(schedule.alphasCumprod()), golden.tensor("train.alphas_cumprod"), kScheduleTolerance);
        GoldenCase sigma = compare(QStringLiteral("schedule sigmas"), doubles(sigmas), golden.tensor("train.sigmas_all_1000"), 0.0);
        sigma.tolerance = kScheduleTolerance;   // sigmas reach 14.6: the README's bound is relative here
        sigma.passed = sigma.note.isEmpty() && sigma.maxRelError <= kScheduleTolerance;   // a shape mismatch stays a failure
        cases << sigma;
    }
    if (has("scheduler_euler_a_runs.safetensors")) {
        const QList<GoldenCase> runs = samplerRuns(SafetensorsReader(file("scheduler_euler_a_runs.safetensors")));
        cases << (runs.isEmpty() ? QList<GoldenCase>{failedCase(QStringLiteral("euler_a runs"), QStringLiteral("the file holds no <spacing>.<steps>.x_T_unit run"))}
                                 : runs);
    }
    if (has("tokenizer_vocab.json") && has("tokenizer_merges.txt") && has("tokenizer_cases.json")) {
        const ClipTokenizer tokenizer(file("tokenizer_vocab.json"), file("tokenizer_merges.txt"));
        const QJsonValue declared = json::requireObjectFile(file("tokenizer_cases.json")).value(QStringLiteral("cases"));
        if (!declared.isArray() || declared.toArray().isEmpty())
            throw InputError(QStringLiteral("%1: expected a non-empty \"cases\" array").arg(file("tokenizer_cases.json")).toStdString());
        for (const QJsonValue &v : declared.toArray()) {
            const QJsonObject c = v.toObject();
            if (!c.value(QStringLiteral("prompt")).isString() || !c.value(QStringLiteral("input_ids")).isArray()) {
                cases << failedCase(QStringLiteral("tokenizer %1").arg(c.value(QStringLiteral("name")).toString()),
                                    QStringLiteral("case without a prompt string and an input_ids array"));
                continue;
            }
            // ftfy repairs some prompts; without ftfy the reference is transformers' ids without it.
            const QJsonArray expected = c.value(QStringLiteral("input_ids")) != c.value(QStringLiteral("input_ids_without_ftfy")) && c.contains(QStringLiteral("input_ids_without_ftfy"))
                                            ? c.value(QStringLiteral("input_ids_without_ftfy")).toArray()
                                            : c.value(QStringLiteral("input_ids")).toArray();
            std::vector<double> reference;
            for (const QJsonValue &id : expected)
                reference.push_back(double(id.toInteger()));
            std::vector<double> ours;
            for (int64_t id : tokenizer.encode(c.value(QStringLiteral("prompt")).toString()))
                ours.push_back(double(id));
            GoldenCase result = compare(QStringLiteral("tokenizer %1").arg(c.value(QStringLiteral("name")).toString()), doubles(ours), doubles(reference), 0.0);
            result.passed = result.note.isEmpty() && result.maxAbsError == 0.0;
            cases << result;
        }
    }
    if (has("sd15_tiny_ldm.safetensors") && has("unet_config.json") && has("vae_config.json") && has("clip_text_config.json")
        && has("unet_diffusers.safetensors")) {
        const StableDiffusionWeights single = loadStableDiffusion(
            file("sd15_tiny_ldm.safetensors"), UNetConfig::fromJson(json::requireObjectFile(file("unet_config.json"))), VaeConfig::fromJson(json::requireObjectFile(file("vae_config.json"))),
            TextEncoderConfig::fromJson(json::requireObjectFile(file("clip_text_config.json"))));
        const SafetensorsReader diffusers(file("unet_diffusers.safetensors"));
        GoldenCase c;
        c.name = QStringLiteral("single-file checkpoint: UNet weights");
        c.passed = true;
        for (const auto &item : single.unet->named_parameters(true)) {
            if (!diffusers.contains(item.key()) || diffusers.tensor(item.key()).sizes() != item.value().sizes()) {
                c.passed = false;   // a tensor missing or of another shape must not broadcast into a pass
                c.note = QStringLiteral("%1 missing or of another shape in unet_diffusers.safetensors").arg(QString::fromStdString(item.key()));
                break;
            }
            c.maxAbsError = std::max(c.maxAbsError, (item.value() - diffusers.tensor(item.key())).abs().max().item<double>());
        }
        c.passed = c.passed && c.maxAbsError == 0.0;
        cases << c;
    }
    // A case file whose companions are missing would otherwise be skipped without a word, and a missing one
    // would leave its cases unrun while the rest pass: both fail the run.
    for (const char *name : kCaseFiles)
        if (has(name) && !used.contains(QLatin1String(name)))
            cases << failedCase(QStringLiteral("file %1").arg(QLatin1String(name)), QStringLiteral("present, but the files its cases need are missing"));
        else if (!has(name))
            cases << failedCase(QStringLiteral("file %1").arg(QLatin1String(name)), QStringLiteral("not in the folder: the cases that need it were not run"));
    if (used.isEmpty())
        throw InputError(QStringLiteral("%1: holds no golden case (see ../shared/golden/README.md for the files)").arg(path).toStdString());
    return cases;
}

} // namespace redifine
