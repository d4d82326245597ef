"""The Cost basin page's logic: settings, learning rates from curvature, precomputed runs, axis ranges.

A 1-feature dataset gives a neuron exactly two parameters, w and b, so its cost J(w, b) is a surface we can draw
and gradient descent is a ball rolling on it. Everything the page shows is computed here, in numpy:

- the settings (BasinParams), mirrored in the URL;
- the learning-rate ladder: fixed log-spaced rates from 1e-4 to 100 plus three presets read off the curvature
  of J (smooth α = 0.5/λ_max, oscillating 1.8/λ_max, too large 2.6/λ_max; the oscillating one sits at |1 − αλ_max| = 0.8
  so its zigzag is slow enough to see);
- one gradient-descent run per rate on the ladder, so the page can switch rates without recomputing;
- axis ranges that contain the minimum and the start point.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from dataclasses import dataclass

import numpy as np

from core.datasets import ONE_FEATURE_SETS, one_feature
from core.errors import InputError
from core.logistic import Trajectory, gradient_descent
from core.params import QueryState, setting
from core.surfaces import Minimum, Regimes, find_minimum, hessian, regimes

# The two neurons the page offers: the course's logistic neuron, and a linear neuron whose squared error is a
# true quadratic bowl (there a too-large α really explodes).
NEURONS = {
    "logistic": ("sigmoid", "log"),
    "linear": ("linear", "squared"),
}
NEURON_TITLES = {
    "logistic": "Logistic neuron: σ(wx + b) with log-loss",
    "linear": "Linear neuron: wx + b with squared error",
}

# Learning rates on the ladder: 1 and 3 in every decade from 1e-4 to 100 (log-spaced, about ×3 apart).
LADDER = tuple(float(f"{m}e{e}") for e in range(-4, 3) for m in (1, 3) if not (e == 2 and m == 3))
PRESETS = ("smooth", "oscillating", "too-large")
PRESET_FACTORS = {"smooth": 0.5, "oscillating": 1.8, "too-large": 2.6}    # α = factor / λ_max
ALPHA_TOKENS = tuple(f"{a:g}" for a in LADDER) + PRESETS
LAMBDAS = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
GRIDS = (30, 40, 60, 80, 100)
MAX_RACE = 4
DEFAULT_RACE = "0.1,smooth,oscillating,too-large"


@dataclass(frozen=True)
class BasinParams(QueryState):
    """Every setting of the Cost basin page; field names are widget keys and URL keys."""

    dataset: str = setting("overlap", choices=tuple(ONE_FEATURE_SETS))
    seed: int = setting(0, lo=0, hi=9999)
    neuron: str = setting("logistic", choices=tuple(NEURONS))
    lambd: float = setting(0.0, lo=0.0, hi=100.0)
    alpha: str = setting("smooth", choices=ALPHA_TOKENS)
    w0: float = setting(-3.0, lo=-10.0, hi=10.0)
    b0: float = setting(3.0, lo=-10.0, hi=10.0)
    steps: int = setting(60, lo=10, hi=150)
    grid: int = setting(60, lo=30, hi=100)
    race: str = setting("")          # "" = one ball; else up to 4 comma-separated rates from ALPHA_TOKENS

    @property
    def activation(self):
        return NEURONS[self.neuron][0]

    @property
    def loss(self):
        return NEURONS[self.neuron][1]


def parse_race(text):
    """(tokens, notes): the race's learning rates from "0.1,smooth,too-large", at most 4, duplicates dropped."""
    tokens, notes = [], []
    for raw in str(text).split(","):
        token = raw.strip()
        if not token:
            continue
        if token not in ALPHA_TOKENS:
            notes.append(f"race rate {token[:20]!r} is not on the ladder; it was left out.")
        elif token not in tokens:
            tokens.append(token)
    if len(tokens) > MAX_RACE:
        notes.append(f"A race has at most {MAX_RACE} learning rates; the first {MAX_RACE} were kept.")
        tokens = tokens[:MAX_RACE]
    return tokens, notes


# ---------------------------------------------------------------- curvature and learning rates


@dataclass(frozen=True)
class Curvature(Regimes):
    """Where the learning-rate thresholds come from: core.surfaces.Regimes (λ_max, 1/λ_max, 2/λ_max and the
    regime of an α) plus the point whose Hessian gave them.

    minimum : Minimum           (finite=False on separable data without λ)
    at : {"minimum", "start"}   the point whose Hessian gave λ_max
    """

    minimum: Minimum | None = None
    at: str = "minimum"

    def rates(self):
        """{token: α} for every token on the ladder, presets included."""
        out = {f"{a:g}": a for a in LADDER}
        out.update({name: f / self.lam_max for name, f in PRESET_FACTORS.items()})
        return out

    def regime(self, alpha):
        """{"smooth", "oscillating", "too large"} from α·λ_max (the (1 − αλ) contraction)."""
        return self.classify(alpha)


