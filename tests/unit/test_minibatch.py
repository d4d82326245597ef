"""Mini-batches: every example once per epoch, unbiased batch gradients, noise (m − B)/(B(m − 1))."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.maths.logistic import propagate
from core.maths.loss_functions import get_loss
from core.maths.minibatch import (
    batch_gradient,
    batches_per_epoch,
    epoch_batches,
    gradient_noise,
    noise_factor,
)

NEURONS = [get_loss("sigmoid", "log"), get_loss("linear", "squared")]


def data(seed, m):
    rng = np.random.default_rng(seed)
    y = (rng.random(m) < 0.5).astype(float)
    x = rng.normal(size=m) + (2 * y - 1)
    return x.reshape(1, -1), y.reshape(1, -1)


@given(m=st.integers(1, 200), batch=st.integers(1, 250), seed=st.integers(0, 2**32 - 1))
def test_an_epoch_visits_every_example_once(m, batch, seed):
    batches = epoch_batches(m, batch, np.random.default_rng(seed))
    assert len(batches) == batches_per_epoch(m, min(batch, m))
    assert sorted(np.concatenate(batches).tolist()) == list(range(m))
    assert all(b.size == min(batch, m) for b in batches[:-1])


def test_a_batch_of_m_is_the_data_in_order_and_the_full_gradient_exactly():
    x, y = data(0, 20)
    (idx,) = epoch_batches(20, 20, np.random.default_rng(0))
    assert idx.tolist() == list(range(20))
    grads, _ = propagate(np.array([[0.3]]), -0.2, x, y, lambd=0.5)
    dw, db = batch_gradient(np.array([[0.3]]), -0.2, x, y, idx, NEURONS[0], 0.5)
    assert np.array_equal(dw, grads["dw"]) and db == grads["db"]


@settings(max_examples=60, deadline=None)
@given(m_batches=st.integers(1, 12), batch=st.integers(1, 12), seed=st.integers(0, 10**6),
       neuron=st.sampled_from(NEURONS), w=st.floats(-3, 3), b=st.floats(-3, 3), lambd=st.floats(0, 10))
def test_the_mean_of_an_epochs_batch_gradients_is_the_full_gradient(m_batches, batch, seed, neuron, w, b,
                                                                    lambd):
    """Unbiased: with batches of equal size, the mean of an epoch's batch gradients is the full gradient."""
    m = m_batches * batch
    x, y = data(seed, m)
    w = np.array([[w]])
    batches = epoch_batches(m, batch, np.random.default_rng(seed))
    grads = [batch_gradient(w, b, x, y, idx, neuron, lambd) for idx in batches]
    act, loss = neuron.activation.name, neuron.name
    full, _ = propagate(w, b, x, y, act, loss, lambd)
    assert np.mean([g[0][0, 0] for g in grads]) == pytest.approx(full["dw"][0, 0], rel=1e-9, abs=1e-12)
    assert np.mean([g[1] for g in grads]) == pytest.approx(full["db"], rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(m=st.integers(2, 9), data_seed=st.integers(0, 10**6), neuron=st.sampled_from(NEURONS),
       w=st.floats(-3, 3), b=st.floats(-3, 3), lambd=st.floats(0, 5))
def test_the_batch_gradients_variance_is_sigma2_times_m_minus_b_over_b_m_minus_1(m, data_seed, neuron, w, b,
                                                                                 lambd):
    """Over every batch of B examples (all C(m, B) of them, equally likely when drawing without replacement),
    the variance of the batch gradient is σ²·(m − B)/(B(m − 1)): it shrinks as B grows and is 0 at B = m."""
    x, y = data(data_seed, m)
    w = np.array([[w]])
    previous = np.inf
    for B in range(1, m + 1):
        grads = np.array([(lambda g: (g[0][0, 0], g[1]))(batch_gradient(w, b, x, y, np.array(idx), neuron,
                                                                         lambd))
                          for idx in itertools.combinations(range(m), B)])
        exact = grads.var(axis=0)                                # over all C(m, B) equally likely batches
        noise = gradient_noise(w, b, x, y, B, neuron)
        np.testing.assert_allclose([noise.var_dw[0], noise.var_db], exact, rtol=1e-7, atol=1e-12)
        assert noise.factor == pytest.approx((m - B) / (B * (m - 1)))
        assert noise.std <= previous + 1e-12
        previous = noise.std
    assert previous == 0.0


def test_the_sampler_shows_the_same_noise():
    """Batches drawn by epoch_batches (shuffled epochs) have the variance the formula predicts."""
    x, y = data(1, 60)
    w, b, neuron, rng = np.array([[0.5]]), 0.1, NEURONS[0], np.random.default_rng(3)
    for B in (1, 6, 20):
        grads = np.array([batch_gradient(w, b, x, y, idx, neuron, 0.0)[1]
                          for _ in range(4000 // (60 // B)) for idx in epoch_batches(60, B, rng)])
        assert grads.var() == pytest.approx(gradient_noise(w, b, x, y, B, neuron).var_db, rel=0.1)


def test_noise_factor_ends():
    assert noise_factor(100, 1) == 1.0
    assert noise_factor(100, 100) == 0.0 and noise_factor(1, 1) == 0.0
    assert noise_factor(100, 10) == pytest.approx(90 / 990)


def test_the_tradeoff_table_smaller_batches_are_cheaper_and_noisier():
    from core.maths.minibatch import EXPLANATION, batch_tradeoff

    x, y = data(2, 100)
    table = batch_tradeoff(np.array([[0.2]]), 0.0, x, y, [1, 10, 32, 100, 500], NEURONS[0])
    assert table["batch_size"].tolist() == [1, 10, 32, 100, 100]
    assert table["updates_per_epoch"].tolist() == [100, 10, 4, 1, 1]
    assert table["examples_per_update"].tolist() == [1, 10, 32, 100, 100]
    assert np.all(np.diff(table["noise_std"]) <= 0) and table["noise_std"][-1] == 0.0
    assert "noisy" in EXPLANATION and "epoch" in EXPLANATION


def test_the_explanation_defines_sigma2_and_counts_the_steps_of_an_epoch_as_the_code_does():
    """EXPLANATION used σ² without saying what it is, and said an epoch makes m/B steps: it makes ⌈m/B⌉."""
    from core.maths.minibatch import EXPLANATION

    assert "σ² is the variance of the m single examples' gradients" in EXPLANATION
    assert "⌈m/B⌉" in EXPLANATION and " m/B " not in EXPLANATION
    assert batches_per_epoch(100, 32) == 4 == len(epoch_batches(100, 32, np.random.default_rng(0)))


@pytest.mark.parametrize("m, batch", [(100, 32), (200, 64), (60, 7), (60, 6)])
def test_an_epochs_noise_is_the_noise_of_its_real_batches(m, batch):
    """When B does not divide m, the epoch's last batch is short and much noisier: the root mean square of
    (batch gradient − full gradient) over the batches epoch_batches draws is epoch_noise_std, not the noise of a batch
    of B (iris, B = 32: batches 32, 32, 32, 4 give 0.083, a batch of 32 0.043)."""
    from core.maths.minibatch import batch_sizes, epoch_noise_std

    x, y = data(4, m)
    w, b, neuron, rng = np.array([[0.4]]), -0.3, NEURONS[0], np.random.default_rng(1)
    full, _ = propagate(w, b, x, y)
    squares = []
    for _ in range(3000):
        for idx in epoch_batches(m, batch, rng):
            dw, db = batch_gradient(w, b, x, y, idx, neuron, 0.0)
            squares.append((dw[0, 0] - full["dw"][0, 0]) ** 2 + (db - full["db"]) ** 2)
    std = epoch_noise_std(w, b, x, y, batch, neuron)
    assert std == pytest.approx(np.sqrt(np.mean(squares)), rel=0.05)
    assert [len(i) for i in epoch_batches(m, batch, rng)] == batch_sizes(m, batch)
    one = gradient_noise(w, b, x, y, batch, neuron).std
    assert std == pytest.approx(one) if m % batch == 0 else std > one      # the short batch adds noise
