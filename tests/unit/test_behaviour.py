"""The checker behind the Cost basin's presets and sentences (core.lessons.behaviour), and the sweep over every bundled
data set × neuron × λ × preset: each preset behaves as named, and the page's sentence says what happened."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from core.data.datasets import ONE_FEATURE_SETS
from core.lessons import basin
from core.lessons import behaviour as bh
from core.maths.logistic import gradient_descent
from core.maths.surfaces import find_minimum

DATASETS = list(ONE_FEATURE_SETS)
STEPS = 60                               # the page's default number of shown steps


# ---------------------------------------------------------------- the checker, on hand-worked sequences


def test_reversals_count_only_visible_sign_changes():
    assert bh.reversals([0.5, -0.4, 0.3, -0.001, 0.2]) == 2      # the 0.001 step is too small to see
    assert bh.reversals([1.0, 0.5, 0.25]) == 0
    assert bh.reversals([1.0, -1.0, 1.0, -1.0, 1.0]) == 4
    assert bh.reversals([]) == 0 and bh.reversals([3.0]) == 0


def _line(e, direction=(0.0, 1.0), bottom=(1.0, -1.0)):
    """Points bottom + e_k·v and a quadratic cost ½e_k²."""
    e = np.asarray(e, float)
    v = np.asarray(direction, float)
    return bottom[0] + e * v[0], bottom[1] + e * v[1], 0.5 * e ** 2


@pytest.mark.parametrize("factor, kind", [(0.5, "smooth"), (1.8, "zigzags"), (2.6, "diverges")])
def test_a_quadratic_contracts_by_one_minus_alpha_lambda(factor, kind):
    """e_{k+1} = (1 − αλ)·e_k on a 1-D quadratic: the three regimes by hand."""
    e = 2.0 * (1 - factor) ** np.arange(31)
    w, b, J = _line(e)
    out = bh.behaviour(w, b, J, False, (0.0, 1.0), (1.0, -1.0))
    assert out.kind == kind
    if factor == 1.8:
        # steps s_k = e_{k+1} − e_k = −1.8·e_k = −3.6·(−0.8)^k flip sign every step; visible while
        # 3.6·0.8^k ≥ 0.05, i.e. for k ≤ 19 (3.6·0.8^19 = 0.0519, 3.6·0.8^20 = 0.0415): 20 steps, 19 reversals.
        # J = ½e² falls every step all the same: |e| shrinks by 0.8 even as e changes sign.
        assert out.reversals == 19 and out.rises == 0


def test_a_ball_bouncing_between_two_points_bounces():
    e = np.r_[2.0, 1.0, np.tile([0.8, -0.8], 10)]
    out = bh.behaviour(*_line(e), False, (0.0, 1.0), (1.0, -1.0))
    assert out.kind == "bounces" and out.distance == pytest.approx(0.8)


def test_no_minimum_means_rolls_off_whatever_the_steps():
    out = bh.behaviour([0, 1, 2, 3], [0, 0, 0, 0], [1, 0.5, 0.3, 0.2], False, (0.0, 1.0), None)
    assert out.kind == "rolls off" and out.distance is None and out.first_jump == 1.0


def test_too_few_steps_to_arrive_is_still_rolling():
    e = 2.0 * 0.9 ** np.arange(6)                      # 2.0 → 1.18: not within 5% yet
    assert bh.behaviour(*_line(e), False, (0.0, 1.0), (1.0, -1.0)).kind == "rolling"


# ---------------------------------------------------------------- the bottom the checker measures against


@pytest.mark.parametrize("name, lambd", [("overlap", 0.0), ("tumour", 1.0), ("iris", 0.1), ("separable", 1.0),
                                         ("imbalanced", 100.0)])
def test_the_bottom_matches_scikit_learn(name, lambd):
    """J = mean log-loss + λ/(2m)w² is scikit-learn's objective with C = 1/λ (the intercept is not penalised)."""
    x, y, _ = basin.load(name, 0)
    mn = find_minimum(x, y, "sigmoid", "log", lambd)
    ref = LogisticRegression(C=1 / lambd if lambd else np.inf, tol=1e-12, max_iter=10_000).fit(x.T, y.ravel())
    assert mn.w.item() == pytest.approx(ref.coef_.item(), rel=1e-5)
    assert mn.b == pytest.approx(ref.intercept_.item(), abs=1e-5)