def curvature(x, y, activation, loss, lambd, w0, b0):
    """λ_max of the Hessian of J at the minimum, or at the start point when there is no finite minimum."""
    minimum = find_minimum(x, y, activation, loss, lambd)
    if minimum.finite:
        at, w, b = "minimum", minimum.w, minimum.b
    else:
        at, w, b = "start", np.array([[float(w0)]]), float(b0)
    reg = regimes(hessian(w, b, x, y, activation, loss, lambd))
    return Curvature(minimum=minimum, at=at, lam_max=reg.lam_max, lam_min=reg.lam_min)


# ---------------------------------------------------------------- runs


@dataclass(frozen=True)
class Runs:
    """Gradient descent from one start point at several learning rates, padded to the same length.

    tokens : tuple of str         one per run
    alphas : ndarray (K,)
    W, B, J : ndarray (K, steps + 1)   after a run stops (converged or diverged) its last point repeats
    trajectories : tuple of Trajectory (unpadded; dw and db per step)
    """

    tokens: tuple
    alphas: np.ndarray
    W: np.ndarray
    B: np.ndarray
    J: np.ndarray
    trajectories: tuple

    def index(self, token):
        return self.tokens.index(token)


def compute_runs(x, y, tokens, rates, w0, b0, steps, activation, loss, lambd):
    """One gradient-descent run per token, from (w0, b0), at most `steps` updates each."""
    trajs, alphas = [], []
    for token in tokens:
        alpha = float(rates[token])
        t = gradient_descent(np.array([[float(w0)]]), float(b0), x, y, alpha, int(steps), activation, loss,
                             lambd, tol=1e-9)
        trajs.append(t)
        alphas.append(alpha)
    n = int(steps) + 1
    W, B, J = (np.empty((len(trajs), n)) for _ in range(3))
    for k, t in enumerate(trajs):
        for out, values in ((W, t.w[:, 0]), (B, t.b), (J, t.cost)):
            out[k, :values.size] = values
            out[k, values.size:] = values[-1]
    return Runs(tokens=tuple(tokens), alphas=np.array(alphas), W=W, B=B, J=J, trajectories=tuple(trajs))


def run_message(t: Trajectory, alpha, curv: Curvature, loss):
    """One or two plain sentences on what the ball did at this α, honest about the kind of cost."""
    regime = curv.regime(alpha)
    if t.status == "diverged":
        return (f"Diverged at step {t.diverged_at}: each step overshoots further than the last "
                "(α > 2/λ_max on a quadratic bowl), so the run was stopped before the numbers overflow.")
    if t.status == "converged":
        text = f"Converged after {t.steps} steps (the gradient is zero to 9 decimals)."
    else:
        text = f"After {t.steps} steps J = {t.cost[-1]:.4g}."
    if not curv.minimum.finite:
        return text + " There is no finite minimum: the ball keeps rolling outwards as w grows."
    if regime == "too large" and loss == "log":
        text += (" α is above 2/λ_max, so the ball overshoots the bottom and bounces across the basin; "
                 "log-loss has a bounded gradient (|∂J/∂b| ≤ 1), so it bounces without blowing up.")
    elif regime == "too large":
        text += " α is above 2/λ_max: with more steps this run would blow up."
    elif regime == "oscillating":
        text += " α is between 1/λ_max and 2/λ_max: the ball overshoots and zigzags, but each zigzag is smaller."
    return text


# ---------------------------------------------------------------- ranges and pictures


def _nice_bounds(lo, hi):
    """Round [lo, hi] outwards to multiples of a round step (1, 2 or 5 times a power of ten)."""
    span = hi - lo
    step = 10 ** np.floor(np.log10(span / 4))
    for f in (1, 2, 5, 10):
        if span / (f * step) <= 8:
            step *= f
            break
    return float(np.floor(lo / step) * step), float(np.ceil(hi / step) * step)


def axis_ranges(w_points, b_points, min_span=4.0, max_abs=60.0):
    """(w_lo, w_hi, b_lo, b_hi): a box with round ends that holds every given (w, b) point, with a margin.

    Points beyond ±max_abs (a run flying off) are left out, so the basin stays readable.
    """
    w = np.asarray(w_points, float).ravel()
    b = np.asarray(b_points, float).ravel()
    ok = np.isfinite(w) & np.isfinite(b) & (np.abs(w) <= max_abs) & (np.abs(b) <= max_abs)
    w, b = w[ok], b[ok]
    out = []
    for v in (w, b):
        lo, hi = float(v.min()), float(v.max())
        pad = max(0.15 * (hi - lo), (min_span - (hi - lo)) / 2, 0.5)
        out.extend(_nice_bounds(lo - pad, hi + pad))
    return tuple(out)


