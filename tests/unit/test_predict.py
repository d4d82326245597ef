"""Predict, then check: reading a run's behaviour, and the true answers of every kind of question."""

import dataclasses
import json

import numpy as np
import pytest

from core.errors import InputError
from core.lessons import basin, behaviour, losses, predict
from core.maths.logistic import gradient_descent

# ------------------------------------------- the three answers, read off paths made by hand (core.lessons.behaviour)

def answer(W, J=None, converged=False, minimum=(0.0, 0.0)):
    """The answer a path along w (b stays 0) bears out, J = w² unless given; the valley runs across w."""
    W = np.asarray(W, float)
    b = behaviour.behaviour(W, np.zeros(W.size), W ** 2 if J is None else J, converged, (1.0, 0.0), minimum)
    return behaviour.answer_of(b), b


def test_a_straight_roll_is_smooth():
    kind, b = answer(np.r_[np.linspace(-3, 0, 11), 0.0])
    assert kind == "smooth" and b.reversals == 0 and b.rises == 0


def test_a_shrinking_zigzag_is_a_zigzag():
    kind, b = answer(3 * (-0.8) ** np.arange(30))                  # 1 − αλ = −0.8 on J = w²
    assert kind == "zigzag" and b.kind == "zigzags" and b.reversals >= behaviour.MIN_ZIGZAG and b.rises == 0


def test_a_growing_zigzag_is_wild():
    kind, b = answer(0.1 * (-1.6) ** np.arange(20))
    assert kind == "wild" and b.kind == "diverges" and b.rises == 19


def test_a_bounce_that_never_settles_is_wild():
    kind, b = answer(np.tile([1.0, -0.9, 0.8, -1.0], 10))
    assert kind == "wild" and b.kind == "bounces"


def test_one_huge_step_with_no_bottom_flings_the_ball():
    kind, b = answer([-3.0, 40.0, 40.1, 40.2], J=np.array([1.0, 0.1, 0.09, 0.08]), minimum=None)
    assert kind == "wild" and b.kind == "rolls off" and b.first_jump == 43.0
    kind, b = answer([-3.0, -2.0, -1.0, 0.0], J=np.array([1.0, 0.5, 0.2, 0.1]), minimum=None)
    assert kind == "smooth" and b.kind == "rolls off"        # rolling out calmly is not flying off


def test_one_overshoot_is_not_a_zigzag_nor_is_a_rise():
    kind, b = answer([-2.0, -1.0, 0.2, 0.1, 0.0], converged=True)   # one turn back, J falling: still smooth
    assert kind == "smooth" and b.reversals == 1
    # J rose once, then settled: 2 reversals, fewer than the 4 of "a zigzag you can see" (the page's own words), so
    # not "zigzags, then settles" (it used to be)
    kind, b = answer([-2.0, 2.1, -0.5, 0.1, 0.05, 0.01, 0.0, 0.0], converged=True)
    assert kind == "smooth" and b.kind == "settles" and b.reversals < behaviour.MIN_ZIGZAG


def test_a_quadratic_bowl_matches_the_learning_rate_rule():
    """Linear neuron, squared error: J is exactly quadratic, so αλ_max decides and the run agrees."""
    x, y, _ = basin.load("overlap", 0)
    curv = basin.curvature(x, y, "linear", "squared", 0.0, -3.0, 3.0)
    for factor, kind in ((0.5, "smooth"), (1.8, "zigzag"), (2.6, "wild")):
        t = gradient_descent(np.array([[-3.0]]), 3.0, x, y, factor / curv.lam_max, 60, "linear", "squared")
        assert behaviour.answer_of(basin.run_behaviour(t, curv)) == kind, factor


# ---------------------------------------------------------------- questions are plain data

def test_basin_question_is_plain_data_with_the_page_settings():
    w0, b0 = basin.default_start(*basin.load("iris", 0)[:2])          # iris's own start: not written
    p = basin.BasinParams(dataset="iris", alpha="0.3", grid=80, race="smooth,10", w0=w0, b0=b0)
    q = predict.basin_question(p)
    assert q.kind == "basin.regime" and q.page == "basin"
    assert dict(q.settings) == {"dataset": "iris", "alpha": "0.3"}      # grid and race do not change the run
    assert q.id == "basin.regime?alpha=0.3&dataset=iris"
    assert [c.key for c in q.choices] == ["smooth", "zigzag", "wild"]
    data = json.loads(json.dumps(q.to_dict()))
    assert predict.Question.from_dict(data) == q
    assert predict.question("basin.regime", {"alpha": "0.3", "dataset": "iris"}) == q


