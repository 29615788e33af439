"""A word-level tokenizer written as a Hugging Face `tokenizer.json` (WordLevel model).

One token per digit group of up to three digits (so every number below 1000 is one token and
larger ones are split losslessly), one per word of letters, one for ", ", one per other character. Decoding
concatenates tokens (the `Fuse` decoder), so decode(encode(text)) == text for any ASCII text
whose words are in the vocabulary. The same rules are implemented here in Python for training.
"""
from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Iterable

PRE_TOKENIZE = r"\d{1,3}|[A-Za-z]+|, |[^\dA-Za-z]"
_pattern = re.compile(PRE_TOKENIZE)

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
SPECIALS = [PAD, BOS, EOS, UNK]


def pieces(text: str) -> list[str]:
    return _pattern.findall(text)


def build_vocab(words: Iterable[str]) -> list[str]:
    """Specials, every 1-3 digit string, printable ASCII characters and newline, then corpus words."""
    vocab: list[str] = list(SPECIALS)
    # Every string of one to three digits: the numbers 0-999, and groups with leading zeros,
    # which appear when a longer number is split ('1000050' -> '100', '005', '0').
    vocab += [str(n) for n in range(10)]
    vocab += [f"{n:02d}" for n in range(100)]
    vocab += [f"{n:03d}" for n in range(1000)]
    vocab.append(", ")
    seen = set(vocab)
    for ch in string.printable:
        if ch not in seen and ch not in "\t\r\x0b\x0c" and not ch.isalnum():
            vocab.append(ch)
            seen.add(ch)
    for ch in string.ascii_letters:
        if ch not in seen:
            vocab.append(ch)
            seen.add(ch)
    for w in sorted(set(words)):
        if w not in seen:
            vocab.append(w)
            seen.add(w)
    return vocab


def words_of(texts: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for t in texts:
        out.update(p for p in pieces(t) if p.isalpha() and len(p) > 1)
    return out


class WordTokenizer:
    def __init__(self, vocab: list[str]) -> None:
        self.vocab = vocab
        self.ids = {t: i for i, t in enumerate(vocab)}
        self.pad_id = self.ids[PAD]
        self.bos_id = self.ids[BOS]
        self.eos_id = self.ids[EOS]
        self.unk_id = self.ids[UNK]

    def encode(self, text: str) -> list[int]:
        """Token ids of `text`, without special tokens."""
        return [self.ids.get(p, self.unk_id) for p in pieces(text)]

    def decode(self, ids: Iterable[int]) -> str:
        return "".join(self.vocab[i] for i in ids if self.vocab[i] not in SPECIALS)

    def to_hf_json(self) -> dict:
        """The `tokenizer.json` content: WordLevel + Split pre-tokenizer + BOS template + Fuse decoder."""
        added = [
            {"id": self.ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for t in SPECIALS
        ]
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {
                "type": "Split",
                "pattern": {"Regex": PRE_TOKENIZE},
                "behavior": "Isolated",
                "invert": False,
            },
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": BOS, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [
                    {"SpecialToken": {"id": BOS, "type_id": 0}},
                    {"Sequence": {"id": "A", "type_id": 0}},
                    {"Sequence": {"id": "B", "type_id": 0}},
                ],
                "special_tokens": {BOS: {"id": BOS, "ids": [self.bos_id], "tokens": [BOS]}},
            },
            "decoder": {"type": "Fuse"},
            "model": {"type": "WordLevel", "vocab": self.ids, "unk_token": UNK},
        }

    def save(self, folder: Path, model_max_length: int, extra: dict | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "tokenizer.json").write_text(json.dumps(self.to_hf_json(), ensure_ascii=False))
        cfg = {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": BOS,
            "eos_token": EOS,
            "pad_token": PAD,
            "unk_token": UNK,
            "model_max_length": model_max_length,
            "add_bos_token": True,
            "clean_up_tokenization_spaces": False,
        }
        cfg.update(extra or {})
        (folder / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2) + "\n")

    @classmethod
    def load(cls, folder: Path) -> "WordTokenizer":
        data = json.loads((folder / "tokenizer.json").read_text())
        vocab_map: dict[str, int] = data["model"]["vocab"]
        vocab = [""] * len(vocab_map)
        for t, i in vocab_map.items():
            vocab[i] = t
        return cls(vocab)
