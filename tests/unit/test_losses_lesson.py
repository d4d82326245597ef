"""core.lessons.losses: the numbers behind the squared-error vs log-loss page, against independent references."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import log_loss

import core.lessons.losses as losses
from core.data.datasets import ONE_FEATURE_SETS, one_feature
from core.errors import InputError
from core.maths.logistic import gradient_descent, predict, propagate

DATASETS = list(ONE_FEATURE_SETS)


@pytest.fixture(scope="module")
def lands():
    """Landscapes of every data set for the two sigmoid costs, on the page's grid (computed once)."""
    out = {}
    W, B = losses.grid_axes()
    for name in DATASETS:
        d = one_feature(name)
        out[name] = (d, losses.landscape(d.x, d.y, "sigmoid", "squared", W, B),
                     losses.landscape(d.x, d.y, "sigmoid", "log", W, B))
    return out


def fd_hessian(x, y, w, b, activation, loss, h=1e-3):
    """2×2 Hessian of J from cost values only (centred second differences through propagate)."""
    def cost(dw, db):
        return propagate(np.array([[w + dw]]), b + db, x, y, activation, loss)[1]
    j0 = cost(0, 0)
    h_ww = (cost(h, 0) - 2 * j0 + cost(-h, 0)) / h**2
    h_bb = (cost(0, h) - 2 * j0 + cost(0, -h)) / h**2
    h_wb = (cost(h, h) - cost(h, -h) - cost(-h, h) + cost(-h, -h)) / (4 * h * h)
    return np.array([[h_ww, h_wb], [h_wb, h_bb]])


# ---------------------------------------------------------------- convexity maps


@pytest.mark.parametrize("name", ["overlap", "tumour", "outlier"])
@pytest.mark.parametrize("loss", ["squared", "absolute"])
def test_hessian_sign_map_agrees_with_finite_differences(name, loss):
    d = one_feature(name)
    W, B = losses.grid_axes()
    land = losses.landscape(d.x, d.y, "sigmoid", loss, W, B)
    rng = np.random.default_rng(7)
    lam_min = land.lam_min
    checked = 0
    for i, j in zip(rng.integers(0, B.size, 60), rng.integers(0, W.size, 60), strict=True):
        lam_fd = np.linalg.eigvalsh(fd_hessian(d.x, d.y, W[j], B[i], "sigmoid", loss))[0]
        assert lam_fd == pytest.approx(lam_min[i, j], abs=2e-5)
        if abs(lam_fd) > 1e-4:               # a clear sign: the map must say the same
            assert land.nonconvex[i, j] == (lam_fd < 0), (W[j], B[i], lam_fd)
            checked += 1
    assert checked >= 30


def test_log_loss_is_convex_on_the_whole_grid(lands):
    for name, (_, _, log) in lands.items():
        assert log.lam_min.min() >= -1e-9, name
        assert not log.nonconvex.any(), name


def test_squared_error_through_a_sigmoid_is_not_convex(lands):
    for name, (_, sq, _) in lands.items():
        assert sq.nonconvex.mean() > 0.5, name      # most of the window bends down in some direction
        assert sq.plateau.any(), name


def test_linear_neuron_with_squared_error_is_one_quadratic_bowl():
    d = one_feature("overlap")
    W, B = losses.grid_axes()
    land = losses.landscape(d.x, d.y, "linear", "squared", W, B)
    S = land.surface
    # H = mean([[x², x], [x, 1]]) everywhere: the same positive definite matrix at every point.
    x = d.x[0]
    for H, expected in ((S.H_ww, np.mean(x * x)), (S.H_wb, np.mean(x)), (S.H_bb, 1.0)):
        np.testing.assert_allclose(H, expected, rtol=1e-12)
    assert land.lam_min.min() > 0 and not land.nonconvex.any() and not land.plateau.any()