def test_bad_questions_are_refused_in_words():
    with pytest.raises(InputError, match="Unknown kind"):
        predict.question("basin.teleport", {})
    with pytest.raises(InputError, match="not valid"):
        predict.question("basin.regime", {"alpha": "fast"})
    with pytest.raises(InputError, match="cannot carry data"):     # a teacher's link from a page showing own data
        predict.question("basin.regime", {"alpha": "smooth", "dataset": "own"})
    with pytest.raises(InputError, match="needs the neuron's output"):
        predict.check(predict.photo_question(("cat", "dog")))


# ---------------------------------------------------------------- true answers, computed from core

@pytest.mark.parametrize("settings, answer", [
    ({}, "smooth"),                                              # overlap, logistic, smooth preset
    ({"alpha": "oscillating"}, "zigzag"),
    ({"neuron": "linear", "alpha": "too-large"}, "wild"),        # diverges
    ({"alpha": "too-large"}, "wild"),                            # log-loss: keeps bouncing
    ({"dataset": "separable", "alpha": "too-large", "w0": "-3", "b0": "3"}, "wild"),    # one step to w = 43.7
])
def test_basin_answers_come_from_the_simulated_run(settings, answer):
    q = predict.question("basin.regime", settings)
    v = predict.check(q)
    assert v.answer == answer
    # the same run, simulated independently, gives the same reading
    p = predict._basin_params(settings)
    x, y, _ = basin.load(p.dataset, p.seed)
    curv = basin.curvature(x, y, p.activation, p.loss, p.lambd, p.w0, p.b0)
    curv = basin.tune_presets(x, y, p.activation, p.loss, p.lambd, p.w0, p.b0, p.steps, curv)
    t = gradient_descent(np.array([[p.w0]]), p.b0, x, y, curv.rates()[p.alpha], p.steps, p.activation, p.loss,
                         p.lambd, tol=1e-9)
    assert behaviour.answer_of(basin.run_behaviour(t, curv)) == answer
    assert v.headline == basin.run_message(t, curv.rates()[p.alpha], curv, p.loss)   # the page's own words
    al = curv.rates()[p.alpha] * curv.lam_max
    assert f"{al:.3g}" in v.latex and f"{al:.3g}" in v.because


def test_separable_fling_says_where_the_ball_went():
    v = predict.check(predict.question("basin.regime", {"dataset": "separable", "alpha": "too-large",
                                                        "w0": "-3", "b0": "3"}))
    assert "flung the ball to w = 43.7" in v.headline and "no finite minimum" in v.because


def test_the_explanation_says_when_the_rule_and_the_run_disagree():
    """Overlap data, logistic neuron, α = 10: α·λ_max = 1.21 predicts a zigzag, yet no visible zigzag shows."""
    v = predict.check(predict.question("basin.regime", {"alpha": "10"}))
    assert v.answer == "smooth" and r"\in (1,\ 2)" in v.latex
    assert "does not look like the rule" in v.because and "too small to see" in v.because
    v = predict.check(predict.question("basin.regime", {"alpha": "oscillating"}))
    assert "does not follow the rule" not in v.because and "does not look like the rule" not in v.because


def test_losses_trap_squared_error_gets_stuck_and_log_loss_does_not():
    q = predict.losses_question(losses.LossesParams())
    v = predict.check(q)
    assert v.answer == "left" and "got stuck" in v.headline and "did not get stuck" in v.headline
    data = basin.load("overlap", 0)[2]
    run_l, run_r, w0, b0, _ = predict.losses_runs(losses.LossesParams())
    assert run_l.stalled and not run_r.stalled
    a = 1 / (1 + np.exp(-(w0 * data.x + b0)))
    assert f"{float(np.mean(a * (1 - a))):.3g}" in v.latex