def curve_points(W, B, x_lo, x_hi, n=7):
    """Points (X, Y) of the neuron's output curve wx + b (linear) or z-levels for σ(wx + b), per (w, b).

    For the sigmoid the points sit at z = wx + b ∈ {−4, −1.5, 0, 1.5, 4} plus the two ends of the x range, so
    a spline through 7 points draws the S-curve faithfully wherever it is. Returns arrays of shape W.shape + (n,)
    with X sorted; Y is z = wx + b (apply the activation afterwards).
    """
    W = np.asarray(W, float)
    B = np.asarray(B, float)
    levels = np.array([-4.0, -1.5, 0.0, 1.5, 4.0])
    with np.errstate(divide="ignore", invalid="ignore"):
        X_mid = (levels - B[..., None]) / W[..., None]
    X_mid = np.where(np.isfinite(X_mid), X_mid, x_lo)
    X = np.concatenate([np.full(W.shape + (1,), x_lo), np.clip(X_mid, x_lo, x_hi),
                        np.full(W.shape + (1,), x_hi)], axis=-1)
    X = np.sort(X, axis=-1)[..., :n] if n <= X.shape[-1] else np.sort(X, axis=-1)
    Z = W[..., None] * X + B[..., None]
    return X, Z


def steps_csv(t: Trajectory, alpha):
    """The run as CSV text: one row per step with w, b, dw, db and J (the numbers behind the picture)."""
    buf = io.StringIO()
    buf.write(f"# gradient descent, alpha={alpha:.6g}, status={t.status}\n")
    buf.write("step,w,b,dw,db,J\n")
    for k in range(t.b.size):
        buf.write(f"{k},{t.w[k, 0]:.10g},{t.b[k]:.10g},{t.dw[k, 0]:.10g},{t.db[k]:.10g},{t.cost[k]:.10g}\n")
    return buf.getvalue()


def steps_table(t: Trajectory):
    """Columns of the step table: {"step", "w", "b", "dw", "db", "J"} as 1-D arrays."""
    return {"step": np.arange(t.b.size), "w": t.w[:, 0], "b": t.b, "dw": t.dw[:, 0], "db": t.db, "J": t.cost}


def load(dataset, seed):
    """The dataset as (x (1, m), y (1, m), OneFeature); raises InputError for unknown names."""
    d = one_feature(dataset, seed)
    return d.x, d.y, d


def check_params(p: BasinParams):
    """Raise InputError if a combination of settings cannot be drawn (single values are checked by parse)."""
    if p.lambd < 0:
        raise InputError("λ must be 0 or more.")
    return p


def rate_label(token, curv: Curvature):
    """How a rate is shown: "0.03", or "smooth (4.12)" for a preset."""
    if token in PRESET_FACTORS:
        return f"{token.replace('-', ' ')} ({curv.rates()[token]:.3g})"
    return token


def _nearest(value, options):
    return min(options, key=lambda o: abs(np.log1p(o) - np.log1p(value)))


def snap_params(p: BasinParams):
    """(params, notes): λ and the grid moved to the nearest value the page offers, with a note if moved."""
    notes, changes = [], {}
    if p.lambd not in LAMBDAS:
        changes["lambd"] = _nearest(p.lambd, LAMBDAS)
        notes.append(f"lambd={p.lambd:g} is not offered; using the nearest, {changes['lambd']:g}.")
    if p.grid not in GRIDS:
        changes["grid"] = _nearest(p.grid, GRIDS)
        notes.append(f"grid={p.grid} is not offered; using the nearest, {changes['grid']}.")
    return (dataclasses.replace(p, **changes) if changes else p), notes


# The page's small script: switches which run is visible inside the figure (Plotly.update, no remount),
# keeps the 3D camera across remounts, and makes the "Step ▶" button advance one frame.
BRIDGE_JS = "<script>" + (Path(__file__).with_name("basin_bridge.js")).read_text(encoding="utf-8") + "</script>"


def basin_box(runs: Runs, curv: Curvature, w0, b0):
    """Axis ranges holding the start, the minimum (if finite) and every run whose α is below 2/λ_max
    (the runs that settle, oscillating ones included); runs that fly off are allowed to leave the map."""
    keep = runs.alphas < curv.critical
    mn = curv.minimum
    w = np.r_[runs.W[keep].ravel(), w0, mn.w.ravel() if mn.finite else []]
    b = np.r_[runs.B[keep].ravel(), b0, [mn.b] if mn.finite else []]
    return axis_ranges(w, b)
