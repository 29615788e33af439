"""Unit tests for the training data: solver correctness, tokenizer round trip, and no overlap
between training problems and the evaluation sets.

Run: /usr/bin/python3 -m unittest discover -s training/tests
"""
from __future__ import annotations

import json
import random
import sys
import unittest
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from metacot_train import countdown as cd  # noqa: E402
from metacot_train import data  # noqa: E402
from metacot_train.evaluate import apply_step  # noqa: E402
from metacot_train.metrics import roc_auc  # noqa: E402
from metacot_train.tokenizer import WordTokenizer, build_vocab  # noqa: E402


class SolverTest(unittest.TestCase):
    def test_known_puzzles(self) -> None:
        self.assertTrue(cd.solvable(cd.nums([4, 9, 3]), 24))  # 4*(9-3)
        self.assertFalse(cd.solvable(cd.nums([1, 1, 1, 1]), 24))
        # 3 3 8 8 needs a fraction: 8/(3-8/3)
        self.assertFalse(cd.solvable(cd.nums([3, 3, 8, 8]), 24))
        self.assertTrue(cd.solvable(cd.nums([3, 3, 8, 8], True), 24, fractions=True))

    def test_every_solution_path_reaches_the_target_through_legal_steps(self) -> None:
        start = cd.nums([4, 5, 6, 10])
        paths = cd.solution_paths(start, 24)
        self.assertGreater(len(paths), 0)
        for path in paths:
            state = start
            for m in path:
                state = apply_step(state, m.text(), fractions=False)
                self.assertIsNotNone(state, m.text())
            self.assertEqual(state, (24,))

    def test_step_text_is_the_studio_syntax(self) -> None:
        texts = [m.text() for m, _ in cd.legal_moves(cd.nums([4, 9, 3]), False)]
        self.assertEqual(texts[:4], ["4+9=13", "4*9=36", "9-4=5", "4+3=7"])
        self.assertIn("9/3=3", texts)
        self.assertEqual(cd.prompt([4, 9, 3], 24), "24:[4, 9, 3]\n")

    def test_apply_step_rejects_bad_steps(self) -> None:
        s = cd.nums([4, 9, 3])
        self.assertIsNone(apply_step(s, "9*3=28", False))
        self.assertIsNone(apply_step(s, "3-9=-6", False))
        self.assertIsNone(apply_step(s, "9*9=81", False))
        self.assertIsNone(apply_step(s, "9/4=9/4", False))
        self.assertEqual(apply_step(s, "9/4=9/4", True), (3, Fraction(9, 4)))


class TokenizerTest(unittest.TestCase):
    def test_round_trip(self) -> None:
        tok = WordTokenizer(build_vocab(["Current", "State"]))
        text = "Current State: 24:[4, 9, 3]\n9*3=27\n1716/3=572\n1000050-7=1000043\n"
        self.assertEqual(tok.decode(tok.encode(text)), text)
        self.assertNotIn(tok.unk_id, tok.encode(text))
        self.assertEqual(len(tok.encode("9*3=27")), 5)


class MetricsTest(unittest.TestCase):
    def test_auc(self) -> None:
        self.assertEqual(roc_auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1.0)
        self.assertEqual(roc_auc([0.5, 0.5], [0, 1]), 0.5)
        self.assertAlmostEqual(roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75)


class NoOverlapTest(unittest.TestCase):
    config = data.load_config()
    held = data.eval_keys(config)

    def test_eval_sets_are_complete(self) -> None:
        self.assertEqual(len(data.game24_hard(self.config)), 100)
        self.assertEqual(len(data.countdown_eval(self.config)), 100)
        self.assertEqual(len(self.held), 200)

    def test_generators_filter_the_eval_sets(self) -> None:
        g24 = {cd.problem_key(p, 24) for p in data.game24_train_puzzles(self.config)}
        self.assertFalse(g24 & self.held)
        self.assertGreater(len(g24), 1000)
        # Forcing the generator to draw from a range that contains eval problems still skips them.
        evals = data.countdown_eval(self.config)
        exclude = {cd.problem_key(n, t) for n, t in evals}
        numbers, target = evals[0]
        rng = random.Random(0)
        got = cd.generate_problems(rng, 1, 4, (min(numbers), max(numbers)), (target, target), exclude | {"x"})
        self.assertNotIn(cd.problem_key(*got[0]), exclude)

    def test_manifest_has_no_eval_problem(self) -> None:
        manifest = json.loads(data.MANIFEST.read_text())
        keys = [k for part, ks in manifest.items() if isinstance(ks, list) for k in ks]
        self.assertGreater(len(keys), 10_000)
        self.assertFalse(set(keys) & self.held)


if __name__ == "__main__":
    unittest.main()


class TrlInputTest(unittest.TestCase):
    """train_prm.py reads the studio's own `export --format trl` output (the exporter's fixture)."""

    def test_reads_the_studio_export_and_labels_the_separators(self) -> None:
        import train_prm

        rows = train_prm.read_trl_jsonl(data.ROOT / "tests/fixtures/formats/trl.jsonl")
        self.assertEqual(rows[0]["completions"], ["9*3=27", "27-4=23"])
        tok = WordTokenizer(build_vocab([]))
        ids, labels = train_prm.tokenize_row(rows[0], tok, "\n", 256, last_only=False)
        # The scorer's text: BOS + '24:[4, 9, 3]\n' + '9*3=27\n' + '27-4=23\n'
        self.assertEqual(tok.decode(ids), "24:[4, 9, 3]\n9*3=27\n27-4=23\n")
        nl = tok.ids["\n"]
        labelled = [(i, l) for i, l in enumerate(labels) if l != -100]
        self.assertEqual([l for _, l in labelled], [1, 0])
        self.assertTrue(all(ids[i] == nl for i, _ in labelled))
        _, last = train_prm.tokenize_row(rows[0], tok, "\n", 256, last_only=True)
        self.assertEqual([l for l in last if l != -100], [0])

    def test_rejects_malformed_records_with_the_line(self) -> None:
        import tempfile

        import train_prm

        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.write('{"prompt": "p", "completions": ["a"], "labels": [true]}\n{"prompt": "p", "completions": ["a", "b"], "labels": [true]}\n')
        with self.assertRaisesRegex(train_prm.DataError, r":2: 'labels' must be a list as long as 'completions'"):
            train_prm.read_trl_jsonl(Path(f.name))