def test_losses_from_zero_neither_gets_stuck():
    q = predict.question("losses.stuck", {"preset": "zeros"})
    assert predict.check(q).answer == "neither"
    assert "label" not in dict(predict.losses_question(losses.LossesParams(label=0, p=0.3)).settings)


def test_a_run_that_blows_up_is_said_to_blow_up_and_one_at_the_bottom_to_reach_it():
    """The linear neuron at α = 5 from (0, 0) blows up at step 8 (J about 10¹¹): the verdict said it "ended 2.7e+11
    above the lowest J", and of log-loss that it "ended 2.2e-14 above" the bottom it had reached."""
    p, _ = losses.LossesParams.parse({"cost": "linear", "preset": "zeros", "alpha": "5"})
    run_l, run_r, w0, b0, data = predict.losses_runs(p)
    assert run_l.trajectory.status == "diverged" and run_r.trajectory.status == "converged"
    v = predict.losses_verdict(run_l, run_r, w0, b0, data.x, p.cost)
    assert v.answer == "neither"
    t = run_l.trajectory                    # its last finite point is the step before the one that blew up
    assert f"it blew up at step {t.diverged_at} (J had grown to " in v.headline
    assert f"by step {t.steps})" in v.headline and t.steps == t.diverged_at - 1
    assert "× 10¹¹" in v.headline and "e+" not in v.headline
    assert "Log-loss, sigmoid neuron did not get stuck: it reached the bottom" in v.headline.replace("; l", "; L")
    assert abs(run_r.final[2] - run_r.J_min) < predict.REACHED == 5e-7            # as the sentence says
    q = predict.losses_question(p)
    assert q.label("neither") == "Neither gets stuck"         # not "both reach the bottom": one blew up


def test_linear_rival_never_gets_stuck_and_says_why():
    v = predict.check(predict.question("losses.stuck", {"cost": "linear", "preset": "zeros"}))
    assert v.answer == "neither" and "quadratic bowl" in v.because


@pytest.mark.parametrize("a, answer", [(0.83, "1"), (0.5, "0"), (0.12, "0")])
def test_photo_answer_is_the_neurons_verdict(a, answer):
    q = predict.photo_question(("not a face", "face"))
    v = predict.check(q, {"probability": a})
    assert v.answer == answer and f"{a:.3f}" in v.latex
    assert q.label(v.answer) == ("face" if answer == "1" else "not a face")


@pytest.mark.parametrize("a, answer", [(0.95, "1"), (0.87, "unsure"), (0.85, "unsure"), (0.80, "0"), (0.2, "0")])
def test_the_face_finders_question_has_its_unsure_answer_as_the_finder_says_it(a, answer):
    """The face finder says "unsure" for a in its band (core.lessons.detector.Neuron.verdict): the question offers
    that answer and the verdict gives it (it said "face" or "not a face" under a panel that said "unsure")."""
    from core.lessons.detector import Neuron
    neuron = Neuron("edges", np.zeros((576, 1)), 0.0, threshold=0.869, unsure=(0.801, 0.916))
    q = predict.photo_question(("not a face", "face"), unsure=True)
    assert [c.key for c in q.choices] == ["1", "0", "unsure"] and "or be unsure?" in q.prompt
    assert predict.Question.from_dict(json.loads(json.dumps(q.to_dict()))) == q
    evidence = {"probability": a, "threshold": neuron.threshold, "unsure": neuron.unsure, "at_least": True}
    v = predict.check(q, evidence)
    assert v.answer == answer
    assert q.label(v.answer) == {"face": "face", "not a face": "not a face", "unsure": "unsure"}[neuron.verdict(a)]
    if answer == "unsure":
        assert v.headline == f"The neuron says it is unsure: a = {a:.3f}." and "0.801 \\le a" in v.latex
    # a neuron without such an answer (a bundled one: a > 0.5) keeps two
    assert [c.key for c in predict.photo_question(("cat", "dog")).choices] == ["1", "0"]
    assert predict.check(predict.photo_question(("cat", "dog")), {"probability": 0.55}).answer == "1"


