"""The optimiser race on the Cost basin: its settings (part of the page's link) and one race on any data.

Gradient descent and momentum take α as a multiple of 1/λ_max (α·λ_max), so the same setting means the same
regime on every data set: below 2 gradient descent converges on a quadratic bowl, below 2(1 + β₁) momentum
does (the heavy ball, v := β₁v + dw; core.maths.optimisers). RMSProp and Adam take α as it is: their steps are
about α long whatever the curvature or the scale of the data, so a multiple of 1/λ_max would mean nothing to them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from core.data.owndata import NEURONS, basin_grid
from core.errors import InputError
from core.maths.logistic import ending, significant
from core.maths.loss_functions import get_loss
from core.maths.minibatch import batch_sizes, batches_per_epoch, epoch_batches, epoch_noise_std, epochs_after
from core.maths.optimisers import OPTIMISERS, OptimiserRun, Race, RateLimits, optimise, rate_limits, step_sizes
from core.maths.surfaces import is_edge
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
SETTLE_WINDOW = 10           # a run has settled when its last SETTLE_WINDOW points are all near the bottom …
SETTLE_CUT = 0.05            # … within this share of its start's distance from the bottom, and not moving away
FAR = 10                     # a mini-batch run is blowing up when it ends FAR times as far from the bottom as it
                             # started (and J has at least doubled); without a bottom, when J is FAR times its start's


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
    opt_race: bool = setting(False)                               # the race is open (ui/optimisers.py's toggle)

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


# The race's settings in a link, but the one that says whether the race is open.
RACE_KEYS = tuple(f.name for f in dataclasses.fields(RaceSettings) if f.name != "opt_race")


def from_link(p, query, m):
    """(settings, notes): the race's settings as a link opens them on data of m examples.

    The batch size moves to the offered one nearest to it (snap_batch), with a note when that changes B (a link's
    opt_batch=100 runs with B = 128 on 200 examples). The race opens when the link says opt_race=1, or when it
    names any race setting at all, even one it refused (its note is then shown above an open race); only an
    explicit opt_race=0 keeps it closed.

    >>> p, notes = from_link(RaceSettings(opt_batch=100), {"opt_batch": "100"}, 200)
    >>> p.opt_batch, p.opt_race, notes
    (128, True, ['opt_batch=100 is not offered for these 200 examples; using the nearest, 128.'])
    >>> from_link(RaceSettings(), {"opt_rate": "0.3"}, 200)[0].opt_race
    True
    """
    def used(B):                                   # the batch size a race runs with (run_race)
        return m if B == FULL_BATCH else min(int(B), m)

    notes, changes = [], {}
    batch = snap_batch(p.opt_batch, m)
    if batch != p.opt_batch:
        changes["opt_batch"] = batch
        if used(batch) != used(p.opt_batch):
            nearest = f"all {m:,} (batch)" if batch == FULL_BATCH else f"{batch}"
            notes.append(f"opt_batch={p.opt_batch} is not offered for these {m:,} examples; using the nearest, "
                         f"{nearest}.")
    explicit = "opt_race" in query and not RaceSettings.parse({"opt_race": query["opt_race"]})[1]
    if not explicit and not p.opt_race and any(k in query for k in RACE_KEYS):
        changes["opt_race"] = True
    return (dataclasses.replace(p, **changes) if changes else p), notes


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
    noise_std : float                         typical length of (batch gradient − full gradient) at the start, the
                                              root mean square over an epoch's real batches (the last may be short)
    decay : float                             the learning-rate decay (0: none)
    undecayed : tuple of OptimiserRun         with decay, the same race without it (same batches), else ()
    nudged : tuple of (float, float) or None  the end (w, b) of gradient descent's and momentum's runs past their
                                              limits that neither converged nor blew up, with α times 1 + NUDGE
                                              (the same batches); else None: a chaotic run's end moves with α's
                                              last digits (_chaos)
    batch_lam_max : tuple of float            with mini-batches, λ_max of each update's batch (its own J: the mean
                                              over its B examples, and the penalty) where λ_max was taken (the
                                              bottom, else the start), in the order the runs used them; else ()
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
    undecayed: tuple = ()
    batch_lam_max: tuple = ()
    nudged: tuple = ()

    @property
    def updates_per_epoch(self):
        return batches_per_epoch(self.m, self.batch_size)

    @property
    def epoch_sizes(self):
        """The sizes of one epoch's batches: ⌈m / B⌉ of B, the last what is left of the m."""
        return batch_sizes(self.m, self.batch_size)

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

    def undecayed_run(self, name):
        """The run of the same race without decay (None when the race has no decay)."""
        return self.undecayed[self.race.names.index(name)] if self.undecayed else None

    def distances(self, run):
        """ndarray of shape (k + 1,): each point's distance from the bottom (w*, b*); None without a finite one."""
        mn = self.limits.minimum
        return np.hypot(run.w[:, 0] - mn.w.item(), run.b - mn.b) if mn.finite else None

    def first_steps(self, name, count=3):
        """(|Δw|, |Δb|) of the first `count` updates of one optimiser: Adam's first one is α exactly."""
        dw, db = step_sizes(self.run(name))
        return dw[:count], db[:count]

    def steepest_batch(self, run):
        """The largest λ_max of the batches a run used (to the update that blew up, if one did); None without
        mini-batches."""
        used = self.batch_lam_max[:run.diverged_at or run.steps]
        return max(used) if used else None


