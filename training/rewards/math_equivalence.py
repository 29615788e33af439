"""Whether a final math answer means the same as the gold one: a Python port of the studio's
checker (main/engine/tasks/math-normalize.ts, math-equivalence.ts, math-symbolic.ts).

The structure is the same: clean the LaTeX; compare choice letters as letters and `\\text{}`
answers as text; split relations (`x = 5`, `x \\geq 2`), unions, tuples and intervals (ordered),
sets and bare lists (unordered), matrices; compare single expressions symbolically. The studio
parses LaTeX with the Cortex compute engine; here a small converter turns the common LaTeX subset
(fractions, roots, powers, pi, e, trig and logs, implicit multiplication, mixed numbers) into
sympy, and two expressions are equal when they agree numerically, as numbers or at fixed probe
points of their unknowns, like the studio. sympy ships with PyTorch, so trainers have it; without
sympy, expressions compare as text.
"""
from __future__ import annotations

import math
import re

try:  # optional: symbolic comparison
    import sympy
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    _TRANSFORMS = standard_transformations + (implicit_multiplication_application, convert_xor)
except ImportError:  # pragma: no cover - exercised only where sympy is missing
    sympy = None

TEXT_COMMANDS = "text|textbf|textnormal|textrm|textit|mbox|mathrm|mathbf|operatorname"
UNIT_WORDS = [
    "degree", "cm", "centimeter", "meter", "metre", "km", "kilometer", "mile", "second", "minute", "hour",
    "day", "week", "month", "year", "foot", "feet", "inch", "inches", "yard", "unit", "square unit",
    "square feet", "square inch", "square meter", "sq unit", "percent", "percentage", "pct",
]
UNIT_AFTER_NUMBER = re.compile(
    r"^([-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:\s*/\s*\d+)?)\s*(?:" + "|".join(UNIT_WORDS) + r")(?:e?s)?(?:\s*\^\s*\{?\d\}?)?$", re.I
)
TRAILING_TEXT_UNIT = re.compile(r"^(.*?[^\s])\s*\\(?:" + TEXT_COMMANDS + r")\s*\{\s*[a-zA-Z][a-zA-Z.\s]*\}(?:\s*\^\s*\{?\d\}?)?$", re.S)


def extract_boxed(text: str) -> str | None:
    boxed = text.rfind("\\boxed")
    at = max(boxed, text.rfind("\\fbox"))
    if at < 0:
        return None
    i = at + (len("\\boxed") if at == boxed else len("\\fbox"))
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text) or text[i] != "{":
        m = re.match(r"\s*([^\s$]+)", text[i:])
        return m.group(1) if m else None
    try:
        return _group(text, i)[0].strip()
    except ValueError:  # unbalanced braces: no answer
        return None


def _strip_delimiters(s: str) -> str:
    out = s.strip()
    while True:
        before = out
        out = re.sub(r"^\$+|\$+$", "", out)
        out = re.sub(r"^\\\(|\\\)$", "", out)
        out = re.sub(r"^\\\[|\\\]$", "", out).strip()
        if out == before:
            return out


def _strip_thousands(s: str) -> str:
    if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        return s.replace(",", "")
    if re.fullmatch(r"[-+]?\d{1,3}(?: \d{3})+(?:\.\d+)?", s):
        return s.replace(" ", "")
    return s


def _left_right(m: re.Match) -> str:
    return (m.group(1) or m.group(2) or "").replace(".", "")


