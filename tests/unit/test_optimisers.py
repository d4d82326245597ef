"""Optimisers on the basin: each update against a reference written from its paper, regimes, Adam's step."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.maths.logistic import gradient_descent
from core.maths.optimisers import (
    OPTIMISERS,
    STATE_NAMES,
    UPDATE_LATEX,
    optimise,
    race,
    rate_limits,
    step_sizes,
    steps_csv,
    steps_table,
)
from core.maths.surfaces import find_minimum, hessian

NEURONS = {"logistic": ("sigmoid", "log"), "linear": ("linear", "squared")}


def data(seed=0, m=40, scale=1.0, shift=0.0):
    rng = np.random.default_rng(seed)
    y = (rng.random(m) < 0.5).astype(float)
    x = rng.normal(size=m) + (2 * y - 1) * 0.7
    return (scale * x + shift).reshape(1, -1), y.reshape(1, -1)


# ---------------------------------------------------------------- references, written from the papers


def reference_gradient(w, b, x, y, neuron, lambd):
    """∂J/∂w and ∂J/∂b for one feature, straight from the definitions (x, y of shape (m,))."""
    m = x.size
    z = w * x + b
    a = 1 / (1 + np.exp(-z)) if neuron == "logistic" else z
    # log-loss through the sigmoid and squared error (a − y)²/2 through the identity both give dL/dz = a − y
    return float(np.mean((a - y) * x) + lambd / m * w), float(np.mean(a - y))


def reference_path(name, x, y, neuron, lambd, alpha, steps, w0, b0, beta1=0.9, beta2=0.999, eps=1e-8):
    """θ = (w, b) after each step, from each paper's own formulation (not the code's), and the papers'
    moments after each step: {"m": m_t, "v": v_t, "m_hat": m̂_t, "v_hat": v̂_t}, each (steps + 1, 2)."""
    theta = np.array([w0, b0], dtype=float)
    path = [theta.copy()]
    moments = {key: [np.zeros(2)] for key in ("m", "v", "m_hat", "v_hat")}
    m_hat = v_hat = np.zeros(2)
    previous = theta.copy()             # Polyak: θ_{−1} = θ_0
    m1 = np.zeros(2)                    # Kingma & Ba: first moment m_0 = 0
    v2 = np.zeros(2)                    # Kingma & Ba: second moment v_0 = 0; Tieleman & Hinton: MeanSquare
    for t in range(1, steps + 1):
        g = np.array(reference_gradient(theta[0], theta[1], x, y, neuron, lambd))
        if name == "gd":
            new = theta - alpha * g
        elif name == "momentum":
            # Polyak (1964), the heavy ball: θ_{t+1} = θ_t − α ∇f(θ_t) + β (θ_t − θ_{t−1})
            new = theta - alpha * g + beta1 * (theta - previous)
        elif name == "rmsprop":
            # Tieleman & Hinton (2012), lecture 6.5:
            # MeanSquare(w, t) = β MeanSquare(w, t−1) + (1 − β) (∂E/∂w)²,
            # then divide the gradient by √MeanSquare (ε added for zero gradients)
            v2 = beta2 * v2 + (1 - beta2) * g**2
            new = theta - alpha * g / (np.sqrt(v2) + eps)
        else:
            # Kingma & Ba (2015), Algorithm 1
            m1 = beta1 * m1 + (1 - beta1) * g
            v2 = beta2 * v2 + (1 - beta2) * g**2
            m_hat = m1 / (1 - beta1**t)                              # bias-corrected first moment
            v_hat = v2 / (1 - beta2**t)                              # bias-corrected second raw moment
            new = theta - alpha * m_hat / (np.sqrt(v_hat) + eps)
        previous, theta = theta, new
        path.append(theta.copy())
        for key, value in (("m", m1), ("v", v2), ("m_hat", m_hat), ("v_hat", v_hat)):
            moments[key].append(np.array(value, dtype=float))
    return np.array(path), {key: np.array(values) for key, values in moments.items()}


@pytest.mark.parametrize("neuron", list(NEURONS))
@pytest.mark.parametrize("name", list(OPTIMISERS))
def test_each_update_matches_its_paper_step_by_step(name, neuron):
    x, y = data(seed=1)
    alpha = {"gd": 0.3, "momentum": 0.1, "rmsprop": 0.05, "adam": 0.05}[name]
    beta2 = 0.9 if name == "rmsprop" else 0.999
    run = optimise(x, y, name, alpha, 40, np.array([[-2.0]]), 1.5, *NEURONS[neuron], lambd=0.7, beta1=0.9,
                   beta2=beta2, eps=1e-8, tol=0.0)
    ref, moments = reference_path(name, x[0], y[0], neuron, 0.7, alpha, 40, -2.0, 1.5, beta2=beta2)
    assert run.steps == 40
    np.testing.assert_allclose(run.w[:, 0], ref[:, 0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(run.b, ref[:, 1], rtol=1e-10, atol=1e-12)
    # the state in the step table is the papers' state: Tieleman & Hinton's MeanSquare is s; Kingma & Ba's
    # m_t, v_t, m̂_t, v̂_t are v, s, v̂, ŝ (the course's names)
    names = {"rmsprop": {"s": "v"}, "adam": {"v": "m", "s": "v", "v_hat": "m_hat", "s_hat": "v_hat"}}
    for ours, theirs in names.get(name, {}).items():
        np.testing.assert_allclose(run.state[f"{ours}_dw"][:, 0], moments[theirs][:, 0], rtol=1e-9,
                                   atol=1e-14)
        np.testing.assert_allclose(run.state[f"{ours}_db"], moments[theirs][:, 1], rtol=1e-9, atol=1e-14)


def test_momentum_state_is_the_heavy_ball_velocity():
    """v_dw after update t equals (θ_{t−1} − θ_t)/α: the step the heavy ball took."""
    x, y = data(seed=2)
    run = optimise(x, y, "momentum", 0.2, 20, np.array([[1.0]]), -1.0, tol=0.0)
    np.testing.assert_allclose(run.state["v_dw"][1:, 0], -np.diff(run.w[:, 0]) / 0.2, rtol=1e-9)
    np.testing.assert_allclose(run.state["v_db"][1:], -np.diff(run.b) / 0.2, rtol=1e-9)


# ---------------------------------------------------------------- two steps by hand

# Linear neuron, x = (1, 2), y = (0, 1), start (0, 0), α = 0.1.
# Step 1: z = (0, 0), dZ = z − y = (0, −1), dw = (0·1 − 1·2)/2 = −1, db = −1/2.
# Step 2 is worked out below for each optimiser from the point step 1 reached.
HAND = np.array([[1.0, 2.0]]), np.array([[0.0, 1.0]])


def test_gradient_descent_by_hand():
    # 1: w = 0 + 0.1·1 = 0.1, b = 0 + 0.1·0.5 = 0.05
    # 2: z = (0.15, 0.25), dZ = (0.15, −0.75), dw = (0.15 − 1.5)/2 = −0.675, db = −0.3
    #    w = 0.1 + 0.0675 = 0.1675, b = 0.05 + 0.03 = 0.08
    run = optimise(*HAND, "gd", 0.1, 2, activation="linear", loss="squared")
    np.testing.assert_allclose(run.w[:, 0], [0, 0.1, 0.1675])
    np.testing.assert_allclose(run.b, [0, 0.05, 0.08])
    np.testing.assert_allclose(run.dw[:, 0], [0, -1, -0.675])
    np.testing.assert_allclose(run.db, [0, -0.5, -0.3])


def test_momentum_by_hand():
    # 1: v_dw = 0.9·0 + (−1) = −1, v_db = −0.5; w = 0.1, b = 0.05 (the same as gradient descent)
    # 2: dw = −0.675, db = −0.3; v_dw = −0.9 − 0.675 = −1.575, v_db = −0.45 − 0.3 = −0.75
    #    w = 0.1 + 0.1575 = 0.2575, b = 0.05 + 0.075 = 0.125
    run = optimise(*HAND, "momentum", 0.1, 2, activation="linear", loss="squared", beta1=0.9)
    np.testing.assert_allclose(run.state["v_dw"][:, 0], [0, -1, -1.575])
    np.testing.assert_allclose(run.state["v_db"], [0, -0.5, -0.75])
    np.testing.assert_allclose(run.w[:, 0], [0, 0.1, 0.2575])
    np.testing.assert_allclose(run.b, [0, 0.05, 0.125])


def test_rmsprop_by_hand():
    # 1: s_dw = 0.1·1 = 0.1, s_db = 0.1·0.25 = 0.025; w = 0.1/√0.1 = √0.1, b = 0.05/√0.025 = √0.1
    # 2: z = √0.1·(2, 3) = (0.632456, 0.948683), dZ = (0.632456, −0.051317)
    #    dw = (0.632456 − 0.102634)/2 = 0.264911, db = (0.632456 − 0.051317)/2 = 0.290569
    #    s_dw = 0.09 + 0.1·0.264911² = 0.0970178, s_db = 0.0225 + 0.1·0.290569² = 0.0309431
    #    w = 0.316228 − 0.1·0.264911/0.311477 = 0.231178, b = 0.316228 − 0.1·0.290569/0.175906 = 0.151044
    run = optimise(*HAND, "rmsprop", 0.1, 2, activation="linear", loss="squared", beta2=0.9, eps=1e-8)
    r = math.sqrt(0.1)
    np.testing.assert_allclose(run.state["s_dw"][:, 0], [0, 0.1, 0.0970178], rtol=1e-6)
    np.testing.assert_allclose(run.state["s_db"], [0, 0.025, 0.0309431], rtol=1e-5)
    np.testing.assert_allclose(run.w[:, 0], [0, r, 0.231178], rtol=1e-5)
    np.testing.assert_allclose(run.b, [0, r, 0.151044], rtol=1e-5)


def test_adam_by_hand():
    # 1: v = 0.1·g, s = 0.001·g², v̂ = g, ŝ = g²: each coordinate moves α·|g|/(|g| + ε) = 0.1
    # 2: z = 0.1·(1, 2) + 0.1 = (0.2, 0.3), dZ = (0.2, −0.7), dw = −0.6, db = −0.25
    #    v_dw = 0.9·(−0.1) + 0.1·(−0.6) = −0.15, v̂_dw = −0.15/(1 − 0.81) = −0.789474
    #    s_dw = 0.999·0.001 + 0.001·0.36 = 0.001359, ŝ_dw = 0.001359/(1 − 0.998001) = 0.679840
    #    w = 0.1 + 0.1·0.789474/√0.679840 = 0.1 + 0.1·0.789474/0.824524 = 0.195749
    run = optimise(*HAND, "adam", 0.1, 2, activation="linear", loss="squared")
    np.testing.assert_allclose(run.w[:, 0], [0, 0.1, 0.195749], rtol=1e-6)
    np.testing.assert_allclose(run.b[1], 0.1, rtol=1e-6)
    np.testing.assert_allclose(run.state["v_dw"][:, 0], [0, -0.1, -0.15], rtol=1e-6)
    np.testing.assert_allclose(run.state["v_hat_dw"][:, 0], [0, -1, -0.789474], rtol=1e-6)
    np.testing.assert_allclose(run.state["s_dw"][:, 0], [0, 0.001, 0.001359], rtol=1e-6)
    np.testing.assert_allclose(run.state["s_hat_dw"][:, 0], [0, 1, 0.679840], rtol=1e-6)


# ---------------------------------------------------------------- agreement with gradient_descent, batches


@pytest.mark.parametrize("neuron", list(NEURONS))
def test_gd_is_core_gradient_descent_exactly(neuron):
    x, y = data(seed=3)
    t = gradient_descent(np.array([[-3.0]]), 3.0, x, y, 0.4, 80, *NEURONS[neuron], lambd=0.5)
    run = optimise(x, y, "gd", 0.4, 80, np.array([[-3.0]]), 3.0, *NEURONS[neuron], lambd=0.5)
    assert run.status == t.status and run.steps == t.steps
    assert np.array_equal(run.w, t.w) and np.array_equal(run.b, t.b) and np.array_equal(run.cost, t.cost)


@pytest.mark.parametrize("name", list(OPTIMISERS))
def test_batch_size_m_is_full_batch_exactly(name):
    x, y = data(seed=4, m=30)
    full = optimise(x, y, name, 0.1, 50, batch_size=None, seed=1)
    same = optimise(x, y, name, 0.1, 50, batch_size=30, seed=7)
    more = optimise(x, y, name, 0.1, 50, batch_size=1000, seed=3)
    for run in (same, more):
        assert np.array_equal(run.w, full.w) and np.array_equal(run.b, full.b)
        assert np.array_equal(run.cost, full.cost)
    np.testing.assert_array_equal(full.epoch, np.arange(full.b.size))       # one epoch per update


@pytest.mark.parametrize("name", list(OPTIMISERS))
def test_same_seed_same_path_other_seed_other_path(name):
    x, y = data(seed=5, m=50)
    a = optimise(x, y, name, 0.05, 60, batch_size=7, seed=11)
    b = optimise(x, y, name, 0.05, 60, batch_size=7, seed=11)
    c = optimise(x, y, name, 0.05, 60, batch_size=7, seed=12)
    assert np.array_equal(a.w, b.w) and np.array_equal(a.b, b.b)
    assert not np.array_equal(a.w, c.w)


def test_a_shorter_run_is_the_start_of_a_longer_one():
    x, y = data(seed=6, m=50)
    short = optimise(x, y, "adam", 0.05, 23, batch_size=8, seed=2)
    long = optimise(x, y, "adam", 0.05, 60, batch_size=8, seed=2)
    assert np.array_equal(short.w, long.w[:24]) and np.array_equal(short.b, long.b[:24])


def test_epochs_against_iterations_and_learning_rate_decay():
    x, y = data(seed=7, m=50)
    run = optimise(x, y, "gd", 0.2, 40, batch_size=20, decay=0.5, tol=0.0)    # 3 batches: 20, 20, 10
    assert run.steps == 40
    seen = np.concatenate([[0], np.cumsum(np.tile([20, 20, 10], 14))[:40]])
    np.testing.assert_allclose(run.epoch, seen / 50)
    epoch_of_update = (np.arange(1, 41) - 1) // 3                            # 0, 0, 0, 1, 1, 1, …
    np.testing.assert_allclose(run.alpha[1:], 0.2 / (1 + 0.5 * epoch_of_update))
    assert run.alpha[0] == 0.2 and run.epochs == pytest.approx(seen[-1] / 50)


def test_the_cost_is_the_whole_data_sets_cost_even_for_mini_batches():
    from core.maths.logistic import propagate

    x, y = data(seed=8, m=30)
    run = optimise(x, y, "momentum", 0.1, 15, batch_size=4, lambd=0.3)
    for k in (0, 7, 15):
        _, cost = propagate(run.w[k].reshape(1, 1), run.b[k], x, y, lambd=0.3)
        assert run.cost[k] == pytest.approx(cost, rel=1e-12)


def test_decay_shrinks_the_noise_of_sgd_near_the_minimum():
    x, y = data(seed=9, m=100)
    plain = optimise(x, y, "gd", 0.5, 2000, batch_size=1, seed=0, tol=0.0)
    decayed = optimise(x, y, "gd", 0.5, 2000, batch_size=1, seed=0, decay=1.0, tol=0.0)
    j_star = find_minimum(x, y).cost
    assert np.mean(decayed.cost[-500:] - j_star) < np.mean(plain.cost[-500:] - j_star)
    assert np.std(np.diff(decayed.w[-500:, 0])) < np.std(np.diff(plain.w[-500:, 0]))


# ---------------------------------------------------------------- regimes: momentum's 2(1 + β) and Adam's α


@pytest.mark.parametrize("beta1", [0.5, 0.9])
def test_momentum_converges_just_below_its_limit_and_diverges_just_above(beta1):
    x, y = data(seed=10, scale=1.7, shift=0.8)            # unscaled data: two different curvatures
    limits = rate_limits(x, y, "linear", "squared", beta1=beta1)
    mn = limits.minimum
    start = mn.w + 0.5, mn.b - 0.5

    def run(name, alpha):
        return optimise(x, y, name, alpha, 4000, start[0], start[1], "linear", "squared", beta1=beta1,
                        tol=1e-9)

    assert run("momentum", 0.97 * limits.momentum_limit).status == "converged"
    assert run("momentum", 1.03 * limits.momentum_limit).status == "diverged"
    assert run("gd", 0.97 * limits.gd_limit).status == "converged"
    assert run("gd", 1.03 * limits.gd_limit).status == "diverged"
    # the step that makes gradient descent diverge is one momentum still handles
    assert run("momentum", 1.03 * limits.gd_limit).status == "converged"


def test_rate_limits_are_the_numbers_of_the_hessian():
    x, y = data(seed=11)
    for act, loss in NEURONS.values():
        limits = rate_limits(x, y, act, loss, lambd=0.4, beta1=0.8)
        mn = find_minimum(x, y, act, loss, 0.4)
        lam = np.linalg.eigvalsh(hessian(mn.w, mn.b, x, y, act, loss, 0.4))
        assert limits.at == "minimum"
        assert limits.lam_max == pytest.approx(lam[-1]) and limits.lam_min == pytest.approx(lam[0])
        numbers = limits.as_dict()
        assert numbers["smooth_below"] == pytest.approx(1 / lam[-1])
        assert numbers["gd_limit"] == pytest.approx(2 / lam[-1])
        assert numbers["momentum_limit"] == pytest.approx(2 * 1.8 / lam[-1])
    assert "below 2(1 + β₁)/λ_max" in limits.verdict("momentum", 0.9 * limits.momentum_limit)
    assert "above 2/λ_max" in limits.verdict("gd", 1.1 * limits.gd_limit)
    assert "about α" in limits.verdict("adam", 0.1)


def test_rate_limits_on_separable_data_use_the_start_point():
    x = np.array([[-2.0, -1.0, 1.0, 2.0]])
    y = np.array([[0.0, 0.0, 1.0, 1.0]])
    limits = rate_limits(x, y, w0=np.array([[-1.0]]), b0=0.5)
    assert limits.at == "start" and not limits.minimum.finite
    lam = np.linalg.eigvalsh(hessian(np.array([[-1.0]]), 0.5, x, y))
    assert limits.lam_max == pytest.approx(lam[-1])
    assert rate_limits(x, y, lambd=1.0).at == "minimum"          # λ gives the basin a bottom


@pytest.mark.parametrize("scale", [1e-3, 1e-1, 1.0, 10.0, 1e3])
def test_adams_step_is_about_alpha_whatever_the_scale_of_the_gradient(scale):
    """Measure x in other units (×scale): dw scales by scale, yet Adam's first steps stay ≈ α in w."""
    x, y = data(seed=12, m=60)
    x = x * scale
    w0 = np.array([[-5.0 / scale]])                      # the same start, in the new units of w·x
    alpha = 0.01 / scale                                 # α in the units of w
    adam = optimise(x, y, "adam", alpha, 5, w0, 0.0, tol=0.0)
    dw_steps, _ = step_sizes(adam)
    # the first step is α·|dw|/(|dw| + ε): α to within ε/|dw| (|dw| ≈ 1e-3 at the smallest scale)
    np.testing.assert_allclose(dw_steps[0], alpha, rtol=1e-4)
    np.testing.assert_allclose(dw_steps, alpha, rtol=0.05)
    # gradient descent's first step is α·|dw| instead: it changes with the scale as dw does
    gd = optimise(x, y, "gd", alpha, 1, w0, 0.0, tol=0.0)
    assert step_sizes(gd)[0][0] == pytest.approx(alpha * abs(gd.dw[1, 0]))


