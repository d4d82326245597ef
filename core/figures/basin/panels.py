"""The four panels of the Cost basin figure, one builder each. Every builder adds its traces to the figure and
returns their roles ({role: [trace index, ...]}) for `layout.meta["basin"]`, the contract with the page's script.

Panels:  the 3D basin J(w, b) (scene) | the top view: contours of J, where a click picks the start (x, y)
         the data and the neuron's curve (x2, y2) | the cost J against the step (x3, y3)

Each panel draws one trail, one curve and one ball per *slot*, SLOTS of them (core.figures.basin.paths): a single
learning rate shows slot 0, a race one slot per raced rate; the others are hidden. The figure
holds a surface, the contours, the data, the minimum (its traces always there, hidden when there is none) and the
slots' styles; the page keeps it while its traces stay, and its script draws another surface
(core.figures.basin.surface_payload) and the runs (core.figures.basin.paths) into it, showing the slots that hold a
run.
"""

import dataclasses

import numpy as np
import plotly.graph_objects as go

from core.figures.basin.frozen import f32
from core.figures.style import BLUE, ORANGE, YELLOW
from core.lessons.basin import BasinParams

SURFACE_SCALE = "Viridis"
BALL_SIZE_3D, BALL_SIZE_2D = 9, 13
# The invisible grid of clickable points over the map: 21 × 21, about 15 px apart on a laptop, so a click anywhere
# lands on one (plotly picks the nearest point within 20 px). Plotly draws only one of them (marker.maxdisplayed);
# drawn, 41 × 41 of them doubled the page's DOM nodes and cost a second of the first draw in software.
PICK_GRID = 21
# Where a start may be, (lo, hi) for w₀ and for b₀: the settings' own range (core.lessons.basin.BasinParams).
START_RANGE = tuple((f.metadata["lo"], f.metadata["hi"]) for name in ("w0", "b0")
                    for f in dataclasses.fields(BasinParams) if f.name == name)


def hidden(slot):
    """A slot beyond the first is hidden (out of the legend) until the page's script shows a raced run in it."""
    return {"visible": False} if slot else {}


def _add(fig, trace, roles=None, role=None):
    fig.add_trace(trace)
    i = len(fig.data) - 1
    if roles is not None and role:
        roles.setdefault(role, []).append(i)
    return i


def ground(fig, surface):
    """J on the grid, drawn twice: as the 3D basin's surface and as the top view's contours (traces 0 and 1);
    returns their roles."""
    w, b, J = surface
    roles = {}
    _add(fig, go.Surface(x=f32(w), y=f32(b), z=f32(J), colorscale=SURFACE_SCALE, showscale=False, opacity=0.9,
                         name="J(w, b)", hovertemplate="w=%{x:.3g}<br>b=%{y:.3g}<br>J=%{z:.4g}<extra></extra>",
                         contours={"z": {"show": True, "usecolormap": True, "project": {"z": False}}}),
         roles, "surface3d")
    _add(fig, go.Contour(x=f32(w), y=f32(b), z=f32(J), colorscale=SURFACE_SCALE, showscale=False, ncontours=25,
                         contours={"coloring": "heatmap", "showlines": True}, line={"width": 0.5}, name="J(w, b)",
                         hovertemplate="w=%{x:.3g}<br>b=%{y:.3g}<br>J=%{z:.4g}<extra></extra>"), roles, "contour")
    return roles


def scene_panel(fig, look, slots, minimum):
    """The 3D basin (on the surface that ground() drew): the start and the minimum, one trail per slot and the
    balls (one point per slot). The start, the trails and the balls are empty here: the page's script fills them
    from the runs' payload (core.figures.basin.paths)."""
    roles = {}
    _add(fig, go.Scatter3d(x=[None], y=[None], z=[None], mode="markers", name="start",
                           marker={"size": 5, "color": "white", "symbol": "circle-open", "line": {"width": 2}},
                           showlegend=False, hovertemplate="start<extra></extra>"), roles, "start3d")
    mw, mb, mJ = minimum if minimum is not None else (None, None, None)
    _add(fig, go.Scatter3d(x=[mw], y=[mb], z=[None if mJ is None else mJ + look.lift], mode="markers",
                           name="minimum", showlegend=False, visible=minimum is not None,
                           marker={"size": 5, "color": YELLOW, "symbol": "diamond"},
                           hovertemplate="minimum<extra></extra>"), roles, "min3d")
    for s in range(slots):
        st = look.style(s)
        _add(fig, go.Scatter3d(x=[], y=[], z=[], mode="lines+markers",
                               line={"color": st.colour, "width": 4, "dash": st.dash},
                               marker={"size": 2, "color": st.colour}, name=look.name(s), showlegend=False,
                               legendgroup=f"slot{s}", hoverinfo="skip", meta=-1, **hidden(s)), roles, "trail3d")
    _add(fig, go.Scatter3d(x=[None] * slots, y=[None] * slots, z=[None] * slots,
                           mode="markers", name="ball", showlegend=False, hoverinfo="skip",
                           marker={"size": BALL_SIZE_3D, "color": look.colours(slots),
                                   "symbol": look.symbols3d(slots), "line": {"width": 0}}), roles, "ball3d")
    return roles


