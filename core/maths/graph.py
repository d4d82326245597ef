"""Computation graphs of scalars, built the way micrograd builds them, for the computation-graph lesson.

Each operation makes an output ``Node`` and, right beside it, the closure ``_backward`` that sends the gradient
back to its inputs (the chain rule, one edge at a time). Each node also keeps, for the picture, the local
derivative of its output with respect to each input (``_local``): a value and how the course writes it.

Two graphs from the course:

* J = 3(a + bc) with u = bc, v = a + u, J = 3v.
* One logistic-regression example: z = w1·x1 + w2·x2 + b, a = σ(z), L(a, y) = −(y log a + (1 − y) log(1 − a)).

``forward_steps`` and ``backward_steps`` turn a graph into a list of snapshots that a page can step through;
``nudge_check`` compares each analytic derivative with (J(θ + ε) − J(θ))/ε and the centred difference.

Example
-------
>>> g = three_a_plus_bc(5, 3, 2)
>>> g.out.data, {n.name: n.grad for n in g.nodes}
(33.0, {'a': 3.0, 'b': 6.0, 'c': 9.0, 'u': 3.0, 'v': 3.0, 'J': 1.0})
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from core.errors import InputError
from core.maths.activations import sigmoid
from core.params import QueryState, setting


class Node:
    """A scalar in a computation graph: its value ``data`` and ``grad`` = dJ/d(this node).

    ``_prev``: the nodes this one was computed from; ``_op``: the operation that produced it (for the picture);
    ``_local``: (input, ∂self/∂input value, ∂self/∂input as the course writes it) per input.
    """

    def __init__(self, data, name="", _prev=(), _op="", formula=""):
        self.data = float(data)
        self.grad = 0.0
        self.name = name
        self.formula = formula or name  # how the course writes this node, e.g. "u = bc"
        self._prev = tuple(_prev)
        self._op = _op
        self._local: tuple[tuple[Node, float, str], ...] = ()
        self._backward: Callable[[], None] = lambda: None
        # 1 − data, when it is known better than by subtracting: a sigmoid's output keeps σ(−z) (see sigmoid)
        self.complement: float | None = None
        # constants it was computed with that are not nodes, named in the forward step: the log-loss's label y
        self.given: tuple[tuple[str, float], ...] = ()

    def __repr__(self):
        return f"Node({self.name}={self.data:g}, grad={self.grad:g})"

    def __add__(self, other):
        out = Node(self.data + other.data, _prev=(self, other), _op="+")
        out._local = ((self, 1.0, "1"), (other, 1.0, "1"))

        def _backward():
            self.grad += 1.0 * out.grad                 # ∂(s + o)/∂s = 1
            other.grad += 1.0 * out.grad                # ∂(s + o)/∂o = 1
        out._backward = _backward
        return out

    def __mul__(self, other):
        if isinstance(other, (int, float)):             # a constant factor, not a node: J = 3v
            k = float(other)
            out = Node(k * self.data, _prev=(self,), _op=f"×{k:g}")
            out._local = ((self, k, f"{k:g}"),)

            def _backward():
                self.grad += k * out.grad               # ∂(k·s)/∂s = k
            out._backward = _backward
            return out
        out = Node(self.data * other.data, _prev=(self, other), _op="×")
        out._local = ((self, other.data, other.name), (other, self.data, self.name))

        def _backward():
            self.grad += other.data * out.grad          # ∂(s·o)/∂s = o
            other.grad += self.data * out.grad          # ∂(s·o)/∂o = s
        out._backward = _backward
        return out

    __rmul__ = __mul__

    def sigmoid(self):
        """a = σ(z); da/dz = a(1 − a).

        1 − a is computed from z as σ(−z), not as 1 − a: for z = 210, a is within 10⁻⁹¹ of 1, so float64 (about
        16 digits) stores a = 1 exactly, while 1 − a = σ(−210) ≈ 6.3e−92 is still known. The log-loss and the
        slope a(1 − a) use it, so they stay right however saturated the sigmoid is.
        """
        a, one_minus_a = float(sigmoid(self.data)), float(sigmoid(-self.data))
        out = Node(a, _prev=(self,), _op="σ")
        out.complement = one_minus_a
        out._local = ((self, a * one_minus_a, "a(1 − a)"),)

        def _backward():
            self.grad += a * one_minus_a * out.grad
        out._backward = _backward
        return out

    def log_loss(self, y: float):
        """L(a, y) = −(y log a + (1 − y) log(1 − a)); dL/da = −y/a + (1 − y)/(1 − a). y is a label, not a node."""
        a = self.data
        one_minus_a = self.complement if self.complement is not None else 1.0 - a  # σ(−z) for a sigmoid
        if not (a > 0.0 and one_minus_a > 0.0):
            raise InputError(f"a = {a:g} must be strictly between 0 and 1 for the log-loss.")
        # −log a = log(1 + (1 − a)/a) and −log(1 − a) = log(1 + a/(1 − a)): the same numbers, but log1p keeps
        # the tiny ones (a within 1e−92 of 1 has −log a ≈ 6e−92, not 0); for a = σ(z) they are log(1 + e^∓z).
        loss = y * math.log1p(one_minus_a / a) + (1.0 - y) * math.log1p(a / one_minus_a)
        dL_da = -y / a + (1.0 - y) / one_minus_a
        out = Node(loss, _prev=(self,), _op="L")
        out._local = ((self, dL_da, "−y/a + (1 − y)/(1 − a)"),)

        def _backward():
            self.grad += dL_da * out.grad
        out._backward = _backward
        return out

    def topological(self) -> list[Node]:
        """Every node this one depends on, inputs before outputs (this node last)."""
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)
        visit(self)
        return order

    def backward(self) -> None:
        """Fill in every node's grad = d(self)/d(node): the chain rule in reverse topological order."""
        order = self.topological()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0                                 # dJ/dJ = 1
        for node in reversed(order):
            node._backward()


