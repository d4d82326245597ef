"""Class questions: the lessons' questions through the store and back, from a teacher's choices or a pasted link,
and the reveal (the verdict and the runs), without Streamlit."""

import numpy as np
import pytest

from classmode import model
from core.errors import InputError
from core.figures.class_answers import cost_figure, tally_figure
from core.lessons import predict as pr
from ui import classmode_questions as cq


@pytest.mark.parametrize("q", [cq.basin_choice(alpha="oscillating"), cq.basin_choice("iris", "linear", "too-large", 40),
                               cq.losses_choice(), cq.losses_choice("tumour", "absolute", "zeros")],
                         ids=lambda q: q.id)
def test_a_question_survives_the_store(q):
    stored = cq.to_store(q)
    assert isinstance(stored, model.Question) and stored.question_id == q.kind
    again = model.Question.from_stored(stored.question_id, stored.settings_json(), '["' + '","'.join(stored.choices)
                                       + '"]')
    back = cq.from_store(again)
    assert back == q and back.id == q.id


def test_the_teachers_choices_are_the_pages_settings():
    q = cq.basin_choice("iris", "linear", "too-large", 40)
    assert dict(q.settings) == {"dataset": "iris", "neuron": "linear", "alpha": "too-large", "steps": "40"}
    assert pr.question(q.kind, dict(q.settings)) == q     # the page's own link rebuilds the same question
    # the named rate is said as its number (its name, "too-large", would give the answer away)
    _, alpha, curv = pr.basin_run(pr._basin_params(dict(q.settings)))
    # and with λ_max, as the page's own box gives it: a student in class mode had α = 16.1 and nothing to reason with
    lam = curv.lam_max
    assert cq.describe(q) == (f"Cost basin: Iris petal width, linear neuron, squared error, α = {alpha:.3g}, 40 steps. "
                              f"Here λ_max = {lam:.3g}, so 1/λ_max = {1 / lam:.3g} and 2/λ_max = {2 / lam:.3g}.")
    assert "too" not in cq.describe(q) and "large" not in cq.describe(q)


def test_a_losses_question_gives_its_start_as_numbers_not_as_the_trap():
    """"From the trap start" told the class which cost gets stuck."""
    q = pr.question("losses.stuck", {})
    _, _, w0, b0, _ = pr.losses_runs(pr.losses.LossesParams())
    said = cq.describe(q)
    assert "trap" not in said and said.endswith(f"from the start point (w₀, b₀) = ({w0:.3g}, {b0:.3g})".replace(
        "-", "−"))


def test_the_experiment_link_of_a_question_at_the_defaults_names_a_setting():
    """A page reads a link without its own settings as the student's return (their own settings come back): the
    reveal's "Open this experiment" of a question at the defaults opened the student's own Losses settings."""
    for kind in ("basin.regime", "losses.stuck"):
        q = pr.question(kind, {})
        assert dict(q.settings) == {} and pr.experiment_query(q) == {"dataset": "overlap"}
    q = pr.question("basin.regime", {"alpha": "oscillating"})
    assert pr.experiment_query(q) == {"alpha": "oscillating"}


def test_a_pasted_link_keeps_its_settings_and_drops_the_classroom_flags():
    q = cq.from_link("https://basin.example/basin?alpha=oscillating&dataset=tumour&teacher=1&hide=alpha&path=2")
    assert q.kind == "basin.regime" and dict(q.settings) == {"alpha": "oscillating", "dataset": "tumour"}
    q = cq.from_link("http://127.0.0.1:8501/losses?cost=linear&preset=zeros")
    assert q.kind == "losses.stuck" and dict(q.settings)["cost"] == "linear"


@pytest.mark.parametrize("link", ["", "   ", "https://x/classify?data=digits", "https://x/home", "x" * 3000,
                                  "https://x/basin?alpha=banana", None, 42])
def test_a_bad_link_gets_one_sentence(link):
    with pytest.raises(InputError) as err:
        cq.from_link(link)
    assert str(err.value).endswith(".") and "\n" not in str(err.value)


def test_a_stored_question_whose_choices_no_longer_match_is_refused():
    stored = cq.to_store(cq.basin_choice())
    wrong = model.Question(stored.question_id, stored.settings, ("a", "b"))
    with pytest.raises(InputError):
        cq.from_store(wrong)


@pytest.mark.parametrize("q,answer", [(cq.basin_choice(alpha="oscillating"), "zigzag"),
                                      (cq.losses_choice(), "left")], ids=["basin", "losses"])
def test_the_reveal_is_the_pages_own_verdict_with_its_runs(q, answer):
    r = cq.reveal(q)
    assert r.verdict == pr.check(q) and r.verdict.answer == answer
    assert len(r.curves) == (1 if q.kind == "basin.regime" else 2)
    for label, cost in r.curves:
        assert label and np.asarray(cost).ndim == 1 and len(cost) > 10


