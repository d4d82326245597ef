"""Predict, then check: questions as plain data, and their true answers computed from the runs themselves.

A Question is what a student is asked on a page with given settings: an id, the page (its url_path), the
settings (the page's own URL query parameters, so the same link rebuilds the same experiment), a prompt and
the choices. `check(question)` computes the Verdict (the right choice and why, with the number that decides
it) from core alone, so a question can be stored, sent to a class and checked anywhere. Pages that have
already computed the run pass it in (the `*_verdict` functions), and get the same answer for free.

Kinds of question:
- "basin.regime" (Cost basin): with this α, will the ball roll smoothly, zigzag, or fly off / keep bouncing?
  The run is simulated and read by core.lessons.behaviour; the rule αλ_max against 1 and 2 explains it.
- "losses.stuck" (Squared error vs log-loss): which cost will get stuck on a plateau?
  Both runs are simulated (core.lessons.losses.descend), and their `stalled` flags decide: far above the floor
  and hardly getting closer (core.lessons.losses.stalled).
- "classify.photo" (Classify): will the neuron call your photo a face (or the other class)? The face finder's
  neuron can also say it is unsure (a third answer, settings unsure=1). The photo is not a setting, so `check`
  needs the neuron's output a for it as evidence.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import numpy as np

from core.data.datasets import one_feature
from core.data.owndata import OWN
from core.errors import InputError
from core.lessons import basin, losses
from core.lessons import behaviour as bh
from core.lessons.detector import decimals_apart
from core.maths.surfaces import is_edge, regime_of


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class Question:
    """One predict-then-check question.

    kind : str                   "basin.regime", "losses.stuck" or "classify.photo"
    page : str                   url_path of the page that shows it (ui/registry.py)
    settings : tuple of (str, str)  the page's URL query parameters for this experiment, sorted
    prompt : str
    choices : tuple of Choice
    """

    kind: str
    page: str
    settings: tuple
    prompt: str
    choices: tuple

    @property
    def id(self) -> str:
        """A stable name for this question: kind and settings ("basin.regime?alpha=0.3&dataset=iris")."""
        query = urlencode(self.settings)
        return self.kind + (f"?{query}" if query else "")

    def label(self, key) -> str:
        return next((c.label for c in self.choices if c.key == key), str(key))

    def to_dict(self) -> dict:
        """Plain data (JSON-ready): kind, page, settings as a dict, prompt, choices as [key, label] pairs."""
        return {"kind": self.kind, "page": self.page, "settings": dict(self.settings), "prompt": self.prompt,
                "choices": [[c.key, c.label] for c in self.choices]}

    @classmethod
    def from_dict(cls, data: Mapping) -> Question:
        """Rebuild a question from to_dict(): only the kind and the settings count; the rest is recomputed."""
        kind, settings = data.get("kind"), data.get("settings") or {}
        if kind not in KINDS:
            raise InputError(f"Unknown kind of question {str(kind)[:40]!r}; known: {', '.join(KINDS)}.")
        return KINDS[kind](settings)


@dataclass(frozen=True)
class Verdict:
    """The true answer to a Question, and why.

    answer : str     key of the right choice
    headline : str   what happened, in one sentence
    because : str    why, in plain words, with the numbers
    latex : str      the number that decides it, as a formula (for st.latex)
    """

    answer: str
    headline: str
    because: str
    latex: str

    def is_right(self, key) -> bool:
        return key == self.answer


def _settings(query: Mapping) -> tuple:
    return tuple(sorted((str(k), str(v)) for k, v in query.items()))


# ---------------------------------------------------------------- Cost basin: roll, zigzag or fly off

BASIN_CHOICES = (
    Choice("smooth", "It rolls smoothly downhill"),
    Choice("zigzag", "It zigzags across the valley, then settles"),
    Choice("wild", "It flies off, or keeps bouncing without settling"),
)


def basin_question(params) -> Question:
    """The question for one Cost basin experiment (core.lessons.basin.BasinParams, one ball: race is ignored)."""
    p = dataclasses.replace(params, race="")
    # The grid only draws the surface; the start is the data's own unless the link sets it (as on the page).
    start = basin.default_start(*basin.load(p.dataset, p.seed)[:2])
    query = {k: v for k, v in basin.link_query(p, start).items() if k != "grid"}
    return Question(kind="basin.regime", page="basin", settings=_settings(query),
                    prompt=f"With this learning rate, what will the ball do in the {p.steps} steps shown?",
                    choices=BASIN_CHOICES)


def _basin_params(settings: Mapping):
    p, notes = basin.BasinParams.parse(dict(settings))
    if notes:
        raise InputError("This question's settings are not valid: " + " ".join(notes))
    if p.dataset == OWN:
        raise InputError("A link cannot carry data someone uploaded or drew: ask about one of the bundled data sets.")
    p = basin.with_start(p, settings, basin.default_start(*basin.load(p.dataset, p.seed)[:2]))
    return basin.snap_params(dataclasses.replace(p, race=""))[0]


def basin_run(p):
    """(trajectory, alpha, curvature) of the run a Cost basin question asks about, computed from scratch the
    way the page computes it (the named rates checked by running them, core.lessons.basin.tune_presets)."""
    act, loss = basin.NEURONS[p.neuron]
    x, y, _ = basin.load(p.dataset, p.seed)
    curv = basin.curvature(x, y, act, loss, p.lambd, p.w0, p.b0)
    curv = basin.tune_presets(x, y, act, loss, p.lambd, p.w0, p.b0, p.steps, curv)
    runs = basin.compute_runs(x, y, [p.alpha], curv.rates(), p.w0, p.b0, p.steps, act, loss, p.lambd)
    return runs.trajectories[0], float(runs.alphas[0]), curv


_RULE = {
    "smooth": "between 0 and 1, so that distance shrinks without changing sign: the ball rolls straight in",
    "zigzag": "between −1 and 0, so the ball lands on the other side each step, a little closer: a zigzag "
              "that settles",
    "wild": "below −1, so each overshoot is larger than the last: the ball cannot settle",
}
_EDGE_RULE = {
    1: "0, so along that direction one step lands exactly on the bottom",
    2: "−1, so the ball lands as far on the other side each step: it bounces for ever and cannot settle",
}
_KIND_OF_REGIME = {"smooth": "smooth", "oscillating": "zigzag", "too large": "wild"}


def _minus(value):
    """A number with a real minus sign (−0.8, not -0.8), as in the rest of the text."""
    return f"{value:.3g}".replace("-", "−")


def _rule_kind(al):
    return _KIND_OF_REGIME[regime_of(al)]


def _edge(al):
    """1 or 2 if α·λ_max is that threshold up to rounding error, else None."""
    return next((e for e in (1, 2) if is_edge(al, e)), None)


def _rule(al):
    """'1 − αλ_max = …: what that factor does', exact at the two thresholds."""
    edge = _edge(al)
    if edge:
        return f"1 − αλ_max = {_EDGE_RULE[edge]}"
    return f"1 − αλ_max = {_minus(1 - al)}: {_RULE[_rule_kind(al)]}"


def _mismatch(b, loss, al):
    """Why a run does not look the way the rule says, in its own terms."""
    shrink = abs(1 - al)
    if b.kind == "settles" and _rule_kind(al) == "zigzag":
        turned = (f"it turned back across the valley only {b.reversals} time{'s' if b.reversals != 1 else ''}"
                  if b.reversals else "it never turned back across the valley by a step you can see")
        return (f" This run does not look like the rule: J rose on the way, but {turned} (a zigzag you can see "
                f"needs {bh.MIN_ZIGZAG} or more reversals, each step at least {bh.VISIBLE:g} across the valley), so "
                "it counts as rolling down. What counts is what the run did.")
    if b.kind in ("smooth", "zigzags", "settles") and _rule_kind(al) == "wild":
        return (" This run does not look like the rule yet: it came to rest within the steps shown, but the bottom "
                "cannot hold it, and with more steps the smallest offset across the valley grows until the ball is "
                "thrown out again. What counts is what the run did.")
    if b.kind == "bounces" and _rule_kind(al) == "zigzag" and (loss != "log" or shrink > 0.8):
        return (f" This run does not look like the rule yet: near the bottom each overshoot is still {shrink:.2f} "
                "times the last, so the zigzag has not died out within the steps shown. What counts is what the "
                "run did.")
    if b.kind == "smooth" and _rule_kind(al) == "zigzag":
        # near the bottom each overshoot is |1 − αλ_max| times the last: small enough, it is gone within a few steps
        made = f"{b.reversals}" if b.reversals else "none"
        return (f" This run does not look like the rule: near the bottom each overshoot is only {shrink:.2f} times "
                "the last, so its zigzag dies out within a few steps and is too small to see (a zigzag you can see "
                f"needs {bh.MIN_ZIGZAG} or more reversals, each step at least {bh.VISIBLE:g} across the valley; this "
                f"run made {made}), so it counts as rolling down. What counts is what the run did.")
    if loss != "log":
        # the linear neuron's J is an exact bowl: the rule holds everywhere, so the steps shown are what differs
        why = ("the ball has not reached the bottom within the steps shown" if b.kind == "rolling" else
               f"its zigzag is too small to see (a reversal counts when both steps move at least "
               f"{bh.VISIBLE:g} across the valley)")
        return (f" This run does not look like the rule: J is an exact bowl here, so the rule holds, but {why}. "
                "What counts is what the run did.")
    return (" This run does not follow the rule exactly: the rule holds where J is close to a bowl with "
            "curvature λ_max, and the ball spends these steps where the curvature is different. "
            "What counts is what the run did.")


def basin_verdict(trajectory, alpha, curv, loss="log") -> Verdict:
    """The Verdict for one Cost basin run: what the run did, in the page's own words (core.lessons.basin.run_message,
    read off the run by core.lessons.behaviour), and the rule αλ_max against 1 and 2."""
    b = basin.run_behaviour(trajectory, curv)
    al = alpha * curv.lam_max
    answer = bh.answer_of(b, al)
    headline = basin.run_message(trajectory, alpha, curv, loss)
    if curv.at != "minimum":
        # no finite minimum: no bottom to zigzag across or settle at, so the rule's regimes cannot happen
        because = (f"αλ_max = {alpha:.3g} × {curv.lam_max:.3g} = {al:.3g}, where λ_max is the steepest curvature of "
                   "J at the start point, because this data has no finite minimum. With no bottom there is nothing "
                   "to roll down to, zigzag across or settle at: the ball can only roll outwards, and αλ_max, "
                   "measured at the start, only says how J curves there. What counts is what the run did.")
    else:
        because = (f"αλ_max = {alpha:.3g} × {curv.lam_max:.3g} = {al:.3g}, where λ_max is the steepest curvature of "
                   f"J (at the bottom of the basin). Near the bottom, each step multiplies the distance along that "
                   f"steepest direction by {_rule(al)}.")
        if bh.dying_out(b, al):
            because += (f" At step {b.steps} it is still zigzagging, but each swing across the valley is no larger "
                        f"than the one before: near the bottom each overshoot is {abs(1 - al):.2f} times the last, "
                        "so the zigzag is dying out, and given more steps it settles.")
        if _rule_kind(al) != answer:
            because += _mismatch(b, loss, al)
    edge = _edge(al)
    value = f"{edge}" if edge else f"{al:.3g}"
    side = "" if edge else " < 1" if al < 1 else r" \in (1,\ 2)" if al < 2 else " > 2"
    latex = rf"\alpha\,\lambda_{{\max}} = {alpha:.3g} \times {curv.lam_max:.3g} = {value}{side}"
    return Verdict(answer=answer, headline=headline, because=because, latex=latex)


def _check_basin(q: Question, evidence=None) -> Verdict:
    p = _basin_params(dict(q.settings))
    t, alpha, curv = basin_run(p)
    return basin_verdict(t, alpha, curv, p.loss)


# ---------------------------------------------------------------- Squared error vs log-loss: which gets stuck

def losses_question(params) -> Question:
    """The question for one comparison (core.lessons.losses.LossesParams): which cost gets stuck on a plateau?"""
    name = losses.rival(params.cost)[2]
    query = {k: v for k, v in params.link_query().items() if k not in ("label", "p")}  # the likelihood demo's
    return Question(kind="losses.stuck", page="losses", settings=_settings(query),
                    prompt="From this start point, which cost will get stuck on a flat plateau?",
                    choices=(Choice("left", f"{name.capitalize()} (left)"),
                             Choice("right", "Log-loss (right)"),
                             Choice("both", "Both get stuck"),
                             Choice("neither", "Neither gets stuck")))


def losses_runs(p):
    """(left run, right run, w0, b0) of a comparison, computed from scratch as the page does."""
    data = one_feature(p.dataset, p.seed)
    act, loss, name = losses.rival(p.cost)
    left = losses.landscape(data.x, data.y, act, loss, *losses.grid_axes())
    right = losses.landscape(data.x, data.y, *losses.LOG[:2], *losses.grid_axes())
    squared = losses.landscape(data.x, data.y, "sigmoid", "squared", *losses.grid_axes())
    trap = losses.find_trap(data.x, data.y, squared, right) if p.preset == "trap" else None
    w0, b0, alpha, steps = losses.start_of(p, trap)
    return (losses.descend(data.x, data.y, act, loss, name, w0, b0, alpha, steps, left),
            losses.descend(data.x, data.y, *losses.LOG, w0, b0, alpha, steps, right), w0, b0, data)


# dZ of each rival cost through a sigmoid, as core.maths.loss_functions computes it (losses.RIVAL_LATEX in words).
_RIVAL_DZ = {"squared": "(A − Y)·A·(1 − A)", "absolute": "sign(A − Y)·A·(1 − A)"}

# A run whose J is within this of the lowest J has reached the bottom (the page shows J to 4 decimals).
REACHED = 5e-7


def losses_verdict(run_l, run_r, w0, b0, x, cost="squared") -> Verdict:
    """Which run stalled (core.lessons.losses.Run.stalled), with σ'(z) at the start: the factor that flattens one."""
    answer = {(True, True): "both", (True, False): "left", (False, True): "right"}.get(
        (run_l.stalled, run_r.stalled), "neither")
    a = 1 / (1 + np.exp(-(w0 * np.ravel(x) + b0)))
    slope = float(np.mean(a * (1 - a)))

    def one(run):
        gap, t = run.final[2] - run.J_min, run.trajectory
        if run.stalled:
            k, fall = run.recent
            return (f"{run.label} got stuck: in its last {k} step{'s' if k != 1 else ''} J fell by only "
                    f"{losses.readable(max(fall, 0.0), 3)}, while it is still {losses.readable(gap, 3)} above the "
                    "lowest J")
        if t.status == "diverged":
            return (f"{run.label} did not get stuck, it blew up at step {t.diverged_at} (J had grown to "
                    f"{losses.readable(t.cost[-1], 3)} by step {t.steps}), since this learning rate is too large "
                    "for this cost")
        if gap < REACHED:
            return f"{run.label} did not get stuck: it reached the bottom (J is within 5 × 10⁻⁷ of the lowest J)"
        return f"{run.label} did not get stuck: it ended {losses.readable(gap, 3)} above the lowest J"
    first = one(run_l)
    headline = f"{first[:1].upper()}{first[1:]}; {one(run_r)}."
    if cost == "linear":
        because = ("A linear neuron with squared error has a quadratic bowl for its cost: no plateau anywhere. "
                   f"Log-loss's gradient is never scaled down either (dZ = A − Y); for reference, σ'(z) = "
                   f"a(1 − a) averages {slope:.3g} at the start.")
    else:
        name = losses.rival(cost)[2].split(',')[0]
        because = (f"At the start, σ'(z) = a(1 − a) averages {slope:.3g} over the examples. Through a sigmoid, "
                   f"{name} multiplies its gradient by this factor ({name}: dZ = {_RIVAL_DZ[cost]}), so where the "
                   "sigmoid is saturated and wrong it barely moves; log-loss cancels the factor (dZ = A − Y) and "
                   "keeps the full error.")
    latex = (rf"\overline{{\sigma'(z)}} = \overline{{a(1-a)}} = {slope:.3g}"
             r"\quad\text{at the start}")
    return Verdict(answer=answer, headline=headline, because=because, latex=latex)