def _name(node: Node, name: str, formula: str, shift: Mapping[str, float]) -> Node:
    """Give a node its name, and move its value by shift[name] (a nudge) before later nodes use it."""
    node.name, node.formula = name, formula
    node.data += float(shift.get(name, 0.0))
    if node.complement is not None:
        node.complement -= float(shift.get(name, 0.0))  # 1 − (a + ε) = (1 − a) − ε
    return node


@dataclass
class Graph:
    """A built graph: its output node, every node by name, and where to draw each (column, row)."""

    out: Node
    nodes: list[Node]
    inputs: tuple[str, ...]
    positions: dict[str, tuple[float, float]]
    title: str
    output_name: str = "J"
    notes: dict[str, str] = field(default_factory=dict)  # an extra sentence for a node's backward step
    by_name: dict[str, Node] = field(init=False)

    def __post_init__(self):
        self.by_name = {n.name: n for n in self.nodes}

    def value(self, name: str) -> float:
        return self.by_name[name].data

    def grad(self, name: str) -> float:
        return self.by_name[name].grad

    def backward_order(self) -> list[Node]:
        """The output, then each node as soon as every node that uses it is done, inputs in the order
        they were given (so J = 3(a + bc) goes dv, da, du, db, dc, as in the course)."""
        users: dict[int, int] = {}
        for node in self.nodes:
            for child in node._prev:
                users[id(child)] = users.get(id(child), 0) + 1
        order, queue = [], [self.out]
        while queue:
            node = queue.pop(0)
            order.append(node)
            for child in node._prev:
                users[id(child)] -= 1
                if users[id(child)] == 0:
                    queue.append(child)
        return order

    def edges(self) -> list[tuple[Node, Node, float, str]]:
        """(input, output, local derivative, its formula) for every edge, in topological order."""
        return [(child, node, value, text) for node in self.nodes for child, value, text in node._local]