@pytest.mark.parametrize("name", DATASETS)
def test_default_start_sits_across_the_valley_below_the_bottom(name):
    x, y, data = basin.load(name, 0)
    mn = find_minimum(x, y, "sigmoid", "log", 1.0 if data.separable else 0.0)
    w0, b0 = basin.default_start(x, y)
    assert abs(w0 - mn.w.item()) <= 0.25 and abs(b0 - (mn.b - basin.START_BELOW)) <= 0.25
    assert (2 * w0).is_integer() and (2 * b0).is_integer()


# ---------------------------------------------------------------- the sweep


def _independent_reversals(t, v):
    """Re-counted here without core.lessons.behaviour: sign changes of (step · v), both steps at least 0.05 along v."""
    p = np.diff(np.c_[t.w[:, 0], t.b], axis=0) @ np.asarray(v)
    return sum(1 for a, c in zip(p[:-1], p[1:], strict=True) if a * c < 0 and min(abs(a), abs(c)) >= 0.05)


def _sweep_cases():
    for name in DATASETS:
        for neuron in basin.NEURONS:
            for lambd in basin.LAMBDAS:
                yield name, neuron, lambd


@pytest.mark.parametrize("name, neuron, lambd", list(_sweep_cases()))
def test_every_preset_behaves_as_named_and_the_page_says_what_happened(name, neuron, lambd):
    x, y, _ = basin.load(name, 0)
    w0, b0 = basin.default_start(x, y)
    act, loss = basin.NEURONS[neuron]
    curv = basin.tune_presets(x, y, act, loss, lambd, w0, b0, STEPS,
                              basin.curvature(x, y, act, loss, lambd, w0, b0))
    rates = curv.rates()
    runs = basin.compute_runs(x, y, list(basin.PRESETS), rates, w0, b0, STEPS, act, loss, lambd)
    bottom = curv.bottom()
    notes = " ".join(basin.preset_notes(curv, STEPS, neuron))

    if bottom is None:                   # separable data, no λ: no regime can happen, and the page says so
        assert name == "separable" and neuron == "logistic" and lambd == 0
        assert curv.failed == basin.PRESETS and "cannot happen on these data" in notes
        for token, t in zip(runs.tokens, runs.trajectories, strict=True):
            msg = basin.run_message(t, rates[token], curv, loss)
            assert "no finite minimum" in msg and "Converged" not in msg
            assert t.w[-1, 0] > t.w[0, 0]                 # it rolls outwards
        return

    # A preset may fail only where its regime genuinely cannot show from this start: then no α of its regime
    # (a fine grid, re-checked here) behaves, the page says so, and the start it suggests does work.
    assert set(curv.failed) <= {"oscillating"}
    if curv.failed:
        assert neuron == "logistic" and "No rate between 1/λ_max and 2/λ_max" in notes
        for f in np.arange(1.05, 2.0, 0.01):
            t = gradient_descent(np.array([[w0]]), b0, x, y, f / curv.lam_max, STEPS, act, loss, lambd, tol=1e-9)
            d = np.hypot(t.w[:, 0] - bottom[0], t.b - bottom[1])
            settled = t.status == "converged" or (d[-1] <= 0.05 * d[0] and np.hypot(
                t.w[-1, 0] - t.w[-2, 0], t.b[-1] - t.b[-2]) < 0.05)
            assert not (settled and _independent_reversals(t, curv.direction) >= 4), f
        start = basin.suggest_start(x, y, act, loss, lambd, STEPS, curv)
        assert start is not None and f"({start[0]:g}, {start[1]:g})".replace("-", "−") in " ".join(
            basin.preset_notes(curv, STEPS, neuron, start))          # a real minus sign, as on the rest of the page
    else:
        assert notes == ""
    factors = {p: rates[p] * curv.lam_max for p in basin.PRESETS}
    assert factors["smooth"] < 1 < factors["oscillating"] < 2 < factors["too-large"]   # each in its regime
    d = {p: np.hypot(t.w[:, 0] - bottom[0], t.b - bottom[1])
         for p, t in zip(runs.tokens, runs.trajectories, strict=True)}
    for token, t in zip(runs.tokens, runs.trajectories, strict=True):
        msg = basin.run_message(t, rates[token], curv, loss)
        rev = _independent_reversals(t, curv.direction)
        if token == "smooth":
            assert np.all(np.diff(t.cost) <= 1e-12), "J never rises"
            assert d[token][-1] <= 0.05 * d[token][0], "the ball settles"
            assert "J fell at every step" in msg
        elif token == "oscillating" and curv.failed:
            assert rev < 4 and "zigzag" not in msg        # the page does not claim a zigzag it did not show
        elif token == "oscillating":
            assert rev >= 4 and d[token][-1] <= 0.05 * d[token][0]
            assert "zigzag" in msg and f"{rev} reversals" in msg
        elif neuron == "linear":
            assert t.status == "diverged" and msg.startswith(f"Diverged at step {t.diverged_at}")
        else:
            assert t.status == "max_steps" and t.steps == STEPS
            p = np.diff(np.c_[t.w[:, 0], t.b], axis=0)[-10:] @ np.asarray(curv.direction)
            assert sum(a * c < 0 and min(abs(a), abs(c)) >= 0.05 for a, c in zip(p[:-1], p[1:], strict=True)) >= 2
            assert d[token][-1] > 0.05 * d[token][0], "still away from the bottom"
            assert f"Still bouncing at step {STEPS}" in msg and "without blowing up" in msg
        assert "Converged after 1 steps" not in msg