def test_adams_first_step_is_alpha_even_when_the_gradient_is_tiny_or_huge():
    x, y = data(seed=13)
    for w0 in (-50.0, -0.5, 0.5):                        # gradients from about 1e-20 to 1
        run = optimise(x, y, "adam", 0.1, 1, np.array([[w0]]), 0.0, eps=1e-30, tol=0.0)
        assert abs(run.w[1, 0] - w0) == pytest.approx(0.1, rel=1e-9)


# ---------------------------------------------------------------- endings and bad input


def test_divergence_stops_at_the_last_finite_point():
    x, y = data(seed=14, scale=3.0)
    run = optimise(x, y, "momentum", 5.0, 500, activation="linear", loss="squared")
    assert run.status == "diverged" and run.diverged_at == run.steps + 1
    assert all(np.all(np.isfinite(a)) for a in (run.w, run.b, run.cost, run.dw, run.db, run.alpha))
    assert all(np.all(np.isfinite(v)) for v in run.state.values())
    assert "diverged" in run.message


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(list(OPTIMISERS)), neuron=st.sampled_from(list(NEURONS)),
       log_alpha=st.floats(-4, 4), batch=st.integers(1, 25), w0=st.floats(-20, 20), b0=st.floats(-20, 20),
       lambd=st.sampled_from([0.0, 1.0, 100.0]), beta1=st.floats(0, 0.999), beta2=st.floats(0, 0.9999))
