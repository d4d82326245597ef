"""Plotly figure of the Cost basin page: arrays in, one go.Figure out (no streamlit).

One figure holds four panels that move together (layout: core.figures.basin.layout; one builder per panel:
core.figures.basin.panels): the 3D basin J(w, b), first and largest; the top view with contours, where a click
picks the start; the data with the neuron's curve; and the cost J against the step.

The figure holds every learning rate's run once, as a compact payload in `layout.meta["basin"]["runs"]`
(core.figures.basin.paths), and draws one trail, one curve and one ball per panel and slot (one slot, or one per
raced rate). The page's script (ui/basin_bridge.js) swaps a slot's data to show another rate, and plays the
animation from the same payload: the figure never changes when the rate does, so Streamlit never remounts it
and the 3D camera stays where the student turned it. `layout.meta["basin"]` is the whole contract between the
two: which trace plays which role, the payload, the ball sizes, and the controls' actions.
"""

import numpy as np
import plotly.graph_objects as go

from core.figures.basin.frozen import FrozenFigure, b64, f32
from core.figures.basin.layout import ACTIONS, NARROW_PX, narrow, place
from core.figures.basin.mistake import squashed_update_figure
from core.figures.basin.panels import BALL_SIZE_2D, BALL_SIZE_3D, cost_panel, data_panel, ground, map_panel, scene_panel
from core.figures.basin.paths import RACE_COLOURS, RACE_DASHES, RACE_SYMBOLS, SINGLE_COLOUR, Paths

__all__ = ["BALL_SIZE_2D", "BALL_SIZE_3D", "RACE_COLOURS", "RACE_DASHES", "RACE_SYMBOLS", "SINGLE_COLOUR",
           "FrozenFigure", "b64", "basin_figure", "f32", "squashed_update_figure"]


def basin_figure(w_grid, b_grid, J_grid, x, y, runs, *, shown, labels, neuron="logistic", minimum=None,
                 start=(0.0, 0.0), feature_label="x", class_names=("y = 0", "y = 1"), race=None, height=None):
    """The whole Cost basin picture.

    Parameters
    ----------
    w_grid : ndarray of shape (n_w,)
    b_grid : ndarray of shape (n_b,)
    J_grid : ndarray of shape (n_b, n_w)
        The cost on the grid (rows follow b).
    x, y : ndarray of shape (1, m) or (m,)
        The data.
    runs : core.lessons.basin.Runs
        W, B, J of shape (K, steps + 1).
    shown : sequence of int
        The runs drawn at first, one slot each (one for a single ball, all of them for a race).
    labels : sequence of str
        One legend label per run.
    neuron : {"logistic", "linear"}
        Logistic draws σ(wx + b) over the data; linear draws the line wx + b.
    minimum : (w, b, J) or None
        The finite minimum, marked with a star; None when there is none.
    start : (w0, b0)
    race : bool or None
        Race styles (a colour, dash and ball shape per slot); default: when more than one run is shown.

    Returns
    -------
    FrozenFigure (no plotly frames: the page's script animates from the payload)
    """
    surface = tuple(np.asarray(a, float) for a in (w_grid, b_grid, J_grid))
    x, y = np.ravel(x), np.ravel(y)
    slots = [int(i) for i in shown]
    race = len(slots) > 1 if race is None else race
    paths = Paths(runs, surface, x, neuron, labels, race)
    box = (surface[0][0], surface[0][-1], surface[1][0], surface[1][-1])
    fig = go.Figure()
    roles = {}
    ground(fig, surface)
    roles.update(scene_panel(fig, paths, slots, start, minimum))
    roles.update(map_panel(fig, paths, slots, start, minimum, box))
    roles.update(data_panel(fig, x, y, paths, slots, feature_label, class_names, neuron))
    roles.update(cost_panel(fig, paths, slots))
    roles.update({role: roles[role][0] for role in ("ball3d", "ballmap", "ballcost", "pick")})  # one trace each
    place(fig, box, paths.z_range, paths.lift, paths.n, **({"height": height} if height else {}))
    fig.update_layout(meta={"basin": {
        "mode": "race" if race else "one", "tokens": list(runs.tokens), "shown": slots, **roles,
        "size3d": BALL_SIZE_3D, "size2d": BALL_SIZE_2D, "frames": paths.n,
        "actions": [a for _, a in ACTIONS], "narrow_px": NARROW_PX, "narrow": narrow(), "runs": paths.payload()}})
    return FrozenFigure(fig)
