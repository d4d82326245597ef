"""Plotly figure of the Cost basin page: arrays in, one go.Figure out (no streamlit).

One figure holds four panels that move together (layout: core.figures.basin.layout; one builder per panel:
core.figures.basin.panels): the 3D basin J(w, b), first and largest; the top view with contours, where a click
picks the start; the data with the neuron's curve; and the cost J against the step.

The figure holds a surface, the contours, the data, the minimum, and one empty trail, curve and ball per panel and
slot (SLOTS of them, one per raced rate at most: a single run shows slot 0, a race of K rates slots 0 to K − 1; the
others are hidden, out of the legend), with their styles. Every figure of the page has that one structure (the
traces and their roles, named by `meta.basin.id`), whether it races rates or not, so the page shows one figure per
session and Streamlit neither re-sends nor remounts it. What changes travels beside it, for the page's script
(ui/basin_bridge.js) to draw into it with one Plotly.update, so the 3D camera stays where the student turned it:
- surface_payload: what the surface decides (the surface's w, b, J, the data, the click grid, the minimum, the
  axes' ranges and titles), for another λ, data set, neuron, grid or a start outside the plotted box; its key is
  `meta.basin.surface` of a figure built on that surface;
- runs_payload: every learning rate's run (float32 base64, with the start, the slider's length and the legend's
  names), cut to the surface's box, and the mode ("one": the run of the learning-rate slider, in slot 0; "race":
  the raced runs, one slot each); the script draws the chosen runs into the slots, shows those slots and hides the
  others, and plays the animation.
`layout.meta["basin"]` is the whole contract on the figure's side (which trace plays which role, the ball sizes,
the controls' actions, the structure's id that a payload must match, the key of the surface the spec holds).
"""

import base64
import copy
import hashlib
import json

import numpy as np
import plotly.graph_objects as go

from core.figures.basin.frozen import FrozenFigure, b64, f32
from core.figures.basin.layout import ACTIONS, MEDIUM_PX, NARROW_PX, compact, medium, narrow, place
from core.figures.basin.mistake import squashed_update_figure
from core.figures.basin.panels import (
    BALL_SIZE_2D,
    BALL_SIZE_3D,
    class_hover,
    cost_panel,
    data_panel,
    ground,
    map_panel,
    output_range,
    output_title,
    pick_grid,
    scene_panel,
)
from core.figures.basin.paths import RACE_COLOURS, RACE_DASHES, RACE_SYMBOLS, SINGLE_COLOUR, SLOTS, Look, Paths

__all__ = ["BALL_SIZE_2D", "BALL_SIZE_3D", "RACE_COLOURS", "RACE_DASHES", "RACE_SYMBOLS", "SINGLE_COLOUR",
           "SLOTS", "SURFACE_LAYOUT", "BasinSurface", "FrozenFigure", "b64", "basin_figure", "f32", "runs_payload",
           "squashed_update_figure", "surface_payload", "with_runs"]


def basin_figure(w_grid, b_grid, J_grid, x, y, *, tokens, neuron="logistic", minimum=None,
                 feature_label="x", class_names=("y = 0", "y = 1"), height=None):
    """The whole Cost basin picture, without its runs (runs_payload brings them).

    Parameters
    ----------
    w_grid : ndarray of shape (n_w,)
    b_grid : ndarray of shape (n_b,)
    J_grid : ndarray of shape (n_b, n_w)
        The cost on the grid (rows follow b).
    x, y : ndarray of shape (1, m) or (m,)
        The data.
    tokens : sequence of str
        The learning rates of the runs the payload will bring, in its order (the payload names them: the figure
        does not, so a race of other rates keeps it).
    neuron : {"logistic", "linear"}
        Logistic draws σ(wx + b) over the data; linear draws the line wx + b.
    minimum : (w, b, J) or None
        The finite minimum, marked with a star; None when there is none.

    Returns
    -------
    FrozenFigure (no plotly frames: the page's script animates from the payload)
    """
    return BasinSurface(w_grid, b_grid, J_grid, x, y, tokens=tokens, neuron=neuron, minimum=minimum,
                        feature_label=feature_label, class_names=class_names, height=height).figure()


# What the surface decides in the layout, as plotly layout paths (surface_payload).
SURFACE_LAYOUT = ("scene.xaxis.range", "scene.yaxis.range", "scene.zaxis.range", "xaxis.range", "yaxis.range",
                  "xaxis2.range", "xaxis2.title.text", "yaxis2.range", "yaxis2.title.text")


