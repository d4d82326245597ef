"""The Cost basin page's logic: settings, learning rates from curvature, precomputed runs, axis ranges.

A 1-feature dataset gives a neuron exactly two parameters, w and b, so its cost J(w, b) is a surface we can draw
and gradient descent is a ball rolling on it. Everything the page shows is computed here, in numpy:

- the settings (BasinParams), mirrored in the URL;
- the learning-rate ladder: fixed log-spaced rates from 1e-4 to 100 plus three presets read off the curvature
  of J (smooth α = 0.5/λ_max, oscillating 1.8/λ_max, too large 2.6/λ_max; the oscillating one sits at |1 − αλ_max| = 0.8
  so its zigzag is slow enough to see). λ_max is measured at the bottom, but the ball meets other curvatures on
  its way, so each preset is then checked by running it (core.lessons.behaviour): if its run does not do what its name
  says within the shown steps, the next multiple of 1/λ_max in the same regime is tried (tune_presets), and when
  none does, the page says so;
- a default start point per data set, across the valley from the bottom, so every regime has room to show;
- one gradient-descent run per rate on the ladder, so the page can switch rates without recomputing;
- axis ranges that contain the minimum and the start point.
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass

import numpy as np

from core.data.datasets import ONE_FEATURE_SETS, is_separable, one_feature
from core.data.owndata import OWN
from core.lessons import behaviour as bh
from core.lessons.race import RaceSettings
from core.maths import surfaces
from core.maths.logistic import Trajectory, descend_rates
from core.maths.surfaces import Minimum, Regimes, find_minimum, hessian, is_edge, regime_of, regimes, tie_value
from core.params import setting

# Where the page starts the ball when a link gives no start: below the bottom of the data's log-loss basin
# (b lower by START_BELOW), rounded to the half. See default_start.
START_BELOW = 2.5

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
# The page's runs stop as converged when ‖(dw, db)‖ < STOP_TOL ("the gradient is zero to 9 decimals"): tighter
# than the race's and the Losses page's 10⁻⁷ (core.maths.logistic.TOL), so that 'settled' is read off a run
# that has really arrived; each page's sentence names its own threshold.
STOP_TOL = 1e-9
# α = factor / λ_max; the tokens in links spell "too large" with a hyphen
PRESET_FACTORS = {name.replace(" ", "-"): factor for name, factor in surfaces.PRESET_FACTORS.items()}
ALPHA_TOKENS = tuple(f"{a:g}" for a in LADDER) + PRESETS
LAMBDAS = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
GRIDS = (30, 40, 60, 80, 100)
MAX_RACE = 4
DEFAULT_RACE = "0.1,smooth,oscillating,too-large"


@dataclass(frozen=True)
class BasinParams(RaceSettings):
    """Every setting of the Cost basin page; field names are widget keys and URL keys (the optimiser race's
    settings, opt_*, come from core.lessons.race.RaceSettings)."""

    dataset: str = setting("overlap", choices=(*ONE_FEATURE_SETS, OWN))   # OWN: the session's own data (ui/owndata.py)
    seed: int = setting(0, lo=0, hi=9999)
    neuron: str = setting("logistic", choices=tuple(NEURONS))
    lambd: float = setting(0.0, lo=0.0, hi=100.0)
    alpha: str = setting("smooth", choices=ALPHA_TOKENS)
    w0: float = setting(2.0, lo=-10.0, hi=10.0)      # the default data's default_start; other data have their own
    b0: float = setting(-2.5, lo=-10.0, hi=10.0)
    steps: int = setting(60, lo=10, hi=150)
    grid: int = setting(60, lo=30, hi=100)
    race: str = setting("")          # "" = one ball; else up to 4 comma-separated rates from ALPHA_TOKENS

    @property
    def activation(self):
        return NEURONS[self.neuron][0]

    @property
    def loss(self):
        return NEURONS[self.neuron][1]


def with_start(p: BasinParams, query, start):
    """The settings with the data's default start (w0, b0) in place of any start coordinate the link leaves out."""
    missing = {k: v for k, v in zip(("w0", "b0"), start, strict=True) if k not in query}
    return dataclasses.replace(p, **missing) if missing else p