# ---------------------------------------------------------------------------------------------------------
# The two graphs of the lesson
# ---------------------------------------------------------------------------------------------------------
INPUT_LIMIT = 100.0  # |a|, |b|, |c| and the logistic inputs are kept at most this size


def _check_number(name, value, limit=INPUT_LIMIT):
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number; got {value!r}.") from None
    if not math.isfinite(value) or abs(value) > limit:
        raise InputError(f"{name} = {value:g} is out of range; use a number between −{limit:g} and {limit:g}.")
    return value


def three_a_plus_bc(a=5.0, b=3.0, c=2.0, shift: Mapping[str, float] | None = None) -> Graph:
    """J = 3(a + bc): u = bc, v = a + u, J = 3v, forward and backward passes done.

    shift: optional nudges {node name: amount} added to a node's value as it is computed (for nudge checks).
    """
    a, b, c = (_check_number(n, v) for n, v in (("a", a), ("b", b), ("c", c)))
    shift = shift or {}
    na = _name(Node(a), "a", "a", shift)
    nb = _name(Node(b), "b", "b", shift)
    nc = _name(Node(c), "c", "c", shift)
    u = _name(nb * nc, "u", "u = bc", shift)
    v = _name(na + u, "v", "v = a + u", shift)
    J = _name(v * 3, "J", "J = 3v", shift)
    J.backward()
    positions = {"a": (0, 2), "b": (0, 1), "c": (0, 0), "u": (1, 0.5), "v": (2, 1.25), "J": (3, 1.25)}
    return Graph(J, J.topological(), ("a", "b", "c"), positions, "J = 3(a + bc)")


LOGISTIC_DEFAULTS = {"x1": 1.0, "x2": 2.0, "w1": 0.3, "w2": -0.1, "b": 0.1, "y": 1.0}
LOGISTIC_LIMIT = 10.0


def _linear(ws, xs, b):
    """z = w1·x1 + w2·x2 + b as one node, as the course draws it; dz/dw_i = x_i, dz/dx_i = w_i, dz/db = 1."""
    out = Node(sum(w.data * x.data for w, x in zip(ws, xs, strict=True)) + b.data,
               _prev=(*ws, b, *xs), _op="wᵀx + b")
    local = []
    for w, x in zip(ws, xs, strict=True):
        local += [(x, w.data, w.name), (w, x.data, x.name)]
    out._local = (*local, (b, 1.0, "1"))

    def _backward():
        for w, x in zip(ws, xs, strict=True):
            w.grad += x.data * out.grad
            x.grad += w.data * out.grad
        b.grad += 1.0 * out.grad
    out._backward = _backward
    return out


