"""Class mode's charts: the class's answers as bars (live on the projector, then with the right one marked), the
ball's path on the top view of the basin for a revealed Cost basin question, and the cost J of the revealed run,
step by step."""

from __future__ import annotations

import textwrap

import numpy as np
import plotly.graph_objects as go

from core.figures.basin.frozen import f32
from core.figures.basin.panels import SURFACE_SCALE
from core.figures.basin.paths import SINGLE_COLOUR
from core.figures.losses import LOG_COLOUR, RIVAL_COLOUR, share_of_start
from core.figures.style import BLACK, BLUE, FONT, GREEN, GREY, LIGHT, PANEL, YELLOW, margins

LABEL_CHARS = 32   # the longest line of an answer's label: 32 characters fit a 390 px phone at the figure's font
LINE_SPACING = 1.3  # plotly's height of a line of text, in font sizes (a label of k lines is k × 1.3 × size high)
BAR_PX = 30        # each bar's thickness, px (the count beside it is one line of text: it fits inside this band)
GAP_PX = 12        # px between one bar and the next answer's label above it
LABEL_PAD_PX = 4   # px between a label and its own bar
# The projector's copy (core.figures.projector.enlarge) has 1.35 times larger text but a plot only about 1.15 times
# higher: each label's room is this much larger than its text, so the larger labels still clear the bar above.
PROJECTOR_ROOM = 1.2
BAR_SHARE = 0.65   # the longest bar spans this share of the width: its count ("12 students") fits to its right
EDGES = margins(4, 10, 6, 6)


def _count(n: int) -> str:
    return f"{n} student" + ("" if n == 1 else "s")


def tally_figure(labels, counts, right: int | None = None) -> go.Figure:
    """Horizontal bars: how many students chose each answer, in the question's order (top to bottom).

    Each answer's words stand above its own bar, left-aligned, and its count ("3 students") beside the bar's end:
    as tick labels on the left they ran into the axis and into the counts ("downhill|0"), and a long one wrapped to
    three lines in a row too low for them. The figure's height follows the longest label's number of lines.

    labels : sequence of str     the choices' words
    counts : sequence of int     students per choice
    right : int or None          index of the right choice after the reveal: its bar is green and its label has ✔
    """
    labels, counts = list(labels), [int(c) for c in counts]
    colours = [GREEN if i == right else (GREY if right is not None else BLUE) for i in range(len(labels))]
    # the choices' words wrapped to short lines: a one-line label wider than the chart was cut on a phone
    names = ["<br>".join(textwrap.wrap(f"✔ {lab}" if i == right else lab, LABEL_CHARS) or [""])
             for i, lab in enumerate(labels)]
    lines = max([name.count("<br>") + 1 for name in names] + [1])
    size = FONT["size"]
    label_px = PROJECTOR_ROOM * (lines * LINE_SPACING * size + LABEL_PAD_PX)
    row_px = GAP_PX + label_px + BAR_PX                     # one answer: the gap, its label, its bar
    bar = BAR_PX / row_px                                   # the bar's thickness in rows (the y axis's unit)
    n = max(len(labels), 1)
    fig = go.Figure(go.Bar(x=counts, y=names, orientation="h", marker_color=colours, width=bar,
                           text=[_count(c) for c in counts], textposition="outside", constraintext="none",
                           cliponaxis=False, hoverinfo="skip"))
    for i, name in enumerate(names):
        # above the bar: its bottom on the bar's top edge (rows go down the page, so the top edge is i − bar / 2)
        fig.add_annotation(x=0, y=i - bar / 2, xref="x", yref="y", xanchor="left", yanchor="bottom",
                           text=f"<b>{name}</b>" if i == right else name, align="left", showarrow=False,
                           yshift=LABEL_PAD_PX, borderpad=0)
    top = max(counts + [1])
    gap = GAP_PX / row_px
    # row i, top to bottom: the gap, the label, the bar (centred on i); the first row has no gap above it
    fig.update_layout(font=FONT, height=round(n * row_px - GAP_PX + EDGES["t"] + EDGES["b"]), margin=EDGES,
                      showlegend=False, plot_bgcolor="white")
    # no tick numbers: each bar says its count; the range keeps room on the right for the longest bar's count
    fig.update_xaxes(range=[0, top / BAR_SHARE], showticklabels=False, showgrid=False, zeroline=False,
                     fixedrange=True)
    fig.update_yaxes(range=[n - 1 + bar / 2, -1 + bar / 2 + gap], showticklabels=False, showgrid=False,
                     zeroline=False, fixedrange=True)
    return fig


