"""The learning core against hand-worked values, finite differences and scikit-learn."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core.errors import InputError
from core.maths.activations import ACTIVATIONS, sigmoid
from core.maths.logistic import (
    accuracy,
    check_inputs,
    descend_rates,
    gradient_check,
    gradient_descent,
    initialize_with_zeros,
    predict,
    propagate,
)
from core.maths.loss_functions import EPS, LOSS_NAMES, get_loss

finite_floats = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)


def small_problem(seed=0, n_x=3, m=40):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    w = rng.normal(size=(n_x, 1)) * 0.3
    return w, 0.1, X, Y


# --- activations -------------------------------------------------------------------------------------------

@given(arrays(float, st.integers(1, 50), elements=finite_floats))
def test_sigmoid_is_in_unit_interval_and_finite_for_any_finite_input(Z):
    with np.errstate(over="raise", invalid="raise", divide="raise"):    # no overflow or invalid warning may happen
        A = sigmoid(Z)
    assert np.all(np.isfinite(A)) and np.all((A >= 0) & (A <= 1))


def test_sigmoid_values_by_hand():
    assert sigmoid(0.0) == 0.5
    assert np.isclose(sigmoid(2.0), 1 / (1 + np.exp(-2.0)))
    assert np.isclose(sigmoid(-2.0), 1 - sigmoid(2.0))
    assert sigmoid(-1e4) == 0.0 and sigmoid(1e4) == 1.0


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_derivatives_match_finite_differences(name):
    g = ACTIVATIONS[name]
    Z = np.array([-3.0, -1.2, -0.4, 0.3, 0.9, 2.5])   # away from ReLU's kink at 0
    h = 1e-6
    assert np.allclose(g.der(Z), (g.fn(Z + h) - g.fn(Z - h)) / (2 * h), atol=1e-8)
    assert np.allclose(g.der2(Z), (g.der(Z + h) - g.der(Z - h)) / (2 * h), atol=1e-6)
    A, D1, D2 = g.all_three(Z)
    assert np.allclose(A, g.fn(Z)) and np.allclose(D1, g.der(Z)) and np.allclose(D2, g.der2(Z))


# --- propagate ----------------------------------------------------------------------------------------------

def test_propagate_worked_by_hand():
    # Two examples, x = 1 (label 1) and x = -1 (label 0), from w = 0, b = 0: every a = 1/2.
    grads, cost = propagate(np.zeros((1, 1)), 0.0, np.array([[1.0, -1.0]]), np.array([[1.0, 0.0]]))
    assert cost == pytest.approx(np.log(2))          # −log(1/2)
    # dZ = A − Y = [−1/2, 1/2]; dw = X dZᵀ / m = (1·(−1/2) + (−1)·(1/2)) / 2 = −1/2; db = 0
    assert grads["dw"].shape == (1, 1) and grads["dw"][0, 0] == pytest.approx(-0.5)
    assert grads["db"] == pytest.approx(0.0)


def test_propagate_matches_the_course_assignment_example():
    # The course's test case: w = [[1], [2]], b = 2, X = [[1, 2, -1], [3, 4, -3.2]], Y = [[1, 0, 1]].
    w, b = np.array([[1.0], [2.0]]), 2.0
    X, Y = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]]), np.array([[1.0, 0.0, 1.0]])
    grads, cost = propagate(w, b, X, Y)
    A = 1 / (1 + np.exp(-(w.T @ X + b)))
    expected_cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    assert cost == pytest.approx(expected_cost, rel=1e-12)
    assert cost == pytest.approx(5.801545319394553, rel=1e-9)
    assert np.allclose(grads["dw"], [[0.99845601], [2.39507239]])
    assert grads["db"] == pytest.approx(0.00145557813678, rel=1e-6)


def test_log_loss_matches_scikit_learn():
    from sklearn.metrics import log_loss

    w, b, X, Y = small_problem(seed=3, n_x=4, m=200)
    _, cost = propagate(w * 5, b, X, Y)
    A = sigmoid(w.T @ X * 5 + b)
    assert cost == pytest.approx(log_loss(Y[0], A[0], labels=[0, 1]), rel=1e-9)


@pytest.mark.parametrize("z", [1e4, -1e4, 700.0, -745.0, 40.0])
def test_log_loss_is_finite_for_huge_logits(z):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        wrong = np.array([[0.0, 1.0]]) if z > 0 else np.array([[1.0, 0.0]])   # both examples confidently wrong
        grads, cost = propagate(np.array([[1.0]]), 0.0, np.array([[z, -z]]), wrong)
    assert np.isfinite(cost) and cost == pytest.approx(abs(z), rel=1e-9)   # −log σ(−|z|) = log(1 + e^|z|) ≈ |z|
    assert np.all(np.isfinite(grads["dw"])) and np.isfinite(grads["db"])


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("loss", list(LOSS_NAMES))
@pytest.mark.parametrize("lambd", [0.0, 0.7])
def test_every_gradient_matches_finite_differences(activation, loss, lambd):
    w, b, X, Y = small_problem(seed=1)
    check = gradient_check(w, b, X, Y, activation, loss, lambd)
    assert check["relative_error"] < 1e-6, check


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n_x=st.integers(1, 6), m=st.integers(1, 30),
       activation=st.sampled_from(["sigmoid", "tanh", "linear"]), loss=st.sampled_from(["log", "squared"]),
       lambd=st.sampled_from([0.0, 0.1, 2.0]))
def test_gradient_matches_finite_differences_at_random_points(seed, n_x, m, activation, loss, lambd):
    w, b, X, Y = small_problem(seed, n_x, m)
    if activation != "sigmoid" and loss == "log":
        w = w * 0.1          # keep tanh/linear outputs inside (0, 1) for most examples; the clip is flat elsewhere
        # A centred nudge of 1e-6 measures the slope only to about eps^2 times J's third derivative / 6, and the
        # log-loss of an output a that no sigmoid squashed has a third derivative of about 1/a^3: an a of 1e-4
        # makes the nudge itself wrong by ~1e-5 (relative). Such points test the nudge, not the gradient, so
        # the outputs stay well inside (0, 1) or in the clip's flat part.
        A_raw = ACTIVATIONS[activation].fn(w.T @ X + b)
        near_edge = ((A_raw > EPS) & (A_raw < 1e-3)) | ((A_raw < 1 - EPS) & (A_raw > 1 - 1e-3))
        assume(not near_edge.any())
    check = gradient_check(w, b, X, Y, activation, loss, lambd)
    assert check["relative_error"] < 1e-6 or np.abs(check["analytic"] - check["numerical"]).max() < 1e-8


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0, 1e3),
       activation=st.sampled_from(list(ACTIVATIONS)), loss=st.sampled_from(list(LOSS_NAMES)))
def test_costs_are_non_negative_and_finite(seed, scale, activation, loss):
    w, b, X, Y = small_problem(seed)
    _, cost = propagate(w * scale, b * scale, X, Y, activation, loss, lambd=0.5)
    assert np.isfinite(cost) and cost >= 0


def test_shapes_hold_for_any_n_x_and_m():
    for n_x, m in [(1, 1), (1, 7), (5, 1), (12, 33)]:
        w, b = initialize_with_zeros(n_x)
        X, Y = np.ones((n_x, m)), np.zeros((1, m))
        grads, cost = propagate(w, b, X, Y)
        assert grads["dw"].shape == (n_x, 1) and isinstance(grads["db"], float) and isinstance(cost, float)
        assert predict(w, b, X).shape == (1, m)


@pytest.mark.parametrize("args, message", [
    ((np.zeros(3), 0.0, np.ones((3, 4)), np.ones((1, 4))), "w has shape (3,), a rank-1 array; use w.reshape(-1, 1)"),
    ((np.zeros((3, 1)), 0.0, np.ones((3, 200)), np.ones((1, 199))), "X has 200 examples (columns) but Y has 199"),
    ((np.zeros((3, 1)), 0.0, np.ones((3, 2)), np.array([[0.0, 2.0]])), "Y must contain only 0 and 1; found 2"),
    ((np.zeros((2, 1)), 0.0, np.ones((3, 2)), np.ones((1, 2))), "w must have shape (3, 1)"),
    ((np.zeros((3, 1)), 0.0, np.ones((3, 2)), np.ones(2)), "use Y.reshape(1, -1)"),
    ((np.zeros((3, 1)), np.nan, np.ones((3, 2)), np.ones((1, 2))), "must be finite"),
])
def test_bad_inputs_get_a_message_that_says_how_to_fix_them(args, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_inputs(*args)


def test_unknown_names_are_refused():
    with pytest.raises(InputError, match="Unknown activation"):
        get_loss("softplus", "log")
    with pytest.raises(InputError, match="Unknown loss"):
        get_loss("sigmoid", "hinge")


# --- gradient descent ---------------------------------------------------------------------------------------

def test_one_step_is_w_minus_alpha_dw():
    w, b, X, Y = small_problem(seed=5)
    grads, _ = propagate(w, b, X, Y)
    run = gradient_descent(w, b, X, Y, alpha=0.3, num_iterations=1)
    assert np.allclose(run.w[1], (w - 0.3 * grads["dw"])[:, 0])
    assert run.b[1] == pytest.approx(b - 0.3 * grads["db"])
    assert np.allclose(run.dw[0], grads["dw"][:, 0]) and run.db[0] == pytest.approx(grads["db"])


def test_trajectory_records_every_step_and_costs_fall_for_a_small_rate():
    w, b, X, Y = small_problem(seed=2)
    run = gradient_descent(w, b, X, Y, alpha=0.1, num_iterations=50)
    assert run.status == "max_steps" and run.steps == 50
    assert run.w.shape == (51, 3) and run.b.shape == run.cost.shape == run.db.shape == (51,)
    assert np.all(np.diff(run.cost) < 0)
    for k in (0, 17, 50):        # every recorded cost and gradient is the one at that point
        grads, cost = propagate(run.w[k].reshape(-1, 1), run.b[k], X, Y)
        assert cost == pytest.approx(run.cost[k]) and np.allclose(grads["dw"][:, 0], run.dw[k])


def test_converges_to_scikit_learns_unpenalised_solution():
    from sklearn.linear_model import LogisticRegression

    _, _, X, Y = small_problem(seed=4, n_x=2, m=300)
    X[0] += 1.5 * (Y[0] - 0.5)                      # make the classes overlap less, but not separable
    run = gradient_descent(np.zeros((2, 1)), 0.0, X, Y, alpha=1.0, num_iterations=20_000, tol=1e-10)
    assert run.status == "converged"
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X.T, Y[0])
    assert np.allclose(run.final_w[:, 0], ref.coef_[0], atol=1e-6)
    assert run.final_b == pytest.approx(ref.intercept_[0], abs=1e-6)
    assert accuracy(run.final_w, run.final_b, X, Y) == pytest.approx(ref.score(X.T, Y[0]))


def test_linear_squared_error_divergence_is_detected_and_reported():
    _, _, X, Y = small_problem(seed=6, n_x=1, m=50)
    run = gradient_descent(np.zeros((1, 1)), 0.0, X, Y, alpha=50.0, num_iterations=10_000,
                           activation="linear", loss="squared")
    assert run.status == "diverged" and run.diverged_at is not None and run.diverged_at < 100
    assert run.steps == run.diverged_at - 1
    assert np.all(np.isfinite(run.w)) and np.all(np.isfinite(run.cost)) and np.all(np.isfinite(run.b))
    assert f"step {run.diverged_at}" in run.message


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 1000), alpha=st.floats(1e-3, 1e6))
def test_no_run_ever_returns_a_nan(seed, alpha):
    _, _, X, Y = small_problem(seed=seed, n_x=2, m=20)
    for activation, loss in [("linear", "squared"), ("sigmoid", "log"), ("tanh", "squared")]:
        run = gradient_descent(np.zeros((2, 1)), 0.0, X * 10, Y, alpha, 300, activation=activation, loss=loss)
        assert run.status in {"converged", "max_steps", "diverged"}
        for arr in (run.w, run.b, run.cost, run.dw, run.db):
            assert np.all(np.isfinite(arr))


def test_without_recording_params_only_scalars_are_kept():
    w, b, X, Y = small_problem(seed=2)
    run = gradient_descent(w, b, X, Y, 0.1, 10, record_params=False)
    assert run.w.shape == (0, 3) and run.cost.shape == (11,)
    full = gradient_descent(w, b, X, Y, 0.1, 10)
    assert np.array_equal(run.final_w, full.final_w) and run.final_b == full.final_b


@pytest.mark.parametrize("alpha, iters, message", [
    (0.0, 10, "learning rate"), (-1.0, 10, "learning rate"), (float("nan"), 10, "learning rate"),
    (0.1, -1, "iterations"), (0.1, 2.5, "iterations"),
])
def test_bad_descent_settings_are_refused(alpha, iters, message):
    w, b, X, Y = small_problem()
    with pytest.raises(InputError, match=message):
        gradient_descent(w, b, X, Y, alpha, iters)


def test_the_squashed_update_is_wrong_in_the_ways_the_page_says():
    from core.maths.logistic import squashed_update_descent

    rng = np.random.default_rng(8)
    x = rng.normal(size=(1, 200))
    Y = (x + 0.8 * rng.normal(size=(1, 200)) > 0).astype(float)
    out = squashed_update_descent(np.array([[-2.0]]), 1.0, x, Y, alpha=1.0, num_iterations=60)
    # The right rule is the course's: it matches gradient_descent step for step and settles at the bottom.
    run = gradient_descent(np.array([[-2.0]]), 1.0, x, Y, 1.0, 60, tol=0.0)
    assert np.allclose(out["w_right"], run.w[:, 0]) and np.allclose(out["J_right"], run.cost)
    # The wrong rule always steps down in w and b, by σ(dw) ∈ (0, 1), whatever the sign of dw ...
    steps_w = -np.diff(out["w_wrong"])
    assert np.all((steps_w > 0) & (steps_w < 1)) and np.all(np.diff(out["b_wrong"]) < 0)
    k = 5
    grads, _ = propagate(np.array([[out["w_wrong"][k]]]), out["b_wrong"][k], x, Y)
    assert steps_w[k] == pytest.approx(float(sigmoid(grads["dw"][0, 0])))
    # ... so it walks past the bottom and never stops: the cost ends far above the right rule's.
    assert out["J_wrong"][-1] > out["J_right"][-1] + 0.5
    assert out["J_wrong"].min() < out["J_wrong"][-1]


# ---------------------------------------------------------------- several learning rates at once


def _same_runs(batched, alone):
    """The same runs, to rounding: the (K, m) product rounds differently from K (1, m) ones in the last bit,
    and a run that bounces chaotically (a large α on a non-convex J) grows that to about 1e-8 in 60 steps."""
    assert len(batched) == len(alone)
    for got, want in zip(batched, alone, strict=True):
        assert (got.status, got.steps, got.diverged_at) == (want.status, want.steps, want.diverged_at)
        for name in ("w", "b", "cost", "dw", "db", "grad_norm"):
            np.testing.assert_allclose(getattr(got, name), getattr(want, name), rtol=1e-6, atol=1e-9,
                                       err_msg=name)
        np.testing.assert_allclose(got.final_w, want.final_w, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("activation, loss", [("sigmoid", "log"), ("linear", "squared"), ("tanh", "squared"),
                                              ("sigmoid", "squared")])
@pytest.mark.parametrize("lambd", [0.0, 1.0])
def test_descend_rates_is_gradient_descent_at_each_rate(activation, loss, lambd):
    """Smooth, zigzagging, converging and diverging runs, stopped at different steps, all in one pass."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(2, 40))
    Y = (rng.random((1, 40)) < 0.5).astype(float)
    w = np.array([[0.5], [-1.0]])
    alphas = [1e-3, 0.1, 1.0, 3.0, 10.0, 50.0, 1e4]
    batched = descend_rates(w, 0.3, X, Y, alphas, 60, activation, loss, lambd, tol=1e-6)
    alone = [gradient_descent(w, 0.3, X, Y, a, 60, activation, loss, lambd, tol=1e-6) for a in alphas]
    statuses = {t.status for t in alone}
    assert len(statuses) >= 2 and ("diverged" in statuses or activation != "linear")   # runs that stop apart
    _same_runs(batched, alone)