@pytest.mark.parametrize("a, shown, latex", [(0.500323, "0.5003", r"0.5003 > 0.5"),
                                              (0.4996, "0.4996", r"0.4996 \le 0.5"),
                                              (0.83, "0.830", r"0.830 > 0.5")])
def test_a_score_shown_is_never_equal_to_the_threshold_it_is_compared_with(a, shown, latex):
    """a = 0.500323 was shown "a = 0.500" beside "0.500 > 0.5": as many decimals as tell them apart."""
    v = predict.photo_verdict(a, ("not a face", "face"))
    assert v.headline.endswith(f": a = {shown}.") and v.latex == rf"a = \sigma(w^T x + b) = {latex}"


def test_the_bundled_neurons_sentence_keeps_a_lower_case():
    """It began "A = σ(wᵀx + b) is the neuron's score": A is all the activations at once, in the course."""
    because = predict.photo_verdict(0.2, ("not a face", "face")).because
    assert because.startswith("The neuron's score for “face” is its output a = σ(wᵀx + b). ")
    assert "A = σ" not in because


@pytest.mark.parametrize("score, answer, latex, where", [
    (0.980, "1", r"\text{face score} = 0.980 \ge 0.916", "at or above 0.916, the top of the band"),
    (0.880, "unsure", r"0.801 \le \text{face score} = 0.880 < 0.916", "between 0.801 and 0.916"),
    (0.600, "0", r"\text{face score} = 0.600 < 0.801", "below 0.801, the bottom of the band")])
def test_the_face_finders_verdict_names_its_score_and_the_ends_of_its_band(score, answer, latex, where):
    """The finder's box said "a = σ(wᵀx + b) = 0.980 ≥ 0.869" and "at or above the threshold 0.869, so … a face"
    under a rule "a face when a ≥ 0.916, unsure when 0.801 ≤ a < 0.916": by that sentence 0.88 was a face. The
    number is the face score (a mean of a over windows), compared with the end of the band that decides."""
    v = predict.photo_verdict(score, ("not a face", "a face"), 0.8688877, (0.8007774, 0.9161507), True,
                              "its face score, the mean a of the 5 best windows", True, "face score")
    assert v.answer == answer and v.latex == latex and where in v.because
    assert f"face score = {score:.3f}." in v.headline and "σ" not in v.latex
    assert "the threshold 0.869, so" not in v.because


def test_who_says_it_names_the_neuron():
    v = predict.photo_verdict(0.673, ("not a face", "face"), who="now the neuron trained on the left tab")
    assert v.headline == "now the neuron trained on the left tab says “face”: a = 0.673."


def test_photo_question_keeps_user_class_names_as_data():
    q = predict.photo_question(("*not* hotdog", "[hotdog](x)"))
    assert dict(q.settings) == {"y0": "*not* hotdog", "y1": "[hotdog](x)"}
    assert predict.Question.from_dict(q.to_dict()) == q


def test_every_kind_round_trips():
    for q in (predict.basin_question(basin.BasinParams()), predict.losses_question(losses.LossesParams()),
              predict.photo_question(("a", "b"))):
        assert predict.Question.from_dict(q.to_dict()) == q
        assert q.kind in predict.KINDS and dataclasses.is_dataclass(q)


@pytest.mark.parametrize("settings, edge, rule", [
    ({"dataset": "iris", "neuron": "linear", "alpha": "1"}, 1, "1 − αλ_max = 0, so along that direction one step"),
    ({"dataset": "iris", "neuron": "linear", "lambd": "100", "alpha": "1"}, 2, "1 − αλ_max = −1, so the ball"),
])
def test_alpha_on_a_threshold_is_explained_exactly(settings, edge, rule):
    """α·λ_max equal to 1 or 2 up to rounding: the rule says what happens exactly there (not "−1.33e−15: between
    −1 and 0", not "∈ (1, 2)"), and the run agrees with it."""
    v = predict.check(predict.question("basin.regime", settings))
    assert rule in v.because and "does not" not in v.because
    assert v.latex.endswith(f"= {edge}") and r"\in" not in v.latex
    assert v.answer == ("smooth" if edge == 1 else "wild")


