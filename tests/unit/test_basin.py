"""Cost basin logic: the learning-rate presets behave as named on every bundled 1-feature dataset."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data.datasets import ONE_FEATURE_SETS
from core.lessons import basin
from core.maths.logistic import gradient_descent
from core.maths.surfaces import hessian

DATASETS = list(ONE_FEATURE_SETS)


def _setup(name, neuron="logistic", lambd=0.0):
    x, y, data = basin.load(name, 0)
    act, loss = basin.NEURONS[neuron]
    # Separable data has no finite log-loss minimum; the page offers λ, and with λ the presets apply again.
    if neuron == "logistic" and data.separable and lambd == 0:
        lambd = 1.0
    curv = basin.curvature(x, y, act, loss, lambd, -3.0, 3.0)
    return x, y, act, loss, lambd, curv


def _run(x, y, act, loss, lambd, alpha, steps):
    return gradient_descent(np.array([[-3.0]]), 3.0, x, y, alpha, steps, act, loss, lambd, tol=1e-12)


@pytest.mark.parametrize("name", DATASETS)
def test_smooth_preset_decreases_the_cost_every_step_and_converges(name):
    x, y, act, loss, lambd, curv = _setup(name)
    t = _run(x, y, act, loss, lambd, curv.rates()["smooth"], 3000)
    assert np.all(np.diff(t.cost) <= 1e-12)
    assert abs(t.final_w.item() - curv.minimum.w.item()) < 1e-4
    assert abs(t.final_b - curv.minimum.b) < 1e-4


@pytest.mark.parametrize("name", DATASETS)
def test_oscillating_preset_flips_sign_along_the_steepest_direction_yet_converges(name):
    """Near the bottom (where λ_max is measured) each step overshoots along the steepest direction."""
    x, y, act, loss, lambd, curv = _setup(name)
    mn = curv.minimum
    _, vectors = np.linalg.eigh(hessian(mn.w, mn.b, x, y, act, loss, lambd))
    v_min, v_max = vectors[:, 0], vectors[:, -1]
    start = np.r_[mn.w.ravel(), mn.b] + 0.3 * v_max + 0.3 * v_min
    t = gradient_descent(start[:1, None], start[1], x, y, curv.rates()["oscillating"], 3000, act, loss, lambd,
                         tol=1e-12)
    e = (np.c_[t.w, t.b] - np.r_[mn.w.ravel(), mn.b]) @ v_max      # error along the steepest direction
    head = e[:15]
    assert np.all(np.sign(head[1:]) == -np.sign(head[:-1])), "each update should overshoot and flip sign"
    assert abs(t.final_w.item() - mn.w.item()) < 1e-6 and abs(t.final_b - mn.b) < 1e-6
    # and from the page's start point the same rate still converges
    far = _run(x, y, act, loss, lambd, curv.rates()["oscillating"], 3000)
    assert abs(far.final_w.item() - mn.w.item()) < 1e-4


@pytest.mark.parametrize("name", DATASETS)
def test_too_large_preset_does_not_converge_but_log_loss_stays_bounded(name):
    x, y, act, loss, lambd, curv = _setup(name)
    t = _run(x, y, act, loss, lambd, curv.rates()["too-large"], 3000)
    assert t.status == "max_steps"
    assert t.grad_norm[-100:].min() > 1e-3            # still far from a zero gradient after 3000 steps
    assert np.all(np.isfinite(t.cost)) and t.status != "diverged"   # bounces, never blows up


@pytest.mark.parametrize("name", DATASETS)
def test_linear_neuron_diverges_above_two_over_lambda_max_and_converges_below(name):
    x, y, act, loss, lambd, curv = _setup(name, "linear")
    below = _run(x, y, act, loss, lambd, 0.95 * curv.critical, 5000)
    above = _run(x, y, act, loss, lambd, 1.05 * curv.critical, 5000)
    assert below.status == "converged"
    assert above.status == "diverged" and above.diverged_at is not None
    assert np.all(np.isfinite(above.cost))              # no NaN ever reaches the page
    msg = basin.run_message(above, 1.05 * curv.critical, curv, loss)
    assert msg.startswith(f"Diverged at step {above.diverged_at}")


def test_lambda_max_matches_finite_differences_of_the_gradient():
    x, y, act, loss, lambd, curv = _setup("overlap")
    w, b, h = curv.minimum.w.item(), curv.minimum.b, 1e-5
    from core.maths.logistic import propagate

    def grad(w_, b_):
        g, _ = propagate(np.array([[w_]]), b_, x, y, act, loss, lambd)
        return np.array([g["dw"].item(), g["db"]])
    H = np.c_[(grad(w + h, b) - grad(w - h, b)) / (2 * h), (grad(w, b + h) - grad(w, b - h)) / (2 * h)]
    assert np.isclose(np.linalg.eigvalsh((H + H.T) / 2)[-1], curv.lam_max, rtol=1e-5)


def test_separable_data_has_no_finite_minimum_and_the_ball_rolls_outwards():
    x, y, data = basin.load("separable", 0)
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, -3.0, 3.0)
    assert data.separable and not curv.minimum.finite and curv.at == "start"
    t = _run(x, y, "sigmoid", "log", 0.0, curv.rates()["smooth"], 400)
    assert np.all(np.diff(t.w[50:, 0]) > 0)             # w keeps growing
    assert "no finite minimum" in basin.run_message(t, curv.rates()["smooth"], curv, "log")


def test_separable_data_gets_a_bottom_that_comes_closer_as_lambda_grows():
    x, y, _ = basin.load("separable", 0)
    bottoms = [basin.curvature(x, y, "sigmoid", "log", lam, 0, 0).minimum for lam in (0.1, 1.0, 10.0, 100.0)]
    assert all(m.finite for m in bottoms)
    ws = [m.w.item() for m in bottoms]
    assert ws == sorted(ws, reverse=True) and ws[-1] > 0


def test_ladder_spans_1e_minus_4_to_100_and_presets_follow_curvature():
    assert min(basin.LADDER) == 1e-4 and max(basin.LADDER) == 100
    assert len(set(basin.ALPHA_TOKENS)) == len(basin.ALPHA_TOKENS)
    curv = basin.Curvature(minimum=None, at="minimum", lam_max=2.0, lam_min=1.0)
    r = curv.rates()
    assert r["smooth"] == 0.25 and r["oscillating"] == 0.9 and r["too-large"] == 1.3
    assert [curv.regime(r[k]) for k in basin.PRESETS] == ["smooth", "oscillating", "too large"]
    assert r["0.003"] == 0.003


def test_runs_are_padded_after_they_stop():
    x, y, act, loss, lambd, curv = _setup("overlap", "linear")
    runs = basin.compute_runs(x, y, ["too-large", "smooth"], curv.rates(), -3, 3, 150, act, loss, lambd)
    t = runs.trajectories[0]
    assert t.status == "diverged" and runs.W.shape == (2, 151)
    assert np.all(runs.W[0, t.steps:] == t.w[-1, 0]) and np.all(np.isfinite(runs.J))


def test_params_from_url_valid_and_invalid():
    p, notes = basin.BasinParams.parse({"dataset": "iris", "alpha": "oscillating", "steps": "40", "w0": "2"})
    assert (p.dataset, p.alpha, p.steps, p.w0) == ("iris", "oscillating", 40, 2.0) and not notes
    assert basin.BasinParams.from_query(p.to_query()) == p
    p, notes = basin.BasinParams.parse({"dataset": "mnist", "alpha": "7", "steps": "9999", "seed": "x"})
    assert p == basin.BasinParams() and len(notes) == 4
    p, notes = basin.snap_params(basin.BasinParams(lambd=0.5, grid=55))
    assert (p.lambd, p.grid) == (0.3, 60) and len(notes) == 2


def test_parse_race_keeps_four_known_rates():
    tokens, notes = basin.parse_race("0.1,smooth,bogus,smooth,1,3,10")
    assert tokens == ["0.1", "smooth", "1", "3"] and len(notes) == 2


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(-50, 50), st.floats(-50, 50)), min_size=1, max_size=20))
def test_axis_ranges_hold_every_point(points):
    w, b = np.array(points).T
    w_lo, w_hi, b_lo, b_hi = basin.axis_ranges(w, b)
    assert w_lo < w.min() and w.max() < w_hi and b_lo < b.min() and b.max() < b_hi
    assert w_hi - w_lo >= 4 and b_hi - b_lo >= 4


def test_curve_points_sit_on_the_neuron_output():
    X, Z = basin.curve_points(np.array([2.0, 0.0]), np.array([-1.0, 0.5]), -4, 4)
    assert X.shape == (2, 7) and np.all(np.diff(X, axis=-1) >= 0)
    assert np.allclose(Z, np.array([2.0, 0.0])[:, None] * X + np.array([-1.0, 0.5])[:, None])
    assert np.isclose(X[0], 0.5).any()                  # z = 0 at x = -b/w


def test_steps_csv_has_one_row_per_step_with_the_gradient():
    x, y, act, loss, lambd, curv = _setup("overlap")
    t = _run(x, y, act, loss, lambd, 1.0, 5)
    rows = basin.steps_csv(t, 1.0).strip().splitlines()
    assert rows[1] == "step,w,b,dw,db,J" and len(rows) == 2 + 6
    k, w, b, dw, db, J = map(float, rows[3].split(","))
    assert (k, w) == (1.0, float(f"{t.w[1, 0]:.10g}")) and np.isclose(db, t.db[1])


@pytest.mark.parametrize("dataset, neuron, token", [("overlap", "linear", "too-large"), ("overlap", "logistic", "100"),
                                                    ("overlap", "logistic", "too-large"),
                                                    ("imbalanced", "logistic", "100")])
def test_a_ball_that_leaves_the_map_is_said_to(dataset, neuron, token):
    """The map holds the runs that settle (basin_box): a ball thrown off it vanished from the 3D basin and the top
    view with no word why. The sentence names the first step off the map, the steps off it, and what is left."""
    p = basin.BasinParams(dataset=dataset, neuron=neuron)
    x, y, _ = basin.load(dataset, 0)
    act, loss = basin.NEURONS[neuron]
    curv = basin.curvature(x, y, act, loss, p.lambd, p.w0, p.b0)
    curv = basin.tune_presets(x, y, act, loss, p.lambd, p.w0, p.b0, p.steps, curv)
    runs = basin.compute_runs(x, y, list(basin.ALPHA_TOKENS), curv.rates(), p.w0, p.b0, p.steps, act, loss, p.lambd)
    box = basin.basin_box(runs, curv, p.w0, p.b0)
    t = runs.trajectories[runs.index(token)]
    w, b = t.w[:, 0], t.b
    inside = (w >= box[0]) & (w <= box[1]) & (b >= box[2]) & (b <= box[3])
    first = int(np.argmin(inside))
    assert not inside.all() and basin.off_map(t, box).tolist() == np.flatnonzero(~inside).tolist()
    said = basin.map_sentence(t, box)
    assert f"step {first}" in said and f"w = {w[first]:.3g}".replace("-", "−") in said and "−0 " not in said
    if not inside[first:].any():
        assert said.startswith(f"The ball leaves the map at step {first} ") and "only the cost panel" in said
    elif (~inside).sum() == 1:
        assert said.startswith(f"The ball is off the map at step {first} only ")
    else:
        assert f"off the map at {(~inside).sum()} of the {p.steps} steps" in said
    settles = runs.trajectories[runs.index("smooth")]
    assert basin.map_sentence(settles, box) == ""                 # the runs that settle stay on the map


def test_the_lam_max_caption_speaks_of_a_bottom_only_where_there_is_one():
    """Separable data, λ = 0 (no finite minimum): the caption said "Near the bottom each step multiplies …" and
    "along the steepest direction at the bottom", beside a warning that the ball rolls outwards forever."""
    from core.lessons.basin import lam_max_caption
    none, one = lam_max_caption(False), lam_max_caption(True)
    assert "bottom" not in none and "at the start point (there is no finite minimum)" in none
    assert "Near the bottom each step multiplies" in one and "at the minimum" in one


def test_the_lam_max_caption_tells_the_curvature_from_the_penalty():
    """The page's sidebar has "L2 regularisation λ" and its box "λ_max": a student read λ_max as the largest λ the
    slider offers. The caption says what λ_max measures and that it is not the penalty."""
    from core.lessons.basin import lam_max_caption
    for bottom in (False, True):
        said = lam_max_caption(bottom)
        assert "how sharply J curves" in said and "not the penalty λ" in said
        # a reversal as core.lessons.behaviour counts it: steps' components along the valley (it read "in w or b")
        assert "by steps that each move at least 0.05 along it" in said and "in w or b" not in said


def _from_zero(name, seed, factor):
    """A run of 60 steps from (0, 0) at α = factor/λ_max, as the page runs it, and the curvature."""
    x, y, _ = basin.load(name, seed)
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, 0.0, 0.0)
    alpha = factor / curv.lam_max
    t = gradient_descent(np.array([[0.0]]), 0.0, x, y, alpha, 60, "sigmoid", "log", 0.0, tol=basin.STOP_TOL)
    return t, alpha, curv


def test_a_smooth_run_that_overshot_once_is_not_said_to_have_no_overshoot():
    """?dataset=overlap&seed=7&w0=0&b0=0&alpha=smooth: step 1 takes w from 0 to 3.14, past the bottom's 2.87, and
    back: "with no overshoot worth the name" was said of it."""
    t, alpha, curv = _from_zero("overlap", 7, 0.5)
    assert t.w[1, 0] > curv.minimum.w.item() > t.w[0, 0]                    # past the bottom at step 1
    said = basin.run_message(t, alpha, curv, "log")
    assert "no overshoot worth the name" not in said
    assert "J fell at every step, though the ball overshot across the valley once on its way down" in said


def test_a_ball_flung_far_from_the_bottom_is_not_said_to_be_on_its_way_down_only():
    """?dataset=imbalanced&seed=7&w0=0&b0=0&alpha=too-large: step 1 throws the ball from 4.5 to 49 away from the
    bottom (J fell even so); the page said only "still on its way down: 5.1 from the bottom"."""
    t, alpha, curv = _from_zero("imbalanced", 7, 2.6)
    bottom = np.array([curv.minimum.w.item(), curv.minimum.b])
    d = np.hypot(t.w[:, 0] - bottom[0], t.b - bottom[1])
    assert d[1] > 10 * d[0] and t.cost[1] < t.cost[0]
    said = basin.run_message(t, alpha, curv, "log")
    assert said.startswith(f"The first step flung the ball {d[1]:.2g} from the bottom (it started {d[0]:.2g} away), "
                           "yet J fell")
    assert "Since then it has been rolling back" in said


def test_a_zigzag_counts_its_visible_reversals_and_says_the_small_ones_go_on():
    """αλ_max = 1.95 on the overlapping classes: "7 reversals across the valley" while, near the bottom, the ball
    turns back at every step by less than a visible step. The sentence says which reversals it counts, and that
    the small ones go on (checked on the run: the last steps along v alternate in sign)."""
    x, y, _ = basin.load("overlap", 0)
    w0, b0 = basin.default_start(x, y)                                  # the page's start on these data
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, w0, b0)
    alpha = 1.95 / curv.lam_max
    t = gradient_descent(np.array([[w0]]), b0, x, y, alpha, 60, "sigmoid", "log", 0.0, tol=basin.STOP_TOL)
    said = basin.run_message(t, alpha, curv, "log")
    assert "reversals across the valley by steps you can see (at least 0.05 along it" in said, said
    assert "closer in it still turns back at every step, by less" in said
    along = np.diff(np.column_stack([t.w[:, 0], t.b])[:t.steps + 1], axis=0) @ np.asarray(curv.direction)
    last = along[-10:]
    assert np.all(last[1:] * last[:-1] < 0) and np.all(np.abs(last) < 0.05)
