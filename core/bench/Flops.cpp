#include "core/bench/Flops.h"

#include "core/models/LoraCost.h"

namespace redifine {

namespace {

double conv(double in, double out, double k, double h, double w, double batch)
{
    return 2.0 * in * out * k * k * h * w * batch;
}

double resnet(double in, double out, double h, double w, double batch)
{
    return conv(in, out, 3, h, w, batch) + conv(out, out, 3, h, w, batch) + (in != out ? conv(in, out, 1, h, w, batch) : 0.0);
}

// Transformer2D: proj_in/out, self-attention, cross-attention, GEGLU feed-forward.
double transformer(double c, double h, double w, double batch, double contextDim, double contextLength)
{
    const double n = h * w * batch;
    double f = 2 * 2.0 * c * c * n;                              // proj_in, proj_out
    f += 4 * 2.0 * c * c * n + 2 * 2.0 * n * (h * w) * c;       // attn1: q k v out + QK^T and AV
    f += 2 * 2.0 * c * c * n + 2 * 2.0 * contextDim * c * contextLength * batch + 2 * 2.0 * n * contextLength * c;
    f += 2.0 * c * 8 * c * n + 2.0 * 4 * c * c * n;              // ff: c -> 8c (GEGLU), 4c -> c
    return f;
}

double vaeMid(double c, double h, double w, double batch)
{
    const double n = h * w * batch;
    return 2 * resnet(c, c, h, w, batch) + 4 * 2.0 * c * c * n + 2 * 2.0 * n * (h * w) * c;
}

} // namespace

double unetForwardFlops(const UNetConfig &cfg, int batch, int height, int width, int contextLength)
{
    const auto &ch = cfg.blockOutChannels;
    const size_t blocks = ch.size();
    double h = height, w = width, f = conv(cfg.inChannels, ch[0], 3, h, w, batch);
    f += 2.0 * ch[0] * 4 * ch[0] * batch + 2.0 * 4 * ch[0] * 4 * ch[0] * batch;   // time embedding
    std::vector<double> skips{double(ch[0])};
    double out = ch[0];
    for (size_t i = 0; i < blocks; ++i) {
        const double in = out;
        out = ch[i];
        for (int l = 0; l < cfg.layersPerBlock; ++l) {
            f += resnet(l == 0 ? in : out, out, h, w, batch);
            if (cfg.crossAttention[i])
                f += transformer(out, h, w, batch, cfg.crossAttentionDim, contextLength);
            skips.push_back(out);
        }
        if (i + 1 < blocks) {
            h /= 2;
            w /= 2;
            f += conv(out, out, 3, h, w, batch);
            skips.push_back(out);
        }
    }
    f += 2 * resnet(out, out, h, w, batch) + transformer(out, h, w, batch, cfg.crossAttentionDim, contextLength);
    for (size_t i = 0; i < blocks; ++i) {
        const size_t r = blocks - 1 - i;
        const double prev = out;
        out = ch[r];
        for (int l = 0; l < cfg.layersPerBlock + 1; ++l) {
            const double skip = skips.back();
            skips.pop_back();
            f += resnet((l == 0 ? prev : out) + skip, out, h, w, batch);
            if (cfg.crossAttention[r])
                f += transformer(out, h, w, batch, cfg.crossAttentionDim, contextLength);
        }
        if (i + 1 < blocks) {
            h *= 2;
            w *= 2;
            f += conv(out, out, 3, h, w, batch);
        }
    }
    return f + conv(ch[0], cfg.outChannels, 3, h, w, batch);
}

double vaeEncodeFlops(const VaeConfig &cfg, int batch, int height, int width)
{
    const auto &ch = cfg.blockOutChannels;
    double h = height, w = width, f = conv(cfg.inChannels, ch[0], 3, h, w, batch);
    double out = ch[0];
    for (size_t i = 0; i < ch.size(); ++i) {
        const double in = out;
        out = ch[i];
        for (int l = 0; l < cfg.layersPerBlock; ++l)
            f += resnet(l == 0 ? in : out, out, h, w, batch);
        if (i + 1 < ch.size()) {
            h /= 2;
            w /= 2;
            f += conv(out, out, 3, h, w, batch);
        }
    }
    f += vaeMid(out, h, w, batch) + conv(out, 2.0 * cfg.latentChannels, 3, h, w, batch);
    return f + conv(2.0 * cfg.latentChannels, 2.0 * cfg.latentChannels, 1, h, w, batch);
}

double vaeDecodeFlops(const VaeConfig &cfg, int batch, int height, int width)
{
    const auto &ch = cfg.blockOutChannels;
    double h = height, w = width;
    double f = conv(cfg.latentChannels, cfg.latentChannels, 1, h, w, batch) + conv(cfg.latentChannels, ch.back(), 3, h, w, batch);
    double out = ch.back();
    f += vaeMid(out, h, w, batch);
    for (size_t i = 0; i < ch.size(); ++i) {
        const double prev = out;
        out = ch[ch.size() - 1 - i];
        for (int l = 0; l < cfg.layersPerBlock + 1; ++l)
            f += resnet(l == 0 ? prev : out, out, h, w, batch);
        if (i + 1 < ch.size()) {
            h *= 2;
            w *= 2;
            f += conv(out, out, 3, h, w, batch);
        }
    }
    return f + conv(ch[0], cfg.outChannels, 3, h, w, batch);
}

double textEncoderFlops(const TextEncoderConfig &cfg, int batch, int length)
{
    const double n = double(batch) * length, d = cfg.hiddenSize;
    const double perLayer = 4 * 2.0 * d * d * n + 2 * 2.0 * n * length * d + 2 * 2.0 * d * cfg.intermediateSize * n;
    return perLayer * cfg.layers;
}

double trainingModelFlops(const LatentDiffusionConfig &config, int batch, int latentHeight, int latentWidth)
{
    return 2.0 * (unetForwardFlops(config.unet, batch, latentHeight, latentWidth, config.maxTokens)
                  + textEncoderFlops(config.textEncoder, batch, config.maxTokens));
}

double loraTrainingFlops(const LatentDiffusionConfig &config, int batch, int latentHeight, int latentWidth, int rank)
{
    const auto layer = [&](double tokens, double in, double out) { return 2.0 * loraCost(tokens, in, out, rank, true).multiplyAdds; };
    const double contextTokens = double(batch) * config.maxTokens;
    const double contextDim = config.unet.crossAttentionDim;
    // One Transformer2D at `channels` over `tokens` rows: proj_in/out, attn1 q k v out, attn2 q out and
    // k v (from the text), GEGLU ff in (c -> 8c) and out (4c -> c).
    const auto transformer = [&](double tokens, double c) {
        return 8 * layer(tokens, c, c) + 2 * layer(contextTokens, contextDim, c) + layer(tokens, c, 8 * c)
               + layer(tokens, 4 * c, c);
    };
    const UNetConfig &unet = config.unet;
    double f = 0.0;
    double h = latentHeight, w = latentWidth;
    const size_t levels = unet.blockOutChannels.size();
    for (size_t i = 0; i < levels; ++i) {
        if (unet.crossAttention[i]) {
            const int perLevel = unet.layersPerBlock + (unet.layersPerBlock + 1);   // down block + up block
            f += perLevel * transformer(double(batch) * h * w, unet.blockOutChannels[i]);
        }
        if (i + 1 < levels) {
            h /= 2;
            w /= 2;
        }
    }
    f += transformer(double(batch) * h * w, unet.blockOutChannels.back());   // mid block
    const TextEncoderConfig &te = config.textEncoder;
    const double hidden = te.hiddenSize;
    f += te.layers * (4 * layer(contextTokens, hidden, hidden) + layer(contextTokens, hidden, te.intermediateSize)
                      + layer(contextTokens, te.intermediateSize, hidden));
    return f;
}

} // namespace redifine
