"""ONNX export in the Hugging Face / optimum folder layout.

Policy (causal LM with KV cache):
  inputs  input_ids int64 [b, s], attention_mask int64 [b, past+s], position_ids int64 [b, s],
          past_key_values.<i>.key|value float32 [b, heads, past, head_dim]
  outputs logits float32 [b, s, vocab], present.<i>.key|value float32 [b, heads, past+s, head_dim]
PRM (token classification):
  inputs  input_ids int64 [b, s], attention_mask int64 [b, s]
  outputs logits float32 [b, s, 2]
"""
from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import Tensor, nn

from .model import DecoderLM, positions_from_mask

OPSET = 14


class _PolicyGraph(nn.Module):
    def __init__(self, model: DecoderLM) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: Tensor, attention_mask: Tensor, position_ids: Tensor, *past_flat: Tensor):
        n = self.model.cfg.n_layer
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(n)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past)
        out: list[Tensor] = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)


class _PrmGraph(nn.Module):
    def __init__(self, model: DecoderLM) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: Tensor, attention_mask: Tensor):
        logits, _ = self.model(input_ids, attention_mask, positions_from_mask(attention_mask))
        return logits


def export_policy(model: DecoderLM, path: Path) -> None:
    cfg = model.cfg
    model.eval()
    b, s, past = 2, 3, 4
    ids = torch.randint(0, cfg.vocab_size, (b, s))
    mask = torch.ones(b, past + s, dtype=torch.long)
    pos = torch.arange(past, past + s).expand(b, s).contiguous()
    pasts = [torch.zeros(b, cfg.n_head, past, cfg.head_dim) for _ in range(2 * cfg.n_layer)]
    in_names = ["input_ids", "attention_mask", "position_ids"]
    out_names = ["logits"]
    axes: dict[str, dict[int, str]] = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for i in range(cfg.n_layer):
        for kind in ("key", "value"):
            pin, pout = f"past_key_values.{i}.{kind}", f"present.{i}.{kind}"
            in_names.append(pin)
            out_names.append(pout)
            axes[pin] = {0: "batch_size", 2: "past_sequence_length"}
            axes[pout] = {0: "batch_size", 2: "total_sequence_length"}
    with torch.no_grad():
        torch.onnx.export(
            _PolicyGraph(model), (ids, mask, pos, *pasts), str(path),
            input_names=in_names, output_names=out_names, dynamic_axes=axes,
            opset_version=OPSET, do_constant_folding=True,
        )


def export_prm(model: DecoderLM, path: Path) -> None:
    model.eval()
    ids = torch.randint(0, model.cfg.vocab_size, (2, 5))
    mask = torch.ones(2, 5, dtype=torch.long)
    axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    with torch.no_grad():
        torch.onnx.export(
            _PrmGraph(model), (ids, mask), str(path),
            input_names=["input_ids", "attention_mask"], output_names=["logits"],
            dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True,
        )


def base_config(model: DecoderLM) -> dict:
    """Config fields under both GPT-2 and Llama names, so generic loaders find what they look for."""
    c = model.cfg
    return {
        "vocab_size": c.vocab_size,
        "hidden_size": c.d_model,
        "n_embd": c.d_model,
        "num_hidden_layers": c.n_layer,
        "n_layer": c.n_layer,
        "num_attention_heads": c.n_head,
        "n_head": c.n_head,
        "num_key_value_heads": c.n_head,
        "head_dim": c.head_dim,
        "intermediate_size": c.d_ff,
        "max_position_embeddings": c.max_position,
        "n_positions": c.max_position,
        "torch_dtype": "float32",
    }


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n")