def clean_answer(raw: str) -> str:
    """math-normalize.ts `cleanAnswer`: same meaning, none of the notation graders ignore."""
    s = raw.strip()
    boxed = extract_boxed(s)
    if boxed is not None:
        s = boxed
    s = _strip_delimiters(s)
    s = re.sub(r"\\(?:displaystyle|textstyle)", "", s)
    s = re.sub(r"\\left\s*\\?([(\[{|.])|\\right\s*\\?([)\]}|.])", _left_right, s)
    s = re.sub(r"\\left|\\right|\\big[lr]?|\\Big[lr]?", "", s)
    s = s.replace("\\!", "")
    s = re.sub(r"\\[,;:]|\\q?quad", " ", s)
    s = re.sub(r"(?<!\\)\\ ", " ", s)
    s = s.replace("~", " ")
    s = re.sub(r"\\[dtc]frac", r"\\frac", s)
    s = re.sub(r"\\frac\s*([0-9a-zA-Z])\s*([0-9a-zA-Z])", r"\\frac{\1}{\2}", s)
    s = re.sub(r"\\frac\s*([0-9a-zA-Z])\s*\{", r"\\frac{\1}{", s)
    s = re.sub(r"\\frac\s*(\{[^{}]*\})\s*([0-9a-zA-Z])", r"\\frac\1{\2}", s)
    s = s.replace("{,}", "")
    s = re.sub(r"\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|°|\\degree", "", s)
    s = re.sub(r"\\?%", "", s)
    s = re.sub(r"\\\$|\$", "", s)
    s = re.sub(r"\\text\s*\{\s*(and|or)\s*\}", ", ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\.$", "", s).strip()
    wrapped = text_content(s)
    if wrapped is not None and re.match(r"^[-+]?\.?\d", wrapped):
        s = wrapped
    unit = TRAILING_TEXT_UNIT.match(s)
    if unit:
        s = unit.group(1).strip()
    word = UNIT_AFTER_NUMBER.match(s)
    if word:
        s = word.group(1)
    s = re.sub(r"^\.(\d)", r"0.\1", s)
    s = re.sub(r"([^\d])\.(\d)", r"\g<1>0.\2", s)
    return _strip_thousands(s.strip())


def text_content(clean: str) -> str | None:
    m = re.fullmatch(r"\\(?:" + TEXT_COMMANDS + r")\s*\{([^{}]*)\}", clean)
    return m.group(1).strip() if m else None


def choice_letter(clean: str) -> str | None:
    inner = text_content(clean)
    inner = clean if inner is None else inner
    m = re.fullmatch(r"\(?\s*([A-E])\s*\)?", inner.strip())
    return m.group(1) if m else None


def canonical_text(s: str) -> str:
    s = re.sub(r"\s+", " ", s.lower())
    return re.sub(r"^[\s.,;:]+|[\s.,;:]+$", "", s)


# ---------------------------------------------------------------- structure

OPEN, CLOSE = "([{", ")]}"


def split_top_level(s: str, separators: str) -> tuple[list[str], list[str]]:
    """Splits at each top-level match of the `separators` pattern (outside brackets and braces)."""
    pattern = re.compile(separators)
    parts: list[str] = []
    seps: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and s[i + 1] in "{}":
            depth += 1 if s[i + 1] == "{" else -1
            i += 2
            continue
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth -= 1
        elif depth == 0:
            m = pattern.match(s, i)
            if m and m.group(0):
                parts.append(s[start:i].strip())
                seps.append(m.group(0).strip())
                i += len(m.group(0))
                start = i
                continue
        i += 1
    parts.append(s[start:].strip())
    return parts, seps


RELATION = r"\\leq?|\\geq?|\\neq?|\\lt|\\gt|\\approx|<=|>=|!=|=|<|>"
_OPS = {"\\le": "<=", "\\leq": "<=", "<=": "<=", "\\ge": ">=", "\\geq": ">=", ">=": ">=", "\\lt": "<", "<": "<",
        "\\gt": ">", ">": ">", "\\ne": "!=", "\\neq": "!=", "!=": "!=", "\\approx": "approx"}


def relation_of(s: str) -> tuple[list[str], list[str]] | None:
    parts, seps = split_top_level(s, RELATION)
    if not seps or any(not p for p in parts):
        return None
    ops = [_OPS.get(sep, "=") for sep in seps]
    if "approx" in ops:
        cut = ops.index("approx")
        if cut > 0 and "=" in ops[:cut]:
            return parts[: cut + 1], ops[:cut]
    return parts, ["=" if op == "approx" else op for op in ops]


