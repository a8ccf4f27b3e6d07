#pragma once

#include <QString>

#include <cstdint>
#include <functional>

namespace redifine {

// Trains tiny-clip (models/TinyClip_p.h) on a captioned image folder with the symmetric CLIP loss, holding
// out every 20th image to measure caption-to-image retrieval. Checkpoints as it goes; resumable after a kill.
struct TinyClipTrainOptions
{
    QString dataDir;
    QString outDir;
    int steps = 3000;
    int batchSize = 256;
    double lr = 1e-3;
    double weightDecay = 0.05;
    int warmupSteps = 100;
    int shift = 4;                 // random translation, pixels (white fills in), so features see position jitter
    int holdoutEvery = 20;
    int checkpointEvery = 250;
    uint64_t seed = 0;
    bool resume = false;
};

struct TinyClipProgress
{
    int step = 0;
    int totalSteps = 0;
    double loss = 0.0;
    double secondsPerStep = 0.0;
};

// Retrieval among the held-out images: for each caption, the rank of its own image by cosine.
struct RetrievalAccuracy
{
    int candidates = 0;
    double top1 = 0.0;
    double top5 = 0.0;
};

struct TinyClipResult
{
    QString modelPath;             // <out>/tiny-clip.safetensors (fp16)
    RetrievalAccuracy captionToImage;
    RetrievalAccuracy imageToCaption;
    bool cancelled = false;
};

TinyClipResult trainTinyClip(const TinyClipTrainOptions &options, const std::function<void(const TinyClipProgress &)> &progress = {},
                             const std::function<bool()> &cancelled = {});

} // namespace redifine
