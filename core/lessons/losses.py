"""Squared error vs log-loss: the numbers behind the comparison page.

The same 1-feature data and the same neuron, scored by two costs on the same (w, b) grid:

- the "rival" cost on the left: squared error through a sigmoid (the one Ng warns about), absolute error (L1)
  through a sigmoid, or squared error through a linear neuron (a perfect quadratic bowl, for contrast);
- log-loss through a sigmoid on the right: one convex basin.

Where the rival is not convex (the Hessian has a negative eigenvalue) and where it is a plateau (the gradient
nearly vanishes while the cost is still far above its lowest value) is computed on the whole grid from
core.maths.surfaces.cost_surface. Why plateaus happen: by the chain rule dZ = (A − Y)·σ'(Z), and σ'(z) → 0 when the
sigmoid saturates, so a confidently wrong neuron gets almost no gradient. Log-loss cancels σ'(z): dZ = A − Y.

The "trap" preset is found from the data, not guessed: gradient descent is run from a lattice of start points
on both costs at once (vectorised), and the start closest to the origin where squared error stalls on a
plateau while log-loss reaches its minimum is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.data.datasets import ONE_FEATURE_SETS
from core.errors import InputError
from core.maths.activations import ACTIVATIONS, sigmoid
from core.maths.logistic import Trajectory, gradient_descent, power_of_ten
from core.maths.loss_functions import get_loss
from core.maths.surfaces import Surface, cost_surface, find_minimum
from core.params import QueryState, setting

# The (w, b) window every picture shows: wide enough to hold the basins of all bundled data sets and the
# saturated plateaus around them.
GRID_LO, GRID_HI, GRID_N = -10.0, 10.0, 101   # spacing 0.2: every other point is a click target

# The rival cost, by key: (activation, loss, label).
RIVALS = {
    "squared": ("sigmoid", "squared", "squared error, sigmoid neuron"),
    "absolute": ("sigmoid", "absolute", "absolute error (L1), sigmoid neuron"),
    "linear": ("linear", "squared", "squared error, linear neuron"),
}
LOG = ("sigmoid", "log", "log-loss, sigmoid neuron")
# What the page writes for each cost on the left (st.latex): A, J and dZ, in the course's notation. J is the mean
# of core.maths.loss_functions' per-example loss, and dZ its derivative in z (tests/unit/test_losses_lesson.py).
RIVAL_LATEX = {
    "squared": (r"A=\sigma(w^TX+b)",
                r"J_{\text{squared}} = \frac{1}{2m}\sum_{i=1}^{m}\big(a^{(i)}-y^{(i)}\big)^2",
                r"dZ_{\text{squared}} = (A-Y)\odot A\odot(1-A)"),
    "absolute": (r"A=\sigma(w^TX+b)",
                 r"J_{\text{absolute}} = \frac{1}{m}\sum_{i=1}^{m}\big|a^{(i)}-y^{(i)}\big|",
                 r"dZ_{\text{absolute}} = \operatorname{sign}(A-Y)\odot A\odot(1-A)"),
    "linear": (r"A_{\text{linear}}=w^TX+b",
               r"J_{\text{squared}} = \frac{1}{2m}\sum_{i=1}^{m}\big(a_{\text{linear}}^{(i)}-y^{(i)}\big)^2",
               r"dZ_{\text{linear}} = A_{\text{linear}}-Y"),
}
PRESETS = ("trap", "zeros", "custom")

# A grid point is on a plateau when its gradient is below this share of the largest gradient on the grid
# while its cost is above the lowest cost by more than PLATEAU_HEIGHT of the cost range.
PLATEAU_GRADIENT = 0.01
PLATEAU_HEIGHT = 0.25
# A run has stalled on a plateau when it ends far above the floor (PLATEAU_HEIGHT of the cost range, as on the map)
# and is hardly getting any closer: over its last STALL_STEPS steps J fell (never rising) by less than STALL_SHARE of
# the way it had to go at the start, J₀ − floor. A shorter run is held to the same pace. (The gradient alone did not
# tell: balls crawling over a plateau at 1–4 % of the grid's largest gradient were called "not stuck".)
STALL_STEPS = 20
STALL_SHARE = 0.01
# Negative curvature counts when λ_min < −NONCONVEX_TOL (rounding noise stays out of the map).
NONCONVEX_TOL = 1e-9

# The trap preset's learning rate and number of steps, and the lattice of start points it searches.
TRAP_ALPHA, TRAP_STEPS = 1.0, 300
TRAP_STARTS = np.linspace(-8.0, 8.0, 17)
# Log-loss "reaches its minimum" when its final cost is within this of the lowest cost.
REACHED_TOL = 0.01


@dataclass(frozen=True)
class LossesParams(QueryState):
    """Every setting of the page; field names are widget keys and URL keys."""

    dataset: str = setting("overlap", choices=tuple(ONE_FEATURE_SETS))
    seed: int = setting(0, lo=0, hi=999)
    cost: str = setting("squared", choices=tuple(RIVALS))
    preset: str = setting("trap", choices=PRESETS)
    w0: float = setting(0.0, lo=GRID_LO, hi=GRID_HI, digits=3)
    b0: float = setting(0.0, lo=GRID_LO, hi=GRID_HI, digits=3)
    alpha: float = setting(1.0, lo=0.01, hi=10.0, digits=3)
    steps: int = setting(300, lo=1, hi=2000)
    label: int = setting(1, lo=0, hi=1)          # y of the one example in the likelihood interactive
    p: float = setting(0.8, lo=0.01, hi=0.99, digits=3)


    def link_query(self):
        """URL parameters for a shareable link: to_query() without the values a preset decides."""
        query = self.to_query()
        derived = {"trap": ("w0", "b0", "alpha", "steps"), "zeros": ("w0", "b0")}.get(self.preset, ())
        return {k: v for k, v in query.items() if k not in derived}


def grid_axes(n=GRID_N):
    """w_values and b_values, each of shape (n,), spanning [GRID_LO, GRID_HI]."""
    axis = np.linspace(GRID_LO, GRID_HI, n)
    return axis, axis.copy()


# ---------------------------------------------------------------- the two landscapes


@dataclass(frozen=True)
class Landscape:
    """One cost on the grid with the regions the page colours.

    surface : Surface (arrays of shape (n_b, n_w))
    nonconvex : bool ndarray (n_b, n_w), the Hessian has a negative eigenvalue
    plateau : bool ndarray (n_b, n_w), tiny gradient while the cost is far above its lowest value
    minimum : (w, b, J) of the lowest point (Newton from the lowest grid point; may lie outside the grid)
    finite : False when the cost has no finite minimum (log-loss on separable data)
    limit : None when J has a lowest point; else (J, x_step) of step_limit: J has no lowest point and falls
        towards J, never reaching it, as the sigmoid grows into a step at x_step (see no_bottom_limit)
    """

    surface: Surface
    nonconvex: np.ndarray
    plateau: np.ndarray
    minimum: tuple
    finite: bool
    limit: tuple | None = None

    @property
    def floor(self):
        """The lowest J: the minimum's, or, for a cost without one, the J it falls towards (limit). The cost curves'
        "distance to the bottom" and the plateau test measure from it (from Newton's J, where it stopped, the
        overlap data's absolute error was 0.18 from a floor of 0.175)."""
        return self.minimum[2] if self.limit is None else self.limit[0]

    @property
    def lam_min(self):
        return self.surface.eigenvalues[0]


def star(land):
    """(w, b) where the maps star the lowest point; (nan, nan), drawn nowhere, when J has none (land.limit)."""
    return (float("nan"),) * 2 if land.limit is not None else tuple(land.minimum[:2])


def nonconvex_mask(surface, tol=NONCONVEX_TOL):
    """True where the smallest eigenvalue of the 2×2 Hessian is negative (the surface bends down)."""
    return surface.eigenvalues[0] < -tol


def plateau_mask(surface, grad_share=PLATEAU_GRADIENT, height=PLATEAU_HEIGHT):
    """True where ‖∇J‖ < grad_share · max‖∇J‖ and J > J_min + height · (J_max − J_min)."""
    g = surface.grad_norm
    J = surface.J
    return (g < grad_share * g.max()) & (J > J.min() + height * (J.max() - J.min()))


def step_limit(x, y, loss):
    """(J, x_step): the lowest J of a sigmoid grown into a step, σ(t(w·x + b)) as t → ∞ with the step at
    x_step = −b/w, over every step position and both directions (x_step None: every example on one side).

    Each example then costs L(1, y), L(0, y) or, exactly at the step, L(½, y): squared and absolute error count
    the wrong examples, log-loss is 0 if none is wrong and infinite otherwise.

    >>> step_limit(np.array([[-2.0, -1.0, 1.0, 2.0]]), np.array([[0, 0, 1, 1]]), "absolute")
    (0.0, 0.0)
    >>> step_limit(np.array([[-2.0, -1.0, 1.0, 2.0]]), np.array([[0, 1, 0, 1]]), "squared")
    (0.125, -1.5)
    """
    xs, ys = np.asarray(x, float).ravel(), np.asarray(y, float).ravel()
    u = np.unique(xs)
    cuts = np.r_[u, (u[1:] + u[:-1]) / 2]                         # at a value (A = ½ there) or between two
    A = np.where(xs > cuts[:, None], 1.0, np.where(xs < cuts[:, None], 0.0, 0.5))   # (cuts, m): y = 1 above
    A = np.r_[A, 1 - A, np.zeros((1, xs.size)), np.ones((1, xs.size))]              # both ways; all one side
    with np.errstate(divide="ignore"):
        L = {"squared": 0.5 * (A - ys) ** 2, "absolute": np.abs(A - ys),
             "log": -np.log(1 - np.abs(A - ys))}[loss].mean(axis=1)
    k = int(np.argmin(L))
    return float(L[k]), (float(np.r_[cuts, cuts][k]) if k < 2 * cuts.size else None)


def no_bottom_limit(x, y, activation, loss, minimum):
    """None if J has a lowest point; else step_limit(x, y, loss): J has no lowest point and keeps falling
    towards that value as the sigmoid grows into a step (far off the map).

    Through a sigmoid every cost can do this: on separable data all of them fall towards 0, and where the classes
    overlap squared and absolute error can fall towards the best step's share of wrong examples without reaching
    it. Newton's method then stops far out (e.g. w = 330), which is no bottom: a real one is lower than the point
    at twice its (w, b), and not higher than every step.

    >>> x, y = np.array([[-2.0, -1.0, 1.0, 2.0]]), np.array([[0, 0, 1, 1]])      # separable
    >>> J = float(np.mean(get_loss("sigmoid", "squared").value(30 * x, y)))          # at w = 30, b = 0
    >>> no_bottom_limit(x, y, "sigmoid", "squared", (30.0, 0.0, J)), no_bottom_limit(x, y, "linear", "squared",
    ...                                                                              (0.3, 0.5, 0.025))
    ((0.0, 0.0), None)
    """
    if activation != "sigmoid":                 # the linear neuron's squared error is a bowl with a bottom
        return None
    w, b, J = minimum
    xs, ys = np.asarray(x, float).ravel(), np.asarray(y, float).ravel()
    further = float(np.mean(get_loss(activation, loss).value(2 * (w * xs + b), ys)))
    step = step_limit(xs, ys, loss)
    if further > J * (1 + 1e-9) + 1e-300 and J <= step[0]:     # it rises again beyond (w, b), below every step
        return None
    return step


def landscape(x, y, activation, loss, w_values, b_values):
    """Landscape of one (activation, loss) pair of 1-feature data x, y (each (1, m)) on a grid."""
    surface = cost_surface(x, y, w_values, b_values, activation, loss)
    w_best, b_best = surface.argmin
    best = find_minimum(x, y, activation, loss, w0=[[w_best]], b0=b_best)
    grid_min = float(surface.J.min())
    if best.cost <= grid_min:
        minimum = (float(best.w[0, 0]), best.b, float(best.cost))
    else:                                    # Newton stopped on a kink (L1): the grid point is lower
        minimum = (w_best, b_best, grid_min)
    return Landscape(surface=surface, nonconvex=nonconvex_mask(surface), plateau=plateau_mask(surface),
                     minimum=minimum, finite=best.finite, limit=no_bottom_limit(x, y, activation, loss, minimum))


def regions(mask):
    """The connected regions of True cells of a 2D mask (neighbours share a side): (labels, count), labels an int
    array of mask's shape, 0 outside every region and 1..count inside.

    >>> regions(np.array([[1, 0, 1], [1, 0, 0], [0, 0, 1]], bool))[1]
    3
    """
    mask = np.asarray(mask, bool)
    labels = np.zeros(mask.shape, int)
    count = 0
    rows, cols = mask.shape
    for start in zip(*np.nonzero(mask), strict=True):
        if labels[start]:
            continue
        count += 1
        labels[start] = count
        todo = [start]
        while todo:
            i, j = todo.pop()
            for a, c in ((i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)):
                if 0 <= a < rows and 0 <= c < cols and mask[a, c] and not labels[a, c]:
                    labels[a, c] = count
                    todo.append((a, c))
    return labels, count


def _clear_parts(land):
    """What the untinted (convex) parts of a non-convex map are, in a few words: one island around the bottom, or
    how many regions there are and where the bottom is."""
    labels, count = regions(~land.nonconvex)
    w, b = land.surface.w, land.surface.b
    mw, mb = land.minimum[:2]
    on_map = w[0] <= mw <= w[-1] and b[0] <= mb <= b[-1]
    home = labels[np.argmin(np.abs(b - mb)), np.argmin(np.abs(w - mw))] if on_map else 0
    if count == 1 and home and land.limit is None:
        return "only the clear island around the bottom curves up in every direction"
    text = (f"the clear part{'s' if count != 1 else ''} ({count} separate region{'s' if count != 1 else ''}) "
            f"curve{'s' if count == 1 else ''} up in every direction")
    if land.limit is not None:
        return text + "; " + no_bottom_words(land)
    if not on_map:
        return text + f"; the bottom itself lies off this map, at w = {about(mw)}, b = {about(mb)}"
    if home and count > 1:
        return text + ": one of them around the bottom"
    return text


def about(value):
    """A number to 3 significant digits as a student reads it: real minus, no e-notation (330, −31.9, 1,512).

    >>> about(330.2), about(-31.86), about(1512.4), about(999.7), about(0.0), about(-2.5e-5)
    ('330', '−31.9', '1,512', '1,000', '0', '−2.50 × 10⁻⁵')
    """
    value = float(value) + 0.0                 # −0.0 reads 0
    if value == 0:
        return "0"
    if abs(value) < 1e-3:
        return readable(value)
    text = f"{value:,.0f}" if abs(value) >= 999.5 else f"{value:.3g}"
    return text.replace("-", "−")


def towards(J):
    """The value a cost without a lowest point falls towards: 0, or J to 4 decimals."""
    return "0" if J == 0 else readable(J)


def no_bottom_words(land):
    """Where a cost with no lowest point goes instead (land.limit is not None), in one clause."""
    J, at = land.limit
    step = f"a step at x = {about(at)}" if at is not None else "a step beyond every example"
    return (f"J has no lowest point: it keeps falling towards {towards(J)} as the sigmoid grows steeper and steeper "
            f"(far off this map), into {step}")


def map_notes(rival_land, log_land, name):
    """One short paragraph on what the maps show, from the numbers (shown under the maps)."""
    share_nc, share_flat = rival_land.nonconvex.mean(), rival_land.plateau.mean()
    if share_nc == 0 and share_flat == 0:
        left = (f"The {name} surface is convex on the whole grid (smallest Hessian eigenvalue "
                f"{rival_land.lam_min.min():.2g} > 0): one bowl, no plateaus, nothing tinted.")
    else:
        left = (f"Orange tint: the {name} surface is not convex there "
                f"(its Hessian has a negative eigenvalue), "
                f"{share_nc:.0%} of the grid; {_clear_parts(rival_land)}. ×: plateau, where the gradient is under "
                f"{PLATEAU_GRADIENT:.0%} of its largest value "
                f"while J is still far above the bottom ({share_flat:.0%} of the grid).")
    right = "" if log_land.limit is None else f" Convex, yet on these data {no_bottom_words(log_land)}."
    return (left + f" Log-loss: smallest Hessian eigenvalue on the grid {readable(log_land.lam_min.min())} ≥ 0, "
            "so it is convex everywhere." + right)


def rival(name):
    """(activation, loss, label) of a rival cost; InputError for an unknown name."""
    if name not in RIVALS:
        raise InputError(f"Unknown cost {name!r}; choose one of {', '.join(RIVALS)}.")
    return RIVALS[name]


# ---------------------------------------------------------------- gradient descent on both costs


@dataclass(frozen=True)
class Run:
    """One gradient-descent run and what a student reads off it."""

    trajectory: Trajectory
    label: str
    accuracy: float          # share of examples classified right at the end (prediction: A > 0.5)
    gap: np.ndarray          # J − J_min at each step, shape (k + 1,)
    J_min: float             # the lowest cost (Landscape.floor)
    stalled: bool            # ended on a plateau: hardly getting closer, cost still far above the floor (stalled)
    limit: tuple | None = None   # Landscape.limit: J has no lowest point and falls towards limit[0]

    @property
    def final(self):
        """(w, b, J) of the ball's last position."""
        t = self.trajectory
        return float(t.w[-1, 0]), float(t.b[-1]), float(t.cost[-1])

    @property
    def recent(self):
        """(k, fall): how much J fell over the run's last k steps (k = STALL_STEPS, or all of a shorter run)."""
        return recent_fall(self.trajectory.cost)

    @property
    def path(self):
        """ndarray of shape (k + 1, 3): columns w, b, J of every visited point; the ball is the last row."""
        t = self.trajectory
        return np.column_stack([t.w[:, 0], t.b, t.cost])


def readable(value, decimals=4):
    """A number as a student reads it: `decimals` decimals in the usual range, else 3 significant digits times a
    power of ten (7.27 × 10¹¹, not 726755503828.0674).

    >>> readable(0.31234), readable(726755503828.0674), readable(-0.00001234), readable(0.0)
    ('0.3123', '7.27 × 10¹¹', '−1.23 × 10⁻⁵', '0.0000')
    """
    value = float(value)
    if value == 0 or 1e-3 <= abs(value) < 1e4 or not np.isfinite(value):
        return f"{value:.{decimals}f}".replace("-", "−")
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa} × {power_of_ten(10.0 ** int(exponent))}".replace("-", "−", 1)


