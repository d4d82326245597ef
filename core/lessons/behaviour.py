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
  it, its last step shorter than VISIBLE, and it is not on its way out again: neither J nor the distance to the
  minimum rose at any of the last FEW (3) steps (a run that met the gradient tolerance counts too). Near a bottom
  where |1 − αλ| < 1 in every direction both fall at every step; a ball that came close to a bottom it cannot
  hold (αλ_max above 2) is thrown out again, a little further at each step, and is not settled however close.
- **rises**: steps at which J went up (by more than a rounding error).
- **swings**: the largest offset across the valley (along v, from the minimum) between two crossings of the
  valley floor; a zigzag's swings *shrink* when each after the first crossing is no larger than the one before.

The kinds a run can be:
  "smooth"    settled, J never rose, fewer than MIN_ZIGZAG reversals;
  "zigzags"   settled after at least MIN_ZIGZAG reversals;
  "settles"   settled, but J rose on the way and with too few reversals to call a zigzag;
  "bounces"   not settled and still reversing at the end: at least 2 reversals among the last LAST steps;
  "diverges"  the distance to the minimum grows over the last 3 steps, to more than at any step before (or the
              run had to be stopped before the numbers overflow). A ball that is thrown far out and comes back
              (log-loss bounded slope) sets no new record at the end: it bounces, however far it got;
  "thrown"    not settled, and J rose on the way (the ball was thrown past the bottom and up the other side) or
              the ball is moving away from the bottom at the end, without reversing visibly at the end;
  "rolling"   not settled yet, still on its way down: J never rose (more steps would show the end);
  "rolls off" there is no finite minimum (separable classes without λ): the ball can only roll outwards.

