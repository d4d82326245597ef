"""How numpy combines shapes: a shape explorer that really runs numpy, and the rank-1 array pitfall.

``explore(shape_a, shape_b, op)`` builds two small arrays (A counts 1, 2, 3, ...; B counts 10, 20, 30, ...),
runs the operation with numpy and reports the result's shape or numpy's exact error message, with a sentence
per axis on how each array was stretched. Sizes are bounded (1 to 3 axes, each 1 to 6), so any request is
cheap.

Example
-------
>>> r = explore((5,), (5, 1), "+")
>>> r.shape, r.error
((5, 5), '')
>>> explore((2, 3), (4,), "+").error
'operands could not be broadcast together with shapes (2,3) (4,) '
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from core.errors import InputError

OPS = ("+", "*", "np.dot", "@")
_WHOLE_NUMBER = re.compile(r"[0-9]+")  # ASCII digits only (the text is cut to 40 characters first)
MAX_DIMS, MAX_SIZE = 3, 6

_RUN = {
    "+": lambda A, B: A + B,
    "*": lambda A, B: A * B,
    "np.dot": lambda A, B: np.dot(A, B),
    "@": lambda A, B: A @ B,
}


def parse_shape(text: str, name: str = "A") -> tuple[int, ...]:
    """'(5, 1)', '5,1', '5 1' or '5' → a shape tuple, with 1 to 3 axes each of size 1 to 6.

    >>> parse_shape("(5, 1)"), parse_shape("5"), parse_shape("2 3 4")
    ((5, 1), (5,), (2, 3, 4))
    """
    raw = str(text).strip()[:40]
    body = raw.strip("()[] ")
    parts = [p for p in re.split(r"[,\s]+", body) if p]
    # ASCII digits only: str.isdigit() also accepts "²" or "①", which int() then refuses.
    if not parts or not all(_WHOLE_NUMBER.fullmatch(p) for p in parts):
        raise InputError(f"The shape of {name}, {raw!r}, is not a list of whole numbers; write it like 5, 1.")
    return check_shape(tuple(int(p) for p in parts), name)


def check_shape(shape, name: str = "A") -> tuple[int, ...]:
    shape = tuple(int(s) for s in shape)
    if not 1 <= len(shape) <= MAX_DIMS:
        raise InputError(f"{name} has {len(shape)} axes; use 1 to {MAX_DIMS} axes, like (5,) or (5, 1).")
    if not all(1 <= s <= MAX_SIZE for s in shape):
        raise InputError(f"{name} has shape {shape}; keep each size between 1 and {MAX_SIZE} so it can be drawn.")
    return shape


def example_arrays(shape_a, shape_b) -> tuple[np.ndarray, np.ndarray]:
    """A = 1, 2, 3, ... and B = 10, 20, 30, ..., so each cell of a result shows where it came from."""
    A = np.arange(1, int(np.prod(shape_a)) + 1).reshape(shape_a)
    B = 10 * np.arange(1, int(np.prod(shape_b)) + 1).reshape(shape_b)
    return A, B


@dataclass(frozen=True)
class Outcome:
    """What numpy did with A op B.

    shape: the result's shape (None on an error); error: numpy's message, exactly; steps: plain sentences on
    how the shapes were lined up and stretched; result: the result array (None on an error).
    stretched_a / stretched_b: each operand broadcast to the result's shape (for + and * only), and masks
    saying which of those cells are copies (True) rather than the array's own numbers.
    """

    shape_a: tuple[int, ...]
    shape_b: tuple[int, ...]
    op: str
    shape: tuple[int, ...] | None
    error: str
    steps: list[str]
    result: np.ndarray | None = None
    A: np.ndarray | None = None
    B: np.ndarray | None = None
    stretched_a: np.ndarray | None = None
    stretched_b: np.ndarray | None = None
    copies_a: np.ndarray | None = None
    copies_b: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.shape is not None


def copies_mask(shape, target) -> np.ndarray:
    """True where broadcasting `shape` to `target` shows a copy rather than one of the array's own numbers.

    Missing leading axes count as size 1; on a stretched axis only index 0 is the array's own.
    """
    padded = (1,) * (len(target) - len(shape)) + tuple(shape)
    mask = np.zeros(target, dtype=bool)
    for axis, (s, t) in enumerate(zip(padded, target, strict=True)):
        if s == 1 and t > 1:
            index = [slice(None)] * len(target)
            index[axis] = slice(1, None)
            mask[tuple(index)] = True
    return mask


def broadcast_steps(shape_a, shape_b) -> list[str]:
    """The broadcasting rule in sentences: line the shapes up from the right, then compare axis by axis."""
    n = max(len(shape_a), len(shape_b))
    pa = (1,) * (n - len(shape_a)) + tuple(shape_a)
    pb = (1,) * (n - len(shape_b)) + tuple(shape_b)
    steps = []
    if len(shape_a) != len(shape_b):
        short, name = (shape_a, "A") if len(shape_a) < len(shape_b) else (shape_b, "B")
        padded = pa if name == "A" else pb
        steps.append(f"{name} has fewer axes, so numpy puts 1s in front: {_show(short)} is treated as "
                     f"{_show(padded)}." + (" A rank-1 array acts like a row." if len(short) == 1 else ""))
    for axis, (x, y) in enumerate(zip(pa, pb, strict=True)):
        where = f"Axis {axis}"
        if x == y:
            steps.append(f"{where}: both have size {x}; nothing to stretch.")
        elif x == 1:
            steps.append(f"{where}: A has size 1, so A is copied {y} times along it.")
        elif y == 1:
            steps.append(f"{where}: B has size 1, so B is copied {x} times along it.")
        else:
            steps.append(f"{where}: sizes {x} and {y} differ and neither is 1, so they cannot be broadcast.")
    return steps


def product_steps(shape_a, shape_b, op) -> list[str]:
    """How np.dot and @ pair up axes (no stretching of the summed axis)."""
    a, b = tuple(shape_a), tuple(shape_b)
    if len(a) == 1 and len(b) == 1:
        return [f"Two rank-1 arrays: {op} gives the inner product, a single number (shape ()), "
                f"if both have the same length: " + (f"{a[0]} and {b[0]}, they match." if a[0] == b[0] else
                                                     f"{a[0]} and {b[0]} differ, so it cannot be computed.")]
    k_a = a[-1]
    k_b = b[0] if len(b) == 1 else b[-2]
    which = "only axis" if len(b) == 1 else "second-to-last axis"
    steps = [f"{op} multiplies along A's last axis (size {k_a}) and B's {which} (size {k_b}), then sums: "
             + ("they match." if k_a == k_b else "they must be equal, and they are not.")]
    if k_a != k_b:      # numpy refuses here: no step after this one is taken (B "used as a column", ...)
        return steps
    if len(a) == 1:
        steps.append(f"A is rank-1, so it is used as a row (1, {k_a}) and that axis is dropped from the result.")
    if len(b) == 1:
        steps.append(f"B is rank-1, so it is used as a column ({k_b}, 1) and that axis is dropped from the result.")
    if op == "@" and (len(a) > 2 or len(b) > 2):
        text = "With 3 axes, @ treats the first axis as a stack of matrices and broadcasts it like +"
        x, y = (a[0] if len(a) > 2 else 1), (b[0] if len(b) > 2 else 1)
        if x != y and 1 not in (x, y):      # (2, 3, 4) @ (3, 4, 5): the steps said "they match" and no more
            text += f": stacks of {x} and of {y} differ and neither is 1, so they cannot be broadcast"
        steps.append(text + ".")
    if op == "np.dot" and len(a) > 2 and len(b) > 2:
        steps.append("With 3 axes, np.dot pairs every stack of A with every stack of B (unlike @).")
    elif op == "np.dot" and (len(a) > 2 or len(b) > 2):    # one of them has no stack: it meets each of the other's
        stacked, other, n = ("A", "B", a[0]) if len(a) > 2 else ("B", "A", b[0])
        steps.append(f"With 3 axes, np.dot takes {other} with each of {stacked}'s {n} stacks in turn.")
    return steps


def explore(shape_a, shape_b, op: str) -> Outcome:
    """Run A op B with numpy on small arrays of these shapes and explain what happened."""
    shape_a, shape_b = check_shape(shape_a, "A"), check_shape(shape_b, "B")
    if op not in OPS:
        raise InputError(f"Unknown operation {str(op)[:20]!r}; choose one of {', '.join(OPS)}.")
    A, B = example_arrays(shape_a, shape_b)
    elementwise = op in ("+", "*")
    steps = broadcast_steps(shape_a, shape_b) if elementwise else product_steps(shape_a, shape_b, op)
    try:
        result = np.asarray(_RUN[op](A, B))
    except ValueError as err:
        return Outcome(shape_a, shape_b, op, None, str(err), steps, A=A, B=B)
    if not elementwise:
        return Outcome(shape_a, shape_b, op, result.shape, "", steps, result, A, B)
    target = result.shape
    return Outcome(shape_a, shape_b, op, target, "", steps, result, A, B,
                   np.broadcast_to(A, target), np.broadcast_to(B, target),
                   copies_mask(shape_a, target), copies_mask(shape_b, target))


def _show(shape) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


# ---------------------------------------------------------------------------------------------------------
# The rank-1 pitfall, (5,) against (5, 1): every line really run with numpy
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One line of code, the shape it gives (or numpy's error), and what a student should notice."""

    code: str
    shape: str
    comment: str