def link_query(p: BasinParams, start):
    """p.to_query(), with the start point written exactly when it is not the data's default start."""
    q = {k: v for k, v in p.to_query().items() if k not in ("w0", "b0")}
    if (p.w0, p.b0) != tuple(start):
        q.update(w0=f"{p.w0:.4g}", b0=f"{p.b0:.4g}")
    return q


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
    """Where the learning-rate thresholds come from: core.maths.surfaces.Regimes (λ_max, 1/λ_max, 2/λ_max and the
    regime of an α) plus the point whose Hessian gave them.

    minimum : Minimum           (finite=False on separable data without λ)
    at : {"minimum", "start"}   the point whose Hessian gave λ_max
    """

    minimum: Minimum | None = None
    at: str = "minimum"
    direction: tuple = (0.0, 1.0)      # v: top eigenvector of the Hessian there, (w, b): across the valley
    penalty: float = 0.0               # λ/m, the curvature the L2 penalty adds along w
    factors: tuple = ()                # (preset, factor) pairs chosen by tune_presets; else PRESET_FACTORS
    failed: tuple = ()                 # presets whose run does not behave as named (after tune_presets)
    # what each failed preset's candidates did (tune_presets): (preset, ((factor, kind, reversals), ...)) pairs
    tried: tuple = ()
    # the data (x, y), kept by tune_presets so that a sentence can count the examples on the wrong side
    examples: tuple = dataclasses.field(default=(), compare=False, repr=False)

    def factor(self, name):
        """α·λ_max of a preset."""
        return dict(self.factors).get(name, PRESET_FACTORS[name])

    def rates(self):
        """{token: α} for every token on the ladder, presets included."""
        out = {f"{a:g}": a for a in LADDER}
        out.update({name: self.factor(name) / self.lam_max for name in PRESET_FACTORS})
        return out

    def bottom(self):
        """(w, b) of the finite minimum, or None."""
        mn = self.minimum
        return (mn.w.item(), mn.b) if mn is not None and mn.finite else None

    def regime(self, alpha):
        """{"smooth", "oscillating", "too large"} from α·λ_max (the (1 − αλ) contraction)."""
        return self.classify(alpha)

    def wrong_side(self, w, b):
        """How many examples the boundary of (w, b) puts on the wrong side or on it ((2y − 1)(w·x + b) ≤ 0), and
        how many there are: (count, m); None when this curvature does not carry the data (tune_presets adds them)."""
        if not self.examples:
            return None
        x, y = (np.asarray(a, float).ravel() for a in self.examples)
        return int(np.sum((2 * y - 1) * (w * x + b) <= 0)), int(y.size)


def curvature(x, y, activation, loss, lambd, w0, b0):
    """λ_max of the Hessian of J at the minimum, or at the start point when there is no finite minimum."""
    minimum = find_minimum(x, y, activation, loss, lambd)
    if minimum.finite:
        at, w, b = "minimum", minimum.w, minimum.b
    else:
        at, w, b = "start", np.array([[float(w0)]]), float(b0)
    H = hessian(w, b, x, y, activation, loss, lambd)
    reg = regimes(H)
    v = np.linalg.eigh(H)[1][:, -1]
    v = v if v[np.argmax(np.abs(v))] > 0 else -v              # a fixed sign, so the direction is reproducible
    return Curvature(minimum=minimum, at=at, lam_max=reg.lam_max, lam_min=reg.lam_min,
                     direction=(float(v[0]), float(v[1])), penalty=float(lambd) / x.shape[1])


def neuron_of(loss):
    return "logistic" if loss == "log" else "linear"


def run_behaviour(t: Trajectory, curv: Curvature):
    """What the run did (core.lessons.behaviour.Behaviour), measured against this curvature's bottom and valley."""
    return bh.of_trajectory(t, curv.direction, curv.bottom())


def tune_presets(x, y, activation, loss, lambd, w0, b0, steps, curv: Curvature):
    """The curvature with each preset's α checked by running it from (w0, b0) for `steps` updates.

    For each preset the multiples of 1/λ_max in core.lessons.behaviour.CANDIDATE_FACTORS are tried in order; the first
    whose run behaves as named is kept. When none does, the preset keeps its usual factor and is listed in
    `failed`, with what each of its candidates did in `tried` (so the page can say why this regime does not show
    here). Without a finite minimum nothing can settle or bounce around a bottom, so every preset is listed as
    failed. The curvature also keeps the data (`examples`), for the sentences that count examples.
    """
    neuron = neuron_of(loss)
    if curv.bottom() is None:
        return dataclasses.replace(curv, failed=PRESETS, examples=(x, y))
    # Round r runs the r-th candidate of every preset still looking, all in one pass (descend_rates).
    found, tried, seen = {}, 0, {n: [] for n in PRESETS}
    while True:
        looking = [n for n in PRESETS if n not in found and tried < len(bh.CANDIDATE_FACTORS[n])]
        if not looking:
            break
        factors = [bh.CANDIDATE_FACTORS[n][tried] for n in looking]
        runs = descend_rates(np.array([[float(w0)]]), float(b0), x, y, [f / curv.lam_max for f in factors],
                             int(steps), activation, loss, lambd, tol=STOP_TOL)
        for name, f, t in zip(looking, factors, runs, strict=True):
            b = run_behaviour(t, curv)
            seen[name].append((f, b.kind, b.reversals))
            if bh.behaves_as(name, neuron, b.kind):
                found[name] = f
        tried += 1
    chosen = tuple((n, found[n]) for n in PRESETS if n in found)
    failed = tuple(n for n in PRESETS if n not in found)
    return dataclasses.replace(curv, factors=chosen, failed=failed, tried=tuple((n, tuple(seen[n])) for n in failed),
                               examples=(x, y))