def test_separable_data_from_the_far_start_one_step_flings_the_ball_and_the_page_says_so():
    """The case that used to print "Converged after 1 steps": λ_max at the start (−3, 3), α = 2.6/λ_max."""
    x, y, _ = basin.load("separable", 0)
    curv = basin.tune_presets(x, y, "sigmoid", "log", 0.0, -3, 3, STEPS,
                              basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3))
    alpha = curv.rates()["too-large"]
    t = gradient_descent(np.array([[-3.0]]), 3.0, x, y, alpha, STEPS, "sigmoid", "log", 0.0, tol=1e-9)
    assert t.status == "converged" and t.steps == 1 and t.w[1, 0] == pytest.approx(43.7, abs=0.05)
    msg = basin.run_message(t, alpha, curv, "log")
    assert msg.startswith("One step flung the ball to w = 43.7") and "no minimum to converge to" in msg
    assert "Converged" not in msg


def test_logistic_with_a_large_penalty_can_blow_up_and_the_page_says_why():
    """With λ the cost has a quadratic part λ/(2m)·w² of curvature λ/m; α above 2m/λ makes w grow by
    |1 − αλ/m| > 1 per step where the data no longer pull: the logistic neuron diverges too."""
    x, y, _ = basin.load("iris", 0)
    w0, b0 = basin.default_start(x, y)
    curv = basin.curvature(x, y, "sigmoid", "log", 100.0, w0, b0)
    alpha = 2.6 / curv.lam_max
    assert alpha * curv.penalty > 2
    t = gradient_descent(np.array([[w0]]), b0, x, y, alpha, 150, "sigmoid", "log", 100.0, tol=1e-9)
    assert basin.run_behaviour(t, curv).kind == "diverges"
    msg = basin.run_message(t, alpha, curv, "log")
    assert "penalty λ/(2m)·w² does not" in msg and f"{1 - alpha * curv.penalty:.2f}".replace("-", "−") in msg


def test_a_preset_that_cannot_show_is_named_with_the_reason():
    """From the old far start (−3, 3) the logistic ball slides into iris's bottom along the valley floor:
    no α between 1/λ_max and 2/λ_max shows a zigzag there, and the page says so instead of promising one."""
    x, y, _ = basin.load("iris", 0)
    curv = basin.tune_presets(x, y, "sigmoid", "log", 0.0, -3, 3, STEPS,
                              basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3))
    assert "oscillating" in curv.failed
    note = " ".join(basin.preset_notes(curv, STEPS, "logistic"))
    assert "No rate between 1/λ_max and 2/λ_max" in note and "gentle direction of the valley" in note


@pytest.mark.parametrize("name, lambd, alpha, steps", [
    ("overlap", 0.0, 30.0, 60), ("overlap", 3.0, 30.0, 60), ("tumour", 3.0, 100.0, 60), ("iris", 3.0, 30.0, 60),
    ("tumour", 0.0, 100.0, 150),
])
def test_a_logistic_ball_that_bounces_far_is_not_called_diverging(name, lambd, alpha, steps):
    """Log-loss has a bounded slope: a ball thrown far out comes back. When the distance happens to rise over the
    last steps, yet stays below its earlier peak, the run is bouncing, and 5,000 steps later it has not blown up."""
    x, y, _ = basin.load(name, 0)
    w0, b0 = basin.default_start(x, y)
    curv = basin.curvature(x, y, "sigmoid", "log", lambd, w0, b0)
    assert abs(1 - alpha * curv.penalty) <= 1                     # the penalty alone cannot make w grow either
    t = gradient_descent(np.array([[w0]]), b0, x, y, alpha, steps, "sigmoid", "log", lambd, tol=1e-9)
    d = np.hypot(t.w[:, 0] - curv.bottom()[0], t.b - curv.bottom()[1])
    assert np.all(np.diff(d[-3:]) > 0) and d[-1] > d[0]            # what used to be read as "diverges"
    assert basin.run_behaviour(t, curv).kind == "bounces"
    msg = basin.run_message(t, alpha, curv, "log")
    assert msg.startswith(f"Still bouncing at step {steps}") and "blow" in msg and "would blow up" not in msg
    long = gradient_descent(np.array([[w0]]), b0, x, y, alpha, 5000, "sigmoid", "log", lambd, tol=1e-9)
    assert long.status == "max_steps" and np.abs(long.w).max() < 100


