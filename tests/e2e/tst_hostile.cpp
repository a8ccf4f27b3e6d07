// Hostile and damaged input, generated here (no committed binaries), against the product as a user or an
// attacker would give it: every refusal is exit 2 with one line naming the file or field; nothing hangs, nothing
// from a plan or a path is executed, and no wrong or unverifiable result exits 0.
#include "core/chain/Sweep.h"
#include "core/common/Error.h"
#include "core/io/RunReader.h"
#include "core/io/TensorIo_p.h"
#include "core/models/LatentDiffusion_p.h"
#include "core/models/Lora_p.h"

#include "CliProcess.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>

#include <sys/stat.h>

using namespace redifine;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    QCOMPARE(out.write(bytes), bytes.size());
}

// A hostile weights file as an attacker would write it: the product's own writer refuses non-finite values.
void writeUncheckedSafetensors(const QString &path, const NamedTensors &tensors)
{
    QByteArray bytes = safetensorsHeader(tensors, {});
    for (const auto &[name, tensor] : tensors) {
        const at::Tensor t = tensor.contiguous();
        bytes.append(static_cast<const char *>(t.data_ptr()), qsizetype(t.numel() * t.element_size()));
    }
    writeFile(path, bytes);
}

QByteArray readFile(const QString &path)
{
    QFile in(path);
    return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson();
}

// A float64 .npy matrix.
QByteArray npy(const std::vector<double> &values, int rows, int columns)
{
    QByteArray header = QStringLiteral("{'descr': '<f8', 'fortran_order': False, 'shape': (%1, %2), }").arg(rows).arg(columns).toLatin1();
    while ((10 + header.size() + 1) % 64 != 0)
        header.append(' ');
    header.append('\n');
    QByteArray bytes("\x93NUMPY\x01\x00", 8);
    bytes.append(char(header.size() & 0xff)).append(char(header.size() >> 8)).append(header);
    bytes.append(reinterpret_cast<const char *>(values.data()), qsizetype(values.size() * sizeof(double)));
    return bytes;
}

// The refusal the product promises: exit 2 and exactly one line on stderr, naming `mentions`.
#define QVERIFY_REFUSED(result, mentions)                                                                              \
    do {                                                                                                               \
        const CliResult &r_ = (result);                                                                                \
        QVERIFY2(r_.exitCode == 2, qPrintable(QStringLiteral("exit %1: %2%3").arg(r_.exitCode).arg(r_.out, r_.err))); \
        QVERIFY2(r_.err.count(QLatin1Char('\n')) == 1 && r_.err.startsWith(QStringLiteral("error: ")), qPrintable(r_.err)); \
        QVERIFY2(r_.err.contains(mentions), qPrintable(r_.err));                                                       \
    } while (false)

} // namespace

class TestHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = m_dir.filePath(QStringLiteral("m0/tiny-base.safetensors"));
        const QString data = m_dir.filePath(QStringLiteral("emoji"));
        QCOMPARE(cli({"dataset", "emoji", "--out", data, "--group", "food-drink", "--limit", "4"}).exitCode, 0);
        const CliResult trained = cli({"pretrain", "--data", data, "--out", m_dir.filePath(QStringLiteral("m0")), "--vae-steps", "1",
                                       "--steps", "1", "--batch", "4"});
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    }

    // 1. Nothing from a plan or a path reaches bash as code: the script, run by bash with the product replaced by
    // a recorder, passes every path back byte for byte.
    void slurmScriptQuotesHostilePaths_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addRow("command substitution") << QStringLiteral("out'$(touch PWNED)'");
        QTest::addRow("apostrophe and spaces") << QStringLiteral("it's a sweep");
        QTest::addRow("newline and backticks") << QStringLiteral("a\nb`touch PWNED`");
        QTest::addRow("percent, dollar, quotes") << QStringLiteral("50% \"$HOME\" ;&|");
    }
    void slurmScriptQuotesHostilePaths()
    {
        QFETCH(QString, folder);
        const QString root = m_dir.filePath(QStringLiteral("slurm-%1").arg(++m_slurmCase));
        QDir().mkpath(root);
        const QString dir = QDir(root).filePath(folder);
        const QString recorder = QDir(root).filePath(QStringLiteral("record's $(x).sh"));
        writeFile(recorder, QByteArray("#!/bin/bash\nprintf '%s\\0' \"$@\" > \"$RECORD\"\n"));
        QFile::setPermissions(recorder, QFile::permissions(recorder) | QFileDevice::ExeOwner);
        const SweepPlan plan = expandSweepPlan(QJsonDocument::fromJson(QByteArray("{\"name\": \"s\", \"axes\": [{\"key\": \"seed\", \"values\": [0, 1]}]}")).object(),
                                               QStringLiteral("plan"));
        const QString script = slurmScript(plan, dir, SlurmOptions{}, recorder);
        QVERIFY2(!script.contains(QStringLiteral("\n#SBATCH --output")) || !folder.contains(QLatin1Char('%')), qPrintable(script));
        QDir().mkpath(dir + QStringLiteral("/logs"));
        const QString scriptPath = QDir(root).filePath(QStringLiteral("sweep.sbatch"));
        writeFile(scriptPath, script.toUtf8());
        QProcess bash;
        bash.setWorkingDirectory(root);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SLURM_ARRAY_TASK_ID"), QStringLiteral("1"));
        env.insert(QStringLiteral("SLURM_CPUS_PER_TASK"), QStringLiteral("3"));
        env.insert(QStringLiteral("SLURM_JOB_NAME"), QStringLiteral("s"));
        env.insert(QStringLiteral("RECORD"), QDir(root).filePath(QStringLiteral("argv")));
        bash.setProcessEnvironment(env);
        bash.start(QStringLiteral("bash"), {scriptPath});
        QVERIFY(bash.waitForFinished(30000));
        QCOMPARE(bash.exitCode(), 0);
        const QList<QByteArray> argv = readFile(QDir(root).filePath(QStringLiteral("argv"))).split('\0');
        const QString absolute = QFileInfo(dir).absoluteFilePath();
        const QList<QByteArray> expected{"--threads", "3", "chain", "--config", (absolute + QStringLiteral("/configs/s-seed1.json")).toUtf8(),
                                         "--out", (absolute + QStringLiteral("/s-seed1")).toUtf8(), ""};
        QCOMPARE(argv, expected);
        QVERIFY(!QFile::exists(QDir(root).filePath(QStringLiteral("PWNED"))));
        QVERIFY(!QFile::exists(QDir(dir).filePath(QStringLiteral("PWNED"))));
    }

    void hostilePlansAreRefusedBeforeAnythingIsWritten_data()
    {
        QTest::addColumn<QByteArray>("plan");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("mentions");
        const QStringList slurm{"--slurm"};
        QTest::addRow("newline in the partition") << QByteArray("{\"slurm\": {\"partition\": \"gpu\\ntouch /tmp/PWNED\"}}") << slurm << "slurm.partition";
        QTest::addRow("command in the time") << QByteArray("{\"slurm\": {\"time\": \"1:00 $(id) now\"}}") << slurm << "slurm.time";
        QTest::addRow("memory not in Slurm's grammar") << QByteArray("{\"slurm\": {\"mem\": \"16G\\n#SBATCH --uid=0\"}}") << slurm << "slurm.mem";
        QTest::addRow("cpus of the wrong type") << QByteArray("{\"slurm\": {\"cpus_per_task\": \"8\"}}") << slurm << "slurm.cpus_per_task";
        QTest::addRow("unknown Slurm field") << QByteArray("{\"slurm\": {\"account\": \"x\"}}") << slurm << "slurm.account";
        QTest::addRow("partition on the command line") << QByteArray("{}") << QStringList{"--slurm", "--partition", "a b"} << "slurm.partition";
        QTest::addRow("empty name") << QByteArray("{\"name\": \"\"}") << QStringList{} << " name";
        QTest::addRow("name ..") << QByteArray("{\"name\": \"..\"}") << QStringList{} << " name";
        QTest::addRow("axes as an object") << QByteArray("{\"axes\": {\"key\": \"seed\", \"values\": [0, 1]}}") << QStringList{} << "axes";
        QTest::addRow("values as an object") << QByteArray("{\"axes\": [{\"key\": \"seed\", \"values\": {\"a\": 1}}]}") << QStringList{} << "axes[0]";
        QTest::addRow("set as an array") << QByteArray("{\"set\": [\"iterations=2\"]}") << QStringList{} << "set";
        // Five axes of ten values: 100,000 chains, refused before the cross product is built.
        QJsonArray axes;
        for (const char *key : {"seed", "sampler.steps", "finetune.epochs", "finetune.lora_rank", "sampler.clip_skip"})
            axes.append(QJsonObject{{"key", key}, {"values", QJsonArray{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}});
        QTest::addRow("100,000 chains") << json({{"axes", axes}}) << QStringList{} << "100000 chains";
    }
    void hostilePlansAreRefusedBeforeAnythingIsWritten()
    {
        QFETCH(QByteArray, plan);
        QFETCH(QStringList, options);
        QFETCH(QString, mentions);
        const QString path = m_dir.filePath(QStringLiteral("plan.json"));
        writeFile(path, plan);
        const QString out = m_dir.filePath(QStringLiteral("refused-sweep"));
        QElapsedTimer timer;
        timer.start();
        QVERIFY_REFUSED(cli(QStringList{"sweep", path, "--out", out} + options), mentions);
        QVERIFY2(timer.elapsed() < 60000, "the refusal took more than a minute");
        QVERIFY(!QDir(out).exists());
    }

    void slurmArraysBeyondTheLimitNeedTheClustersLimit()
    {
        const QString path = m_dir.filePath(QStringLiteral("big.json"));
        QJsonArray seeds;
        for (int i = 0; i < 1002; ++i)
            seeds.append(i);
        writeFile(path, json({{"axes", QJsonArray{QJsonObject{{"key", "seed"}, {"values", seeds}}}}}));
        const QString out = m_dir.filePath(QStringLiteral("big"));
        QVERIFY_REFUSED(cli({"sweep", path, "--out", out, "--slurm"}), "MaxArraySize");
        QVERIFY(!QDir(out).exists());
        const CliResult allowed = cli({"sweep", path, "--out", out, "--slurm", "--max-array-size", "5000"});
        QVERIFY2(allowed.exitCode == 0, qPrintable(allowed.err));
        QVERIFY(readFile(out + QStringLiteral("/sweep.sbatch")).contains("#SBATCH --array=0-1001\n"));
    }

    // 2. check-golden fails what it cannot verify.
    void checkGoldenFailsWhatItCannotVerify()
    {
        const QString golden = QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden");
        const auto copy = [&](const QString &name) {
            const QString dir = m_dir.filePath(QStringLiteral("golden-") + name);
            QDir().mkpath(dir);
            for (const QString &file : QDir(golden).entryList(QDir::Files)) {
                QFile::copy(QDir(golden).filePath(file), QDir(dir).filePath(file));
                QFile::setPermissions(QDir(dir).filePath(file), QFile::ReadOwner | QFile::WriteOwner);
            }
            return dir;
        };
        // A reference tensor of the wrong shape (checksums removed so only the comparison can catch it).
        const QString shape = copy(QStringLiteral("shape"));
        QFile::remove(shape + QStringLiteral("/SHA256SUMS"));
        {
            const QString file = shape + QStringLiteral("/scheduler_euler_a_schedules.safetensors");
            NamedTensors tensors = SafetensorsReader(file).all();
            for (auto &[name, tensor] : tensors)
                if (name == "train.sigmas_all_1000")
                    tensor = tensor.narrow(0, 0, 999).clone();
            writeSafetensors(file, tensors);
        }
        const CliResult wrongShape = cli({"check-golden", shape});
        QCOMPARE(wrongShape.exitCode, 1);
        QVERIFY2(wrongShape.out.contains(QRegularExpression(QStringLiteral("schedule sigmas .*FAIL \\(shape"))), qPrintable(wrongShape.out));

        // A damaged JSON case file fails the run instead of being skipped.
        const QString damaged = copy(QStringLiteral("json"));
        writeFile(damaged + QStringLiteral("/tokenizer_cases.json"), readFile(golden + QStringLiteral("/tokenizer_cases.json")).left(500));
        QVERIFY_REFUSED(cli({"check-golden", damaged}), "tokenizer_cases.json");

        // A file the folder declares but does not hold, and one whose bytes changed.
        const QString missing = copy(QStringLiteral("missing"));
        QFile::remove(missing + QStringLiteral("/unet_io.safetensors"));
        const CliResult missingRun = cli({"check-golden", missing});
        QCOMPARE(missingRun.exitCode, 1);
        QVERIFY2(missingRun.out.contains(QStringLiteral("listed in SHA256SUMS but missing")), qPrintable(missingRun.out));
        const QString edited = copy(QStringLiteral("edited"));
        QByteArray bytes = readFile(golden + QStringLiteral("/vae_io.safetensors"));
        bytes[bytes.size() - 1] = char(bytes[bytes.size() - 1] ^ 1);
        writeFile(edited + QStringLiteral("/vae_io.safetensors"), bytes);
        const CliResult editedRun = cli({"check-golden", edited});
        QCOMPARE(editedRun.exitCode, 1);
        QVERIFY2(editedRun.out.contains(QStringLiteral("SHA-256 differs")), qPrintable(editedRun.out));

        // A golden tensor with a malformed name is refused in one line, not with a C++ exception.
        const QString names = copy(QStringLiteral("names"));
        QFile::remove(names + QStringLiteral("/SHA256SUMS"));
        {
            const QString file = names + QStringLiteral("/scheduler_euler_a_runs.safetensors");
            NamedTensors tensors = SafetensorsReader(file).all();
            tensors.emplace_back("linspace.many.x_T_unit", at::zeros({1}));
            writeSafetensors(file, tensors);
        }
        QVERIFY_REFUSED(cli({"check-golden", names}), "linspace.many.x_T_unit");

        // A folder that cannot show its files are the reference's (no SHA256SUMS), and one missing a case file,
        // fail: their other cases may pass, but not every case ran.
        const QString unlisted = copy(QStringLiteral("unlisted"));
        QFile::remove(unlisted + QStringLiteral("/SHA256SUMS"));
        QFile::remove(unlisted + QStringLiteral("/vae_io.safetensors"));
        const CliResult unlistedRun = cli({"check-golden", unlisted});
        QCOMPARE(unlistedRun.exitCode, 1);
        QVERIFY2(unlistedRun.out.contains(QRegularExpression(QStringLiteral("file SHA256SUMS.*FAIL")))
                     && unlistedRun.out.contains(QStringLiteral("not in the folder: the cases that need it were not run"))
                     && unlistedRun.out.contains(QStringLiteral("vae_io.safetensors")),
                 qPrintable(unlistedRun.out));

        // The untouched folder still passes every case.
        const CliResult clean = cli({"check-golden", golden});
        QVERIFY2(clean.exitCode == 0, qPrintable(clean.out + clean.err));
    }

    // 3. Non-finite or absurd weights never become black images with exit 0.
    void nonFiniteWeightsAreRefused()
    {
        const auto model = LatentDiffusion::load(m_model);
        LoraNetwork lora(*model->unet, *model->textEncoder, LoraSettings{4, 4.0}, 1);
        const QString good = m_dir.filePath(QStringLiteral("lora.safetensors"));
        lora.save(good);
        const NamedTensors original = SafetensorsReader(good).all();
        const auto variant = [&](const QString &name, const std::function<void(const std::string &, at::Tensor &)> &change) {
            NamedTensors tensors;   // copies: fill_ on a shared tensor would change `original` too
            for (const auto &[key, tensor] : original)
                tensors.emplace_back(key, tensor.clone());
            for (auto &[key, tensor] : tensors)
                change(key, tensor);
            const QString path = m_dir.filePath(name);
            writeUncheckedSafetensors(path, tensors);
            return path;
        };
        const QString nan = variant(QStringLiteral("nan.safetensors"), [](const std::string &key, at::Tensor &t) {
            if (key.find("lora_up") != std::string::npos)
                t.fill_(std::numeric_limits<float>::quiet_NaN());
        });
        const QString infiniteAlpha = variant(QStringLiteral("alpha-inf.safetensors"), [](const std::string &key, at::Tensor &t) {
            if (key.find(".alpha") != std::string::npos)
                t.fill_(std::numeric_limits<float>::infinity());
        });
        const QString vectorAlpha = variant(QStringLiteral("alpha-vector.safetensors"), [](const std::string &key, at::Tensor &t) {
            if (key.find(".alpha") != std::string::npos)
                t = at::ones({3});
        });
        const QString scalarDown = variant(QStringLiteral("scalar-down.safetensors"), [](const std::string &key, at::Tensor &t) {
            if (key.find("lora_down") != std::string::npos)
                t = at::ones({});
        });
        const QString huge = variant(QStringLiteral("huge.safetensors"), [](const std::string &key, at::Tensor &t) {
            if (key.find(".lora_up.") != std::string::npos || key.find(".lora_down.") != std::string::npos)
                t.fill_(1e18f);
        });
        const QString rankZero = variant(QStringLiteral("rank-0.safetensors"), [](const std::string &key, at::Tensor &t) {
            if (key.find("lora_down") != std::string::npos)
                t = at::zeros({0, t.size(1)});
            else if (key.find("lora_up") != std::string::npos)
                t = at::zeros({t.size(0), 0});
        });
        // An adapter kind whose other factors would be left out (DoRA's magnitude, LoHa's Hadamard factors):
        // refused, never drawn as if the file were plain LoRA.
        const auto withExtra = [&](const QString &name, const std::string &suffix) {
            NamedTensors tensors = original;
            const std::string down = original.front().first;
            tensors.emplace_back(down.substr(0, down.find('.')) + suffix, at::ones({4}));
            writeSafetensors(m_dir.filePath(name), tensors);
            return m_dir.filePath(name);
        };
        const QStringList generate{"generate", "--model", m_model, "--prompt", "red apple", "--steps", "4"};
        QVERIFY_REFUSED(cli(generate + QStringList{"--lora", rankZero, "--out", m_dir.filePath(QStringLiteral("gen"))}), "rank 0");
        for (const std::string suffix : {".dora_scale", ".hada_w1_a", ".lora_mid.weight"})
            QVERIFY_REFUSED(cli(generate + QStringList{"--lora", withExtra(QStringLiteral("extra.safetensors"), suffix), "--out",
                                                        m_dir.filePath(QStringLiteral("gen"))}),
                            QString::fromStdString(suffix));
        QVERIFY_REFUSED(cli(generate + QStringList{"--lora", nan, "--out", m_dir.filePath(QStringLiteral("gen"))}), "nan.safetensors");
        QVERIFY_REFUSED(cli(generate + QStringList{"--lora", infiniteAlpha, "--out", m_dir.filePath(QStringLiteral("gen"))}), "alpha-inf.safetensors");
        QVERIFY_REFUSED(cli(generate + QStringList{"--lora", vectorAlpha, "--out", m_dir.filePath(QStringLiteral("gen"))}), "alpha must be one number");
        QVERIFY_REFUSED(cli(generate + QStringList{"--lora", scalarDown, "--out", m_dir.filePath(QStringLiteral("gen"))}), "scalar-down.safetensors");
        // Finite but absurd: the first non-finite latent stops the run with exit 1, naming the step and the file.
        const CliResult diverged = cli(generate + QStringList{"--lora", huge, "--out", m_dir.filePath(QStringLiteral("gen-huge"))});
        QVERIFY2(diverged.exitCode == 1, qPrintable(diverged.err));
        QVERIFY2(diverged.err.contains(QStringLiteral("sampling step 1 of 4")) && diverged.err.contains(QStringLiteral("huge.safetensors")),
                 qPrintable(diverged.err));
        QCOMPARE(diverged.err.count(QLatin1Char('\n')), 1);
        QVERIFY(QDir(m_dir.filePath(QStringLiteral("gen-huge"))).entryList({"*.png"}).isEmpty());
        // A pickle is named as one wherever a weights file is read.
        writeFile(m_dir.filePath(QStringLiteral("lora.ckpt")), QByteArray("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10));
        QVERIFY_REFUSED(cli(generate + QStringList{"--lora", m_dir.filePath(QStringLiteral("lora.ckpt")), "--out", m_dir.filePath(QStringLiteral("gen"))}),
                        "pickle");
    }

    // Nothing that cannot be loaded again is written: a weight that overflows half precision on saving, a model
    // from an autoencoder that does not fit fp16, a data folder too small to hold one image out.
    void unloadableWeightsAreNeverWritten()
    {
        const QString nanPath = m_dir.filePath(QStringLiteral("nan-weights.safetensors"));
        QVERIFY_EXCEPTION_THROWN(writeSafetensors(nanPath, {{"w", at::full({2}, std::numeric_limits<float>::quiet_NaN())}}), RuntimeError);
        const QString overflowPath = m_dir.filePath(QStringLiteral("overflow.safetensors"));
        QVERIFY_EXCEPTION_THROWN(writeSafetensors(overflowPath, {{"w", at::full({2}, 1e5f).to(at::kHalf)}}), RuntimeError);
        QVERIFY(!QFile::exists(nanPath) && !QFile::exists(overflowPath));

        NamedTensors vae;
        for (auto &[key, tensor] : SafetensorsReader(m_model).all())
            if (key.rfind("vae.", 0) == 0)
                vae.emplace_back(key, tensor.to(at::kFloat));
        for (auto &[key, tensor] : vae)
            if (key == "vae.decoder.conv_out.bias")
                tensor[0] = 1e5f;
        const QString autoencoder = m_dir.filePath(QStringLiteral("beyond-fp16.safetensors"));
        writeSafetensors(autoencoder, vae);
        const QString data = m_dir.filePath(QStringLiteral("emoji"));
        const QString never = m_dir.filePath(QStringLiteral("never-pretrained"));
        QVERIFY_REFUSED(cli({"pretrain", "--data", data, "--out", never, "--autoencoder", autoencoder, "--steps", "0"}),
                        "vae.decoder.conv_out.bias");
        QVERIFY(!QFileInfo::exists(never));

        const QString one = m_dir.filePath(QStringLiteral("one-image"));
        QDir().mkpath(one);
        QDirIterator firstImage(data, {QStringLiteral("*.png")}, QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(firstImage.hasNext());
        const QString image = firstImage.next();
        QVERIFY(QFile::copy(image, one + QStringLiteral("/apple.png")));
        QVERIFY(QFile::copy(image.chopped(4) + QStringLiteral(".txt"), one + QStringLiteral("/apple.txt")));
        QVERIFY_REFUSED(cli({"pretrain", "--data", one, "--out", never, "--steps", "0"}), "at least 2 images");
        QVERIFY(!QFileInfo::exists(never));
        // A resume with other autoencoder steps would ignore them once phase 1 is done.
        QVERIFY_REFUSED(cli({"pretrain", "--data", data, "--out", m_dir.filePath(QStringLiteral("m0")), "--vae-steps", "2", "--steps", "1",
                             "--batch", "4", "--resume"}),
                        "started with --vae-steps 1, not 2");
    }

    // An image name that is no readable file (a dangling link, a link loop) is refused, never left out of the count.
    void brokenImageLinksAreRefused()
    {
        const QString folder = m_dir.filePath(QStringLiteral("linked"));
        QDir().mkpath(folder);
        QImage image(64, 64, QImage::Format_RGB888);
        image.fill(Qt::white);
        QVERIFY(image.save(folder + QStringLiteral("/a.png")));
        QVERIFY(QFile::link(m_dir.filePath(QStringLiteral("gone.png")), folder + QStringLiteral("/gone.png")));
        QVERIFY_REFUSED(cli({"autoencode", "--model", m_model, "--images", folder, "--out", m_dir.filePath(QStringLiteral("linked-out"))}),
                        "gone.png");
        QVERIFY_REFUSED(cli({"pretrain", "--data", folder, "--out", m_dir.filePath(QStringLiteral("linked-model")), "--steps", "0"}),
                        "gone.png");
        QFile::remove(folder + QStringLiteral("/gone.png"));
        QVERIFY(QFile::link(QStringLiteral("loop.png"), folder + QStringLiteral("/loop.png")));
        QVERIFY_REFUSED(cli({"autoencode", "--model", m_model, "--images", folder, "--out", m_dir.filePath(QStringLiteral("linked-out"))}),
                        "loop.png");
    }

    void absurdModelConfigsAreRefusedBeforeAllocating_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("288 GB of channels") << "unet.block_out_channels" << QJsonValue(QJsonArray{8192, 8192, 8192}) << "billion weights";
        QTest::addRow("huge resolution") << "resolution" << QJsonValue(1 << 20) << "resolution";
        QTest::addRow("resolution not divisible") << "resolution" << QJsonValue(60) << "not a multiple of 16";
        QTest::addRow("resolution below the convolutions") << "resolution" << QJsonValue(8) << "not a multiple";
        QTest::addRow("heads not dividing") << "unet.attention_head_dim" << QJsonValue(QJsonArray{3, 3, 3}) << "heads";
    }
    void absurdModelConfigsAreRefusedBeforeAllocating()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, mentions);
        const SafetensorsReader reader(m_model);
        std::map<std::string, std::string> metadata = reader.header().metadata;
        QJsonObject config = QJsonDocument::fromJson(QByteArray::fromStdString(metadata.at("redifine_config"))).object();
        if (key.contains(QLatin1Char('.'))) {
            QJsonObject part = config.value(key.section(QLatin1Char('.'), 0, 0)).toObject();
            part.insert(key.section(QLatin1Char('.'), 1), value);
            config.insert(key.section(QLatin1Char('.'), 0, 0), part);
        } else {
            config.insert(key, value);
        }
        metadata["redifine_config"] = QJsonDocument(config).toJson(QJsonDocument::Compact).toStdString();
        const QString path = m_dir.filePath(QStringLiteral("absurd.safetensors"));
        writeSafetensors(path, reader.all(), metadata);
        QVERIFY_REFUSED(cli({"generate", "--model", path, "--prompt", "x", "--steps", "2", "--out", m_dir.filePath(QStringLiteral("absurd"))}),
                        mentions);
    }

    // Non-finite analysis input: exit 2 naming the file, never NaN in the output.
    void nonFiniteAnalysisInputIsRefused()
    {
        std::vector<double> a(5 * 4), b(5 * 4);
        for (size_t i = 0; i < a.size(); ++i) {
            a[i] = std::sin(double(i));
            b[i] = std::cos(double(i));
        }
        const QString good = m_dir.filePath(QStringLiteral("a.npy"));
        writeFile(good, npy(a, 5, 4));
        std::vector<double> withNan = b;
        withNan[7] = std::nan("");
        writeFile(m_dir.filePath(QStringLiteral("nan.npy")), npy(withNan, 5, 4));
        std::vector<double> overflowing = b;
        overflowing[3] = 1e200;
        writeFile(m_dir.filePath(QStringLiteral("big.npy")), npy(overflowing, 5, 4));
        QVERIFY_REFUSED(cli({"metrics", "fd", "--features-a", good, "--features-b", m_dir.filePath(QStringLiteral("nan.npy"))}), "nan.npy");
        QVERIFY_REFUSED(cli({"metrics", "fd", "--features-a", good, "--features-b", m_dir.filePath(QStringLiteral("big.npy"))}), "big.npy");
        QVERIFY_REFUSED(cli({"tsne", "--features", m_dir.filePath(QStringLiteral("big.npy")), "--out", m_dir.filePath(QStringLiteral("y.npy"))}),
                        "big.npy");
        at::Tensor latents = at::randn({2, 4, 8, 8});
        latents[1][2][3][4] = std::numeric_limits<float>::quiet_NaN();
        writeUncheckedSafetensors(m_dir.filePath(QStringLiteral("latents.safetensors")), {{"latents", latents}});
        QVERIFY_REFUSED(cli({"spectrum", "--latents", m_dir.filePath(QStringLiteral("latents.safetensors")), "--npy", m_dir.filePath(QStringLiteral("s.npy"))}),
                        "latents.safetensors");
    }

    // 3. Nothing hangs: a FIFO given as any input file is refused at once.
    void fifosAreRefusedNotWaitedOn()
    {
        const QString fifo = m_dir.filePath(QStringLiteral("fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QString out = m_dir.filePath(QStringLiteral("fifo-out"));
        const QList<QStringList> commands{
            {"metrics", "fd", "--features-a", fifo, "--features-b", fifo},
            {"sweep", fifo, "--out", out},
            {"chain", "--config", fifo, "--out", out},
            {"generate", "--model", fifo, "--prompt", "x", "--out", out},
            {"generate", "--model", m_model, "--lora", fifo, "--prompt", "x", "--out", out},
            {"cfg", "--file", fifo},
            {"spectrum", "--latents", fifo},
        };
        for (const QStringList &command : commands) {
            const CliResult r = runProgram(QStringLiteral(REDIFINE_CLI), command, 60000);
            QVERIFY2(r.exitCode == 2 && r.err.contains(QStringLiteral("not a regular file (a FIFO)")),
                     qPrintable(command.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err));
        }
    }

    // An output folder that cannot be made (a file in its way) is one line with the system's reason, from every
    // command that makes one; nothing is written anywhere else.
    void outputFoldersThatCannotBeMadeAreNamedWithTheReason()
    {
        const QString blocker = m_dir.filePath(QStringLiteral("a-file"));
        writeFile(blocker, "not a folder");
        const QString out = blocker + QStringLiteral("/out");
        const QString data = m_dir.filePath(QStringLiteral("emoji"));
        const QList<QStringList> commands{
            {"dataset", "emoji", "--out", out, "--limit", "1"},
            {"generate", "--model", m_model, "--prompt", "x", "--steps", "1", "--out", out},
            {"pretrain", "--data", data, "--out", out, "--vae-steps", "1", "--steps", "1", "--batch", "2"},
            {"pretrain-clip", "--data", data, "--out", out, "--steps", "1", "--batch", "2"},
            {"chain", "--preset", "cfg-7.5-quick", "--set", "model.path=\"" + m_model + "\"", "--set", "iterations=1", "--out", out},
        };
        for (const QStringList &command : commands) {
            const CliResult r = runProgram(QStringLiteral(REDIFINE_CLI), command, 120000);
            QVERIFY_REFUSED(r, QStringLiteral("cannot create the"));
            QVERIFY2(r.err.contains(QStringLiteral("(Not a directory)")), qPrintable(command.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err));
        }
    }

    // Inputs that would give a wrong number with exit 0 (a width-0 feature matrix, prompts read from a broken
    // JSON file as lines of text, a guidance schedule that overflows, aliased weights, one weight under two
    // namings) or overwrite what they are computed from are refused with one line.
    void resultsThatWouldBeWrongAreRefused()
    {
        const QString dir = m_dir.filePath(QStringLiteral("wrong"));
        writeFile(dir + QStringLiteral("/empty-a.npy"), npy({}, 3, 0));
        QVERIFY_REFUSED(cli({"metrics", "fd", "--features-a", dir + QStringLiteral("/empty-a.npy"), "--features-b", dir + QStringLiteral("/empty-a.npy")}),
                        "no feature columns");

        // dataset emoji writes kohya's <repeats>_<name> folders.
        const QString images = m_dir.filePath(QStringLiteral("emoji/1_food-drink"));
        writeFile(dir + QStringLiteral("/truncated.json"), "{\n  \"prompts\": [\n    \"red apple\",\n    \"green");
        writeFile(dir + QStringLiteral("/numbers.json"), "{\"prompts\": [1, 2, 3, 4]}");
        QVERIFY_REFUSED(cli({"metrics", "run", "--reference", images, "--images", images, "--prompts", dir + QStringLiteral("/truncated.json")}),
                        "truncated.json: not valid JSON");
        QVERIFY_REFUSED(cli({"metrics", "run", "--reference", images, "--images", images, "--prompts", dir + QStringLiteral("/numbers.json")}),
                        "prompts[0] is not a string");

        QVERIFY_REFUSED(cli({"cfg", "--type", "exponential", "--s0", "7.5", "--alpha", "-1e308"}), "cfg.alpha");
        QVERIFY_REFUSED(cli({"cfg", "--type", "constant", "--scale", "1e300"}), "cfg.scale");
        QVERIFY_REFUSED(cli({"--threads", "99999", "cfg", "--steps", "2"}), "--threads");
        QVERIFY_REFUSED(cli({"cfg", "--steps", "100000000"}), "cfg --steps");
        writeFile(dir + QStringLiteral("/array-plan.json"), "[{\"key\": \"seed\"}]");
        QVERIFY_REFUSED(cli({"sweep", dir + QStringLiteral("/array-plan.json"), "--out", dir + QStringLiteral("/never")}), "the top level is an array");

        // Outputs naming an input.
        const QString features = dir + QStringLiteral("/features.npy");
        std::vector<double> values(12);
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = std::sin(double(i));
        writeFile(features, npy(values, 4, 3));
        const QByteArray before = readFile(features);
        QVERIFY_REFUSED(cli({"tsne", "--features", features, "--out", features}), "would be overwritten");
        QVERIFY_REFUSED(cli({"tsne", "--features", features, "--out", dir + QStringLiteral("/y.npy"), "--perplexity", "1", "--iterations", "2000000000"}), "iterations");
        QCOMPARE(readFile(features), before);
        const QString image = QDir(images).filePath(QDir(images).entryList({QStringLiteral("*.png")}).first());
        const QByteArray imageBefore = readFile(image);
        QVERIFY_REFUSED(cli({"spectrum", "--images", images, "--npy", image}), "would be overwritten");
        QCOMPARE(readFile(image), imageBefore);

        // Tensors "a" and "b" share bytes 8-16; the empty "e" between them must not hide it.
        const QByteArray header = R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"e":{"dtype":"F32","shape":[0],"data_offsets":[8,8]},)"
                                  R"("b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})";
        QByteArray aliased(8, '\0');
        for (int i = 0; i < 8; ++i)
            aliased[i] = char((quint64(header.size()) >> (8 * i)) & 0xff);
        aliased.append(header).append(QByteArray(24, '\0'));
        writeFile(dir + QStringLiteral("/aliased.safetensors"), aliased);
        const QStringList generate{"generate", "--model", m_model, "--prompt", "red apple", "--steps", "2", "--out", dir + QStringLiteral("/gen")};
        QVERIFY_REFUSED(cli(generate + QStringList{"--lora", dir + QStringLiteral("/aliased.safetensors")}), "overlap");

        // One down weight under kohya's name and again under PEFT's.
        const auto model = LatentDiffusion::load(m_model);
        LoraNetwork lora(*model->unet, *model->textEncoder, LoraSettings{4, 4.0}, 1);
        lora.save(dir + QStringLiteral("/kohya.safetensors"));
        NamedTensors tensors = SafetensorsReader(dir + QStringLiteral("/kohya.safetensors")).all();
        std::string down;
        for (const auto &[key, tensor] : tensors)
            if (key.rfind("lora_unet_", 0) == 0 && key.find(".lora_down.weight") != std::string::npos)
                down = key;
        QVERIFY(!down.empty());
        std::string path = down.substr(std::string("lora_unet_").size(), down.find('.') - std::string("lora_unet_").size());
        std::replace(path.begin(), path.end(), '_', '.');
        at::Tensor copy;
        for (const auto &[key, tensor] : tensors)
            if (key == down)
                copy = tensor.clone();
        tensors.emplace_back("unet." + path + ".lora_A.weight", copy);
        writeSafetensors(dir + QStringLiteral("/twice.safetensors"), tensors);
        QVERIFY_REFUSED(cli(generate + QStringList{"--lora", dir + QStringLiteral("/twice.safetensors")}), "are the same weight");
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/gen")) || QDir(dir + QStringLiteral("/gen")).entryList({"*.png"}).isEmpty());
    }

    // A chain.json claiming two billion iterations is read from the folders on disk, at once.
    void absurdIterationCountsDoNotHangReaders()
    {
        const QString run = m_dir.filePath(QStringLiteral("runs/huge"));
        writeFile(run + QStringLiteral("/chain.json"), json({{"config", QJsonObject{{"name", "huge"}, {"iterations", 2000000000}}}}));
        writeFile(run + QStringLiteral("/iter_0/DONE"), "2026-01-01T00:00:00Z\n");
        QDir().mkpath(run + QStringLiteral("/iter_1"));
        QElapsedTimer timer;
        timer.start();
        const RunSummary summary = readRunSummary(run);
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(summary.iterations, 1);
        QVERIFY2(summary.problems.join(QLatin1Char(';')).contains(QStringLiteral("2000000000 iterations")), qPrintable(summary.problems.join(';')));
        QVERIFY(!isChainComplete(run));
    }

    // FD of few rows and wide features is fast and exact: a shifted copy is at |shift|^2.
    void frechetDistanceOfFewWideRowsIsFast()
    {
        const int rows = 5, columns = 2000;
        std::vector<double> a(size_t(rows * columns)), b(a.size());
        double shift = 0.0;
        for (int j = 0; j < columns; ++j) {
            const double s = 0.01 * std::sin(0.37 * j);
            shift += s * s;
            for (int i = 0; i < rows; ++i) {
                a[size_t(i * columns + j)] = std::cos(1.3 * i + 0.11 * j * (i + 1));
                b[size_t(i * columns + j)] = a[size_t(i * columns + j)] + s;
            }
        }
        writeFile(m_dir.filePath(QStringLiteral("wide-a.npy")), npy(a, rows, columns));
        writeFile(m_dir.filePath(QStringLiteral("wide-b.npy")), npy(b, rows, columns));
        QElapsedTimer timer;
        timer.start();
        const CliResult r = cli({"metrics", "fd", "--features-a", m_dir.filePath(QStringLiteral("wide-a.npy")), "--features-b",
                                 m_dir.filePath(QStringLiteral("wide-b.npy")), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));
        const double fd = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("fd")).toDouble(-1);
        QVERIFY2(std::abs(fd - shift) < 1e-9 * std::max(1.0, shift) + 1e-10, qPrintable(QStringLiteral("%1 vs %2").arg(fd).arg(shift)));
    }

private:
    QTemporaryDir m_dir;
    QString m_model;
    int m_slurmCase = 0;
};

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