def suggest_start(x, y, activation, loss, lambd, steps, curv: Curvature):
    """A start from which the oscillating preset does zigzag visibly and settle, or None: START_BELOW under
    this bottom (this λ's, not the default start's), rounded to the half, checked by running the candidates."""
    bottom = curv.bottom()
    if bottom is None:
        return None
    w0, b0 = (float(np.clip(round(2 * v) / 2, -10.0, 10.0)) for v in (bottom[0], bottom[1] - START_BELOW))
    here = curvature(x, y, activation, loss, lambd, w0, b0)
    tuned = tune_presets(x, y, activation, loss, lambd, w0, b0, steps, here)
    return (w0, b0) if "oscillating" not in tuned.failed else None


def default_start(x, y):
    """(w0, b0) where the page starts the ball on these data: START_BELOW under the bottom of the logistic
    log-loss basin (with λ = 1 when the classes are separable, which have no bottom without it), rounded to
    the half and kept in [-10, 10].

    Why there: from far away (say w = −3) the logistic ball first crosses flat, saturated ground where αλ < 1,
    loses all its motion across the valley, and then slides in along the valley floor with nothing left to
    overshoot, so no zigzag can show. Starting across the valley (the steep direction at the bottom is mostly
    b) gives every regime room to show: a smooth roll, a zigzag, a bounce.
    """
    lambd = 1.0 if is_separable(x, y) or tie_value(x, y) is not None else 0.0    # no bottom without λ
    mn = find_minimum(x, y, "sigmoid", "log", lambd)
    w0, b0 = mn.w.item(), mn.b - START_BELOW
    return tuple(float(np.clip(round(2 * v) / 2, -10.0, 10.0)) for v in (w0, b0))


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
    alphas = [float(rates[token]) for token in tokens]
    trajs = descend_rates(np.array([[float(w0)]]), float(b0), x, y, alphas, int(steps), activation, loss, lambd,
                          tol=STOP_TOL)                               # every rate in one pass over the steps
    n = int(steps) + 1
    W, B, J = (np.empty((len(trajs), n)) for _ in range(3))
    for k, t in enumerate(trajs):
        for out, values in ((W, t.w[:, 0]), (B, t.b), (J, t.cost)):
            out[k, :values.size] = values
            out[k, values.size:] = values[-1]
    return Runs(tokens=tuple(tokens), alphas=np.array(alphas), W=W, B=B, J=J, trajectories=tuple(trajs))


# The most steps the page shows (the steps slider's end): there "show more steps" cannot be followed.
MAX_STEPS = next(f.metadata["hi"] for f in dataclasses.fields(BasinParams) if f.name == "steps")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def num(value, spec=".3g"):
    """A number as the page writes it: a real minus sign (−8.82, not -8.82), no "−0", and a small number in plain
    decimals (0.000097, not 9.7e-05).

    >>> num(-8.8249), num(-0.0), num(9.7e-05, ".2g"), num(2.5, "g")
    ('−8.82', '0', '0.000097', '2.5')
    """
    text = f"{float(value) + 0.0:{spec}}"
    if "e-" in text and spec.endswith("g"):
        digits = int(spec[1:-1] or 6)
        text = f"{float(value):.{digits - 1 - int(np.floor(np.log10(abs(float(value)))))}f}"
    return text.replace("-", "−")


def ratio_text(al):
    """α·λ_max to 3 significant digits ("0.0049", "1.8", "2.11"), more when 3 would read as the threshold 1 or
    2 that it is not (1.9996 is not "2": the page says what happens below 2)."""
    for digits in range(3, 10):
        text = f"{al:.{digits}g}"
        if float(text) not in (1.0, 2.0) or is_edge(al, float(text)):
            break
    return num(al, f".{digits}g")


def more_steps(steps, al, curv: Curvature):
    """What to try when the run has not ended within its `steps`: more steps, or, at the slider's end (MAX_STEPS),
    another α: a larger one below 1/λ_max, one nearer 1/λ_max between 1/λ_max and 2/λ_max, one below 2/λ_max above."""
    if steps < MAX_STEPS:
        return "Show more steps to see where it ends."
    most = f"{steps} steps are the most this page shows:"
    if al < 1:
        return f"{most} a larger α, up to 1/λ_max = {num(1 / curv.lam_max)}, gets there in fewer steps."
    if al < 2:
        return (f"{most} an α nearer 1/λ_max = {num(1 / curv.lam_max)} makes each overshoot smaller, so the zigzag "
                "dies out in fewer steps.")
    return f"{most} below 2/λ_max = {num(curv.critical)} the ball can settle."


def _unstable(al):
    """The caveat for a ball at rest at a bottom that α cannot hold (α·λ_max above 2), or ""."""
    if regime_of(al) != "too large" or is_edge(al, 2):
        return ""
    return (" But αλ_max is above 2, so the bottom cannot hold it: near it each overshoot is larger than the last, "
            "and with more steps the smallest offset across the valley grows until the ball is thrown out again.")


