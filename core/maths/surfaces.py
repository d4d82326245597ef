"""The cost J(w, b) of 1-feature data over a grid, its Hessian, and the learning rates it allows.

With one feature, x is (1, m) and the neuron has exactly two parameters, w and b, so J(w, b) is a surface we
can draw. Everything here is vectorised over the grid and chunked so memory stays bounded for any grid × m.

Curvature decides the learning rate. Near a minimum J is close to a quadratic bowl with Hessian H; one step of
gradient descent multiplies the error along each eigen-direction of H by (1 − αλ). So with λ_max the largest
eigenvalue:  α < 1/λ_max  shrinks smoothly,  1/λ_max < α < 2/λ_max  overshoots and flips sign but still
shrinks,  α > 2/λ_max  grows: no convergence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.errors import InputError
from core.maths.logistic import _propagate, check_inputs
from core.maths.loss_functions import get_loss

# Bytes for one chunk of the (rows, n_w, m) working arrays; a handful of such arrays are alive at once,
# so the peak stays well under 200 MB whatever the grid size and m.
CHUNK_BYTES = 16_000_000


@dataclass(frozen=True)
class Surface:
    """J and its derivatives on a grid. Arrays have shape (n_b, n_w): rows follow b, columns follow w
    (plotly's convention for z[y][x] with x = w and y = b).

    w : ndarray of shape (n_w,)
    b : ndarray of shape (n_b,)
    J : cost
    dJ_dw, dJ_db : gradient
    H_ww, H_wb, H_bb : Hessian entries
    """

    w: np.ndarray
    b: np.ndarray
    J: np.ndarray
    dJ_dw: np.ndarray
    dJ_db: np.ndarray
    H_ww: np.ndarray
    H_wb: np.ndarray
    H_bb: np.ndarray

    @property
    def grad_norm(self):
        """‖∇J‖ on the grid."""
        return np.hypot(self.dJ_dw, self.dJ_db)

    @property
    def eigenvalues(self):
        """The two eigenvalues (λ_min, λ_max) of the 2×2 Hessian at every grid point, each (n_b, n_w).

        For [[p, q], [q, r]]: λ = (p + r)/2 ∓ √(((p − r)/2)² + q²).
        """
        mean = (self.H_ww + self.H_bb) / 2
        radius = np.hypot((self.H_ww - self.H_bb) / 2, self.H_wb)
        return mean - radius, mean + radius

    @property
    def argmin(self):
        """(w, b) of the lowest grid point."""
        i, j = np.unravel_index(int(np.argmin(self.J)), self.J.shape)
        return float(self.w[j]), float(self.b[i])


def _check_one_feature(x, y):
    x = np.asarray(x, dtype=float).reshape(1, -1) if np.ndim(x) == 1 else np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float).reshape(1, -1) if np.ndim(y) == 1 else np.asarray(y, dtype=float)
    if x.shape[0] != 1:
        raise InputError(f"A cost surface needs exactly one feature: x must have shape (1, m); got {x.shape}.")
    check_inputs(np.zeros((1, 1)), 0.0, x, y)
    return x[0], y[0]


def cost_surface(x, y, w_values, b_values, activation="sigmoid", loss="log", lambd=0.0):
    """J(w, b), its gradient and its Hessian at every point of a grid, for 1-feature data.

    For each example, with z = w·x + b and L'' = d²L/dz²:
      ∂J/∂w = mean(dZ·x) + (λ/m)w,   ∂J/∂b = mean(dZ),
      H = mean(L'' · [[x², x], [x, 1]]) + (λ/m)·[[1, 0], [0, 0]].

    Parameters
    ----------
    x : ndarray of shape (1, m) or (m,)
    y : ndarray of shape (1, m) or (m,)
        Labels, 0 or 1.
    w_values : ndarray of shape (n_w,)
    b_values : ndarray of shape (n_b,)
    activation, loss, lambd
        As in core.maths.logistic.propagate.

    Returns
    -------
    Surface
    """
    x, y = _check_one_feature(x, y)
    neuron = get_loss(activation, loss)
    lambd = float(lambd)
    W = np.asarray(w_values, dtype=float).ravel()
    B = np.asarray(b_values, dtype=float).ravel()
    m, n_w, n_b = x.size, W.size, B.size
    out = {k: np.empty((n_b, n_w)) for k in ("J", "dw", "db", "hww", "hwb", "hbb")}
    rows = max(1, CHUNK_BYTES // (8 * n_w * m))
    x2 = x * x
    for start in range(0, n_b, rows):
        sl = slice(start, min(start + rows, n_b))
        Z = W[None, :, None] * x + B[sl, None, None]            # (rows, n_w, m)
        L, dZ, d2 = neuron.all_three(Z, y)
        out["J"][sl] = L.mean(axis=2)
        out["dw"][sl] = (dZ @ x) / m                             # mean(dZ·x)
        out["db"][sl] = dZ.mean(axis=2)
        out["hww"][sl] = (d2 @ x2) / m
        out["hwb"][sl] = (d2 @ x) / m
        out["hbb"][sl] = d2.mean(axis=2)
    reg = lambd / m
    return Surface(
        w=W, b=B,
        J=out["J"] + reg / 2 * W[None, :] ** 2,
        dJ_dw=out["dw"] + reg * W[None, :],
        dJ_db=out["db"],
        H_ww=out["hww"] + reg, H_wb=out["hwb"], H_bb=out["hbb"],
    )


def cost_grid(x, y, w_values, b_values, activation="sigmoid", loss="log", lambd=0.0):
    """Only J over the grid, shape (n_b, n_w): cheaper than cost_surface when no derivatives are needed."""
    x, y = _check_one_feature(x, y)
    neuron = get_loss(activation, loss)
    W = np.asarray(w_values, dtype=float).ravel()
    B = np.asarray(b_values, dtype=float).ravel()
    J = np.empty((B.size, W.size))
    rows = max(1, CHUNK_BYTES // (8 * W.size * x.size))
    for start in range(0, B.size, rows):
        sl = slice(start, min(start + rows, B.size))
        J[sl] = neuron.value(W[None, :, None] * x + B[sl, None, None], y).mean(axis=2)
    return J + float(lambd) / (2 * x.size) * W[None, :] ** 2


def cost_grid_loop(x, y, w_values, b_values):
    """The same log-loss grid with plain Python loops: the slow baseline the benchmarks compare against."""
    import math

    x, y = _check_one_feature(x, y)
    xs, ys = x.tolist(), y.tolist()
    J = []
    for b in np.asarray(b_values, float).tolist():
        row = []
        for w in np.asarray(w_values, float).tolist():
            total = 0.0
            for xi, yi in zip(xs, ys, strict=True):
                z = w * xi + b
                total += (max(z, 0.0) + math.log1p(math.exp(-abs(z)))) - yi * z
            row.append(total / len(xs))
        J.append(row)
    return np.array(J)


def hessian(w, b, X, Y, activation="sigmoid", loss="log", lambd=0.0):
    """The Hessian of J with respect to (w, b) at one point, shape (n_x + 1, n_x + 1).

    H = (1/m) X̃ diag(L'') X̃ᵀ + (λ/m) diag(1, …, 1, 0), with X̃ = X with a row of ones appended (for b).
    """
    w, b, X, Y = check_inputs(w, b, X, Y)
    neuron = get_loss(activation, loss)
    m = X.shape[1]
    d2 = neuron.d2Z(w.T @ X + b, Y)[0]                           # (m,)
    Xt = np.vstack([X, np.ones((1, m))])                         # (n_x + 1, m)
    H = (Xt * d2) @ Xt.T / m
    H[:-1, :-1] += float(lambd) / m * np.eye(X.shape[0])
    return H


# α·λ_max for the Cost basin's named learning rates: one well inside each regime of regime_of.
PRESET_FACTORS = {"smooth": 0.5, "oscillating": 1.8, "too large": 2.6}
EDGE_RTOL = 1e-9        # α·λ_max this close (relatively) to 1 or 2 is on that edge: the gap is rounding error


def is_edge(al, edge):
    """True if α·λ_max = al is the threshold `edge` (1 or 2) up to rounding error."""
    return abs(al - edge) <= EDGE_RTOL * edge


def regime_of(al):
    """The regime of gradient descent near a minimum of curvature λ_max, from al = α·λ_max: each step multiplies
    the distance along the steepest direction by 1 − al.

    "smooth"       al ≤ 1: no overshoot (al = 1 lands on the bottom along that direction in one step);
    "oscillating"  1 < al < 2: each step overshoots, by less each time;
    "too large"    al ≥ 2: the overshoot never shrinks (al = 2 bounces for ever with the same size, above 2 grows).

    >>> [regime_of(a) for a in (0.5, 1 + 1e-15, 1.5, 2 - 1e-15, 2.5)]
    ['smooth', 'smooth', 'oscillating', 'too large', 'too large']
    """
    if al <= 1 or is_edge(al, 1):
        return "smooth"
    if al < 2 and not is_edge(al, 2):
        return "oscillating"
    return "too large"


@dataclass(frozen=True)
class Regimes:
    """Learning-rate thresholds from the curvature λ_max at a point (usually the minimum)."""

    lam_max: float
    lam_min: float

    @property
    def smooth_below(self):
        """α below 1/λ_max: every direction shrinks without overshooting."""
        return 1.0 / self.lam_max

    @property
    def critical(self):
        """α = 2/λ_max: above it the steepest direction grows instead of shrinking."""
        return 2.0 / self.lam_max

    def classify(self, alpha):
        """{"smooth", "oscillating", "too large"} for a learning rate α (regime_of α·λ_max)."""
        return regime_of(alpha * self.lam_max)

    def presets(self):
        """One learning rate well inside each regime (PRESET_FACTORS of 1/λ_max, the page's named rates)."""
        return {name: factor / self.lam_max for name, factor in PRESET_FACTORS.items()}


def regimes(H):
    """Regimes from a Hessian (any square size). Raises InputError if H has no positive eigenvalue."""
    eig = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if not eig[-1] > 0:
        raise InputError("The cost has no upward curvature here, so no learning-rate limit can be computed.")
    return Regimes(lam_max=float(eig[-1]), lam_min=float(eig[0]))


@dataclass(frozen=True)
class Minimum:
    """Result of find_minimum: the point, its cost, and whether a finite minimum was found.

    finite : False when the page must not claim a minimum; `reason` says why:
      "separable"      one threshold puts every example on its side: J keeps falling as ‖w‖ grows (log-loss, λ = 0);
      "ties"           1 feature: the classes overlap only at one value, `tie` (every label 0 below it and 1 above,
                       or the mirror): J keeps falling as |w| grows, towards a lowest value it never reaches;
      "not converged"  Newton's method used all its iterations and was still moving, or went past `escape`
                       without separating the classes: a minimum, if there is one, lies where it did not get to (say
                       an outlier ten thousand or a billion times further out than the other values).
    w, b, cost : where Newton's method stopped (the start point for "ties"): not a minimum unless finite.
    """

    w: np.ndarray          # (n_x, 1)
    b: float
    cost: float
    finite: bool
    iterations: int
    reason: str = ""       # "" when finite; else "separable", "ties" or "not converged"
    tie: float | None = None   # "ties": the one x value where the classes meet, in X's units


# Newton's method has converged when its full step (before the line search) is this small against (1 + ‖(w, b)‖):
# at a minimum it ends below 1e-8 (rounding keeps the gradient from reaching exactly 0, so it may use all its
# iterations there), while on a slope that goes on for ever its step stays above 1e-2.
STEP_TOL = 1e-6


def tie_value(x, y):
    """The value at which two classes of 1-feature data overlap only, or None.

    x0.max() == x1.min() (or the mirror): below the tie every label is one class, above it the other, and at the
    tie both classes occur. Log-loss without λ then has no finite minimum although no threshold separates them.

    >>> tie_value([0, 1, 5, 5, 5, 6, 9], [0, 0, 0, 1, 1, 1, 1]), tie_value([1, 2, 3], [0, 1, 0])
    (5.0, None)
    """
    x, y = np.ravel(np.asarray(x, float)), np.ravel(np.asarray(y, float))
    x0, x1 = x[y == 0], x[y == 1]
    if x0.size == 0 or x1.size == 0:
        return None
    for low, high in ((x0, x1), (x1, x0)):
        if low.max() == high.min():
            return float(low.max())
    return None


def _separated(w, b, X, Y):
    """Log-loss without λ: if (w, b) classifies every example correctly, scaling (w, b) up by any t > 1 lowers J
    further, so there is no finite minimum (the data are linearly separable). With one feature, any threshold
    that puts every example of one class strictly below every one of the other shows it, wherever (w, b) is."""
    if X.shape[0] == 1:
        x0, x1 = X[0][Y[0] == 0], X[0][Y[0] == 1]
        if x0.size and x1.size and (x0.max() < x1.min() or x1.max() < x0.min()):
            return True
    return bool(np.all((2 * Y - 1) * (w.T @ X + b) > 0))


def find_minimum(X, Y, activation="sigmoid", loss="log", lambd=0.0, w0=None, b0=0.0, max_iter=200,
                 escape=1e3):
    """Minimise J with damped Newton steps and a backtracking line search.

    Newton's method uses the Hessian, so it reaches a minimum in a handful of steps (exact to machine precision),
    which makes it a good reference for what gradient descent should find. It claims a minimum only when it got
    there (its last full step is below STEP_TOL); otherwise finite=False, with the reason in Minimum.reason:
    - log-loss without λ on linearly separable data has no finite minimum: J keeps falling as ‖w‖ grows. Newton's
      method shows it by passing `escape` in ‖(w, b)‖, or by ending where every example is on its side;
    - 1-feature log-loss without λ where the classes overlap only at one value (tie_value) has none either: J falls
      towards its lowest value as |w| grows but never reaches it. Checked first, without running Newton's method;
    - Newton's method used all max_iter iterations and was still moving, or passed `escape` on data it does not
      separate: "not converged".

    Returns
    -------
    Minimum
    """
    X = np.asarray(X, float)
    w = np.zeros((X.shape[0], 1)) if w0 is None else np.asarray(w0, float).reshape(-1, 1)
    w, b, X, Y = check_inputs(w, b0, X, Y)
    neuron = get_loss(activation, loss)
    lambd = float(lambd)
    n = X.shape[0] + 1
    dw, db, cost = _propagate(w, b, X, Y, neuron, lambd)
    if loss == "log" and lambd == 0 and X.shape[0] == 1:
        tie = tie_value(X, Y)
        if tie is not None:
            return Minimum(w=w, b=float(b), cost=cost, finite=False, iterations=0, reason="ties", tie=tie)
    it, size, ran_out = 0, 0.0, False
    for it in range(1, max_iter + 1):
        g = np.append(dw[:, 0], db)
        if np.linalg.norm(g) < 1e-12:
            break
        H = hessian(w, b, X, Y, activation, loss, lambd)
        # Levenberg damping keeps the step a descent direction where H is flat or not positive definite.
        mu = max(0.0, -np.linalg.eigvalsh(H)[0]) + 1e-10 * max(1.0, np.abs(H).max())
        step = np.linalg.solve(H + mu * np.eye(n), g)
        size = float(np.linalg.norm(step)) / (1.0 + float(np.hypot(np.linalg.norm(w), b)))
        t = 1.0
        while True:
            w_new, b_new = w - t * step[:-1, None], b - t * step[-1]
            dw_new, db_new, cost_new = _propagate(w_new, b_new, X, Y, neuron, lambd)
            if cost_new <= cost - 1e-4 * t * float(g @ step) or t < 1e-10:
                break
            t /= 2
        if t < 1e-10 and cost_new >= cost:
            break
        w, b, dw, db, cost = w_new, b_new, dw_new, db_new, cost_new
        if np.hypot(np.linalg.norm(w), b) > escape:      # far out: separable data, or a minimum very far away
            reason = "separable" if _separated(w, b, X, Y) else "not converged"
            return Minimum(w=w, b=float(b), cost=cost, finite=False, iterations=it, reason=reason)
    else:
        ran_out = size > STEP_TOL          # all max_iter iterations, and the last step was still a real move
    if loss == "log" and lambd == 0 and _separated(w, b, X, Y):
        return Minimum(w=w, b=float(b), cost=cost, finite=False, iterations=it, reason="separable")
    if ran_out:
        return Minimum(w=w, b=float(b), cost=cost, finite=False, iterations=it, reason="not converged")
    return Minimum(w=w, b=float(b), cost=cost, finite=True, iterations=it)