def test_a_slow_linear_zigzag_is_explained_by_its_steps_not_by_the_curvature():
    """Linear neuron, λ = 30, α = 1: α·λ_max = 1.94, an exact bowl whose zigzag shrinks by 0.94 a step and has not
    settled in 60 steps. The explanation says that, not that the curvature differs (it is the same everywhere).
    It is a zigzag that dies out, so "zigzags, then settles" is the right prediction (it was marked wrong)."""
    v = predict.check(predict.question("basin.regime", {"neuron": "linear", "lambd": "30", "alpha": "1"}))
    assert v.answer == "zigzag" and "0.94 times the last" in v.because
    assert "At step 60 it is still zigzagging" in v.because and "dying out" in v.because
    assert "curvature is different" not in v.because and "too small to see" not in v.because


@pytest.mark.parametrize("settings, answer, said", [
    # one overshoot, then settled: the page's own "zigzag you can see" needs 4 reversals (it said "zigzags")
    ({"w0": "0", "b0": "0", "alpha": "oscillating"}, "smooth", "turned back across the valley only once"),
    # close to a bottom it cannot hold (αλ_max = 2.11), moving away: it said "Settled" and "zigzags"
    ({"dataset": "imbalanced", "lambd": "1", "w0": "0", "b0": "0", "alpha": "30"}, "wild", "has moved away since"),
    # one step of 5.5 and most of the path: "flung", and a flight, not a smooth roll (it said "rolls smoothly")
    ({"dataset": "separable", "w0": "-3", "b0": "4", "alpha": "3"}, "wild", "One step flung the ball"),
])
def test_the_verdict_agrees_with_what_the_page_says_the_run_did(settings, answer, said):
    v = predict.check(predict.question("basin.regime", settings))
    assert v.answer == answer and said in v.headline
    if answer == "smooth":
        assert "counts as rolling down" in v.because and "Settled at the bottom" in v.headline


# ---------------------------------------------------------------- the reviewer's cases (guide review)

@pytest.mark.parametrize("settings, al", [
    ({"neuron": "linear", "lambd": "30", "alpha": "1"}, 1.94),             # overlap, exact bowl, 60 steps
    ({"dataset": "imbalanced", "lambd": "0.3", "alpha": "30"}, 1.98),      # logistic neuron
    ({"neuron": "linear", "alpha": "1", "steps": "10"}, 1.79),             # class mode: 10 steps
])
def test_a_zigzag_that_is_dying_out_is_a_zigzag(settings, al):
    """Still bouncing at the last shown step, but every swing is no larger than the one before and αλ_max < 2: the
    page's own headline says the zigzag dies out, and "zigzags, then settles" was told "Not this time"."""
    q = predict.question("basin.regime", settings)
    v = predict.check(q)
    p = predict._basin_params(settings)
    t, alpha, curv = predict.basin_run(p)
    b = basin.run_behaviour(t, curv)
    assert b.kind == "bounces" and b.shrinking and f"{alpha * curv.lam_max:.3g}" == f"{al:.3g}"
    assert behaviour.answer_of(b) == "wild"                       # without αλ_max: as before
    assert v.answer == "zigzag" and q.label(v.answer) == "It zigzags across the valley, then settles"
    assert f"At step {b.steps} it is still zigzagging" in v.because and "dying out" in v.because
    assert "does not look like the rule" not in v.because


@pytest.mark.parametrize("settings", [{"alpha": "10"}, {"dataset": "outlier", "alpha": "30"},
                                      {"dataset": "iris", "alpha": "30"}])
def test_a_logistic_zigzag_too_small_to_see_is_not_blamed_on_the_curvature(settings):
    """Overlap, logistic neuron, α = 10 (αλ_max = 1.21): the first overshoot is −0.19 against the rule's −0.21 and
    the zigzag shrinks below what can be seen. "The ball spends these steps where the curvature is different" was
    wrong; the explanation gives |1 − αλ_max| and says the zigzag is too small to see."""
    v = predict.check(predict.question("basin.regime", settings))
    p = predict._basin_params(settings)
    t, alpha, curv = predict.basin_run(p)
    al = alpha * curv.lam_max
    assert 1 < al < 2 and v.answer == "smooth"
    assert "curvature is different" not in v.because
    assert f"each overshoot is only {abs(1 - al):.2f} times the last" in v.because and "too small to see" in v.because