def test_a_linear_ball_that_keeps_zigzagging_below_two_is_not_told_alpha_is_above_the_limit():
    """Overlap, linear neuron, λ = 30, α = 1: α·λ_max = 1.94 < 2. The zigzag shrinks by 0.94 a step, too slowly to
    settle in 60 steps; the page says so, and not that α is above 2/λ_max. With more steps it converges."""
    x, y, _ = basin.load("overlap", 0)
    w0, b0 = basin.default_start(x, y)
    curv = basin.curvature(x, y, "linear", "squared", 30.0, w0, b0)
    assert 1.9 < curv.lam_max < 2
    t = gradient_descent(np.array([[w0]]), b0, x, y, 1.0, STEPS, "linear", "squared", 30.0, tol=1e-9)
    assert basin.run_behaviour(t, curv).kind == "bounces"
    msg = basin.run_message(t, 1.0, curv, "squared")
    assert "above 2/λ_max" not in msg and "below 2" in msg and f"{1 - curv.lam_max:.2f}".lstrip("-") in msg
    assert gradient_descent(np.array([[w0]]), b0, x, y, 1.0, 1000, "linear", "squared", 30.0,
                            tol=1e-9).status == "converged"


@pytest.mark.parametrize("name, lambd, edge", [("iris", 0.0, 1), ("tumour", 0.0, 1), ("iris", 100.0, 2)])
def test_alpha_exactly_on_a_threshold_is_named_for_what_it_does(name, lambd, edge):
    """Standardised iris and tumour give the linear neuron the Hessian I (λ_max = 1 up to rounding): α = 1 is one
    step to the bottom (a Newton step), not an oscillation; with λ = 100 on iris λ_max = 2, and α = 1 bounces with
    a constant size for ever."""
    x, y, _ = basin.load(name, 0)
    w0, b0 = basin.default_start(x, y)
    curv = basin.curvature(x, y, "linear", "squared", lambd, w0, b0)
    assert curv.lam_max == pytest.approx(edge, rel=1e-12)
    t = gradient_descent(np.array([[w0]]), b0, x, y, 1.0, STEPS, "linear", "squared", lambd, tol=1e-9)
    msg = basin.run_message(t, 1.0, curv, "squared")
    if edge == 1:
        assert curv.regime(1.0) == "smooth" and t.status == "converged" and t.steps == 1
        assert msg.startswith("Converged after 1 step ") and "one step lands exactly on the bottom" in msg
    else:
        assert curv.regime(1.0) == "too large" and basin.run_behaviour(t, curv).kind == "bounces"
        assert "α is at 2/λ_max" in msg and "for ever" in msg


def test_a_run_still_on_its_way_whose_cost_rose_is_not_said_to_roll_down():
    """Overlap, α = 100, 60 steps: not settled, not diverging, no zigzag at the end, yet J rose at 11 steps, up to
    9.46 against the bottom's 0.381. The page said 'still on its way down'; it now says the ball was thrown past
    the bottom (the kind "thrown", no longer "rolling": that is a calm run), and the distance is named a distance
    in w and b (not a gap in J)."""
    x, y, _ = basin.load("overlap", 0)
    w0, b0 = basin.default_start(x, y)
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, w0, b0)
    t = gradient_descent(np.array([[w0]]), b0, x, y, 100.0, STEPS, "sigmoid", "log", 0.0, tol=1e-9)
    b = basin.run_behaviour(t, curv)
    assert b.kind == "thrown" and b.rises == int(np.sum(np.diff(t.cost) > 1e-12))
    msg = basin.run_message(t, 100.0, curv, "log")
    peak = t.cost[1:][np.diff(t.cost) > 1e-12].max()                   # the highest J the rises reached
    assert "on its way down" not in msg and f"J rose at {b.rises} of the steps, up to {peak:.3g}" in msg
    assert "a distance in w and b" in msg and f"{curv.minimum.cost:.4g}" in msg
    calm = gradient_descent(np.array([[w0]]), b0, x, y, 0.1, STEPS, "sigmoid", "log", 0.0, tol=1e-9)
    assert basin.run_message(calm, 0.1, curv, "log").startswith(f"After {STEPS} steps the ball is still on its way")