def _check_losses(q: Question, evidence=None) -> Verdict:
    p, notes = losses.LossesParams.parse(dict(q.settings))
    if notes:
        raise InputError("This question's settings are not valid: " + " ".join(notes))
    run_l, run_r, w0, b0, data = losses_runs(p)
    return losses_verdict(run_l, run_r, w0, b0, data.x, p.cost)


# ---------------------------------------------------------------- Classify: what will the neuron say?

def photo_question(class_names, unsure=False) -> Question:
    """The question for a photo: which class will the neuron say? class_names: (y = 0 name, y = 1 name).
    unsure=True for a neuron that says "unsure" for a band of a (the face finder's): a third answer."""
    no, yes = (str(n) for n in class_names)
    settings = {"y0": no, "y1": yes} | ({"unsure": "1"} if unsure else {})
    if unsure:
        prompt = f"Before you upload or take a photo: will the neuron call it “{yes}” or “{no}”, or be unsure?"
    else:
        prompt = f"Before you upload or take a photo: will the neuron call it “{yes}” or “{no}”?"
    return Question(kind="classify.photo", page="classify", settings=_settings(settings), prompt=prompt,
                    choices=(Choice("1", yes), Choice("0", no)) + ((Choice("unsure", "unsure"),) if unsure else ()))


