"""The optional Hugging Face fine-tuning path: TRL's token/label layout, and a clear error without
`transformers`.

Run: /usr/bin/python3 -m unittest discover -s training/tests
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from metacot_train.hf_finetune import tokenize_row  # noqa: E402

TRAINING = Path(__file__).resolve().parents[1]


class TokenizeRowTest(unittest.TestCase):
    def test_labels_sit_on_the_separator_after_each_step(self) -> None:
        # A word-level stand-in for a tokenizer's encode: one id per whitespace word, "\n" its own id.
        vocab: dict[str, int] = {}
        encode = lambda text: [vocab.setdefault(w, len(vocab) + 10) for w in text.replace("\n", " \n ").split(" ") if w]  # noqa: E731
        row = {"prompt": "24:[4, 9, 3]", "completions": ["9*3=27", "27 - 4 = 23"], "labels": [True, False]}
        ids, labels = tokenize_row(row, encode, "\n", bos_id=1, max_len=100)
        self.assertEqual(ids[0], 1)
        nl = vocab["\n"]
        # BOS + 3 prompt words; step 1 (1 word + "\n"); step 2 (5 words + "\n").
        self.assertEqual(len(ids), 1 + 3 + 2 + 6)
        self.assertEqual([i for i, l in enumerate(labels) if l != -100], [5, 11])
        self.assertEqual([labels[5], labels[11]], [1, 0])
        self.assertEqual([ids[5], ids[11]], [nl, nl])

    def test_truncation_keeps_ids_and_labels_aligned(self) -> None:
        encode = lambda text: list(range(len(text)))  # noqa: E731
        ids, labels = tokenize_row({"prompt": "abc", "completions": ["de"], "labels": [True]}, encode, "\n", None, 4)
        self.assertEqual((len(ids), len(labels)), (4, 4))


@unittest.skipIf(importlib.util.find_spec("transformers") is not None, "transformers is installed: the error path does not apply")
class WithoutTransformersTest(unittest.TestCase):
    def test_train_prm_says_what_to_install_and_exits_2(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "d.jsonl"
            data.write_text('{"prompt": "p", "completions": ["a", "b"], "labels": [true, false]}\n')
            r = subprocess.run(
                [sys.executable, str(TRAINING / "train_prm.py"), "--data", str(data), "--out", str(Path(tmp) / "o"), "--hf-base", tmp],
                capture_output=True, text=True, timeout=300,
            )
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("needs the transformers package", r.stderr + r.stdout)
        self.assertFalse((Path(tmp) / "o").exists())


if __name__ == "__main__":
    unittest.main()