LONE_SYMBOL = re.compile(r"^(?:[a-zA-Z]|\\[a-zA-Z]+)(?:_\{?[a-zA-Z0-9]+\}?)?(?:\([a-z]\))?$")


def value_of_equation(rel: tuple[list[str], list[str]]) -> str | None:
    parts, ops = rel
    if any(op != "=" for op in ops):
        return None
    return parts[-1] if any(LONE_SYMBOL.match(p) for p in parts[:-1]) else None


def _as_comparison_with_zero(lhs: str, op: str, rhs: str) -> tuple[str, str]:
    if op in ("<", "<="):
        return f"({rhs})-({lhs})", ">" if op == "<" else ">="
    return f"({lhs})-({rhs})", op


def same_relation(a: tuple[list[str], list[str]], b: tuple[list[str], list[str]]) -> bool:
    (pa, oa), (pb, ob) = a, b
    eq_a, eq_b = all(o == "=" for o in oa), all(o == "=" for o in ob)
    if eq_a != eq_b:
        return False
    if eq_a:
        if same_value(pa[0], pb[0]) and same_value(pa[-1], pb[-1]):
            return True
        return proportional(f"({pa[0]})-({pa[-1]})", f"({pb[0]})-({pb[-1]})", "any")
    if len(oa) != 1 or len(ob) != 1:
        return oa == ob and len(pa) == len(pb) and all(same_value(x, y) for x, y in zip(pa, pb))
    x, y = _as_comparison_with_zero(pa[0], oa[0], pa[1]), _as_comparison_with_zero(pb[0], ob[0], pb[1])
    return x[1] == y[1] and proportional(x[0], y[0], "any" if x[1] == "!=" else "positive")


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def list_of(s: str) -> tuple[str, str, list[str]] | None:
    parts, seps = split_top_level(s, r"\\pm")
    if len(seps) == 1 and parts[1]:
        base = parts[0] or "0"
        return "", "", [f"{base}+({parts[1]})", f"{base}-({parts[1]})"]
    open_, close, inner = "", "", s
    m = re.fullmatch(r"\\\{(.*)\\\}", s, re.S)
    if m and not split_top_level("{" + m.group(1) + "}", ",")[1]:
        open_, close, inner = "{", "}", m.group(1)
    elif re.match(r"^[(\[]", s) and re.search(r"[)\]]$", s) and all(_balanced(p) for p in split_top_level(s[1:-1], ",")[0]):
        if not split_top_level(s, ",")[1]:
            open_, close, inner = s[0], s[-1], s[1:-1]
    items = split_top_level(inner, r",|\\text\{\s*(?:and|or)\s*\}|\s+(?:and|or)\s+")[0]
    if any(not item for item in items):
        return None
    if len(items) == 1:
        return (open_, close, items) if open_ == "{" else None
    return open_, close, items


def same_multiset(a: list[str], b: list[str]) -> bool:
    if len(a) != len(b):
        return False
    used = [False] * len(b)
    for x in a:
        j = next((k for k, y in enumerate(b) if not used[k] and same_value(x, y)), -1)
        if j < 0:
            return False
        used[j] = True
    return True


def same_list(a: tuple[str, str, list[str]], b: tuple[str, str, list[str]]) -> bool:
    ordered = lambda l: l[0] in ("(", "[")  # noqa: E731
    if ordered(a) or ordered(b):
        return a[0] == b[0] and a[1] == b[1] and len(a[2]) == len(b[2]) and all(same_value(x, y) for x, y in zip(a[2], b[2]))
    return same_multiset(a[2], b[2])


def matrix_of(s: str) -> list[list[str]] | None:
    m = re.fullmatch(r"[(\[]?\s*\\begin\{([pbvBV]?matrix|array)\}(?:\{[^{}]*\})?(.*)\\end\{\1\}\s*[)\]]?", s, re.S)
    if not m:
        return None
    rows = [[cell.strip() for cell in row.split("&")] for row in re.split(r"\\\\", m.group(2))]
    while rows and all(not cell for cell in rows[-1]):
        rows.pop()
    return rows


