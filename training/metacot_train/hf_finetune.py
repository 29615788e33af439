"""Fine-tunes a user's Hugging Face checkpoint folder as a PRM (token classification), the way
TRL's PRMTrainer did before TRL removed it: `train_prm.py --hf-base DIR`.

Optional: needs `transformers` (and PyTorch); the bundled from-scratch path needs neither. The
checkpoint is read from the local folder only (nothing is downloaded). Each record becomes TRL's
`tokenize_row` sequence: BOS (when the tokenizer has one), the prompt, then every step followed
by the step separator, each piece tokenized on its own; a step's label sits on the separator's
last token and every other token is -100. The result is saved with `save_pretrained`; export it
to ONNX (`optimum-cli export onnx --task token-classification`) to load it in the studio.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Callable, Sequence

from .metrics import roc_auc


class MissingTransformers(RuntimeError):
    pass


def tokenize_row(row: dict, encode: Callable[[str], list[int]], separator: str, bos_id: int | None, max_len: int) -> tuple[list[int], list[int]]:
    """Token ids and labels of one stepwise-supervision record (TRL's layout, truncated to max_len)."""
    ids = ([bos_id] if bos_id is not None else []) + encode(row["prompt"])
    labels = [-100] * len(ids)
    sep = encode(separator)
    for step, label in zip(row["completions"], row["labels"]):
        piece = encode(step) + sep
        ids += piece
        labels += [-100] * (len(piece) - 1) + [1 if label else 0]
    return ids[:max_len], labels[:max_len]


def _load(base: Path) -> tuple[Any, Any, Any]:
    try:
        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer
    except ImportError as error:
        raise MissingTransformers(
            "--hf-base needs the transformers package (pip install transformers); the bundled model trains without it"
        ) from error
    if not (base / "config.json").exists():
        raise FileNotFoundError(f"{base} is not a Hugging Face checkpoint folder (no config.json)")
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForTokenClassification.from_pretrained(
        base, num_labels=2, id2label={0: "negative", 1: "positive"}, label2id={"negative": 0, "positive": 1}, local_files_only=True
    )
    return torch, tokenizer, model


def _batches(examples: Sequence[tuple[list[int], list[int]]], size: int, pad_id: int, torch: Any):
    for start in range(0, len(examples), size):
        chunk = examples[start : start + size]
        width = max(len(ids) for ids, _ in chunk)
        ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        labels = torch.full((len(chunk), width), -100, dtype=torch.long)
        for r, (i, l) in enumerate(chunk):
            ids[r, : len(i)] = torch.tensor(i)
            mask[r, : len(i)] = 1
            labels[r, : len(l)] = torch.tensor(l)
        yield ids, mask, labels


def finetune(
    train_rows: list[dict],
    eval_rows: list[dict],
    base: Path,
    out: Path,
    separator: str = "\n",
    epochs: float = 1.0,
    lr: float = 2e-5,
    batch_size: int = 8,
    max_len: int = 1024,
    seed: int = 0,
) -> float | None:
    """Trains, saves to `out`, and returns the held-out ROC AUC (None without both labels held out)."""
    torch, tokenizer, model = _load(base)
    torch.manual_seed(seed)
    encode = lambda text: tokenizer(text, add_special_tokens=False)["input_ids"]  # noqa: E731
    bos = tokenizer.bos_token_id
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (tokenizer.eos_token_id or 0)
    train_ex = [tokenize_row(r, encode, separator, bos, max_len) for r in train_rows]
    eval_ex = [tokenize_row(r, encode, separator, bos, max_len) for r in eval_rows]
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    rng = random.Random(seed)
    steps = max(1, int(len(train_ex) / batch_size * epochs))
    model.train()
    done = 0
    while done < steps:
        rng.shuffle(train_ex)
        for ids, mask, labels in _batches(train_ex, batch_size, pad, torch):
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            done += 1
            if done % 20 == 0 or done == steps:
                print(f"step {done}/{steps} loss {loss.item():.4f}", flush=True)
            if done >= steps:
                break
    model.eval()
    scores: list[float] = []
    truth: list[int] = []
    with torch.no_grad():
        for ids, mask, labels in _batches(eval_ex, batch_size, pad, torch):
            probs = torch.softmax(model(input_ids=ids, attention_mask=mask).logits, dim=-1)[..., 1]
            keep = labels != -100
            scores += probs[keep].tolist()
            truth += labels[keep].tolist()
    out.mkdir(parents=True, exist_ok=True)
    model.config.step_separator = separator
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    if 0 < sum(truth) < len(truth):
        auc = roc_auc(scores, truth)
        print(f"held-out ROC AUC {auc:.4f} over {len(truth)} steps", flush=True)
        return auc
    print("held-out steps lack one of the labels: no ROC AUC", flush=True)
    return None
