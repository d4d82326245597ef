"""Activation functions g(z) of a single neuron, each with its first and second derivative.

Every activation has the same interface (as in TensorFlow Playground): ``fn(Z)``, ``der(Z)`` = g'(z)
and ``der2(Z)`` = g''(z), elementwise on arrays of any shape. The second derivative is used for the
Hessian of the cost (core.maths.surfaces), which tells which learning rates are safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def sigmoid(Z):
    """σ(z) = 1 / (1 + e^(−z)), computed without overflow for any finite z.

    For z ≥ 0 we use 1 / (1 + e^(−z)); for z < 0 the equal form e^z / (1 + e^z), so ``exp`` only ever
    sees a non-positive number and never overflows (np.exp(1000) would be inf and warn).

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> float(sigmoid(-1e4)), float(sigmoid(1e4))
    (0.0, 1.0)
    """
    Z = np.asarray(Z, dtype=float)
    E = np.exp(-np.abs(Z))                       # in (0, 1]: never overflows
    return np.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))


def sigmoid_der(Z):
    """σ'(z) = σ(z)(1 − σ(z)); at most 1/4, at z = 0."""
    A = sigmoid(Z)
    return A * (1.0 - A)


def sigmoid_der2(Z):
    """σ''(z) = σ(z)(1 − σ(z))(1 − 2σ(z))."""
    A = sigmoid(Z)
    return A * (1.0 - A) * (1.0 - 2.0 * A)


def tanh(Z):
    """tanh(z), in (−1, 1)."""
    return np.tanh(np.asarray(Z, dtype=float))


def tanh_der(Z):
    """tanh'(z) = 1 − tanh(z)²."""
    T = np.tanh(np.asarray(Z, dtype=float))
    return 1.0 - T * T


def tanh_der2(Z):
    """tanh''(z) = −2 tanh(z)(1 − tanh(z)²)."""
    T = np.tanh(np.asarray(Z, dtype=float))
    return -2.0 * T * (1.0 - T * T)


def relu(Z):
    """ReLU(z) = max(0, z)."""
    return np.maximum(0.0, np.asarray(Z, dtype=float))


def relu_der(Z):
    """ReLU'(z) = 1 for z > 0, else 0 (we choose 0 at the kink z = 0, as most libraries do)."""
    return (np.asarray(Z, dtype=float) > 0).astype(float)


LEAK = 0.01   # leaky ReLU's slope for z < 0, the usual default (as in the course and most libraries)


def leaky_relu(Z):
    """Leaky ReLU(z) = max(0.01·z, z): like ReLU for z > 0, a small slope instead of a flat 0 for z < 0.

    >>> leaky_relu(np.array([-2.0, 0.0, 3.0])).tolist()
    [-0.02, 0.0, 3.0]
    """
    Z = np.asarray(Z, dtype=float)
    return np.where(Z > 0, Z, LEAK * Z)


def leaky_relu_der(Z):
    """Leaky ReLU'(z) = 1 for z > 0, else 0.01 (we choose 0.01 at the kink z = 0): never 0, so a unit with
    z < 0 still passes some gradient back and can recover, where a ReLU unit would be "dead"."""
    return np.where(np.asarray(Z, dtype=float) > 0, 1.0, LEAK)


def linear(Z):
    """The identity g(z) = z: a 'linear neuron'."""
    return np.asarray(Z, dtype=float).copy()


def linear_der(Z):
    """g'(z) = 1."""
    return np.ones_like(np.asarray(Z, dtype=float))


def zero_der2(Z):
    """g''(z) = 0 (ReLU away from its kink, and the linear neuron)."""
    return np.zeros_like(np.asarray(Z, dtype=float))


@dataclass(frozen=True)
class Activation:
    """One activation: its name, g, g' and g''."""

    name: str
    fn: Callable
    der: Callable
    der2: Callable
    latex: str

    def all_three(self, Z):
        """(g(z), g'(z), g''(z)) together, computing the sigmoid or tanh only once (for fast grids)."""
        if self.name == "sigmoid":
            A = sigmoid(Z)
            D = A * (1.0 - A)
            return A, D, D * (1.0 - 2.0 * A)
        if self.name == "tanh":
            T = np.tanh(np.asarray(Z, dtype=float))
            D = 1.0 - T * T
            return T, D, -2.0 * T * D
        return self.fn(Z), self.der(Z), self.der2(Z)


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_der, sigmoid_der2, r"\sigma(z)=\frac{1}{1+e^{-z}}"),
    "tanh": Activation("tanh", tanh, tanh_der, tanh_der2, r"\tanh(z)=\frac{e^{z}-e^{-z}}{e^{z}+e^{-z}}"),
    "relu": Activation("relu", relu, relu_der, zero_der2, r"\mathrm{ReLU}(z)=\max(0,z)"),
    "linear": Activation("linear", linear, linear_der, zero_der2, r"\text{linear}(z)=z"),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_der, zero_der2,
                             r"\text{leaky ReLU}(z)=\max(0.01z,\,z)"),
}