def position(value):
    """w or b where a ball ends, to 3 decimals (readable); a float's rounding left where the maths gives 0 reads 0
    (the linear neuron on standardised data lands on w = 0 in one step, which read "w = 1.11 × 10⁻¹⁵").

    >>> position(1.11e-15), position(-2.3e-16), position(0.00012), position(-1.5)
    ('0.000', '0.000', '1.20 × 10⁻⁴', '−1.500')
    """
    return readable(0.0 if abs(value) < 1e-12 else value, 3)


def end_words(run):
    """Where a run's ball ends, in one sentence (the page prints it under each run's accuracy)."""
    w, b, J = run.final
    low = (f"lowest J = {readable(run.J_min)}" if run.limit is None else
           f"J has no lowest value: it keeps falling towards {towards(run.limit[0])} far off the map")
    return f"Ball ends at w = {position(w)}, b = {position(b)}, J = {readable(J)} ({low})."


def ending_words(run):
    """How the run ended, in one sentence after end_words: the step limit without repeating J (end_words gives it,
    where Trajectory.message wrote it again as "J = 1.816e-05"), and "1 step" in the singular.

    >>> from core.maths.logistic import Trajectory
    >>> t = Trajectory(np.zeros((2, 1)), np.zeros(2), np.array([0.5, 1.8e-5]), np.zeros((2, 1)), np.zeros(2),
    ...                "max_steps", 1)
    >>> ending_words(Run(t, "log-loss", 1.0, np.zeros(2), 0.0, False))
    'Stopped after 1 step (the step limit).'
    """
    t = run.trajectory
    if t.status == "max_steps":
        return f"Stopped after {t.steps} step{'s' if t.steps != 1 else ''} (the step limit)."
    return t.message