def _rolls_off(t: Trajectory, b, curv: Curvature):
    """The sentence for a run on data with no finite minimum (behaviour kind "rolls off")."""
    stopped = (f", and the run stopped at step {t.steps} because the gradient fell below 10⁻⁹, not because it found "
               "a bottom" if t.status == "converged" else "")
    if b.flung:
        w1, b1 = t.w[1, 0], t.b[1]
        text = (f"One step flung the ball to w = {num(w1)}, b = {num(b1)}; there is no minimum to converge to "
                "(no finite minimum).")
        later, rest = b.travelled - b.first_jump, b.steps - 1
        wrong = curv.wrong_side(w1, b1)
        if wrong is not None and wrong[0] == 0 and later <= 0.2 * b.first_jump:
            return (text[:-1] + f". Out there every example is on the right side with room to spare, so "
                    f"J = {num(t.cost[1], '.2g')} and the slope is almost zero: the ball barely moves again"
                    + stopped + ".")
        there = ("" if wrong is None else
                 f" There {wrong[0]} of the {wrong[1]} examples are still on the wrong side, so J = "
                 f"{num(t.cost[1], '.2g')} and the slope is not zero." if wrong[0] else
                 f" There every example is on the right side, yet J = {num(t.cost[1], '.2g')} and the slope is not "
                 "zero.")
        then = ("" if rest < 1 else
                f" In the next {rest} step{'s' if rest != 1 else ''} the ball moves another {num(later, '.2g')} "
                f"(in w and b), to w = {num(b.final_w)}, b = {num(b.final_b)} (J = {num(b.final_J)})")
        return text + there + then + (stopped + "." if then else "")
    where = f"w = {num(b.final_w)}, b = {num(b.final_b)} (J = {num(b.final_J)})"
    if t.status == "converged":
        return (f"The ball rolled to {where}, where the run stopped at step {t.steps} because the gradient fell "
                "below 10⁻⁹: there is no finite minimum, so it did not find a bottom; far out the slope is almost "
                "zero.")
    outwards = len(t.b) > 1 and np.hypot(t.w[-1, 0], t.b[-1]) > np.hypot(t.w[-2, 0], t.b[-2])
    return (f"After {b.steps} steps the ball has rolled to {where} and is still rolling "
            f"{'outwards' if outwards else 'down'}: there is no finite minimum, so there is nowhere to settle.")