class BasinSurface:
    """One surface of the Cost basin and the figure's structure, before any plotly: its ids, its payload for the
    page's script, and the figure itself, built only when asked (a session that keeps its figure never needs it).
    The arguments are basin_figure's.

    id : the structure's id (the traces and their roles; always SLOTS slots, raced or not): figures with the same
        id differ only in what the surface decides, which the surface's payload brings (surface_payload)
    key : the surface's key (`meta.basin.surface` of its figure)
    """

    def __init__(self, w_grid, b_grid, J_grid, x, y, *, tokens, neuron="logistic", minimum=None,
                 feature_label="x", class_names=("y = 0", "y = 1"), height=None):
        self.surface = tuple(np.asarray(a, float) for a in (w_grid, b_grid, J_grid))
        self.x, self.y = np.ravel(x), np.ravel(y)
        self.look = Look(self.surface, self.x)
        if minimum is not None:             # the spec must not change with the last digits of a solver
            minimum = tuple(float(np.float32(v)) for v in minimum)
        self.minimum, self.neuron, self.feature_label = minimum, neuron, feature_label
        self.tokens, self.slots, self.class_names, self.height = list(tokens), SLOTS, tuple(class_names), height
        # the roles of the traces follow from the slots (every panel adds the same traces in the same order)
        structure = hashlib.blake2b(json.dumps(
            ["basin", SLOTS, list(self.class_names), height, BALL_SIZE_3D, BALL_SIZE_2D,
             [a for _, a in ACTIONS], NARROW_PX, narrow(), MEDIUM_PX, medium()], sort_keys=True).encode(),
            digest_size=8)
        digest = hashlib.blake2b(structure.digest(), digest_size=8)
        for a in (*self.surface, self.x, self.y):
            digest.update(np.ascontiguousarray(a, np.float32).tobytes())
        digest.update(repr((neuron, minimum, feature_label)).encode())
        self.id, self.key = structure.hexdigest(), digest.hexdigest()
        self._figure = self._payload = None

    @property
    def _basin(self):
        return self.look, self.neuron

    def figure(self):
        """The whole Cost basin picture, without its runs (a FrozenFigure; built once)."""
        if self._figure is None:
            self._figure = self._build()
        return self._figure

    def _build(self):
        look, slots, minimum = self.look, self.slots, self.minimum
        fig = go.Figure()
        roles = ground(fig, self.surface)
        roles.update(scene_panel(fig, look, slots, minimum))
        roles.update(map_panel(fig, look, slots, minimum, look.box))
        roles.update(data_panel(fig, self.x, self.y, look, slots, self.feature_label, self.class_names, self.neuron))
        roles.update(cost_panel(fig, look, slots))
        roles.update({role: roles[role][0] for role in ("surface3d", "contour", "min3d", "minmap", "ball3d",
                                                        "ballmap", "ballcost", "pick", "start3d", "startmap")})
        place(fig, look.box, look.z_range, look.lift, 1, **({"height": self.height} if self.height else {}))
        meta = {**roles,
                "size3d": BALL_SIZE_3D, "size2d": BALL_SIZE_2D, "actions": [a for _, a in ACTIONS],
                "narrow_px": NARROW_PX, "narrow": narrow(), "medium_px": MEDIUM_PX, "medium": medium(),
                "compact": compact()}
        fig.update_layout(meta={"basin": {**meta, "id": self.id, "surface": self.key}})
        out = FrozenFigure(fig)
        out._basin = self._basin
        return out

    def payload(self):
        """Everything the surface and the data decide, for the page's script to draw into a figure of the same
        structure (the same `meta.basin.id`) that holds another surface: the surface's w, b and J (float32 base64,
        J of shape (n_b, n_w); the top view's contours are drawn from the same numbers), the data panel's two
        classes and their hover text, the click grid, the minimum (None when there is none), the box, and the
        layout (SURFACE_LAYOUT: the axes' ranges and the titles that change); `key` names the surface. The same
        numbers as the figure's own spec (built once; a plain dict, JSON)."""
        if self._payload is None:
            look, (w, b, J) = self.look, self.surface
            box, lift = list(look.box), look.lift
            z = b64(J)
            z["shape"] = f"{J.shape[0]}, {J.shape[1]}"
            gw, gb = pick_grid(look.box)
            mn = self.minimum
            self._payload = {
                "key": self.key, "id": self.id, "box": box, "w": b64(w), "b": b64(b), "J": z,
                "classes": [{"x": b64(self.x[self.y == v]), "y": b64(self.y[self.y == v]),
                             "hovertemplate": class_hover(self.feature_label, v)} for v in (0.0, 1.0)],
                "pick": {"x": b64(gw), "y": b64(gb)},
                "minimum": None if mn is None else [mn[0], mn[1], mn[2] + lift],
                "layout": dict(zip(SURFACE_LAYOUT, (
                    box[:2], box[2:], [look.z_range[0], look.z_range[1] + 2 * lift], box[:2], box[2:],
                    [look.x_lo, look.x_hi], self.feature_label, output_range(self.neuron),
                    output_title(self.neuron)), strict=True))}
        return self._payload