def logistic_example(x1=1.0, x2=2.0, w1=0.3, w2=-0.1, b=0.1, y=1.0,
                     shift: Mapping[str, float] | None = None) -> Graph:
    """One example through a neuron: z = w1·x1 + w2·x2 + b, a = σ(z), L(a, y), forward and backward done.

    The backward pass gives da = −y/a + (1 − y)/(1 − a), dz = da·a(1 − a) = a − y, dw1 = x1·dz, dw2 = x2·dz,
    db = dz.
    """
    values = [_check_number(n, v, LOGISTIC_LIMIT)
              for n, v in (("x1", x1), ("x2", x2), ("w1", w1), ("w2", w2), ("b", b))]
    if y not in (0, 1, 0.0, 1.0):
        raise InputError(f"The label y must be 0 or 1; got {y!r}.")
    shift = shift or {}
    nx1, nx2, nw1, nw2, nb = (_name(Node(v), n, n, shift)
                              for n, v in zip(("x1", "x2", "w1", "w2", "b"), values, strict=True))
    z = _name(_linear((nw1, nw2), (nx1, nx2), nb), "z", "z = w1·x1 + w2·x2 + b", shift)
    a = _name(z.sigmoid(), "a", "a = σ(z)", shift)
    L = _name(a.log_loss(float(y)), "L", "L(a, y)", shift)
    L.given = (("y", float(y)),)     # "using a = 0.5498 and the label y = 1" (it did not say which y)
    L.backward()
    positions = {"x1": (0, 4), "w1": (0, 3), "x2": (0, 2), "w2": (0, 1), "b": (0, 0),
                 "z": (2, 2), "a": (3.3, 2), "L": (4.6, 2)}
    # a shown as it is, not rounded to y: "a − y = 0.99999987563 − 1", not "1 − 1" beside dz = −1.244e−07
    a_shown = _beside(a.data, float(y), 4) if _fmt(a.data) == _fmt(float(y)) != _fmt(a.data - y) else _fmt(a.data)
    a_minus_y = f"{a_shown} − {_fmt(float(y))}"
    if y == 1 and a.complement < 1e-10:
        # a − 1 would lose the digits a float64 cannot keep so close to 1 (it read "1 − 1" beside dz = −8.533e−17,
        # and 0.99999999999990652 − 1 = −9.348e−14 beside dz = −9.358e−14): write it with 1 − a = σ(−z)
        a_minus_y = f"−(1 − a) = −σ(−z) = {_fmt(-a.complement)}"
    notes = {"z": f"This is a − y = {a_minus_y}: the sigmoid's slope cancels the log-loss's.",
             "w1": "This is x1·dz.", "w2": "This is x2·dz.", "b": "This is dz."}
    saturated = _saturation_note(z.data, a)
    if saturated:
        notes["a"] = saturated
    return Graph(L, L.topological(), ("x1", "x2", "w1", "w2", "b"), positions,
                 "z = w1·x1 + w2·x2 + b → a = σ(z) → L(a, y)", output_name="L", notes=notes)


def _saturation_note(z: float, a: Node) -> str:
    """A plain sentence when a = σ(z) is so close to 0 or 1 that float64 shows it as exactly 0 or 1."""
    gap = min(a.data, a.complement)
    if a.data not in (0.0, 1.0) and gap >= 1e-12:
        return ""
    within = f"{gap:.2g}".replace("-", "−")
    if z < 0:   # a tiny a keeps its 16 digits (6.283e−92 is stored as it is): only its nudge has a problem
        return (f"Here z = {_fmt(z)}, so a = σ(z) = {_fmt(a.data)} is within {within} of 0. L and its derivatives "
                "are computed from z, so they stay exact; a nudge of a past 0 has no log-loss (nan in the table).")
    stored = "a = 1 exactly" if a.data == 1.0 else f"a = {a.data:.17g}, shown as 1"
    return (f"Here z = {_fmt(z)}, so a = σ(z) is within {within} of 1: a computer keeps about 16 digits and "
            f"stores {stored}. L and its derivatives are computed from z (1 − a = σ(−z)), so they stay exact; a "
            "nudge of a past 1 has no log-loss (nan in the table).")


# ---------------------------------------------------------------------------------------------------------
# Stepping through the passes
# ---------------------------------------------------------------------------------------------------------
def _fmt(x: float) -> str:
    """A number as a student would write it: 6, 0.5498, −0.4502, 1.2e-05."""
    if x == int(x) and abs(x) < 1e6:
        return f"{int(x)}".replace("-", "−")      # a real minus sign, as for −0.4502 (it read "w2 = -10")
    text = f"{x:.4g}"
    return text.replace("-", "−")


@dataclass(frozen=True)
class Step:
    """One snapshot of a pass: what is known so far and what this step did.

    values / grads: the node values and derivatives (dJ/d node) shown at this step.
    edges: (input name, output name) of the edges whose chain-rule product is written at this step or before.
    active: the node computed at this step; explanation: one or two plain sentences.
    """

    phase: str                       # "forward" or "backward"
    title: str
    explanation: str
    active: str
    values: dict[str, float]
    grads: dict[str, float]
    edges: tuple[tuple[str, str], ...]


