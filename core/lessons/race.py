"""The optimiser race on the Cost basin: its settings (part of the page's link) and one race on any data.

Gradient descent and momentum take α as a multiple of 1/λ_max (α·λ_max), so the same setting means the same
regime on every data set: below 2 gradient descent converges on a quadratic bowl, below 2(1 + β₁) momentum
does. RMSProp and Adam take α as it is: their steps are about α long whatever the curvature or the scale of
the data, so a multiple of 1/λ_max would mean nothing to them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.data.owndata import NEURONS, basin_grid
from core.errors import InputError
from core.maths.loss_functions import get_loss
from core.maths.minibatch import batches_per_epoch, epochs_after, gradient_noise
from core.maths.optimisers import OPTIMISERS, Race, RateLimits, optimise, rate_limits, step_sizes
from core.params import QueryState, setting

RATE_FACTORS = (0.25, 0.5, 1.0, 1.5, 1.9, 2.5, 3.0, 3.5, 4.5)     # α·λ_max for gradient descent and momentum
ADAPTIVE_RATES = (0.01, 0.03, 0.1, 0.3, 1.0)                      # α of RMSProp and Adam
BETAS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99)
BETA2S = (0.9, 0.99, 0.999)
EPSILONS = (1e-8, 1e-6, 1e-4, 1e-2)
DECAYS = (0.0, 0.1, 0.3, 1.0, 3.0)
FULL_BATCH = 0                                                    # the batch-size setting for "all m examples"
MAX_BATCH = 10_000
GRID = 80                                                         # the race's map: GRID × GRID values of J


@dataclass(frozen=True)
class RaceSettings(QueryState):
    """The race's settings, shared by the Cost basin's link (core.lessons.basin.BasinParams inherits them).

    Field names are widget keys and URL keys, so each starts with opt_ (other pages have an "eps" or a "seed").
    """

    opt_gd: bool = setting(True)
    opt_momentum: bool = setting(True)
    opt_rmsprop: bool = setting(True)
    opt_adam: bool = setting(True)
    opt_rate: float = setting(0.5, choices=RATE_FACTORS)          # α·λ_max of gradient descent and momentum
    opt_adaptive: float = setting(0.1, choices=ADAPTIVE_RATES)    # α of RMSProp and Adam
    opt_beta1: float = setting(0.9, choices=BETAS)                # momentum's β and Adam's β₁
    opt_rms_beta: float = setting(0.9, choices=BETA2S)            # RMSProp's β₂
    opt_beta2: float = setting(0.999, choices=BETA2S)             # Adam's β₂
    opt_eps: float = setting(1e-8, choices=EPSILONS)
    opt_steps: int = setting(60, lo=10, hi=300)
    opt_batch: int = setting(FULL_BATCH, lo=0, hi=MAX_BATCH)      # 0: every example (batch gradient descent)
    opt_seed: int = setting(0, lo=0, hi=9999)                     # the shuffle of the mini-batches
    opt_decay: float = setting(0.0, choices=DECAYS)

    def optimisers(self):
        """The names of the optimisers in the race, in OPTIMISERS' order."""
        return tuple(name for name in OPTIMISERS if getattr(self, f"opt_{name}"))


def batch_options(m):
    """The batch sizes offered for m examples: powers of two below m, then FULL_BATCH (all m)."""
    sizes = [2**k for k in range(14) if 2**k < m]
    return sizes + [FULL_BATCH]


def snap_batch(value, m):
    """The offered batch size nearest to value (FULL_BATCH when value is FULL_BATCH or at least m)."""
    value = int(value)
    if value == FULL_BATCH or value >= m:
        return FULL_BATCH
    sizes = batch_options(m)[:-1]
    return min(sizes, key=lambda s: (abs(np.log2(s) - np.log2(max(value, 1))), s))