def rank1_pitfalls(n: int = 5, seed: int = 0) -> list[Line]:
    """The (n,) vs (n, 1) surprises from the course, computed live, and their fixes."""
    if not 2 <= int(n) <= MAX_SIZE:
        raise InputError(f"n = {n}; choose n between 2 and {MAX_SIZE}.")
    n = int(n)
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n)                  # (n,): rank 1, neither a row nor a column
    col = a.reshape(n, 1)                       # (n, 1): a column vector
    lines = [
        ("a = np.random.randn(5)", a, "A rank-1 array: neither a row nor a column."),
        ("a.T", a.T, f"Transposing a rank-1 array changes nothing: a.T has the same shape ({n},) and numbers."),
        ("np.dot(a, a.T)", np.dot(a, a.T), "You may have wanted the outer product (5, 5); you get one number."),
        ("a + a.reshape(5, 1)", a + col, "A row plus a column broadcasts to a (5, 5) table: a silent bug."),
        ("a = np.random.randn(5, 1)", col, "Fix 1: make a column vector from the start."),
        ("a.T", col.T, "Now the transpose is a row, (1, 5)."),
        ("a @ a.T", col @ col.T, "Column times row: the outer product."),
        ("a.T @ a", col.T @ col, "Row times column: the inner product, as a (1, 1) array."),
        ("a = a.reshape(5, 1)", a.reshape(-1, 1), "Fix 2: reshape a rank-1 array you were given."),
        ("assert a.shape == (5, 1)", col, "Fix 3: assert shapes; cheap, and it catches the bug where it starts."),
    ]
    return [Line(code.replace("5", str(n)), _show(np.shape(value)), comment.replace("5", str(n)))
            for code, value, comment in lines]