def photo_verdict(probability, class_names, threshold=0.5, unsure=None, at_least=False,
                  score="its output a = σ(wᵀx + b)", says_unsure=False, symbol="a", who="The neuron") -> Verdict:
    """The neuron's verdict: its score against its threshold (0.5 for a neuron whose output a is read as a
    probability, as in the course, where a > 0.5 means y = 1; the face finder's threshold was chosen on validation
    photos, and a score ≥ threshold means a face: at_least=True). unsure: the (low, high) band of the score in which
    the neuron says it is unsure, or None (then within 0.1 of the threshold counts as close). says_unsure: the
    neuron answers "unsure" in that band, as the face finder does (core.lessons.detector.Neuron.verdict): then it
    says "face" only at or above the band's top and "not a face" only below its bottom, and those ends are the
    numbers shown. score: what the number is, in words ("its face score: ..."); symbol: its name in the sentences
    and the formula ("a", or "face score"); who: who says it, at the start of the headline.

    Numbers have 3 decimals, more when 3 would show two different ones (the score and a threshold) as equal: a
    shown score is never equal to the number it is compared with.

    >>> print(photo_verdict(0.500323, ("not a face", "face")).latex)
    a = \\sigma(w^T x + b) = 0.5003 > 0.5
    """
    a, t = float(probability), float(threshold)
    low, high = (float(v) for v in unsure) if unsure is not None else (t - 0.1, t + 0.1)
    band = says_unsure and unsure is not None and low < high and low <= t <= high   # three ranges of the score
    d = decimals_apart([a, t] + ([low, high] if says_unsure and unsure is not None else []))

    def num(v):
        return f"{v:.{d}f}"

    thr = f"{t:g}" if round(t, 3) == t else num(t)     # the course's 0.5 stays 0.5
    named = r"\text{" + symbol + "}" if symbol != "a" else "a"
    first = f"The neuron's score for “{class_names[1]}” is {score}."
    if says_unsure and unsure is not None and low <= a < high:
        return Verdict(
            answer="unsure", headline=f"{who} says it is unsure: {symbol} = {num(a)}.",
            because=(f"{first} It lies between {num(low)} and {num(high)}, the band around the threshold {thr} "
                     "where this neuron says it is unsure instead of guessing: a small crop or zoom could tip it "
                     "either way."),
            latex=rf"{num(low)} \le {named} = {num(a)} < {num(high)}")
    label = int(a >= t if at_least else a > t)
    name = str(class_names[label])
    headline = f"{who} says “{name}”: {symbol} = {num(a)}."
    if band:    # outside the band: at or above its top, or below its bottom
        bound, side = (high, r"\ge") if label else (low, "<")
        where = (f"{'at or above' if label else 'below'} {num(bound)}, the {'top' if label else 'bottom'} of the "
                 f"band around the threshold {thr} where this neuron says it is unsure")
    else:
        bound, side = t, (r"\ge" if at_least else ">") if label else ("<" if at_least else r"\le")
        where = (f"{('at or above' if at_least else 'above') if label else ('below' if at_least else 'not above')} "
                 f"the threshold {thr}")
    because = (f"{first} It is {where}, so the neuron answers “{name}”."
               + (" It is close to the threshold: the neuron is unsure, and a small crop or zoom can change its "
                  "answer." if not band and low <= a < high else ""))
    formula = r"a = \sigma(w^T x + b)" if symbol == "a" else named
    return Verdict(answer=str(label), headline=headline, because=because,
                   latex=rf"{formula} = {num(a)} {side} {thr if bound == t else num(bound)}")