@dataclass(frozen=True)
class RaceResult:
    """One race and everything the page says about it.

    race : core.maths.optimisers.Race
    labels : tuple of str                     one legend label per run
    alphas : dict of str to float             the α of each optimiser
    limits : RateLimits                       λ_max and the learning-rate limits
    box : (w_lo, w_hi, b_lo, b_hi)            the map's ranges
    w_grid, b_grid, J_grid : ndarray          J on the map, J_grid of shape (GRID, GRID) (rows follow b)
    start : (w0, b0)
    batch_size : int                          B (m for the whole data set)
    m : int
    noise_std : float                         typical length of (batch gradient − full gradient) at the start
    decay : float                             the learning-rate decay (0: none)
    """

    race: Race
    labels: tuple
    alphas: dict
    limits: RateLimits
    box: tuple
    w_grid: np.ndarray
    b_grid: np.ndarray
    J_grid: np.ndarray
    start: tuple
    batch_size: int
    m: int
    noise_std: float
    decay: float = 0.0

    @property
    def updates_per_epoch(self):
        return batches_per_epoch(self.m, self.batch_size)

    @property
    def steps(self):
        """The updates the race shows (every run's, unless it stopped sooner)."""
        return self.race.W.shape[1] - 1

    @property
    def epochs(self):
        """Epochs in the shown steps, whichever runs stopped sooner."""
        return epochs_after(self.steps, self.m, self.batch_size)

    @property
    def last_rate_ratio(self):
        """α of the last shown update over α₀: 1 / (1 + decay·e), e the last update's epoch (counted from 0)."""
        return 1.0 / (1.0 + self.decay * ((max(self.steps, 1) - 1) // self.updates_per_epoch))

    def run(self, name):
        return self.race.runs[self.race.names.index(name)]

    def first_steps(self, name, count=3):
        """(|Δw|, |Δb|) of the first `count` updates of one optimiser: Adam's first one is α exactly."""
        dw, db = step_sizes(self.run(name))
        return dw[:count], db[:count]


def run_race(x, y, settings: RaceSettings, neuron="logistic", lambd=0.0, w0=0.0, b0=0.0):
    """Race the chosen optimisers from (w0, b0) on the data's J(w, b), with the same batches for all.

    Parameters
    ----------
    x : ndarray of shape (1, m)
    y : ndarray of shape (1, m)
    settings : RaceSettings
    neuron : {"logistic", "linear"}
    lambd : float
        λ ≥ 0, the L2 strength.
    w0, b0 : float
        The start point, the same for every optimiser.

    Returns
    -------
    RaceResult
    """
    from core.lessons.basin import axis_ranges  # here: core.lessons.basin imports this module for RaceSettings
    names = settings.optimisers()
    if not names:
        raise InputError("Choose at least one optimiser to race.")
    activation, loss = NEURONS[neuron]
    m = int(np.shape(x)[1])
    limits = rate_limits(x, y, activation, loss, lambd, settings.opt_beta1, np.array([[float(w0)]]), float(b0))
    slow = settings.opt_rate / limits.lam_max
    alphas = {"gd": slow, "momentum": slow, "rmsprop": settings.opt_adaptive, "adam": settings.opt_adaptive}
    batch = m if settings.opt_batch == FULL_BATCH else min(int(settings.opt_batch), m)
    beta2 = {"rmsprop": settings.opt_rms_beta, "adam": settings.opt_beta2}
    runs = tuple(optimise(x, y, name, alphas[name], settings.opt_steps, float(w0), float(b0), activation, loss,
                          lambd, beta1=settings.opt_beta1, beta2=beta2.get(name), eps=settings.opt_eps,
                          batch_size=batch, seed=settings.opt_seed, decay=settings.opt_decay)
                 for name in names)
    n = settings.opt_steps + 1
    W, B, J = (np.empty((len(runs), n)) for _ in range(3))
    for k, run in enumerate(runs):
        for out, values in ((W, run.w[:, 0]), (B, run.b), (J, run.cost)):
            out[k, :values.size] = values
            out[k, values.size:] = values[-1]
    race = Race(names=names, W=W, B=B, J=J, runs=runs)

    mn = limits.minimum
    keep = [k for k, run in enumerate(runs) if run.status != "diverged"]
    w_pts = np.r_[W[keep].ravel(), w0, mn.w.ravel() if mn.finite else []]
    b_pts = np.r_[B[keep].ravel(), b0, [mn.b] if mn.finite else []]
    box = axis_ranges(w_pts, b_pts)
    w_grid, b_grid = np.linspace(*box[:2], GRID), np.linspace(*box[2:], GRID)
    J_grid = basin_grid(x, y, w_grid, b_grid, neuron, lambd)
    noise = gradient_noise(np.array([[float(w0)]]), float(b0), np.asarray(x, float), np.asarray(y, float), batch,
                           get_loss(activation, loss)).std
    return RaceResult(race=race, labels=tuple(race_label(name, alphas[name], settings) for name in names),
                      alphas=alphas, limits=limits, box=box, w_grid=w_grid, b_grid=b_grid, J_grid=J_grid,
                      start=(float(w0), float(b0)), batch_size=batch, m=m, noise_std=noise,
                      decay=settings.opt_decay)


# The legend's name of each optimiser's run: its α and the β values it uses, as label_values formats them.
LABELS = {
    "gd": "{name} (α = {alpha})",
    "momentum": "{name} (α = {alpha}, β = {beta1})",
    "rmsprop": "{name} (α = {alpha}, β₂ = {rms_beta})",
    "adam": "{name} (α = {alpha}, β₁ = {beta1}, β₂ = {beta2})",
}


def label_values(alpha, settings: RaceSettings) -> dict:
    """The numbers of a legend name as text: α to 3 significant digits, the β values as they are set."""
    return {"alpha": f"{alpha:.3g}", "beta1": f"{settings.opt_beta1:g}", "rms_beta": f"{settings.opt_rms_beta:g}",
            "beta2": f"{settings.opt_beta2:g}"}


def race_label(name, alpha, settings: RaceSettings):
    """The legend's name of one run: the optimiser, its α and its β values."""
    return LABELS[name].format(name=OPTIMISERS[name], **label_values(alpha, settings))


def _outcome(result: RaceResult, name):
    """What one optimiser's run did in this race, in a few words; None when it is not in the race or there is no
    finite bottom to measure from."""
    if name not in result.race.names:
        return None
    run = result.run(name)
    if run.status == "diverged":
        return f"in this race it blew up at step {run.diverged_at}"
    mn = result.limits.minimum
    if not mn.finite:
        return None
    d = np.hypot(run.w[:, 0] - mn.w.item(), run.b - mn.b)
    if run.status == "converged" or d[-1] <= 0.05 * d[0]:
        return f"in this race it settled within its {run.steps} steps"
    further = ", further than where it started" if d[-1] > d[0] else ""
    return (f"in this race, after {run.steps} steps, it is {d[-1]:.3g} from the bottom{further} "
            f"(it started {d[0]:.3g} away)")


def regime_sentences(result: RaceResult, settings: RaceSettings, neuron="logistic", lambd=0.0):
    """Plain sentences placing gradient descent's and momentum's α against their limits, and what their runs did.

    The limits are exact for a quadratic bowl (the linear neuron's J); the logistic neuron's basin is a bowl
    near its bottom and flattens further out, so there a step past the limit bounces instead of flying off,
    unless the penalty's own bowl λ/(2m)·w² is too steep for α. What each run did in the race is read off the run.
    """
    lim = result.limits
    alpha = settings.opt_rate / lim.lam_max
    beta = settings.opt_beta1
    where = "at the minimum" if lim.at == "minimum" else "at the start point (there is no finite minimum)"
    too_far = "each step across the valley overshoots by more than the last"
    out = [f"The steepest curvature of this basin {where} is λ_max = {lim.lam_max:.4g}. Gradient descent and "
           f"momentum step with the learning rate α·λ_max = {settings.opt_rate:g}, that is α is "
           f"{settings.opt_rate:g}/λ_max = {alpha:.4g}."]
    penalty = 1 - alpha * float(lambd) / result.m           # what a step does to w where the data no longer pull

    why = ("the basin flattens further out, so the ball bounces around the bottom instead of flying off"
           if abs(penalty) <= 1 else
           f"where the data no longer pull, the penalty λ/(2m)·w² multiplies w by 1 − αλ/m = {penalty:.2f} a step, "
           "more than 1 in size, so w keeps growing").replace("-", "−")

    def said(theory, name, within):
        outcome = _outcome(result, name)
        flat = not within and neuron == "logistic"
        if outcome is None:                       # not in the race: what theory expects, and why
            return theory + (f"; {why}." if flat else ".")
        if flat and result.run(name).status != "diverged":
            outcome += f": {why}"
        return f"{theory}; {outcome}."

    gd_ok = settings.opt_rate < 2
    gd_theory = (too_far if not gd_ok else "near the bottom it rolls in without overshooting"
                 if settings.opt_rate <= 1 else "near the bottom each overshoot is smaller than the last")
    out.append(f"Gradient descent needs α·λ_max below 2 (α < 2/λ_max = {lim.gd_limit:.4g}); at "
               f"{settings.opt_rate:g} " + said(gd_theory, "gd", gd_ok))
    limit = 2 * (1 + beta)
    mom_ok = settings.opt_rate < limit
    theory = ("near the bottom its swings shrink" + (f", though by only about √β = {np.sqrt(beta):.3g} a step at "
                                                     "best" if beta >= 0.9 else "")
              if mom_ok else too_far + " too")
    out.append(f"Momentum with β = {beta:g} tolerates α·λ_max up to 2(1 + β) = {limit:.3g} "
               f"(α < {lim.momentum_limit:.4g}); at {settings.opt_rate:g} " + said(theory, "momentum", mom_ok))
    out.append("Why momentum tolerates larger steps: its velocity adds up past gradients, each weighted by β. "
               "Across the valley a zigzagging ball's gradient flips sign every step, so those contributions "
               "mostly cancel and the back-and-forth is damped; along a steady slope they add up instead, to "
               f"steps up to 1/(1 − β) = {1 / (1 - beta):.3g} times longer." if beta > 0 else
               "With β = 0 momentum remembers nothing: it is gradient descent, with the same limit 2.")
    if result.batch_size < result.m:
        out.append("These limits are for the full gradient; with mini-batches the noise comes on top, so the "
                   "ball never quite settles unless the learning rate decays.")
    return out