def test_a_named_rate_that_cannot_live_up_to_its_name_says_so_where_it_is_named():
    """Separable classes, no λ: the page warns that no named regime can happen, yet the slider and the legend
    said 'smooth (8.55)'. A failed preset now carries its caveat wherever it is named."""
    x, y, _ = basin.load("separable", 0)
    w0, b0 = basin.default_start(x, y)
    curv = basin.tune_presets(x, y, "sigmoid", "log", 0.0, w0, b0, STEPS,
                              basin.curvature(x, y, "sigmoid", "log", 0.0, w0, b0))
    assert curv.bottom() is None and set(curv.failed) == set(basin.PRESETS)
    for token in basin.PRESETS:
        assert basin.rate_label(token, curv).endswith(", cannot happen here)")
        assert basin.legend_label(token, curv).endswith(": cannot happen here)")
    assert basin.regime_words(curv.rates()["smooth"], curv) == "no bottom"
    assert basin.rate_label("0.1", curv) == "0.1" and basin.legend_label("0.1", curv) == "α = 0.1"

    x, y, _ = basin.load("iris", 0)                  # a bottom, but no zigzag from the far start (−3, 3)
    curv = basin.tune_presets(x, y, "sigmoid", "log", 0.0, -3, 3, STEPS,
                              basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3))
    assert curv.failed == ("oscillating",)
    assert basin.rate_label("oscillating", curv).endswith(", not from this start)")
    assert basin.rate_label("smooth", curv) == f"smooth ({curv.rates()['smooth']:.3g})"
    assert basin.legend_label("smooth", curv) == f"α = {curv.rates()['smooth']:.3g} (smooth)"


def test_no_named_rate_reads_as_the_ladder_rate_beside_it():
    """On the linear neuron of the default data the oscillating rate is α = 1.0041: shown to 3 digits it read
    "oscillating (1)", one notch from the ladder's "1", and the path's step 3 asks to lower α one notch at a time.
    Every named rate on every data set and neuron reads as a number no other option of the slider shows."""
    assert basin.preset_rate_text(1.0040583200863917) == "1.004"
    assert basin.preset_rate_text(4.1196) == "4.12" and basin.preset_rate_text(1.0) == "1"
    for name in ONE_FEATURE_SETS:
        x, y, _ = basin.load(name, 0)
        w0, b0 = basin.default_start(x, y)
        for activation, loss in basin.NEURONS.values():
            curv = basin.tune_presets(x, y, activation, loss, 0.0, w0, b0, STEPS,
                                      basin.curvature(x, y, activation, loss, 0.0, w0, b0))
            shown = [basin.rate_label(t, curv).split(" (")[-1].split(",")[0].rstrip(")") if t in basin.PRESETS
                     else t for t in basin.ALPHA_TOKENS]
            assert len({float(v) for v in shown}) == len(shown), (name, activation, shown)


# ---------------------------------------------------------------- sentences the run's own numbers contradicted


def _page_run(name, neuron, lambd, w0, b0, steps, token):
    """(trajectory, α, tuned curvature) of one run as the page computes it."""
    x, y, _ = basin.load(name, 0)
    act, loss = basin.NEURONS[neuron]
    curv = basin.tune_presets(x, y, act, loss, lambd, w0, b0, steps, basin.curvature(x, y, act, loss, lambd, w0, b0))
    runs = basin.compute_runs(x, y, [token], curv.rates(), w0, b0, steps, act, loss, lambd)
    return runs.trajectories[0], float(runs.alphas[0]), curv