def _check_photo(q: Question, evidence=None) -> Verdict:
    if not evidence or "probability" not in evidence:
        raise InputError("A photo question needs the neuron's output a for the photo.")
    names = dict(q.settings)
    return photo_verdict(evidence["probability"], (names.get("y0", "y = 0"), names.get("y1", "y = 1")),
                         evidence.get("threshold", 0.5), evidence.get("unsure"), evidence.get("at_least", False),
                         says_unsure=names.get("unsure") == "1")


def experiment_query(q: Question) -> dict:
    """The query parameters of a link to the question's experiment on its page. A question with every setting at
    its default has none, and a page reads a link without its own settings as the student's return to it (their
    own settings come back): such a link names the page's first setting at its default, so the page takes the
    link's settings, all defaults: the data set, which both pages have.

    >>> experiment_query(question("basin.regime", {}))
    {'dataset': 'overlap'}
    >>> experiment_query(question("losses.stuck", {"cost": "absolute"}))
    {'cost': 'absolute'}
    """
    settings = dict(q.settings)
    cls = {"basin": basin.BasinParams, "losses": losses.LossesParams}.get(q.page)
    if settings or cls is None:
        return settings
    return {"dataset": next(f.default for f in dataclasses.fields(cls) if f.name == "dataset")}


# ---------------------------------------------------------------- every kind, by name

def _basin_from(settings):
    return basin_question(_basin_params(settings))


def _losses_from(settings):
    p, notes = losses.LossesParams.parse(dict(settings))
    if notes:
        raise InputError("This question's settings are not valid: " + " ".join(notes))
    return losses_question(p)


def _photo_from(settings):
    return photo_question((settings.get("y0", "y = 0"), settings.get("y1", "y = 1")), settings.get("unsure") == "1")


KINDS = {"basin.regime": _basin_from, "losses.stuck": _losses_from, "classify.photo": _photo_from}
_CHECKS = {"basin.regime": _check_basin, "losses.stuck": _check_losses, "classify.photo": _check_photo}


def question(kind, settings: Mapping) -> Question:
    """The question of a kind for a page's settings (its URL query parameters); InputError if unknown/bad."""
    if kind not in KINDS:
        raise InputError(f"Unknown kind of question {str(kind)[:40]!r}; known: {', '.join(KINDS)}.")
    return KINDS[kind](dict(settings))


def check(q: Question, evidence=None) -> Verdict:
    """The true answer to q, computed from core (evidence: {"probability": a} for a photo question, and the
    neuron's "threshold" and "unsure" band when it has its own)."""
    return _CHECKS[q.kind](q, evidence)
