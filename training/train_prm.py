#!/usr/bin/env python3
"""Trains a TRL-style process reward model (token classification) from stepwise-supervision JSONL.

Input: TRL's stepwise-supervision format, one record a line (what `metacot export --format trl`
writes, and what TRL's PRMTrainer reads):

    {"prompt": "24:[4, 9, 3, 2]\\n", "completions": ["9*3=27", "27-4=23"], "labels": [true, false]}

Each record becomes TRL's token sequence: BOS, the prompt (followed by the step separator, as the
studio's scorer reads `task.prompt(problem)`; `--raw-prompt` leaves it as is), then every
completion followed by the step separator, each piece tokenized on its own; the label of a step sits on the separator's
last token and every other token is ignored (-100). The model is a small causal transformer with
a 2-class head, exported to ONNX (input_ids, attention_mask -> logits [batch, seq, 2]) in the
Hugging Face folder layout, which the studio loads as a scorer.

Usage:
    /usr/bin/python3 training/train_prm.py --data labels.jsonl --out my-prm/
    /usr/bin/python3 training/train_prm.py --bundled      # the bundled countdown PRM, from the solver's labels
Options: --step-separator, --train-on-last-step-only, --epochs, --eval-share, --tokenizer DIR,
--init-from CHECKPOINT (start from a language model's weights, as TRL fine-tunes a pretrained LM),
--class-weight auto|balanced|none (auto: weight the loss by inverse class frequency when one label
is under 10% of the labelled training steps, with a warning), --hf-base DIR (fine-tune a Hugging
Face checkpoint folder instead, when `transformers` is installed: metacot_train/hf_finetune.py).
Hyper-parameters default to training/config.json's "prm" section.

It reports the held-out ROC AUC with a 95% bootstrap interval (resampling whole records) and the
class counts it rests on. Exit status: 0 done, 2 bad input or missing packages (PyTorch, ONNX:
`sudo apt-get install python3-torch python3-onnx`).
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metacot_train.requirements import require  # noqa: E402

require("torch", "onnx")
import torch  # noqa: E402

from metacot_train import data  # noqa: E402
from metacot_train.export import base_config, export_prm, write_json  # noqa: E402
from metacot_train.metrics import auc_interval, roc_auc  # noqa: E402
from metacot_train.model import DecoderLM, ModelConfig, count_parameters, positions_from_mask  # noqa: E402
from metacot_train.tokenizer import WordTokenizer, build_vocab, words_of  # noqa: E402
from metacot_train.trainer import make_batches, train  # noqa: E402


class DataError(Exception):
    pass


def fail(message: str) -> None:
    """A user error: one line on stderr, exit status 2."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def read_trl_jsonl(path: Path) -> list[dict]:
    """Records checked field by field; a bad line is named with its number."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"{path}:{n}: not valid JSON ({e.msg})") from None
            if not isinstance(r, dict):
                raise DataError(f"{path}:{n}: expected an object with prompt, completions, labels")
            prompt, comps, labels = r.get("prompt"), r.get("completions"), r.get("labels")
            if not isinstance(prompt, str):
                raise DataError(f"{path}:{n}: 'prompt' must be a string")
            if not isinstance(comps, list) or not all(isinstance(c, str) for c in comps) or not comps:
                raise DataError(f"{path}:{n}: 'completions' must be a non-empty list of strings")
            if not isinstance(labels, list) or len(labels) != len(comps):
                raise DataError(f"{path}:{n}: 'labels' must be a list as long as 'completions' ({len(comps)})")
            if not all(isinstance(l, bool) or l in (0, 1) for l in labels):
                raise DataError(f"{path}:{n}: 'labels' must be booleans (or 0/1)")
            rows.append({"prompt": prompt, "completions": comps, "labels": [bool(l) for l in labels]})
    if not rows:
        raise DataError(f"{path}: no records")
    return rows


def scorer_prompt(prompt: str, sep: str) -> str:
    """The prompt as the studio's scorer feeds it: task.prompt(problem) is the problem followed by
    the step delimiter, while an export's `prompt` is the bare problem, so the separator is added."""
    return prompt if prompt.endswith(sep) else prompt.rstrip() + sep