@dataclass
class RaceRun(OptimiserRun):
    """One optimiser's run in the race, knowing whether J has a bottom: a run that stopped because its slope all but
    vanished far out on a basin without one did not converge to a bottom, and its sentence says so."""

    bottom: bool = True

    @property
    def message(self):
        """One plain sentence on how the run ended."""
        return ending(self.status, self.steps, self.diverged_at, self.cost[-1], OPTIMISERS[self.optimiser],
                      bottom=self.bottom)


def batch_curvatures(x, y, activation, loss, lambd, w, b, batch, seed, updates):
    """λ_max of each update's batch at (w, b), for `updates` updates, in the order optimise uses the batches (the
    same shuffle from the same seed).

    A batch has its own J, the mean loss over its B examples plus the penalty λ/(2m)·w², so its own basin: its
    Hessian is (1/B)·Σ L''(z_i)·(x_i², x_i; x_i, 1) + (λ/m on w). Without the penalty, a batch of one example is
    steep along its own direction (x_i, 1) only, with λ_max = L''(z_i)·(x_i² + 1): for the linear neuron L'' = 1
    everywhere, so it is many times the whole data set's λ_max when x_i is far out (for the logistic neuron
    L'' = σ(z)(1 − σ(z)) ≤ 1/4, largest where the example sits on the boundary).
    """
    neuron = get_loss(activation, loss)
    x, y = np.asarray(x, float), np.asarray(y, float)
    m = x.shape[1]
    d2 = neuron.d2Z(float(w) * x + float(b), y)[0]                 # L'' of each example at (w, b)
    x = x[0]
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < updates:
        for idx in epoch_batches(m, batch, rng):
            a = float(np.mean(d2[idx] * x[idx] ** 2)) + float(lambd) / m
            c = float(np.mean(d2[idx]))
            s = float(np.mean(d2[idx] * x[idx]))
            out.append((a + c) / 2 + float(np.hypot((a - c) / 2, s)))
    return tuple(out[:updates])


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

    mn = limits.minimum
    bottom = mn.finite or mn.reason == "not converged"        # "not converged": there may be one, not found

    def one(name, decay, alpha):
        return optimise(x, y, name, alpha, settings.opt_steps, float(w0), float(b0), activation, loss,
                        lambd, beta1=settings.opt_beta1, beta2=beta2.get(name), eps=settings.opt_eps,
                        batch_size=batch, seed=settings.opt_seed, decay=decay)

    def runs_with(decay):
        runs = (one(name, decay, alphas[name]) for name in names)
        return tuple(RaceRun(**{f.name: getattr(run, f.name) for f in dataclasses.fields(run)}, bottom=bottom)
                     for run in runs)

    runs = runs_with(settings.opt_decay)
    # with decay, the same race without it (no map: only the runs), so the page can say what the decay did to each
    undecayed = runs_with(0.0) if settings.opt_decay > 0 else ()
    # gradient descent and momentum past their limits, still moving: is the end they reached chaotic?
    limit = {"gd": 2.0, "momentum": 2 * (1 + settings.opt_beta1)}
    nudged = tuple((lambda r: (float(r.w[-1, 0]), float(r.b[-1])))(one(name, settings.opt_decay,
                                                                       alphas[name] * (1 + NUDGE)))
                   if settings.opt_rate > limit.get(name, np.inf) and run.status not in ("converged", "diverged")
                   else None for name, run in zip(names, runs, strict=True))
    n = settings.opt_steps + 1
    W, B, J = (np.empty((len(runs), n)) for _ in range(3))
    for k, run in enumerate(runs):
        for out, values in ((W, run.w[:, 0]), (B, run.b), (J, run.cost)):
            out[k, :values.size] = values
            out[k, values.size:] = values[-1]
    race = Race(names=names, W=W, B=B, J=J, runs=runs)

    keep = [k for k, run in enumerate(runs) if run.status != "diverged"]
    w_pts = np.r_[W[keep].ravel(), w0, mn.w.ravel() if mn.finite else []]
    b_pts = np.r_[B[keep].ravel(), b0, [mn.b] if mn.finite else []]
    box = axis_ranges(w_pts, b_pts)
    w_grid, b_grid = np.linspace(*box[:2], GRID), np.linspace(*box[2:], GRID)
    J_grid = basin_grid(x, y, w_grid, b_grid, neuron, lambd)
    noise = epoch_noise_std(np.array([[float(w0)]]), float(b0), np.asarray(x, float), np.asarray(y, float), batch,
                            get_loss(activation, loss))
    at = (mn.w.item(), mn.b) if mn.finite else (w0, b0)             # where λ_max was taken
    curvatures = (batch_curvatures(x, y, activation, loss, lambd, *at, batch, settings.opt_seed, settings.opt_steps)
                  if batch < m else ())
    return RaceResult(race=race, labels=tuple(race_label(name, alphas[name], settings) for name in names),
                      alphas=alphas, limits=limits, box=box, w_grid=w_grid, b_grid=b_grid, J_grid=J_grid,
                      start=(float(w0), float(b0)), batch_size=batch, m=m, noise_std=noise,
                      decay=settings.opt_decay, undecayed=undecayed, batch_lam_max=curvatures, nudged=nudged)


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


