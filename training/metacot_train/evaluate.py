"""Quick in-training checks with the PyTorch checkpoint (the shipped ONNX files are measured by
training/eval_models.mjs through the studio's own task code; this is for iterating fast).
"""
from __future__ import annotations

import random
from fractions import Fraction

import torch

from . import countdown as cd
from .countdown import apply_step  # noqa: F401  (re-exported: tests and callers import it from here)
from .model import DecoderLM
from .tokenizer import WordTokenizer

@torch.no_grad()
def sample_step(model: DecoderLM, tok: WordTokenizer, text: str, rng: torch.Generator, temperature: float = 1.0, max_tokens: int = 16) -> str:
    ids = [tok.bos_id] + tok.encode(text)
    nl = tok.ids["\n"]
    x = torch.tensor([ids])
    mask = torch.ones_like(x)
    logits, past = model(x, mask, torch.arange(len(ids)).unsqueeze(0))
    out: list[int] = []
    for _ in range(max_tokens):
        probs = torch.softmax(logits[0, -1] / temperature, dim=-1)
        t = int(torch.multinomial(probs, 1, generator=rng))
        if t == tok.eos_id or t == nl:
            break
        out.append(t)
        n = len(ids) + len(out)
        logits, past = model(torch.tensor([[t]]), torch.ones(1, n, dtype=torch.long), torch.tensor([[n - 1]]), past)
    return tok.decode(out)


def heldout_states(puzzles: list[list[int]], seed: int) -> list[tuple[str, tuple[Fraction, ...], int]]:
    """Roots and every state on a solution path of each puzzle: (model text, state, depth)."""
    rng = random.Random(seed)
    out = []
    for p in puzzles:
        order = list(p)
        rng.shuffle(order)
        start = cd.nums(order)
        seen = set()
        for path in cd.solution_paths(start, 24, limit=50):
            text, state = cd.prompt(order, 24), start
            for depth, m in enumerate(path):
                if text not in seen:
                    seen.add(text)
                    out.append((text, state, depth))
                state = apply_step(state, m.text(), True)  # type: ignore[assignment]
                text += m.text() + "\n"
    return out


def validity(model: DecoderLM, tok: WordTokenizer, puzzles: list[list[int]], samples_per_state: int = 4, seed: int = 0, max_states: int = 400) -> dict:
    model.eval()
    states = heldout_states(puzzles, seed)
    random.Random(seed).shuffle(states)
    states = states[:max_states]
    g = torch.Generator().manual_seed(seed)
    by_depth: dict[int, list[int]] = {}
    for text, state, depth in states:
        for _ in range(samples_per_state):
            step = sample_step(model, tok, text, g)
            by_depth.setdefault(depth, []).append(1 if apply_step(state, step, True) is not None else 0)
    allv = [v for vs in by_depth.values() for v in vs]
    return {
        "valid": sum(allv) / len(allv),
        "n": len(allv),
        "by_depth": {d: round(sum(v) / len(v), 3) for d, v in sorted(by_depth.items())},
    }