def map_panel(fig, look, slots, minimum, box):
    """The top view (over the contours that ground() drew): an invisible grid of points to click (a new start),
    the start, the minimum, one trail per slot (its legend entry names the run: colour, dash and ball shape) and
    the balls (the start, trails and balls filled by the page's script)."""
    roles = {}
    gw, gb = pick_grid(box)
    # maxdisplayed=1: plotly draws one (invisible) marker, yet hovers and selects among all of them, as on the
    # Losses map; 441 drawn markers were most of the map's, restyled at every redraw (a new run, say).
    _add(fig, go.Scatter(x=f32(gw), y=f32(gb), mode="markers", name="pick a start",
                         marker={"size": 7, "opacity": 0.0, "color": "white", "maxdisplayed": 1}, showlegend=False,
                         hovertemplate="click to start here<br>w=%{x:.1f}, b=%{y:.1f}<extra></extra>"),
         roles, "pick")
    _add(fig, go.Scatter(x=[None], y=[None], mode="markers", name="start (w₀, b₀)", legendrank=900,
                         marker={"size": 11, "color": "white", "symbol": "circle",
                                 "line": {"width": 2, "color": "black"}}), roles, "startmap")
    mw, mb = minimum[:2] if minimum is not None else (None, None)
    _add(fig, go.Scatter(x=[mw], y=[mb], mode="markers", name="minimum", legendrank=901,
                         visible=minimum is not None,
                         marker={"size": 15, "color": YELLOW, "symbol": "star", "line": {"width": 1, "color": "black"}},
                         hovertemplate="minimum w=%{x:.3g}, b=%{y:.3g}<extra></extra>"), roles, "minmap")
    for s in range(slots):
        st = look.style(s)
        _add(fig, go.Scatter(x=[], y=[], mode="lines+markers", name=look.name(s),
                             line={"color": st.colour, "width": 2, "dash": st.dash}, legendgroup=f"slot{s}",
                             legendrank=100 + s, marker={"size": 5, "color": st.colour, "symbol": st.symbol},
                             hoverinfo="skip", meta=-1, **hidden(s)), roles, "trailmap")
    _add(fig, go.Scatter(x=[None] * slots, y=[None] * slots, mode="markers", name="ball",
                         showlegend=False, hoverinfo="skip",
                         marker={"size": BALL_SIZE_2D, "color": look.colours(slots), "symbol": look.symbols(slots),
                                 "line": {"width": 1.5, "color": "black"}}), roles, "ballmap")
    return roles


def data_panel(fig, x, y, look, slots, feature_label, class_names, neuron):
    """The data (two classes, two colours and two shapes) and the neuron's output curve per slot (filled by the
    page's script)."""
    roles = {}
    classes = ((0.0, class_names[0], BLUE, "circle"), (1.0, class_names[1], ORANGE, "diamond"))
    for value, name, colour, symbol in classes:
        sel = y == value
        _add(fig, go.Scatter(x=f32(x[sel]), y=f32(y[sel]), mode="markers", name=name, xaxis="x2", yaxis="y2",
                             legendrank=950 + value,
                             marker={"color": colour, "symbol": symbol, "size": 8, "opacity": 0.6,
                                     "line": {"width": 0.5, "color": "white"}},
                             hovertemplate=class_hover(feature_label, value)), roles, "classes")
    for s in range(slots):
        st = look.style(s)
        _add(fig, go.Scatter(x=[], y=[], mode="lines", xaxis="x2", yaxis="y2",
                             line={"color": st.colour, "width": 3, "shape": "spline", "dash": st.dash},
                             showlegend=False, legendgroup=f"slot{s}", name=f"output, {look.name(s)}",
                             hoverinfo="skip", meta=-1, **hidden(s)), roles, "curve")
    fig.update_layout(xaxis2={"title": {"text": feature_label}, "range": [look.x_lo, look.x_hi]},
                      yaxis2={"title": {"text": output_title(neuron), "standoff": 8}, "range": output_range(neuron)})
    return roles


def pick_grid(box):
    """The click grid's points over box = (w_lo, w_hi, b_lo, b_hi), within the start's range (a start outside it
    would be clipped to its edge): w and b, PICK_GRID² each (w varies first), rounded to one decimal, as a click
    keeps them (ui.basin.pick_start), so the hover shows the start a click gives."""
    axes = []
    for (lo, hi), (start_lo, start_hi) in zip((box[:2], box[2:]), START_RANGE, strict=True):
        axes.append(np.round(np.linspace(max(lo, start_lo), min(hi, start_hi), PICK_GRID), 1) + 0.0)   # no −0.0
    gw, gb = np.meshgrid(*axes)
    return gw.ravel(), gb.ravel()


def class_hover(feature_label, value):
    return f"{feature_label}=%{{x:.3g}}, y={value:g}<extra></extra>"


def output_title(neuron):
    return "y  and  " + ("σ(wx + b)" if neuron == "logistic" else "wx + b")


def output_range(neuron):
    return [-0.08, 1.08] if neuron == "logistic" else [-0.5, 1.5]


def cost_panel(fig, look, slots):
    """J against the step, one curve per slot, and the balls (filled by the page's script)."""
    roles = {}
    for s in range(slots):
        st = look.style(s)
        _add(fig, go.Scatter(x=[], y=[], mode="lines", name=look.name(s),
                             xaxis="x3", yaxis="y3", showlegend=False, legendgroup=f"slot{s}", meta=-1,
                             line={"color": st.colour, "width": 2.5, "dash": st.dash}, **hidden(s),
                             hovertemplate="step %{x}: J=%{y:.4g}<extra></extra>"), roles, "cost")
    _add(fig, go.Scatter(x=[None] * slots, y=[None] * slots, mode="markers",
                         name="ball", showlegend=False, hoverinfo="skip", xaxis="x3", yaxis="y3",
                         marker={"size": BALL_SIZE_2D, "color": look.colours(slots), "symbol": look.symbols(slots),
                                 "line": {"width": 1.5, "color": "black"}}), roles, "ballcost")
    fig.update_layout(xaxis3={"title": {"text": "step"}}, yaxis3={"title": {"text": "J"}})
    return roles
