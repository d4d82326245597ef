"""What a gradient-descent run on the Cost basin did, in numbers and in plain words.

The page names three learning rates after what they do (smooth, oscillating, too large). Theory gives the
regimes near a minimum from α·λ_max (see core.maths.surfaces); this module checks what a real run does within the
steps the page shows, so that every preset and every sentence on the page is true for the data on screen.

Definitions (all measured on the points the page shows, step 0 to the last shown step):

- **reversal**: a change of sign of the step's component along v, the top eigenvector of the Hessian of J at
  the minimum (at the start point when there is no finite minimum): the direction across the valley, in
  which an overshooting ball zigzags. Two consecutive steps count only when both components are at least
  VISIBLE (0.05 in w or b units, about 2 pixels on the page's maps) long, so a zigzag too small to see is not
  counted.
- **settled**: the cost has a finite minimum and the ball ends within SETTLE (5%) of its starting distance from
  it, its last step shorter than VISIBLE (a run that met the gradient tolerance counts too).
- **rises**: steps at which J went up (by more than a rounding error).

The kinds a run can be:
  "smooth"    settled, J never rose, fewer than MIN_ZIGZAG reversals;
  "zigzags"   settled after at least MIN_ZIGZAG reversals;
  "settles"   settled, but J rose on the way and with too few reversals to call a zigzag;
  "bounces"   not settled and still reversing at the end: at least 2 reversals among the last LAST steps;
  "diverges"  the distance to the minimum grows over the last 3 steps, to more than at any step before (or the
              run had to be stopped before the numbers overflow). A ball that is thrown far out and comes back
              (log-loss bounded slope) sets no new record at the end: it bounces, however far it got;
  "rolling"   not settled yet, still on its way (more steps would show the end);
  "rolls off" there is no finite minimum (separable classes without λ): the ball can only roll outwards.

A preset behaves as named when its run's kind is the preset's (PRESET_KINDS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VISIBLE = 0.05          # a step component shorter than this (in w or b units) is not a visible move
SETTLE = 0.05           # settled: within 5% of the starting distance from the minimum
MIN_ZIGZAG = 4          # "oscillating" needs at least this many visible reversals
LAST = 10               # "still bouncing" looks at the last 10 steps

# Which kinds count as "behaves as named", by preset and neuron.
PRESET_KINDS = {
    "smooth": {"logistic": ("smooth",), "linear": ("smooth",)},
    "oscillating": {"logistic": ("zigzags",), "linear": ("zigzags",)},
    "too-large": {"logistic": ("bounces",), "linear": ("diverges",)},
}
# Multiples of 1/λ_max tried for each preset, in order; the first whose run behaves as named is used.
# Each stays inside its regime of the quadratic theory: below 1, between 1 and 2, above 2.
CANDIDATE_FACTORS = {
    "smooth": (0.5, 0.7, 0.9, 0.35, 0.25),
    "oscillating": (1.8, 1.85, 1.9, 1.95, 1.7, 1.6, 1.5, 1.4, 1.3, 1.2),
    # after the larger ones, a few just above 2: with a large λ the penalty λ/(2m)·w² is a bowl of its own with
    # curvature λ/m, and an α above 2m/λ makes the logistic neuron blow up instead of bouncing.
    "too-large": (2.6, 3.0, 3.5, 4.0, 5.0, 6.0, 8.0, 10.0, 2.4, 2.2, 2.1),
}


@dataclass(frozen=True)
class Behaviour:
    """What one run did within the shown steps.

    kind : str                  one of the kinds in the module docstring
    reversals : int             visible reversals across the valley
    rises : int                 steps at which J went up
    steps : int                 updates shown (fewer than asked if the run stopped early)
    final_J : float
    final_w, final_b : float    where the ball is at the last shown step
    first_jump : float          length of the first step, in (w, b) units
    distance : float or None    from the minimum at the last shown step (None: no finite minimum)
    start_distance : float or None
    """

    kind: str
    reversals: int
    rises: int
    steps: int
    final_J: float
    final_w: float
    final_b: float
    first_jump: float
    distance: float | None
    start_distance: float | None


def reversals(steps_along):
    """Visible reversals in a sequence of step components (see the module docstring).

    >>> reversals([0.5, -0.4, 0.3, -0.001, 0.2])
    2
    """
    p = np.asarray(steps_along, float)
    if p.size < 2:
        return 0
    seen = np.abs(p) >= VISIBLE
    flips = np.sign(p[1:]) != np.sign(p[:-1])
    return int(np.sum(flips & seen[1:] & seen[:-1]))


def behaviour(w, b, cost, converged, direction, minimum=None):
    """The Behaviour of a run given its points (w[k], b[k]) and costs J[k], k = 0 .. steps.

    Parameters
    ----------
    w, b, cost : array-like of shape (k + 1,)
    converged : bool
        The run stopped because the gradient was (almost) zero.
    direction : array-like of shape (2,)
        v, the top eigenvector of the Hessian (across the valley), in (w, b) order.
    minimum : (w, b) or None
        The finite minimum, or None when there is none.
    """
    P = np.c_[np.asarray(w, float).ravel(), np.asarray(b, float).ravel()]
    J = np.asarray(cost, float).ravel()
    S = np.diff(P, axis=0)
    along = S @ np.asarray(direction, float)
    n = len(S)
    rev = reversals(along)
    rises = int(np.sum(np.diff(J) > 1e-12 * np.maximum(1.0, np.abs(J[:-1]))))
    first_jump = float(np.hypot(*S[0])) if n else 0.0
    common = dict(reversals=rev, rises=rises, steps=n, final_J=float(J[-1]), final_w=float(P[-1, 0]),
                  final_b=float(P[-1, 1]), first_jump=first_jump)
    if minimum is None:
        return Behaviour(kind="rolls off", distance=None, start_distance=None, **common)
    d = np.hypot(*(P - np.asarray(minimum, float)).T)
    common.update(distance=float(d[-1]), start_distance=float(d[0]))
    last_step = float(np.hypot(*S[-1])) if n else 0.0
    if converged or (d[-1] <= SETTLE * d[0] and last_step < VISIBLE):
        if rev >= MIN_ZIGZAG:
            kind = "zigzags"
        elif rises == 0:
            kind = "smooth"
        else:
            kind = "settles"
    elif n >= 3 and d[-1] > d[0] and np.all(np.diff(d[-3:]) > 0) and d[-1] >= d[:-1].max():
        kind = "diverges"
    elif reversals(along[-LAST:]) >= 2:
        kind = "bounces"
    else:
        kind = "rolling"
    return Behaviour(kind=kind, **common)


def of_trajectory(t, direction, minimum=None):
    """Behaviour of a core.maths.logistic.Trajectory of 1-feature data (w has one column).

    A run stopped as "diverged" has kind "diverges" whatever its last few points look like.
    """
    out = behaviour(t.w[:, 0], t.b, t.cost, t.status == "converged", direction, minimum)
    if t.status == "diverged" and minimum is not None:
        out = Behaviour(**{**out.__dict__, "kind": "diverges"})
    return out


def behaves_as(preset, neuron, kind):
    """True if a run of this kind behaves as the preset's name says, for this neuron."""
    return kind in PRESET_KINDS[preset][neuron]


# ---------------------------------------------------------------- the student's three-way prediction

ANSWERS = ("smooth", "zigzag", "wild")  # "rolls smoothly", "zigzags, then settles", "flies off or keeps bouncing"
FLING = 25.0  # a first step longer than this in (w, b) throws the ball far off: start points lie within ±10


def answer_of(b: Behaviour) -> str:
    """Which of the three predictions a student can make (ANSWERS) this run bears out.

    smooth: it settled with J never rising, or it is still rolling down (or, with no bottom, out) calmly;
    zigzag: it settled after a visible zigzag, or J rose on the way and it still settled;
    wild:   it diverged, keeps bouncing, or its first step flung it far off (no bottom to come back to).

    >>> answer_of(Behaviour("bounces", 12, 30, 60, 0.5, 0.1, 0.2, 0.4, 1.0, 2.0))
    'wild'
    """
    if b.kind in ("bounces", "diverges"):
        return "wild"
    if b.kind in ("zigzags", "settles"):
        return "zigzag"
    if b.kind == "rolls off" and b.first_jump > FLING:
        return "wild"
    if b.kind in ("rolling", "rolls off") and b.rises:
        return "zigzag" if b.reversals >= MIN_ZIGZAG else "wild"
    return "smooth"