def test_descend_rates_stops_each_run_where_it_converges():
    X, Y = np.array([[1.0, -1.0, 2.0, -2.0]]), np.array([[1.0, 0.0, 1.0, 1.0]])
    batched = descend_rates(np.zeros((1, 1)), 0.0, X, Y, [0.05, 0.5, 2.0], 500, "linear", "squared", tol=1e-8)
    alone = [gradient_descent(np.zeros((1, 1)), 0.0, X, Y, a, 500, "linear", "squared", tol=1e-8)
             for a in (0.05, 0.5, 2.0)]
    assert [t.status for t in alone].count("converged") >= 2 and len({t.steps for t in alone}) == 3
    _same_runs(batched, alone)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), m=st.integers(1, 30), steps=st.integers(0, 40),
       factors=st.lists(st.floats(1e-3, 1.0), min_size=1, max_size=6), lambd=st.sampled_from([0.0, 0.5]))
def test_descend_rates_matches_a_loop_on_random_problems(seed, m, steps, factors, lambd):
    """Logistic regression at rates up to 2/L, where L = (mean x² + 1)/4 + λ/m bounds the curvature: there each
    step is non-expansive, so rounding cannot grow (beyond 2/L a run may bounce chaotically, and the last-bit
    differences of the two ways of multiplying grow with it; the test above covers such runs for 60 steps)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(scale=2.0, size=(1, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    w, b = rng.normal(size=(1, 1)), float(rng.normal())
    L = (float(np.mean(X * X)) + 1.0) / 4 + lambd / m
    alphas = [f * 2.0 / L for f in factors]
    alone = [gradient_descent(w, b, X, Y, a, steps, lambd=lambd, tol=1e-9) for a in alphas]
    # a gradient within rounding of the tolerance could stop one way or the other: not the point here
    assume(all(np.all(np.abs(t.grad_norm / 1e-9 - 1) > 1e-6) for t in alone))
    _same_runs(descend_rates(w, b, X, Y, alphas, steps, lambd=lambd, tol=1e-9), alone)


def test_descend_rates_checks_its_input():
    X, Y = np.array([[1.0, -1.0]]), np.array([[1.0, 0.0]])
    for bad in ([], [0.1, -1.0], [np.nan]):
        with pytest.raises(InputError):
            descend_rates(np.zeros((1, 1)), 0.0, X, Y, bad, 10)
    with pytest.raises(InputError):
        descend_rates(np.zeros((1, 1)), 0.0, X, Y, [0.1], -1)


def test_the_step_limits_sentence_writes_its_cost_as_a_student_reads_it():
    """The ending every page shares read "stopped after 1 steps (the step limit); J = 1.816e-05" (the optimiser
    race, Classify): one step in the singular, and the cost with a power of ten and real minus signs."""
    from core.maths.logistic import ending
    assert ending("max_steps", 1, None, 1.816e-05) == "Stopped after 1 step (the step limit); J = 1.816 × 10⁻⁵."
    assert ending("max_steps", 60, None, 0.2534, "Adam") == "Adam stopped after 60 steps (the step limit); J = 0.2534."