def test_the_tally_chart_marks_the_right_bar_only_after_the_reveal():
    live = tally_figure(["a", "b", "c"], [3, 0, 2])
    assert list(live.data[0].x) == [3, 0, 2] and len(set(live.data[0].marker.color)) == 1
    shown = tally_figure(["a", "b", "c"], [3, 0, 2], right=2)
    assert shown.data[0].y[2].startswith("✔") and shown.data[0].marker.color[2] != shown.data[0].marker.color[0]
    assert tally_figure(["a", "b"], [0, 0]).layout.xaxis.range[1] > 0    # an empty class still has an axis


def test_the_cost_chart_has_one_line_per_run_and_drops_non_finite_costs():
    fig = cost_figure([("α = 1", np.array([1.0, 0.5, np.inf])), ("log-loss", np.array([1.0, 0.9, 0.8]))])
    assert [t.name for t in fig.data] == ["α = 1", "log-loss"]
    assert np.isnan(np.asarray(fig.data[0].y, dtype=float)[2])


def test_two_costs_are_drawn_as_shares_of_their_starts_so_the_stuck_one_does_not_look_best():
    """A Losses reveal drew squared error's J (0.25, stuck) under log-loss's (from 4 down to 0.38) on one axis: the
    cost that got stuck looked like the winner. Each is a share of its own start, as on the Losses page; J itself is
    in the hover. One run keeps J, with powers of ten for a run that flies off (plotly wrote 2e11 as '200B')."""
    stuck, bottom = np.array([0.26, 0.255, 0.25, 0.25]), np.array([4.0, 1.0, 0.5, 0.38])
    fig = cost_figure([("squared error", stuck), ("log-loss", bottom)])
    ys = [np.asarray(t.y, dtype=float) for t in fig.data]
    assert ys[0][0] == ys[1][0] == 100.0
    assert ys[1][-1] == pytest.approx(9.5) and ys[0][-1] == pytest.approx(100 * 0.25 / 0.26)
    assert ys[1][-1] < ys[0][-1]                                    # log-loss went further: drawn lower
    assert np.asarray(fig.data[0].customdata, dtype=float).tolist() == stuck.tolist()
    assert fig.layout.yaxis.ticksuffix == "%" and "% of J at step 0" in fig.layout.yaxis.title.text
    one = cost_figure([("α = 40", np.array([1.0, 3e3, 2e11]))])
    assert np.asarray(one.data[0].y, dtype=float).tolist() == [1.0, 3e3, 2e11]
    assert one.layout.yaxis.exponentformat == "power" and one.layout.yaxis.title.text == "cost J"


def test_long_answers_are_wrapped_so_a_phone_shows_them_whole():
    """On a 390 px phone the one-line label 'It flies off, or keeps bouncing without settling' was cut on the left
    (the ✔ of the right answer with it): labels are wrapped to short lines, every word kept."""
    from core.figures.class_answers import LABEL_CHARS
    labels = ["It rolls smoothly downhill", "It zigzags across the valley, then settles",
              "It flies off, or keeps bouncing without settling"]
    fig = tally_figure(labels, [0, 1, 1], right=1)
    for shown, label in zip(fig.data[0].y, labels, strict=True):
        lines = shown.split("<br>")
        assert all(len(line) <= LABEL_CHARS for line in lines)
        assert " ".join(lines).removeprefix("✔ ") == label
    assert fig.data[0].y[1].startswith("✔")


def test_the_teachers_picker_names_rates_by_number_not_by_the_answer():
    """The picker is on the projector: 'Learning rate α: oscillating' told the room the answer while it joined."""
    from core.lessons import basin
    from ui.classmode_questions import describe, picker_rates
    for dataset, neuron in (("overlap", "logistic"), ("iris", "linear")):
        rates = picker_rates(dataset, neuron, 60)
        assert set(rates) == set(basin.ALPHA_TOKENS)
        labels = " ".join(rates.values())
        assert not any(word in labels for word in ("smooth", "oscillat", "too", "large", "zigzag"))
        alphas = [float(rates[t].split(" = ")[0]) for t in rates]
        assert alphas == sorted(alphas)                            # in the order of their rates
        q = cq.basin_choice(dataset, neuron, "oscillating", 60)
        shown = rates["oscillating"].split(" = ")[0]
        assert f"α = {shown}," in describe(q)                      # the number the students then read


def test_a_pasted_links_race_is_named_as_left_out():
    from ui.classmode_questions import left_out
    assert left_out("http://x/basin?alpha=smooth") == ""
    assert "race of learning rates" in left_out("http://x/basin?race=0.1,smooth&race_on=1")
    assert left_out("http://x/basin?opt_batch=16").startswith("The question leaves out its race of optimisers:")
