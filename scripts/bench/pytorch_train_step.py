#!/usr/bin/env python3
"""PyTorch eager's training step at the shapes of `lab bench train`, for a side-by-side comparison.

Usage: python scripts/bench/pytorch_train_step.py [--shapes small,gpt2-124m] [--threads N] [--samples N]

The models are plain nanoGPT-style modules (GPT-2: LayerNorm, fused c_attn, GELU-tanh MLP, tied head;
Llama for smollm2-135m: RMSNorm, RoPE, grouped-query attention, SwiGLU, tied head), attention through
F.scaled_dot_product_attention(is_causal=True) as nanoGPT does, float32, eager mode (no compile).
One step is what lab times: zero_grad, forward, cross-entropy, backward, clip_grad_norm_(1.0) and
torch.optim.AdamW (weight decay on matrices only), at the shape's batch and context on random tokens.
Timing follows benchlib (a warm-up step, then the median of timed steps). Prints one JSON line per
measurement, as `lab bench train --json` does, with "peer":"pytorch" and the process's peak RSS in
MB (`peak_rss_mb`: the largest resident set so far, so run one shape per process to compare memory).
With --lora-rank R the step is PEFT's LoRA step instead: get_peft_model with LoraConfig(r=R,
lora_alpha=2R, lora_dropout=0, target_modules c_attn for GPT-2, q_proj and v_proj for Llama, as
PEFT's defaults for those families), the base frozen, AdamW and clipping over the adapter only,
as `lab bench train --lora-rank R` times it (it needs the peft package).
Optional tooling: nothing in the kit's build or tests runs it.
"""

import argparse
import math
import os
import resource
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import emit, median_seconds  # noqa: E402

SHAPES = {
    # name: (family, vocab, layers, width, heads, kv_heads, ff, batch, context, rope_theta, eps)
    "small": ("gpt2", 4096, 4, 256, 4, 4, 1024, 8, 128, None, 1e-5),
    "gpt2-124m": ("gpt2", 50257, 12, 768, 12, 12, 3072, 4, 64, None, 1e-5),
    "smollm2-135m": ("llama", 49152, 30, 576, 9, 3, 1536, 4, 128, 100000.0, 1e-5),
    "tiny": ("gpt2", 256, 2, 32, 2, 2, 128, 2, 32, None, 1e-5),
}


class GPT2Block(nn.Module):
    def __init__(self, c, h, ff, eps):
        super().__init__()
        self.h = h
        self.ln_1, self.ln_2 = nn.LayerNorm(c, eps=eps), nn.LayerNorm(c, eps=eps)
        self.c_attn, self.c_proj = nn.Linear(c, 3 * c), nn.Linear(c, c)
        self.c_fc, self.mlp_proj = nn.Linear(c, ff), nn.Linear(ff, c)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.h, c // self.h).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, c)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class RMSNorm(nn.Module):
    def __init__(self, c, eps):
        super().__init__()
        self.weight, self.eps = nn.Parameter(torch.ones(c)), eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class LlamaBlock(nn.Module):
    def __init__(self, c, h, kvh, ff, eps):
        super().__init__()
        self.h, self.kvh, self.d = h, kvh, c // h
        self.input_layernorm, self.post_attention_layernorm = RMSNorm(c, eps), RMSNorm(c, eps)
        self.q_proj = nn.Linear(c, h * self.d, bias=False)
        self.k_proj = nn.Linear(c, kvh * self.d, bias=False)
        self.v_proj = nn.Linear(c, kvh * self.d, bias=False)
        self.o_proj = nn.Linear(h * self.d, c, bias=False)
        self.gate_proj, self.up_proj = nn.Linear(c, ff, bias=False), nn.Linear(c, ff, bias=False)
        self.down_proj = nn.Linear(ff, c, bias=False)

    def forward(self, x, cos, sin):
        b, t, _ = x.shape
        hx = self.input_layernorm(x)
        q = self.q_proj(hx).view(b, t, self.h, self.d).transpose(1, 2)
        k = self.k_proj(hx).view(b, t, self.kvh, self.d).transpose(1, 2)
        v = self.v_proj(hx).view(b, t, self.kvh, self.d).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(self.h // self.kvh, dim=1)
        v = v.repeat_interleave(self.h // self.kvh, dim=1)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, -1)
        x = x + self.o_proj(y)
        hx = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(hx)) * self.up_proj(hx))


