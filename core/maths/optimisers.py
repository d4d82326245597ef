"""Optimisers on the cost basin: gradient descent, momentum, RMSProp and Adam, full-batch or mini-batch.

Every optimiser makes the same kind of step from the gradient (dw, db) of a batch; they differ in what they
remember between steps (the course's names):

  gradient descent   w := w − α·dw
  momentum           v_dw := β₁·v_dw + dw                        w := w − α·v_dw
                     (Polyak's heavy ball, 1964)
  RMSProp            s_dw := β₂·s_dw + (1 − β₂)·dw²              w := w − α·dw / (√s_dw + ε)
                     (Tieleman and Hinton, 2012)
  Adam               v_dw := β₁·v_dw + (1 − β₁)·dw,  s_dw := β₂·s_dw + (1 − β₂)·dw²
                     v̂_dw := v_dw / (1 − β₁ᵗ),       ŝ_dw := s_dw / (1 − β₂ᵗ)
                     w := w − α·v̂_dw / (√ŝ_dw + ε)              (Kingma and Ba, 2015, Algorithm 1)

and the same for b with db. dw² and √ are taken element by element.

Momentum here is the heavy ball: v_dw sums past gradients (v_dw := β₁·v_dw + dw). Andrew Ng's course writes
v_dw := β₁·v_dw + (1 − β₁)·dw instead, an average of past gradients; that is the same method with α scaled by
(1 − β₁), so in its terms the limit below reads α·λ_max < 2(1 + β₁)/(1 − β₁). Momentum's v_dw (a sum) is
therefore not Adam's v_dw (an average), though both use β₁. The heavy ball's regime is the one to remember: on a
quadratic with largest curvature λ_max it converges for 0 < α·λ_max < 2(1 + β₁), where plain gradient descent
needs α·λ_max < 2. With β₁ = 0.9 that is a step almost twice as large.

Adam divides the averaged gradient by the root of its averaged square, so each coordinate moves by about α per
step whatever the scale of the gradient (data in millimetres or in kilometres): the first step is exactly
α·dw/(|dw| + ε) ≈ ±α (while ε is small next to |dw|). RMSProp has no bias correction: after its first update
s_dw = (1 − β₂)·dw², so its first step is α·dw/(√(1 − β₂)·|dw| + ε) ≈ ±α/√(1 − β₂), and the next ones shrink as
s_dw fills up.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np

from core.errors import InputError
from core.maths.logistic import EXPLODE_COST, EXPLODE_PARAM, TOL, _check_lambd, _propagate, check_inputs, ending
from core.maths.loss_functions import get_loss
from core.maths.minibatch import batch_gradient, epoch_batches
from core.maths.surfaces import Minimum, find_minimum, hessian, regimes

OPTIMISERS = {
    "gd": "Gradient descent",
    "momentum": "Momentum",
    "rmsprop": "RMSProp",
    "adam": "Adam",
}

# What each optimiser remembers, in the order of the step table's columns.
STATE_NAMES = {
    "gd": (),
    "momentum": ("v_dw", "v_db"),
    "rmsprop": ("s_dw", "s_db"),
    "adam": ("v_dw", "v_db", "s_dw", "s_db", "v_hat_dw", "v_hat_db", "s_hat_dw", "s_hat_db"),
}

# β₂'s usual value differs: 0.9 in Tieleman and Hinton's RMSProp, 0.999 in Kingma and Ba's Adam.
DEFAULT_BETA2 = {"rmsprop": 0.9, "adam": 0.999}

# Each update for st.latex, written as the code below computes it.
UPDATE_LATEX = {
    "gd": r"w := w - \alpha\, dw \qquad b := b - \alpha\, db",
    "momentum": (r"v_{dw} := \beta_1 v_{dw} + dw \qquad w := w - \alpha\, v_{dw}"
                 r"\qquad (\text{the same for } b)"),
    "rmsprop": (r"s_{dw} := \beta_2 s_{dw} + (1-\beta_2)\, dw^2 \qquad "
                r"w := w - \alpha\, \frac{dw}{\sqrt{s_{dw}} + \varepsilon}"),
    "adam": (r"v_{dw} := \beta_1 v_{dw} + (1-\beta_1)\, dw \quad "
             r"s_{dw} := \beta_2 s_{dw} + (1-\beta_2)\, dw^2"
             r"\quad \hat v_{dw} = \frac{v_{dw}}{1-\beta_1^t} \quad \hat s_{dw} = \frac{s_{dw}}{1-\beta_2^t}"
             r"\quad w := w - \alpha\, \frac{\hat v_{dw}}{\sqrt{\hat s_{dw}} + \varepsilon}"),
}


# ---------------------------------------------------------------- the four updates


def gd_update(w, b, dw, db, state, t, alpha, beta1, beta2, eps):
    """w := w − α·dw, b := b − α·db. Remembers nothing."""
    return w - alpha * dw, b - alpha * db, state


def momentum_update(w, b, dw, db, state, t, alpha, beta1, beta2, eps):
    """Heavy ball: v := β₁·v + gradient, then w := w − α·v_dw, b := b − α·v_db."""
    v_dw = beta1 * state["v_dw"] + dw                            # (n_x, 1)
    v_db = beta1 * state["v_db"] + db                            # scalar
    return w - alpha * v_dw, b - alpha * v_db, {"v_dw": v_dw, "v_db": v_db}


def rmsprop_update(w, b, dw, db, state, t, alpha, beta1, beta2, eps):
    """s := β₂·s + (1 − β₂)·gradient², then w := w − α·dw / (√s_dw + ε)."""
    s_dw = beta2 * state["s_dw"] + (1 - beta2) * dw * dw         # (n_x, 1)
    s_db = beta2 * state["s_db"] + (1 - beta2) * db * db         # scalar
    w = w - alpha * dw / (np.sqrt(s_dw) + eps)
    b = b - alpha * db / (np.sqrt(s_db) + eps)
    return w, b, {"s_dw": s_dw, "s_db": s_db}


def adam_update(w, b, dw, db, state, t, alpha, beta1, beta2, eps):
    """Adam's update number t (t = 1, 2, …): both averages, their bias corrections, then the step."""
    v_dw = beta1 * state["v_dw"] + (1 - beta1) * dw              # first moment, (n_x, 1)
    v_db = beta1 * state["v_db"] + (1 - beta1) * db
    s_dw = beta2 * state["s_dw"] + (1 - beta2) * dw * dw         # second moment, (n_x, 1)
    s_db = beta2 * state["s_db"] + (1 - beta2) * db * db
    v_hat_dw, v_hat_db = v_dw / (1 - beta1**t), v_db / (1 - beta1**t)     # bias-corrected
    s_hat_dw, s_hat_db = s_dw / (1 - beta2**t), s_db / (1 - beta2**t)
    w = w - alpha * v_hat_dw / (np.sqrt(s_hat_dw) + eps)
    b = b - alpha * v_hat_db / (np.sqrt(s_hat_db) + eps)
    return w, b, {"v_dw": v_dw, "v_db": v_db, "s_dw": s_dw, "s_db": s_db, "v_hat_dw": v_hat_dw,
                  "v_hat_db": v_hat_db, "s_hat_dw": s_hat_dw, "s_hat_db": s_hat_db}