def forward_steps(g: Graph) -> list[Step]:
    """The forward pass, one node at a time: first the inputs, then each node from the ones before it."""
    def drawn(nodes):   # in the order the graph draws them, top to bottom: x1, w1, x2, w2, b (not w1, w2, b, x1, x2)
        return sorted(nodes, key=lambda n: -g.positions[n.name][1])
    leaves = drawn(n for n in g.nodes if not n._prev)
    values = {n.name: n.data for n in leaves}
    steps = [Step("forward", "the inputs",
                  "We know only the inputs: " + ", ".join(f"{n.name} = {_fmt(n.data)}" for n in leaves) + ".",
                  "", dict(values), {}, ())]
    for node in g.nodes:
        if not node._prev:
            continue
        values[node.name] = node.data
        parts = ", ".join(f"{c.name} = {_fmt(c.data)}" for c in drawn(node._prev))
        parts += "".join(f" and the label {k} = {_fmt(v)}" for k, v in node.given)
        steps.append(Step("forward", f"compute {node.name}",
                          f"{node.formula}, using {parts}: {node.name} = {_fmt(node.data)}.",
                          node.name, dict(values), {}, ()))
    return steps


def backward_steps(g: Graph) -> list[Step]:
    """The backward pass, one node at a time from the output back to the inputs.

    Each step multiplies the derivative that has already reached a node's output by the local derivative on
    the edge (the chain rule), and writes that product on the edge.
    """
    values = {n.name: n.data for n in g.nodes}
    out = g.out.name
    grads = {out: 1.0}
    consumers: dict[str, list[tuple[Node, float, str]]] = {}
    for child, parent, local, text in g.edges():
        consumers.setdefault(child.name, []).append((parent, local, text))
    steps = [Step("backward", f"start at {out}",
                  f"The derivative of {out} with respect to itself is 1: d{out}/d{out} = 1.",
                  out, dict(values), dict(grads), ())]
    edges: list[tuple[str, str]] = []
    for node in g.backward_order()[1:]:
        terms = consumers.get(node.name, [])
        grads[node.name] = node.grad
        edges += [(node.name, p.name) for p, _, _ in terms]
        products = " + ".join(
            f"d{p.name} × ∂{p.name}/∂{node.name} = {_fmt(p.grad)} × {_local_text(text, local)}"
            for p, local, text in terms)
        steps.append(Step(
            "backward", f"d{node.name} = d{out}/d{node.name}",
            f"Chain rule: {products} = {_fmt(node.grad)}." + (" " + g.notes[node.name] if node.name in g.notes else ""),
            node.name, dict(values), dict(grads), tuple(edges)))
    return steps


def _local_text(text: str, value: float) -> str:
    """'c' with value 2 → '2 (= c)'; a plain number stays as it is."""
    shown = _fmt(value)
    return shown if text in (shown, "1") else f"{shown} (= {text})"


def edge_label(g: Graph, child: str, parent: str) -> tuple[str, str, str]:
    """Three texts for the edge child → parent: the local derivative, the chain-rule product in symbols and
    in numbers, e.g. ('∂u/∂b = c = 2', 'du · c', '3 × 2 = 6')."""
    for c, p, local, text in g.edges():
        if c.name == child and p.name == parent:
            plain = text in (_fmt(local), "1")
            local_txt = f"∂{parent}/∂{child} = " + (_fmt(local) if plain else f"{text} = {_fmt(local)}")
            factor = text if len(text) <= 8 else f"∂{parent}/∂{child}"
            symbols = f"d{parent} · {factor}"
            numbers = f"{_short(p.grad)} × {_short(local)} = {_short(p.grad * local)}"
            return local_txt, symbols, numbers
    raise KeyError(f"no edge {child} → {parent}")


def _short(x: float) -> str:
    """Three significant digits, for the numbers written on edges."""
    if x == int(x) and abs(x) < 1e6:
        return f"{int(x)}".replace("-", "−")
    return f"{x:.3g}".replace("-", "−")


