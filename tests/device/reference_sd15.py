"""The speed baseline for `redifine bench --sd15` on a GPU: Stable Diffusion 1.5's UNet as diffusers builds and
runs it, in plain PyTorch (diffusers itself cannot be installed on the GPU machine: it has no package index).

Same module tree and parameter names as diffusers' UNet2DConditionModel (so diffusers' own weight files load
with strict=True), the same operations in the same order, and diffusers' fp16 recipe: fp16 weights,
F.scaled_dot_product_attention, no compilation. Training follows kohya-ss sd-scripts' train_network.py with
--mixed_precision fp16: frozen fp16 base weights, rank-32 LoRA in fp32 on the Transformer2D linears and 1x1
convolutions and on the CLIP text encoder's attention and MLP (transformers' CLIPTextModel), autocast,
GradScaler, AdamW, gradient clipping at 1, min-SNR-5 weighted loss.

  python3 reference_sd15.py check GOLDEN_DIR   # the tiny golden UNet against diffusers' recorded outputs
  python3 reference_sd15.py bench              # CUDA: CFG sampling step at 512 (batch 2), LoRA step at batch 6
"""
import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_safetensors(path):
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        array = np.frombuffer(data[a:b], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(array.copy())
    return out


# ---- the UNet, in diffusers' layout -------------------------------------------------------------------------

def attention(q, k, v, heads):
    b, n, c = q.shape
    q, k, v = (t.reshape(b, -1, heads, c // heads).transpose(1, 2) for t in (q, k, v))
    if hasattr(F, "scaled_dot_product_attention"):
        o = F.scaled_dot_product_attention(q, k, v)
    else:  # PyTorch 1.x, for the CPU check only
        o = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(c // heads), -1) @ v
    return o.transpose(1, 2).reshape(b, n, c)


class Attention(nn.Module):
    def __init__(self, dim, context_dim, heads):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_k = nn.Linear(context_dim, dim, bias=False)
        self.to_v = nn.Linear(context_dim, dim, bias=False)
        self.to_out = nn.ModuleList([nn.Linear(dim, dim), nn.Dropout(0.0)])

    def forward(self, x, context=None):
        context = x if context is None else context
        return self.to_out[0](attention(self.to_q(x), self.to_k(context), self.to_v(context), self.heads))


class GEGLU(nn.Module):
    def __init__(self, dim, inner):
        super().__init__()
        self.proj = nn.Linear(dim, inner * 2)

    def forward(self, x):
        h, gate = self.proj(x).chunk(2, dim=-1)
        return h * F.gelu(gate)


class FeedForward(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.net = nn.ModuleList([GEGLU(dim, dim * 4), nn.Dropout(0.0), nn.Linear(dim * 4, dim)])

    def forward(self, x):
        for m in self.net:
            x = m(x)
        return x


class TransformerBlock(nn.Module):
    def __init__(self, dim, context_dim, heads):
        super().__init__()
        self.norm1, self.attn1 = nn.LayerNorm(dim), Attention(dim, dim, heads)
        self.norm2, self.attn2 = nn.LayerNorm(dim), Attention(dim, context_dim, heads)
        self.norm3, self.ff = nn.LayerNorm(dim), FeedForward(dim)

    def forward(self, x, context):
        x = self.attn1(self.norm1(x)) + x
        x = self.attn2(self.norm2(x), context) + x
        return self.ff(self.norm3(x)) + x


class Transformer2D(nn.Module):
    def __init__(self, dim, context_dim, heads, groups):
        super().__init__()
        self.norm = nn.GroupNorm(groups, dim, eps=1e-6)
        self.proj_in = nn.Conv2d(dim, dim, 1)
        self.transformer_blocks = nn.ModuleList([TransformerBlock(dim, context_dim, heads)])
        self.proj_out = nn.Conv2d(dim, dim, 1)

    def forward(self, x, context):
        b, c, h, w = x.shape
        y = self.proj_in(self.norm(x)).permute(0, 2, 3, 1).reshape(b, h * w, c)
        for block in self.transformer_blocks:
            y = block(y, context)
        return self.proj_out(y.reshape(b, h, w, c).permute(0, 3, 1, 2).contiguous()) + x


class ResnetBlock(nn.Module):
    def __init__(self, cin, cout, temb, groups, eps):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=eps)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time_emb_proj = nn.Linear(temb, cout)
        self.norm2 = nn.GroupNorm(groups, cout, eps=eps)
        self.dropout = nn.Dropout(0.0)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(self.dropout(F.silu(self.norm2(h))))
        return (x if self.conv_shortcut is None else self.conv_shortcut(x)) + h


class Downsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, stride=2, padding=1)

    def forward(self, x):
        return self.conv(x)


class Upsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class Block(nn.Module):
    def __init__(self, resnets, attentions, sampler):
        super().__init__()
        self.resnets = nn.ModuleList(resnets)
        if attentions:
            self.attentions = nn.ModuleList(attentions)
        if sampler is not None:
            setattr(self, "downsamplers" if isinstance(sampler, Downsample) else "upsamplers", nn.ModuleList([sampler]))


class TimestepEmbedding(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.linear_1 = nn.Linear(cin, cout)
        self.linear_2 = nn.Linear(cout, cout)

    def forward(self, x):
        return self.linear_2(F.silu(self.linear_1(x)))


class UNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        ch, layers = cfg["block_out_channels"], cfg["layers_per_block"]
        groups, eps, ctx = cfg["norm_num_groups"], cfg["norm_eps"], cfg["cross_attention_dim"]
        heads = cfg["attention_head_dim"]  # diffusers' SD1.x configs give the head count under this name
        heads = [heads] * len(ch) if isinstance(heads, int) else heads
        temb = ch[0] * 4
        self.cfg = cfg
        self.conv_in = nn.Conv2d(cfg["in_channels"], ch[0], 3, padding=1)
        self.time_embedding = TimestepEmbedding(ch[0], temb)
        self.down_blocks = nn.ModuleList()
        for i, kind in enumerate(cfg["down_block_types"]):
            cin, cout, last = ch[max(i - 1, 0)], ch[i], i == len(ch) - 1
            resnets = [ResnetBlock(cin if j == 0 else cout, cout, temb, groups, eps) for j in range(layers)]
            attns = [Transformer2D(cout, ctx, heads[i], groups) for _ in range(layers)] if "CrossAttn" in kind else []
            self.down_blocks.append(Block(resnets, attns, None if last else Downsample(cout)))
        self.mid_block = Block([ResnetBlock(ch[-1], ch[-1], temb, groups, eps) for _ in range(2)],
                               [Transformer2D(ch[-1], ctx, heads[-1], groups)], None)
        rch, rheads = list(reversed(ch)), list(reversed(heads))
        self.up_blocks = nn.ModuleList()
        prev = rch[0]
        for i, kind in enumerate(cfg["up_block_types"]):
            cout, cskip, last = rch[i], rch[min(i + 1, len(ch) - 1)], i == len(ch) - 1
            resnets = [ResnetBlock((prev if j == 0 else cout) + (cskip if j == layers else cout), cout, temb, groups, eps)
                       for j in range(layers + 1)]
            attns = [Transformer2D(cout, ctx, rheads[i], groups) for _ in range(layers + 1)] if "CrossAttn" in kind else []
            self.up_blocks.append(Block(resnets, attns, None if last else Upsample(cout)))
            prev = cout
        self.conv_norm_out = nn.GroupNorm(groups, ch[0], eps=eps)
        self.conv_out = nn.Conv2d(ch[0], cfg["out_channels"], 3, padding=1)

    def time_proj(self, t, dim):
        half = dim // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / (half - self.cfg["freq_shift"]))
        args = t.float()[:, None] * freqs[None]
        emb = torch.cat([torch.sin(args), torch.cos(args)], -1)
        return torch.cat([emb[:, half:], emb[:, :half]], -1) if self.cfg["flip_sin_to_cos"] else emb

    def forward(self, x, t, context):
        t = t.to(x.device).reshape(-1).expand(x.shape[0])
        temb = self.time_embedding(self.time_proj(t, self.conv_in.out_channels).to(x.dtype))
        h = self.conv_in(x)
        skips = [h]
        for block in self.down_blocks:
            for j, resnet in enumerate(block.resnets):
                h = resnet(h, temb)
                if hasattr(block, "attentions"):
                    h = block.attentions[j](h, context)
                skips.append(h)
            if hasattr(block, "downsamplers"):
                h = block.downsamplers[0](h)
                skips.append(h)
        h = self.mid_block.resnets[0](h, temb)
        h = self.mid_block.attentions[0](h, context)
        h = self.mid_block.resnets[1](h, temb)
        for block in self.up_blocks:
            for j, resnet in enumerate(block.resnets):
                h = resnet(torch.cat([h, skips.pop()], 1), temb)
                if hasattr(block, "attentions"):
                    h = block.attentions[j](h, context)
            if hasattr(block, "upsamplers"):
                h = block.upsamplers[0](h)
        return self.conv_out(F.silu(self.conv_norm_out(h)))


SD15_UNET = {"in_channels": 4, "out_channels": 4, "block_out_channels": [320, 640, 1280, 1280], "layers_per_block": 2,
             "down_block_types": ["CrossAttnDownBlock2D"] * 3 + ["DownBlock2D"],
             "up_block_types": ["UpBlock2D"] + ["CrossAttnUpBlock2D"] * 3, "norm_num_groups": 32, "norm_eps": 1e-5,
             "cross_attention_dim": 768, "attention_head_dim": 8, "flip_sin_to_cos": True, "freq_shift": 0}


# ---- kohya-style LoRA ---------------------------------------------------------------------------------------

class LoRA(nn.Module):
    """org(x) + up(down(x)) * alpha / rank, as kohya's LoRAModule (down: kaiming-uniform, up: zeros)."""

    def __init__(self, org, rank=32, alpha=8.0):
        super().__init__()
        self.org = org
        conv = isinstance(org, nn.Conv2d)
        cin, cout = (org.in_channels, org.out_channels) if conv else (org.in_features, org.out_features)
        self.lora_down = nn.Conv2d(cin, rank, 1, bias=False) if conv else nn.Linear(cin, rank, bias=False)
        self.lora_up = nn.Conv2d(rank, cout, 1, bias=False) if conv else nn.Linear(rank, cout, bias=False)
        nn.init.kaiming_uniform_(self.lora_down.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_up.weight)
        self.scale = alpha / rank

    def forward(self, x):
        return self.org(x) + self.lora_up(self.lora_down(x)) * self.scale


def add_lora(root, parent_types, device):
    """Wraps every Linear and 1x1 Conv2d inside modules whose class name is in parent_types."""
    params = []
    for parent in [m for m in root.modules() if type(m).__name__ in parent_types]:
        for owner in list(parent.modules()):
            for name, child in list(owner.named_children()):
                if isinstance(child, nn.Linear) or (isinstance(child, nn.Conv2d) and child.kernel_size == (1, 1)):
                    lora = LoRA(child).to(device)
                    setattr(owner, name, lora) if not isinstance(owner, nn.ModuleList) else owner.__setitem__(int(name), lora)
                    params += [lora.lora_down.weight, lora.lora_up.weight]
    return params


# ---- modes ----------------------------------------------------------------------------------------------------

def check(golden):
    cfg = json.load(open(f"{golden}/unet_config.json"))
    unet = UNet(cfg)
    unet.load_state_dict(read_safetensors(f"{golden}/unet_diffusers.safetensors"), strict=True)
    io = read_safetensors(f"{golden}/unet_io.safetensors")
    result = {}
    with torch.no_grad():
        for c in ("a", "b"):
            out = unet(io[f"{c}.sample"], io[f"{c}.timestep"], io[f"{c}.encoder_hidden_states"])
            result[f"{c}.max_abs"] = (out - io[f"{c}.out"]).abs().max().item()
            result[f"{c}.out_max_abs"] = io[f"{c}.out"].abs().max().item()
    print(json.dumps(result))
    return all(result[f"{c}.max_abs"] <= 1e-4 * max(1.0, result[f"{c}.out_max_abs"]) for c in ("a", "b"))


def timed_steps(fn, warmup, steps):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return {"seconds": min(times), "mean_seconds": sum(times) / len(times), "steps_per_second": 1.0 / min(times)}


def bench():
    dev = torch.device("cuda")
    torch.manual_seed(0)
    report = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__}
    unet = UNet(SD15_UNET).to(dev, torch.float16).requires_grad_(False)
    report["unet_parameters"] = sum(p.numel() for p in unet.parameters())

    # Sampling: one CFG step = one UNet call on [uncond, cond] (batch 2), as diffusers' pipeline does.
    x = torch.randn(2, 4, 64, 64, device=dev, dtype=torch.float16)
    ctx = torch.randn(2, 77, 768, device=dev, dtype=torch.float16)
    t = torch.full((1,), 500.0, device=dev)
    torch.cuda.reset_peak_memory_stats()
    with torch.inference_mode():
        report["sampling_step"] = timed_steps(lambda: unet(x, t, ctx), 3, 30)
    report["sampling_step"]["peak_gpu_gib"] = torch.cuda.max_memory_allocated() / 2**30
    print(json.dumps(report), flush=True)

    # LoRA training at batch 6.
    from transformers import CLIPTextConfig, CLIPTextModel
    te_cfg = CLIPTextConfig(vocab_size=49408, hidden_size=768, intermediate_size=3072, num_hidden_layers=12,
                            num_attention_heads=12, max_position_embeddings=77, hidden_act="quick_gelu")
    te = CLIPTextModel(te_cfg).to(dev, torch.float16).requires_grad_(False)
    params = add_lora(unet, {"Transformer2D"}, dev)
    te_params = add_lora(te, {"CLIPAttention", "CLIPSdpaAttention", "CLIPMLP"}, dev)
    report["lora_tensors"] = {"unet": len(params), "text_encoder": len(te_params)}
    opt = torch.optim.AdamW([{"params": params, "lr": 1e-4}, {"params": te_params, "lr": 5e-5}], weight_decay=0.01)
    scaler = torch.amp.GradScaler("cuda")
    alphas = torch.cumprod(1 - torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, device=dev) ** 2, 0)
    latents = torch.randn(6, 4, 64, 64, device=dev)
    ids = torch.randint(0, 49408, (6, 77), device=dev)
    losses = []

    def train_step():
        noise = torch.randn_like(latents)
        ts = torch.randint(0, 1000, (6,), device=dev)
        ab = alphas[ts].view(-1, 1, 1, 1)
        noisy = ab.sqrt() * latents + (1 - ab).sqrt() * noise
        with torch.autocast("cuda", dtype=torch.float16):
            context = te(ids).last_hidden_state
            pred = unet(noisy, ts, context)
        snr = alphas[ts] / (1 - alphas[ts])
        loss = (F.mse_loss(pred.float(), noise, reduction="none").mean((1, 2, 3)) * torch.clamp(snr, max=5.0) / snr).mean()
        scaler.scale(loss).backward()
        scaler.unscale_(opt)
        torch.nn.utils.clip_grad_norm_(params + te_params, 1.0)
        scaler.step(opt)
        scaler.update()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())  # kohya logs every step's loss

    torch.cuda.reset_peak_memory_stats()
    report["lora_train_step"] = timed_steps(train_step, 3, 20)
    report["lora_train_step"]["batch"] = 6
    report["lora_train_step"]["peak_gpu_gib"] = torch.cuda.max_memory_allocated() / 2**30
    report["lora_train_step"]["last_loss"] = losses[-1]
    print(json.dumps(report, indent=1))
    return True


if __name__ == "__main__":
    ok = check(sys.argv[2]) if sys.argv[1] == "check" else bench()
    sys.exit(0 if ok else 1)
