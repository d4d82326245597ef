"""Plotly figure of the Cost basin page: arrays in, one go.Figure out (no streamlit).

One figure holds four panels that move together:
  3D basin J(w, b) with the ball | contour map (top view) with the ball
  the data with the neuron's curve  | the cost J against the iteration

The runs of every learning rate are all in the figure; only one (or the race's few) is visible. Switching the
learning rate is a restyle of visibility inside the figure (done in the browser), so the figure itself never
changes and Streamlit never remounts it: the 3D camera stays where the student turned it.

Animation frames carry only the balls (one point per run in one trace per panel) and the neuron's curves, so
they are small; the balls of hidden runs have marker size 0. `layout.meta["basin"]` lists which trace is what,
for the page's script that switches runs (ui/basin_bridge.py): the contract between the two is `meta` alone.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from core.figures.style import BLUE, GREEN, ORANGE, PANEL, PINK, VERMILLION, YELLOW, margins
from core.lessons.basin import curve_points
from core.maths.activations import sigmoid

RACE_COLOURS = (VERMILLION, BLUE, GREEN, PINK)
# Never colour alone: in a race each run also has its own dash and ball shape (same order as the colours).
RACE_DASHES = ("solid", "dash", "dot", "dashdot")
RACE_SYMBOLS = ("circle", "square", "diamond", "triangle-up")
RACE_SYMBOLS_3D = ("circle", "square", "diamond", "cross")
SINGLE_COLOUR = VERMILLION
SURFACE_SCALE = "Viridis"
# The Step button does nothing in plotly ("skip"); the page's script (ui/basin_bridge.js) finds it by this
# action, named in layout.meta["basin"]["step_button"], not by its label.
STEP_ACTION = "step"
BALL_SIZE_3D, BALL_SIZE_2D = 9, 13


def _f32(a):
    """float32 keeps the JSON half the size; NaN (a point off the map) stays NaN and is not drawn."""
    return np.asarray(a, dtype=np.float32)


def _on_map(W, B, J, box, z_top):
    """Copies of W, B, J with points outside the drawn box (or above the z range) set to NaN."""
    w_lo, w_hi, b_lo, b_hi = box
    off = (W < w_lo) | (W > w_hi) | (B < b_lo) | (B > b_hi) | ~np.isfinite(J) | (J > z_top)
    return (np.where(off, np.nan, W), np.where(off, np.nan, B), np.where(off, np.nan, J))


def basin_figure(w_grid, b_grid, J_grid, x, y, runs, *, shown, labels, neuron="logistic", minimum=None,
                 start=(0.0, 0.0), feature_label="x", class_names=("y = 0", "y = 1"), colours=None,
                 height=900):
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
        Which runs are visible at first (one for a single ball, all of them for a race).
    labels : sequence of str
        One legend label per run.
    neuron : {"logistic", "linear"}
        Logistic draws σ(wx + b) over the data; linear draws the line wx + b.
    minimum : (w, b, J) or None
        The finite minimum, marked with a star; None when there is none.
    start : (w0, b0)
    colours : sequence of str or None
        One colour per run; default: one colour for all (single mode).

    Returns
    -------
    go.Figure
    """
    w_grid, b_grid, J_grid = (np.asarray(a, float) for a in (w_grid, b_grid, J_grid))
    x, y = np.ravel(x), np.ravel(y)
    K, n = runs.W.shape
    shown = set(int(i) for i in shown)
    race_styles = colours is not None
    colours = list(colours) if colours is not None else [SINGLE_COLOUR] * K
    dashes = [RACE_DASHES[k % 4] if race_styles else "solid" for k in range(K)]
    symbols = [RACE_SYMBOLS[k % 4] if race_styles else "circle" for k in range(K)]
    symbols3d = [RACE_SYMBOLS_3D[k % 4] if race_styles else "circle" for k in range(K)]
    box = (w_grid[0], w_grid[-1], b_grid[0], b_grid[-1])
    z_lo, z_hi = float(J_grid.min()), float(J_grid.max())
    z_top = z_hi + 0.05 * (z_hi - z_lo)
    W, B, J = _on_map(runs.W, runs.B, runs.J, box, z_top)
    lift = 0.015 * (z_hi - z_lo)            # the ball sits just above the surface
    x_lo, x_hi = float(x.min()) - 0.5, float(x.max()) + 0.5
    CX, CZ = curve_points(runs.W, runs.B, x_lo, x_hi)                       # (K, n, 7)
    CY = sigmoid(CZ) if neuron == "logistic" else CZ
    visible = [k in shown for k in range(K)]
    sizes3d = [BALL_SIZE_3D if v else 0 for v in visible]
    sizes2d = [BALL_SIZE_2D if v else 0 for v in visible]

    fig = make_subplots(
        rows=2, cols=2, specs=[[{"type": "scene"}, {"type": "xy"}], [{"type": "xy"}, {"type": "xy"}]],
        column_widths=[0.55, 0.45], row_heights=[0.6, 0.4], horizontal_spacing=0.08, vertical_spacing=0.12,
        subplot_titles=("The basin J(w, b)", "Top view: contours of J", "The data and the neuron's output",
                        "Cost J at each step"))
    meta = {"mode": "race" if len(shown) > 1 else "one", "tokens": list(runs.tokens), "shown": sorted(shown)}

    def add(trace, row, col, role=None):
        fig.add_trace(trace, row=row, col=col)
        i = len(fig.data) - 1
        if role:
            meta.setdefault(role, []).append(i)
        return i

    add(go.Surface(x=_f32(w_grid), y=_f32(b_grid), z=_f32(J_grid), colorscale=SURFACE_SCALE, showscale=False, opacity=0.9,
                   name="J(w, b)", hovertemplate="w=%{x:.3g}<br>b=%{y:.3g}<br>J=%{z:.4g}<extra></extra>",
                   contours={"z": {"show": True, "usecolormap": True, "project": {"z": False}}}), 1, 1)
    add(go.Contour(x=_f32(w_grid), y=_f32(b_grid), z=_f32(J_grid), colorscale=SURFACE_SCALE, showscale=False, ncontours=25,
                   contours={"coloring": "heatmap", "showlines": True}, line={"width": 0.5},
                   name="J(w, b)", hovertemplate="w=%{x:.3g}<br>b=%{y:.3g}<br>J=%{z:.4g}<extra></extra>"), 1, 2)
    # An invisible grid of points over the map: clicking one picks a new start point (the page reads it).
    gw, gb = np.meshgrid(np.linspace(*box[:2], 41), np.linspace(*box[2:], 41))
    add(go.Scatter(x=_f32(gw.ravel()), y=_f32(gb.ravel()), mode="markers", name="pick a start",
                   marker={"size": 14, "opacity": 0.0, "color": "white"}, showlegend=False,
                   hovertemplate="click to start here<br>w=%{x:.2f}, b=%{y:.2f}<extra></extra>"),
        1, 2, role="pick")
    classes = ((0.0, class_names[0], BLUE, "circle"), (1.0, class_names[1], ORANGE, "diamond"))
    for value, name, colour, symbol in classes:
        sel = y == value
        add(go.Scatter(x=x[sel], y=y[sel], mode="markers", name=name,
                       marker={"color": colour, "symbol": symbol, "size": 8, "opacity": 0.6,
                               "line": {"width": 0.5, "color": "white"}},
                       hovertemplate=f"{feature_label}=%{{x:.3g}}, y={value:g}<extra></extra>"), 2, 1)
    w0, b0 = start
    start_J = float(runs.J[0, 0])
    add(go.Scatter3d(x=[w0], y=[b0], z=[start_J + lift], mode="markers", name="start",
                     marker={"size": 5, "color": "white", "symbol": "circle-open", "line": {"width": 2}},
                     showlegend=False, hovertemplate="start<extra></extra>"), 1, 1)
    add(go.Scatter(x=[w0], y=[b0], mode="markers", name="start (w₀, b₀)",
                   marker={"size": 12, "color": "white", "symbol": "circle-open", "line": {"width": 2.5}}),
        1, 2)
    if minimum is not None:
        mw, mb, mJ = minimum
        add(go.Scatter3d(x=[mw], y=[mb], z=[mJ + lift], mode="markers", name="minimum", showlegend=False,
                         marker={"size": 5, "color": YELLOW, "symbol": "diamond"},
                         hovertemplate="minimum<extra></extra>"), 1, 1)
        add(go.Scatter(x=[mw], y=[mb], mode="markers", name="minimum",
                       marker={"size": 15, "color": YELLOW, "symbol": "star", "line": {"width": 1,
                                                                                       "color": "black"}},
                       hovertemplate="minimum w=%{x:.3g}, b=%{y:.3g}<extra></extra>"), 1, 2)

    steps = np.arange(n)
    for k in range(K):
        common = {"visible": visible[k], "legendgroup": f"run{k}", "hoverinfo": "skip"}
        add(go.Scatter3d(x=_f32(W[k]), y=_f32(B[k]), z=_f32(J[k] + lift), mode="lines+markers",
                         line={"color": colours[k], "width": 4, "dash": dashes[k]}, marker={"size": 2, "color": colours[k]},
                         name=labels[k], showlegend=False, **common), 1, 1, role="trail3d")
        add(go.Scatter(x=_f32(W[k]), y=_f32(B[k]), mode="lines+markers", name=labels[k], showlegend=False,
                       line={"color": colours[k], "width": 2, "dash": dashes[k]},
                       marker={"size": 4, "color": colours[k], "symbol": symbols[k]},
                       **common), 1, 2, role="trailmap")
        add(go.Scatter(x=steps, y=_f32(runs.J[k]), mode="lines", name=labels[k], showlegend=len(shown) > 1,
                       line={"color": colours[k], "width": 2.5, "dash": dashes[k]}, **{**common, "hoverinfo": None},
                       hovertemplate=f"{labels[k]}<br>step %{{x}}: J=%{{y:.4g}}<extra></extra>"),
            2, 2, role="cost")
    for k in range(K):
        add(go.Scatter(x=_f32(CX[k, 0]), y=_f32(CY[k, 0]), mode="lines", line={"color": colours[k],
                       "width": 3, "shape": "spline", "dash": dashes[k]}, visible=visible[k], showlegend=False,
                       name=f"output, {labels[k]}", hoverinfo="skip"), 2, 1, role="curve")
    ball3d = add(go.Scatter3d(x=_f32(W[:, 0]), y=_f32(B[:, 0]), z=_f32(J[:, 0] + lift), mode="markers",
                              marker={"size": sizes3d, "color": colours, "symbol": symbols3d,
                                      "line": {"width": 0}},
                              name="ball", showlegend=False, hoverinfo="skip"), 1, 1)
    ballmap = add(go.Scatter(x=_f32(W[:, 0]), y=_f32(B[:, 0]), mode="markers", name="ball", showlegend=False,
                             marker={"size": sizes2d, "color": colours, "symbol": symbols,
                                     "line": {"width": 1.5, "color": "black"}},
                             hoverinfo="skip"), 1, 2)
    ballcost = add(go.Scatter(x=np.zeros(K, dtype=int), y=_f32(runs.J[:, 0]), mode="markers", name="ball",
                              showlegend=False, marker={"size": sizes2d, "color": colours, "symbol": symbols,
                                                        "line": {"width": 1.5, "color": "black"}},
                              hoverinfo="skip"), 2, 2)
    meta.update(ball3d=ball3d, ballmap=ballmap, ballcost=ballcost, size3d=BALL_SIZE_3D, size2d=BALL_SIZE_2D,
                step_button=STEP_ACTION, frames=n)
    animated = [ball3d, ballmap, ballcost] + meta["curve"]

    def play(duration):
        return [None, {"frame": {"duration": duration, "redraw": True}, "transition": {"duration": 0},
                       "fromcurrent": True, "mode": "immediate"}]

    pause = [[None], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate",
                      "transition": {"duration": 0}}]
    fig.update_layout(
        height=height, margin=margins(60, 10, 70, 10), template=None, plot_bgcolor="white",
        meta={"basin": meta}, clickmode="event+select", dragmode="pan",
        legend={"orientation": "h", "x": 0.0, "y": 1.02, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.7)"},
        scene={"xaxis": {"title": {"text": "w"}, "range": list(box[:2])},
               "yaxis": {"title": {"text": "b"}, "range": list(box[2:])},
               "zaxis": {"title": {"text": "J"}, "range": [z_lo, z_top + 2 * lift]},
               "camera": {"eye": {"x": 1.5, "y": -1.5, "z": 1.0}}, "aspectmode": "cube",
               "domain": {"x": [0.0, 0.52], "y": [0.44, 1.0]}},
        updatemenus=[
            {"type": "buttons", "direction": "left", "x": 0.0, "y": -0.02, "xanchor": "left", "yanchor": "top",
             "pad": {"t": 0, "r": 6}, "showactive": False, "buttons": [
                 {"label": "▶ Play", "method": "animate", "args": play(120)},
                 {"label": "❚❚ Pause", "method": "animate", "args": pause},
                 {"label": "Slow", "method": "animate", "args": play(450)},
                 {"label": "Fast", "method": "animate", "args": play(30)},
                 {"label": "Step ▶", "method": "skip", "args": [STEP_ACTION]},  # the page's script steps
             ]},
            {"type": "buttons", "direction": "left", "x": 1.0, "y": 0.40, "xanchor": "right", "yanchor": "bottom",
             "showactive": True, "active": 0, "pad": {"t": 0}, "buttons": [
                 {"label": "linear J", "method": "relayout", "args": [{"yaxis3.type": "linear"}]},
                 {"label": "log J", "method": "relayout", "args": [{"yaxis3.type": "log"}]},
             ]},
        ],
        sliders=[{
            "active": 0, "x": 0.33, "len": 0.67, "y": -0.01, "yanchor": "top", "pad": {"t": 0, "b": 0},
            "currentvalue": {"prefix": "step ", "font": {"size": 13}}, "transition": {"duration": 0},
            "steps": [{"label": str(s), "method": "animate",
                       "args": [[str(s)], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate",
                                           "transition": {"duration": 0}}]} for s in range(n)],
        }],
    )
    fig.update_xaxes(title_text="w", range=list(box[:2]), row=1, col=2)
    fig.update_yaxes(title_text="b", range=list(box[2:]), row=1, col=2)
    fig.update_xaxes(title_text=feature_label, range=[x_lo, x_hi], row=2, col=1)
    y_range = [-0.08, 1.08] if neuron == "logistic" else [-0.5, 1.5]
    fig.update_yaxes(title_text="y  and  " + ("σ(wx + b)" if neuron == "logistic" else "wx + b"), title_standoff=8,
                     range=y_range, row=2, col=1)
    fig.update_xaxes(title_text="step", row=2, col=2)
    fig.update_yaxes(title_text="J", row=2, col=2)
    # Frames are plain dicts with base64 arrays: building hundreds of validated go.Frame objects takes seconds.
    frames = [{"name": str(s), "traces": animated, "data": [
        {"type": "scatter3d", "x": _b64(W[:, s]), "y": _b64(B[:, s]), "z": _b64(J[:, s] + lift)},
        {"type": "scatter", "x": _b64(W[:, s]), "y": _b64(B[:, s])},
        {"type": "scatter", "x": _b64(np.full(K, s)), "y": _b64(runs.J[:, s])},
        *[{"type": "scatter", "x": _b64(CX[k, s]), "y": _b64(CY[k, s])} for k in range(K)],
    ]} for s in range(n)]
    return FrozenFigure(fig, frames)


