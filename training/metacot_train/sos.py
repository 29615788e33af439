"""Stream of Search style linearised search traces (DFS with dead ends and backtracking).

The trace text follows the public Stream of Search format (see shared/docs/formats.md):

    Current State: 24:[4, 9, 3], Operations: []
    Exploring Operation: 9*3=27, Resulting Numbers: [4, 27]
    Generated Node #0,0: 24:[4, 27] Operation: 9*3=27
    Moving to Node #0,0
    ...
    24,24 equal: Goal Reached

Numbers keep their order of appearance (operands removed, result appended), as in the paper.
"""
from __future__ import annotations

import random

from .countdown import Move, Num, fmt, legal_moves


def _fmt_nums(nums: tuple[Num, ...]) -> str:
    return "[" + ", ".join(fmt(n) for n in nums) + "]"


def _ops_list(ops: list[str]) -> str:
    return "[" + ", ".join(f"'{o}'" for o in ops) + "]"


def _heuristic(nums: tuple[Num, ...], target: int) -> float:
    """Stream of Search's 'sum' flavour: how far the numbers are from the target, smaller first."""
    return min(abs(target - n) for n in nums) + 0.1 * sum(abs(target - n) for n in nums) / len(nums)


def dfs_trace(
    numbers: tuple[Num, ...],
    target: int,
    rng: random.Random,
    breadth: int = 4,
    max_lines: int = 120,
) -> tuple[str, bool]:
    """A heuristic DFS trace; `breadth` children per node, randomised tie-breaks. Returns (text, solved)."""
    lines: list[str] = []

    def visit(node_id: str, nums: tuple[Num, ...], ops: list[str]) -> bool:
        lines.append(f"Current State: {target}:{_fmt_nums(nums)}, Operations: {_ops_list(ops)}")
        kids = legal_moves(nums, fractions=False)
        rng.shuffle(kids)
        kids.sort(key=lambda c: _heuristic(c[1], target))
        for idx, (op, nxt) in enumerate(kids[:breadth]):
            if len(lines) >= max_lines:
                return False
            lines.append(f"Exploring Operation: {op.text()}, Resulting Numbers: {_fmt_nums(nxt)}")
            if len(nxt) == 1:
                if nxt[0] == target:
                    lines.append(f"{fmt(nxt[0])},{target} equal: Goal Reached")
                    return True
                lines.append(f"{fmt(nxt[0])},{target} unequal: No Solution")
                continue
            child_id = f"{node_id},{idx}"
            lines.append(f"Generated Node #{child_id}: {target}:{_fmt_nums(nxt)} Operation: {op.text()}")
            lines.append(f"Moving to Node #{child_id}")
            if visit(child_id, nxt, ops + [op.text()]):
                return True
            if len(lines) >= max_lines:
                return False
            lines.append(f"Moving to Node #{node_id}")
            lines.append(f"Current State: {target}:{_fmt_nums(nums)}, Operations: {_ops_list(ops)}")
        return False

    solved = visit("0", tuple(numbers), [])
    if not solved:
        lines.append("No solution found.")
    return "\n".join(lines), solved