class Model(nn.Module):
    def __init__(self, family, vocab, layers, c, h, kvh, ff, context, theta, eps):
        super().__init__()
        self.family = family
        self.wte = nn.Embedding(vocab, c)
        if family == "gpt2":
            self.wpe = nn.Embedding(context, c)
            self.blocks = nn.ModuleList(GPT2Block(c, h, ff, eps) for _ in range(layers))
            self.ln_f = nn.LayerNorm(c, eps=eps)
        else:
            self.blocks = nn.ModuleList(LlamaBlock(c, h, kvh, ff, eps) for _ in range(layers))
            self.ln_f = RMSNorm(c, eps)
            d = c // h
            inv = 1.0 / theta ** (torch.arange(0, d, 2, dtype=torch.float32) / d)
            angles = torch.outer(torch.arange(context, dtype=torch.float32), inv)
            angles = torch.cat((angles, angles), dim=-1)
            self.register_buffer("cos", angles.cos(), persistent=False)
            self.register_buffer("sin", angles.sin(), persistent=False)
        for p in self.parameters():
            nn.init.normal_(p, std=0.02)

    def forward(self, idx, targets):
        t = idx.shape[1]
        x = self.wte(idx)
        if self.family == "gpt2":
            x = x + self.wpe(torch.arange(t))
            for block in self.blocks:
                x = block(x)
        else:
            for block in self.blocks:
                x = block(x, self.cos[:t], self.sin[:t])
        logits = F.linear(self.ln_f(x), self.wte.weight)  # the tied head
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="small,gpt2-124m,smollm2-135m")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--lora-rank", type=int, default=None)
    args = parser.parse_args()
    names = ["tiny"] if args.quick else args.shapes.split(",")
    samples = 1 if args.quick else args.samples
    torch.manual_seed(0)
    for name in names:
        family, vocab, layers, c, h, kvh, ff, batch, context, theta, eps = SHAPES[name]
        model = Model(family, vocab, layers, c, h, kvh, ff, context, theta, eps)
        if args.lora_rank:
            from peft import LoraConfig, get_peft_model
            targets = ["c_attn"] if family == "gpt2" else ["q_proj", "v_proj"]
            model = get_peft_model(model, LoraConfig(r=args.lora_rank, lora_alpha=2 * args.lora_rank, lora_dropout=0.0,
                                                     target_modules=targets))
            with torch.no_grad():
                for n, p in model.named_parameters():
                    if ".lora_B." in n:
                        nn.init.normal_(p, std=0.02)  # as after some training, like lab's bench
        trainable = [p for p in model.parameters() if p.requires_grad]
        decay = [p for p in trainable if p.dim() >= 2]
        no_decay = [p for p in trainable if p.dim() < 2]
        optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                                       {"params": no_decay, "weight_decay": 0.0}], lr=1e-4)
        idx = torch.randint(vocab, (batch, context))
        targets = torch.randint(vocab, (batch, context))
        for threads in sorted({1, args.threads}):
            torch.set_num_threads(threads)

            def step():
                optimizer.zero_grad(set_to_none=True)
                model(idx, targets).backward()
                torch.nn.utils.clip_grad_norm_(trainable, 1.0)
                optimizer.step()

            seconds = median_seconds(step, samples, 0)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            emit({"bench": "train", "peer": "pytorch", "torch": torch.__version__, "shape": name,
                  "batch": batch, "context": context, "threads": threads,
                  **({"lora_rank": args.lora_rank} if args.lora_rank else {}),
                  "step_seconds": round(seconds, 4), "tokens_per_second": round(batch * context / seconds, 1),
                  "peak_rss_mb": round(peak, 1)})


if __name__ == "__main__":
    main()
