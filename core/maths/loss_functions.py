"""Losses of a single neuron, A = g(Z), against labels Y, with their derivatives with respect to Z.

Like Nielsen's ``QuadraticCost`` and ``CrossEntropyCost``, every (activation, loss) pair has one interface,
so one gradient-descent loop serves them all:

- ``value(Z, Y)``: the loss of each example, L(a, y) with a = g(z)        (same shape as Z)
- ``dZ(Z, Y)``:    dL/dz, the chain rule dL/da · g'(z)                     (same shape as Z)
- ``d2Z(Z, Y)``:   d²L/dz² = d²L/da² · g'(z)² + dL/da · g''(z), for the Hessian

Z and Y broadcast against each other, so Z may carry extra leading axes (a whole grid of (w, b) values).

The losses, for one example:

- log-loss       L = −(y log a + (1 − y) log(1 − a))
- squared error  L = (a − y)² / 2                    (so that J = Σ(A − Y)² / (2m))
- absolute error L = |a − y|                         (L1; its derivative jumps at a = y)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.errors import InputError
from core.maths.activations import ACTIVATIONS, Activation, sigmoid

LOSS_NAMES = {"log": "log-loss", "squared": "squared error", "absolute": "absolute error (L1)"}

# Log-loss needs a probability 0 < a < 1. The sigmoid always gives one, and with it we work from the logit z
# directly. Other activations (tanh, ReLU, linear) can leave (0, 1): there we clip a into [EPS, 1 − EPS], so the
# cost stays finite; where the clip bites, the loss is flat and its derivative is 0.
EPS = 1e-7


@dataclass(frozen=True)
class Loss:
    """One (activation, loss) pair: per-example value and the first two derivatives with respect to z."""

    activation: Activation
    name: str

    def value(self, Z, Y):
        """L(g(z), y) for each example."""
        if self.name == "log":
            if self.activation.name == "sigmoid":
                # −y log σ(z) − (1 − y) log(1 − σ(z)) = log(1 + e^z) − y z: finite for any z, no log(0).
                # log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)): exp never overflows (np.logaddexp, slower).
                return np.maximum(Z, 0.0) + np.log1p(np.exp(-np.abs(Z))) - Y * Z
            A = np.clip(self.activation.fn(Z), EPS, 1.0 - EPS)
            return -(Y * np.log(A) + (1.0 - Y) * np.log1p(-A))
        A = self.activation.fn(Z)
        if self.name == "squared":
            return 0.5 * (A - Y) ** 2
        return np.abs(A - Y)

    def dZ(self, Z, Y):  # noqa: N802 (the course's dZ)
        """dL/dz for each example."""
        g = self.activation
        if self.name == "log":
            if g.name == "sigmoid":
                return sigmoid(Z) - Y                                    # the course's dZ = A − Y
            A_raw = g.fn(Z)
            A = np.clip(A_raw, EPS, 1.0 - EPS)
            inside = (A_raw > EPS) & (A_raw < 1.0 - EPS)
            return np.where(inside, (A - Y) / (A * (1.0 - A)) * g.der(Z), 0.0)
        A = g.fn(Z)
        if self.name == "squared":
            return (A - Y) * g.der(Z)                                    # (a − y) g'(z)
        return np.sign(A - Y) * g.der(Z)                                 # sign(a − y) g'(z)

    def all_three(self, Z, Y):
        """(value, dZ, d2Z) together; for sigmoid + log-loss the exponential is computed once (fast grids)."""
        if self.name == "log" and self.activation.name == "sigmoid":
            E = np.exp(-np.abs(Z))                                       # shared by σ(z) and log(1 + e^z)
            A = np.where(Z >= 0, 1.0, E) / (1.0 + E)                     # σ(z), overflow-free
            L = np.maximum(Z, 0.0) + np.log1p(E) - Y * Z                 # log(1 + e^z) − y z
            return L, A - Y, A * (1.0 - A)
        A, G1, G2 = self.activation.all_three(Z)
        if self.name == "squared":
            R = A - Y
            return 0.5 * R * R, R * G1, G1 * G1 + R * G2
        if self.name == "absolute":
            S = np.sign(A - Y)
            return np.abs(A - Y), S * G1, S * G2
        return self.value(Z, Y), self.dZ(Z, Y), self.d2Z(Z, Y)

    def d2Z(self, Z, Y):  # noqa: N802 (the course's dZ)
        """d²L/dz² for each example (at the kinks of |·| and ReLU, the one-sided value)."""
        g = self.activation
        if self.name == "log":
            if g.name == "sigmoid":
                A = sigmoid(Z)
                return A * (1.0 - A) + 0.0 * Y                           # σ(z)(1 − σ(z)) ≥ 0: convex
            A_raw = g.fn(Z)
            A = np.clip(A_raw, EPS, 1.0 - EPS)
            inside = (A_raw > EPS) & (A_raw < 1.0 - EPS)
            dL_da = (A - Y) / (A * (1.0 - A))
            d2L_da2 = Y / A**2 + (1.0 - Y) / (1.0 - A) ** 2
            return np.where(inside, d2L_da2 * g.der(Z) ** 2 + dL_da * g.der2(Z), 0.0)
        A = g.fn(Z)
        if self.name == "squared":
            return g.der(Z) ** 2 + (A - Y) * g.der2(Z)
        return np.sign(A - Y) * g.der2(Z)


def get_loss(activation: str = "sigmoid", loss: str = "log") -> Loss:
    """The (activation, loss) pair by name; unknown names raise InputError."""
    if activation not in ACTIVATIONS:
        raise InputError(f"Unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}.")
    if loss not in LOSS_NAMES:
        raise InputError(f"Unknown loss {loss!r}; choose one of {', '.join(LOSS_NAMES)}.")
    return Loss(ACTIVATIONS[activation], loss)
