"""Plotly figure of the optimiser race on the Cost basin: arrays in, one go.Figure out (no streamlit).

Two panels: the top view of J(w, b) with every optimiser's trail and ball, and J against the step. Each
optimiser has its own colour, dash and ball shape (never colour alone) and one legend entry; its trail, ball
and cost curve share a legend group, so a click on the legend hides or shows that optimiser in both panels,
inside the browser. The cost chart's x axis switches between iterations (updates) and epochs (passes over the
data) with a button in the figure, also inside the browser. The Play button moves the balls step by step.

`layout.meta["race"]` lists which trace is what.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures.basin import RACE_DASHES, RACE_SYMBOLS, FrozenFigure
from core.figures.basin.frozen import f32 as _f32
from core.figures.style import BLACK, BLUE, FONT, GREEN, GREY, LIGHT, PINK, VERMILLION, YELLOW, margins

# One style per optimiser, whatever else is in the race: the same optimiser always looks the same.
STYLES = {
    "gd": (VERMILLION, RACE_DASHES[0], RACE_SYMBOLS[0]),
    "momentum": (BLUE, RACE_DASHES[1], RACE_SYMBOLS[1]),
    "rmsprop": (GREEN, RACE_DASHES[2], RACE_SYMBOLS[2]),
    "adam": (PINK, RACE_DASHES[3], RACE_SYMBOLS[3]),
}
SURFACE_SCALE = "Viridis"
BALL_SIZE = 14
MAX_FRAMES = 41        # Play shows at most this many positions (every k-th step): frames cost server time per rerun


def race_figure(w_grid, b_grid, J_grid, race, *, labels, start, minimum=None, height=680):
    """The race: a contour map of J with each optimiser's path, and J against the step (or the epoch).

    Parameters
    ----------
    w_grid : ndarray of shape (n_w,)
    b_grid : ndarray of shape (n_b,)
    J_grid : ndarray of shape (n_b, n_w)
        The cost on the grid (rows follow b).
    race : core.maths.optimisers.Race
        names, W, B, J of shape (K, steps + 1) and the unpadded runs (their epochs).
    labels : sequence of str
        One legend label per run.
    start : (w0, b0)
    minimum : (w, b, J) or None
        The finite minimum, marked with a star.
    height : int

    Returns
    -------
    FrozenFigure
        Serialised once: a cached race costs a rerun only the final json.dumps, not plotly's deep copy of
        its frames.
    """
    w_grid, b_grid, J_grid = (np.asarray(a, float) for a in (w_grid, b_grid, J_grid))
    K, n = race.W.shape
    fig = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], horizontal_spacing=0.1,
                        subplot_titles=("Top view of J(w, b): each optimiser's path",
                                        "Cost J (whole data set) at each step"))
    meta = {"names": list(race.names), "trail": [], "ball": [], "cost": [], "frames": n}

    def add(trace, col, role=None):
        fig.add_trace(trace, row=1, col=col)
        i = len(fig.data) - 1
        if role:
            meta[role].append(i)
        return i

    add(go.Contour(x=_f32(w_grid), y=_f32(b_grid), z=_f32(J_grid), colorscale=SURFACE_SCALE, showscale=False,
                   ncontours=25, contours={"coloring": "heatmap", "showlines": True}, line={"width": 0.5},
                   name="J(w, b)", showlegend=False,
                   hovertemplate="w=%{x:.3g}<br>b=%{y:.3g}<br>J=%{z:.4g}<extra></extra>"), 1)
    w0, b0 = start
    meta["start"] = add(go.Scatter(x=[w0], y=[b0], mode="markers", name="start (w₀, b₀)",
                                   # white with a black ring, as on the basin's map: seen on the dark map
                                   # and on the legend's white alike (a white open circle vanished there)
                                   marker={"size": 13, "color": "white", "symbol": "circle",
                                           "line": {"width": 2, "color": "black"}}), 1)
    iterations = np.arange(n)
    epochs = []
    for k, name in enumerate(race.names):
        colour, dash, symbol = STYLES[name]
        run = race.runs[k]
        epoch = np.r_[run.epoch, np.full(n - run.epoch.size, run.epoch[-1])]
        epochs.append(epoch)
        group = {"legendgroup": name}
        add(go.Scatter(x=_f32(race.W[k]), y=_f32(race.B[k]), mode="lines+markers", name=labels[k],
                       line={"color": colour, "width": 2.5, "dash": dash},
                       marker={"size": 4, "color": colour, "symbol": symbol},
                       hovertemplate=f"{labels[k]}<br>w=%{{x:.4g}}, b=%{{y:.4g}}<extra></extra>", **group),
            1, "trail")
        add(go.Scatter(x=[float(race.W[k, -1])], y=[float(race.B[k, -1])], mode="markers", name=labels[k],
                       showlegend=False, hoverinfo="skip",
                       marker={"size": BALL_SIZE, "color": colour, "symbol": symbol,
                               "line": {"width": 1.5, "color": BLACK}}, **group), 1, "ball")
        add(go.Scatter(x=iterations, y=_f32(race.J[k]), mode="lines", name=labels[k], showlegend=False,
                       line={"color": colour, "width": 2.5, "dash": dash},
                       customdata=_f32(epoch),
                       hovertemplate=f"{labels[k]}<br>step %{{x}} (epoch %{{customdata:.3g}}): "
                                     f"J=%{{y:.4g}}<extra></extra>", **group), 2, "cost")
    if minimum is not None:        # drawn after the balls, so the star stays visible when they reach it
        mw, mb, _ = minimum
        meta["minimum"] = add(go.Scatter(
            x=[mw], y=[mb], mode="markers", name="minimum (w*, b*)",
            marker={"size": 16, "color": YELLOW, "symbol": "star", "line": {"width": 1, "color": BLACK}},
            hovertemplate="minimum w*=%{x:.4g}, b*=%{y:.4g}<extra></extra>"), 1)
        meta["floor"] = add(go.Scatter(x=[0, n - 1], y=[minimum[2]] * 2, mode="lines", name="J* (the minimum)",
                                       line={"color": GREY, "width": 1.5, "dash": "longdash"},
                                       hoverinfo="skip"), 2)

    # y range of the cost chart: from the lowest cost to a little above the start (a run flying off leaves it)
    j0 = float(race.J[:, 0].max())
    lo = float(min(race.J.min(), minimum[2] if minimum is not None else race.J.min()))
    fig.update_yaxes(range=[lo - 0.05 * (j0 - lo + 1e-9), j0 + 0.25 * (j0 - lo + 1e-9)], row=1, col=2,
                     title_text="J", gridcolor=LIGHT)
    fig.update_xaxes(range=[float(w_grid[0]), float(w_grid[-1])], title_text="w", row=1, col=1)
    fig.update_yaxes(range=[float(b_grid[0]), float(b_grid[-1])], title_text="b", row=1, col=1)
    fig.update_xaxes(title_text="iteration (one update per batch)", row=1, col=2, gridcolor=LIGHT)

    # In-figure switch of the cost chart's x axis: iterations or epochs.
    cost = meta["cost"]
    last_epoch = max(float(e[-1]) for e in epochs) if epochs else 1.0
    x_it = {"x": [iterations] * len(cost)}
    x_ep = {"x": [_f32(e) for e in epochs]}
    buttons = [
        {"label": "x: iterations", "method": "update",
         "args": [x_it, {"xaxis2.title.text": "iteration (one update per batch)", "xaxis2.range": [0, n - 1]},
                  cost]},
        {"label": "x: epochs", "method": "update",
         "args": [x_ep, {"xaxis2.title.text": "epoch (one pass over all m examples)",
                         "xaxis2.range": [0, last_epoch]}, cost]},
    ]
    meta["axis_buttons"] = [b["label"] for b in buttons]
    fig.update_xaxes(range=[0, n - 1], row=1, col=2)

    # Play: the balls move step by step (frames carry only the balls; at most MAX_FRAMES, evenly spaced).
    shown_steps = np.unique(np.linspace(0, n - 1, min(n, MAX_FRAMES)).round().astype(int))
    meta["frame_steps"] = shown_steps.tolist()
    fig.frames = [go.Frame(name=str(t), traces=meta["ball"],
                           data=[go.Scatter(x=[float(race.W[k, t])], y=[float(race.B[k, t])]) for k in range(K)])
                  for t in shown_steps]
    play = [None, {"frame": {"duration": 60, "redraw": False}, "transition": {"duration": 0},
                   "fromcurrent": False, "mode": "immediate"}]
    fig.update_layout(
        height=height, margin=margins(60, 20, 60, 40), template=None, plot_bgcolor="white", font=FONT,
        meta={"race": meta, "narrow": {"narrow_px": NARROW_PX, "layout": narrow_layout()}},
        dragmode="pan", hovermode="closest",
        legend={"orientation": "h", "y": -0.18, "x": 0, "groupclick": "togglegroup"},
        updatemenus=[
            {"type": "buttons", "direction": "right", "x": 0.0, "y": 1.16, "xanchor": "left", "showactive": False,
             "buttons": [{"label": "▶ Play the race", "method": "animate", "args": play}]},
            {"type": "buttons", "direction": "right", "x": 0.56, "y": 1.16, "xanchor": "left", "active": 0,
             "buttons": buttons},
        ],
    )
    return FrozenFigure(fig)


NARROW_PX = 640    # a chart narrower than this (a phone) gets narrow_layout() from the page's script


def narrow_layout():
    """The relayout (plotly layout paths) that puts the race's two panels in one column, for a phone: the top view
    over the cost chart, the legend under both, Play and the axis switch on one line above. Side by side on a
    phone each panel was 140 px wide, its title cut, the switch over Play and "iteration" over "w".
    In the figure's own height (ui/chart_bridge.js applies it; Streamlit sizes the chart from the spec)."""
    # fractions of the plot's height (the figure's 680 px less 100 of margins), from the bottom: the legend to 0.2
    # (six lines, no gap between groups), the cost chart over its numbers and "iteration" (close under them), with
    # the axis switch in its top right corner (empty: every run starts below the axis's top and goes down), its
    # title, the top view over its numbers and "w"
    cost, top_view = (0.31, 0.59), (0.72, 0.962)
    return {"xaxis.domain": [0, 1], "yaxis.domain": list(top_view), "xaxis2.domain": [0, 1],
            "yaxis2.domain": list(cost), "legend.y": 0, "legend.yanchor": "bottom", "legend.font.size": 12,
            "legend.tracegroupgap": 0,
            "xaxis.title.standoff": 4, "xaxis2.title.standoff": 4,
            "annotations[0].x": 0.5, "annotations[0].y": top_view[1], "annotations[0].text": "Each optimiser's path",
            "annotations[1].x": 0, "annotations[1].xanchor": "left", "annotations[1].y": cost[1],
            "annotations[1].text": "Cost J",
            "updatemenus[0].y": 1.07, "updatemenus[1].x": 1, "updatemenus[1].xanchor": "right",
            "updatemenus[1].y": cost[1] - 0.005, "updatemenus[1].yanchor": "top", "margin.l": 50}


