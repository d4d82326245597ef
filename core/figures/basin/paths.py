"""Every run's numbers as the page's script receives them, beside the figure (once, float32 base64), and what
the surface decides for both (Look).

The payload (core.figures.basin.runs_payload) holds the start (w0, b0, its height on the basin) and, for K runs
of n points (n = steps + 1), row-major float32:
  w, b : (K, n)      the trail on the map (NaN off the drawn box: not drawn)
  z    : (K, n)      J of the trail on the 3D surface, lifted a little so the ball sits on it (NaN off the box)
  j    : (K, n)      J at every step (the cost panel: every point, even off the map)
  cx, cy : (K, n, P) the neuron's output curve at every step, P points each
and the cost panel's axes (Paths.cost_axes): one scale for every run of the payload, so that runs at different
learning rates compare at a glance, and so that another rate is drawn without moving an axis.
"""

from typing import NamedTuple

import numpy as np

from core.figures.basin.frozen import b64
from core.figures.style import BLUE, GREEN, PINK, VERMILLION
from core.lessons.basin import MAX_RACE, curve_points
from core.maths.activations import sigmoid

RACE_COLOURS = (VERMILLION, BLUE, GREEN, PINK)
# Never colour alone: in a race each run also has its own dash and ball shape (same order as the colours).
RACE_DASHES = ("solid", "dash", "dot", "dashdot")
RACE_SYMBOLS = ("circle", "square", "diamond", "triangle-up")
RACE_SYMBOLS_3D = ("circle", "square", "diamond", "cross")
SINGLE_COLOUR = VERMILLION
# Every figure has one trail, curve and ball per panel for each of SLOTS runs: a single run shows slot 0, a race of K
# rates slots 0 to K − 1. Slot 0 looks the same in both (SINGLE_COLOUR, solid, a circle), so showing the race or
# not only shows or hides slots (the page's script does, from the runs' payload): the figure stays.
SLOTS = MAX_RACE


class Style(NamedTuple):
    colour: str
    dash: str
    symbol: str
    symbol3d: str


class Look:
    """What the surface and the data decide, shared by the figure and the payload: the height range of the 3D
    basin, how far the ball floats above it, the data panel's x range, and each slot's style (a colour, dash and
    ball shape per raced run; slot 0 is also the single run's)."""

    def __init__(self, surface, x):
        w, b, J = surface
        self.box = (float(w[0]), float(w[-1]), float(b[0]), float(b[-1]))
        z_lo, z_hi = float(np.nanmin(J)), float(np.nanmax(J))
        self.z_range = (z_lo, z_hi + 0.05 * (z_hi - z_lo))
        self.lift = 0.015 * (z_hi - z_lo)                # the ball sits just above the surface
        x = np.ravel(x)
        self.x_lo, self.x_hi = float(np.min(x)) - 0.5, float(np.max(x)) + 0.5

    @staticmethod
    def style(slot):
        s = slot % len(RACE_COLOURS)
        return Style(RACE_COLOURS[s], RACE_DASHES[s], RACE_SYMBOLS[s], RACE_SYMBOLS_3D[s])

    @staticmethod
    def name(slot):
        """A slot's name until the page's script names it after its run."""
        return "the run" if slot == 0 else f"run {slot + 1}"

    def colours(self, slots):
        return [self.style(s).colour for s in range(slots)]

    def symbols(self, slots):
        return [self.style(s).symbol for s in range(slots)]

    def symbols3d(self, slots):
        return [self.style(s).symbol3d for s in range(slots)]


class Paths:
    """The runs cut to the drawn box (Look), as the page's script receives them."""

    def __init__(self, runs, look, neuron, labels):
        box = look.box
        off = ((runs.W < box[0]) | (runs.W > box[1]) | (runs.B < box[2]) | (runs.B > box[3])
               | ~np.isfinite(runs.J) | (runs.J > look.z_range[1]))
        self.W = np.where(off, np.nan, runs.W)
        self.B = np.where(off, np.nan, runs.B)
        self.Z = np.where(off, np.nan, runs.J + look.lift)
        # A diverged run was stopped: its J is not drawn on past its last step (a flat line at 10¹² to the end
        # read as if J had stayed there), and its ball on the cost panel goes with the other panels' balls.
        self.Jraw = np.array(runs.J, float)
        for k, t in enumerate(runs.trajectories):
            if t.status == "diverged":
                self.Jraw[k, t.cost.size:] = np.nan
        self.start = (float(runs.W[0, 0]), float(runs.B[0, 0]), float(runs.J[0, 0]) + look.lift)
        self.K, self.n = runs.W.shape
        self.CX, CZ = curve_points(runs.W, runs.B, look.x_lo, look.x_hi)     # (K, n, P)
        self.CY = sigmoid(CZ) if neuron == "logistic" else CZ
        self.labels = list(labels)

    def cost_axes(self):
        """The cost panel's ranges, the same for every run of the payload (plotly's axis ranges, with 5 % of
        room on each side):
          x      : steps 0 to n − 1;
          linear : J from the lowest J of any run up to J at the start (every run starts there): a run that
                   barely moves is drawn flat, one that descends fills the panel, and one that climbs above its
                   start leaves through the top;
          log    : log10 J over every finite, positive J of every run, climbing and diverging ones included (the
                   "log J" view shows how far they go).
        """
        J = self.Jraw
        finite = np.isfinite(J)
        J0 = float(J[0, 0]) if finite[0, 0] else float(np.min(J[finite], initial=0.0))
        lo = float(np.min(J[finite], initial=J0))
        positive = J[finite & (J > 0)]
        log = (np.log10([positive.min(), positive.max()]) if positive.size else np.array([-1.0, 0.0]))
        return {"x": padded(0.0, float(self.n - 1)), "linear": padded(min(lo, J0), J0),
                "log": padded(float(log[0]), float(log[1]))}

    def payload(self):
        """What the page's script needs to show any run at any step (see the module docstring)."""
        return {"K": self.K, "n": self.n, "P": int(self.CX.shape[-1]), "labels": self.labels,
                "start": list(self.start), "cost_axes": self.cost_axes(),
                "w": b64(self.W), "b": b64(self.B), "z": b64(self.Z), "j": b64(self.Jraw),
                "cx": b64(self.CX), "cy": b64(self.CY)}


def padded(lo, hi, room=0.05):
    """[lo, hi] with `room` of its length added on each side (an empty range: half a unit, or 5 % of the value)."""
    pad = room * (hi - lo) if hi > lo else max(0.5 if lo == 0 else 0.05 * abs(lo), 1e-12)
    return [lo - pad, hi + pad]