def run_message(t: Trajectory, alpha, curv: Curvature, loss):
    """One or two plain sentences on what the ball did at this α within the shown steps.

    Every sentence is read off the run itself (core.lessons.behaviour), then explained with αλ_max; nothing is said
    from the name of the preset alone.
    """
    b = run_behaviour(t, curv)
    al = alpha * curv.lam_max
    ratio = f"αλ_max = {ratio_text(al)}"
    if b.kind == "rolls off":
        return _rolls_off(t, b, curv)
    if b.kind == "diverges":
        grows = abs(1 - alpha * curv.penalty) > 1      # the penalty's factor on w where the data no longer pull
        if t.status == "diverged":
            text = (f"Diverged at step {t.diverged_at}: each step overshoots further than the last ({ratio}"
                    f"{', above 2' if al > 2 else ''}), so the run was stopped before the numbers overflow.")
        else:
            text = (f"The ball is moving away from the bottom: {num(b.distance)} away after {b.steps} steps, further "
                    f"than at any step before (it started {num(b.start_distance)} away).")
            if loss != "log" and regime_of(al) == "too large":
                text += (f" {ratio} is above 2, so each overshoot is bigger than the last, and with more steps the "
                         "numbers would blow up.")
            elif loss == "log" and not grows:
                text += (f" Log-loss has a bounded slope, so each step moves the ball a bounded distance and the "
                         f"numbers cannot blow up ({ratio}): with more steps it may be thrown further out or "
                         "come back.")
        if loss == "log" and grows:
            text += (" Log-loss alone has a bounded slope, but the penalty λ/(2m)·w² does not: where the data "
                     f"no longer pull, each step multiplies w by 1 − αλ/m = {num(1 - alpha * curv.penalty, '.2f')}, "
                     "more than 1 in size.")
        return text
    if b.kind == "bounces":
        text = (f"Still bouncing at step {b.steps} (J = {num(b.final_J, '.4g')}, {b.reversals} reversals across the "
                "valley)")
        if regime_of(al) != "too large":
            shrink = abs(1 - al)
            if shrink > 0.8:
                why = "that is close to 1, so the zigzag dies out slowly."
            elif loss == "squared":      # the linear neuron's J is an exact bowl: the factor holds everywhere
                why = (f"J is an exact bowl here, so after {b.steps} steps {shrink:.2f}"
                       f"{str(b.steps).translate(SUPERSCRIPT)} ≈ {shrink ** b.steps:.2g} of the start's offset "
                       "along that direction is left, more than the 5% of a ball at rest.")
            else:
                why = "the ball is not near the bottom yet, and J curves differently where it is."
            if al < 1:       # near the bottom such a ball would not overshoot at all
                return text + (f": {ratio} is below 1, so near the bottom the ball would not overshoot at all; it "
                               "bounces because it is not near the bottom yet, and J curves differently where it "
                               f"is. {more_steps(b.steps, al, curv)}")
            return text + (f": {ratio} is below 2, so near the bottom each overshoot is smaller than the last, by "
                           f"the factor |1 − αλ_max| = {shrink:.2f}; {why} {more_steps(b.steps, al, curv)}")
        text += (f": α is at 2/λ_max ({ratio}), so near the bottom each overshoot is as large as the last, and the "
                 "ball bounces across the basin for ever." if is_edge(al, 2) else
                 f": α is above 2/λ_max ({ratio}), so the ball overshoots the bottom and bounces across the basin.")
        if loss == "log" and curv.penalty == 0:
            text += " Log-loss has a bounded gradient (|∂J/∂b| ≤ 1), so it bounces without blowing up."
        elif loss == "log":
            text += (" Log-loss has a bounded gradient (|∂J/∂b| ≤ 1); the penalty's slope (λ/m)·w is not "
                     f"bounded, but αλ/m = {alpha * curv.penalty:.2f} is at most 2, so it bounces without "
                     "blowing up.")
        return text
    if b.kind in ("rolling", "thrown"):
        where = (f"{num(b.distance, '.2g')} from the bottom (a distance in w and b), at J = {num(b.final_J, '.4g')} "
                 f"against the bottom's {num(curv.minimum.cost, '.4g')}")
        if b.kind == "rolling" and b.flung:       # J fell, but the first step threw the ball far from the bottom
            d1 = float(np.hypot(t.w[1, 0] - curv.bottom()[0], t.b[1] - curv.bottom()[1]))
            return (f"The first step flung the ball {num(d1, '.2g')} from the bottom (it started "
                    f"{num(b.start_distance, '.2g')} away), yet J fell: out there the basin is lower than where it "
                    f"started. Since then it has been rolling back: after {b.steps} steps it is {where} ({ratio}). "
                    + more_steps(b.steps, al, curv))
        if b.kind == "rolling":
            return (f"After {b.steps} steps the ball is still on its way down: {where} ({ratio}). "
                    + more_steps(b.steps, al, curv))
        text = f"After {b.steps} steps the ball is {where}"
        if b.rises:
            J = t.cost[:b.steps + 1]
            peak = float(np.max(J[1:][np.diff(J) > 1e-12 * np.maximum(1.0, np.abs(J[:-1]))]))
            text += (f", but it did not roll straight down: J rose at {b.rises} of the steps, up to {num(peak)}, "
                     f"{'each time' if b.rises > 1 else 'when'} the ball was thrown past the bottom and up the other "
                     f"side ({ratio}).")
        else:
            text += f" ({ratio})."
        d = np.hypot(t.w[:b.steps + 1, 0] - curv.bottom()[0], t.b[:b.steps + 1] - curv.bottom()[1])
        if b.leaving and b.closest < b.steps and d[-1] > d[b.closest]:
            text += (f" It came within {num(d[b.closest], '.2g')} of the bottom at step {b.closest} and has moved away "
                     f"since, to {num(d[-1], '.2g')}"
                     + (": near the bottom each overshoot is larger than the last (αλ_max is above 2), so the bottom "
                        "cannot hold it." if regime_of(al) == "too large" and not is_edge(al, 2) else "."))
        return text + " " + more_steps(b.steps, al, curv)
    if t.status == "converged":
        text = (f"Converged after {t.steps} step{'s' if t.steps != 1 else ''} (the gradient is zero to 9 decimals) "
                f"at J = {num(b.final_J, '.4g')}")
    else:
        text = f"Settled at the bottom within {b.steps} steps (J = {num(b.final_J, '.4g')})"
    if b.kind == "smooth":
        if is_edge(al, 1):
            return text + (f": J fell at every step ({ratio}, which is 1: along the steepest direction one step "
                           "lands exactly on the bottom).")
        if b.reversals:      # J fell all the way, yet the ball crossed the valley floor on its way
            times = ("once", "twice", "three times")[b.reversals - 1]
            return text + (f": J fell at every step, though the ball overshot across the valley {times} on its way "
                           + (f"down ({ratio}, below 1, is measured at the bottom, where no step overshoots; the "
                              "ball crossed steeper ground on its way)." if al < 1 else f"down ({ratio}).")
                           ) + _unstable(al)
        return text + (f": J fell at every step, with no overshoot worth the name ({ratio}, below 1)." if al < 1 else
                       f": J fell at every step ({ratio}).") + _unstable(al)
    if b.kind == "zigzags":
        why = ("between 1 and 2: near the bottom each step overshoots it, but by less each time"
               if 1 <= al < 2 else "measured at the bottom; the ball crossed steeper ground on its way")
        swings = "each smaller than the last" if b.shrinking else "dying out"
        closer = "; closer in it still turns back at every step, by less" if 1 <= al < 2 else ""
        return text + (f", after a zigzag: {b.reversals} reversals across the valley by steps you can see (at "
                       f"least {bh.VISIBLE:g} along it{closer}), {swings} ({ratio}, {why}).") + _unstable(al)
    # "settles": J rose on the way, yet too few reversals to see a zigzag
    turns = ("yet the ball never turned back across the valley by a step you can see" if b.reversals == 0 else
             "where the ball overshot the bottom, but it turned back across the valley only "
             f"{('once', 'twice')[b.reversals - 1] if b.reversals < 3 else f'{b.reversals} times'}, too few for a "
             f"zigzag you can see ({bh.MIN_ZIGZAG} or more)")
    return text + f"; J rose at {b.rises} of the steps on the way, {turns} ({ratio})." + _unstable(al)