def test_any_settings_end_in_one_of_three_ways_without_nan(name, neuron, log_alpha, batch, w0, b0, lambd,
                                                            beta1, beta2):
    x, y = data(seed=15, m=25, scale=2.0)
    run = optimise(x, y, name, 10.0**log_alpha, 120, np.array([[w0]]), b0, *NEURONS[neuron], lambd=lambd,
                   beta1=beta1, beta2=beta2, batch_size=batch, seed=1)
    assert run.status in ("converged", "max_steps", "diverged")
    for values in (run.w, run.b, run.cost, run.dw, run.db, run.alpha, run.epoch, run.grad_norm,
                   *run.state.values()):
        assert np.all(np.isfinite(values))
    assert run.b.size == run.steps + 1


@pytest.mark.parametrize("kwargs, words", [
    ({"optimiser": "sgd"}, "Unknown optimiser"),
    ({"alpha": 0.0}, "learning rate"),
    ({"alpha": float("nan")}, "learning rate"),
    ({"num_iterations": -1}, "iterations"),
    ({"num_iterations": 2.5}, "iterations"),
    ({"beta1": 1.0}, "β₁"),
    ({"optimiser": "adam", "beta2": -0.1}, "β₂"),
    ({"optimiser": "rmsprop", "eps": 0.0}, "ε"),
    ({"batch_size": 0}, "batch size"),
    ({"batch_size": 2.0}, "batch size"),
    ({"decay": -1.0}, "decay"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"lambd": -1.0}, "λ"),
])
def test_bad_settings_raise_one_plain_sentence(kwargs, words):
    x, y = data()
    with pytest.raises(InputError, match=words):
        optimise(x, y, **kwargs)