def _swinging(result: RaceResult, run):
    """Does the run still cross from one side of the bottom to the other, over its last SETTLE_WINDOW points?"""
    mn = result.limits.minimum
    P = np.c_[run.w[-SETTLE_WINDOW:, 0] - mn.w.item(), run.b[-SETTLE_WINDOW:] - mn.b]
    return bool(np.sum(np.sum(P[1:] * P[:-1], axis=1) < 0) >= (len(P) - 1) / 2)


def _growing(window):
    """Is the distance from the bottom growing over the window: at its largest at the end, and half as large again
    as at the window's start?"""
    return window.size > 1 and window[-1] >= window.max() and window[-1] > 1.5 * window[0]


def _steps(n):
    """'1 step', '60 steps'."""
    return f"{n} step{'s' if n != 1 else ''}"


def _settled(result: RaceResult, run):
    """Did the run settle: converge, or end with its last SETTLE_WINDOW points all within SETTLE_CUT of its start's
    distance from the bottom and not moving away? False without a finite bottom."""
    if run.status == "converged":
        return result.limits.minimum.finite
    d = result.distances(run)
    if d is None or run.status == "diverged":
        return False
    window = d[-SETTLE_WINDOW:]
    noisy = result.batch_size < result.m
    return bool(np.all(window <= SETTLE_CUT * d[0])) and not (_growing(window) and not noisy)


def _blowing_up(result: RaceResult, run):
    """Is a mini-batch run that was not stopped blowing up: ending FAR times as far from the bottom as it started,
    with J at least doubled (without a bottom: J FAR times its start's)? Full-batch runs are told by the bowl's
    limits and what their paths did (_outcome, regime_sentences)."""
    if result.batch_size >= result.m or run.status != "max_steps":
        return False
    d = result.distances(run)
    if d is None:
        return bool(run.cost[-1] > FAR * run.cost[0])
    return bool(d[-1] > FAR * d[0] and run.cost[-1] > 2 * run.cost[0])


