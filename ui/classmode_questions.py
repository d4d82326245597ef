"""Which lesson questions a class can be asked, and how they travel through class mode's store (no Streamlit here).

A class question is one of the lessons' predict-then-check questions (core/lessons/predict.py) with its page's settings.
The store keeps only its kind, its settings and its choice keys (classmode.model.Question); everything a
student reads (the prompt, the choices' words, the true answer and why) is rebuilt from those by core, so a
question asked on one replica reads the same on every other.

Two kinds are asked in class: "basin.regime" (Cost basin: will the ball roll, zigzag or fly off?) and
"losses.stuck" (Squared error vs log-loss: which cost gets stuck?). The Classify page's question is about a
photo the student takes; it has no settings a whole class could share, so class mode leaves it to the page.

No Streamlit here: ui/classmode.py caches these calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import numpy as np

from classmode import model
from core.errors import InputError
from core.lessons import basin, losses
from core.lessons import predict as pr
from core.maths.surfaces import cost_grid

CLASS_KINDS = {"basin": "basin.regime", "losses": "losses.stuck"}
"""Page url_path -> the kind of question class mode asks about that page."""


def to_store(q: pr.Question) -> model.Question:
    """What the store keeps of a lesson question: its kind, its settings and its choice keys."""
    return model.Question(q.kind, dict(q.settings), tuple(c.key for c in q.choices))


def from_store(stored: model.Question) -> pr.Question:
    """The lesson question again, rebuilt by core from the kind and settings the store kept.

    Raises InputError if they no longer make a question (for example a class older than a change to a page)."""
    q = pr.question(stored.question_id, stored.settings)
    if tuple(c.key for c in q.choices) != tuple(stored.choices):
        raise InputError("This question no longer matches the lessons: ask it again.")
    return q


def basin_choice(dataset: str = "overlap", neuron: str = "logistic", alpha: str = "smooth", steps: int = 60,
                 lambd: float = 0.0) -> pr.Question:
    """A Cost basin question from the settings a teacher picks in class (from the data's own start point)."""
    query = {"dataset": dataset, "neuron": neuron, "alpha": alpha, "steps": str(steps), "lambd": f"{lambd:g}"}
    return pr.question("basin.regime", query)


def picker_rates(dataset: str = "overlap", neuron: str = "logistic", steps: int = 60) -> dict:
    """{token: label} of the learning rates a teacher picks from, in the order of their rates, labelled by number
    on these data: "0.1" on the ladder, "16.1 = 1.8/λₘₐₓ" for a named rate. Not by name: the picker is on the
    projector, and "oscillating" is the answer to the question it asks."""
    _, _, curv = pr.basin_run(pr._basin_params(basin_choice(dataset, neuron, "smooth", steps).settings))  # noqa: SLF001
    rates = curv.rates()
    return {t: t if t not in basin.PRESET_FACTORS else
            f"{rates[t]:.3g} = {rates[t] * curv.lam_max:.3g}/λₘₐₓ" for t in sorted(rates, key=rates.get)}


def losses_choice(dataset: str = "overlap", cost: str = "squared", preset: str = "trap") -> pr.Question:
    """A Squared error vs log-loss question from the settings a teacher picks in class."""
    p, notes = losses.LossesParams.parse({"dataset": dataset, "cost": cost, "preset": preset})
    if notes:
        raise InputError(" ".join(notes))
    return pr.losses_question(p)


def from_link(link: str) -> pr.Question:
    """The question about the experiment a page's link describes ("link to this experiment" in the sidebar).

    Only the path's last part (the page) and the query (its settings) count, so a link from any server works.
    Raises InputError with one sentence when the link is not a Cost basin or Squared error vs log-loss link."""
    if not isinstance(link, str) or not link.strip() or len(link) > 2000:
        raise InputError("Paste the link of a Cost basin or Squared error vs log-loss experiment.")
    parts = urlsplit(link.strip())
    page = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if page not in CLASS_KINDS:
        raise InputError("That link is not a Cost basin or Squared error vs log-loss page: class questions come "
                         "from those two pages.")
    settings = {k: v for k, v in parse_qsl(parts.query) if k not in ("teacher", "big", "hide", "predict", "path")}
    q = pr.question(CLASS_KINDS[page], settings)
    to_store(q)  # checks the size and shape the store accepts
    return q


def left_out(link: str) -> str:
    """What of a Cost basin link's experiment a class question does not ask, as one sentence ("" when nothing): a
    question is about one ball rolled by plain gradient descent at the learning-rate slider's rate, so a race of
    rates or an optimiser race in the link would otherwise be dropped without a word."""
    query = dict(parse_qsl(urlsplit(str(link).strip()).query))
    dropped = (["its race of learning rates"] * bool(query.get("race", "").strip())
               + ["its race of optimisers"] * any(k.startswith("opt_") for k in query))
    if not dropped:
        return ""
    return (f"The question leaves out {' and '.join(dropped)}: it asks about one ball, rolled by plain gradient "
            "descent at the learning-rate slider's rate.")


@dataclass(frozen=True, eq=False)
class PathMap:
    """A top view of J(w, b) with the ball's path over it, for a reveal (core.figures.class_answers.path_figure).

    title : str
    w : ndarray of shape (n_w,)
    b : ndarray of shape (n_b,)
    J : ndarray of shape (n_b, n_w)     the cost on the grid (rows follow b)
    W, B : ndarray of shape (k,)        the path: w and b at steps first, first + 1, ..., first + k − 1
    first : int                         the step of the path's first point (0: it starts at the start)
    minimum : (w, b) or None            the bottom of the basin, when it has one
    """

    title: str
    w: np.ndarray
    b: np.ndarray
    J: np.ndarray
    W: np.ndarray
    B: np.ndarray
    first: int
    minimum: tuple | None


@dataclass(frozen=True)
class Reveal:
    """What a reveal shows: the true answer and why (a core.lessons.predict.Verdict), the runs behind it as
    (label, J at each step) pairs for a small chart, and for a Cost basin question the ball's path on the top view
    of the basin (PathMap, the whole path, then zoomed in near the bottom when the ball settles there): the picture
    in which a student sees it roll in, zigzag or fly off."""

    verdict: pr.Verdict
    curves: tuple
    maps: tuple = ()


def reveal(q: pr.Question) -> Reveal:
    """The verdict of a class question and the cost curves of its runs, computed as the page computes them."""
    settings = dict(q.settings)
    if q.kind == "basin.regime":
        p = pr._basin_params(settings)  # noqa: SLF001 (the page's own reading of a question's settings)
        t, alpha, curv = pr.basin_run(p)
        return Reveal(pr.basin_verdict(t, alpha, curv, p.loss), ((f"α = {alpha:.3g}", t.cost),),
                      basin_maps(p, t, curv))
    if q.kind == "losses.stuck":
        p, notes = losses.LossesParams.parse(settings)
        if notes:
            raise InputError("This question's settings are not valid: " + " ".join(notes))
        run_l, run_r, w0, b0, data = pr.losses_runs(p)
        return Reveal(pr.losses_verdict(run_l, run_r, w0, b0, data.x, p.cost),
                      ((run_l.label, run_l.trajectory.cost), (run_r.label, run_r.trajectory.cost)))
    raise InputError("Class mode asks only Cost basin and Squared error vs log-loss questions.")


MAP_GRID, ZOOM_GRID = 60, 40   # J's grid on the whole map, and on the zoomed one (points per side)
ZOOM_SHARE = 0.05   # the ball "settles" from the first step after which its path fits in 5 % of the map's side
ZOOM_MIN_STEPS = 5  # a zoom shows at least this many points


def settles_from(W, B, box):
    """The first step from which the rest of the path (W, B) fits in ZOOM_SHARE of the map box's longer side,
    with at least ZOOM_MIN_STEPS points; None when the ball never settles so (it bounces or flies off) or stops
    dead (nothing left to zoom in on).

    >>> settles_from(np.array([0.0, 4.0, 1.0, 1.01, 0.99, 1.005, 0.995, 1.0]), np.zeros(8), (0, 4, -2, 2))
    2
    """
    W, B = np.asarray(W, float), np.asarray(B, float)
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(B))):
        return None
    side = max(box[1] - box[0], box[3] - box[2])
    for k in range(1, W.size - ZOOM_MIN_STEPS + 1):
        span = max(np.ptp(W[k:]), np.ptp(B[k:]))
        if span <= ZOOM_SHARE * side:
            return k if span > 1e-6 * side else None
    return None


