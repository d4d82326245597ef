"""Facts about each activation for the activations lesson: curves, value and slope at a z, where it is flat.

"Saturated" (flat) means the slope g'(z) is below 5% of its largest value: there, gradient descent barely
moves the weights before this neuron, because every dw is multiplied by g'(z).

Example
-------
>>> [round(x, 4) for x in saturation_threshold("sigmoid")]
[4.3565, 0.0125]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.errors import InputError
from core.maths.activations import ACTIVATIONS
from core.params import QueryState, setting

FLAT_FRACTION = 0.05
TITLES = {"sigmoid": "sigmoid σ(z)", "tanh": "tanh(z)", "relu": "ReLU(z)", "leaky_relu": "leaky ReLU(z)",
          "linear": "linear g(z) = z"}
Z_LIMIT = 10.0


def saturation_threshold(name: str) -> tuple[float, float]:
    """(|z| beyond which the activation is flat, the slope there), for sigmoid and tanh.

    sigmoid: σ(1 − σ) = 0.05 × 1/4  ⇒  σ = (1 + √0.95)/2, z = log(σ/(1 − σ)).
    tanh:    1 − t² = 0.05         ⇒  t = √0.95, z = atanh(t).
    """
    if name == "sigmoid":
        s = (1 + math.sqrt(1 - FLAT_FRACTION)) / 2
        return math.log(s / (1 - s)), FLAT_FRACTION * 0.25
    if name == "tanh":
        return math.atanh(math.sqrt(1 - FLAT_FRACTION)), FLAT_FRACTION
    raise InputError(f"{name} has no symmetric flat region.")


def saturated_regions(name: str) -> list[tuple[float, float]]:
    """Intervals of z where g'(z) < 5% of its peak: both tails for sigmoid and tanh, z < 0 for ReLU
    (slope exactly 0: a 'dead' unit) and for leaky ReLU (slope 0.01: slow, but not dead), none for linear."""
    if name in ("sigmoid", "tanh"):
        t = saturation_threshold(name)[0]
        return [(-math.inf, -t), (t, math.inf)]
    if name in ("relu", "leaky_relu"):
        return [(-math.inf, 0.0)]
    if name == "linear":
        return []
    raise InputError(f"Unknown activation {str(name)[:20]!r}; choose one of {', '.join(ACTIVATIONS)}.")


def band_word(name: str) -> str:
    """The word on an activation's shaded region: "flat" where the slope is (nearly) 0, "slow" for leaky ReLU,
    whose slope 0.01 for z < 0 is small but never 0 (a unit there still learns).

    >>> band_word("relu"), band_word("leaky_relu")
    ('flat', 'slow')
    """
    return "slow" if name == "leaky_relu" else "flat"


def where_flat(name: str) -> str:
    """One plain sentence on where the activation saturates."""
    if name in ("sigmoid", "tanh"):
        t, slope = saturation_threshold(name)
        return (f"{TITLES[name]} is flat for |z| > {t:.2f}: the slope there is below {slope:g}, "
                "so learning slows to a crawl.")
    if name == "relu":
        return ("ReLU is flat (slope exactly 0) for every z ≤ 0 (at z = 0 itself the slope is taken as 0, as in "
                "the formula), and never flat for z > 0.")
    if name == "leaky_relu":
        return ("Leaky ReLU's slope is 0.01 for every z < 0: small (learning is slow there), but never 0, "
                "so a unit stuck at z < 0 still learns. Slope 1 for z > 0.")
    return "The linear activation is never flat: its slope is 1 everywhere."


def check_z(z) -> float:
    try:
        z = float(z)
    except (TypeError, ValueError):
        raise InputError("z must be a number.") from None
    if not math.isfinite(z) or abs(z) > Z_LIMIT:
        raise InputError(f"z = {z:g} is out of range; choose z between −{Z_LIMIT:g} and {Z_LIMIT:g}.")
    return z


def shown(x: float, places: int = 4) -> str:
    """x to `places` decimals, or to as many more as it takes not to show 0 or ±1 for a number that is neither:
    tanh(6) = 0.999988 and tanh′(6) = 0.000025 read 1.0000 and 0.0000, the slope of a dead ReLU.

    >>> shown(0.7310585786300049), shown(0.0), shown(0.9999877116507956), shown(2.4576e-05)
    ('0.7311', '0.0000', '0.999988', '0.000025')
    """
    gap = min(abs(x), abs(1 - abs(x)))      # the distance from 0 or from ±1, whichever is nearer
    if 0 < gap < 0.5 * 10.0 ** -places:
        places = -math.floor(math.log10(gap)) + 1      # two digits of that distance
    return f"{x:.{places}f}"


def shown_pair(g: float, dg: float) -> tuple[str, str]:
    """g and g′ as `shown` writes them, with more decimals (the same for both) while two different numbers would
    look the same: σ(−6) = 0.002473 and σ′(−6) = 0.002467 both read 0.0025.

    >>> shown_pair(0.0024726231566347743, 0.002466509291360048), shown_pair(0.0, 0.0)
    (('0.002473', '0.002467'), ('0.0000', '0.0000'))
    """
    a, b = shown(g), shown(dg)
    places = max(len(a.partition(".")[2]), len(b.partition(".")[2]))
    while a == b and g != dg and places < 17:
        places += 1
        a, b = f"{g:.{places}f}", f"{dg:.{places}f}"
    return a, b


def value_and_slope(name: str, z: float) -> tuple[float, float]:
    """(g(z), g'(z)) for one activation at one z."""
    if name not in ACTIVATIONS:
        raise InputError(f"Unknown activation {str(name)[:20]!r}; choose one of {', '.join(ACTIVATIONS)}.")
    act, z = ACTIVATIONS[name], check_z(z)
    return float(act.fn(z)), float(act.der(z))


def curves(names, z0: float, lo: float = -6.0, hi: float = 6.0, points: int = 301) -> list[dict]:
    """What activations_figure needs for each activation: z, g, g' on a grid, the value and slope at z0,
    and its flat regions."""
    z = np.linspace(lo, hi, points)
    out = []
    for name in names:
        act = ACTIVATIONS[name]
        g0, dg0 = value_and_slope(name, z0)
        out.append(dict(name=name, title=TITLES[name], z=z, g=act.fn(z), dg=act.der(z), g0=g0, dg0=dg0,
                        saturated=saturated_regions(name), band=band_word(name)))
    return out


@dataclass(frozen=True)
class ActivationsParams(QueryState):
    """The Activations page's shareable setting (field name = widget key = URL key)."""

    z: float = setting(1.0, lo=-6.0, hi=6.0)
