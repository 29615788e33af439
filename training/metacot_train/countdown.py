"""Countdown / Game of 24 rules, an exact memoised solver and a seeded problem generator.

This mirrors main/engine/tasks/numbers-game.ts exactly, so that the text a model learns here is
the text the studio's task parses:
- a state is the list of numbers left in Stream of Search order: untouched numbers first, each
  new result appended;
- moves on a pair (a before b in the list): `a+b`, `a*b`, larger-first `b-a` (0 allowed), and
  `b/a` when exact (Countdown) or any non-zero division both ways (Game of 24, fractions);
- the canonical step text is `x op y=result`, e.g. `9*3=27`;
- a path is solved when one number is left and it equals the target.
"""
from __future__ import annotations

import random
import re
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple, Sequence

# Countdown numbers are plain ints (fast); Game of 24 states may hold Fractions.
Num = int | Fraction


class Move(NamedTuple):
    op: str
    x: Num
    y: Num
    result: Num

    def text(self) -> str:
        return f"{_operand(self.x)}{self.op}{_operand(self.y)}={fmt(self.result)}"


def fmt(x: Num) -> str:
    if isinstance(x, int) or x.denominator == 1:
        return str(int(x))
    return f"{x.numerator}/{x.denominator}"


def _operand(x: Num) -> str:
    return fmt(x) if isinstance(x, int) or x.denominator == 1 else f"({fmt(x)})"


def pair_moves(a: Num, b: Num, fractions: bool) -> list[Move]:
    """The moves on a pair in the task's order: a+b, a*b, larger-first subtraction, then division."""
    out = [Move("+", a, b, a + b), Move("*", a, b, a * b)]
    big, small = (a, b) if a >= b else (b, a)
    out.append(Move("-", big, small, big - small))
    if fractions:
        if small != 0:
            out.append(Move("/", big, small, Fraction(big) / small))
        if big != 0 and big != small:
            out.append(Move("/", small, big, Fraction(small) / big))
    elif small != 0 and big % small == 0:  # integers only here
        out.append(Move("/", big, small, big // small))
    return out


def without_pair(numbers: Sequence[Num], i: int, j: int, result: Num) -> tuple[Num, ...]:
    return tuple(n for k, n in enumerate(numbers) if k != i and k != j) + (result,)


def legal_moves(numbers: Sequence[Num], fractions: bool) -> list[tuple[Move, tuple[Num, ...]]]:
    """Every legal move with its next state, deduplicated by step text, in the task's stable order."""
    seen: set[str] = set()
    out: list[tuple[Move, tuple[Num, ...]]] = []
    for i in range(len(numbers)):
        for j in range(i + 1, len(numbers)):
            for m in pair_moves(numbers[i], numbers[j], fractions):
                t = m.text()
                if t not in seen:
                    seen.add(t)
                    out.append((m, without_pair(numbers, i, j, m.result)))
    return out


@lru_cache(maxsize=1_000_000)
def _solvable_sorted(numbers: tuple[Num, ...], target: int, fractions: bool) -> bool:
    if len(numbers) == 0:
        return False
    if len(numbers) == 1:
        return numbers[0] == target
    for i in range(len(numbers)):
        for j in range(i + 1, len(numbers)):
            for m in pair_moves(numbers[i], numbers[j], fractions):
                if _solvable_sorted(tuple(sorted(without_pair(numbers, i, j, m.result))), target, fractions):
                    return True
    return False


def solvable(numbers: Sequence[Num], target: int, fractions: bool = False) -> bool:
    """Exact: can the numbers left still be combined into exactly `target`?"""
    return _solvable_sorted(tuple(sorted(numbers)), target, fractions)


def exact_label(numbers: Sequence[Num], target: int, fractions: bool) -> int:
    """+1 if the state can still reach the target (a finished path: if it is correct), else -1."""
    return 1 if solvable(numbers, target, fractions) else -1


def solution_paths(numbers: Sequence[Num], target: int, fractions: bool = False, limit: int = 10_000) -> list[list[Move]]:
    """Every solution path (distinct step texts at each node), up to `limit`."""
    out: list[list[Move]] = []

    def walk(state: tuple[Num, ...], path: list[Move]) -> None:
        if len(out) >= limit:
            return
        if len(state) == 1:
            if state[0] == target:
                out.append(list(path))
            return
        for m, nxt in legal_moves(state, fractions):
            if solvable(nxt, target, fractions):
                path.append(m)
                walk(nxt, path)
                path.pop()

    walk(tuple(numbers), [])
    return out


def random_path(numbers: Sequence[Num], rng: random.Random, fractions: bool = False) -> list[Move]:
    """A uniformly random legal path down to one number (usually a dead end)."""
    path: list[Move] = []
    state = tuple(numbers)
    while len(state) > 1:
        m, state = rng.choice(legal_moves(state, fractions))
        path.append(m)
    return path


def nums(values: Sequence[int], fractions: bool = False) -> tuple[Num, ...]:
    """A starting state: ints for integer rules, Fractions where intermediates may be fractional."""
    return tuple(Fraction(v) for v in values) if fractions else tuple(int(v) for v in values)


def state_line(numbers: Sequence[Num], target: int) -> str:
    """`24:[4, 9, 3]`, the task's describe() and the first line of its prompt."""
    return f"{target}:[{', '.join(fmt(n) for n in numbers)}]"


def prompt(numbers: Sequence[int], target: int) -> str:
    """task.prompt(problem): the state line followed by the step delimiter."""
    return state_line(nums(numbers), target) + "\n"


def problem_key(numbers: Sequence[int], target: int) -> str:
    """Identity for overlap checks: target and the sorted numbers, `24:4,5,6,10`."""
    return f"{target}:{','.join(str(n) for n in sorted(numbers))}"


def generate_problems(
    rng: random.Random,
    count: int,
    n_numbers: int,
    number_range: tuple[int, int],
    target_range: tuple[int, int],
    exclude: set[str],
) -> list[tuple[list[int], int]]:
    """Seeded, distinct, solvable Countdown problems not in `exclude` (numbers and target uniform)."""
    out: list[tuple[list[int], int]] = []
    seen: set[str] = set()
    while len(out) < count:
        numbers = [rng.randint(*number_range) for _ in range(n_numbers)]
        target = rng.randint(*target_range)
        key = problem_key(numbers, target)
        if key in exclude or key in seen or not solvable(nums(numbers), target):
            continue
        seen.add(key)
        out.append((numbers, target))
    return out


_STEP = re.compile(r"^\s*(\(?-?\d+(?:/\d+)?\)?)\s*([-+*/])\s*(\(?-?\d+(?:/\d+)?\)?)\s*=\s*(-?\d+(?:/\d+)?)\s*$")


def _num(text: str) -> Fraction:
    return Fraction(text.strip("()"))


def apply_step(state: tuple[Fraction, ...], text: str, fractions: bool) -> tuple[Fraction, ...] | None:
    """The next state, or None if the step does not parse or is not a legal, correct move."""
    m = _STEP.match(text)
    if not m:
        return None
    x, op, y, z = _num(m[1]), m[2], _num(m[3]), _num(m[4])
    if x not in state:
        return None
    i = state.index(x)
    j = next((k for k, v in enumerate(state) if v == y and k != i), -1)
    if j < 0:
        return None
    if op == "+":
        r = x + y
    elif op == "*":
        r = x * y
    elif op == "-":
        if x < y:
            return None
        r = x - y
    else:
        if y == 0:
            return None
        r = x / y
        if not fractions and r.denominator != 1:
            return None
    if r != z:
        return None
    return without_pair(state, i, j, r)