def _zoom_box(W, B):
    """(w_lo, w_hi, b_lo, b_hi) around the points, 15 % of room on each side (an axis along which they barely
    move gets a quarter of the other's span, so the zoom does not magnify rounding)."""
    spans = np.ptp(W), np.ptp(B)
    out = []
    for v, span in zip((W, B), spans, strict=True):
        pad = 0.15 * max(span, 0.25 * max(spans))
        out += [float(v.min() - pad), float(v.max() + pad)]
    return tuple(out)


def basin_maps(p, t, curv) -> tuple:
    """The ball's path on the top view of the basin, as PathMaps: the whole path (on the box that holds it, the
    start and the bottom, core.lessons.basin.axis_ranges), then the steps from where it settles, zoomed in: a zigzag
    of steps 0.03 across is a few pixels on the whole map and plain on the zoomed one."""
    act, loss = basin.NEURONS[p.neuron]
    x, y, _ = basin.load(p.dataset, p.seed)
    W, B = t.w[:, 0], t.b
    bottom = curv.bottom()
    extra = ([bottom[0]], [bottom[1]]) if bottom is not None else ([], [])
    box = basin.axis_ranges(np.r_[W, extra[0]], np.r_[B, extra[1]])

    def view(title, box, W, B, first, grid):
        w, b = np.linspace(*box[:2], grid), np.linspace(*box[2:], grid)
        return PathMap(title, w, b, cost_grid(x, y, w, b, act, loss, p.lambd), np.asarray(W, float),
                       np.asarray(B, float), first, bottom)

    maps = [view(f"From above: steps 0–{W.size - 1}", box, W, B, 0, MAP_GRID)]
    k = settles_from(W, B, box)
    if k is not None:
        maps.append(view(f"Zoomed in: steps {k}–{W.size - 1}", _zoom_box(W[k:], B[k:]),
                         W[k:], B[k:], k, ZOOM_GRID))
    return tuple(maps)