# ---------------------------------------------------------------------------------------------------------
# Nudges: the derivative as "how much J moves when this moves a little"
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NudgeRow:
    """One node's derivative three ways. J_nudged = J(θ + ε); numerical = (J(θ + ε) − J(θ))/ε."""

    name: str
    analytic: float
    J_nudged: float
    numerical: float
    centred: float

    @property
    def difference(self) -> float:
        return self.numerical - self.analytic


def nudge_check(build: Callable[..., Graph], params: Mapping[str, float], eps: float = 1e-3,
                names: tuple[str, ...] | None = None) -> list[NudgeRow]:
    """For each node (default: every node but the output), nudge it by eps and see how far the output moves.

    build: three_a_plus_bc or logistic_example; params: their keyword arguments.
    A node whose nudged value would leave where its function is defined (a ± eps outside (0, 1)) gets NaN
    in the numerical columns.
    """
    eps = float(eps)
    if not math.isfinite(eps) or not 1e-8 <= abs(eps) <= 1.0:
        raise InputError(f"The nudge ε = {eps:g} should be between 1e-8 and 1 (try 0.001).")
    g = build(**params)
    J0 = g.out.data

    def nudged(name, by):
        try:
            return build(**params, shift={name: by}).out.data
        except InputError:          # the nudge left where the output is defined: that side alone has no value
            return math.nan
    rows = []
    for name in names or [n.name for n in g.nodes if n is not g.out]:
        Jp, Jm = nudged(name, eps), nudged(name, -eps)
        rows.append(NudgeRow(name, g.grad(name), Jp, (Jp - J0) / eps, (Jp - Jm) / (2 * eps)))
    return rows


EPS_MIN = 1e-6   # the smallest nudge ε the page takes


def undefined_note(g: Graph, rows: list[NudgeRow], eps: float, out: str = "L") -> str:
    """A plain sentence for each row with no value (nan) in the nudge table: which nudge left where the output is
    defined, and why. "" when every number is defined.

    >>> g = logistic_example(x1=4, w1=4)
    >>> undefined_note(g, nudge_check(logistic_example, dict(x1=4, w1=4), 1e-3, names=("a",)), 1e-3)[:52]
    'nan: a + ε = 1.001 is outside (0, 1), and the log-lo'
    """
    said, room, nearest = [], math.inf, ""   # room: how far the nodes said are from 0 or 1; nearest: its nudge out
    for r in rows:
        if not (math.isnan(r.J_nudged) or math.isnan(r.centred)):
            continue
        v = g.value(r.name)
        node = g.by_name[r.name]
        gap, side = min((v, f"{r.name} − ε, past 0"),
                        (node.complement if node.complement is not None else 1.0 - v, f"{r.name} + ε, past 1"))
        if gap < room:
            room, nearest = gap, side
        for sign, nudged in (("+", v + eps), ("−", v - eps)):
            if 0.0 < nudged < 1.0:
                continue
            log = "log(1 − a)" if nudged >= 1.0 else "log a"
            cols = (f"{out}(θ + ε), ({out}(θ+ε) − {out}(θ))/ε and the centred column show" if sign == "+"
                    else "the centred column shows")
            said.append(f"{r.name} {sign} ε = {_beside(nudged, 1.0 if nudged >= 1.0 else 0.0)} is outside (0, 1), "
                        f"and the log-loss needs {log}, which has no value there: {cols} nan for {r.name}.")
    if not said:
        return ""
    if room > EPS_MIN:
        return "nan: " + " ".join(said) + " A smaller ε keeps the nudge inside (0, 1)."
    # a within 8.5e−17 of 1 (z = 37): no ε the page allows is that small
    # only the side that leaves: at z = −210, a + ε is inside (0, 1) and its row has a value ("every nudge leaves")
    name, past = nearest.split(", ")
    return ("nan: " + " ".join(said) + f" Here the node is within {room:.2g} of {past[-1]}, closer than the smallest "
            f"ε, {EPS_MIN:g}: {name} leaves (0, 1) {past} for every ε the page allows.").replace("e-", "e−")