def tokenize_row(row: dict, tok: WordTokenizer, sep: str, max_len: int, last_only: bool, join_prompt: bool = True) -> tuple[list[int], list[int]]:
    """TRL PRMTrainer.tokenize_row: BOS + prompt, then completion + separator with the label on its last token."""
    prompt = scorer_prompt(row["prompt"], sep) if join_prompt else row["prompt"]
    ids = [tok.bos_id] + tok.encode(prompt)
    labels = [-100] * len(ids)
    sep_ids = tok.encode(sep)
    n = len(row["completions"])
    for k, (comp, lab) in enumerate(zip(row["completions"], row["labels"])):
        piece = tok.encode(comp) + sep_ids
        ids += piece
        use = (not last_only) or k == n - 1
        labels += [-100] * (len(piece) - 1) + [int(lab) if use else -100]
    return ids[:max_len], labels[:max_len]


RARE_SHARE = 0.10  # --class-weight auto weights the loss when a label is rarer than this


def class_counts(examples: list[tuple[list[int], list[int]]]) -> tuple[int, int]:
    """(negative, positive) labelled positions."""
    pos = sum(t == 1 for _, tgt in examples for t in tgt)
    neg = sum(t == 0 for _, tgt in examples for t in tgt)
    return neg, pos


def class_weights(neg: int, pos: int, mode: str) -> list[float] | None:
    """Inverse-frequency weights (each class contributes half the loss), or None for plain loss.
    A rare positive class otherwise teaches the model to score every step low."""
    rare = min(neg, pos) < RARE_SHARE * (neg + pos)
    if rare:
        which = "positive" if pos < neg else "negative"
        print(f"warning: only {min(neg, pos)} of {neg + pos} labelled training steps are {which} "
              f"({100 * min(neg, pos) / (neg + pos):.1f}%); the PRM may score every step alike", flush=True)
    if mode == "none" or (mode == "auto" and not rare):
        return None
    total = neg + pos
    weights = [total / (2 * neg), total / (2 * pos)]
    print(f"weighting the loss by class: negative {weights[0]:.2f}, positive {weights[1]:.2f} (--class-weight {mode})", flush=True)
    return weights


def make_prm_loss(weights: list[float] | None):
    weight = None if weights is None else torch.tensor(weights, dtype=torch.float32)

    def prm_loss(model: DecoderLM, ids: torch.Tensor, mask: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        logits, _ = model(ids, mask, positions_from_mask(mask))
        return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), weight=weight, ignore_index=-100)

    return prm_loss


@torch.no_grad()
def step_scores(model: DecoderLM, examples: list[tuple[list[int], list[int]]], pad_id: int) -> tuple[list[float], list[int], list[int]]:
    """Positive-class probability at every labelled position, with its label and its record's index."""
    model.eval()
    scores: list[float] = []
    labels: list[int] = []
    groups: list[int] = []
    order = sorted(range(len(examples)), key=lambda i: len(examples[i][0]))
    for start in range(0, len(order), 64):
        chunk = order[start : start + 64]
        width = max(len(examples[i][0]) for i in chunk)
        ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for r, i in enumerate(chunk):
            ids[r, : len(examples[i][0])] = torch.tensor(examples[i][0])
            mask[r, : len(examples[i][0])] = 1
        logits, _ = model(ids, mask, positions_from_mask(mask))
        p = torch.softmax(logits, dim=-1)[..., 1]
        for r, i in enumerate(chunk):
            for pos, t in enumerate(examples[i][1]):
                if t != -100:
                    scores.append(p[r, pos].item())
                    labels.append(t)
                    groups.append(i)
    return scores, labels, groups


