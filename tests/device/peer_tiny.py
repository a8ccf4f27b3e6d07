"""The eager-PyTorch peer of `redifine bench` for the tiny family: the same LoRA training step and the same
sampling loop, written as a researcher would write them in plain PyTorch, so that `redifine bench --peer` can
say how much faster the product is on the same machine, in the same run.

What it mirrors (core/bench/Benchmark.cpp, LoraStepTiming.cpp, train/Finetune.cpp, diffusion/Generate.cpp):
- the model: LatentDiffusionConfig::tinyDefault() with the benchmark's 400-word vocabulary (404 tokens with
  the specials), 24 tokens per caption, 64 x 64 images, 16 x 16 x 4 latents; fresh weights (seed 0), as the
  product's benchmark uses. The UNet is the project's diffusers-layout UNet (reference_sd15.py, imported);
  the text encoder is transformers' CLIPTextModel layout and the autoencoder diffusers' AutoencoderKL
  layout, written here (transformers and diffusers are not in Debian 12). The parameter counts are printed
  so that the caller can check they equal the product's.
- the training step at batch 32: cached latents (random, with a flipped copy chosen per sample), the captions'
  token ids, noise, timesteps 0..999, x_t, CLIP text encoder and UNet forward and backward, kohya LoRA rank 32
  alpha 8 on the UNet's Transformer2D linears and 1x1 convs and the text encoder's CLIPAttention and CLIPMLP
  (216 adapter tensors), min-SNR-5 weighted MSE, clip_grad_norm_(1.0), AdamW (lr 1e-4 UNet, 5e-5 text
  encoder, weight decay 0.01), zero_grad(set_to_none=True). One warm-up step, then N timed steps.
- sampling: 16 images, 30 Euler-ancestral steps (linspace spacing, k-diffusion's eta 1) with CFG 7.5, the
  unconditional text "" and the 16 prompts encoded first, one UNet call on [uncond, cond] (batch 32) per
  step, then the autoencoder's decode, under torch.no_grad(); a 2-image warm-up first. Timed as a whole.

Why it is a fair peer: the same shapes, work and thread count (torch.set_num_threads), the same Debian build of
LibTorch 1.13 (python3-torch) and, when `redifine bench --peer` starts it, the same OpenBLAS library (the
product's OpenMP build, through LD_LIBRARY_PATH) and kernels (OPENBLAS_CORETYPE). It is eager PyTorch as
diffusers, transformers and kohya-ss write it: no torch.compile, no channels_last, no fusion, nothing the
product's code does not also do; AdamW with foreach=True, eager PyTorch's own multi-tensor path (the product
updates its adapters with multi-tensor kernels too). Timing starts after a warm-up, as the product's does.

  python3 peer_tiny.py --threads 2 [--batch 32 --steps 10 --images 16 --sample-steps 30]
prints one JSON object (seconds of every timed training step, their median; sampling seconds and images/s;
torch version, threads, BLAS library and kernels; parameter counts).
"""
import argparse
import ctypes
import json
import math
import os
import re
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_sd15 as ref  # noqa: E402  (the diffusers-layout UNet and kohya-style LoRA)

# LatentDiffusionConfig::tinyDefault() (core/models/ModelConfigs.cpp), in diffusers' vocabulary.
TINY_UNET = {"in_channels": 4, "out_channels": 4, "block_out_channels": [32, 64, 128], "layers_per_block": 1,
             "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
             "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"], "norm_num_groups": 16,
             "norm_eps": 1e-5, "cross_attention_dim": 128, "attention_head_dim": [4, 4, 4], "flip_sin_to_cos": True,
             "freq_shift": 0}
TINY_VAE = {"block_out_channels": [32, 64, 128], "layers_per_block": 1, "norm_num_groups": 16, "latent_channels": 4}
VOCAB = 4 + 400          # the word tokenizer's specials (pad, bos, eos, unk) + the benchmark's "word0".."word399"
TOKENS = 24              # maxTokens: the text encoder's positions
PAD, BOS, EOS = 0, 1, 2
RESOLUTION, LATENT = 64, 16


# ---- transformers' CLIPTextModel (text_model.embeddings / encoder.layers / final_layer_norm) ----------------

class CLIPAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.k_proj, self.v_proj, self.q_proj, self.out_proj = (nn.Linear(dim, dim) for _ in range(4))

    def forward(self, x, mask):
        b, n, c = x.shape
        shape = lambda t: t.view(b, n, self.heads, c // self.heads).transpose(1, 2).reshape(b * self.heads, n, -1)
        q, k, v = shape(self.q_proj(x) * self.scale), shape(self.k_proj(x)), shape(self.v_proj(x))
        weights = torch.softmax(torch.bmm(q, k.transpose(1, 2)) + mask, -1)
        out = torch.bmm(weights, v).view(b, self.heads, n, -1).transpose(1, 2).reshape(b, n, c)
        return self.out_proj(out)


class CLIPMLP(nn.Module):
    def __init__(self, dim, inner):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(dim, inner), nn.Linear(inner, dim)

    def forward(self, x):
        h = self.fc1(x)
        return self.fc2(h * torch.sigmoid(1.702 * h))  # quick_gelu


class CLIPEncoderLayer(nn.Module):
    def __init__(self, dim, inner, heads):
        super().__init__()
        self.self_attn, self.layer_norm1 = CLIPAttention(dim, heads), nn.LayerNorm(dim)
        self.mlp, self.layer_norm2 = CLIPMLP(dim, inner), nn.LayerNorm(dim)

    def forward(self, x, mask):
        x = x + self.self_attn(self.layer_norm1(x), mask)
        return x + self.mlp(self.layer_norm2(x))


class CLIPTextModel(nn.Module):
    def __init__(self, vocab=VOCAB, dim=128, inner=512, layers=4, heads=4, positions=TOKENS):
        super().__init__()
        self.text_model = nn.Module()
        self.text_model.embeddings = nn.Module()
        self.text_model.embeddings.token_embedding = nn.Embedding(vocab, dim)
        self.text_model.embeddings.position_embedding = nn.Embedding(positions, dim)
        self.text_model.encoder = nn.Module()
        self.text_model.encoder.layers = nn.ModuleList([CLIPEncoderLayer(dim, inner, heads) for _ in range(layers)])
        self.text_model.final_layer_norm = nn.LayerNorm(dim)

    def forward(self, ids):  # last_hidden_state: final_layer_norm of the last layer (CLIP skip 1)
        m, n = self.text_model, ids.shape[1]
        h = m.embeddings.token_embedding(ids) + m.embeddings.position_embedding(torch.arange(n))[None]
        mask = torch.full((n, n), float("-inf")).triu(1)
        for layer in m.encoder.layers:
            h = layer(h, mask)
        return m.final_layer_norm(h)


# ---- diffusers' AutoencoderKL (the encoder is built for the parameter count; sampling runs the decoder) --------

class VaeResnet(nn.Module):
    def __init__(self, cin, cout, groups):
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(groups, cin, eps=1e-6), nn.Conv2d(cin, cout, 3, padding=1)
        self.norm2, self.conv2 = nn.GroupNorm(groups, cout, eps=1e-6), nn.Conv2d(cout, cout, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv2(F.silu(self.norm2(self.conv1(F.silu(self.norm1(x))))))
        return (x if self.conv_shortcut is None else self.conv_shortcut(x)) + h


class VaeAttention(nn.Module):
    def __init__(self, c, groups):
        super().__init__()
        self.group_norm = nn.GroupNorm(groups, c, eps=1e-6)
        self.to_q, self.to_k, self.to_v = nn.Linear(c, c), nn.Linear(c, c), nn.Linear(c, c)
        self.to_out = nn.ModuleList([nn.Linear(c, c), nn.Dropout(0.0)])

    def forward(self, x):
        b, c, h, w = x.shape
        t = self.group_norm(x).view(b, c, h * w).transpose(1, 2)
        out = self.to_out[0](ref.attention(self.to_q(t), self.to_k(t), self.to_v(t), 1))
        return out.transpose(1, 2).reshape(b, c, h, w) + x


class VaeMid(nn.Module):
    def __init__(self, c, groups):
        super().__init__()
        self.attentions = nn.ModuleList([VaeAttention(c, groups)])
        self.resnets = nn.ModuleList([VaeResnet(c, c, groups), VaeResnet(c, c, groups)])

    def forward(self, x):
        return self.resnets[1](self.attentions[0](self.resnets[0](x)))


class VaeDownsample(nn.Module):  # diffusers' encoder pads (0, 1, 0, 1) before a stride-2 conv
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, stride=2)

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)))


