"""Cost surfaces, Hessians and learning-rate regimes."""

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core.maths.surfaces as surfaces
from core.errors import InputError
from core.maths.activations import ACTIVATIONS
from core.maths.logistic import gradient_descent, propagate
from core.maths.loss_functions import LOSS_NAMES
from core.maths.surfaces import cost_grid, cost_grid_loop, cost_surface, find_minimum, hessian, regimes


def one_feature(seed=0, m=120, gap=0.0):
    rng = np.random.default_rng(seed)
    y = (rng.random(m) < 0.5).astype(float)
    x = rng.normal(size=m) + (2 * y - 1) * (0.8 + gap)
    if gap:
        x = np.where(y == 1, np.abs(x - 0.8 - gap) + gap, -np.abs(x + 0.8 + gap) - gap)
    return x.reshape(1, -1), y.reshape(1, -1)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("loss", list(LOSS_NAMES))
def test_surface_matches_propagate_at_grid_points(activation, loss):
    x, y = one_feature()
    W, B = np.linspace(-3, 3, 7), np.linspace(-2, 2, 5)
    S = cost_surface(x, y, W, B, activation, loss, lambd=1.5)
    for i, j in [(0, 0), (2, 3), (4, 6)]:
        grads, cost = propagate(np.array([[W[j]]]), B[i], x, y, activation, loss, lambd=1.5)
        assert S.J[i, j] == pytest.approx(cost, rel=1e-12, abs=1e-14)
        assert S.dJ_dw[i, j] == pytest.approx(grads["dw"][0, 0], rel=1e-9, abs=1e-14)
        assert S.dJ_db[i, j] == pytest.approx(grads["db"], rel=1e-9, abs=1e-14)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "linear"])
@pytest.mark.parametrize("loss", ["log", "squared"])
def test_hessian_matches_finite_differences_of_the_gradient(activation, loss):
    x, y = one_feature(seed=2)
    if activation != "sigmoid" and loss == "log":
        x = x * 0.05                     # keep outputs in (0, 1), where log-loss needs no clipping
    w, b, h = np.array([[0.7]]), 0.2, 1e-5
    H = hessian(w, b, x, y, activation, loss, lambd=0.3)

    def grad(wv, bv):
        g, _ = propagate(np.array([[wv]]), bv, x, y, activation, loss, lambd=0.3)
        return np.array([g["dw"][0, 0], g["db"]])

    numeric = np.column_stack([(grad(0.7 + h, b) - grad(0.7 - h, b)) / (2 * h),
                               (grad(0.7, b + h) - grad(0.7, b - h)) / (2 * h)])
    assert np.allclose(H, numeric, rtol=1e-6, atol=1e-8)
    S = cost_surface(x, y, [0.7], [b], activation, loss, lambd=0.3)
    assert np.allclose([[S.H_ww[0, 0], S.H_wb[0, 0]], [S.H_wb[0, 0], S.H_bb[0, 0]]], H)


def test_eigenvalues_of_the_grid_match_numpy():
    x, y = one_feature(seed=3)
    S = cost_surface(x, y, np.linspace(-4, 4, 9), np.linspace(-4, 4, 9), "sigmoid", "squared")
    lo, hi = S.eigenvalues
    for i, j in [(0, 0), (4, 4), (8, 1), (3, 7)]:
        H = np.array([[S.H_ww[i, j], S.H_wb[i, j]], [S.H_wb[i, j], S.H_bb[i, j]]])
        assert np.allclose(np.linalg.eigvalsh(H), [lo[i, j], hi[i, j]])


def test_log_loss_surface_is_convex_everywhere():
    x, y = one_feature(seed=4)
    lo, _ = cost_surface(x, y, np.linspace(-10, 10, 60), np.linspace(-10, 10, 60)).eigenvalues
    assert lo.min() >= -1e-12


def test_chunking_does_not_change_the_answer(monkeypatch):
    x, y = one_feature(seed=5, m=300)
    W, B = np.linspace(-5, 5, 31), np.linspace(-5, 5, 17)
    whole = cost_surface(x, y, W, B, "sigmoid", "squared")
    monkeypatch.setattr(surfaces, "CHUNK_BYTES", 8 * 31 * 300 * 2)      # two rows of b per chunk
    chunked = cost_surface(x, y, W, B, "sigmoid", "squared")
    for field in ("J", "dJ_dw", "dJ_db", "H_ww", "H_wb", "H_bb"):
        assert np.allclose(getattr(whole, field), getattr(chunked, field), rtol=1e-12, atol=1e-15)
    assert np.allclose(cost_grid(x, y, W, B, "sigmoid", "squared"), whole.J)


