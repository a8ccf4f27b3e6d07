#include "core/bench/PeerBenchmark.h"

#include "core/analysis/AnalysisJson.h"
#include "core/bench/LoraStepTiming_p.h"
#include "core/common/DataPaths.h"
#include "core/common/Error.h"
#include "core/models/Lora_p.h"
#include "core/models/StateDict_p.h"
#include "core/runtime/BlasTuning.h"
#include "core/study/Statistics.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

namespace redifine {

namespace {

constexpr char kScript[] = "peer_tiny.py";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The BLAS library mapped into this process: the peer is pointed at the same one (the product's RPATH prefers
// OpenBLAS's OpenMP build, the system's libblas.so.3 is its pthread build, 2x slower next to LibTorch's pool).
QString loadedBlasLibrary()
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return {};
    static const QRegularExpression blasPath(QStringLiteral(R"((/\S*(openblas|libblas|mkl_rt|blis)\S*\.so[.\d]*))"));
    return blasPath.match(QString::fromLocal8Bit(maps.readAll())).captured(1);
}

// Runs `program` to its end; false when it could not start, crashed, timed out or exited non-zero.
bool runToEnd(QProcess &process, const QString &program, const QStringList &arguments, int timeoutMs)
{
    process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return false;
    }
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

QJsonObject counts(int64_t unet, int64_t textEncoder, int64_t vae = -1)
{
    QJsonObject o{{QStringLiteral("unet"), qint64(unet)}, {QStringLiteral("text_encoder"), qint64(textEncoder)}};
    if (vae >= 0)
        o.insert(QStringLiteral("vae"), qint64(vae));
    return o;
}

bool sameCounts(const QJsonObject &a, const QJsonObject &b)
{
    if (a.keys() != b.keys())
        return false;
    for (const QString &key : a.keys())
        if (a.value(key).toInteger(-1) != b.value(key).toInteger(-2))
            return false;
    return true;
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject pairEntry(double product, double peer)
{
    return {{QStringLiteral("product_seconds"), product}, {QStringLiteral("peer_seconds"), peer},
            {QStringLiteral("ratio"), peer / product}};
}

} // namespace

PeerProgram findPeerProgram()
{
    PeerProgram peer;
    // Every python3 on PATH in order, not only the first: a pyenv or virtualenv python3 often shadows the
    // system's, which is the one with Debian's python3-torch.
    for (const QString &dir : qEnvironmentVariable("PATH").split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
        const QFileInfo candidate(QDir(dir).filePath(QStringLiteral("python3")));
        if (!candidate.isFile() || !candidate.isExecutable())
            continue;
        QProcess probe;
        if (runToEnd(probe, candidate.absoluteFilePath(), {QStringLiteral("-c"), QStringLiteral("import torch; print(torch.__version__)")}, 120000)) {
            peer.python = candidate.absoluteFilePath();
            peer.torchVersion = QString::fromUtf8(probe.readAllStandardOutput()).trimmed();
            break;
        }
    }
    if (peer.python.isEmpty())
        throw InputError("bench --peer: needs python3 with torch (Debian: apt-get install python3-torch)");

    peer.script = findResource(QStringLiteral("bench/") + QLatin1String(kScript));   // installed beside the data
    const QString source = QDir(QStringLiteral(REDIFINE_SOURCE_RESOURCES "/../tests/device")).filePath(QLatin1String(kScript));
    if (peer.script.isEmpty() && QFile::exists(source))
        peer.script = QDir::cleanPath(source);
    if (peer.script.isEmpty())
        throw InputError(QStringLiteral("bench --peer: %1 is not installed (share/redifine-studio/bench or the source tree's "
                                        "tests/device)").arg(QLatin1String(kScript)).toStdString());
    return peer;
}

QJsonObject runPeerBenchmark(const PeerProgram &peer, const BenchmarkOptions &o, int pairs)
{
    if (pairs < 1)
        throw InputError("bench --pairs: must be at least 1");
    LatentDiffusion model(tinyBenchmarkConfig(), 0);
    model.setCpuBf16(o.cpuBf16);
    const TrainingData data = randomTrainingData(o.trainBatch, model.config().resolution);
    const int threads = at::get_num_threads();

    // The peer gets this process's environment (OPENBLAS_CORETYPE included, whether the user's or the one the
    // product re-executed itself with), the same BLAS library ahead of the system's, and no bytecode files
    // written next to an installed script.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString blas = loadedBlasLibrary();
    if (!blas.isEmpty()) {
        const QString previous = environment.value(QStringLiteral("LD_LIBRARY_PATH"));
        const QString dir = QFileInfo(blas).absolutePath();
        environment.insert(QStringLiteral("LD_LIBRARY_PATH"), previous.isEmpty() ? dir : dir + QLatin1Char(':') + previous);
    }
    environment.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    const QStringList arguments{peer.script,
                                QStringLiteral("--threads"), QString::number(threads),
                                QStringLiteral("--batch"), QString::number(o.trainBatch),
                                QStringLiteral("--steps"), QString::number(o.trainSteps),
                                QStringLiteral("--images"), QString::number(o.sampleImages),
                                QStringLiteral("--sample-steps"), QString::number(o.sampleSteps)};

    // What makes it the same model: the parameter counts of all three parts and the adapters on the same layers.
    int64_t unetAdapters = 0, textAdapters = 0;
    for (const auto &target : loraTargets(*model.unet, *model.textEncoder))
        (target.first.rfind("lora_unet_", 0) == 0 ? unetAdapters : textAdapters) += 2;   // down and up
    const QJsonObject productParameters = counts(parameterCount(*model.unet), parameterCount(*model.textEncoder), parameterCount(*model.vae));
    const QJsonObject productAdapters = counts(unetAdapters, textAdapters);

    QJsonArray pairList;
    std::vector<double> trainRatios, sampleRatios, productTrain, peerTrain, productSample, peerSample;
    QJsonObject peerReport;
    for (int pair = 0; pair < pairs; ++pair) {
        const StepTimes train = timeLoraSteps(model, data, o.trainBatch, o.trainSteps);
        const double sampling = timeSampling(model, o.sampleImages, o.sampleSteps);

        QProcess process;
        process.setProcessEnvironment(environment);
        const bool ok = runToEnd(process, peer.python, arguments, 30 * 60 * 1000);
        const QString output = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
        peerReport = QJsonDocument::fromJson(output.section(QLatin1Char('\n'), -1).toUtf8()).object();
        if (!ok || !peerReport.contains(QStringLiteral("train_step")))
            throw RuntimeError(QStringLiteral("bench --peer: %1 %2 failed: %3")
                                   .arg(peer.python, peer.script,
                                        QString::fromUtf8(process.readAllStandardError()).trimmed().right(2000))
                                   .toStdString());
        const QJsonObject peerParameters = peerReport.value(QStringLiteral("parameters")).toObject();
        const QJsonObject peerAdapters = peerReport.value(QStringLiteral("lora_tensors")).toObject();
        if (!sameCounts(peerParameters, productParameters) || !sameCounts(peerAdapters, productAdapters))
            throw RuntimeError(QStringLiteral("bench --peer: the peer's model is not the product's (parameters %1 against %2, "
                                              "LoRA tensors %3 against %4)")
                                   .arg(compact(peerParameters), compact(productParameters), compact(peerAdapters),
                                        compact(productAdapters))
                                   .toStdString());
        const double peerStep = peerReport.value(QStringLiteral("train_step")).toObject().value(QStringLiteral("median_seconds")).toDouble(kNaN);
        const double peerSampling = peerReport.value(QStringLiteral("sampling")).toObject().value(QStringLiteral("seconds")).toDouble(kNaN);
        // A ratio is reported only from times that are times: positive and finite on both sides.
        for (const double seconds : {peerStep, peerSampling, train.median, sampling})
            if (!(seconds > 0.0 && std::isfinite(seconds)))
                throw RuntimeError(QStringLiteral("bench --peer: a timing of pair %1 is not a positive number of seconds "
                                                  "(product step %2, sampling %3; peer step %4, sampling %5 from %6)")
                                       .arg(pair + 1).arg(train.median).arg(sampling).arg(peerStep).arg(peerSampling).arg(peer.script)
                                       .toStdString());
        productTrain.push_back(train.median);
        peerTrain.push_back(peerStep);
        productSample.push_back(sampling);
        peerSample.push_back(peerSampling);
        trainRatios.push_back(peerStep / train.median);
        sampleRatios.push_back(peerSampling / sampling);
        QJsonObject trainPair = pairEntry(train.median, peerStep);   // and every timed step of both
        trainPair.insert(QStringLiteral("product_steps"), jsonArray(train.seconds));
        trainPair.insert(QStringLiteral("peer_steps"), peerReport.value(QStringLiteral("train_step")).toObject().value(QStringLiteral("seconds")));
        pairList.append(QJsonObject{{QStringLiteral("train_step"), trainPair},
                                    {QStringLiteral("sampling"), pairEntry(sampling, peerSampling)}});
    }

    const QJsonObject peerBlas = peerReport.value(QStringLiteral("blas")).toObject();
    return QJsonObject{
        {QStringLiteral("implementation"), QStringLiteral("eager PyTorch, the same model, step and sampling loop")},
        // The peer always multiplies in float32 (1.13's CPU autocast stops at group_norm with bf16 input).
        {QStringLiteral("product_cpu_matmuls"), cpuMatmulsName(o.cpuBf16)},
        {QStringLiteral("peer_matmuls"), cpuMatmulsName(false)},
        {QStringLiteral("python"), peer.python},
        {QStringLiteral("script"), peer.script},
        {QStringLiteral("torch"), peerReport.value(QStringLiteral("torch"))},
        {QStringLiteral("threads"), threads},
        {QStringLiteral("peer_threads"), peerReport.value(QStringLiteral("threads"))},
        {QStringLiteral("openblas_coretype"), qEnvironmentVariable("OPENBLAS_CORETYPE")},
        {QStringLiteral("blas"), QJsonObject{{QStringLiteral("product"), blas},
                                             {QStringLiteral("product_kernels"), openBlasCoreName()},
                                             {QStringLiteral("peer"), peerBlas.value(QStringLiteral("library"))},
                                             {QStringLiteral("peer_kernels"), peerBlas.value(QStringLiteral("kernels"))},
                                             {QStringLiteral("peer_torch_config"), peerBlas.value(QStringLiteral("torch_config"))}}},
        {QStringLiteral("parameters"), productParameters},
        {QStringLiteral("lora_tensors"), productAdapters},
        {QStringLiteral("ratio"), QStringLiteral("peer seconds / product seconds: above 1, the product is faster")},
        {QStringLiteral("pairs"), pairList},
        {QStringLiteral("train_step"), QJsonObject{{QStringLiteral("batch"), o.trainBatch},
                                                   {QStringLiteral("steps"), o.trainSteps},
                                                   {QStringLiteral("product_median_seconds"), median(productTrain)},
                                                   {QStringLiteral("peer_median_seconds"), median(peerTrain)},
                                                   {QStringLiteral("median_ratio"), median(trainRatios)}}},
        {QStringLiteral("sampling"), QJsonObject{{QStringLiteral("images"), o.sampleImages},
                                                 {QStringLiteral("steps"), o.sampleSteps},
                                                 {QStringLiteral("product_median_seconds"), median(productSample)},
                                                 {QStringLiteral("peer_median_seconds"), median(peerSample)},
                                                 {QStringLiteral("median_ratio"), median(sampleRatios)}}}};
}

} // namespace redifine
