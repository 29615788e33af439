"""Reward for TRL's GRPOTrainer: `GRPOTrainer(..., reward_funcs=[metacot_reward])`.

TRL calls reward functions with `prompts`, `completions` and every other dataset column as
keyword arguments (docs: huggingface.co/docs/trl, GRPO Trainer, "Using a custom reward
function"); a completion is a string, or a list of messages for conversational data. The studio's
`--format rl --target trl-grpo` export has a `ground_truth` column.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metacot_rewards import score  # noqa: E402


def _text(completion) -> str:
    if isinstance(completion, list):  # conversational: [{"role": "assistant", "content": ...}]
        return "".join(m.get("content", "") for m in completion if isinstance(m, dict))
    return str(completion)


def metacot_reward(completions, ground_truth, **kwargs) -> list[float]:
    return [score(_text(c), truth) for c, truth in zip(completions, ground_truth)]