def _outcome(result: RaceResult, name):
    """What one optimiser's run did in this race, in a few words; None when it is not in the race.

    It settled when it converged, or when its last SETTLE_WINDOW points all lie within SETTLE_CUT of its start's
    distance from the bottom and are not moving away (with mini-batches, the noise may move it about in there). A
    mini-batch run that ends far beyond its start is blowing up (_blowing_up). Without a finite bottom it says what
    J did."""
    if name not in result.race.names:
        return None
    run = result.run(name)
    if run.status == "diverged":
        return f"in this race it blew up at step {run.diverged_at}"
    d = result.distances(run)
    after = f"after {_steps(run.steps)}"
    if _blowing_up(result, run):
        grown = f"J has grown from {significant(run.cost[0], 3)} to {significant(run.cost[-1], 3)}"   # no e-notation
        if d is None:
            return f"in this race it is blowing up: {after}, {grown}"
        return (f"in this race it is blowing up: {after} it is {significant(d[-1], 3)} from the bottom, further than "
                f"where it started (it started {significant(d[0], 3)} away), and {grown}")
    if d is None:
        if run.status == "converged":
            return (f"in this race it stopped {after}, its slope all but gone (J = {run.cost[-1]:.3g})"
                    + ("" if run.bottom else ", not because it found a bottom"))
        return f"in this race, {after}, J is {run.cost[-1]:.3g} (it started at {run.cost[0]:.3g})"
    noisy = result.batch_size < result.m
    if _settled(result, run):
        return (f"in this race it settled within its {_steps(run.steps)}"
                + (", wobbling about the bottom with the batches' noise"
                   if noisy and run.status != "converged" else ""))
    window = d[-SETTLE_WINDOW:]
    growing = _growing(window) and not noisy
    further = ", further than where it started" if d[-1] > d[0] else ""
    text = f"in this race, {after}, it is {d[-1]:.3g} from the bottom{further} (it started {d[0]:.3g} away)"
    if growing:
        how = "still swinging, and the swings are growing" if _swinging(result, run) else "and still moving away"
        text += (f", {how} ({window[0]:.2g} from the bottom {_steps(window.size - 1)} before the end, "
                 f"{window[-1]:.2g} at the end)")
    return text


NUDGE = 1e-9        # α times 1 + NUDGE: a change in α's ninth digit, far below any rounding a student would do
CHAOS = 0.1         # ... that moves the run's end by more than this share of its distance from the bottom: chaotic


def _chaos(result: RaceResult, name):
    """" This path is chaotic: …" when the same run with α changed in its ninth digit ends elsewhere (past its
    limit a run can be: its end moves with the last digits of α, so numpy on another machine may not reproduce
    it); "" otherwise, and for a run without a finite bottom or not in the race."""
    ends = dict(zip(result.race.names, result.nudged, strict=True)) if result.nudged else {}
    mn = result.limits.minimum
    if ends.get(name) is None or not mn.finite:
        return ""
    distance = float(result.distances(result.run(name))[-1])
    other = float(np.hypot(ends[name][0] - mn.w.item(), ends[name][1] - mn.b))
    if abs(other - distance) <= CHAOS * max(distance, 0.01):
        return ""
    return (f" This path is chaotic: with α changed in its ninth digit the same run ends {other:.3g} from the "
            f"bottom, not {distance:.3g}, so its last numbers are this machine's (numpy elsewhere may round its way "
            "to another end).")


def _first_update_below(result: RaceResult, rate, limit):
    """The first update whose α·λ_max, shrunk by the decay (epoch e: rate / (1 + decay·e)), is below limit; None
    when none of the shown steps gets there."""
    if result.decay <= 0 or rate < limit:
        return None
    epoch = 1
    while rate / (1 + result.decay * epoch) >= limit:
        epoch += 1
    update = epoch * result.updates_per_epoch + 1              # the first update of that epoch
    return update if update <= result.steps else None


