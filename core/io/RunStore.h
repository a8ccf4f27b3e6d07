#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace redifine {

// The run folder of one chain, readable without the app (see DESIGN.md "The run store"):
//   chain.json                      config, seeds, software version, dataset hash
//   iter_K/images/NNNN.png          D_K, each with a "parameters" text chunk
//   iter_K/images/NNNN.txt          its caption (the prompt), so images/ serves other trainers as it is
//   iter_K/prompts.json             the prompt of each image (iteration 0: the captions of D_0, and the
//                                   kohya repeats of each when a dataset folder gave some)
//   iter_K/lora.safetensors         adapter M_K (kohya format), K >= 1
//   iter_K/latents.safetensors, diffnorm.safetensors, train_log.csv, metrics.json
//   iter_K/DONE                     written last: iteration K is complete
class RunStore
{
public:
    explicit RunStore(QString root) : m_root(std::move(root)) {}

    const QString &root() const { return m_root; }
    QString chainJsonPath() const;
    QString iterationDir(int k) const;
    QString imagesDir(int k) const;
    QString imagePath(int k, int index) const;
    QString captionPath(int k, int index) const;
    QString file(int k, const QString &name) const;

    bool isDone(int k) const;
    // Writes iter_k/DONE last: the SHA-256 of chain.json's config and the size and SHA-256 of every file of the
    // iteration, so that a later edit of the settings or a damaged file is found (damage()).
    void markDone(int k) const;
    // Empty when iteration k is as DONE recorded it, else the problem naming the file: chain.json's config
    // changed, a file is missing or of another size, or its SHA-256 differs (every file with checkContents, else
    // those named in alwaysHashed, relative to the iteration). A DONE from before manifests (a time stamp) has
    // nothing to check against and passes; an empty or foreign DONE is damage.
    QString damage(int k, bool checkContents, const QStringList &alwaysHashed = {}) const;
    QString configHash() const;   // SHA-256 of chain.json's "config" object as compact JSON

    QJsonObject readChainJson() const;   // throws InputError naming the file
    QStringList readPrompts(int k) const;   // iter_k/prompts.json; throws RuntimeError naming a missing file
    void writeJson(const QString &path, const QJsonObject &object) const;
    void writeText(const QString &path, const QByteArray &bytes) const;

private:
    QString m_root;
};

} // namespace redifine