class AutoencoderKL(nn.Module):
    def __init__(self, cfg=TINY_VAE):
        super().__init__()
        ch, layers, g, lat = cfg["block_out_channels"], cfg["layers_per_block"], cfg["norm_num_groups"], cfg["latent_channels"]
        self.encoder, self.decoder = nn.Module(), nn.Module()
        e, d = self.encoder, self.decoder
        e.conv_in = nn.Conv2d(3, ch[0], 3, padding=1)
        e.down_blocks = nn.ModuleList()
        for i, c in enumerate(ch):
            block = nn.Module()
            block.resnets = nn.ModuleList([VaeResnet(ch[max(i - 1, 0)] if j == 0 else c, c, g) for j in range(layers)])
            if i + 1 < len(ch):
                block.downsamplers = nn.ModuleList([VaeDownsample(c)])
            e.down_blocks.append(block)
        e.mid_block = VaeMid(ch[-1], g)
        e.conv_norm_out, e.conv_out = nn.GroupNorm(g, ch[-1], eps=1e-6), nn.Conv2d(ch[-1], 2 * lat, 3, padding=1)
        d.conv_in = nn.Conv2d(lat, ch[-1], 3, padding=1)
        d.mid_block = VaeMid(ch[-1], g)
        d.up_blocks = nn.ModuleList()
        prev = ch[-1]
        for i, c in enumerate(reversed(ch)):
            block = nn.Module()
            block.resnets = nn.ModuleList([VaeResnet(prev if j == 0 else c, c, g) for j in range(layers + 1)])
            if i + 1 < len(ch):
                block.upsamplers = nn.ModuleList([ref.Upsample(c)])
            d.up_blocks.append(block)
            prev = c
        d.conv_norm_out, d.conv_out = nn.GroupNorm(g, ch[0], eps=1e-6), nn.Conv2d(ch[0], 3, 3, padding=1)
        self.quant_conv = nn.Conv2d(2 * lat, 2 * lat, 1)
        self.post_quant_conv = nn.Conv2d(lat, lat, 1)

    def decode(self, z):
        d = self.decoder
        h = d.mid_block(d.conv_in(self.post_quant_conv(z)))
        for block in d.up_blocks:
            for resnet in block.resnets:
                h = resnet(h)
            if hasattr(block, "upsamplers"):
                h = block.upsamplers[0](h)
        return d.conv_out(F.silu(d.conv_norm_out(h)))


# ---- the benchmark -------------------------------------------------------------------------------------------

def caption_ids(words):
    """The word tokenizer's encoding: [BOS] words [EOS] [PAD]... to TOKENS ("wordK" has id 4 + K)."""
    ids = [BOS] + [4 + w for w in words] + [EOS]
    return ids + [PAD] * (TOKENS - len(ids))


def blas_in_use():
    """The BLAS library mapped into this process, its OpenBLAS kernels, and torch's build summary."""
    path = ""
    with open("/proc/self/maps") as maps:
        for line in maps:
            match = re.search(r"(/\S*(openblas|libblas|mkl_rt|blis)\S*\.so[.\d]*)", line)
            if match:
                path = match.group(1)
                break
    kernels = ""
    try:
        get = ctypes.CDLL(path).openblas_get_corename
        get.restype = ctypes.c_char_p
        kernels = get().decode()
    except (OSError, AttributeError):
        pass
    config = torch.__config__.show()
    summary = [line.strip(" -") for line in config.splitlines() if re.search(r"MKL-DNN|OpenMP|CPU capability", line)]
    summary += re.findall(r"(BLAS_INFO=[^,]*|LAPACK_INFO=[^,]*|USE_MKLDNN=[^,]*)", config)
    return {"library": path, "kernels": kernels, "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
            "torch_config": summary}