def _plain(text):
    """A user's text for plotly, which reads a few HTML tags (<a href>, <b>, <br>) in titles and names: as text."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def points_figure(x_raw, y, feature="x", label="y", height=260):
    """The student's data: one point per example, the feature across and the label (0 or 1) up; the two
    classes differ by colour and by marker shape. A little vertical jitter keeps repeated values visible.

    Parameters
    ----------
    x_raw : ndarray of shape (1, m) or (m,)
        The feature as in the file (before standardising).
    y : ndarray of shape (1, m) or (m,)
        Labels, 0 or 1.
    feature, label : str
        Axis titles (plotly draws them as text).

    Returns
    -------
    go.Figure
    """
    x_raw, y = np.ravel(x_raw).astype(float), np.ravel(y).astype(float)
    feature, label = _plain(feature), _plain(label)
    jitter = (np.random.default_rng(0).random(y.size) - 0.5) * 0.12
    fig = go.Figure()
    for value, name, colour, symbol in ((0.0, f"{label} = 0", BLUE, "circle"),
                                        (1.0, f"{label} = 1", VERMILLION, "diamond")):
        sel = y == value
        fig.add_trace(go.Scatter(x=_f32(x_raw[sel]), y=_f32(y[sel] + jitter[sel]), mode="markers", name=name,
                                 marker={"color": colour, "symbol": symbol, "size": 7, "opacity": 0.6},
                                 hovertemplate="%{x:.4g}"))       # the box names the trace (escaped)
    fig.update_layout(height=height, margin=margins(60, 20, 10, 40), template=None, plot_bgcolor="white",
                      font=FONT, legend={"orientation": "h", "y": 1.12, "x": 0},
                      meta={"points": {"m": int(y.size), "ones": int(y.sum())}})
    fig.update_xaxes(title_text=feature, gridcolor=LIGHT)
    fig.update_yaxes(title_text=label, tickvals=[0, 1], range=[-0.3, 1.3], gridcolor=LIGHT)
    return fig