def surface_payload(surface):
    """The payload of a BasinSurface (BasinSurface.payload)."""
    return surface.payload()


def runs_payload(figure, runs, *, labels, shown, race=False):
    """The runs for `figure` (a basin_figure, or a BasinSurface, on the same surface and data), as the page's
    script draws them.

    runs : core.lessons.basin.Runs (W, B, J of shape (K, steps + 1), every run from the same start)
    labels : one legend label per run
    shown : the runs drawn, one per slot from slot 0 (at most SLOTS); the other slots are hidden
    race : False: mode "one", a single run (`shown` names it at first: the page's script then follows the
        learning-rate slider); True: mode "race", every run of `shown` at once
    Returns a plain dict (JSON): the figure's id, the mode, the shown runs, and every run's numbers
    (paths.Paths.payload).
    """
    shown = [int(k) for k in shown]
    if not 1 <= len(shown) <= SLOTS or (not race and len(shown) != 1):
        raise ValueError(f"{len(shown)} shown runs: a figure shows 1 run, or 1 to {SLOTS} raced runs")
    look, neuron = figure._basin
    if isinstance(figure, BasinSurface):
        ids = figure.id, figure.key
    else:
        ids = figure.layout.meta["basin"]["id"], figure.layout.meta["basin"]["surface"]
    paths = Paths(runs, look, neuron, labels)
    out = {"id": ids[0], "surface": ids[1], "mode": "race" if race else "one", "tokens": list(runs.tokens),
           "shown": shown, **paths.payload()}
    # the script compares payloads by this key: a rerun that re-sends the same runs must not redraw them
    out["key"] = hashlib.blake2b(json.dumps(out, sort_keys=True).encode(), digest_size=8).hexdigest()
    return out


def with_runs(figure, payload, token=None):
    """`figure` with the slots already holding the runs that the page's script would draw into them: the runs
    `payload["shown"]`, or in the mode "one" the run of learning rate `token`, at step 0, with the start and the
    step slider; those slots shown, the others hidden. A first visit then draws the figure once, not once empty and
    again with its runs.

    `layout.meta["basin"]["drawn"]` names the payload (its key) whose runs the slots hold, so the page's script
    redraws nothing while that payload is the current one. Returns a new FrozenFigure; `figure` is not changed.
    """
    spec = copy.deepcopy(figure.to_dict())
    meta = spec["layout"]["meta"]["basin"]
    K, n, P = payload["K"], payload["n"], payload["P"]
    arrays = {k: np.frombuffer(base64.b64decode(payload[k]["bdata"]), np.float32)
              for k in ("w", "b", "z", "j", "cx", "cy")}
    W, B, Z, J = (arrays[k].reshape(K, n) for k in "wbzj")
    CX, CY = (arrays[k].reshape(K, n, P) for k in ("cx", "cy"))
    shown = list(payload["shown"])
    if payload["mode"] == "one":
        shown = [payload["tokens"].index(token)] if token in payload["tokens"] else shown[:1]
    data, labels = spec["data"], payload["labels"]
    for role in ("trail3d", "trailmap", "cost", "curve"):
        for s, i in enumerate(meta[role]):
            data[i]["visible"] = s < len(shown)
    for s, k in enumerate(shown):
        for role, x, y, z in (("trail3d", W[k], B[k], Z[k]), ("trailmap", W[k], B[k], None),
                              ("cost", np.arange(n), J[k], None), ("curve", CX[k, 0], CY[k, 0], None)):
            trace = data[meta[role][s]]
            trace.update(x=b64(x) if role != "cost" else list(range(n)), y=b64(y), meta=k,
                         name=("output, " if role == "curve" else "") + labels[k])
            if z is not None:
                trace["z"] = b64(z)
    first = lambda a: b64(a[shown, 0])  # noqa: E731 (the balls at step 0, one point per slot)
    data[meta["ball3d"]].update(x=first(W), y=first(B), z=first(Z))
    data[meta["ballmap"]].update(x=first(W), y=first(B))
    data[meta["ballcost"]].update(x=[0] * len(shown), y=first(J))
    w0, b0, z0 = payload["start"]
    data[meta["start3d"]].update(x=[w0], y=[b0], z=[z0])
    data[meta["startmap"]].update(x=[w0], y=[b0])
    spec["layout"]["sliders"][0]["steps"] = [{"label": str(i), "method": "skip", "args": ["seek", i]}
                                             for i in range(n)]
    axes = payload["cost_axes"]          # the cost panel's scale, the same for every run of the payload
    spec["layout"]["xaxis3"]["range"] = axes["x"]
    spec["layout"]["yaxis3"]["range"] = axes["linear"]
    meta["drawn"] = payload["key"]
    return FrozenFigure.from_spec(spec)