def regime_sentences(result: RaceResult, settings: RaceSettings, neuron="logistic", lambd=0.0):
    """Plain sentences placing gradient descent's and momentum's α against their limits, and what their runs did.

    The limits are exact for a quadratic bowl (the linear neuron's J) and a fixed α; the logistic neuron's basin is
    a bowl near its bottom only and flattens further out, so there a step past the limit bounces instead of flying
    off, unless the penalty's own bowl λ/(2m)·w² is too steep for α. Without a finite minimum there is no bottom to
    speak of: λ_max is the start point's. With decay, α shrinks every epoch, and a run that starts past its limit
    comes back under it. On a limit exactly (surfaces.is_edge) the swings across the valley keep their size.

    The limits are for the whole data set's gradient. Each mini-batch has its own basin, which can be much steeper
    (RaceResult.batch_lam_max), and it changes with every batch: a mini-batch run inside the limits that blows up
    is said to, with the steepest batch it used. What each run did in the race is read off the run.
    """
    lim = result.limits
    finite = lim.minimum.finite
    alpha = settings.opt_rate / lim.lam_max
    beta = settings.opt_beta1
    rate = settings.opt_rate
    where = "at the minimum" if lim.at == "minimum" else "at the start point (there is no finite minimum)"
    too_far = "each step across the valley overshoots by more than the last"
    on_limit = ("it is on the limit exactly, where each step across the valley overshoots by as much as the last: "
                "the swings keep their size")
    out = [f"The steepest curvature of this basin {where} is λ_max = {lim.lam_max:.4g}. Gradient descent and "
           f"momentum step with the learning rate α·λ_max = {rate:g}, that is α is "
           f"{rate:g}/λ_max = {alpha:.4g}."]
    if not finite:
        none = ("no bottom was found on this map (Newton's method was still moving when it stopped)"
                if lim.minimum.reason == "not converged" else "this basin has no bottom")
        out.append(f"The limits below are a bowl's, and {none}: they only say how a step crosses "
                   "the valley where its curvature is the start point's, and further along the curvature changes.")
    elif neuron == "logistic":
        out.append("The limits below are a bowl's, and this basin is a bowl only near its bottom (further out it "
                   "flattens): they hold near the bottom only.")
    penalty = 1 - alpha * float(lambd) / result.m           # what a step does to w where the data no longer pull

    bounce = "the basin flattens further out, so the ball bounces around the bottom instead of flying off"
    grows = (f"where the data no longer pull, the penalty λ/(2m)·w² multiplies w by 1 − αλ/m = {penalty:.2f} a "
             "step, more than 1 in size, so w keeps growing").replace("-", "−")
    why = bounce if abs(penalty) <= 1 else grows

    def thrown(run):
        """What a run that ended further from the bottom than it started did, in words."""
        if _swinging(result, run):
            return "it still bounces across the bottom, in swings wider than the start's distance from it"
        g0, g1 = run.grad_norm[0], run.grad_norm[-1]
        slope = f"(|∇J| = {g1:.2g} where it ended, {g0:.2g} at the start)"
        where = (f"onto the flatter part of the basin, where the slope {slope}" if g1 < g0 else
                 f"past where it started, and the slope out there {slope}")
        return f"it was thrown out {where} has not brought it back within its {_steps(run.steps)}"

    noisy = result.batch_size < result.m
    batch_words = f"a batch of {result.batch_size:,} example{'s' if result.batch_size != 1 else ''}"

    def blown(name):
        """Is this optimiser's mini-batch run blowing up (or did it blow up) inside the whole data set's limit?"""
        run = result.run(name) if name in result.race.names else None
        return run is not None and noisy and (run.status == "diverged" or _blowing_up(result, run))

    def steeper(name, limit):
        """Why a mini-batch run inside the whole data set's limit blew up: its batches' own basins."""
        run = result.run(name)
        lam_b = result.steepest_batch(run)
        al_b = alpha * lam_b
        at = ("" if neuron == "linear" else " at the bottom" if finite else " at the start point")
        text = (f" Each step here follows the gradient of {batch_words}, and a batch's own basin can be much "
                f"steeper than the whole data set's: the steepest batch this run used has λ_max = {lam_b:.3g}{at}, "
                f"against {lim.lam_max:.3g} for all {result.m:,} examples, so α·λ_max is {al_b:.3g} on it"
                + (" (with α as it starts, before the decay shrinks it), " if result.decay > 0 else ", "))
        if al_b >= limit:
            return text + f"past the limit {limit:.3g}: the whole data set's limit does not protect a small batch."
        return text + (f"inside the limit {limit:.3g} on its own; but the limits hold for one basin that stays put, "
                       "and here the basin changes with every batch, each steepest in its own direction, which "
                       "throws the ball out all the same.")

    def said(theory, name, within, past):
        """within: below the limit; past: above it (on the limit exactly is neither)."""
        outcome = _outcome(result, name)
        flat = past and neuron == "logistic" and finite
        if outcome is None:                       # not in the race: what theory expects, and why
            return theory + (f"; {why}." if flat else ".")
        run = result.run(name)
        if within and blown(name):
            return (f"that is inside the limit for the whole data set's gradient; {outcome}."
                    + steeper(name, 2 if name == "gd" else 2 * (1 + beta)))
        if flat and run.status != "diverged" and not _settled(result, run):
            d = result.distances(run)
            outcome += ": " + (why if abs(penalty) > 1 or d[-1] <= d[0] else thrown(run))
        elif (within and neuron == "logistic" and finite and run.status != "diverged" and not _settled(result, run)
              and abs(penalty) <= 1 and (d := result.distances(run))[-1] > d[0]):
            # inside the limit and yet further out than it started: the limit is about the bottom, not the way down
            built = (f"the limit is for swings across the valley near the bottom, but on its way down from the "
                     f"start its velocity grew, each step up to 1/(1 − β) = {1 / (1 - beta):.3g} times gradient "
                     "descent's, and " if name == "momentum" and beta > 0 else
                     "the limit holds near the bottom, and on its way there ")
            outcome += ": " + built + thrown(run)
        return f"{theory}; {outcome}." + _chaos(result, name)

    def decayed(theory, limit):
        """The theory, with when the decay brings α·λ_max below the limit (the limits are for a fixed α)."""
        update = _first_update_below(result, rate, limit)
        if update is None:
            return theory
        first = "its first step" if update == 2 else f"its first {update - 1} steps"
        return (f"{theory} while α·λ_max stays at {limit:.3g} or more, here only for {first}: the limits are for a "
                f"fixed α, and the decay brings α·λ_max below {limit:.3g} from step {update} on")

    def plain_theory(limit):                  # gradient descent, and momentum with β = 0 (the same method)
        if is_edge(rate, limit):
            return on_limit
        if rate >= limit:
            return too_far
        if finite:
            return ("near the bottom it rolls in without overshooting" if rate <= 1 else
                    "near the bottom each overshoot is smaller than the last")
        return ("where the curvature is the start point's, its steps across the valley do not overshoot" if rate <= 1
                else "where the curvature is the start point's, each overshoot across the valley is smaller than "
                     "the last")

    gd_ok = rate < 2 and not is_edge(rate, 2)
    gd_past = rate > 2 and not is_edge(rate, 2)
    out.append(f"Gradient descent needs α·λ_max below 2 (α < 2/λ_max = {lim.gd_limit:.4g}); at "
               f"{rate:g} " + said(decayed(plain_theory(2), 2), "gd", gd_ok, gd_past))
    limit = 2 * (1 + beta)
    mom_ok = rate < limit and not is_edge(rate, limit)
    mom_past = rate > limit and not is_edge(rate, limit)
    if beta == 0:
        theory = plain_theory(limit) + (", as gradient descent does" if "gd" in result.race.names else "")
    elif mom_ok:
        near = "near the bottom" if finite else "where the curvature is the start point's,"
        theory = f"{near} its swings shrink" + (f", though by only about √β = {np.sqrt(beta):.3g} a step at best"
                                               if beta >= 0.9 else "")
    elif is_edge(rate, limit):
        theory = on_limit
    else:
        theory = too_far + " too"
    out.append(f"Momentum with β = {beta:g} tolerates α·λ_max up to 2(1 + β) = {limit:.3g} "
               f"(α < {lim.momentum_limit:.4g}); at {rate:g} " + said(decayed(theory, limit), "momentum", mom_ok,
                                                                      mom_past))
    out.append("Why momentum tolerates larger steps: its velocity adds up past gradients, each weighted by β. "
               "Across the valley a zigzagging ball's gradient flips sign every step, so those contributions "
               "mostly cancel and the back-and-forth is damped; along a steady slope they add up instead, to "
               f"steps up to 1/(1 − β) = {1 / (1 - beta):.3g} times longer." if beta > 0 else
               "With β = 0 momentum remembers nothing: it is gradient descent, with the same limit 2.")
    if noisy and ((gd_ok and blown("gd")) or (mom_ok and blown("momentum"))):
        out.append("These limits are for the full gradient, and do not protect a small batch, whose own basin can "
                   "be much steeper; the noise comes on top, so even a ball that stays in never quite settles unless "
                   "the learning rate decays.")
    elif noisy:
        out.append("These limits are for the full gradient; with mini-batches the noise comes on top, so the "
                   "ball never quite settles unless the learning rate decays.")
    return out