def test_a_ball_near_a_bottom_it_cannot_hold_is_not_settled_while_it_moves_away():
    """Imbalanced, λ = 1, start (0, 0), α = 30 (αλ_max = 2.11): the ball comes within 0.0001 of the bottom by step
    20, then the distance grows at every step (0.0088 at step 60, a steady bounce 0.83 away later), J rising at 44
    steps. The page said "Settled at the bottom within 60 steps" and scored "keeps bouncing" wrong."""
    t, alpha, curv = _page_run("imbalanced", "logistic", 1.0, 0.0, 0.0, 60, "30")
    d = np.hypot(t.w[:, 0] - curv.bottom()[0], t.b - curv.bottom()[1])
    assert d[-1] <= bh.SETTLE * d[0] and np.all(np.diff(d[20:]) > 0)         # close, yet moving away
    b = basin.run_behaviour(t, curv)
    assert b.kind == "thrown" and b.leaving and bh.answer_of(b) == "wild"
    msg = basin.run_message(t, alpha, curv, "log")
    assert "Settled" not in msg and f"has moved away since, to {d[-1]:.2g}" in msg and "cannot hold it" in msg
    long = gradient_descent(np.array([[0.0]]), 0.0, *basin.load("imbalanced", 0)[:2], alpha, 400, "sigmoid", "log",
                            1.0, tol=1e-9)
    assert np.hypot(long.w[-1, 0] - curv.bottom()[0], long.b[-1] - curv.bottom()[1]) > 0.5     # it never settles
    # iris from (9, 4), α = 100: "Settled … after a zigzag … each smaller than the last" at step 60; 16.6 away at 150
    t, alpha, curv = _page_run("iris", "logistic", 0.0, 9.0, 4.0, 60, "100")
    msg = basin.run_message(t, alpha, curv, "log")
    assert "Settled" not in msg and "each smaller than the last" not in msg
    assert bh.answer_of(basin.run_behaviour(t, curv)) == "wild"


def test_a_path_that_turns_away_from_the_bottom_is_not_settled_however_close():
    """By hand: e shrinks to 1e-4, then grows by −1.1 a step (an overshoot larger than the last)."""
    e = np.r_[2.0 * 0.5 ** np.arange(15), 6e-5 * (-1.1) ** np.arange(1, 30)]
    out = bh.behaviour(*_line(e), False, (0.0, 1.0), (1.0, -1.0))
    assert abs(e[-1]) <= bh.SETTLE * e[0] and out.kind == "thrown" and out.leaving
    calm = bh.behaviour(*_line(2.0 * 0.5 ** np.arange(40)), False, (0.0, 1.0), (1.0, -1.0))
    assert calm.kind == "smooth" and not calm.leaving


def test_a_zigzag_whose_swings_grow_again_is_not_said_to_shrink_each_time():
    """Separable, λ = 10, oscillating: the swings across the valley go 0.297, 0.695, 0.362, 0.332, … The page said
    "each smaller than the last"; it now says the zigzag was dying out. A zigzag whose swings do shrink keeps it."""
    x, y, _ = basin.load("separable", 0)
    w0, b0 = basin.default_start(x, y)
    t, alpha, curv = _page_run("separable", "logistic", 10.0, w0, b0, STEPS, "oscillating")
    msg = basin.run_message(t, alpha, curv, "log")
    assert "each smaller than the last" not in msg and "dying out" in msg
    b = basin.run_behaviour(t, curv)
    amps = bh.swings(t.w[:, 0], t.b, curv.direction, curv.bottom())
    assert b.kind == "zigzags" and np.any(np.diff(amps[1:]) > 1e-9) and not b.shrinking
    t, alpha, curv = _page_run("overlap", "linear", 0.0, 2.0, -2.5, STEPS, "oscillating")
    assert "each smaller than the last" in basin.run_message(t, alpha, curv, "squared")


def test_a_fling_is_described_from_where_the_ball_lands():
    """Separable, start (−3, 4), α = 3: the first step lands at w = 2.49, b = 3.61, where 39 of the 200 examples are
    on the wrong side, and the ball travels 4.4 more. The page said every example was on the right side and the
    ball barely moved again, and the predict box said it rolled smoothly."""
    t, alpha, curv = _page_run("separable", "logistic", 0.0, -3.0, 4.0, STEPS, "3")
    x, y, _ = basin.load("separable", 0)
    wrong = int(np.sum((2 * y - 1) * (t.w[1, 0] * x + t.b[1]) <= 0))
    later = np.sum(np.hypot(np.diff(t.w[1:, 0]), np.diff(t.b[1:])))
    assert wrong == 39 and later > 4
    msg = basin.run_message(t, alpha, curv, "log")
    assert msg.startswith("One step flung the ball to w = 2.49, b = 3.61")
    assert "every example is on the right side" not in msg and "barely moves" not in msg
    assert "39 of the 200 examples are still on the wrong side" in msg and f"another {later:.2g}" in msg
    assert bh.answer_of(basin.run_behaviour(t, curv)) == "wild"                  # flung: it flies off
    # from (−10, −10), α = 10: flung to b = −8.82, with a real minus sign
    t, alpha, curv = _page_run("separable", "logistic", 0.0, -10.0, -10.0, STEPS, "10")
    assert "b = −8.82" in basin.run_message(t, alpha, curv, "log")


