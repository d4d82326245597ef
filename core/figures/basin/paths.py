"""Every run's numbers as the figure draws them, and as the page's script receives them (once, float32 base64).

The payload `meta["basin"]["runs"]` holds, for K runs of n points (n = steps + 1), row-major float32:
  w, b : (K, n)      the trail on the map (NaN off the drawn box: not drawn)
  z    : (K, n)      J of the trail on the 3D surface, lifted a little so the ball sits on it (NaN off the box)
  j    : (K, n)      J at every step (the cost panel: every point, even off the map)
  cx, cy : (K, n, P) the neuron's output curve at every step, P points each
"""

from typing import NamedTuple

import numpy as np

from core.figures.basin.frozen import b64
from core.figures.style import BLUE, GREEN, PINK, VERMILLION
from core.lessons.basin import curve_points
from core.maths.activations import sigmoid

RACE_COLOURS = (VERMILLION, BLUE, GREEN, PINK)
# Never colour alone: in a race each run also has its own dash and ball shape (same order as the colours).
RACE_DASHES = ("solid", "dash", "dot", "dashdot")
RACE_SYMBOLS = ("circle", "square", "diamond", "triangle-up")
RACE_SYMBOLS_3D = ("circle", "square", "diamond", "cross")
SINGLE_COLOUR = VERMILLION


class Style(NamedTuple):
    colour: str
    dash: str
    symbol: str
    symbol3d: str


class Paths:
    """The runs cut to the drawn box, with each slot's style (one slot, or one per raced run)."""

    def __init__(self, runs, surface, x, neuron, labels, race):
        w, b, J = surface
        box = (w[0], w[-1], b[0], b[-1])
        z_lo, z_hi = float(np.nanmin(J)), float(np.nanmax(J))
        self.z_range = (z_lo, z_hi + 0.05 * (z_hi - z_lo))
        self.lift = 0.015 * (z_hi - z_lo)                # the ball sits just above the surface
        off = ((runs.W < box[0]) | (runs.W > box[1]) | (runs.B < box[2]) | (runs.B > box[3])
               | ~np.isfinite(runs.J) | (runs.J > self.z_range[1]))
        self.W = np.where(off, np.nan, runs.W)
        self.B = np.where(off, np.nan, runs.B)
        self.Z = np.where(off, np.nan, runs.J + self.lift)
        self.Jraw = np.asarray(runs.J, float)
        self.start_z = float(runs.J[0, 0]) + self.lift
        self.K, self.n = runs.W.shape
        self.x_lo, self.x_hi = float(np.min(x)) - 0.5, float(np.max(x)) + 0.5
        self.CX, CZ = curve_points(runs.W, runs.B, self.x_lo, self.x_hi)     # (K, n, P)
        self.CY = sigmoid(CZ) if neuron == "logistic" else CZ
        self.labels = list(labels)
        self.race = race

    def style(self, slot):
        if not self.race:
            return Style(SINGLE_COLOUR, "solid", "circle", "circle")
        s = slot % 4
        return Style(RACE_COLOURS[s], RACE_DASHES[s], RACE_SYMBOLS[s], RACE_SYMBOLS_3D[s])

    def colours(self, slots):
        return [self.style(s).colour for s in range(len(slots))]

    def symbols(self, slots):
        return [self.style(s).symbol for s in range(len(slots))]

    def symbols3d(self, slots):
        return [self.style(s).symbol3d for s in range(len(slots))]

    def payload(self):
        """What the page's script needs to show any run at any step (see the module docstring)."""
        return {"K": self.K, "n": self.n, "P": int(self.CX.shape[-1]), "labels": self.labels,
                "w": b64(self.W), "b": b64(self.B), "z": b64(self.Z), "j": b64(self.Jraw),
                "cx": b64(self.CX), "cy": b64(self.CY)}
