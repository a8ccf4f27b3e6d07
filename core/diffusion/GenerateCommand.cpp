#include "core/diffusion/GenerateCommand.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/data/ImageTensor_p.h"
#include "core/diffusion/Generate_p.h"
#include "core/diffusion/ImageInfotext.h"
#include "core/io/ImageFiles.h"
#include "core/models/LatentDiffusion_p.h"
#include "core/models/Lora_p.h"

#include <QDir>
#include <QPainter>

#include <chrono>

namespace redifine {

QStringList runGenerate(const GenerateRequest &r, const std::function<void(double, double)> &progress)
{
    if (r.prompts.isEmpty())
        throw InputError("generate: give at least one --prompt");
    const auto model = LatentDiffusion::load(r.model);
    model->setCpuBf16(r.cpuBf16);
    std::unique_ptr<LoraNetwork> lora;
    if (!r.loraPath.isEmpty())
        lora = std::make_unique<LoraNetwork>(*model->unet, *model->textEncoder, r.loraPath);
    // The model and the LoRA are read and checked before the output folder is made.
    if (const QString why = makeFolder(r.outDir); !why.isEmpty())
        throw InputError(QStringLiteral("%1: cannot create the output folder (%2)").arg(r.outDir, why).toStdString());
    GenerationSettings settings;
    settings.sampler = r.sampler;
    settings.spacing = r.spacing;
    settings.steps = r.steps;
    settings.cfg = r.cfg;
    settings.weights = r.loraPath.isEmpty() ? r.model.path : r.model.path + QStringLiteral(" with LoRA ") + r.loraPath;
    settings.seed = r.seed;
    settings.negativePrompt = r.negativePrompt;
    ImageRecipe recipe = recipeOf(settings);
    recipe.size = model->config().resolution;
    recipe.model = checkpointIdentity(r.model.path);
    if (!r.loraPath.isEmpty())
        recipe.lora = loraIdentity(r.loraPath);
    const auto start = std::chrono::steady_clock::now();
    const GeneratedImages images = generateImages(*model, r.prompts, 0, settings, {}, [&](double done) {
        if (!progress || done <= 0.0)
            return;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        progress(done / double(r.prompts.size()), elapsed / done * (double(r.prompts.size()) - done));
    });
    QStringList written;
    const int size = model->config().resolution;
    QList<QImage> all;
    QString firstParameters;
    for (qsizetype i = 0; i < r.prompts.size(); ++i) {
        const QImage image = tensorToImage(images.images[i]);
        const QString path = QDir(r.outDir).filePath(QStringLiteral("%1.png").arg(i, 4, 10, QLatin1Char('0')));
        recipe.prompt = r.prompts[i];
        recipe.seed = r.seed + uint64_t(i);
        const QString parameters = generationInfotext(recipe).toString();
        if (i == 0)
            firstParameters = parameters;
        writePngAtomically(path, image, parameters);
        written << path;
        all << image;
    }
    if (!r.gridPath.isEmpty()) {
        const int columns = std::min<int>(8, int(all.size()));
        const int rows = (int(all.size()) + columns - 1) / columns;
        QImage grid(columns * size, rows * size, QImage::Format_RGB888);
        grid.fill(Qt::white);
        QPainter painter(&grid);
        for (qsizetype i = 0; i < all.size(); ++i)
            painter.drawImage(int(i % columns) * size, int(i / columns) * size, all[i]);
        painter.end();
        writePngAtomically(r.gridPath, grid, firstParameters);   // as A1111 labels its grids: the first image's
        written << r.gridPath;
    }
    return written;
}

} // namespace redifine