def test_a_ball_rolling_in_with_no_bottom_is_not_said_to_roll_outwards():
    """Separable, start (−10, −10), α = 0.03: ‖(w, b)‖ falls at every step; the page said 'still rolling outwards'."""
    t, alpha, curv = _page_run("separable", "logistic", 0.0, -10.0, -10.0, STEPS, "0.03")
    assert np.all(np.diff(np.hypot(t.w[:, 0], t.b)) < 0)
    msg = basin.run_message(t, alpha, curv, "log")
    assert "outwards" not in msg and "still rolling down" in msg
    t, alpha, curv = _page_run("separable", "logistic", 0.0, 3.5, -2.5, STEPS, "0.03")
    assert np.hypot(t.w[-1, 0], t.b[-1]) > np.hypot(t.w[-2, 0], t.b[-2])
    assert "still rolling outwards" in basin.run_message(t, alpha, curv, "log")


def test_at_the_most_steps_the_page_shows_it_suggests_another_rate_not_more_steps():
    """At 150 steps, the slider's end, "Show more steps" cannot be followed: a slow run suggests a larger α."""
    t, alpha, curv = _page_run("overlap", "logistic", 0.0, 2.0, -2.5, 150, "0.01")
    msg = basin.run_message(t, alpha, curv, "log")
    assert "Show more steps" not in msg and "a larger α" in msg and "150 steps are the most" in msg
    assert basin.MAX_STEPS == 150
    t, alpha, curv = _page_run("overlap", "logistic", 0.0, 2.0, -2.5, 149, "0.01")
    assert "Show more steps" in basin.run_message(t, alpha, curv, "log")
    x, y, _ = basin.load("separable", 0)            # the smooth preset cannot show from (0, 0) with λ = 0.1
    curv = basin.tune_presets(x, y, "sigmoid", "log", 0.1, 0.0, 0.0, 150,
                              basin.curvature(x, y, "sigmoid", "log", 0.1, 0.0, 0.0))
    assert "smooth" in curv.failed
    assert not any("Show more steps" in n for n in basin.preset_notes(curv, 150, "logistic"))


def test_a_preset_warning_gives_the_reason_its_candidates_show():
    """Iris, 10 steps: every oscillating candidate is still bouncing (2 to 5 reversals), not sliding in along the
    valley; imbalanced from (0, 0), 10 steps: every too-large candidate is still on its way, none has come to rest
    or blown up. The warnings said otherwise."""
    x, y, _ = basin.load("iris", 0)
    w0, b0 = basin.default_start(x, y)
    curv = basin.tune_presets(x, y, "sigmoid", "log", 0.0, w0, b0, 10,
                              basin.curvature(x, y, "sigmoid", "log", 0.0, w0, b0))
    note = " ".join(basin.preset_notes(curv, 10, "logistic"))
    assert "gentle direction" not in note and "every one is still bouncing at step 10 (2 to 5 reversals" in note
    kinds = dict(curv.tried)["oscillating"]
    assert {k for _, k, _ in kinds} == {"bounces"} and max(r for _, _, r in kinds) >= 4
    x, y, _ = basin.load("imbalanced", 0)
    curv = basin.tune_presets(x, y, "sigmoid", "log", 0.0, 0.0, 0.0, 10,
                              basin.curvature(x, y, "sigmoid", "log", 0.0, 0.0, 0.0))
    note = next(n for n in basin.preset_notes(curv, 10, "logistic") if n.startswith("No rate above"))
    assert "comes to rest" not in note and "blows up" not in note and "on their way down at step 10" in note
    assert {k for _, k, _ in dict(curv.tried)["too-large"]} <= {"rolling", "thrown"}


def test_the_linear_neurons_exact_bowl_says_how_much_is_left_not_that_j_curves_differently():
    """Linear neuron, 10 steps, α = 1: |1 − αλ_max| = 0.79, and J is an exact bowl: 0.79¹⁰ ≈ 0.098 of the start's
    offset across the valley is left. The page said J 'curves differently where it is'."""
    t, alpha, curv = _page_run("overlap", "linear", 0.0, 2.0, -2.5, 10, "1")
    shrink = abs(1 - alpha * curv.lam_max)
    msg = basin.run_message(t, alpha, curv, "squared")
    assert basin.run_behaviour(t, curv).kind == "bounces"
    assert "curves differently" not in msg and f"{shrink:.2f}¹⁰ ≈ {shrink ** 10:.2g}" in msg