# ---------------------------------------------------------------- RMSProp's and Adam's steps, in words

SMALL_EPS = 0.95     # ε is small next to |dw| when the first step is at least this share of the step without ε
                     # (RMSProp's first step is then about α/√(1 − β₂); exactly, when ε changes none of its digits)


def step_sentences(result: RaceResult, name, settings: RaceSettings):
    """What RMSProp or Adam remembers, and how long its first steps are, in theory and measured on its run.

    RMSProp's s starts at zero and has no bias correction, so after its first update s = (1 − β₂)dw² and the first
    step is α·|dw|/(√(1 − β₂)·|dw| + ε) ≈ α/√(1 − β₂); the steps then shrink toward about α as s fills up. Adam's
    first step is exactly α·|dw|/(|dw| + ε) ≈ α. Both ≈ hold only while ε is small next to |dw|; when it is not
    (say ε = 0.01 and |dw| = 0.02), the sentences say so, with the first step as it is. RMSProp's first step is
    said to be α/√(1 − β₂) only when ε changes none of the digits shown; when it changes them but is still small
    (SMALL_EPS), it is "about" that, with the step as it is.
    """
    alpha, eps = result.alphas[name], settings.opt_eps
    run = result.run(name)
    dw = abs(float(run.dw[1, 0])) if run.steps else 0.0        # the gradient (of a batch) the first update used
    steps = ", ".join(f"{a:.3g}" for a in result.first_steps(name)[0]) or "none"
    measured = f"Measured here, the first steps move w by {steps}."
    sizes = list(result.first_steps(name)[0])
    longer = result.batch_size < result.m and any(b > a for a, b in zip(sizes, sizes[1:], strict=False))
    wobble = (": on the whole, as each batch has its own gradient and a step can be longer than the one before"
              if longer else "")
    if name == "rmsprop":
        beta2 = settings.opt_rms_beta
        c = float(np.sqrt(1 - beta2))
        first = alpha * dw / (c * dw + eps)
        small = first >= SMALL_EPS * alpha / c
        if dw == 0:
            start = "the first step is as long as dw is small"
        elif f"{first:.3g}" == f"{alpha / c:.3g}":            # ε changes none of the digits shown
            start = (f"the first step is α/√(1 − β₂) = {1 / c:.3g}α = {alpha / c:.3g} long (against the sign of dw)")
        elif small:
            start = (f"the first step is about α/√(1 − β₂) = {1 / c:.3g}α = {alpha / c:.3g} long (against the sign "
                     f"of dw): ε = {eps:g} next to √(1 − β₂)·|dw| = {c * dw:.3g} makes it α·|dw|/(√(1 − β₂)·|dw| + ε) "
                     f"= {first:.3g}")
        else:
            start = (f"the first step would be α/√(1 − β₂) = {alpha / c:.3g} long, but here ε = {eps:g} is not small "
                     f"next to √(1 − β₂)·|dw| = {c * dw:.3g}, so it is α·|dw|/(√(1 − β₂)·|dw| + ε) = {first:.3g}")
        return [f"Remembers s, the average squared gradient (β₂ = {beta2:g}), and divides each step by √s + ε. s "
                f"starts at zero and RMSProp does not correct for that, so after one update s is only (1 − β₂)dw²: "
                f"{start}; the next steps shrink as s fills up (over about 1/(1 − β₂) = {round(1 / (1 - beta2)):,} "
                f"steps{wobble}), to about α = {alpha:g} while the gradient keeps its size"
                f"{'' if small else ' and ε is small next to it'}, whatever the curvature or the units of the data. "
                f"{measured}"]
    first = alpha * dw / (dw + eps)
    small = dw > 0 and first >= SMALL_EPS * alpha
    out = [f"Remembers v (the average gradient) and s (the average squared gradient), both corrected for starting at "
           f"zero (v̂, ŝ). Dividing by √ŝ + ε makes each step about α = {alpha:g} long, whatever the curvature or the "
           f"units of the data{'' if small else ', as long as ε is small next to |dw|'}. {measured}"]
    first_words = ("Adam's first step is exactly α·|dw|/(|dw| + ε) ≈ α." if small or dw == 0 else
                   f"Adam's first step is exactly α·|dw|/(|dw| + ε): here ε = {eps:g} is not small next to |dw| = "
                   f"{dw:.3g}, so it is {first:.3g}, not α = {alpha:g}.")
    out.append(f"{first_words} Gradient descent's step α·dw would grow 1000-fold if the feature were measured in units "
               "1000 times smaller; Adam's would not, as long as ε stays small next to |dw|. RMSProp has no bias "
               "correction, so its first steps are longer: α/√(1 − β₂) while ε is small.")
    return out