def same_value(a: str, b: str) -> bool:
    if re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b):
        return True
    ma, mb = matrix_of(a), matrix_of(b)
    if ma or mb:
        return bool(ma and mb) and len(ma) == len(mb) and all(
            len(r) == len(q) and all(same_value(x, y) for x, y in zip(r, q)) for r, q in zip(ma, mb)
        )
    ua, sa = split_top_level(a, r"\\cup")
    ub, sb = split_top_level(b, r"\\cup")
    if sa or sb:
        return same_multiset(ua, ub)
    ra, rb = relation_of(a), relation_of(b)
    if ra and rb:
        return same_relation(ra, rb)
    if ra or rb:
        value = value_of_equation(ra) if ra else value_of_equation(rb)
        return value is not None and same_value(value if ra else a, value if rb else b)
    la, lb = list_of(a), list_of(b)
    if la and lb:
        return same_list(la, lb)
    if la or lb:
        return False
    return symbolic_equal(a, b)


def answers_equivalent(given: str, gold: str) -> bool:
    """math-equivalence.ts `answersEquivalent`: empty answers are never equal."""
    g, t = clean_answer(given), clean_answer(gold)
    if not g or not t:
        return False
    if g == t:
        return True
    lg, lt = choice_letter(g), choice_letter(t)
    if lg is not None or lt is not None:
        return lg == lt
    tg, tt = text_content(g), text_content(t)
    if tg is not None or tt is not None:
        return canonical_text(tg if tg is not None else g) == canonical_text(tt if tt is not None else t)
    return same_value(g, t)


# ---------------------------------------------------------------- symbolic (sympy)

MAX_LATEX_LENGTH = 400
PATHOLOGICAL = [re.compile(p) for p in (r"\^\s*\{[^{}]*\^", r"\^\s*\d+\s*\^", r"\^\s*\{?\s*-?\d{4,}", r"!\s*!", r"\d{60,}")]
PROBE_POINTS = [0.7319, 1.4142, 2.2361, 0.5772, 1.618]
FUNCTIONS = {"sin", "cos", "tan", "sec", "csc", "cot", "log", "ln", "exp", "arcsin", "arccos", "arctan"}