def test_a_small_alpha_lambda_is_written_with_significant_digits():
    """Iris, α = 0.1: αλ_max = 0.0049, which the page wrote as 0.00."""
    t, alpha, curv = _page_run("iris", "logistic", 0.0, 5.5, -2.0, STEPS, "0.1")
    msg = basin.run_message(t, alpha, curv, "log")
    assert "αλ_max = 0.00)" not in msg and f"αλ_max = {alpha * curv.lam_max:.3g}" in msg
    assert basin.ratio_text(1.9996) == "1.9996" and basin.ratio_text(2.11) == "2.11"      # never "2" below 2


def test_the_highest_j_of_the_rises_is_not_the_starting_j():
    """Overlap from (−3, 4), 10 steps, α = 30: J rose at 2 steps, up to 0.382; the page said 'up to 3.81', J at the
    start."""
    t, alpha, curv = _page_run("overlap", "logistic", 0.0, -3.0, 4.0, 10, "30")
    msg = basin.run_message(t, alpha, curv, "log")
    rose = np.diff(t.cost) > 1e-12
    assert f"J rose at {rose.sum()} of the steps, up to {t.cost[1:][rose].max():.3g}" in msg
    assert f"up to {t.cost[0]:.3g}" not in msg and t.cost[0] == t.cost.max()


def test_the_map_frames_the_start_the_bottom_and_the_runs_that_stay_near():
    """Separable, λ = 0.1: the oscillating run (α = 451) was thrown to w = 48.8, and the map spanned w −10…60,
    b −40…30, the start, the bottom and the shown run a speck. The map now frames those; the thrown run leaves it,
    and the page says so."""
    x, y, _ = basin.load("separable", 0)
    w0, b0 = basin.default_start(x, y)
    curv = basin.tune_presets(x, y, "sigmoid", "log", 0.1, w0, b0, STEPS,
                              basin.curvature(x, y, "sigmoid", "log", 0.1, w0, b0))
    runs = basin.compute_runs(x, y, list(basin.ALPHA_TOKENS), curv.rates(), w0, b0, STEPS, "sigmoid", "log", 0.1)
    box = basin.basin_box(runs, curv, w0, b0)
    assert box[1] - box[0] <= 12 and box[3] - box[2] <= 12
    for token in ("smooth", "0.1", "30"):
        assert basin.map_sentence(runs.trajectories[runs.index(token)], box) == ""
    thrown = runs.trajectories[runs.index("oscillating")]
    assert thrown.w[:, 0].max() > 40 and basin.off_map(thrown, box).size
    assert basin.map_sentence(thrown, box).startswith("The ball is off the map at ")


def test_a_suggested_start_is_written_with_a_real_minus_sign():
    """The warning suggested "(2, -4.5)" with a hyphen; the page writes "−" everywhere else."""
    x, y, _ = basin.load("iris", 0)
    curv = basin.tune_presets(x, y, "sigmoid", "log", 0.0, -3, 3, STEPS,
                              basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3))
    note = " ".join(basin.preset_notes(curv, STEPS, "logistic", (2.0, -4.5)))
    assert "(w₀, b₀) = (2, −4.5)" in note and "-" not in note


def test_a_zigzag_still_dying_out_at_the_last_step_is_the_zigzag_answer():
    """1 − αλ = −0.94 on J = ½e²: after 60 steps the ball still swings 0.07 across the valley (more than VISIBLE), so
    it "bounces", but each swing is smaller than the last and αλ = 1.94 < 2: a zigzag that settles, given time. The
    student who said so was marked wrong. A bounce whose swings do not shrink, or with αλ at or above 2, stays wild."""
    b = bh.behaviour(*_line(3.0 * (-0.94) ** np.arange(61)), False, (0.0, 1.0), (1.0, -1.0))
    assert b.kind == "bounces" and b.shrinking and b.rises == 0
    assert bh.answer_of(b, 1.94) == "zigzag" and bh.dying_out(b, 1.94)
    assert bh.answer_of(b) == "wild"                           # αλ_max not known: as before
    assert bh.answer_of(b, 2.0) == "wild" and bh.answer_of(b, 2.3) == "wild"     # the bottom cannot hold it
    steady = bh.behaviour(*_line(np.tile([1.0, -0.9, 0.8, -1.0], 15)), False, (0.0, 1.0), (1.0, -1.0))
    assert steady.kind == "bounces" and not steady.shrinking and bh.answer_of(steady, 1.5) == "wild"
    grows = bh.behaviour(*_line(0.1 * (-1.06) ** np.arange(40)), False, (0.0, 1.0), (1.0, -1.0))
    assert grows.kind == "diverges" and bh.answer_of(grows, 1.5) == "wild"