def test_plateau_mask_matches_its_definition_at_sampled_points(lands):
    d, sq, _ = lands["overlap"]
    S = sq.surface
    g_max, J_min, J_max = S.grad_norm.max(), S.J.min(), S.J.max()
    rng = np.random.default_rng(3)
    for i, j in zip(rng.integers(0, S.b.size, 80), rng.integers(0, S.w.size, 80), strict=True):
        grads, cost = propagate(np.array([[S.w[j]]]), S.b[i], d.x, d.y, "sigmoid", "squared")
        flat = np.hypot(grads["dw"][0, 0], grads["db"]) < losses.PLATEAU_GRADIENT * g_max
        high = cost > J_min + losses.PLATEAU_HEIGHT * (J_max - J_min)
        assert sq.plateau[i, j] == (flat and high)


def test_minimum_is_a_stationary_point_no_higher_than_the_grid(lands):
    for name, (d, sq, log) in lands.items():
        for land, loss in ((sq, "squared"), (log, "log")):
            w, b, J = land.minimum
            assert J <= land.surface.J.min() + 1e-12, name
            cost = propagate(np.array([[w]]), b, d.x, d.y, "sigmoid", loss)[1]
            assert cost == pytest.approx(J, abs=1e-12)
    assert lands["overlap"][2].finite and not lands["separable"][2].finite


# ---------------------------------------------------------------- the trap preset


@pytest.mark.parametrize("name", DATASETS)
def test_trap_stalls_squared_error_and_log_loss_converges(name, lands):
    d, sq, log = lands[name]
    trap = losses.find_trap(d.x, d.y, sq, log)
    assert trap.found
    w0 = np.array([[trap.w0]])
    # Independent of the search: the course's gradient descent from the trap on both costs.
    t_sq = gradient_descent(w0, trap.b0, d.x, d.y, trap.alpha, trap.steps, "sigmoid", "squared")
    t_log = gradient_descent(w0, trap.b0, d.x, d.y, trap.alpha, trap.steps, "sigmoid", "log")
    S = sq.surface
    assert t_sq.grad_norm[-1] < 0.01 * S.grad_norm.max()                  # tiny gradient ...
    assert t_sq.cost[-1] - sq.minimum[2] > 0.25 * (S.J.max() - sq.minimum[2])   # ... far above the bottom
    assert t_sq.cost[-1] - sq.minimum[2] > 0.1
    assert t_log.cost[-1] - log.minimum[2] < losses.REACHED_TOL                # log-loss reaches the bottom
    # The two balls end far apart.
    assert np.hypot(t_sq.w[-1, 0] - t_log.w[-1, 0], t_sq.b[-1] - t_log.b[-1]) > 2.0
    run_sq = losses.descend(d.x, d.y, "sigmoid", "squared", "sq", trap.w0, trap.b0, trap.alpha, trap.steps, sq)
    run_log = losses.descend(d.x, d.y, "sigmoid", "log", "log", trap.w0, trap.b0, trap.alpha, trap.steps, log)
    assert run_sq.stalled and not run_log.stalled
    assert run_log.accuracy > run_sq.accuracy


def test_trap_is_deterministic_and_closest_to_the_origin(lands):
    d, sq, log = lands["overlap"]
    first, again = losses.find_trap(d.x, d.y, sq, log), losses.find_trap(d.x, d.y, sq, log)
    assert first == again
    # No lattice start nearer to (0, 0) qualifies: check every one with the course's gradient descent.
    radius = np.hypot(first.w0, first.b0)
    for w0 in losses.TRAP_STARTS:
        for b0 in losses.TRAP_STARTS:
            if np.hypot(w0, b0) >= radius - 1e-12:
                continue
            t = gradient_descent(np.array([[w0]]), b0, d.x, d.y, 1.0, 300, "sigmoid", "squared")
            stalled = (t.grad_norm[-1] < 0.01 * sq.surface.grad_norm.max()
                       and t.cost[-1] > sq.minimum[2] + 0.25 * (sq.surface.J.max() - sq.minimum[2]))
            if stalled:
                tl = gradient_descent(np.array([[w0]]), b0, d.x, d.y, 1.0, 300, "sigmoid", "log")
                assert tl.cost[-1] - log.minimum[2] >= losses.REACHED_TOL


def test_no_trap_when_every_start_reaches_the_bottom(lands):
    d, sq, log = lands["overlap"]
    trap = losses.find_trap(d.x, d.y, sq, log, starts=np.array([1.5, 2.0]))
    assert not trap.found and (trap.w0, trap.b0) == (0.0, 0.0)