def test_data_with_no_bottom_is_not_explained_by_a_zigzag_that_settles():
    """Separable data, λ = 0: no finite minimum, so the rule's regimes cannot happen (the page warns so); the
    explanation spoke of "a zigzag that settles" and a distance to a bottom that does not exist."""
    v = predict.check(predict.question("basin.regime", {"dataset": "separable", "alpha": "oscillating"}))
    assert "no finite minimum" in v.because and "can only roll outwards" in v.because
    assert "measured at the start" in v.because
    assert "zigzag that settles" not in v.because and "1 − αλ_max" not in v.because
    assert "distance along that steepest direction" not in v.because and "curvature is different" not in v.because


@pytest.mark.parametrize("settings", [
    {"dataset": "imbalanced", "cost": "absolute", "preset": "custom", "w0": "-5", "b0": "6"},
    {"dataset": "overlap", "cost": "squared", "preset": "custom", "w0": "-2", "b0": "-5"},
])
def test_a_ball_crawling_over_a_plateau_gets_stuck(settings):
    """Imbalanced, absolute error, from (−5, 6) (a × on the page's own map): J went 0.9275 → 0.9139 in 300 steps and
    ended 0.849 above the lowest J, yet "neither gets stuck", because its gradient was 3.5 % of the grid's largest,
    not under 1 %. Overlap, squared error, (−2, −5) likewise, next to the trap (−3, −5), which was "stuck"."""
    v = predict.check(predict.question("losses.stuck", settings))
    assert v.answer == "left" and "got stuck: in its last 20 steps J fell by only" in v.headline
    p, _ = losses.LossesParams.parse(settings)
    run_l, run_r, *_ = predict.losses_runs(p)
    assert run_l.stalled and not run_r.stalled
    J, floor = run_l.trajectory.cost, run_l.J_min
    assert J[-1] - floor > 0.18 and J[-21] - J[-1] < 0.01 * (J[0] - floor)
    if settings["dataset"] == "overlap":                                   # the trap start next to it agrees
        assert predict.check(predict.question("losses.stuck", {**settings, "w0": "-3"})).answer == "left"


def test_absolute_errors_explanation_gives_its_own_dz():
    """It said "(squared error: dZ = (A − Y)·A·(1 − A))" of absolute error, whose dZ is sign(A − Y)·A·(1 − A), as
    core.maths.loss_functions computes it."""
    from core.maths.activations import sigmoid
    from core.maths.loss_functions import get_loss
    v = predict.check(predict.question("losses.stuck", {"cost": "absolute", "preset": "zeros"}))
    assert "absolute error (L1): dZ = sign(A − Y)·A·(1 − A)" in v.because and "squared error" not in v.because
    Z, Y = np.linspace(-4, 4, 9), np.array([0, 1, 1, 0, 1, 0, 0, 1, 1])
    A = sigmoid(Z)
    np.testing.assert_allclose(get_loss("sigmoid", "absolute").dZ(Z, Y), np.sign(A - Y) * A * (1 - A))
    v = predict.check(predict.question("losses.stuck", {"preset": "zeros"}))
    assert "squared error: dZ = (A − Y)·A·(1 − A)" in v.because and "sign" not in v.because


def test_class_mode_reveals_the_same_answers():
    """Class mode (ui/classmode_questions) asks the same questions through the same functions: a class's overlap,
    linear neuron, α = 1, 10 steps (αλ_max = 1.79, still zigzagging at step 10, dying out) is a zigzag, and a start
    crawling over a plateau is stuck there too."""
    from ui import classmode_questions as cq
    q = cq.basin_choice("overlap", "linear", "1", 10)
    shown = cq.reveal(q).verdict
    assert shown == predict.check(q) and shown.answer == "zigzag"
    assert "At step 10 it is still zigzagging" in shown.because
    q = predict.question("losses.stuck", {"dataset": "imbalanced", "cost": "absolute", "preset": "custom",
                                          "w0": "-5", "b0": "6"})
    shown = cq.reveal(q).verdict
    assert shown == predict.check(q) and shown.answer == "left"