UPDATES = {"gd": gd_update, "momentum": momentum_update, "rmsprop": rmsprop_update, "adam": adam_update}


def initial_state(optimiser, n_x):
    """Every remembered quantity starts at zero: (n_x, 1) arrays for the dw ones, 0.0 for the db ones."""
    return {name: (np.zeros((n_x, 1)) if name.endswith("dw") else 0.0) for name in STATE_NAMES[optimiser]}


# ---------------------------------------------------------------- a run


@dataclass
class OptimiserRun:
    """Everything one optimiser did, one row per update (row 0 is the start point, before any update).

    Row k describes update k: the batch gradient it used (taken at the point of row k − 1), the optimiser's
    state after it, the learning rate it used, and the point it reached. Row 0 holds the start point with
    zero gradient, zero state and α of update 1.

    optimiser : {"gd", "momentum", "rmsprop", "adam"}
    w : ndarray of shape (k + 1, n_x)
    b : ndarray of shape (k + 1,)
    cost : ndarray of shape (k + 1,)      J on the whole data set at each point (also for mini-batches)
    dw : ndarray of shape (k + 1, n_x)    the batch gradient that made update k
    db : ndarray of shape (k + 1,)
    state : dict of str to ndarray        STATE_NAMES[optimiser]: (k + 1, n_x) for *_dw, (k + 1,) for *_db
    alpha : ndarray of shape (k + 1,)     the learning rate of update k (it shrinks with decay)
    epoch : ndarray of shape (k + 1,)     epochs done after update k: examples seen / m (fractional)
    grad_norm : ndarray of shape (k + 1,) ‖(dw, db)‖ of the whole data set at each point
    status : {"converged", "max_steps", "diverged"}
    steps : int                           updates performed, k (the iterations)
    diverged_at : int or None             the update that gave a non-finite or exploding value (not kept)
    batch_size : int                      B (m for batch gradient descent)
    m : int
    """

    optimiser: str
    w: np.ndarray
    b: np.ndarray
    cost: np.ndarray
    dw: np.ndarray
    db: np.ndarray
    state: dict
    alpha: np.ndarray
    epoch: np.ndarray
    grad_norm: np.ndarray
    status: str
    steps: int
    diverged_at: int | None
    batch_size: int
    m: int

    @property
    def iterations(self):
        """ndarray of shape (k + 1,): 0, 1, …, k (the cost chart's x axis in iterations)."""
        return np.arange(self.b.size)

    @property
    def epochs(self):
        """Epochs done at the end of the run (fractional)."""
        return float(self.epoch[-1])

    @property
    def final_w(self):
        """The last finite w, shape (n_x, 1)."""
        return self.w[-1].reshape(-1, 1)

    @property
    def final_b(self):
        return float(self.b[-1])

    @property
    def message(self):
        """One plain sentence on how the run ended."""
        return ending(self.status, self.steps, self.diverged_at, self.cost[-1], OPTIMISERS[self.optimiser])