def test_start_of_follows_the_preset():
    trap = losses.Trap(w0=-3.0, b0=-5.0, alpha=1.0, steps=300, found=True)
    p = losses.LossesParams(preset="custom", w0=1.5, b0=-2.0, alpha=0.3, steps=50)
    assert losses.start_of(p, trap) == (1.5, -2.0, 0.3, 50)
    assert losses.start_of(losses.LossesParams(preset="trap", alpha=0.3), trap) == (-3.0, -5.0, 1.0, 300)
    assert losses.start_of(losses.LossesParams(preset="zeros", w0=4.0, alpha=0.3), trap) == (0.0, 0.0, 0.3, 300)


# ---------------------------------------------------------------- runs


def test_descend_reports_accuracy_like_the_course_predict(lands):
    d, sq, log = lands["tumour"]
    run = losses.descend(d.x, d.y, "sigmoid", "log", "log", 0.0, 0.0, 1.0, 200, log)
    w, b, J = run.final
    assert run.accuracy == pytest.approx(np.mean(predict(np.array([[w]]), b, d.x) == d.y))
    assert J == pytest.approx(propagate(np.array([[w]]), b, d.x, d.y)[1])
    assert run.path.shape == (run.trajectory.steps + 1, 3)
    np.testing.assert_allclose(run.gap, run.trajectory.cost - log.minimum[2], atol=1e-15)


def test_linear_neuron_predicts_with_a_half_threshold():
    x = np.array([[-1.0, 0.0, 1.0, 2.0]])
    np.testing.assert_array_equal(losses.predictions(0.5, 0.25, x, "linear"), [[0, 0, 1, 1]])
    np.testing.assert_array_equal(losses.predictions(0.5, 0.25, x, "sigmoid"), [[0, 1, 1, 1]])


def test_rival_rejects_unknown_names():
    assert losses.rival("linear")[:2] == ("linear", "squared")
    with pytest.raises(InputError, match="Unknown cost"):
        losses.rival("hinge")


# ---------------------------------------------------------------- likelihood


def test_likelihood_by_hand():
    assert losses.likelihood(0.8, 1) == pytest.approx(0.8)
    assert losses.likelihood(0.8, 0) == pytest.approx(0.2)
    assert losses.neg_log_likelihood(0.8, 1) == pytest.approx(-np.log(0.8))
    assert losses.neg_log_likelihood(0.5, 0) == pytest.approx(np.log(2))
    with pytest.raises(InputError):
        losses.likelihood(1.0, 1)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.001, 0.999), st.sampled_from([0, 1]))
def test_negative_log_likelihood_is_the_log_loss_of_one_example(p, y):
    z = np.log(p / (1 - p))                                     # the logit that gives σ(z) = p
    loss = propagate(np.zeros((1, 1)), z, np.zeros((1, 1)), np.array([[y]]))[1]
    assert losses.neg_log_likelihood(p, y) == pytest.approx(loss, rel=1e-9)


@pytest.mark.parametrize("name", ["overlap", "tumour", "iris"])
def test_data_likelihood_is_the_log_loss(name):
    d = one_feature(name)
    lk = losses.data_likelihood(d.x, d.y, 1.3, -0.2)
    assert lk.J == pytest.approx(propagate(np.array([[1.3]]), -0.2, d.x, d.y)[1], rel=1e-12)
    assert lk.J == pytest.approx(log_loss(d.y[0], lk.p, labels=[0, 1]), rel=1e-9)   # scikit-learn
    assert lk.log_likelihood == pytest.approx(-lk.J * d.x.size)
    assert np.all(np.isfinite(losses.data_likelihood(d.x, d.y, 500.0, 0.0).nll))      # saturated: no log(0)


# ---------------------------------------------------------------- settings


