"""What a gradient-descent run did, read off its path: rolled smoothly, zigzagged, or flew off / kept bouncing.

The learning-rate rule (1 − αλ_max per step near the bottom) predicts a run; this module looks at the run
itself, so a question "what will the ball do?" is checked against what really happened on this data:

- reversals: steps whose direction turns back on the previous step, Δθ_k · Δθ_(k+1) < 0, with θ = (w, b);
- rises: steps where the cost J went up;
- wild: the run diverged, one step flung the ball more than FLING away, J ended above where it started,
  or J still rose during the last quarter of the steps (the ball is still bouncing at the end);
- zigzag: not wild, and at least ZIGZAG_REVERSALS reversals or any rise of J;
- smooth: not wild, J never rose and fewer than ZIGZAG_REVERSALS reversals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ZIGZAG_REVERSALS = 4   # a zigzag a student can see: the ball turns back at least 4 times
FLING = 25.0           # one step longer than this in (w, b) throws the ball far off: start points lie within ±10
RISE_TOL = 1e-9        # J must rise by more than this share of |J| (rounding noise is not a rise)
BEHAVIOURS = ("smooth", "zigzag", "wild")


@dataclass(frozen=True)
class Behaviour:
    """What one run did.

    kind : {"smooth", "zigzag", "wild"}
    reversals : int             steps that turned back on the previous one
    rises : int                 steps where J went up
    late_rises : int            rises in the last quarter of the steps
    longest_step : float        the longest single step in (w, b)
    flung_to : (w, b) or None   where the first step longer than FLING landed
    diverged : bool             the run blew up and was stopped
    steps : int                 updates in the run
    """

    kind: str
    reversals: int
    rises: int
    late_rises: int
    longest_step: float
    flung_to: tuple | None
    diverged: bool
    steps: int


def classify_path(W, B, J, diverged=False):
    """The Behaviour of a run whose visited points are (W[k], B[k]) with costs J[k].

    Parameters
    ----------
    W, B, J : array-like of shape (k + 1,)
        Step 0 is the start. Non-finite values count as divergence.
    diverged : bool
        The run was stopped because it blew up (Trajectory.status == "diverged").
    """
    W, B, J = (np.asarray(a, float).ravel() for a in (W, B, J))
    finite = np.isfinite(W) & np.isfinite(B) & np.isfinite(J)
    diverged = bool(diverged or not finite.all())
    keep = finite.cumprod().astype(bool)          # the finite start of the run
    W, B, J = W[keep], B[keep], J[keep]
    steps = W.size - 1
    D = np.column_stack([np.diff(W), np.diff(B)])                        # (k, 2) one row per step
    length = np.hypot(D[:, 0], D[:, 1]) if steps else np.zeros(0)
    moving = length > 1e-9 * max(float(length.max()) if steps else 0.0, 1e-300)
    turn = np.einsum("ij,ij->i", D[:-1], D[1:]) < 0 if steps > 1 else np.zeros(0, bool)
    reversals = int(np.sum(turn & moving[:-1] & moving[1:])) if steps > 1 else 0
    up = np.diff(J) > RISE_TOL * np.maximum(np.abs(J[:-1]), 1.0) if steps else np.zeros(0, bool)
    late = up[len(up) - max(len(up) // 4, 1):] if len(up) else up
    far = np.flatnonzero(length > FLING) if steps else np.zeros(0, int)
    flung_to = (float(W[far[0] + 1]), float(B[far[0] + 1])) if far.size else None
    wild = diverged or flung_to is not None or (steps and J[-1] > J[0]) or bool(late.any())
    if wild:
        kind = "wild"
    elif reversals >= ZIGZAG_REVERSALS or up.any():
        kind = "zigzag"
    else:
        kind = "smooth"
    return Behaviour(kind=kind, reversals=reversals, rises=int(up.sum()), late_rises=int(late.sum()),
                     longest_step=float(length.max()) if steps else 0.0, flung_to=flung_to, diverged=diverged,
                     steps=int(steps))


def classify_run(t):
    """The Behaviour of a core.logistic.Trajectory of a 1-feature neuron (w has one column)."""
    return classify_path(t.w[:, 0], t.b, t.cost, diverged=t.status == "diverged")