def accuracy_label(run):
    """The accuracy metric's label: a run that blew up is scored at its last finite point, and says so."""
    t = run.trajectory
    if t.status == "diverged":
        return f"{run.label}: accuracy at step {t.steps}, before it blew up"
    return f"{run.label}: accuracy"


def predictions(w, b, x, activation="sigmoid"):
    """1.0 where g(w·x + b) > 0.5, else 0.0; shape of x."""
    return (ACTIVATIONS[activation].fn(w * np.asarray(x, float) + b) > 0.5).astype(float)


def recent_fall(cost, steps=STALL_STEPS):
    """(k, fall): J at k steps before the end minus J at the end, k = steps or, in a shorter run, all of them.

    >>> recent_fall(np.array([1.0, 0.5, 0.4, 0.39]), steps=2)
    (2, 0.10999999999999999)
    """
    J = np.asarray(cost, float).ravel()
    k = min(int(steps), J.size - 1)
    return k, float(J[-1 - k] - J[-1])


def stalled(cost, floor, J_max, diverged=False):
    """True when a run with costs `cost` (J at steps 0 .. k) stalled on a plateau: it ends far above the floor (by
    more than PLATEAU_HEIGHT of J_max − floor, as the map's × marks), and over its last STALL_STEPS steps J fell by
    less than STALL_SHARE of J₀ − floor (a shorter run: at the same pace), never rising. A run that blew up or
    bounces (J rose) is not stuck.

    >>> stalled(np.linspace(0.93, 0.91, 301), 0.06, 1.0)         # far above the floor, 0.0013 in 20 steps: stuck
    True
    >>> stalled(np.linspace(0.93, 0.30, 301), 0.06, 1.0)         # 0.042 in its last 20 steps: still on its way
    False
    """
    J = np.asarray(cost, float).ravel()
    if diverged or J.size < 2 or not J[-1] > floor + PLATEAU_HEIGHT * (J_max - floor):
        return False
    k, fall = recent_fall(J)
    last = J[-1 - k:]
    rose = np.any(np.diff(last) > 1e-12 * np.maximum(1.0, np.abs(last[:-1])))
    return bool(not rose and fall < STALL_SHARE * (J[0] - floor) * k / STALL_STEPS)


