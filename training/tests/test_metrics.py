"""Unit tests for the evaluation metrics: ROC AUC and its bootstrap interval.

Run: /usr/bin/python3 -m unittest discover -s training/tests
"""
from __future__ import annotations

import random
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from metacot_train.metrics import auc_interval, roc_auc  # noqa: E402


def noisy(n: int, seed: int) -> tuple[list[float], list[int], list[int]]:
    """Scores that separate the classes imperfectly, one record per step."""
    rng = random.Random(seed)
    labels = [int(rng.random() < 0.3) for _ in range(n)]
    scores = [rng.gauss(1.0 if l else 0.0, 1.0) for l in labels]
    return scores, labels, list(range(n))


class AucIntervalTest(unittest.TestCase):
    def test_contains_the_point_value_and_narrows_with_data(self) -> None:
        widths = []
        for n in (60, 2000):
            s, l, g = noisy(n, 3)
            lo, hi = auc_interval(s, l, g, resamples=400)
            self.assertLessEqual(lo, roc_auc(s, l))
            self.assertGreaterEqual(hi, roc_auc(s, l))
            widths.append(hi - lo)
        self.assertGreater(widths[0], 2 * widths[1])

    def test_few_positives_give_a_wide_interval(self) -> None:
        s, l, g = noisy(400, 5)
        positives = [i for i in range(400) if l[i] == 1][:4]
        keep = positives + [i for i in range(400) if l[i] == 0][:150]
        s, l, g = [s[i] for i in keep], [l[i] for i in keep], [g[i] for i in keep]
        self.assertEqual(sum(l), 4)
        lo, hi = auc_interval(s, l, g, resamples=400)
        self.assertGreater(hi - lo, 0.15)

    def test_groups_resample_together(self) -> None:
        # Two records, each all of one class: every resample that holds both classes holds both records whole.
        lo, hi = auc_interval([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1], [0, 0, 1, 1], resamples=50)
        self.assertEqual((lo, hi), (1.0, 1.0))


if __name__ == "__main__":
    unittest.main()