def test_params_round_trip_and_short_links():
    p = losses.LossesParams(dataset="iris", cost="absolute", preset="custom", w0=-2.5, b0=1.2, alpha=0.3,
                         steps=80, label=0, p=0.25)
    assert losses.LossesParams.from_query(p.to_query()) == p
    assert losses.LossesParams().link_query() == {}
    trap = losses.LossesParams(preset="trap", w0=-3.0, b0=-5.0, dataset="tumour")
    assert trap.link_query() == {"dataset": "tumour"}                      # the preset decides w0, b0
    assert losses.LossesParams(preset="zeros", alpha=0.5).link_query() == {"preset": "zeros", "alpha": "0.5"}
    params, notes = losses.LossesParams.parse({"cost": "hinge", "w0": "99", "p": "x"})
    assert params == losses.LossesParams() and len(notes) == 3


def test_regions_match_a_flood_fill_by_hand():
    mask = np.array([[1, 1, 0, 1],
                     [0, 1, 0, 1],
                     [1, 0, 0, 0],
                     [1, 1, 0, 1]], bool)
    labels, count = losses.regions(mask)
    assert count == 4
    assert len({labels[0, 0], labels[0, 1], labels[1, 1]}) == 1             # a side shared: one region
    assert labels[1, 1] != labels[2, 0]                                     # a corner only: two regions
    assert (labels > 0).sum() == mask.sum() and labels[~mask].max() == 0


@pytest.mark.parametrize("name, rival", [(n, r) for n in ONE_FEATURE_SETS for r in losses.RIVALS])
def test_the_map_note_counts_the_convex_regions_and_places_the_bottom(name, rival):
    """The note under the maps said "only the clear island around the bottom curves up in every direction" on
    every non-convex map, also where the clear part is several regions and the bottom lies off the map (overlap with
    the absolute error: 3 regions, the bottom at w = 330). It now says what the map has."""
    d = one_feature(name, 0)
    act, loss, label = losses.RIVALS[rival]
    land = losses.landscape(d.x, d.y, act, loss, *losses.grid_axes())
    if not land.nonconvex.any():
        return
    note = losses.map_notes(land, land, label)
    labels, count = losses.regions(~land.nonconvex)
    w, b = land.surface.w, land.surface.b
    mw, mb = land.minimum[:2]
    on_map = w[0] <= mw <= w[-1] and b[0] <= mb <= b[-1]
    if "only the clear island around the bottom" in note:
        assert count == 1 and on_map
        assert labels[np.argmin(np.abs(b - mb)), np.argmin(np.abs(w - mw))] == 1
    else:
        assert f"({count} separate region" in note
        if land.limit is None:                   # a real bottom, on the map or off it
            assert ("lies off this map" in note) == (not on_map)
        else:                                    # no bottom anywhere (w = 330 is only where Newton's method stopped)
            assert "lies off this map" not in note and "J has no lowest point" in note


def _mean_loss(name, A, Y):
    """J and dZ as RIVAL_LATEX writes them, computed from A and Y (A = σ(Z) or Z for the linear neuron)."""
    if name == "squared":
        return np.sum((A - Y) ** 2) / (2 * A.size), (A - Y) * A * (1 - A)
    if name == "absolute":
        return np.sum(np.abs(A - Y)) / A.size, np.sign(A - Y) * A * (1 - A)
    return np.sum((A - Y) ** 2) / (2 * A.size), A - Y