def _b64(a):
    """An array in plotly's typed-array JSON form, float32 (half the bytes of float64; plenty for a picture)."""
    a = np.ascontiguousarray(a, dtype=np.float32)
    return {"dtype": "f4", "bdata": base64.b64encode(a.tobytes()).decode("ascii")}


class FrozenFigure(go.Figure):
    """A finished figure, serialised once: to_dict() returns the stored plain dict.

    st.plotly_chart calls fig.to_dict() and then plotly.io.to_json on every rerun; for a figure with hundreds
    of frames the usual deep copy and array encoding cost about a second. A cached FrozenFigure costs only the
    final json.dumps. Read it like any figure: .data, .layout and .frames (as dicts in frames_dict).
    """

    def __init__(self, fig, frames=()):
        super().__init__(fig)
        self._frozen = json.loads(pio.to_json(fig, validate=False))
        self._frozen["frames"] = list(frames)

    @property
    def frames_dict(self):
        return self._frozen["frames"]

    def to_dict(self):
        return self._frozen

    def to_plotly_json(self):
        return self._frozen


def squashed_update_figure(out, alpha):
    """The right update w := w − α·dw against the mistaken w := w − σ(dw), from the same start.

    out : dict from core.maths.logistic.squashed_update_descent (arrays of shape (k + 1,)).
    Two panels: J per step, and w per step.
    """
    steps = np.arange(len(out["J_right"]))
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Cost J at each step", "w at each step"),
                        horizontal_spacing=0.12)
    styles = (("right", f"w := w − α·dw (α = {alpha:.3g})", BLUE, "solid", "circle"),
              ("wrong", "w := w − σ(dw)  (the mistake)", VERMILLION, "dash", "x"))
    for rule, name, colour, dash, symbol in styles:
        line = {"color": colour, "width": 2.5, "dash": dash}
        marker = {"symbol": symbol, "size": 5, "color": colour}
        fig.add_trace(go.Scatter(x=steps, y=_f32(out[f"J_{rule}"]), mode="lines+markers", name=name, line=line,
                                 marker=marker, legendgroup=rule,
                                 hovertemplate=f"{name}<br>step %{{x}}: J=%{{y:.4g}}<extra></extra>"), 1, 1)
        fig.add_trace(go.Scatter(x=steps, y=_f32(out[f"w_{rule}"]), mode="lines+markers", name=name, line=line,
                                 marker=marker, legendgroup=rule, showlegend=False,
                                 hovertemplate=f"{name}<br>step %{{x}}: w=%{{y:.4g}}<extra></extra>"), 1, 2)
    fig.update_xaxes(title_text="step")
    fig.update_yaxes(title_text="J", row=1, col=1)
    fig.update_yaxes(title_text="w", row=1, col=2)
    fig.update_layout(template="plotly_white", height=330, margin=PANEL,
                      legend={"orientation": "h", "y": -0.25, "x": 0})
    return fig