def show_change(x: float, ref: float, keep: int = 3, fewest: int = 8) -> str:
    """x with enough significant digits (at least `fewest`) that its change from ref shows to `keep` digits:
    30300.0003 beside 30300, not 30300 (what 8 digits give).

    >>> show_change(30300.0003, 30300.0), show_change(33.003, 33.0)
    ('30300.0003', '33.003')
    """
    gap = abs(x - ref)
    if not (math.isfinite(x) and math.isfinite(gap)) or gap == 0 or x == 0:
        return f"{x:.{fewest}g}"
    d = math.floor(math.log10(abs(x))) - math.floor(math.log10(gap)) + keep
    return f"{x:.{min(17, max(fewest, d))}g}"


def nudge_example(row: NudgeRow, J0: float, eps: float, out: str = "J") -> str:
    """The page's worked example of one nudge, with real minus signs (it read "from -300.3" beside "−" elsewhere).

    >>> nudge_example(NudgeRow("b", 6.0, 33.006, 6.0, 6.0), 33.0, 0.001)
    'For example, b → b + 0.001 moves J from 33 to 33.006: a change of 0.006 ≈ db × ε = 6 × 0.001.'
    """
    return (f"For example, {row.name} → {row.name} + {eps:g} moves {out} from {J0:.6g} to "
            f"{show_change(row.J_nudged, J0)}: a change of {row.J_nudged - J0:.6g} ≈ d{row.name} × ε = "
            f"{row.analytic:g} × {eps:g}.").replace("-", "−")


def rounding_note(J0: float, eps: float, out: str = "J", grads: Collection[float] = ()) -> str:
    """A sentence when float64's rounding of the output, divided by ε, shows in the nudge table's last columns
    (at 8 significant digits); "" otherwise. grads: the derivatives shown; the smaller one, the sooner its 8 digits
    show the rounding (db = 0.003 read 0.0029999967 at a = b = −100, c = 0.001, ε = 1e−6, with no word why).

    >>> rounding_note(33.0, 1e-3)
    ''
    >>> rounding_note(30300.0, 1e-6)[:60]
    'Here rounding shows too: J is kept to about 16 significant d'
    """
    r = abs(J0) * 2.2e-16 / abs(eps)
    # the last of 8 significant digits of the smallest derivative shown (and of one near 1, as before)
    last_digit = min([1e-7] + [10.0 ** (math.floor(math.log10(abs(d))) - 7) for d in grads if d and math.isfinite(d)])
    if r < last_digit:
        return ""
    return (f"Here rounding shows too: {out} is kept to about 16 significant digits, and dividing its change by "
            f"ε = {eps:g} magnifies that rounding to about {r:.0e} in the last columns (a larger ε, or a smaller "
            f"{out}, makes it vanish).")


def _beside(x: float, mark: float, keep: int = 2) -> str:
    """x with enough significant digits that its distance from `mark` still shows, to `keep` digits of that
    distance: 1.001 for 1.0009998756 beside 1, 0.99999987563 (keep=4) for a − y with y = 1, −0.001 beside 0."""
    gap = abs(x - mark)
    if mark == 0 or gap == 0 or not math.isfinite(gap):
        return f"{x:.{keep}g}".replace("-", "−")
    d = max(keep, math.ceil(-math.log10(gap)) + keep) if gap < 1 else keep + 2
    return f"{x:.{min(d, 17)}g}".replace("-", "−")


HIDDEN = "?"   # a number the step-through has not reached yet, in the graph and in the nudge table alike


def reveal_steps(g: Graph) -> dict[str, int]:
    """For each node, the step (1 = the first of the forward pass, as the page counts) at which the backward pass
    reaches it and its derivative is first shown."""
    out: dict[str, int] = {}
    for k, step in enumerate(forward_steps(g) + backward_steps(g), start=1):
        for name in step.grads:
            out.setdefault(name, k)
    return out