def descend(x, y, activation, loss, label, w0, b0, alpha, steps, land):
    """Gradient descent from (w0, b0) with learning rate alpha on one cost; land is its Landscape."""
    traj = gradient_descent(np.array([[float(w0)]]), float(b0), x, y, alpha, int(steps), activation, loss)
    w, b = float(traj.w[-1, 0]), float(traj.b[-1])
    acc = float(np.mean(predictions(w, b, x, activation) == y))
    J_min = land.floor
    gap = np.maximum(traj.cost - J_min, 0.0)
    stuck = stalled(traj.cost, J_min, float(land.surface.J.max()), traj.status == "diverged")
    return Run(trajectory=traj, label=label, accuracy=acc, gap=gap, J_min=J_min, stalled=stuck, limit=land.limit)


# ---------------------------------------------------------------- the trap preset


@dataclass(frozen=True)
class Trap:
    """A start point where squared error stalls and log-loss does not (found=False: none on the lattice)."""

    w0: float
    b0: float
    alpha: float
    steps: int
    found: bool


def _batch_descent(x, y, W, B, alpha, steps, loss):
    """Gradient descent from many starts at once (sigmoid neuron). W, B of shape (k,); x, y of shape (m,).

    Returns final (W, B, J, ‖∇J‖), each of shape (k,).
    """
    with np.errstate(over="ignore"):                             # e^(−z) = inf gives σ(z) = 0: exact here
        for step in range(steps + 1):
            A = 1.0 / (1.0 + np.exp(-(W[:, None] * x + B[:, None])))   # (k, m)
            dZ = (A - y) * A * (1 - A) if loss == "squared" else A - y
            dW, dB = (dZ @ x) / x.size, dZ.mean(axis=1)            # (k,), (k,)
            if step == steps:
                break
            W, B = W - alpha * dW, B - alpha * dB
    Z = W[:, None] * x + B[:, None]
    J = get_loss("sigmoid", loss).value(Z, y).mean(axis=1)
    return W, B, J, np.hypot(dW, dB)