def cost_figure(curves, height: int = 280) -> go.Figure:
    """The cost J at each step of the revealed run(s). curves: (label, ndarray of shape (k + 1,)) pairs.

    One run: J itself. Two runs (a Losses question): each as a share of its own start, as the Losses page draws
    them (core.figures.losses.share_of_start): squared error's J and log-loss's J are different functions, and on
    one axis the stuck squared error (J = 0.25, flat) lay under the log-loss run that reached its bottom (from
    J ≈ 4 to 0.38), as if it had done better. J itself is in the hover. Large costs (a run that flies off) are
    written with powers of ten (2 × 10¹¹): plotly's "200B" reads as bytes."""
    fig = go.Figure()
    shares = len(curves) > 1
    # in the colours and dashes of the paths on the maps above (two runs: as on the Losses page)
    colours, dashes = ((RIVAL_COLOUR, LOG_COLOUR), ("dash", "solid")) if shares else ((SINGLE_COLOUR,), ("solid",))
    for (label, cost), colour, dash in zip(curves, colours, dashes, strict=False):
        cost = np.asarray(cost, dtype=float)
        shown = np.where(np.isfinite(cost), cost, np.nan)
        fig.add_trace(go.Scatter(x=np.arange(cost.size), y=share_of_start(shown) if shares else shown, name=label,
                                 customdata=shown, mode="lines", line=dict(color=colour, width=3, dash=dash),
                                 hovertemplate="step %{x}: J = %{customdata:.4g}"
                                 + (", %{y:.1f}% of its start" if shares else "") + "<extra></extra>"))
    fig.update_layout(font=FONT, height=height, margin=PANEL, plot_bgcolor="white",
                      legend=dict(orientation="h", y=1.12, x=0), showlegend=shares)
    fig.update_xaxes(title="step", gridcolor=LIGHT)
    if shares:
        fig.update_yaxes(title="% of J at step 0", ticksuffix="%", rangemode="tozero", gridcolor=LIGHT,
                         automargin=True)
    else:
        fig.update_yaxes(title={"text": "cost J", "standoff": 8}, gridcolor=LIGHT, exponentformat="power",
                         automargin=True)
    return fig


MAP_PX = 360          # a top view's height
STEP_LABELS = 5       # at most this many points of a path carry their step number
LABEL_APART = 0.1     # ... each at least this share of the map's diagonal from the ones labelled before


def _labelled_steps(W, B, box):
    """Indices of the path's points that get their step number: in order, on the map, apart from each other."""
    (w_lo, w_hi, b_lo, b_hi) = box
    u = (np.asarray(W, float) - w_lo) / (w_hi - w_lo)         # the map's own units: 0 to 1 across each axis
    v = (np.asarray(B, float) - b_lo) / (b_hi - b_lo)
    chosen = []
    for k in range(u.size):
        inside = np.isfinite(u[k]) and np.isfinite(v[k]) and 0 <= u[k] <= 1 and 0 <= v[k] <= 1
        if inside and all(np.hypot(u[k] - u[j], v[k] - v[j]) >= LABEL_APART * np.sqrt(2) for j in chosen):
            chosen.append(k)
            if len(chosen) == STEP_LABELS:
                break
    return chosen


