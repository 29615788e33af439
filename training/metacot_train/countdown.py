"""Countdown arithmetic: legal operations, an exact memoised solver and a seeded problem generator.

Operations follow Stream of Search: `a+b=c`, `a*b=c`, larger-first `b-a=c`, exact `b/a=c`.
A problem is solved when a single number equal to the target remains (every number used).
"""
from __future__ import annotations

import random
from functools import lru_cache
from typing import Iterator, NamedTuple, Sequence


class Op(NamedTuple):
    """One legal operation on a multiset of numbers: `a sym b = result`."""

    a: int
    sym: str
    b: int
    result: int

    def text(self) -> str:
        return f"{self.a}{self.sym}{self.b}={self.result}"


State = tuple[int, ...]  # remaining numbers, sorted ascending


def canon(numbers: Sequence[int]) -> State:
    return tuple(sorted(numbers))


def remove_pair(numbers: State, i: int, j: int, result: int) -> State:
    rest = [n for k, n in enumerate(numbers) if k != i and k != j]
    rest.append(result)
    return canon(rest)


def pair_ops(x: int, y: int) -> list[Op]:
    """Legal operations on two numbers, written larger-first for - and /, as Stream of Search does."""
    big, small = (x, y) if x >= y else (y, x)
    ops = [Op(big, "+", small, big + small), Op(big, "*", small, big * small)]
    if big - small > 0:
        ops.append(Op(big, "-", small, big - small))
    if small > 0 and big % small == 0:
        ops.append(Op(big, "/", small, big // small))
    return ops


def legal_moves(numbers: State) -> list[tuple[Op, State]]:
    """Every distinct (operation, next state) pair; duplicate numbers give each move once."""
    seen: set[tuple[Op, State]] = set()
    moves: list[tuple[Op, State]] = []
    for i in range(len(numbers)):
        for j in range(i + 1, len(numbers)):
            for op in pair_ops(numbers[i], numbers[j]):
                nxt = remove_pair(numbers, i, j, op.result)
                key = (op, nxt)
                if key not in seen:
                    seen.add(key)
                    moves.append(key)
    return moves


@lru_cache(maxsize=2_000_000)
def solvable(numbers: State, target: int) -> bool:
    """Exact: can the remaining numbers still be combined into exactly `target`?"""
    if len(numbers) == 1:
        return numbers[0] == target
    return any(solvable(nxt, target) for _, nxt in legal_moves(numbers))


def solutions(numbers: State, target: int, limit: int = 10_000) -> list[list[Op]]:
    """All solution paths (as operation lists), up to `limit`."""
    out: list[list[Op]] = []

    def walk(state: State, path: list[Op]) -> None:
        if len(out) >= limit:
            return
        if len(state) == 1:
            if state[0] == target:
                out.append(list(path))
            return
        for op, nxt in legal_moves(state):
            if solvable(nxt, target):
                path.append(op)
                walk(nxt, path)
                path.pop()

    walk(canon(numbers), [])
    return out


def apply_op(numbers: State, op: Op) -> State | None:
    """The state after `op`, or None if the operands are not available or the arithmetic is wrong."""
    legal = {o for o in pair_ops(op.a, op.b)}
    if op not in legal:
        return None
    rest = list(numbers)
    for n in (op.a, op.b):
        if n not in rest:
            return None
        rest.remove(n)
    rest.append(op.result)
    return canon(rest)


def random_path(numbers: State, rng: random.Random) -> list[Op]:
    """A uniformly random legal path to a single number (usually a dead end)."""
    path: list[Op] = []
    state = numbers
    while len(state) > 1:
        op, state = rng.choice(legal_moves(state))
        path.append(op)
    return path


class Problem(NamedTuple):
    numbers: State
    target: int

    def key(self) -> str:
        """Identity used for overlap checks: target and the sorted multiset of numbers."""
        return f"{self.target}:{' '.join(map(str, self.numbers))}"


def generate_problems(
    rng: random.Random,
    count: int,
    n_numbers: int,
    number_range: tuple[int, int],
    target_range: tuple[int, int],
    exclude: set[str] = frozenset(),  # type: ignore[assignment]
) -> Iterator[Problem]:
    """Seeded solvable problems: numbers uniform in range, target uniform in range, rejected until solvable."""
    made = 0
    seen: set[str] = set()
    while made < count:
        numbers = canon(rng.randint(*number_range) for _ in range(n_numbers))
        target = rng.randint(*target_range)
        p = Problem(numbers, target)
        k = p.key()
        if k in exclude or k in seen or not solvable(numbers, target):
            continue
        seen.add(k)
        made += 1
        yield p
