"""Answer checks for RL rewards, the way Meta-CoT Studio checks them.

- Countdown / Game of 24 (ground truth `{"task", "target", "numbers"}` as JSON): the completion's
  operation lines (`9*3=27`, optionally `(left: 4 27)`) are replayed with the exact solver's rules
  (training/metacot_train/countdown.py, the mirror of main/engine/tasks/numbers-game.ts): each uses
  two numbers still left, subtraction larger first, Countdown divides only exactly, Game of 24
  allows fractions; correct when one number is left and it equals the target. An illegal or
  miscomputed operation makes the answer wrong. An `Answer: <expression>` line is checked instead
  when present: it must use each starting number exactly once and equal the target.
- Math (any other ground truth): the completion's final answer (its last `\\boxed{}`, else the last
  "The answer is ..." / "#### ..." / "Answer: ...") against the gold answer with math_equivalence.py,
  a port of the studio's checker (normalisation, choice letters, text answers, relations, tuples,
  sets, matrices, symbolic equality through sympy where the studio uses the Cortex engine).

The standard library and, for symbolic equality, sympy (it comes with PyTorch); import this module
from the trainer adapters beside it.
"""
from __future__ import annotations

import json
import re
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from math_equivalence import answers_equivalent, extract_boxed  # noqa: E402
from metacot_train.countdown import apply_step  # noqa: E402

# ---------------------------------------------------------------- math

_STATED = [
    re.compile(r"####\s*(.+?)\s*$", re.S),
    re.compile(r"(?:final answer|the answer)\s*(?:is|:|=)\s*:?\s*(.+?)\s*$", re.I | re.S),
    re.compile(r"^\s*answer\s*:\s*(.+?)\s*$", re.I | re.S),
]


def extract_stated_answer(step: str) -> str | None:
    """The final answer a piece of text states (math-answer.ts `extractStatedAnswer`)."""
    boxed = extract_boxed(step)
    if boxed is not None:
        return boxed
    for pattern in _STATED:
        m = pattern.search(step)
        if m and m.group(1).strip():
            return re.sub(r"\.$", "", m.group(1).strip())
    return None


def final_answer(completion: str) -> str | None:
    """The answer a whole completion ends with: its last boxed answer, else the last line stating one."""
    boxed = extract_boxed(completion)
    if boxed is not None:
        return boxed
    for line in reversed([l for l in completion.splitlines() if l.strip()]):
        stated = extract_stated_answer(line)
        if stated is not None:
            return stated
    return None


def answers_equal(given: str, gold: str) -> bool:
    """math-answer.ts `answersEqual`: see math_equivalence.py."""
    return answers_equivalent(given, gold)


def check_math(completion: str, gold: str) -> bool:
    answer = final_answer(completion)
    return answer is not None and answers_equal(answer, gold)


# ---------------------------------------------------------------- Countdown / Game of 24

_OPERATION = re.compile(r"^\s*\(?-?\d+(?:/\d+)?\)?\s*[-+*/]\s*\(?-?\d+(?:/\d+)?\)?\s*=\s*-?\d+(?:/\d+)?")
_LEFT = re.compile(r"\(\s*left\s*:[^)]*\)\s*$", re.I)
_UNICODE_OPS = str.maketrans({"×": "*", "∗": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "—": "-"})


def _evaluate(expression: str) -> tuple[Fraction, list[Fraction], bool] | None:
    """Value, number literals and whether every division was exact; None if unreadable."""
    tokens = re.findall(r"\d+(?:\.\d+)?|[-+*/()]|\S", expression)
    pos = 0
    literals: list[Fraction] = []
    exact = True

    def expr() -> Fraction:
        nonlocal pos
        v = term()
        while pos < len(tokens) and tokens[pos] in "+-":
            op = tokens[pos]
            pos += 1
            v = v + term() if op == "+" else v - term()
        return v

    def term() -> Fraction:
        nonlocal pos, exact
        v = factor()
        while pos < len(tokens) and tokens[pos] in "*/":
            op = tokens[pos]
            pos += 1
            d = factor()
            if op == "*":
                v = v * d
            else:
                if d == 0:
                    raise ValueError("division by zero")
                v = v / d
                exact = exact and v.denominator == 1
        return v

    def factor() -> Fraction:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError("unexpected end")
        t = tokens[pos]
        pos += 1
        if t == "(":
            v = expr()
            if pos >= len(tokens) or tokens[pos] != ")":
                raise ValueError('missing ")"')
            pos += 1
            return v
        if not re.fullmatch(r"\d+(?:\.\d+)?", t):
            raise ValueError(f"unexpected {t!r}")
        literals.append(Fraction(t))
        return literals[-1]

    try:
        value = expr()
        if pos < len(tokens):
            return None
        return value, literals, exact
    except (ValueError, ZeroDivisionError):
        return None


def check_numbers(completion: str, target: int, numbers: list[int], fractions: bool) -> bool:
    text = completion.translate(_UNICODE_OPS)
    for line in text.splitlines():
        m = re.match(r"^\s*answer\s*:\s*(.*)$", line, re.I)
        if m:
            expression = m.group(1).split("=")[0]
            parsed = _evaluate(expression)
            if parsed is None:
                return False
            value, literals, exact = parsed
            return (fractions or exact) and sorted(literals) == sorted(Fraction(n) for n in numbers) and value == target
    state: tuple = tuple(Fraction(n) for n in numbers)
    for line in text.splitlines():
        if not _OPERATION.match(line):
            continue  # prose between operations is allowed
        step = _LEFT.sub("", line.strip()).strip()
        nxt = apply_step(state, step, fractions)
        if nxt is None:
            return False  # an illegal or miscomputed operation
        state = nxt
    return len(state) == 1 and state[0] == target


# ---------------------------------------------------------------- one entry point


def parse_truth(ground_truth: str) -> dict | None:
    """A numbers-game ground truth (`{"task", "target", "numbers"}`), or None for a plain gold answer."""
    try:
        value = json.loads(ground_truth)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) and "target" in value and "numbers" in value else None


def score(completion: str, ground_truth: str) -> float:
    """1.0 when the completion's answer is correct, else 0.0."""
    puzzle = parse_truth(ground_truth)
    if puzzle is not None:
        ok = check_numbers(completion, int(puzzle["target"]), list(puzzle["numbers"]), puzzle.get("task") == "game24")
    else:
        ok = check_math(completion, ground_truth)
    return 1.0 if ok else 0.0