def _reversals_text(lo, hi):
    """'no reversals', '1 reversal', 'at most 3 reversals', '2 to 5 reversals'."""
    count = "no" if hi == 0 else f"{hi}" if lo == hi else f"at most {hi}" if lo == 0 else f"{lo} to {hi}"
    return f"{count} reversal{'' if hi == 1 else 's'}"


def _what_they_did(runs, steps):
    """What a failed preset's candidate runs did ((factor, kind, reversals) each), as phrases with counts:
    {outcome: phrase} for the outcomes that occur: "settled" (at rest, no zigzag you can see: kinds "smooth" and
    "settles"), "zigzags", "bounces", "rolling", "thrown" and "diverges"."""
    n = len(runs)
    groups = {}
    for _factor, kind, rev in runs:
        groups.setdefault("settled" if kind in ("smooth", "settles") else kind, []).append(rev)
    out = {}
    for key, revs in groups.items():
        one = len(revs) == 1 or len(revs) == n                  # "every one is", "1 of the 11 is"; "3 of the 11 are"
        who = "every one" if len(revs) == n else f"{len(revs)} of the {n}"
        is_, was, its, has, s = ("is", "was", "its", "has", "s") if one else ("are", "were", "their", "have", "")
        rev = _reversals_text(min(revs), max(revs))
        out[key] = {
            "settled": f"{who} come{s} to rest with {rev}",
            "zigzags": f"{who} zigzag{s} ({rev}) on {its} way to rest",
            "bounces": f"{who} {is_} still bouncing at step {steps} ({rev} so far): {its} zigzag{'' if one else 's'} "
                       f"{has} not died out yet",
            "rolling": f"{who} {is_} still on {its} way down at step {steps}",
            "thrown": f"{who} {was} thrown past the bottom and {is_} still on {its} way back at step {steps}",
            "diverges": f"{who} blow{s} up",
        }[key]
    return out