# ---------------------------------------------------------------- the mini-batches and the decay, in words

ADAPTIVE = ("rmsprop", "adam")          # their steps are about α long, whatever the slope


def batch_sentences(result: RaceResult):
    """What the batch size means for this race: the batches, the epochs and the noise of a batch's gradient."""
    B, m = result.batch_size, result.m
    if B >= m:
        return [f"Batch gradient descent: every step uses all m = {m:,} examples, so the path is smooth. Choose a "
                "smaller batch size to see the noise."]
    sizes = result.epoch_sizes
    short = (f" (the root mean square over an epoch's {len(sizes)} batches: {len(sizes) - 1} of {B:,} and the last "
             f"of only {sizes[-1]:,}, which is noisier)" if sizes[-1] < B else "")
    return [f"Batches of B = {B:,}: one epoch (a pass over all {m:,} examples) is {result.updates_per_epoch:,} "
            f"updates; {result.steps} steps are {result.epochs:.3g} epochs. At the start, a batch's gradient is "
            f"typically {result.noise_std:.3g} away from the full gradient{short}."]


# Each optimiser's name inside a sentence (OPTIMISERS' names begin one).
IN_TEXT = {"gd": "gradient descent", "momentum": "momentum", "rmsprop": "RMSProp", "adam": "Adam"}