def _group(s: str, i: int) -> tuple[str, int]:
    """The argument at s[i]: a braced group (without braces) or one character; and the index after it."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        raise ValueError("missing argument")
    if s[i] != "{":
        return s[i], i + 1
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return s[i + 1 : j], j + 1
    raise ValueError("unbalanced braces")


def latex_to_sympy(latex: str) -> str:
    """The common LaTeX answer subset as sympy input text; ValueError when it is outside it."""
    s = latex.strip()
    # A mixed number as a whole answer: 3\frac{1}{2} is 3 + 1/2.
    m = re.fullmatch(r"(-?)(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}", s)
    if m:
        return f"{m.group(1)}({m.group(2)}+{m.group(3)}/{m.group(4)})"
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            m = re.match(r"\\([a-zA-Z]+)", s[i:])
            if not m:
                if s[i + 1 : i + 2] in "{}":
                    out.append("(" if s[i + 1] == "{" else ")")
                    i += 2
                    continue
                raise ValueError(f"unreadable {s[i:i + 2]!r}")
            name = m.group(1)
            i += len(m.group(0))
            if name == "frac":
                num, i = _group(s, i)
                den, i = _group(s, i)
                out.append(f"(({latex_to_sympy(num)})/({latex_to_sympy(den)}))")
            elif name == "sqrt":
                index = None
                if i < len(s) and s[i] == "[":
                    close = s.index("]", i)
                    index, i = s[i + 1 : close], close + 1
                arg, i = _group(s, i)
                inner = latex_to_sympy(arg)
                out.append(f"(({inner})**(1/({latex_to_sympy(index)})))" if index else f"sqrt({inner})")
            elif name == "pi":
                out.append(" pi ")
            elif name in ("cdot", "times"):
                out.append("*")
            elif name == "div":
                out.append("/")
            elif name == "infty":
                out.append(" oo ")
            elif name in FUNCTIONS:
                out.append({"ln": " log", "arcsin": " asin", "arccos": " acos", "arctan": " atan"}.get(name, f" {name}"))
            else:
                raise ValueError(f"unsupported \\{name}")
        elif ch == "^":
            arg, i = _group(s, i + 1)
            out.append(f"**({latex_to_sympy(arg)})")
        elif ch in "{}":
            out.append("(" if ch == "{" else ")")
            i += 1
        elif ch == "e" and not (i + 1 < len(s) and s[i + 1].isalpha()) and not (i > 0 and s[i - 1].isalpha()):
            out.append(" E ")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _parse(latex: str):
    if sympy is None or not latex.strip() or len(latex) > MAX_LATEX_LENGTH or any(p.search(latex) for p in PATHOLOGICAL):
        return None
    try:
        text = latex_to_sympy(latex)
        if re.search(r"[\\$&|]", text):
            return None
        return parse_expr(text, transformations=_TRANSFORMS, evaluate=True)
    except Exception:  # any parse failure means "not an expression we can compare"
        return None


def _number(expr) -> complex | None:
    try:
        value = complex(sympy.N(expr, 30))
    except Exception:
        return None
    return None if math.isnan(value.real) or math.isnan(value.imag) else value


def _close(a: float, b: float, decimals: bool) -> bool:
    if a == b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    if decimals:
        return abs(a - b) <= 0.5 * 10**-6 + 1e-12 * max(1.0, abs(a))
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _same_number(x: complex, y: complex, decimals: bool) -> bool:
    return _close(x.real, y.real, decimals) and _close(x.imag, y.imag, decimals)


def _values_at_probes(expr, unknowns: list) -> list[complex] | None:
    values = []
    for r in range(len(PROBE_POINTS)):
        subs = {u: PROBE_POINTS[(r + k * 2) % len(PROBE_POINTS)] + k * 0.1 for k, u in enumerate(unknowns)}
        value = _number(expr.subs(subs))
        if value is None:
            return None
        values.append(value)
    return values


def _unknowns(*exprs) -> list:
    return sorted({s for e in exprs for s in e.free_symbols}, key=str)


def symbolic_equal(latex_a: str, latex_b: str) -> bool:
    a, b = _parse(latex_a), _parse(latex_b)
    if a is None or b is None:
        return False
    decimals = bool(re.search(r"\d\.\d", latex_a) or re.search(r"\d\.\d", latex_b))
    unknowns = _unknowns(a, b)
    if not unknowns:
        x, y = _number(a), _number(b)
        return x is not None and y is not None and _same_number(x, y, decimals)
    xs, ys = _values_at_probes(a, unknowns), _values_at_probes(b, unknowns)
    return bool(xs and ys) and all(_same_number(x, y, decimals) for x, y in zip(xs, ys))


def proportional(latex_a: str, latex_b: str, sign: str) -> bool:
    a, b = _parse(latex_a), _parse(latex_b)
    if a is None or b is None:
        return False
    unknowns = _unknowns(a, b)
    xs = _values_at_probes(a, unknowns) if unknowns else [_number(a)]
    ys = _values_at_probes(b, unknowns) if unknowns else [_number(b)]
    if not xs or not ys or any(v is None for v in xs + ys):
        return False
    ratio = None
    for x, y in zip(xs, ys):
        if abs(x.imag) > 1e-12 or abs(y.imag) > 1e-12:
            return False
        if _close(x.real, 0, False) and _close(y.real, 0, False):
            continue
        if _close(y.real, 0, False):
            return False
        r = x.real / y.real
        if ratio is None:
            ratio = r
        elif not _close(r, ratio, False):
            return False
    if ratio is None:
        return True
    return ratio != 0 if sign == "any" else ratio > 0