def preset_notes(curv: Curvature, steps, neuron, suggestion=None):
    """Plain sentences for the presets that cannot behave as named here (see tune_presets), each with the reason
    read off what its candidate rates did (Curvature.tried); `suggestion` is a start point from which the
    oscillating preset does behave (suggest_start), or None."""
    if curv.bottom() is None:
        return ["With no bottom, no learning rate can make the ball settle, zigzag down to a bottom or bounce "
                "around one: \"smooth\", \"oscillating\" and \"too large\" cannot happen on these data. The "
                "presets only show how fast the ball rolls off. Raise λ to give the basin a bottom."]
    lo_hi = {name: (min(f), max(f)) for name, f in bh.CANDIDATE_FACTORS.items()}
    tried = dict(curv.tried)
    at_most = steps >= MAX_STEPS
    notes = []
    for name in curv.failed:
        lo, hi = lo_hi[name]
        tried_range = f"from {lo:g}/λ_max to {hi:g}/λ_max"
        did = _what_they_did(tried.get(name, ()), steps)
        keeps = f"\"{name.replace('-', ' ')}\" keeps {PRESET_FACTORS[name]:g}/λ_max."
        advice = ""                                  # more steps would show where the runs on their way end
        if {"rolling", "bounces", "thrown"} & set(did):
            advice = (" Show more steps." if not at_most else f" {steps} steps are the most this page shows"
                      + (": a start nearer the bottom leaves less of the way to roll." if "rolling" in did else "."))
        if name == "smooth":
            if "settled" in did:      # at rest with no zigzag, yet not "smooth": J rose on the way
                did["settled"] = did["settled"].replace(" to rest with", " to rest, but J rose on the way, with")
            reason = "; ".join(did[k] for k in ("rolling", "settled", "zigzags", "thrown", "bounces", "diverges")
                               if k in did)
            notes.append(f"No rate below 1/λ_max ({tried_range}) brings the ball to rest within {steps} steps from "
                         f"this start without J ever rising" + (f": {reason}." if reason else ".")
                         + f" {keeps}{advice}")
        elif name == "oscillating":
            if did and set(did) == {"settled"}:
                reason = (did["settled"] + f", fewer than {bh.MIN_ZIGZAG}: the ball comes in along the gentle "
                          "direction of the valley, with little to overshoot across it.")
            else:
                reason = "; ".join(did[k] for k in ("bounces", "thrown", "rolling", "settled", "zigzags",
                                                    "diverges") if k in did) + "."
            start = (f" From the start (w₀, b₀) = ({num(suggestion[0], 'g')}, {num(suggestion[1], 'g')}), below "
                     "this bottom, it does zigzag." if suggestion else "")
            notes.append(f"No rate between 1/λ_max and 2/λ_max ({tried_range}) shows a zigzag you can see "
                         f"({bh.MIN_ZIGZAG} or more reversals) that still settles within {steps} steps from this "
                         f"start" + (f": {reason}" if did else ".") + f" {keeps}{advice}{start}")
        elif neuron == "logistic":
            parts = {"settled": " (the unstable direction grows from almost nothing)",
                     "zigzags": " (the unstable direction grows from almost nothing)",
                     "diverges": " (with a large λ the penalty λ/(2m)·w² is a bowl of its own, and α is above its "
                                 "limit)",
                     "rolling": ", not yet at the bottom to bounce around it"}
            reason = "; ".join(did[k] + parts.get(k, "") for k in ("settled", "zigzags", "diverges", "rolling",
                                                                    "thrown") if k in did)
            notes.append(f"No rate above 2/λ_max ({tried_range}) keeps the ball bouncing to step {steps} from this "
                         "start" + (f": {reason}." if reason else ".") + f" {keeps}{advice}")
        else:
            reason = "; ".join(did[k] for k in ("settled", "zigzags", "bounces", "rolling", "thrown") if k in did)
            advice = (" Show more steps." if not at_most else
                      f" {steps} steps are the most this page shows: a larger α makes it fly off sooner.")
            notes.append(f"No rate above 2/λ_max ({tried_range}) makes the ball fly off within {steps} steps from "
                         "this start" + (f": {reason}." if reason else ".") + f" {keeps}{advice}")
    return notes


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


def off_map(t: Trajectory, box):
    """The steps at which the ball is outside box = (w_lo, w_hi, b_lo, b_hi), the drawn map: ndarray of ints."""
    w, b = t.w[:, 0], t.b
    return np.flatnonzero(~((w >= box[0]) & (w <= box[1]) & (b >= box[2]) & (b <= box[3])))


def map_sentence(t: Trajectory, box):
    """One sentence when the ball leaves the drawn map (the map holds the runs that stay near the start and the
    bottom, basin_box, so one that flies off vanishes from the 3D basin and the top view): when, where, and where it
    can still be followed; "" when it stays on the map.

    >>> t = Trajectory(w=np.array([[0.0], [1.0], [9.0]]), b=np.array([0.0, 0.5, -2.0]), cost=np.ones(3),
    ...                dw=np.zeros((3, 1)), db=np.zeros(3), status="max_steps", steps=2)
    >>> map_sentence(t, (-4.0, 4.0, -4.0, 4.0))[:70]
    'The ball leaves the map at step 2 (w = 9, b = −2; the map shows w from'
    >>> map_sentence(t, (-10.0, 10.0, -4.0, 4.0))
    ''
    """
    out = off_map(t, box)
    if not out.size:
        return ""
    k = int(out[0])

    def f(v):
        return f"{float(v) + 0.0:.3g}".replace("-", "−")         # + 0.0: no "−0" for a bound of −0.0
    where = (f"(w = {f(t.w[k, 0])}, b = {f(t.b[k])}; the map shows w from {f(box[0])} to {f(box[1])} and b from "
             f"{f(box[2])} to {f(box[3])}, around the start, the bottom and the runs that stay near them)")
    if out.size == len(t.b) - k:          # off from step k to the end
        return f"The ball leaves the map at step {k} {where}: from there only the cost panel follows it."
    if out.size == 1:
        return (f"The ball is off the map at step {k} only {where}: there the ball and its trail are missing, and "
                "the cost panel shows every step.")
    return (f"The ball is off the map at {out.size} of the {len(t.b) - 1} steps, first at step {k} {where}: there "
            "the ball and its trail are missing, and the cost panel shows every step.")


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


# Where a data set named "own-<content hash>" comes from: set by the page's session layer (ui/owndata.py), which
# keeps the student's own data in their browser session only; None (no such data sets) outside the page.
own_loader = None


def load(dataset, seed):
    """The dataset as (x (1, m), y (1, m), OneFeature); raises InputError for unknown names."""
    if own_loader is not None and str(dataset).startswith(OWN + "-"):
        return own_loader(dataset)
    d = one_feature(dataset, seed)
    return d.x, d.y, d


