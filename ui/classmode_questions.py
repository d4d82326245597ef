"""Which lesson questions a class can be asked, and how they travel through class mode's store (no Streamlit here).

A class question is one of the lessons' predict-then-check questions (core/lessons/predict.py) with its page's settings.
The store keeps only its kind, its settings and its choice keys (classmode.model.Question); everything a
student reads (the prompt, the choices' words, the true answer and why) is rebuilt from those by core, so a
question asked on one replica reads the same on every other.

Two kinds are asked in class: "basin.regime" (Cost basin: will the ball roll, zigzag or fly off?) and
"losses.stuck" (Squared error vs log-loss: which cost gets stuck?). The Classify page's question is about a
photo the student takes; it has no settings a whole class could share, so class mode leaves it to the page.

No Streamlit here: ui/classmode.py caches these calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from classmode import model
from core.errors import InputError
from core.lessons import basin, losses
from core.lessons import predict as pr

CLASS_KINDS = {"basin": "basin.regime", "losses": "losses.stuck"}
"""Page url_path -> the kind of question class mode asks about that page."""


def to_store(q: pr.Question) -> model.Question:
    """What the store keeps of a lesson question: its kind, its settings and its choice keys."""
    return model.Question(q.kind, dict(q.settings), tuple(c.key for c in q.choices))


def from_store(stored: model.Question) -> pr.Question:
    """The lesson question again, rebuilt by core from the kind and settings the store kept.

    Raises InputError if they no longer make a question (for example a class older than a change to a page)."""
    q = pr.question(stored.question_id, stored.settings)
    if tuple(c.key for c in q.choices) != tuple(stored.choices):
        raise InputError("This question no longer matches the lessons: ask it again.")
    return q


def basin_choice(dataset: str = "overlap", neuron: str = "logistic", alpha: str = "smooth", steps: int = 60,
                 lambd: float = 0.0) -> pr.Question:
    """A Cost basin question from the settings a teacher picks in class (from the data's own start point)."""
    query = {"dataset": dataset, "neuron": neuron, "alpha": alpha, "steps": str(steps), "lambd": f"{lambd:g}"}
    return pr.question("basin.regime", query)


def losses_choice(dataset: str = "overlap", cost: str = "squared", preset: str = "trap") -> pr.Question:
    """A Squared error vs log-loss question from the settings a teacher picks in class."""
    p, notes = losses.LossesParams.parse({"dataset": dataset, "cost": cost, "preset": preset})
    if notes:
        raise InputError(" ".join(notes))
    return pr.losses_question(p)


def from_link(link: str) -> pr.Question:
    """The question about the experiment a page's link describes ("link to this experiment" in the sidebar).

    Only the path's last part (the page) and the query (its settings) count, so a link from any server works.
    Raises InputError with one sentence when the link is not a Cost basin or Squared error vs log-loss link."""
    if not isinstance(link, str) or not link.strip() or len(link) > 2000:
        raise InputError("Paste the link of a Cost basin or Squared error vs log-loss experiment.")
    parts = urlsplit(link.strip())
    page = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if page not in CLASS_KINDS:
        raise InputError("That link is not a Cost basin or Squared error vs log-loss page: class questions come "
                         "from those two pages.")
    settings = {k: v for k, v in parse_qsl(parts.query) if k not in ("teacher", "big", "hide", "predict", "path")}
    q = pr.question(CLASS_KINDS[page], settings)
    to_store(q)  # checks the size and shape the store accepts
    return q


@dataclass(frozen=True)
class Reveal:
    """What a reveal shows: the true answer and why (a core.lessons.predict.Verdict), and the runs behind it as
    (label, J at each step) pairs for a small chart."""

    verdict: pr.Verdict
    curves: tuple


def reveal(q: pr.Question) -> Reveal:
    """The verdict of a class question and the cost curves of its runs, computed as the page computes them."""
    settings = dict(q.settings)
    if q.kind == "basin.regime":
        p = pr._basin_params(settings)  # noqa: SLF001 (the page's own reading of a question's settings)
        t, alpha, curv = pr.basin_run(p)
        return Reveal(pr.basin_verdict(t, alpha, curv, p.loss), ((f"α = {alpha:.3g}", t.cost),))
    if q.kind == "losses.stuck":
        p, notes = losses.LossesParams.parse(settings)
        if notes:
            raise InputError("This question's settings are not valid: " + " ".join(notes))
        run_l, run_r, w0, b0, data = pr.losses_runs(p)
        return Reveal(pr.losses_verdict(run_l, run_r, w0, b0, data.x, p.cost),
                      ((run_l.label, run_l.trajectory.cost), (run_r.label, run_r.trajectory.cost)))
    raise InputError("Class mode asks only Cost basin and Squared error vs log-loss questions.")


def describe(q: pr.Question) -> str:
    """The question's settings in a few words, for the projector ("Cost basin: Two overlapping classes, logistic
    neuron, log-loss, α = 16.1, 60 steps"). A named rate ("oscillating") is said as its number: its name would
    give the answer away."""
    s: Mapping = dict(q.settings)
    data = basin.ONE_FEATURE_SETS.get(s.get("dataset", "overlap"), s.get("dataset", ""))
    if q.kind == "basin.regime":
        neuron = "linear neuron, squared error" if s.get("neuron") == "linear" else "logistic neuron, log-loss"
        extra = f", λ = {s['lambd']}" if "lambd" in s else ""
        _, alpha, curv = pr.basin_run(pr._basin_params(s))  # noqa: SLF001 (the page's own reading of the settings)
        # λ_max as the page's own box gives it (the rule to reason with), never the rate's name
        return (f"Cost basin: {data}, {neuron}, α = {alpha:.3g}, {s.get('steps', 60)} steps{extra}. Here "
                f"λ_max = {curv.lam_max:.3g}, so 1/λ_max = {1 / curv.lam_max:.3g} and 2/λ_max = "
                f"{2 / curv.lam_max:.3g}.")
    cost = losses.RIVALS.get(s.get("cost", "squared"), ("", "", ""))[2]
    p, _ = losses.LossesParams.parse(s)
    _, _, w0, b0, _ = pr.losses_runs(p)      # the start as numbers: "the trap start" would give the answer away
    start = f"({w0:.3g}, {b0:.3g})".replace("-", "−")
    return f"Squared error vs log-loss: {data}, {cost} against log-loss, from the start point (w₀, b₀) = {start}"
