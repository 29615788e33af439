#!/usr/bin/env python3
"""Trains the bundled Countdown / Game of 24 policy and exports it to resources/models/countdown-policy.

Usage: /usr/bin/python3 training/train_policy.py [--steps N] [--out DIR]
Everything else (data, seeds, model size, schedule) is pinned in training/config.json.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metacot_train import data  # noqa: E402
from metacot_train.evaluate import validity  # noqa: E402
from metacot_train.export import base_config, export_policy, write_json  # noqa: E402
from metacot_train.model import DecoderLM, ModelConfig, count_parameters  # noqa: E402
from metacot_train.tokenizer import WordTokenizer, build_vocab, words_of  # noqa: E402
from metacot_train.trainer import make_batches, train  # noqa: E402


def lm_loss(model: DecoderLM, ids: torch.Tensor, mask: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
    pos = torch.arange(ids.shape[1]).expand_as(ids)
    h, _ = model.hidden(ids, mask, pos)
    keep = tgt != -100
    # Vocabulary logits only where there is a target: the output layer is a large share of the cost.
    return torch.nn.functional.cross_entropy(model.head(h[keep]), tgt[keep])


def examples(docs: list[data.Doc], tok: WordTokenizer, max_len: int) -> list[tuple[list[int], list[int]]]:
    """Inputs and next-token targets; the prompt is context only (no loss on predicting it)."""
    out = []
    for d in docs:
        p = ([tok.bos_id] if d.bos else []) + tok.encode(d.prompt)
        c = tok.encode(d.completion) + [tok.eos_id]
        seq = (p + c)[: max_len + 1]
        learn = [False] * len(p) + [True] * len(c)
        x = seq[:-1]
        y = [t if learn[k + 1] else -100 for k, t in enumerate(seq[1:])]
        out.append((x, y))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--steps", type=int, help="override the pinned step count (for a quick trial)")
    ap.add_argument("--out", type=Path, default=data.ROOT / "resources/models/countdown-policy")
    ap.add_argument("--check-every", type=int, default=0, help="print held-out step validity every N steps (slower)")
    args = ap.parse_args()

    config = data.load_config()
    pc = config["policy"]
    tc = pc["train"]
    torch.set_num_threads(tc["threads"])
    torch.manual_seed(pc["seed"])

    t0 = time.time()
    docs, manifest = data.cached({"data": config["data"], "eval_sets": config["eval_sets"]}, lambda: data.policy_docs(config))
    data.merge_manifest("policy_game24", manifest["game24"])
    data.merge_manifest("policy_countdown", manifest["countdown"])
    tok = WordTokenizer(build_vocab(words_of(d.prompt + d.completion for d in docs)))
    exs = examples(docs, tok, tc["max_len"])
    n_tokens = sum(len(x) for x, _ in exs)
    print(f"{len(docs)} documents, {n_tokens} tokens, vocab {len(tok.vocab)}, data in {time.time() - t0:.0f}s", flush=True)

    cfg = ModelConfig(vocab_size=len(tok.vocab), **pc["model"])
    model = DecoderLM(cfg)
    print(f"{count_parameters(model)} parameters", flush=True)
    batches = make_batches(exs, tc["tokens_per_batch"], random.Random(pc["seed"]), tok.pad_id)
    steps = args.steps or tc["steps"]
    hard = data.game24_hard(config)

    def check(step: int, loss: float) -> None:
        if args.check_every and step % args.check_every == 0:
            print(f"  held-out validity at step {step}: {validity(model, tok, hard, samples_per_state=1, max_states=200)}", flush=True)
            model.train()

    report = train(model, batches, steps, tc, lm_loss, on_log=check)
    print(f"trained {steps} steps in {report['seconds']:.0f}s", flush=True)

    data.CACHE.mkdir(parents=True, exist_ok=True)
    torch.save({"config": cfg.__dict__, "state": model.state_dict(), "vocab": tok.vocab}, data.CACHE / "policy.pt")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    export_policy(model, out / "model.onnx")
    tok.save(out, cfg.max_position)
    write_json(out / "config.json", {
        "architectures": ["MetacotDecoderLM"],
        "model_type": "metacot-decoder",
        "task": "text-generation",
        **base_config(model),
        "bos_token_id": tok.bos_id,
        "eos_token_id": tok.eos_id,
        "pad_token_id": tok.pad_id,
        "use_cache": True,
        "metacot": {
            "role": "policy",
            "tasks": ["countdown", "game24"],
            "step_delimiter": "\n",
            "prompt_format": "the task prompt, e.g. '24:[4, 9, 3, 2]\\n', then one step per line like '9*3=27\\n'",
        },
    })
    write_json(out / "generation_config.json", {
        "bos_token_id": tok.bos_id, "eos_token_id": tok.eos_id, "pad_token_id": tok.pad_id,
        "do_sample": True, "temperature": 1.0, "max_new_tokens": 16,
    })
    write_json(data.TRAINING / "reports" / "policy-train.json", {
        "steps": steps,
        "seconds": round(report["seconds"]),
        "documents": len(docs),
        "tokens": n_tokens,
        "parameters": count_parameters(model),
        "vocab": len(tok.vocab),
        "machine": f"{platform.machine()} CPU, {tc['threads']} threads, torch {torch.__version__}",
        "loss_history": report["history"],
    })
    print(f"exported to {out}", flush=True)


if __name__ == "__main__":
    main()
