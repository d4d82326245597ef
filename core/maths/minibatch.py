"""Mini-batches: which examples each step sees, the gradient of one batch, and how noisy that gradient is.

Mini-batch gradient descent shuffles the m examples at the start of every epoch, cuts them into batches of
B examples (the last one smaller when B does not divide m) and makes one update per batch. B = m is batch
gradient descent, B = 1 is stochastic gradient descent.

A batch's gradient is an unbiased estimate of the full gradient: averaged over the batches of an epoch (all
of equal size), it is exactly the full gradient. It is noisy: drawing B of the m examples without replacement,
each coordinate's variance is

    Var(batch gradient) = σ² · (m − B) / (B (m − 1)),

where σ² is the variance of the per-example gradients over the whole data set. Halving B roughly doubles the
noise, and a batch of m has none. A small batch is cheaper per step (B examples instead of m), so SGD makes
many cheap, noisy steps where batch gradient descent makes few exact, expensive ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The one plain explanation the page shows next to the batch-size control.
EXPLANATION = (
    "Each step uses the gradient of a batch of B examples instead of all m: on average it points the same "
    "way as the full gradient, but it wobbles around it, and the wobble grows as B shrinks (its variance is "
    "σ²(m − B)/(B(m − 1)), where σ² is the variance of the m single examples' gradients); in exchange each "
    "step costs only B examples, so one pass over the data (an epoch) makes ⌈m/B⌉ cheap, noisy steps (the "
    "last one with fewer examples when B does not divide m) instead of one exact, expensive one."
)


def batches_per_epoch(m, batch_size):
    """Updates in one epoch: ⌈m / B⌉."""
    return -(-int(m) // int(batch_size))


def batch_sizes(m, batch_size):
    """The sizes of one epoch's batches: ⌈m / B⌉ of B examples, the last one what is left of the m.

    >>> batch_sizes(100, 32), batch_sizes(200, 50), batch_sizes(10, 64)
    ([32, 32, 32, 4], [50, 50, 50, 50], [10])
    """
    m, B = int(m), min(int(batch_size), int(m))
    return [min(B, m - start) for start in range(0, m, B)]


def epochs_after(updates, m, batch_size):
    """Epochs done after `updates` updates with batches of B: each epoch is ⌈m / B⌉ updates, all of B examples
    but its last (what is left of the m).

    >>> epochs_after(7, 100, 16), epochs_after(10, 100, 16), epochs_after(3, 100, 100)
    (1.0, 1.48, 3.0)
    """
    per = batches_per_epoch(m, batch_size)
    full, rest = divmod(int(updates), per)
    return full + rest * min(int(batch_size), int(m)) / int(m)


def epoch_batches(m, batch_size, rng):
    """The batches of one epoch, as index arrays into the m examples.

    Parameters
    ----------
    m : int
        Number of examples.
    batch_size : int
        B, 1 ≤ B. With B ≥ m the only batch is every example in its original order (no shuffle), so the run is
        exactly batch gradient descent.
    rng : numpy.random.Generator
        Shuffles the examples (a permutation per epoch).

    Returns
    -------
    list of ndarray of int
        ⌈m / B⌉ arrays of B indices each (the last may be shorter); together a permutation of 0..m − 1.
    """
    if batch_size >= m:
        return [np.arange(m)]
    order = rng.permutation(m)
    return [order[start:start + batch_size] for start in range(0, m, batch_size)]


def batch_gradient(w, b, X, Y, idx, neuron, lambd):
    """dw and db of the cost on the examples idx only; trusts its input (the optimisers check it once).

    J_batch = (1/B) Σ_{i in batch} L(a_i, y_i) + λ/(2m)‖w‖²: the penalty keeps the full m, so that the mean of
    the batch gradients over an epoch is the full gradient (unbiased).

    Parameters
    ----------
    w : ndarray of shape (n_x, 1)
    b : float
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    idx : ndarray of int of shape (B,)
    neuron : core.maths.loss_functions.Loss
    lambd : float

    Returns
    -------
    dw : ndarray of shape (n_x, 1)
    db : float
    """
    m = X.shape[1]
    Xb, Yb = X[:, idx], Y[:, idx]                                # (n_x, B), (1, B)
    dZ = neuron.dZ(w.T @ Xb + b, Yb)                             # (1, B); A − Y for the logistic neuron
    dw = Xb @ dZ.T / Xb.shape[1] + (lambd / m) * w               # (n_x, 1)
    db = float(np.mean(dZ))                                      # scalar
    return dw, db


def noise_factor(m, batch_size):
    """(m − B) / (B (m − 1)): the variance of a batch mean, in units of the per-example variance σ².

    1 for B = 1 (SGD), 0 for B = m (the whole data set), sampling without replacement.
    """
    m, B = int(m), int(batch_size)
    if m <= 1 or B >= m:
        return 0.0
    return (m - B) / (B * (m - 1))


@dataclass(frozen=True)
class GradientNoise:
    """How noisy a batch gradient is at one point (w, b).

    var_dw : ndarray of shape (n_x,)   variance of each coordinate of a batch's dw
    var_db : float                     variance of a batch's db
    std : float                        √(Σ var): the typical length of the noise vector
    per_example_var : ndarray of shape (n_x + 1,)   σ² of the per-example gradients (dw then db)
    factor : float                     (m − B) / (B (m − 1))
    """

    var_dw: np.ndarray
    var_db: float
    std: float
    per_example_var: np.ndarray
    factor: float


def gradient_noise(w, b, X, Y, batch_size, neuron):
    """The variance of the batch gradient at (w, b) for batches of B examples drawn without replacement.

    Per-example gradients g_i = (dz_i x_i, dz_i) (the λ term is the same for every batch: it adds no noise);
    σ² = their variance over the m examples (dividing by m); Var(batch mean) = σ² (m − B) / (B (m − 1)).

    Parameters
    ----------
    w : ndarray of shape (n_x, 1)
    b : float
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    batch_size : int
    neuron : core.maths.loss_functions.Loss

    Returns
    -------
    GradientNoise
    """
    dZ = neuron.dZ(w.T @ X + b, Y)                               # (1, m)
    G = np.vstack([X * dZ, dZ])                                  # (n_x + 1, m): one gradient per column
    sigma2 = G.var(axis=1)                                       # (n_x + 1,)
    factor = noise_factor(X.shape[1], batch_size)
    var = sigma2 * factor
    return GradientNoise(var_dw=var[:-1], var_db=float(var[-1]), std=float(np.sqrt(var.sum())),
                         per_example_var=sigma2, factor=factor)


def epoch_noise_std(w, b, X, Y, batch_size, neuron):
    """The typical length of (batch gradient − full gradient) over one epoch's real batches: √ of the mean of
    trace(Var) over them, each batch with its own size (batch_sizes: the last one is shorter when B does not divide
    m, and a short batch is much noisier). It is gradient_noise(...).std when B divides m. The parameters are
    gradient_noise's; returns a float.
    """
    m = X.shape[1]
    sigma2 = float(np.sum(gradient_noise(w, b, X, Y, 1, neuron).per_example_var))      # σ², summed over (dw, db)
    return float(np.sqrt(sigma2 * np.mean([noise_factor(m, B) for B in batch_sizes(m, batch_size)])))


def batch_tradeoff(w, b, X, Y, batch_sizes, neuron):
    """For each batch size B: updates per epoch, examples per update and the noise of the batch gradient.

    Parameters
    ----------
    w : ndarray of shape (n_x, 1)
    b : float
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    batch_sizes : sequence of int
        Each from 1 to m.
    neuron : core.maths.loss_functions.Loss

    Returns
    -------
    dict of str to ndarray of shape (len(batch_sizes),)
        "batch_size", "updates_per_epoch" (⌈m/B⌉), "examples_per_update" (B) and "noise_std" (the typical
        length of batch gradient − full gradient, √(trace of its covariance)).
    """
    m = X.shape[1]
    sizes = np.array([min(int(B), m) for B in batch_sizes])
    return {
        "batch_size": sizes,
        "updates_per_epoch": np.array([batches_per_epoch(m, B) for B in sizes]),
        "examples_per_update": sizes.copy(),
        "noise_std": np.array([gradient_noise(w, b, X, Y, B, neuron).std for B in sizes]),
    }
