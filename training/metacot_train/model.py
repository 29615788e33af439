"""A small decoder-only transformer with hand-written attention and an explicit KV cache.

Written without nn.MultiheadAttention so that the ONNX export has exactly the Hugging Face /
optimum decoder interface: past_key_values.<i>.key|value in, present.<i>.key|value out,
each float32 [batch, heads, seq, head_dim].
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn


@dataclass
class ModelConfig:
    vocab_size: int
    n_layer: int
    n_head: int
    d_model: int
    d_ff: int
    max_position: int
    num_labels: int = 0  # 0: language model head; >0: token-classification head (PRM)

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_head


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.n_head = cfg.n_head
        self.head_dim = cfg.head_dim
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.out = nn.Linear(cfg.d_model, cfg.d_model)

    def forward(self, x: Tensor, bias: Tensor, rope: tuple[Tensor, Tensor], past_k: Tensor | None, past_v: Tensor | None):
        b, s, _ = x.shape
        q, k, v = self.qkv(x).split(self.n_head * self.head_dim, dim=2)
        # [b, s, d] -> [b, h, s, hd]
        q = rotate(q.view(b, s, self.n_head, self.head_dim).transpose(1, 2), rope)
        k = rotate(k.view(b, s, self.n_head, self.head_dim).transpose(1, 2), rope)
        v = v.view(b, s, self.n_head, self.head_dim).transpose(1, 2)
        if past_k is not None and past_v is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        scores = torch.matmul(q, k.transpose(2, 3)) * (1.0 / math.sqrt(self.head_dim)) + bias
        y = torch.matmul(torch.softmax(scores, dim=-1), v)
        y = y.transpose(1, 2).reshape(b, s, self.n_head * self.head_dim)
        return self.out(y), k, v


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.attn = Attention(cfg)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.ff = nn.Sequential(nn.Linear(cfg.d_model, cfg.d_ff), nn.GELU(), nn.Linear(cfg.d_ff, cfg.d_model))

    def forward(self, x: Tensor, bias: Tensor, rope: tuple[Tensor, Tensor], past_k: Tensor | None, past_v: Tensor | None):
        a, k, v = self.attn(self.ln1(x), bias, rope, past_k, past_v)
        x = x + a
        x = x + self.ff(self.ln2(x))
        return x, k, v


def rope_tables(position_ids: Tensor, head_dim: int) -> tuple[Tensor, Tensor]:
    """Rotary position embedding tables cos, sin [b, 1, s, head_dim] for these positions.

    Rotary positions make "the token 3 back" the same relation everywhere, which a small model
    needs to read the operands of a step; the cached keys are stored already rotated.
    """
    half = head_dim // 2
    inv_freq = 1.0 / (10000 ** (torch.arange(half, dtype=torch.float32) / half))
    angles = position_ids.to(torch.float32).unsqueeze(-1) * inv_freq  # [b, s, half]
    angles = torch.cat([angles, angles], dim=-1).unsqueeze(1)  # [b, 1, s, hd]
    return torch.cos(angles), torch.sin(angles)


def rotate(x: Tensor, rope: tuple[Tensor, Tensor]) -> Tensor:
    cos, sin = rope
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return x * cos + torch.cat([-x2, x1], dim=-1) * sin


def attention_bias(attention_mask: Tensor, q_len: int) -> Tensor:
    """Additive bias [b, 1, q, total]: causal over the cache plus the new tokens, padding masked.

    Query i (0-based among the new tokens) sits at absolute index past + i and may see keys
    0..past+i that the attention mask marks as real tokens.
    """
    total = attention_mask.shape[1]
    past = total - q_len
    key_idx = torch.arange(total, device=attention_mask.device).view(1, 1, 1, total)
    query_idx = (torch.arange(q_len, device=attention_mask.device) + past).view(1, 1, q_len, 1)
    allowed = (key_idx <= query_idx) & (attention_mask.view(-1, 1, 1, total) > 0)
    # A large negative (not -inf) keeps fully padded query rows finite.
    return (~allowed).to(torch.float32) * -1e9


class DecoderLM(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.d_model)
        if cfg.num_labels > 0:
            self.score = nn.Linear(cfg.d_model, cfg.num_labels)
        self.apply(self._init)

    @staticmethod
    def _init(m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, std=0.02)

    def hidden(
        self,
        input_ids: Tensor,
        attention_mask: Tensor,
        position_ids: Tensor,
        past: list[tuple[Tensor, Tensor]] | None = None,
    ) -> tuple[Tensor, list[tuple[Tensor, Tensor]]]:
        """Final hidden states [b, s, d] and the new key/value cache of every layer."""
        x = self.tok(input_ids)
        bias = attention_bias(attention_mask, input_ids.shape[1])
        rope = rope_tables(position_ids, self.cfg.head_dim)
        presents: list[tuple[Tensor, Tensor]] = []
        for i, block in enumerate(self.blocks):
            pk, pv = past[i] if past is not None else (None, None)
            x, k, v = block(x, bias, rope, pk, pv)
            presents.append((k, v))
        return self.ln_f(x), presents

    def head(self, h: Tensor) -> Tensor:
        """Class logits (PRM) or next-token logits through the tied input embedding (LM)."""
        if self.cfg.num_labels > 0:
            return self.score(h)
        return torch.matmul(h, self.tok.weight.t())

    def forward(
        self,
        input_ids: Tensor,
        attention_mask: Tensor,
        position_ids: Tensor,
        past: list[tuple[Tensor, Tensor]] | None = None,
    ):
        h, presents = self.hidden(input_ids, attention_mask, position_ids, past)
        return self.head(h), presents


def positions_from_mask(attention_mask: Tensor) -> Tensor:
    """Position ids that skip left padding: 0 for the first real token."""
    return (attention_mask.long().cumsum(dim=1) - 1).clamp(min=0)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