def test_a_start_too_far_to_compute_is_refused():
    x, y = data()
    with pytest.raises(InputError, match="start point"):
        optimise(x * 1e200, y, "gd", 0.1, 5, np.array([[1e200]]), 0.0, activation="linear", loss="squared")


# ---------------------------------------------------------------- what the page reads


@pytest.mark.parametrize("name", list(OPTIMISERS))
def test_step_table_and_csv_carry_the_state(name):
    x, y = data()
    run = optimise(x, y, name, 0.1, 5)
    table = steps_table(run)
    assert list(table)[:7] == ["step", "epoch", "alpha", "w", "b", "dw", "db"]
    assert list(table)[7:-1] == list(STATE_NAMES[name]) and list(table)[-1] == "J"
    assert all(len(column) == 6 for column in table.values())
    lines = steps_csv(run).splitlines()
    assert lines[0].startswith("# ") and lines[1] == ",".join(table) and len(lines) == 8
    assert float(lines[-1].split(",")[-1]) == pytest.approx(run.cost[-1], rel=1e-9)
    assert name in UPDATE_LATEX


def test_race_pads_each_run_to_the_same_length():
    x, y = data(seed=16)
    r = race(x, y, ["gd", "momentum", "rmsprop", "adam"], 100, np.array([[-3.0]]), 3.0, alpha=0.05,
             alphas={"gd": 2.0}, activation="linear", loss="squared", batch_size=10, seed=3)
    assert r.W.shape == r.B.shape == r.J.shape == (4, 101)
    for k, run in enumerate(r.runs):
        assert np.array_equal(r.W[k, :run.b.size], run.w[:, 0])
        assert np.all(r.W[k, run.b.size:] == run.w[-1, 0])
    assert r.runs[0].status == "diverged" and r.runs[0].alpha[0] == 2.0
    with pytest.raises(InputError):
        race(x, y, ["gd", "gd"], 10)


def test_doctests():
    import doctest

    import core.maths.optimisers

    assert doctest.testmod(core.maths.optimisers).failed == 0


def test_a_plain_number_is_a_start_point_on_the_basin():
    x, y = data()
    a = optimise(x, y, "momentum", 0.1, 10, -2.0, 1.0)
    b = optimise(x, y, "momentum", 0.1, 10, np.array([[-2.0]]), 1.0)
    assert np.array_equal(a.w, b.w) and a.w[0, 0] == -2.0