@pytest.mark.parametrize("name", list(losses.RIVALS))
def test_the_formulas_shown_for_each_cost_are_the_ones_computed(name):
    """The Losses page shows A, J and dZ of the cost chosen for the left; they are the code's (the page showed the
    sigmoid's squared-error formulas whatever was chosen)."""
    from core.maths.loss_functions import get_loss
    act, loss, _ = losses.RIVALS[name]
    a_tex, j_tex, dz_tex = losses.RIVAL_LATEX[name]
    assert (r"\sigma" in a_tex) == (act == "sigmoid")
    assert (r"\operatorname{sign}" in dz_tex) == (loss == "absolute") and (r"\frac{1}{2m}" in j_tex) == (
        loss == "squared")
    rng = np.random.default_rng(3)
    Z, Y = rng.normal(size=(1, 40)) * 3, (rng.random((1, 40)) < 0.5).astype(float)
    A = 1 / (1 + np.exp(-Z)) if act == "sigmoid" else Z
    J, dZ = _mean_loss(name, A, Y)
    pair = get_loss(act, loss)
    assert np.mean(pair.value(Z, Y)) == pytest.approx(J, rel=1e-12)
    np.testing.assert_allclose(pair.dZ(Z, Y), dZ, rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- costs without a lowest point


def _cost(x, y, w, b, loss):
    """J of a sigmoid neuron at (w, b), written out here (stable for steep sigmoids)."""
    z = w * x + b
    a = np.exp(-np.logaddexp(0, -z))
    if loss == "log":
        return np.mean(np.logaddexp(0, z) - y * z)
    return np.mean(0.5 * (a - y) ** 2) if loss == "squared" else np.mean(np.abs(a - y))


@pytest.mark.parametrize("name, loss", [(n, c) for n in ONE_FEATURE_SETS for c in ("squared", "absolute", "log")])
def test_a_cost_without_a_lowest_point_is_not_given_one(name, loss):
    """Newton's method stopped far out on costs whose J keeps falling as the sigmoid steepens (overlap, absolute
    error: w = 330, b = −31.9), and the page called that point the bottom ("the bottom itself lies off this map, at
    w = 330") and its J the lowest (0.1800), though a step at x = 0.39 gets J down to 0.175. Checked here against
    J written out: along the ray through Newton's point, and at very steep sigmoids stepping between examples."""
    d = one_feature(name)
    x, y = d.x[0], d.y[0]
    land = losses.landscape(d.x, d.y, "sigmoid", loss, *losses.grid_axes())
    w, b, J = land.minimum
    xs = np.sort(np.unique(x))
    cuts = (xs[1:] + xs[:-1]) / 2
    steep = min(_cost(x, y, s * 1e5, -s * 1e5 * c, loss) for c in cuts for s in (1, -1))  # finite, if very steep
    falls_on = _cost(x, y, 4 * w, 4 * b, loss) <= J * (1 + 1e-9) or steep < J - 1e-9
    assert (land.limit is not None) == falls_on
    run = losses.descend(d.x, d.y, "sigmoid", loss, "it", 0.0, 0.0, 1.0, 20, land)
    note = losses.map_notes(land, land, "it")
    if falls_on:
        assert land.limit[0] == pytest.approx(steep, abs=1e-9)     # the best step, not Newton's J
        assert land.limit[0] <= J + 1e-12 and "J has no lowest point" in note and "lies off this map" not in note
        assert "lowest J =" not in losses.end_words(run) and "J has no lowest value" in losses.end_words(run)
        assert np.isnan(losses.star(land)).all()                    # no star on the maps either
    else:
        assert "no lowest" not in note + losses.end_words(run) and losses.star(land) == (w, b)
    if (name, loss) == ("overlap", "absolute"):
        assert _cost(x, y, 2000.0, -2000.0 * 0.3904, loss) < 0.1800 and "0.1750" in losses.end_words(run)


@pytest.mark.parametrize("name", list(ONE_FEATURE_SETS))
def test_every_sentence_writes_real_minus_signs_and_no_e_notation(name):
    """The map note wrote "b = -31.9", "w = 1.51e+03" and "2.5e-05"; the data-likelihood line "b = -0.062" and
    "log P(all labels) = -76.27" (the rest of the page writes −)."""
    import re
    d = one_feature(name)
    log = losses.landscape(d.x, d.y, *losses.LOG[:2], *losses.grid_axes())
    for act, loss, label in losses.RIVALS.values():
        land = losses.landscape(d.x, d.y, act, loss, *losses.grid_axes())
        run = losses.descend(d.x, d.y, act, loss, label, -3.0, 4.0, 0.5, 30, land)
        lk = losses.data_likelihood(d.x, d.y, *run.final[:2])
        for text in (losses.map_notes(land, log, label), losses.end_words(run), losses.likelihood_words(lk)):
            assert not re.search(r"-\d|\de[+-]?\d", text), text


@pytest.mark.parametrize("name", list(ONE_FEATURE_SETS))
def test_the_trap_note_says_whether_the_cost_on_the_left_stalls_there(name, lands):
    """The trap is found for squared error; with absolute error on the left it may not stall there (separable data:
    it reaches 100 % accuracy), and the page said nothing of it."""
    d, sq, log = lands[name]
    trap = losses.find_trap(d.x, d.y, sq, log)
    for cost, (act, loss, label) in losses.RIVALS.items():
        land = losses.landscape(d.x, d.y, act, loss, *losses.grid_axes())
        run = losses.descend(d.x, d.y, act, loss, label, trap.w0, trap.b0, trap.alpha, trap.steps, land)
        note = losses.trap_note("trap", trap.found, cost, run.stalled)
        if cost == "squared":
            assert note == ""
        else:
            assert label in note and ("does not stall there" in note) == (not run.stalled)
    assert losses.trap_note("zeros", True, "absolute", False) == ""
    assert "w = 0, b = 0" in losses.trap_note("trap", False, "squared", False)


def test_how_a_run_ended_is_said_once_and_in_words(lands):
    """At the step limit the page repeated J after end_words had given it, in e-notation ("J = 1.82 × 10⁻⁵ … Stopped
    after 2000 steps (the step limit); J = 1.816e-05.", separable data, α = 10 from (−4, 6)), and wrote "1 steps"."""
    d, sq, log = lands["separable"]
    for land, loss in ((sq, "squared"), (log, "log")):
        run = losses.descend(d.x, d.y, "sigmoid", loss, loss, -4.0, 6.0, 10.0, 2000, land)
        assert run.trajectory.status == "max_steps" and run.final[2] < 1e-4
        assert losses.ending_words(run) == "Stopped after 2000 steps (the step limit)."
    one = losses.descend(d.x, d.y, "sigmoid", "log", "log", 0.0, 0.0, 0.01, 1, log)
    assert losses.ending_words(one) == "Stopped after 1 step (the step limit)."
    bowl = losses.landscape(d.x, d.y, "linear", "squared", *losses.grid_axes())
    for alpha in (0.5, 10.0):                              # converged, diverged: the trajectory's own sentence
        run = losses.descend(d.x, d.y, "linear", "squared", "lin", 0.0, 0.0, alpha, 2000, bowl)
        assert run.trajectory.status in ("converged", "diverged")
        assert losses.ending_words(run) == run.trajectory.message


def test_a_balls_position_of_rounding_noise_reads_zero():
    """The linear neuron on standardised data, α = 2 from (0, 0): w := 2w* − w lands back on 0 every second step,
    and after 10 steps the line read "w = 1.11 × 10⁻¹⁵", a float's rounding, as if the ball were somewhere."""
    d = one_feature("tumour")
    land = losses.landscape(d.x, d.y, "linear", "squared", *losses.grid_axes())
    run = losses.descend(d.x, d.y, "linear", "squared", "it", 0.0, 0.0, 2.0, 10, land)
    assert abs(run.final[0]) < 1e-12 and losses.end_words(run).startswith("Ball ends at w = 0.000, b = 0.000, J = ")


def test_a_cost_without_a_bottom_measures_its_distance_from_the_j_it_falls_towards():
    """Overlap data, absolute error: the cost curves' "distance to the bottom" and the plateau test measured from
    Newton's J, 0.1800, where it stopped, while J falls on towards 0.1750 (a run could end 'below the bottom')."""
    d = one_feature("overlap")
    land = losses.landscape(d.x, d.y, "sigmoid", "absolute", *losses.grid_axes())
    assert land.limit is not None and land.floor == land.limit[0] < land.minimum[2] - 0.004
    run = losses.descend(d.x, d.y, "sigmoid", "absolute", "it", 0.0, 0.0, 1.0, 50, land)
    assert run.J_min == land.floor
    np.testing.assert_allclose(run.gap, np.maximum(run.trajectory.cost - land.floor, 0.0))
    log = losses.landscape(d.x, d.y, "sigmoid", "log", *losses.grid_axes())
    assert log.limit is None and log.floor == log.minimum[2]      # a real bottom: its own J


# ---------------------------------------------------------------- stalled: far above the floor, hardly getting closer


def test_a_ball_crawling_over_a_plateau_has_stalled():
    """Imbalanced data, absolute error, start (−5, 6), α = 1, 300 steps (a × on the page's own map): J went
    0.9275 → 0.9139 and ended 0.849 above the lowest J (0.065), yet it was "not stalled" because its last gradient
    was 3.5 % of the grid's largest, not under 1 %. Stalled is decided on progress now."""
    d = one_feature("imbalanced")
    land = losses.landscape(d.x, d.y, "sigmoid", "absolute", *losses.grid_axes())
    run = losses.descend(d.x, d.y, "sigmoid", "absolute", "it", -5.0, 6.0, 1.0, 300, land)
    J, floor = run.trajectory.cost, land.floor
    assert J[0] == pytest.approx(0.9275, abs=1e-4) and J[-1] == pytest.approx(0.9139, abs=1e-4)
    assert J[-1] - floor == pytest.approx(0.849, abs=1e-3)
    assert run.trajectory.grad_norm[-1] > 0.03 * land.surface.grad_norm.max()        # not "almost zero"
    k, fall = run.recent
    assert k == losses.STALL_STEPS and 0 < fall < losses.STALL_SHARE * (J[0] - floor)
    assert run.stalled


def test_two_neighbouring_plateau_starts_agree():
    """Overlap, squared error: (−2, −5) ended 0.186 above the bottom (J 0.2563 → 0.2479) and was "not stuck", while
    the trap (−3, −5) next to it, 0.187 above, was stuck."""
    d = one_feature("overlap")
    land = losses.landscape(d.x, d.y, "sigmoid", "squared", *losses.grid_axes())
    runs = [losses.descend(d.x, d.y, "sigmoid", "squared", "it", w0, -5.0, 1.0, 300, land) for w0 in (-2.0, -3.0)]
    assert [r.stalled for r in runs] == [True, True]
    assert [round(r.final[2] - r.J_min, 3) for r in runs] == [0.186, 0.187]


@pytest.mark.parametrize("alpha, steps", [(1.0, 300), (0.01, 300), (10.0, 60), (1.0, 3)])
def test_log_loss_and_the_linear_bowl_never_stall(alpha, steps):
    """Log-loss's gradient is never scaled down by σ'(z) and the linear neuron's cost is a bowl: neither has a
    plateau, from any start of a coarse lattice over the map, on any data set (a run that blows up is not stuck)."""
    for name in DATASETS:
        d = one_feature(name)
        for act, loss in (losses.LOG[:2], ("linear", "squared")):
            land = losses.landscape(d.x, d.y, act, loss, *losses.grid_axes())
            for w0 in (-8.0, -3.0, 0.0, 4.0, 8.0):
                for b0 in (-8.0, 0.0, 6.0):
                    run = losses.descend(d.x, d.y, act, loss, "it", w0, b0, alpha, steps, land)
                    assert not run.stalled, (name, loss, w0, b0)


def test_stalled_needs_the_cost_far_above_the_floor_falling_slowly_and_never_rising():
    flat = np.linspace(0.93, 0.91, 301)                  # 0.0013 in the last 20 steps, of 0.87 to go: stuck
    assert losses.stalled(flat, 0.06, 1.0)
    assert not losses.stalled(flat - 0.7, 0.06, 1.0)     # J 0.21: not far above the floor (0.25 of the range)
    assert not losses.stalled(np.linspace(0.93, 0.30, 301), 0.06, 1.0)    # still on its way: 0.042 in 20 steps
    bouncing = flat + 0.001 * (-1.0) ** np.arange(301)   # J rises every other step: bouncing, not on a plateau
    assert not losses.stalled(bouncing, 0.06, 1.0)
    assert not losses.stalled(flat, 0.06, 1.0, diverged=True)
    # a short run is held to the same pace: 3 steps may fall by 3/20 of 1 % of the way
    assert losses.stalled(np.array([0.93, 0.9299, 0.9298, 0.9297]), 0.06, 1.0)
    assert not losses.stalled(np.array([0.93, 0.92, 0.91, 0.90]), 0.06, 1.0)
    assert not losses.stalled(np.array([0.93]), 0.06, 1.0)