def find_trap(x, y, squared, log, alpha=TRAP_ALPHA, steps=TRAP_STEPS, starts=TRAP_STARTS):
    """The trap start point for 1-feature data x, y (each (1, m)).

    squared, log : Landscape of sigmoid + squared error and sigmoid + log-loss on the page's grid.
    Among the lattice starts × starts, keep those where squared error ends stalled by the map's own plateau test
    (gradient below PLATEAU_GRADIENT of the grid's largest while J is above the minimum by PLATEAU_HEIGHT of the
    range: stricter than Run.stalled, so the showcase is unmistakable, and each such start stalls by it too) and
    log-loss ends within REACHED_TOL of its lowest cost; return the one closest to (0, 0) (ties: lowest w, b).
    Deterministic, so it can be computed once per data set and cached.
    """
    xs, ys = np.asarray(x, float).ravel(), np.asarray(y, float).ravel()
    W0, B0 = (a.ravel() for a in np.meshgrid(starts, starts))
    _, _, J_sq, g_sq = _batch_descent(xs, ys, W0, B0, alpha, steps, "squared")
    S = squared.surface
    J_min, J_max = squared.minimum[2], float(S.J.max())
    stalled = np.flatnonzero((g_sq < PLATEAU_GRADIENT * float(S.grad_norm.max()))
                             & (J_sq > J_min + PLATEAU_HEIGHT * (J_max - J_min)))
    # Log-loss only from the starts where squared error stalled (about a third): the search halves.
    _, _, J_log, _ = _batch_descent(xs, ys, W0[stalled], B0[stalled], alpha, steps, "log")
    idx = stalled[J_log - log.minimum[2] < REACHED_TOL]
    if not idx.size:
        return Trap(w0=0.0, b0=0.0, alpha=alpha, steps=steps, found=False)
    order = np.lexsort((B0[idx], W0[idx], np.hypot(W0[idx], B0[idx])))
    k = idx[order[0]]
    return Trap(w0=float(W0[k]), b0=float(B0[k]), alpha=float(alpha), steps=int(steps), found=True)


