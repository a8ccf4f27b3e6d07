#pragma once

#include "core/chain/ChainConfig.h"

#include <QStringList>

#include <map>
#include <string>

namespace redifine {

// What one iteration's adapter was trained from and how.
struct AdapterProvenance
{
    QString outputName;        // A1111's alias, unique per chain settings and iteration (ChainRunner)
    QString modelPath;         // M_0 (a file or a diffusers folder)
    int resolution = 64;
    QStringList captions;      // of the training images, one per image
    QString datasetName;       // kohya's dataset folder name for ss_tag_frequency, here "iter_<k-1>"
    int steps = 0;             // optimizer steps taken
    uint64_t seed = 0;
};

// The training metadata kohya-ss's train_network.py stores in a LoRA file (the "ss_" keys A1111, ComfyUI and
// LoRA managers show and filter on, and the modelspec keys of its get_sai_model_spec), for an adapter of the
// chain `c`. The base model's hashes are kohya's: ss_new_sd_model_hash the file's SHA-256, ss_sd_model_hash the
// first 8 hex digits of the SHA-256 of its bytes 0x100000 .. 0x110000. ss_tag_frequency counts the captions'
// comma-separated tags, stripped and lowercased, as kohya's set_tag_frequency. Throws InputError naming an
// unreadable model file.
std::map<std::string, std::string> kohyaTrainingMetadata(const ChainConfig &c, const AdapterProvenance &p);

} // namespace redifine