def _check_unit(value, what):
    value = float(value)
    if not (np.isfinite(value) and 0 <= value < 1):
        raise InputError(f"{what} must be at least 0 and below 1 (for example 0.9); got {value:g}.")
    return value


def check_settings(X, Y, optimiser, alpha, num_iterations, beta1, beta2, eps, batch_size, decay, seed=0):
    """Check an optimiser's settings once; return (beta2, batch_size) with their defaults filled in."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"The seed must be a whole number, 0 or more; got {seed!r}.")
    if optimiser not in OPTIMISERS:
        raise InputError(f"Unknown optimiser {optimiser!r}; choose one of {', '.join(OPTIMISERS)}.")
    alpha = float(alpha)
    if not np.isfinite(alpha) or alpha <= 0:
        raise InputError(f"The learning rate α must be a positive number; got {alpha:g}.")
    if isinstance(num_iterations, bool) or not isinstance(num_iterations, (int, np.integer)) \
            or num_iterations < 0:
        raise InputError(f"The number of iterations must be a whole number, 0 or more; "
                         f"got {num_iterations!r}.")
    _check_unit(beta1, "β₁")
    beta2 = DEFAULT_BETA2.get(optimiser, 0.999) if beta2 is None else _check_unit(beta2, "β₂")
    eps = float(eps)
    if optimiser in ("rmsprop", "adam") and not (np.isfinite(eps) and eps > 0):
        raise InputError(f"ε must be a small positive number (for example 1e-8); got {eps:g}.")
    m = X.shape[1]
    if batch_size is None:
        batch_size = m
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise InputError(f"The batch size must be a whole number from 1 to m = {m}; got {batch_size!r}.")
    decay = float(decay)
    if not (np.isfinite(decay) and decay >= 0):
        raise InputError(f"The learning-rate decay must be 0 or more; got {decay:g}.")
    return beta2, min(int(batch_size), m)


def optimise(X, Y, optimiser="gd", alpha=0.1, num_iterations=100, w0=None, b0=0.0, activation="sigmoid",
             loss="log", lambd=0.0, beta1=0.9, beta2=None, eps=1e-8, batch_size=None, seed=0, decay=0.0,
             tol=TOL):
    """Run one optimiser from (w0, b0) for at most num_iterations updates, recording every point and state.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
        One example per column (n_x = 1 on the basin).
    Y : ndarray of shape (1, m)
        Labels, 0 or 1.
    optimiser : {"gd", "momentum", "rmsprop", "adam"}, default="gd"
    alpha : float, default=0.1
        Learning rate α > 0 (α₀ when decay > 0).
    num_iterations : int, default=100
        The most updates (iterations) to make.
    w0 : ndarray of shape (n_x, 1), float or None, default=None
        Start point; None means zeros; a float when n_x = 1.
    b0 : float, default=0.0
    activation, loss, lambd
        As in core.maths.logistic.propagate: ("sigmoid", "log") is the logistic neuron, ("linear", "squared") the
        linear one; λ ≥ 0 is the L2 strength, J = (1/m) Σ L + λ/(2m)‖w‖².
    beta1 : float, default=0.9
        Momentum's β and Adam's β₁, in [0, 1).
    beta2 : float or None, default=None
        RMSProp's and Adam's β₂ in [0, 1); None means 0.9 for RMSProp and 0.999 for Adam.
    eps : float, default=1e-8
        ε > 0 of RMSProp and Adam, which keeps the division finite.
    batch_size : int or None, default=None
        B from 1 (stochastic gradient descent) to m; None or B ≥ m is batch gradient descent, exactly.
    seed : int, default=0
        Seeds the shuffle of each epoch: the same seed gives the same path.
    decay : float, default=0.0
        Learning-rate decay: update k in epoch e (e = 0, 1, …) uses α_k = α / (1 + decay·e).
    tol : float, default=1e-7
        Stop as "converged" when the whole data set's ‖(dw, db)‖ < tol.

    Returns
    -------
    OptimiserRun
        Never contains NaN or infinity: a run that blows up stops at its last finite point with status
        "diverged" and the update where it happened.

    Examples
    --------
    >>> import numpy as np
    >>> X, Y = np.array([[-1.0, 1.0]]), np.array([[0.0, 1.0]])
    >>> run = optimise(X, Y, "adam", alpha=0.1, num_iterations=2)
    >>> run.w[:, 0].round(3).tolist()      # Adam's steps are about α each
    [0.0, 0.1, 0.2]
    """
    X = np.asarray(X, dtype=float)
    n_x = X.shape[0] if X.ndim == 2 else 1
    if w0 is None:
        w0 = np.zeros((n_x, 1))
    elif np.ndim(w0) == 0 and n_x == 1:
        w0 = np.array([[w0]], dtype=float)        # on the basin a plain number will do: w is (1, 1)
    w, b, X, Y = check_inputs(w0, b0, X, Y)
    lambd = _check_lambd(lambd)
    beta2, batch_size = check_settings(X, Y, optimiser, alpha, num_iterations, beta1, beta2, eps, batch_size,
                                       decay, seed)
    alpha, beta1, eps, decay = float(alpha), float(beta1), float(eps), float(decay)
    neuron = get_loss(activation, loss)
    update = UPDATES[optimiser]
    n_x, m = X.shape
    full_batch = batch_size >= m
    rng = np.random.default_rng(seed)

    n = int(num_iterations) + 1
    ws, dws = np.zeros((n, n_x)), np.zeros((n, n_x))
    bs, costs, dbs, alphas, epochs, norms = (np.zeros(n) for _ in range(6))
    state = initial_state(optimiser, n_x)
    states = {name: np.zeros((n, n_x)) if name.endswith("dw") else np.zeros(n) for name in state}

    status, diverged_at, k = "max_steps", None, 0
    batches, seen, epoch_index = [], 0, -1
    dw_used, db_used, alpha_k = np.zeros((n_x, 1)), 0.0, alpha
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        while True:
            dw, db, cost = _propagate(w, b, X, Y, neuron, lambd)      # the whole data set at point k
            if not (np.isfinite(cost) and np.all(np.isfinite(dw)) and np.isfinite(db)) or cost > EXPLODE_COST:
                if k == 0:
                    raise InputError("The cost at the start point is too large to compute; "
                                     "choose a start point closer to zero.")
                status, diverged_at = "diverged", k
                k -= 1
                break
            ws[k], bs[k], costs[k] = w[:, 0], b, cost
            dws[k], dbs[k], alphas[k], epochs[k] = dw_used[:, 0], db_used, alpha_k, seen / m
            for name, value in state.items():
                states[name][k] = value[:, 0] if name.endswith("dw") else value
            norms[k] = np.sqrt(float(np.sum(dw * dw)) + db * db)
            if norms[k] < tol:
                status = "converged"
                break
            if k == n - 1:
                break
            if not batches:                                       # a new epoch: shuffle, cut into batches
                batches = epoch_batches(m, batch_size, rng)[::-1]     # reversed: pop() takes the next one
                epoch_index += 1
            idx = batches.pop()
            if not full_batch:
                dw, db = batch_gradient(w, b, X, Y, idx, neuron, lambd)
            alpha_k = alpha / (1.0 + decay * epoch_index)         # α_k = α₀ / (1 + decay·epoch)
            w, b, state = update(w, b, dw, db, state, k + 1, alpha_k, beta1, beta2, eps)
            dw_used, db_used, seen = dw, db, seen + idx.size
            k += 1
            # one number per quantity: a sum is finite only if every term is (inf − inf is NaN)
            finite = math.isfinite(float(np.sum(w)) + b) and all(
                math.isfinite(float(np.sum(v))) for v in state.values())
            if not finite or max(float(np.max(np.abs(w))), abs(b)) > EXPLODE_PARAM:
                status, diverged_at = "diverged", k
                k -= 1
                break
    keep = k + 1
    return OptimiserRun(
        optimiser=optimiser, w=ws[:keep], b=bs[:keep], cost=costs[:keep], dw=dws[:keep], db=dbs[:keep],
        state={name: values[:keep] for name, values in states.items()}, alpha=alphas[:keep],
        epoch=epochs[:keep], grad_norm=norms[:keep], status=status, steps=k, diverged_at=diverged_at,
        batch_size=batch_size, m=m,
    )


# ---------------------------------------------------------------- a race


@dataclass(frozen=True)
class Race:
    """Several optimisers from the same start, padded to the same length for one animation.

    names : tuple of str                   the optimisers, one per run
    W, B, J : ndarray of shape (K, steps + 1)   after a run stops its last point repeats
    runs : tuple of OptimiserRun (unpadded)
    """

    names: tuple
    W: np.ndarray
    B: np.ndarray
    J: np.ndarray
    runs: tuple


def race(X, Y, optimisers, num_iterations, w0=None, b0=0.0, alpha=0.1, alphas=None, **settings):
    """Run each optimiser from (w0, b0) with the same data, batches (same seed) and settings.

    Parameters
    ----------
    X : ndarray of shape (1, m)
    Y : ndarray of shape (1, m)
    optimisers : sequence of str
        Names from OPTIMISERS, each once.
    num_iterations : int
    alpha : float, default=0.1
        The learning rate of every run, unless alphas gives one per optimiser.
    alphas : dict of str to float or None
        {optimiser: α}, for example a larger α for Adam than for gradient descent.
    **settings
        Passed on to optimise (activation, loss, lambd, beta1, beta2, eps, batch_size, seed, decay, tol).

    Returns
    -------
    Race
    """
    names = tuple(optimisers)
    if len(set(names)) != len(names):
        raise InputError("Each optimiser can run only once in a race.")
    runs = tuple(optimise(X, Y, name, (alphas or {}).get(name, alpha), num_iterations, w0, b0, **settings)
                 for name in names)
    n = int(num_iterations) + 1
    W, B, J = (np.empty((len(runs), n)) for _ in range(3))
    for k, run in enumerate(runs):
        for out, values in ((W, run.w[:, 0]), (B, run.b), (J, run.cost)):
            out[k, :values.size] = values
            out[k, values.size:] = values[-1]
    return Race(names=names, W=W, B=B, J=J, runs=runs)


# ---------------------------------------------------------------- the step table and its CSV


def steps_table(run: OptimiserRun):
    """Columns of the step table, each a 1-D array: step, epoch, alpha, w, b, dw, db, the optimiser's state
    (STATE_NAMES, first feature for the *_dw ones) and J. Row k is update k (row 0 the start)."""
    table = {"step": run.iterations, "epoch": run.epoch, "alpha": run.alpha, "w": run.w[:, 0], "b": run.b,
             "dw": run.dw[:, 0], "db": run.db}
    for name in STATE_NAMES[run.optimiser]:
        values = run.state[name]
        table[name] = values[:, 0] if values.ndim == 2 else values
    table["J"] = run.cost
    return table


def steps_csv(run: OptimiserRun):
    """The step table as CSV text, after one comment line with the optimiser, batch size and how it ended."""
    table = steps_table(run)
    buf = io.StringIO()
    buf.write(f"# {OPTIMISERS[run.optimiser]}, batch size {run.batch_size} of {run.m}, status={run.status}\n")
    buf.write(",".join(table) + "\n")
    for k in range(run.b.size):
        buf.write(",".join(f"{table[c][k]:.10g}" if c != "step" else str(k) for c in table) + "\n")
    return buf.getvalue()


def step_sizes(run: OptimiserRun):
    """|Δw| and |Δb| of each update, each ndarray of shape (k,): with Adam both stay about α."""
    return np.abs(np.diff(run.w[:, 0])), np.abs(np.diff(run.b))


# ---------------------------------------------------------------- honest regimes


@dataclass(frozen=True)
class RateLimits:
    """The learning rates that curvature allows, from λ_max of the Hessian of J.

    lam_max, lam_min : float   eigenvalues of the Hessian at `at`
    beta1 : float              momentum's β₁, for its limit
    at : {"minimum", "start"}  where the Hessian was taken: the minimum, or the start point when the cost has
                               no finite minimum (separable data without λ)
    minimum : Minimum          (w*, b*) and J* (finite=False when there is none)
    """

    lam_max: float
    lam_min: float
    beta1: float
    at: str
    minimum: Minimum

    @property
    def smooth_below(self):
        """1/λ_max: below it gradient descent never overshoots."""
        return 1.0 / self.lam_max

    @property
    def gd_limit(self):
        """2/λ_max: above it gradient descent on a quadratic diverges."""
        return 2.0 / self.lam_max

    @property
    def momentum_limit(self):
        """2(1 + β₁)/λ_max: the heavy ball converges on a quadratic for α below it."""
        return 2.0 * (1.0 + self.beta1) / self.lam_max

    def as_dict(self):
        """The numbers the page shows: λ_max, 1/λ_max, 2/λ_max and 2(1 + β₁)/λ_max."""
        return {"lam_max": self.lam_max, "smooth_below": self.smooth_below, "gd_limit": self.gd_limit,
                "momentum_limit": self.momentum_limit}

    def verdict(self, optimiser, alpha):
        """One plain sentence placing α against the optimiser's limit."""
        if optimiser == "gd":
            limit, name = self.gd_limit, "2/λ_max"
        elif optimiser == "momentum":
            limit, name = self.momentum_limit, "2(1 + β₁)/λ_max"
        else:
            return (f"{OPTIMISERS[optimiser]} divides each step by the size of recent gradients, so each "
                    f"coordinate moves about α = {alpha:.3g} per step whatever the curvature.")
        side = "below" if alpha < limit else "above"
        outcome = "converges" if alpha < limit else "does not converge"
        return (f"α = {alpha:.3g} is {side} {name} = {limit:.3g}, so {OPTIMISERS[optimiser].lower()} "
                f"{outcome} on a quadratic bowl.")


def rate_limits(X, Y, activation="sigmoid", loss="log", lambd=0.0, beta1=0.9, w0=None, b0=0.0):
    """λ_max at the minimum of J (or at the start point when there is none) and the limits it sets.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    activation, loss, lambd
        The neuron and λ, as in optimise.
    beta1 : float, default=0.9
        Momentum's β₁.
    w0 : ndarray of shape (n_x, 1) or None; b0 : float
        The start point, used only when there is no finite minimum.

    Returns
    -------
    RateLimits
    """
    beta1 = _check_unit(beta1, "β₁")
    lambd = _check_lambd(lambd)
    minimum = find_minimum(X, Y, activation, loss, lambd)
    if minimum.finite:
        at, w, b = "minimum", minimum.w, minimum.b
    else:
        at = "start"
        w = np.zeros((np.shape(X)[0], 1)) if w0 is None else np.asarray(w0, float).reshape(-1, 1)
        b = float(b0)
    reg = regimes(hessian(w, b, X, Y, activation, loss, lambd))
    return RateLimits(lam_max=reg.lam_max, lam_min=reg.lam_min, beta1=beta1, at=at, minimum=minimum)