def start_of(params, trap):
    """(w0, b0, alpha, steps) the page runs: the preset's values, or the sliders' for "custom"."""
    if params.preset == "trap":
        return trap.w0, trap.b0, trap.alpha, trap.steps
    if params.preset == "zeros":                     # the course's initialize_with_zeros
        return 0.0, 0.0, params.alpha, params.steps
    return params.w0, params.b0, params.alpha, params.steps


# ---------------------------------------------------------------- log-loss as maximum likelihood


def likelihood(p, y):
    """Bernoulli likelihood of label y when the model says P(y = 1) = p: p^y (1 − p)^(1 − y)."""
    p, y = np.asarray(p, float), np.asarray(y, float)
    if np.any((p <= 0) | (p >= 1)):
        raise InputError("The probability p must be strictly between 0 and 1.")
    return p**y * (1 - p) ** (1 - y)


def neg_log_likelihood(p, y):
    """−log(p^y (1 − p)^(1 − y)) = −(y log p + (1 − y) log(1 − p)): the log-loss of one example."""
    p, y = np.asarray(p, float), np.asarray(y, float)
    return -np.log(likelihood(p, y))


@dataclass(frozen=True)
class DataLikelihood:
    """The whole data set at one (w, b): p_i = σ(w x_i + b), per-example −log-likelihood and totals.

    p, nll : ndarray of shape (m,)
    log_likelihood : Σ log(p_i^y_i (1 − p_i)^(1 − y_i)), the log of the probability of all labels
    J : −log_likelihood / m, which is the log-loss
    """

    w: float
    b: float
    p: np.ndarray
    nll: np.ndarray
    log_likelihood: float
    J: float