A preset behaves as named when its run's kind is the preset's (PRESET_KINDS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.maths.surfaces import regime_of

VISIBLE = 0.05          # a step component shorter than this (in w or b units) is not a visible move
SETTLE = 0.05           # settled: within 5% of the starting distance from the minimum
MIN_ZIGZAG = 4          # "oscillating" needs at least this many visible reversals
LAST = 10               # "still bouncing" looks at the last 10 steps
FEW = 3                 # "settled" and "diverges" look at the last 3 steps

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
    travelled : float           the length of the whole path, step by step, in (w, b) units
    leaving : bool              J or the distance to the minimum rose at one of the last FEW steps
    closest : int               the step at which the ball was nearest the minimum (0 without one)
    shrinking : bool            every swing across the valley after the first crossing is no larger than the
                                one before (see the module docstring; True with fewer than 3 swings)
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
    travelled: float = 0.0
    leaving: bool = False
    closest: int = 0
    shrinking: bool = True

    @property
    def flung(self):
        """The first step threw the ball far (longer than FLUNG) and is most of the path: what the page calls
        "one step flung the ball", and a flight, not a roll, in the student's prediction."""
        return self.first_jump > FLUNG and self.first_jump > 0.5 * self.travelled


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


def swings(w, b, direction, minimum):
    """The swings across the valley: for each stretch between two crossings of the valley floor (a change of
    sign of the offset (w, b) − minimum along `direction`), the largest size of that offset.

    >>> [float(s) for s in swings([0, 0, 0, 0, 0], [3.0, -1.0, 0.5, -0.6, 0.1], (0.0, 1.0), (0.0, 0.0))]
    [3.0, 1.0, 0.5, 0.6, 0.1]
    """
    dev = (np.c_[np.asarray(w, float).ravel(), np.asarray(b, float).ravel()] - np.asarray(minimum, float)) \
        @ np.asarray(direction, float)
    cross = np.flatnonzero(np.sign(dev[1:]) != np.sign(dev[:-1])) + 1
    return np.array([part.max() for part in np.split(np.abs(dev), cross) if part.size])


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
    rose = np.diff(J) > 1e-12 * np.maximum(1.0, np.abs(J[:-1]))
    rises = int(np.sum(rose))
    lengths = np.hypot(*S.T) if n else np.zeros(0)
    first_jump = float(lengths[0]) if n else 0.0
    common = dict(reversals=rev, rises=rises, steps=n, final_J=float(J[-1]), final_w=float(P[-1, 0]),
                  final_b=float(P[-1, 1]), first_jump=first_jump, travelled=float(np.sum(lengths)))
    if minimum is None:
        return Behaviour(kind="rolls off", distance=None, start_distance=None, **common)
    d = np.hypot(*(P - np.asarray(minimum, float)).T)
    amps = swings(P[:, 0], P[:, 1], direction, minimum)
    leaving = bool(np.any(rose[-FEW:]) or np.any(np.diff(d[-FEW - 1:]) > 0))
    common.update(distance=float(d[-1]), start_distance=float(d[0]), leaving=leaving, closest=int(np.argmin(d)),
                  shrinking=bool(amps.size < 3 or np.all(np.diff(amps[1:]) <= 1e-9)))
    last_step = float(lengths[-1]) if n else 0.0
    if converged or (d[-1] <= SETTLE * d[0] and last_step < VISIBLE and not leaving):
        if rev >= MIN_ZIGZAG:
            kind = "zigzags"
        elif rises == 0:
            kind = "smooth"
        else:
            kind = "settles"
    elif n >= FEW and d[-1] > d[0] and np.all(np.diff(d[-FEW:]) > 0) and d[-1] >= d[:-1].max():
        kind = "diverges"
    elif reversals(along[-LAST:]) >= 2:
        kind = "bounces"
    elif rises or leaving:
        kind = "thrown"
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
FLUNG = 3.0  # a first step longer than this in (w, b), and most of the path, flings the ball (Behaviour.flung)


def dying_out(b: Behaviour, al=None) -> bool:
    """A run still bouncing at its last shown step whose zigzag is dying out: each swing across the valley is no
    larger than the one before (Behaviour.shrinking) and al = α·λ_max is between 1 and 2, where near the bottom
    each overshoot is |1 − al| times the last, less than 1. Such a ball zigzags, then settles (given more steps).
    False when al is not known (None)."""
    return b.kind == "bounces" and b.shrinking and al is not None and regime_of(al) == "oscillating"


def answer_of(b: Behaviour, al=None) -> str:
    """Which of the three predictions a student can make (ANSWERS) this run bears out; al = α·λ_max of the run
    (None: not known).

    smooth: it settled with fewer than MIN_ZIGZAG reversals (no zigzag you can see, even when it overshot once
            or twice and J rose there), or it is still rolling down (or, with no bottom, out) calmly;
    zigzag: it settled after a visible zigzag (MIN_ZIGZAG reversals or more), or it is still zigzagging at the
            last shown step but the zigzag is dying out (dying_out: αλ_max between 1 and 2, every swing no larger
            than the one before);
    wild:   it diverged, keeps bouncing without its swings shrinking (or with αλ_max not below 2), was thrown past
            the bottom and has not settled within the shown steps, or its first step flung it (Behaviour.flung).

    >>> answer_of(Behaviour("bounces", 12, 30, 60, 0.5, 0.1, 0.2, 0.4, 1.0, 2.0))
    'wild'
    >>> answer_of(Behaviour("bounces", 59, 0, 60, 0.07, 0.1, 0.2, 0.4, 1.0, 2.0), al=1.94)
    'zigzag'
    >>> answer_of(Behaviour("settles", 1, 1, 60, 0.38, 1.0, -0.5, 0.4, 0.0, 2.0))
    'smooth'
    """
    if dying_out(b, al):
        return "zigzag"
    if b.kind in ("bounces", "diverges", "thrown"):
        return "wild"
    if b.kind == "zigzags":
        return "zigzag"
    if b.kind == "rolls off" and (b.flung or b.rises):
        return "wild"
    return "smooth"