def describe(q: pr.Question) -> str:
    """The question's settings in a few words, for the projector ("Cost basin: Two overlapping classes, logistic
    neuron, log-loss, α = 16.1, 60 steps"). A named rate ("oscillating") is said as its number: its name would
    give the answer away."""
    s: Mapping = dict(q.settings)
    data = basin.ONE_FEATURE_SETS.get(s.get("dataset", "overlap"), s.get("dataset", ""))
    if q.kind == "basin.regime":
        neuron = "linear neuron, squared error" if s.get("neuron") == "linear" else "logistic neuron, log-loss"
        extra = f", λ = {s['lambd']}" if "lambd" in s else ""
        _, alpha, curv = pr.basin_run(pr._basin_params(s))  # noqa: SLF001 (the page's own reading of the settings)
        # λ_max as the page's own box gives it (the rule to reason with), never the rate's name
        return (f"Cost basin: {data}, {neuron}, α = {alpha:.3g}, {s.get('steps', 60)} steps{extra}. Here "
                f"λ_max = {curv.lam_max:.3g}, so 1/λ_max = {1 / curv.lam_max:.3g} and 2/λ_max = "
                f"{2 / curv.lam_max:.3g}.")
    cost = losses.RIVALS.get(s.get("cost", "squared"), ("", "", ""))[2]
    p, _ = losses.LossesParams.parse(s)
    _, _, w0, b0, _ = pr.losses_runs(p)      # the start as numbers: "the trap start" would give the answer away
    start = f"({w0:.3g}, {b0:.3g})".replace("-", "−")
    return f"Squared error vs log-loss: {data}, {cost} against log-loss, from the start point (w₀, b₀) = {start}"