def report_heldout(model: DecoderLM, eval_ex: list[tuple[list[int], list[int]]], pad_id: int) -> float | None:
    """Prints the held-out ROC AUC with its bootstrap interval and class counts; returns the AUC."""
    if not eval_ex:
        print("no held-out records (--eval-share 0): no ROC AUC", flush=True)
        return None
    print(f"scoring {len(eval_ex)} held-out records", flush=True)
    s, l, g = step_scores(model, eval_ex, pad_id)
    pos, neg = sum(l), len(l) - sum(l)
    if pos == 0 or neg == 0:
        print(f"held-out steps: {pos} positive, {neg} negative: ROC AUC needs both", flush=True)
        return None
    auc = roc_auc(s, l)
    lo, hi = auc_interval(s, l, g)
    print(f"held-out ROC AUC {auc:.4f} (95% CI {lo:.3f}-{hi:.3f}, bootstrap over {len(eval_ex)} records) "
          f"over {len(l)} steps: {pos} positive, {neg} negative", flush=True)
    if min(pos, neg) < 30:
        print(f"warning: only {min(pos, neg)} held-out steps are {'positive' if pos < neg else 'negative'}; "
              "the AUC rests on them, read its interval rather than the point value", flush=True)
    return auc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, help="TRL stepwise-supervision JSONL")
    ap.add_argument("--bundled", action="store_true", help="build the bundled PRM's data from the exact solver first")
    ap.add_argument("--out", type=Path, help="output model folder (default for --bundled: resources/models/countdown-prm)")
    ap.add_argument("--step-separator", default="\n")
    ap.add_argument("--train-on-last-step-only", action="store_true")
    ap.add_argument("--raw-prompt", action="store_true", help="join prompt and first step with nothing between them (TRL's own behaviour) instead of the step separator the studio's scorer puts there")
    ap.add_argument("--epochs", type=float, help="passes over the data (default: config)")
    ap.add_argument("--eval-share", type=float, default=0.05, help="records held out to report ROC AUC")
    ap.add_argument("--tokenizer", type=Path, help="reuse this folder's tokenizer.json instead of building one from the data")
    ap.add_argument("--init-from", type=Path, help="start from a language model checkpoint (train_policy.py's training/.cache/policy.pt), as TRL fine-tunes a pretrained LM")
    ap.add_argument("--hf-base", type=Path, help="fine-tune this Hugging Face checkpoint folder as the PRM instead (needs transformers; saves with save_pretrained; see metacot_train/hf_finetune.py)")
    ap.add_argument("--class-weight", choices=["auto", "balanced", "none"], default="auto",
                    help=f"weight the loss by inverse class frequency: auto = when one label is under {RARE_SHARE:.0%} of the training steps")
    args = ap.parse_args()

    config = data.load_config()
    pc = config["prm"]
    tc = pc["train"]
    torch.set_num_threads(tc["threads"])
    torch.manual_seed(pc["seed"])
    rng = random.Random(pc["seed"])

    if args.bundled:
        rows, keys = data.prm_records(config, random.Random(pc["seed"]))
        data.merge_manifest("prm", keys)
        path = data.CACHE / "prm-train.trl.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        print(f"wrote {len(rows)} records to {path}", flush=True)
        args.data = args.data or path
        args.out = args.out or data.ROOT / "resources/models/countdown-prm"
        args.tokenizer = args.tokenizer or data.ROOT / pc["tokenizer"]
        args.init_from = args.init_from or data.ROOT / pc["init_from"]
    if not args.data or not args.out:
        ap.error("give --data FILE and --out DIR (or --bundled)")
    try:
        rows = read_trl_jsonl(args.data)
    except (DataError, OSError) as e:
        fail(str(e))
    print(f"read {len(rows)} records from {args.data}", flush=True)

    if args.tokenizer:
        tok = WordTokenizer.load(args.tokenizer)
    else:
        tok = WordTokenizer(build_vocab(words_of(r["prompt"] + "".join(r["completions"]) for r in rows)))
    order = list(range(len(rows)))
    rng.shuffle(order)
    n_eval = int(len(rows) * args.eval_share)
    eval_rows = [rows[i] for i in order[:n_eval]]
    train_rows = [rows[i] for i in order[n_eval:]]
    if args.hf_base:
        from metacot_train.hf_finetune import MissingTransformers, finetune

        try:
            finetune(train_rows, eval_rows, args.hf_base, args.out, args.step_separator, args.epochs if args.epochs is not None else 1.0)
        except (MissingTransformers, FileNotFoundError) as e:
            fail(str(e))
        return
    mk = lambda rs, last: [tokenize_row(r, tok, args.step_separator, tc["max_len"], last, not args.raw_prompt) for r in rs]  # noqa: E731
    train_ex = mk(train_rows, args.train_on_last_step_only)
    eval_ex = mk(eval_rows, False)
    neg, pos = class_counts(train_ex)
    print(f"training steps: {pos} positive, {neg} negative", flush=True)
    if pos == 0 or neg == 0:
        fail(f"every labelled training step is {'negative' if pos == 0 else 'positive'}; a PRM needs both labels "
             "(export with another --labels source, or more trees)")
    weights = class_weights(neg, pos, args.class_weight)

    if args.init_from:
        if not args.init_from.exists():
            fail(f"{args.init_from} not found (run training/train_policy.py first, or leave out --init-from)")
        ckpt = torch.load(args.init_from)
        if ckpt["vocab"] != tok.vocab:
            fail(f"{args.init_from} was trained with another vocabulary; pass --tokenizer with that model's folder")
        cfg = ModelConfig(**{**ckpt["config"], "num_labels": 2})
        model = DecoderLM(cfg)
        missing, unexpected = model.load_state_dict(ckpt["state"], strict=False)
        assert not unexpected and all(k.startswith("score.") for k in missing), (missing, unexpected)
        print(f"initialised from {args.init_from} (all but the 2-class head)", flush=True)
    else:
        cfg = ModelConfig(vocab_size=len(tok.vocab), num_labels=2, **pc["model"])
        model = DecoderLM(cfg)
    batches = make_batches(train_ex, tc["tokens_per_batch"], rng, tok.pad_id)
    epochs = args.epochs if args.epochs is not None else tc["epochs"]
    steps = max(1, int(len(batches) * epochs))
    print(f"{len(train_rows)} train / {len(eval_rows)} eval records, {count_parameters(model)} parameters, {steps} steps", flush=True)
    report = train(model, batches, steps, tc, make_prm_loss(weights), log_every=max(1, min(50, steps // 20)))
    auc = report_heldout(model, eval_ex, tok.pad_id)

    print(f"exporting ONNX to {args.out}", flush=True)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    export_prm(model, out / "model.onnx")
    tok.save(out, cfg.max_position)
    write_json(out / "config.json", {
        "architectures": ["MetacotDecoderForTokenClassification"],
        "model_type": "metacot-decoder",
        "task": "token-classification",
        "problem_type": "single_label_classification",
        **base_config(model),
        "num_labels": 2,
        "id2label": {"0": "negative", "1": "positive"},
        "label2id": {"negative": 0, "positive": 1},
        "step_separator": args.step_separator,
        "bos_token_id": tok.bos_id,
        "eos_token_id": tok.eos_id,
        "pad_token_id": tok.pad_id,
        "metacot": {
            "role": "prm",
            "kind": "token-classification",
            "score": "softmax(logits)[..., 1] at the last token of the step separator after each step",
            "input": "BOS + prompt + (step + step_separator) per step, each piece tokenized on its own (TRL PRMTrainer)",
        },
    })
    write_json(out / "generation_config.json", {"bos_token_id": tok.bos_id, "eos_token_id": tok.eos_id, "pad_token_id": tok.pad_id})
    if args.bundled:
        write_json(data.TRAINING / "reports" / "prm-train.json", {
            "records": len(rows),
            "steps": steps,
            "seconds": round(report["seconds"]),
            "parameters": count_parameters(model),
            "heldout_split_auc": None if auc is None else round(auc, 4),
            "machine": f"{platform.machine()} CPU, {tc['threads']} threads, torch {torch.__version__}",
            "loss_history": report["history"],
        })
    print(f"exported to {out}", flush=True)


if __name__ == "__main__":
    main()
