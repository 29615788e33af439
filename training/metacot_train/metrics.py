"""Evaluation metrics."""
from __future__ import annotations

import random


def roc_auc(scores: list[float], labels: list[int]) -> float:
    """Area under the ROC curve (Mann-Whitney U with average ranks for ties)."""
    pairs = sorted(zip(scores, labels))
    n_pos = sum(1 for _, l in pairs if l == 1)
    n_neg = len(pairs) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("ROC AUC needs both positive and negative labels")
    rank_sum = 0.0
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        avg_rank = (i + 1 + j) / 2  # ranks i+1..j
        rank_sum += avg_rank * sum(1 for k in range(i, j) if pairs[k][1] == 1)
        i = j
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def auc_interval(
    scores: list[float], labels: list[int], groups: list[int], resamples: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval of the ROC AUC, resampling whole groups (records), since the
    steps of one record are not independent. Resamples with a single class are drawn again."""
    by_group: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    members = list(by_group.values())
    rng = random.Random(seed)
    aucs: list[float] = []
    attempts = 0
    while len(aucs) < resamples and attempts < resamples * 10:
        attempts += 1
        idx = [i for _ in members for i in rng.choice(members)]
        s = [scores[i] for i in idx]
        l = [labels[i] for i in idx]
        if 0 < sum(l) < len(l):
            aucs.append(roc_auc(s, l))
    if not aucs:
        raise ValueError("no resample holds both classes")
    aucs.sort()
    tail = (1 - level) / 2
    return aucs[int(tail * (len(aucs) - 1))], aucs[int(round((1 - tail) * (len(aucs) - 1)))]
