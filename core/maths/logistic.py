"""Logistic regression as the course builds it: initialize, propagate, gradient descent, predict.

Shapes follow the course: X (n_x, m) with one example per column, Y (1, m), w (n_x, 1), b a float.
The default neuron is the course's: sigmoid activation and log-loss. Other activations and losses
(core.maths.activations, core.maths.loss_functions) plug into the same functions, so the pages can compare them.

The update rule is  w := w − α·dw,  b := b − α·db.  (Some course notes write w := w − σ(dw); that squashes
every gradient into (0, 1) and moves w the wrong way when dw < 0. It is a mistake.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from core.errors import InputError
from core.maths.activations import ACTIVATIONS
from core.maths.loss_functions import get_loss

# Gradient descent stops and reports "diverged" when a parameter or the cost gets this large, or stops being a
# finite number: far beyond anything a converging run reaches, and long before float64 overflows.
EXPLODE_PARAM = 1e8
EXPLODE_COST = 1e12
TOL = 1e-7          # gradient descent stops as converged when ‖(dw, db)‖ < TOL, by default
# One call makes at most this many steps: every page asks for far fewer (the Cost basin 150, Classify trains
# 20,000 in chunks), and the trajectory's arrays are allocated up front, so 10**12 would ask for terabytes.
MAX_ITERATIONS = 100_000
# With record_params, w and dw are kept at every step: (steps + 1) × n_x numbers each, at most this many
# (32 MB per array). Classify keeps within it by training in chunks.
MAX_RECORDED = 4_000_000


def initialize_with_zeros(n_x):
    """w = zeros of shape (n_x, 1) and b = 0.0, as in the course."""
    if not isinstance(n_x, (int, np.integer)) or n_x < 1:
        raise InputError(f"n_x must be a positive whole number; got {n_x!r}.")
    return np.zeros((int(n_x), 1)), 0.0


def check_inputs(w, b, X, Y):
    """Check shapes and values once, at the boundary, and return them as float arrays.

    Raises InputError with a message that says what arrived and how to fix it.
    """
    w = np.asarray(w, dtype=float)
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if X.ndim != 2:
        raise InputError(f"X must be a 2-D array of shape (n_x, m); got shape {X.shape}.")
    n_x, m = X.shape
    if m == 0:
        raise InputError("X has no examples (m = 0); it needs at least one column.")
    if w.ndim == 1:
        raise InputError(
            f"w has shape {w.shape}, a rank-1 array; use w.reshape(-1, 1) to make it ({w.shape[0]}, 1)."
        )
    if w.shape != (n_x, 1):
        raise InputError(f"w must have shape ({n_x}, 1) to match X with {n_x} features; got {w.shape}.")
    if Y.ndim == 1:
        raise InputError(f"Y has shape {Y.shape}, a rank-1 array; use Y.reshape(1, -1) to make it (1, {Y.size}).")
    if Y.shape[0] != 1 or Y.ndim != 2:
        raise InputError(f"Y must have shape (1, m); got {Y.shape}.")
    if Y.shape[1] != m:
        raise InputError(f"X has {m} examples (columns) but Y has {Y.shape[1]} labels.")
    if not np.all(np.isfinite(X)) or not np.all(np.isfinite(w)) or not np.isfinite(b):
        raise InputError("X, w and b must be finite numbers (no NaN or infinity).")
    bad = Y[(Y != 0) & (Y != 1)]
    if bad.size:
        raise InputError(f"Y must contain only 0 and 1; found {bad.flat[0]:g}.")
    return w, float(b), X, Y


def _propagate(w, b, X, Y, loss, lambd):
    """propagate() without input checks: the inner loop of gradient descent trusts its input."""
    m = X.shape[1]
    Z = w.T @ X + b                                             # (1, m)
    dZ = loss.dZ(Z, Y)                                          # (1, m); A − Y for sigmoid + log-loss
    dw = X @ dZ.T / m + (lambd / m) * w                         # (n_x, 1)
    db = float(np.mean(dZ))                                     # scalar
    cost = float(np.mean(loss.value(Z, Y)) + lambd / (2 * m) * float(np.sum(w * w)))
    return dw, db, cost


def propagate(w, b, X, Y, activation="sigmoid", loss="log", lambd=0.0):
    """One forward and backward pass of a single neuron.

    Z = wᵀX + b, A = g(Z), J = (1/m) Σ L(A, Y) + λ/(2m)‖w‖², dZ = dL/dZ, dw = X dZᵀ / m + (λ/m) w, db = mean(dZ).
    With the defaults this is the course's logistic regression: A = σ(Z), dZ = A − Y.

    Parameters
    ----------
    w : ndarray of shape (n_x, 1)
    b : float
    X : ndarray of shape (n_x, m)
        One example per column.
    Y : ndarray of shape (1, m)
        Labels, 0 or 1.
    activation : {"sigmoid", "tanh", "relu", "leaky_relu", "linear"}, default="sigmoid"
    loss : {"log", "squared", "absolute"}, default="log"
    lambd : float, default=0.0
        L2 regularisation strength λ ≥ 0.

    Returns
    -------
    grads : dict
        "dw": ndarray of shape (n_x, 1); "db": float.
    cost : float
        J, the cost (log-loss by default).

    Examples
    --------
    >>> import numpy as np
    >>> grads, cost = propagate(np.zeros((1, 1)), 0.0, np.array([[1.0, -1.0]]), np.array([[1, 0]]))
    >>> round(cost, 6), grads["dw"].tolist(), grads["db"]
    (0.693147, [[-0.5]], 0.0)
    """
    w, b, X, Y = check_inputs(w, b, X, Y)
    lambd = _check_lambd(lambd)
    dw, db, cost = _propagate(w, b, X, Y, get_loss(activation, loss), lambd)
    return {"dw": dw, "db": db}, cost


def _check_lambd(lambd):
    lambd = float(lambd)
    if not np.isfinite(lambd) or lambd < 0:
        raise InputError(f"The regularisation strength λ must be 0 or more; got {lambd:g}.")
    return lambd


@dataclass
class Trajectory:
    """Everything gradient descent did, one row per visited point (step 0 is the start).

    w : ndarray of shape (k + 1, n_x)    parameters w at each point (empty if not recorded)
    b : ndarray of shape (k + 1,)
    cost : ndarray of shape (k + 1,)     J at each point
    dw : ndarray of shape (k + 1, n_x)   gradient at each point (empty if not recorded)
    db : ndarray of shape (k + 1,)
    status : {"converged", "max_steps", "diverged"}
    steps : int                          updates performed, k
    diverged_at : int or None            the step whose update gave a non-finite or exploding value
    """

    w: np.ndarray
    b: np.ndarray
    cost: np.ndarray
    dw: np.ndarray
    db: np.ndarray
    status: str
    steps: int
    diverged_at: int | None = None
    grad_norm: np.ndarray = field(default_factory=lambda: np.empty(0))
    last_w: np.ndarray | None = None     # (n_x, 1): the last finite w, kept even when w is not recorded

    @property
    def final_w(self):
        """The last finite w, shape (n_x, 1)."""
        return self.last_w if self.last_w is not None else self.w[-1].reshape(-1, 1)

    @property
    def final_b(self):
        return float(self.b[-1])

    @property
    def message(self):
        """One plain sentence on how the run ended."""
        return ending(self.status, self.steps, self.diverged_at, self.cost[-1])


def power_of_ten(value):
    """10⁻⁷ for 1e-7: a power of ten as a student reads it (value must be one)."""
    return "10" + str(round(math.log10(value))).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def significant(value, digits=4):
    """value to `digits` significant digits as a student reads it: a power of ten instead of e-notation, and real
    minus signs.

    >>> significant(0.31234567), significant(1.816e-05), significant(-2.5e12), significant(4.9e-324)
    ('0.3123', '1.816 × 10⁻⁵', '−2.5 × 10¹²', '4.941 × 10⁻³²⁴')
    """
    text = f"{float(value):.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa} × 10" + str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return text.replace("-", "−")


def ending(status, steps, diverged_at, final_cost, name=None, tol=TOL, bottom=True):
    """One plain sentence on how a run ended ("converged", "diverged" or the step limit), said of `name`
    (e.g. "Adam") when given: the same words for every optimiser. tol: the gradient's size under which the run
    stopped as converged, named in the sentence (pages stop at different ones). bottom=False: J has no bottom (say
    separable data with λ = 0), so a run stopped by a tiny gradient stopped where the slope all but vanished, not at
    a bottom, and the sentence says so.

    >>> ending("converged", 18, None, 7e-08, "Momentum")
    "Momentum converged after 18 steps: the gradient's size fell below 10⁻⁷."
    >>> ending("converged", 18, None, 7e-08, "Momentum", bottom=False).split(", not")[1]
    ' because it found a bottom: this J has none, it only flattens out far away.'
    """
    many = f"{steps} step{'s' if steps != 1 else ''}"
    if status == "converged" and not bottom:
        said = (f"stopped after {many} because the gradient's size fell below {power_of_ten(tol)}, not because it "
                "found a bottom: this J has none, it only flattens out far away.")
    elif status == "converged":
        said = f"converged after {many}: the gradient's size fell below {power_of_ten(tol)}."
    elif status == "diverged":
        said = f"diverged at step {diverged_at}: the parameters or the cost blew up, so the run was stopped there."
    else:
        said = f"stopped after {many} (the step limit); J = {significant(final_cost)}."
    return f"{name} {said}" if name else said[0].upper() + said[1:]


def gradient_descent(w, b, X, Y, alpha, num_iterations, activation="sigmoid", loss="log", lambd=0.0,
                     tol=TOL, record_params=True):
    """Batch gradient descent, w := w − α·dw and b := b − α·db, recording the whole trajectory.

    Parameters
    ----------
    w : ndarray of shape (n_x, 1)
        Start point.
    b : float
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    alpha : float
        Learning rate α > 0.
    num_iterations : int
        The most updates to make, 0 to MAX_ITERATIONS (100,000); with record_params, also
        (num_iterations + 1) · n_x ≤ MAX_RECORDED (4,000,000).
    activation, loss, lambd
        As in propagate().
    tol : float, default=1e-7
        Stop as "converged" when ‖(dw, db)‖ < tol.
    record_params : bool, default=True
        Keep w and dw at every step (memory (k+1)·n_x each); otherwise only cost, b and db.

    Returns
    -------
    Trajectory
        Never contains NaN or infinity: a run that blows up stops at the last finite point with
        status "diverged" and the step where it happened.
    """
    w, b, X, Y = check_inputs(w, b, X, Y)
    lambd = _check_lambd(lambd)
    alpha = float(alpha)
    if not np.isfinite(alpha) or alpha <= 0:
        raise InputError(f"The learning rate α must be a positive number; got {alpha:g}.")
    if (isinstance(num_iterations, bool) or not isinstance(num_iterations, (int, np.integer))
            or not 0 <= num_iterations <= MAX_ITERATIONS):
        raise InputError(f"The number of iterations must be a whole number from 0 to {MAX_ITERATIONS:,}; "
                         f"got {str(num_iterations)[:20]}.")
    neuron = get_loss(activation, loss)
    n_x = X.shape[0]
    n = int(num_iterations) + 1
    if record_params and n * n_x > MAX_RECORDED:
        raise InputError(f"Keeping w at each of {n - 1:,} steps for {n_x:,} weights would need too much memory "
                         f"(at most {MAX_RECORDED:,} numbers); run fewer steps at a time.")
    ws = np.empty((n, n_x)) if record_params else np.empty((0, n_x))
    dws = np.empty((n, n_x)) if record_params else np.empty((0, n_x))
    bs, costs, dbs, norms = np.empty(n), np.empty(n), np.empty(n), np.empty(n)

    status, diverged_at, k = "max_steps", None, 0
    with np.errstate(over="ignore", invalid="ignore"):
        while True:
            dw, db, cost = _propagate(w, b, X, Y, neuron, lambd)
            if not (np.isfinite(cost) and np.all(np.isfinite(dw)) and np.isfinite(db)) or cost > EXPLODE_COST:
                if k == 0:
                    raise InputError("The cost at the start point is too large to compute; "
                                     "choose a start point closer to zero.")
                status, diverged_at = "diverged", k
                k -= 1                          # step k is not kept: the run ends at step k − 1
                break
            last_w = w
            if record_params:
                ws[k], dws[k] = w[:, 0], dw[:, 0]
            bs[k], costs[k], dbs[k] = b, cost, db
            norms[k] = np.sqrt(float(np.sum(dw * dw)) + db * db)
            if norms[k] < tol:
                status = "converged"
                break
            if k == n - 1:
                break
            w = w - alpha * dw                  # the update: w := w − α·dw
            b = b - alpha * db                  #             b := b − α·db
            k += 1
            if not (np.all(np.isfinite(w)) and np.isfinite(b)) or max(np.max(np.abs(w)), abs(b)) > EXPLODE_PARAM:
                status, diverged_at = "diverged", k
                k -= 1
                break
    keep = k + 1
    return Trajectory(
        w=ws[:keep] if record_params else ws, b=bs[:keep], cost=costs[:keep],
        dw=dws[:keep] if record_params else dws, db=dbs[:keep], status=status, steps=k,
        diverged_at=diverged_at, grad_norm=norms[:keep], last_w=last_w.copy(),
    )


def descend_rates(w, b, X, Y, alphas, num_iterations, activation="sigmoid", loss="log", lambd=0.0, tol=TOL):
    """gradient_descent from one start at several learning rates at once: the same list of Trajectory as
    [gradient_descent(w, b, X, Y, a, num_iterations, activation, loss, lambd, tol) for a in alphas] (equal to
    rounding: the K runs are rows of one (K, m) product instead of K products), in one pass over the steps.

    Each run stops exactly as its own gradient_descent would (converged, diverged, or the step limit), and a run
    that has stopped no longer moves. Vectorising over the runs is what makes the Cost basin's sixteen rates,
    and the checks of its named rates, cost one loop instead of sixteen.
    """
    w, b, X, Y = check_inputs(w, b, X, Y)
    lambd = _check_lambd(lambd)
    alphas = np.asarray(alphas, dtype=float).ravel()
    if alphas.size == 0 or not np.all(np.isfinite(alphas)) or np.any(alphas <= 0):
        raise InputError("Every learning rate α must be a positive number.")
    if (isinstance(num_iterations, bool) or not isinstance(num_iterations, (int, np.integer))
            or not 0 <= num_iterations <= MAX_ITERATIONS):
        raise InputError(f"The number of iterations must be a whole number from 0 to {MAX_ITERATIONS:,}; "
                         f"got {str(num_iterations)[:20]}.")
    neuron = get_loss(activation, loss)
    K, (n_x, m) = alphas.size, X.shape
    n = int(num_iterations) + 1
    if n * n_x * K > MAX_RECORDED:
        raise InputError(f"Keeping w at each of {n - 1:,} steps for {K} runs would need too much memory "
                         f"(at most {MAX_RECORDED:,} numbers); run fewer steps at a time.")
    W = np.repeat(w.T, K, axis=0)                                   # (K, n_x): one row per run
    B = np.full(K, b)
    ws, dws = np.empty((K, n, n_x)), np.empty((K, n, n_x))
    bs, costs, dbs, norms = (np.empty((K, n)) for _ in range(4))
    last_w = W.copy()
    steps = np.zeros(K, dtype=int)                                  # the step each run is at (its k)
    status = np.array(["max_steps"] * K, dtype=object)
    diverged_at = [None] * K
    active = np.ones(K, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n):
            Z = W @ X + B[:, None]                                  # (K, m): row r is w_rᵀX + b_r
            dZ = neuron.dZ(Z, Y)
            dW = dZ @ X.T / m + (lambd / m) * W                     # (K, n_x)
            dB = np.mean(dZ, axis=1)
            cost = np.mean(neuron.value(Z, Y), axis=1) + lambd / (2 * m) * np.sum(W * W, axis=1)
            bad = active & ~(np.isfinite(cost) & np.all(np.isfinite(dW), axis=1) & np.isfinite(dB)
                             & (cost <= EXPLODE_COST))
            if k == 0 and bad.any():
                raise InputError("The cost at the start point is too large to compute; "
                                 "choose a start point closer to zero.")
            for r in np.flatnonzero(bad):                           # step k is not kept: the run ends at k − 1
                status[r], diverged_at[r], steps[r] = "diverged", k, k - 1
            active &= ~bad
            # every row is written; a stopped run's rows after its last step are cut off below
            ws[:, k], dws[:, k], bs[:, k], costs[:, k], dbs[:, k] = W, dW, B, cost, dB
            norms[:, k] = np.sqrt(np.sum(dW * dW, axis=1) + dB * dB)
            last_w = np.where(active[:, None], W, last_w)
            steps = np.where(active, k, steps)
            done = active & (norms[:, k] < tol)
            status[done] = "converged"
            active &= ~done
            if k == n - 1 or not active.any():
                break
            W = np.where(active[:, None], W - alphas[:, None] * dW, W)      # the update: w := w − α·dw
            B = np.where(active, B - alphas * dB, B)                        #             b := b − α·db
            blown = active & (~(np.all(np.isfinite(W), axis=1) & np.isfinite(B))
                              | (np.maximum(np.max(np.abs(W), axis=1), np.abs(B)) > EXPLODE_PARAM))
            for r in np.flatnonzero(blown):
                status[r], diverged_at[r] = "diverged", k + 1
            active &= ~blown
    out = []
    for r in range(K):
        keep = steps[r] + 1
        out.append(Trajectory(w=ws[r, :keep], b=bs[r, :keep], cost=costs[r, :keep], dw=dws[r, :keep],
                              db=dbs[r, :keep], status=str(status[r]), steps=int(steps[r]),
                              diverged_at=diverged_at[r], grad_norm=norms[r, :keep],
                              last_w=last_w[r].reshape(-1, 1).copy()))
    return out


def predict_proba(w, b, X, activation="sigmoid"):
    """A = g(wᵀX + b), shape (1, m): for the sigmoid, the probability that each example is class 1."""
    return ACTIVATIONS[activation].fn(np.asarray(w, float).T @ np.asarray(X, float) + b)


def predict(w, b, X, threshold=0.5):
    """Y_prediction of shape (1, m): 1 where σ(wᵀX + b) > threshold, else 0 (the course's predict)."""
    return (predict_proba(w, b, X) > threshold).astype(float)


def accuracy(w, b, X, Y):
    """The fraction of examples whose prediction equals the label, in [0, 1]."""
    return float(np.mean(predict(w, b, X) == Y))


def gradient_check(w, b, X, Y, activation="sigmoid", loss="log", lambd=0.0, eps=1e-6):
    """Compare the analytic gradient with centred finite differences, the course's "nudge".

    Each parameter θ is nudged both ways: (J(θ + ε) − J(θ − ε)) / (2ε).

    Returns
    -------
    dict
        "analytic" and "numerical": ndarray of shape (n_x + 1,) (dw then db);
        "relative_error": ‖a − n‖ / (‖a‖ + ‖n‖), 0.0 when both are zero.
    """
    w, b, X, Y = check_inputs(w, b, X, Y)
    lambd = _check_lambd(lambd)
    neuron = get_loss(activation, loss)
    dw, db, _ = _propagate(w, b, X, Y, neuron, lambd)
    analytic = np.append(dw[:, 0], db)
    theta = np.append(w[:, 0], b)
    numerical = np.empty_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += eps
        minus[i] -= eps
        j_plus = _propagate(plus[:-1, None], plus[-1], X, Y, neuron, lambd)[2]
        j_minus = _propagate(minus[:-1, None], minus[-1], X, Y, neuron, lambd)[2]
        numerical[i] = (j_plus - j_minus) / (2 * eps)
    denom = np.linalg.norm(analytic) + np.linalg.norm(numerical)
    rel = float(np.linalg.norm(analytic - numerical) / denom) if denom > 0 else 0.0
    return {"analytic": analytic, "numerical": numerical, "relative_error": rel}


def squashed_update_descent(w, b, X, Y, alpha, num_iterations):
    """Gradient descent with the wrong update some course notes print, w := w − σ(dw) (and b := b − σ(db)),
    next to the right one, w := w − α·dw, from the same start: for the page that shows why it is wrong.

    σ squashes every gradient into (0, 1): the step is always downwards in w and b whatever the sign of the
    gradient, and at the minimum, where dw = 0, the step is σ(0) = 1/2, so the wrong rule never stops.

    Returns
    -------
    dict of ndarray of shape (num_iterations + 1,)
        "w_right", "b_right", "J_right" and "w_wrong", "b_wrong", "J_wrong" (1-feature data: w is a scalar).
    """
    w, b, X, Y = check_inputs(w, b, X, Y)
    if X.shape[0] != 1:
        raise InputError("This comparison is for 1-feature data: X must have shape (1, m).")
    if (isinstance(num_iterations, bool) or not isinstance(num_iterations, (int, np.integer))
            or not 0 <= num_iterations <= MAX_ITERATIONS):
        raise InputError(f"The number of iterations must be a whole number from 0 to {MAX_ITERATIONS:,}; "
                         f"got {str(num_iterations)[:20]}.")
    neuron = get_loss("sigmoid", "log")
    out = {k: np.empty(num_iterations + 1) for k in ("w_right", "b_right", "J_right", "w_wrong", "b_wrong",
                                                       "J_wrong")}
    for rule in ("right", "wrong"):
        w_k, b_k = w.copy(), b
        for k in range(num_iterations + 1):
            dw, db, cost = _propagate(w_k, b_k, X, Y, neuron, 0.0)
            out[f"w_{rule}"][k], out[f"b_{rule}"][k], out[f"J_{rule}"][k] = w_k[0, 0], b_k, cost
            if rule == "right":
                w_k, b_k = w_k - alpha * dw, b_k - alpha * db
            else:
                squashed_dw, squashed_db = ACTIVATIONS["sigmoid"].fn(dw), float(ACTIVATIONS["sigmoid"].fn(db))
                w_k, b_k = w_k - squashed_dw, b_k - squashed_db
    return out