def likelihood_words(lk):
    """What the page says of the whole data set at the log-loss ball (a DataLikelihood), with the ball's numbers as
    end_words writes them."""
    return (f"The whole data set at the log-loss ball (w = {readable(lk.w, 3)}, b = {readable(lk.b, 3)}): examples "
            f"are independent, so their probabilities multiply and the logs add. log P(all labels) = "
            f"{readable(lk.log_likelihood, 2)}, and −log P / m = {readable(lk.J)}, exactly the log-loss J there. "
            "Minimising J = maximising the likelihood.")


def trap_note(preset, found, cost, stalled):
    """What the caption adds about the trap preset: none was found, or the cost on the left is not the squared
    error it was found for (stalled: whether that cost's run stalls there)."""
    if preset != "trap":
        return ""
    if not found:
        return (" No start on the search lattice stalls squared error while log-loss reaches its bottom, so the trap "
                "preset starts at w = 0, b = 0.")
    if cost == "squared":
        return ""
    return (f" The trap start is where squared error through a sigmoid stalls; {rival(cost)[2]} "
            f"{'stalls there too' if stalled else 'does not stall there'}.")


def data_likelihood(x, y, w, b):
    """DataLikelihood of 1-feature data x, y (each (1, m) or (m,)) at (w, b), stable for any z."""
    xs, ys = np.asarray(x, float).ravel(), np.asarray(y, float).ravel()
    Z = w * xs + b
    nll = get_loss("sigmoid", "log").value(Z, ys)          # log(1 + e^z) − y z, no log(0)
    return DataLikelihood(w=float(w), b=float(b), p=sigmoid(Z), nll=nll,
                          log_likelihood=float(-nll.sum()), J=float(nll.mean()))