def test_memory_stays_bounded_for_a_big_grid_and_many_examples():
    rng = np.random.default_rng(0)
    m = 20_000
    x, y = rng.normal(size=(1, m)), (rng.random((1, m)) < 0.5).astype(float)
    W = B = np.linspace(-5, 5, 60)                        # unchunked: 60·60·20000·8 B = 576 MB an array
    tracemalloc.start()
    cost_surface(x, y, W, B)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 200e6


def test_vectorised_grid_matches_the_plain_loop():
    x, y = one_feature(seed=6, m=50)
    W, B = np.linspace(-3, 3, 6), np.linspace(-3, 3, 4)
    assert np.allclose(cost_grid(x, y, W, B), cost_grid_loop(x, y, W, B), rtol=1e-12)


def test_surface_needs_exactly_one_feature():
    with pytest.raises(InputError, match="exactly one feature"):
        cost_surface(np.ones((2, 5)), np.ones((1, 5)), [0.0], [0.0])


def test_find_minimum_agrees_with_scikit_learn():
    from sklearn.linear_model import LogisticRegression

    x, y = one_feature(seed=7, m=400)
    found = find_minimum(x, y)
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x.T, y[0])
    assert found.finite
    assert found.w[0, 0] == pytest.approx(ref.coef_[0, 0], abs=1e-6)
    assert found.b == pytest.approx(ref.intercept_[0], abs=1e-6)
    grads, _ = propagate(found.w, found.b, x, y)
    assert abs(grads["dw"][0, 0]) < 1e-10 and abs(grads["db"]) < 1e-10


def test_separable_data_has_no_finite_minimum_until_regularised():
    x, y = one_feature(seed=8, gap=0.5)
    assert not find_minimum(x, y).finite
    with_l2 = find_minimum(x, y, lambd=1.0)
    assert with_l2.finite
    grads, _ = propagate(with_l2.w, with_l2.b, x, y, lambd=1.0)
    assert np.hypot(grads["dw"][0, 0], grads["db"]) < 1e-9
    # More regularisation pulls the bottom of the basin towards w = 0.
    assert abs(find_minimum(x, y, lambd=10.0).w[0, 0]) < abs(with_l2.w[0, 0])


# hours,passed: below 5 hours every student failed, above every one passed, at exactly 5 one failed and two passed
HOURS = [(h, 0) for h in range(5) for _ in range(2)] + [(5, 0), (5, 1), (5, 1)] + [(h, 1) for h in range(6, 11)
                                                                                   for _ in range(2)]


def _standardised(rows):
    x = np.array([r[0] for r in rows], float)
    return ((x - x.mean()) / x.std()).reshape(1, -1), np.array([[r[1] for r in rows]], float)


def test_classes_that_overlap_only_at_a_tie_have_no_finite_minimum():
    """Quasi-separable data: no threshold splits them (is_separable is False), yet J keeps falling as w grows, to
    the same value to ten decimals at w = 75.5 and w = 1000, where Newton's method had reported a minimum at
    w* = 75.51 after using all its 200 iterations."""
    x, y = _standardised(HOURS)
    found = find_minimum(x, y)
    tie = x[0][HOURS.index((5, 0))]
    assert not found.finite and found.reason == "ties" and found.tie == tie
    assert surfaces.tie_value(x, y) == tie and surfaces.tie_value(-x, y) == -tie            # the mirror too
    # J at w and b = −w·tie + log 2 (σ = 2/3 at the tie, the share of 1s there) keeps falling as w grows
    costs = [propagate(np.array([[w]]), -w * tie + np.log(2), x, y)[1] for w in (5.0, 20.0, 75.5, 1000.0)]
    assert costs == sorted(costs, reverse=True) and costs[0] - costs[-1] > 1e-3
    with_l2 = find_minimum(x, y, lambd=1.0)                      # λ gives the basin a bottom
    assert with_l2.finite and with_l2.reason == "" and with_l2.iterations < 50
    assert find_minimum(x, y, "linear", "squared").finite        # squared error always has one


def test_the_point_editors_three_points_overlapping_at_a_tie_have_no_finite_minimum():
    x, y = _standardised([(1, 0), (1, 1), (2, 0)])
    found = find_minimum(x, y)
    assert not found.finite and found.reason == "ties" and found.tie == x[0, 0]


