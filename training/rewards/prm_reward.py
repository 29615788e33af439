"""A process reward model as a dense RL reward: step scores in, one reward out.

`aggregate(scores, how)` is the rule (`min`: the weakest step, as in PRM best-of-N; `last`: the
final step's score; `product`: the chance every step is right). `PrmReward` wraps any step scorer
(a function from (problem, steps) to one probability per step) in TRL's reward-function shape;
`hf_step_scorer(folder)` builds one from a Hugging Face token-classification PRM (TRL PRMTrainer
or OpenRLHF style: the score of a step is the positive-class probability at the separator after
it), and needs `transformers`. The studio's `--format rl` export names the chosen rule in each
row's `prm_aggregate`.
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

StepScorer = Callable[[str, Sequence[str]], Sequence[float]]
AGGREGATES = ("min", "last", "product")


def aggregate(scores: Sequence[float], how: str) -> float:
    if how not in AGGREGATES:
        raise ValueError(f"aggregate must be one of {', '.join(AGGREGATES)}, not {how!r}")
    if not scores:
        return 0.0  # no step: nothing to reward
    if how == "min":
        return float(min(scores))
    if how == "last":
        return float(scores[-1])
    return float(math.prod(scores))


def split_steps(completion: str, separator: str = "\n") -> list[str]:
    return [s.strip() for s in completion.split(separator) if s.strip()]


class PrmReward:
    """`reward_funcs=[PrmReward(scorer, "min")]` for TRL; call it directly elsewhere."""

    def __init__(self, scorer: StepScorer, how: str = "min", separator: str = "\n") -> None:
        aggregate([], how)  # validates `how` now, not at the first batch
        self.scorer, self.how, self.separator = scorer, how, separator
        self.__name__ = f"prm_{how}"

    def __call__(self, prompts, completions, **kwargs) -> list[float]:
        out = []
        for prompt, completion in zip(prompts, completions):
            text = completion if isinstance(completion, str) else "".join(m.get("content", "") for m in completion)
            problem = prompt if isinstance(prompt, str) else "".join(m.get("content", "") for m in prompt)
            out.append(aggregate(list(self.scorer(problem, split_steps(text, self.separator))), self.how))
        return out


def hf_step_scorer(folder: str, separator: str = "\n", device: str = "cpu") -> StepScorer:
    """Step probabilities from a token-classification PRM folder (needs `transformers` and `torch`)."""
    try:
        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer
    except ImportError as error:  # kept optional: the rule-based rewards need neither
        raise RuntimeError("hf_step_scorer needs transformers and torch: pip install transformers torch") from error
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForTokenClassification.from_pretrained(folder).to(device).eval()

    @torch.no_grad()
    def score(problem: str, steps: Sequence[str]) -> list[float]:
        if not steps:
            return []
        ids = tokenizer(problem + separator, add_special_tokens=False)["input_ids"]
        ends = []
        for step in steps:
            ids += tokenizer(step + separator, add_special_tokens=False)["input_ids"]
            ends.append(len(ids) - 1)  # the separator token closing the step carries its label
        logits = model(torch.tensor([ids], device=device)).logits[0]
        probs = torch.softmax(logits, dim=-1)[:, 1]
        return [float(probs[i]) for i in ends]

    return score