def nudge_table(rows: list[NudgeRow], out: str = "J", shown: Collection[str] | None = None,
                J0: float | None = None) -> list[dict]:
    """The nudge check as the page's table: one row per node, its derivative three ways.

    shown: the nodes whose derivative the step-through shows at this step (Step.grads); the others' numbers are
    HIDDEN, as the graph hides them. All their numbers, not only the backward pass's: a nudge's change in {out}
    divided by ε is the derivative too. None: every row shown. J0: the output before the nudge, so that
    {out}(θ + ε) shows its change (show_change).
    """
    table = []
    for r in rows:
        nudged = f"{r.J_nudged:.8g}" if J0 is None else show_change(r.J_nudged, J0)
        cells = {"analytic (backward pass)": f"{r.analytic:.6g}", f"{out}(θ + ε)": nudged,
                 f"({out}(θ+ε) − {out}(θ))/ε": f"{r.numerical:.6g}", "difference": f"{r.difference:.2g}",
                 "centred (θ ± ε)": f"{r.centred:.8g}"}
        if shown is not None and r.name not in shown:
            cells = dict.fromkeys(cells, HIDDEN)
        table.append({"node": r.name, **cells})
    return table


def phone_nudge_tables(rows: list[NudgeRow], out: str = "J", shown: Collection[str] | None = None,
                       J0: float | None = None) -> tuple[list[dict], list[dict]]:
    """nudge_table's numbers as two narrow tables for a phone, with short headers: the backward pass beside the
    centred nudge; then {out}(θ + ε), the one-sided nudge and its difference from the backward pass. On a 390-px
    phone the six columns took 550 px and scrolled sideways, hiding the difference and the centred nudge.

    >>> first, second = phone_nudge_tables([NudgeRow("b", 6.0, 33.006, 6.000001, 6.0)], J0=33.0)
    >>> first
    [{'node': 'b', 'backward pass': '6', 'centred': '6'}]
    >>> second
    [{'node': 'b', 'J(θ + ε)': '33.006', 'one-sided': '6', 'difference': '1e-06'}]
    """
    wide = nudge_table(rows, out, shown, J0)
    first = [{"node": r["node"], "backward pass": r["analytic (backward pass)"], "centred": r["centred (θ ± ε)"]}
             for r in wide]
    second = [{"node": r["node"], f"{out}(θ + ε)": r[f"{out}(θ + ε)"],
               "one-sided": r[f"({out}(θ+ε) − {out}(θ))/ε"], "difference": r["difference"]} for r in wide]
    return first, second


# How many steps each graph's passes have (forward, then backward): fixed by the graph's shape, not its numbers.
J_STEPS = len(forward_steps(three_a_plus_bc(5.0, 3.0, 2.0))) + len(backward_steps(three_a_plus_bc(5.0, 3.0, 2.0)))
L_STEPS = len(forward_steps(logistic_example(1.0, 2.0, 0.3, -0.1, 0.1, 1))) + len(
    backward_steps(logistic_example(1.0, 2.0, 0.3, -0.1, 0.1, 1)))


@dataclass(frozen=True)
class GraphParams(QueryState):
    """The Computation graph page's shareable settings (field names = widget keys = URL keys)."""

    a: float = setting(5.0, lo=-100.0, hi=100.0)
    b: float = setting(3.0, lo=-100.0, hi=100.0)
    c: float = setting(2.0, lo=-100.0, hi=100.0)
    eps: float = setting(0.001, lo=EPS_MIN, hi=0.5)
    x1: float = setting(1.0, lo=-10.0, hi=10.0)
    x2: float = setting(2.0, lo=-10.0, hi=10.0)
    w1: float = setting(0.3, lo=-10.0, hi=10.0)
    w2: float = setting(-0.1, lo=-10.0, hi=10.0)
    bias: float = setting(0.1, lo=-10.0, hi=10.0)
    y: int = setting(1, lo=0, hi=1)
    j_step: int = setting(1, lo=1, hi=J_STEPS)      # the step shown of J = 3(a + bc)'s passes
    l_step: int = setting(1, lo=1, hi=L_STEPS)      # the step shown of the logistic example's passes