def test_newton_out_of_iterations_claims_no_minimum():
    """One value of 1e12 among 199 normal ones: the minimum lies near w = 1.4e11, which Newton's method does not
    reach in 200 iterations; it had reported J* = 0.6876 while J = 0.5006 at w = 1.41e11."""
    rng = np.random.default_rng(1)
    x = rng.normal(0, 1, 200)
    x[0] = 1e12
    y = (rng.random(200) < 1 / (1 + np.exp(-2 * x.clip(-5, 5)))).astype(float)
    xs = ((x - x.mean()) / x.std()).reshape(1, -1)
    found = find_minimum(xs, y.reshape(1, -1))
    assert not found.finite and found.reason == "not converged" and found.iterations == 200
    w = 2 * x.std()                                              # the slope 2 of the other 199, in these units
    lower = propagate(np.array([[w]]), 2 * x.mean(), xs, y.reshape(1, -1))[1]
    assert lower < found.cost - 0.1                              # J is far lower where Newton did not get to
    assert find_minimum(xs, y.reshape(1, -1), max_iter=5).reason == "not converged"
    x[0] = 1e4                                                   # a bottom near w = 1,400: past `escape`, unseparated
    xs = ((x - x.mean()) / x.std()).reshape(1, -1)
    far = find_minimum(xs, y.reshape(1, -1))
    assert not far.finite and far.reason == "not converged" and abs(far.w[0, 0]) > 1e3   # not "separable"


@pytest.mark.parametrize("name", ["overlap", "separable", "imbalanced", "outlier", "tumour", "iris"])
def test_the_bundled_sets_keep_their_minima(name):
    """Every neuron and λ of the Cost basin: a finite minimum where there was one (Newton may use all its
    iterations there, its last steps rounding noise), and none only on the separable set without λ."""
    from core.data.datasets import one_feature as bundled
    from core.lessons.basin import LAMBDAS

    d = bundled(name, 0)
    for activation, loss in (("sigmoid", "log"), ("linear", "squared")):
        for lambd in LAMBDAS:
            found = find_minimum(d.x, d.y, activation, loss, lambd)
            none = name == "separable" and loss == "log" and lambd == 0
            assert found.finite != none and found.reason == ("separable" if none else ""), (activation, lambd)
            if found.finite:
                grads, _ = propagate(found.w, found.b, d.x, d.y, activation, loss, lambd)
                assert np.hypot(grads["dw"][0, 0], grads["db"]) < 1e-8


def start_far(found):
    return found.w + 1.5, found.b - 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_presets_behave_as_named_for_log_loss(seed):
    x, y = one_feature(seed=seed)
    found = find_minimum(x, y)
    reg = regimes(hessian(found.w, found.b, x, y))
    presets = reg.presets()
    assert [reg.classify(presets[k]) for k in ("smooth", "oscillating", "too large")] == \
        ["smooth", "oscillating", "too large"]
    # Start near the minimum, where the quadratic picture holds.
    w0, b0 = found.w + 0.3 * np.sign(found.w + 1e-9), found.b - 0.2
    smooth = gradient_descent(w0, b0, x, y, presets["smooth"], 400)
    assert np.all(np.diff(smooth.cost) <= 1e-15)
    osc = gradient_descent(w0, b0, x, y, presets["oscillating"], 400)
    steps = np.diff(osc.w[:, 0])
    assert np.any(steps[:-1] * steps[1:] < 0)                  # updates flip sign ...
    assert abs(osc.w[-1, 0] - found.w[0, 0]) < 1e-4           # ... yet converge
    big = gradient_descent(w0, b0, x, y, presets["too large"], 400)
    assert abs(big.w[-1, 0] - found.w[0, 0]) > 1e-2 or big.grad_norm[-1] > 1e-3


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 500), factor=st.sampled_from([0.5, 0.9, 1.1, 1.5]))
def test_linear_squared_error_diverges_exactly_above_two_over_lambda_max(seed, factor):
    x, y = one_feature(seed=seed, m=60)
    H = hessian(np.zeros((1, 1)), 0.0, x, y, "linear", "squared")   # constant: a perfect quadratic bowl
    alpha = factor * regimes(H).critical
    run = gradient_descent(np.array([[3.0]]), -2.0, x, y, alpha, 5000, activation="linear", loss="squared")
    if factor < 1:
        assert run.status == "converged"
    else:
        assert run.status == "diverged" or run.cost[-1] > run.cost[0]


def test_regimes_need_upward_curvature():
    with pytest.raises(InputError, match="curvature"):
        regimes(np.zeros((2, 2)))
