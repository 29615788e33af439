"""The shared training loop: length-bucketed batches, AdamW, warmup + cosine learning rate."""
from __future__ import annotations

import math
import random
import time
from typing import Callable

import torch
from torch import Tensor

from .model import DecoderLM

Example = tuple[list[int], list[int]]  # token ids, per-token targets (-100: no loss)


def make_batches(examples: list[Example], tokens_per_batch: int, rng: random.Random, pad_id: int) -> list[tuple[Tensor, Tensor, Tensor]]:
    """Right-padded batches of similar length (little padding), in a seeded random order."""
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i][0]), rng.random()))
    batches: list[tuple[Tensor, Tensor, Tensor]] = []
    i = 0
    while i < len(order):
        # Sorted by length: the batch width is about the length of its first example.
        rows = max(1, tokens_per_batch // max(1, len(examples[order[i]][0])))
        chunk = order[i : i + rows]
        width = max(len(examples[k][0]) for k in chunk)
        ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
        tgt = torch.full((len(chunk), width), -100, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for r, k in enumerate(chunk):
            x, y = examples[k]
            ids[r, : len(x)] = torch.tensor(x)
            tgt[r, : len(y)] = torch.tensor(y)
            mask[r, : len(x)] = 1
        batches.append((ids, mask, tgt))
        i += rows
    rng.shuffle(batches)
    return batches


def lr_at(step: int, total: int, peak: float, warmup: int) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def train(
    model: DecoderLM,
    batches: list[tuple[Tensor, Tensor, Tensor]],
    steps: int,
    tc: dict,
    loss_fn: Callable[[DecoderLM, Tensor, Tensor, Tensor], Tensor],
    log_every: int = 50,
    on_log: Callable[[int, float], None] | None = None,
) -> dict:
    """Runs `steps` optimizer steps cycling over `batches`; returns timing and loss history."""
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": tc["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=tc["lr"], betas=(0.9, 0.98),
    )
    model.train()
    start = time.time()
    history: list[tuple[int, float]] = []
    running = 0.0
    for step in range(steps):
        ids, mask, tgt = batches[step % len(batches)]
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, tc["lr"], tc["warmup"])
        loss = loss_fn(model, ids, mask, tgt)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), tc["grad_clip"])
        opt.step()
        running += loss.item()
        if (step + 1) % log_every == 0:
            avg = running / log_every
            running = 0.0
            history.append((step + 1, avg))
            elapsed = time.time() - start
            left = elapsed / (step + 1) * (steps - step - 1)
            print(f"step {step + 1}/{steps} loss {avg:.4f} {elapsed:.0f}s, about {left:.0f}s left", flush=True)
            if on_log:
                on_log(step + 1, avg)
    return {"seconds": time.time() - start, "history": history}