def path_figure(w, b, J, W, B, *, title, first=0, minimum=None, height=MAP_PX) -> go.Figure:
    """The ball's path on the top view of J(w, b), as on the Cost basin page: the contours of J, the path with a
    dot per step (the first few numbered), the ball where it ends, the start and the bottom.

    Parameters
    ----------
    w : ndarray of shape (n_w,)
    b : ndarray of shape (n_b,)
    J : ndarray of shape (n_b, n_w)
        The cost on the grid (rows follow b); the map shows exactly this box.
    W, B : ndarray of shape (k,)
        The path: w and b at steps first, first + 1, ...
    title : str
    first : int
        The step of the path's first point: 0 marks it as the start.
    minimum : (w, b) or None
        The bottom of the basin, a star.
    """
    w, b, W, B = (np.asarray(a, float) for a in (w, b, W, B))
    box = (float(w[0]), float(w[-1]), float(b[0]), float(b[-1]))
    fig = go.Figure(go.Contour(x=f32(w), y=f32(b), z=f32(J), colorscale=SURFACE_SCALE, showscale=False,
                               ncontours=25, contours={"coloring": "heatmap", "showlines": True},
                               line={"width": 0.5}, name="J(w, b)", showlegend=False,
                               hovertemplate="w=%{x:.3g}<br>b=%{y:.3g}<br>J=%{z:.4g}<extra></extra>"))
    steps = np.arange(first, first + W.size)
    fig.add_trace(go.Scatter(x=W, y=B, mode="lines+markers", name="the ball's path", customdata=steps,
                             line={"color": SINGLE_COLOUR, "width": 2.5}, marker={"size": 6, "color": SINGLE_COLOUR},
                             hovertemplate="step %{customdata}: w=%{x:.4g}, b=%{y:.4g}<extra></extra>"))
    if first == 0:
        fig.add_trace(go.Scatter(x=W[:1], y=B[:1], mode="markers", name="start",
                                 marker={"size": 13, "color": "white", "line": {"width": 2, "color": BLACK}},
                                 hoverinfo="skip"))
    last = np.flatnonzero(np.isfinite(W) & np.isfinite(B))
    if last.size:
        k = int(last[-1])
        fig.add_trace(go.Scatter(x=[W[k]], y=[B[k]], mode="markers", name=f"the ball at step {steps[k]}",
                                 marker={"size": 14, "color": SINGLE_COLOUR, "line": {"width": 1.5, "color": BLACK}},
                                 hoverinfo="skip"))
    # after the ball, so that a ball resting on the bottom does not hide the star
    if minimum is not None and box[0] <= minimum[0] <= box[1] and box[2] <= minimum[1] <= box[3]:
        fig.add_trace(go.Scatter(x=[minimum[0]], y=[minimum[1]], mode="markers", name="bottom (minimum)",
                                 marker={"size": 15, "color": YELLOW, "symbol": "star",
                                         "line": {"width": 1, "color": BLACK}}, hoverinfo="skip"))
    for k in _labelled_steps(W, B, box):     # the step numbers, on a white tag: readable on any colour of the map
        fig.add_annotation(x=W[k], y=B[k], text=str(steps[k]), showarrow=False, xshift=12, yshift=12,
                           bgcolor="rgba(255,255,255,0.85)", borderpad=2, font={"color": BLACK})
    fig.update_layout(font=FONT, height=height, margin=margins(55, 15, 40, 45), plot_bgcolor="white",
                      title={"text": title, "x": 0, "xanchor": "left", "y": 1, "yanchor": "top", "yref": "container",
                             "pad": {"t": 8}, "font": {"size": FONT["size"] + 1}},
                      showlegend=False, hovermode="closest", dragmode=False)
    fig.update_xaxes(title={"text": "w", "standoff": 4}, range=list(box[:2]), automargin=True)
    fig.update_yaxes(title={"text": "b", "standoff": 6}, range=list(box[2:]), automargin=True)
    return fig