def preset_caveat(token, curv: Curvature):
    """"" or why a named rate cannot live up to its name here (tune_presets listed it as failed): the data have
    no bottom, or the regime does not show from this start."""
    if token not in curv.failed:
        return ""
    return "cannot happen here" if curv.bottom() is None else "not from this start"


def preset_rate_text(alpha):
    """A named rate's α to 3 significant digits, or more when 3 would read as a rate of the ladder beside it
    (1.004 is not "1": the slider shows both, one notch apart)."""
    for digits in range(3, 8):
        text = f"{alpha:.{digits}g}"
        if float(text) not in LADDER or float(text) == alpha:
            return text
    return text


def rate_label(token, curv: Curvature):
    """How a rate is shown on the slider: "0.03", or "smooth (4.12)" for a preset, with its caveat if it has one
    ("smooth (8.55, cannot happen here)")."""
    if token in PRESET_FACTORS:
        caveat = preset_caveat(token, curv)
        return f"{token.replace('-', ' ')} ({preset_rate_text(curv.rates()[token])}{', ' + caveat if caveat else ''})"
    return token


def lam_max_caption(bottom: bool) -> str:
    """What λ_max is and what the named rates are, beside its formula; `bottom`: whether J has a finite minimum
    (without one λ_max is taken at the start point, and there is no bottom to speak of: the caption spoke of "near
    the bottom" on separable data, beside a warning that the ball rolls outwards forever)."""
    if bottom:
        where, near, along = ("at the minimum", "Near the bottom each step", "along the steepest direction at the "
                              "bottom")
    else:
        where, near, along = ("at the start point (there is no finite minimum)", "Where J curves like that, each "
                              "step", "along the steepest direction at the start")
    return (f"λ_max is the largest eigenvalue of the Hessian of J {where}: how sharply J curves along its steepest "
            f"direction (a curvature of the basin, not the penalty λ). {near} multiplies the distance along "
            "that direction by (1 − αλ_max): it shrinks smoothly for α < 1/λ_max, flips sign but shrinks for "
            "α < 2/λ_max, and grows beyond 2/λ_max. On its way the ball meets other curvatures, so each named rate "
            "(0.5, 1.8 and 2.6 times 1/λ_max to begin with) is checked by running it for the shown steps; if it "
            "does not do what its name says, the next multiple in the same range is used. A reversal is a change "
            f"of direction across the valley ({along}), by steps that each move at least {bh.VISIBLE:g} along it "
            "(in w and b units).")


def legend_label(token, curv: Curvature):
    """A run's name in the figure's legend: "α = 0.03", or "α = 4.12 (smooth)" for a preset, with its caveat."""
    if token in PRESET_FACTORS:
        caveat = preset_caveat(token, curv)
        return (f"α = {preset_rate_text(curv.rates()[token])} "
                f"({token.replace('-', ' ')}{': ' + caveat if caveat else ''})")
    return f"α = {token}"


def regime_words(alpha, curv: Curvature):
    """The regime named beside a run's sentence: the quadratic theory's, said to hold near the bottom ("smooth
    near the bottom": α = 100 on separable data with λ = 0.1 read "(smooth)" beside a first step that threw the
    ball past the bottom and J up to 2.44), "no bottom" without one."""
    return f"{curv.regime(alpha)} near the bottom" if curv.bottom() is not None else "no bottom"


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



# The map frames the start, the minimum and the runs that stay within NEAR times the start's distance from the
# minimum (at least 2): a run thrown further out (on separable data with a small λ the oscillating rate threw the ball
# 50 away, 16 times further than it started) would shrink everything else to a speck, so it may leave the map.
NEAR = 3.0


def basin_box(runs: Runs, curv: Curvature, w0, b0):
    """Axis ranges holding the start, the minimum (if finite) and every run whose α is below 2/λ_max that stays
    near them: within NEAR times the start's distance from the minimum (at least 2 away). Without a finite minimum,
    every such run that its first step does not fling (Behaviour.flung). The runs that fly off, bounce far or are
    thrown far out may leave the map (map_sentence says when)."""
    bottom = curv.bottom()
    reach = NEAR * max(float(np.hypot(w0 - bottom[0], b0 - bottom[1])), 2.0) if bottom is not None else np.inf
    keep = []
    for k, t in enumerate(runs.trajectories):
        if runs.alphas[k] >= curv.critical or (bottom is None and run_behaviour(t, curv).flung):
            continue
        if bottom is None or np.max(np.hypot(runs.W[k] - bottom[0], runs.B[k] - bottom[1])) <= reach:
            keep.append(k)
    w = np.r_[runs.W[keep].ravel(), w0, [bottom[0]] if bottom is not None else []]
    b = np.r_[runs.B[keep].ravel(), b0, [bottom[1]] if bottom is not None else []]
    return axis_ranges(w, b)