def noise_schedule():
    """SD1.x: betas = linspace(sqrt 0.00085, sqrt 0.012, 1000)^2 in float32, abar = cumprod(1 - betas)."""
    betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=torch.float32) ** 2
    return torch.cumprod(1 - betas, 0).double()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=10, help="timed training steps after one warm-up step")
    parser.add_argument("--images", type=int, default=16)
    parser.add_argument("--sample-steps", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    unet, te, vae = ref.UNet(TINY_UNET), CLIPTextModel(), AutoencoderKL()
    report = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_in_use(),
              "parameters": {name: sum(p.numel() for p in m.parameters())
                             for name, m in (("unet", unet), ("text_encoder", te), ("vae", vae))}}
    for m in (unet, te, vae):
        m.requires_grad_(False)
    abar = noise_schedule()
    sigmas = ((1 - abar) / abar).sqrt()

    # ---- training step ----
    unet_params = ref.add_lora(unet, {"Transformer2D"}, "cpu")
    te_params = ref.add_lora(te, {"CLIPAttention", "CLIPMLP"}, "cpu")
    report["lora_tensors"] = {"unet": len(unet_params), "text_encoder": len(te_params)}
    optimizer = torch.optim.AdamW([{"params": unet_params, "lr": 1e-4}, {"params": te_params, "lr": 5e-5}],
                                  weight_decay=0.01, foreach=True)
    b = args.batch
    latents, flipped = torch.randn(b, 4, LATENT, LATENT), torch.randn(b, 4, LATENT, LATENT)
    ids = torch.tensor([caption_ids([i % 400, (i * 7) % 400, (i * 13) % 400]) for i in range(b)])
    snr = abar / (1 - abar)
    min_snr = (torch.clamp(snr, max=5.0) / snr).float()
    sqrt_abar, sqrt_one_minus = abar.sqrt().float(), (1 - abar).sqrt().float()

    def train_step():
        order = torch.randperm(b)
        x0 = torch.where((torch.rand(b) < 0.5).view(b, 1, 1, 1), flipped[order], latents[order])
        noise = torch.randn_like(x0)
        t = torch.randint(0, 1000, (b,))
        noisy = sqrt_abar[t].view(b, 1, 1, 1) * x0 + sqrt_one_minus[t].view(b, 1, 1, 1) * noise
        pred = unet(noisy, t.float(), te(ids[order]))
        loss = (((pred - noise) ** 2).flatten(1).mean(1) * min_snr[t]).mean()
        loss_value = loss.item()  # the product reads every step's loss (a NaN stops the finetune)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet_params + te_params, 1.0)
        optimizer.step()
        return loss_value

    train_step()  # warm-up
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        train_step()
        times.append(time.perf_counter() - start)
    report["train_step"] = {"batch": b, "steps": args.steps, "median_seconds": statistics.median(times),
                            "best_seconds": min(times), "mean_seconds": sum(times) / len(times), "seconds": times}

    # ---- sampling: Euler ancestral with CFG, then the decode ----
    n = args.sample_steps
    timesteps = [999.0 * i / (n - 1) if n > 1 else 0.0 for i in reversed(range(n))]

    def sigma_at(t):  # linear interpolation in t, as diffusers' EulerAncestralDiscreteScheduler
        low = int(math.floor(t))
        high, w = min(low + 1, 999), t - low
        return float((1 - w) * sigmas[low] + w * sigmas[high])

    plan = [sigma_at(t) for t in timesteps] + [0.0]

    @torch.no_grad()
    def sample(images):
        uncond = te(torch.tensor([caption_ids([])]))
        cond = te(torch.tensor([caption_ids([i % 400, (i + 1) % 400]) for i in range(images)]))
        context = torch.cat([uncond.expand(images, -1, -1), cond])
        x = torch.randn(images, 4, LATENT, LATENT) * max(plan)
        for i, t in enumerate(timesteps):
            sigma, sigma_next = plan[i], plan[i + 1]
            model_input = x / math.sqrt(sigma * sigma + 1)
            eps_uncond, eps_cond = unet(torch.cat([model_input, model_input]), torch.tensor([t]), context).chunk(2)
            eps = eps_uncond + 7.5 * (eps_cond - eps_uncond)
            sigma_up = min(sigma_next, math.sqrt(sigma_next ** 2 * (sigma ** 2 - sigma_next ** 2) / sigma ** 2))
            sigma_down = math.sqrt(sigma_next ** 2 - sigma_up ** 2)
            x = x + eps * (sigma_down - sigma)  # d = (x - denoised) / sigma = eps
            if sigma_next > 0:
                x = x + torch.randn_like(x) * sigma_up
        return ((vae.decode(x) + 1) / 2).clamp(0, 1)  # the tiny benchmark's latent scale is 1

    sample(2)  # warm-up, as the product's
    start = time.perf_counter()
    sample(args.images)
    seconds = time.perf_counter() - start
    report["sampling"] = {"images": args.images, "steps": n, "seconds": seconds, "images_per_second": args.images / seconds}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