def _and(words):
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def decay_sentences(result: RaceResult):
    """What the learning-rate decay does in this race: how much α shrinks by the last step, and, measured against
    the same race without decay, which runs it brings closer to the bottom (or lower J, without one) and which it
    stops short, over their last SETTLE_WINDOW points. [] without decay."""
    if result.decay <= 0:
        return []
    ratio = result.last_rate_ratio
    if result.batch_size >= result.m:
        out = ["With every example in each step, each step is an epoch, so α shrinks every step: the last step uses "
               f"{ratio:.2g} times the first α."]
    else:
        out = [f"With the learning-rate decay, α shrinks every epoch: the last steps use {ratio:.2g} times the "
               "first α."]
    finite = result.limits.minimum.finite

    def measure(run):                   # the mean distance from the bottom (or J) over the run's last points
        values = result.distances(run) if finite else run.cost
        return float(np.mean(values[-SETTLE_WINDOW:]))

    groups = {}                         # (adaptive, closer) -> [(name, with decay, without)]
    saved, arrived = [], []
    for name in result.race.names:
        run, plain = result.run(name), result.undecayed_run(name)
        if plain.status == "converged" and run.status == "converged":
            arrived.append(name)
            continue
        if run.status == "diverged":
            continue
        if plain.status == "diverged":
            saved.append(name)
            continue
        a, b = measure(run), measure(plain)
        groups.setdefault((name in ADAPTIVE, a < b), []).append((name, a, b))
    noisy = result.batch_size < result.m
    reasons = {                         # why, in words that hold for the runs they are said of
        (False, True): ("the steps shrink, and with them the wobble" if noisy else
                        "the shorter steps carry the ball less far past the bottom") if finite else "",
        (False, False): "the shrinking steps slowed the ball, so it got less far in the same steps",
        (True, True): ("{its} steps are about α long, so a shrinking α shortens them, and with them the "
                       + ("wobble" if noisy else "swings around the bottom")) if finite else "",
        (True, False): "{its} steps are about α long whatever the slope, so a shrinking α stops {it} short",
    }
    for key, runs in sorted(groups.items()):
        names = [n for n, _, _ in runs]
        one = len(runs) == 1
        if finite:
            where = "closer to the bottom" if key[1] else "further from the bottom"
            numbers = (f"{_and(f'{a:.3g}' for _, a, _ in runs)} from it, against "
                       f"{_and(f'{b:.3g}' for _, _, b in runs)} without")
        else:
            where = "at a lower J" if key[1] else "at a higher J"
            numbers = (f"J = {_and(f'{a:.3g}' for _, a, _ in runs)}, against "
                       f"{_and(f'{b:.3g}' for _, _, b in runs)} without")
        reason = reasons[key].format(its="its" if one else "their", it="it" if one else "them")
        out.append(f"Against the same race without decay, {_and(IN_TEXT[n] for n in names)} "
                   f"{'ends' if one else 'end'} {where} with it (on average over the last {SETTLE_WINDOW} points, "
                   f"{numbers})" + (f": {reason}." if reason else "."))
    if saved:
        out.append(f"Without the decay {_and(IN_TEXT[n] for n in saved)} {'blows' if len(saved) == 1 else 'blow'} "
                   "up; with it, not.")
    if arrived:
        out.append(f"With the decay and without it, {_and(IN_TEXT[n] for n in arrived)} "
                   f"{'converges' if len(arrived) == 1 else 'converge'}.")
    return out
