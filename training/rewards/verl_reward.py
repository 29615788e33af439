"""Reward for verl: `custom_reward_function.path=training/rewards/verl_reward.py
custom_reward_function.name=compute_score`.

verl calls `compute_score(data_source, solution_str, ground_truth, extra_info)` per response,
with `ground_truth` from the row's `reward_model.ground_truth` (docs: verl.readthedocs.io,
"Implement Reward Function for Dataset" and "Prepare Data for Post-Training").
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metacot_rewards import score  # noqa: E402


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs) -> float:
    return score(solution_str, ground_truth)
