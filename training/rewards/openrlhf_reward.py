"""Reward for OpenRLHF: `--remote_rm_url training/rewards/openrlhf_reward.py --label_key label`.

OpenRLHF loads `reward_func(queries, prompts, labels)` from the file: `queries` are prompt plus
response, `labels` the `--label_key` column; it returns a dict with `rewards` (for advantages),
`scores` (0-1, for dynamic filtering) and `extra_logs` (docs: OpenRLHF "Reinforced Fine-tuning",
custom reward function).
"""
from __future__ import annotations

import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metacot_rewards import score  # noqa: E402


def response_of(query: str, prompt: str) -> str:
    """The response part of a query (the prompt, chat template applied, comes first)."""
    return query[len(prompt) :] if query.startswith(prompt) else query


def reward_func(queries, prompts, labels):
    rewards = torch.tensor([score(response_of(q, p), label) for q, p, label in zip(queries, prompts, labels)], dtype=torch.float)
    return {"rewards": rewards, "scores": rewards, "extra_logs": {"accuracy": rewards}}
