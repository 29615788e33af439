"""Training data from the exact solver: policy documents, Stream of Search traces, PRM labels.

Every generated problem is checked against the evaluation sets (Tree of Thoughts' 100 hard
games and the studio-generated countdown evaluation problems) and dropped if it is one of them.
The keys of every training problem go to a manifest, which tests read to prove there is no overlap.
"""
from __future__ import annotations

import csv
import hashlib
import itertools
import json
import pickle
import random
from dataclasses import dataclass
from pathlib import Path

from . import countdown as cd
from .sos import dfs_trace

ROOT = Path(__file__).resolve().parents[2]  # repository root
TRAINING = ROOT / "training"
CACHE = TRAINING / ".cache"
MANIFEST = TRAINING / "data" / "manifest.json"


def load_config() -> dict:
    return json.loads((TRAINING / "config.json").read_text())


def game24_hard(config: dict) -> list[list[int]]:
    with open(ROOT / config["eval_sets"]["game24_hard"]["file"], newline="") as f:
        return [[int(x) for x in row["Puzzles"].split()] for row in csv.DictReader(f)]


def countdown_eval(config: dict) -> list[tuple[list[int], int]]:
    path = ROOT / config["eval_sets"]["countdown"]["file"]
    out = []
    for line in path.read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            out.append((r["numbers"], r["target"]))
    return out


def eval_keys(config: dict) -> set[str]:
    keys = {cd.problem_key(p, 24) for p in game24_hard(config)}
    keys |= {cd.problem_key(n, t) for n, t in countdown_eval(config)}
    return keys


def cached(spec: dict, build):
    """Memoises an expensive data build in training/.cache, keyed by the spec that determines it."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]
    path = CACHE / f"data-{digest}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = build()
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(value))
    return value


@dataclass
class Doc:
    """One training text: `prompt` is given at inference (no loss on it), `completion` is learned."""

    prompt: str
    completion: str
    bos: bool = True


def path_text(moves: list[cd.Move]) -> str:
    return "".join(m.text() + "\n" for m in moves)


def _path_doc(numbers: list[int], target: int, rng: random.Random, solution_share: float) -> Doc:
    order = list(numbers)
    rng.shuffle(order)
    start = cd.nums(order)
    if rng.random() < solution_share:
        paths = cd.solution_paths(start, target, limit=200)
        moves = rng.choice(paths)
    else:
        moves = cd.random_path(start, rng)
    return Doc(cd.prompt(order, target), path_text(moves))


def game24_train_puzzles(config: dict) -> list[list[int]]:
    lo, hi = config["data"]["game24"]["numbers"]
    held = {cd.problem_key(p, 24) for p in game24_hard(config)}
    out = []
    for combo in itertools.combinations_with_replacement(range(lo, hi + 1), 4):
        if cd.problem_key(combo, 24) in held:
            continue
        if cd.solvable(cd.nums(combo), 24):  # integer rules: the steps the policy learns
            out.append(list(combo))
    return out


def countdown_train_problems(config: dict, rng: random.Random, count: int, exclude: set[str]) -> list[tuple[list[int], int]]:
    spec = config["data"]["countdown"]
    sizes = [int(k) for k in spec["numbers_count_weights"]]
    weights = list(spec["numbers_count_weights"].values())
    by_size: dict[int, int] = {s: 0 for s in sizes}
    for _ in range(count):
        by_size[rng.choices(sizes, weights)[0]] += 1
    out: list[tuple[list[int], int]] = []
    for size in sizes:
        out += cd.generate_problems(
            rng, by_size[size], size, tuple(spec["number_range"]), tuple(spec["target_range"]), exclude
        )
    rng.shuffle(out)
    return out


def policy_docs(config: dict) -> tuple[list[Doc], dict]:
    """Documents for the policy LM plus the manifest of every problem they were made from."""
    dc = config["data"]
    rng = random.Random(dc["seed"])
    exclude = eval_keys(config)
    docs: list[Doc] = []

    g24 = game24_train_puzzles(config)
    for puzzle in g24:
        for _ in range(dc["game24"]["docs_per_puzzle"]):
            docs.append(_path_doc(puzzle, 24, rng, dc["game24"]["solution_share"]))

    cdp = countdown_train_problems(config, rng, dc["countdown"]["problems"], exclude)
    for numbers, target in cdp:
        docs.append(_path_doc(numbers, target, rng, dc["countdown"]["solution_share"]))

    # Stream of Search traces: half Game of 24 puzzles, half countdown problems.
    sos = dc["sos"]
    for k in range(sos["traces"]):
        numbers, target = (rng.choice(g24), 24) if k % 2 == 0 else rng.choice(cdp)
        order = list(numbers)
        rng.shuffle(order)
        text, _ = dfs_trace(cd.nums(order), target, rng, breadth=sos["breadth"], max_lines=sos["max_lines"])
        first, _, rest = text.partition("\n")
        docs.append(Doc(first + "\n", rest + "\n"))

    for d in docs:
        d.bos = rng.random() >= dc["no_bos_share"]
    rng.shuffle(docs)
    manifest = {
        "what": "Keys (target:sorted numbers) of every problem the bundled models were trained on",
        "game24": sorted(cd.problem_key(p, 24) for p in g24),
        "countdown": sorted(cd.problem_key(n, t) for n, t in cdp),
    }
    return docs, manifest


def merge_manifest(part: str, keys: list[str]) -> None:
    """Adds one model's training keys to the shared manifest (policy and PRM data both go there)."""
    MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}
    data["what"] = "Keys (target:sorted numbers) of every problem the bundled models were trained on, by source"
    data[part] = sorted(set(keys))
    MANIFEST.write_text(json.dumps(data, indent=0) + "\n")


# ---------------------------------------------------------------- PRM data (TRL stepwise supervision)


def prm_records(config: dict, rng: random.Random) -> tuple[list[dict], list[str]]:
    """TRL stepwise-supervision rows {prompt, completions, labels} with the exact solver's labels.

    Paths are solution paths (all steps true) or random paths (true until the first dead end,
    false after), so both classes appear at every depth. Game of 24 labels use fraction rules,
    as the studio's game24 task does.
    """
    pc = config["prm"]["data"]
    exclude = eval_keys(config)
    rows: list[dict] = []
    keys: list[str] = []

    def add(numbers: list[int], target: int, fractions: bool) -> None:
        order = list(numbers)
        rng.shuffle(order)
        start = cd.nums(order)
        if rng.random() < pc["positive_path_share"]:
            moves = rng.choice(cd.solution_paths(start, target, limit=200))
        else:
            moves = cd.random_path(start, rng)
        state = start
        labels: list[bool] = []
        for m in moves:
            i = state.index(m.x)
            j = next(k for k, v in enumerate(state) if v == m.y and k != i)
            state = cd.without_pair(state, i, j, m.result)
            labels.append(cd.exact_label(state, target, fractions) == 1)
        rows.append({"prompt": cd.prompt(order, target), "completions": [m.text() for m in moves], "labels": labels})
        keys.append(cd.problem_key(numbers, target))

    for puzzle in game24_train_puzzles(config):
        for _ in range(pc["game24_paths_per_puzzle"]):
            add(puzzle, 24, True)
    prm_rng = random.Random(rng.random())
    for numbers, target in countdown_train_problems(config, prm_rng, pc["countdown_problems"], exclude):
        add(numbers, target, False)
    rng.shuffle(rows)
    return rows, sorted(set(keys))
