"""Class mode's two charts: the class's answers as bars (live on the projector, then with the right one marked)
and the cost J of the revealed run, step by step."""

from __future__ import annotations

import textwrap

import numpy as np
import plotly.graph_objects as go

from core.figures.style import BLUE, FONT, GREEN, GREY, LIGHT, ORANGE, PANEL, margins

LABEL_CHARS = 24   # the longest line of an answer's label on the bars' axis


def tally_figure(labels, counts, right: int | None = None, height: int = 320) -> go.Figure:
    """Horizontal bars: how many students chose each answer, in the question's order (top to bottom).

    labels : sequence of str     the choices' words
    counts : sequence of int     students per choice
    right : int or None          index of the right choice after the reveal: its bar is green and says "right"
    """
    labels, counts = list(labels), [int(c) for c in counts]
    colours = [GREEN if i == right else (GREY if right is not None else BLUE) for i in range(len(labels))]
    # the choices' words wrapped to short lines: on a phone a one-line label ("It flies off, or keeps bouncing
    # without settling") was wider than plotly's margin may grow, and was cut on the left, ✔ included
    names = ["<br>".join(textwrap.wrap(f"✔ {lab}" if i == right else lab, LABEL_CHARS) or [""])
             for i, lab in enumerate(labels)]
    fig = go.Figure(go.Bar(x=counts, y=names, orientation="h", marker_color=colours, text=counts,
                           textposition="outside", cliponaxis=False, hoverinfo="skip"))
    top = max(counts + [1])
    # room under the counts for "students" (with 30 px it sat on the tick numbers in the projector view)
    fig.update_layout(font=FONT, height=height, margin=margins(10, 40, 10, 50), showlegend=False,
                      plot_bgcolor="white", bargap=0.3)
    fig.update_xaxes(range=[0, top * 1.15], title="students", gridcolor=LIGHT, dtick=max(1, int(np.ceil(top / 6))),
                     automargin=True)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def cost_figure(curves, height: int = 280) -> go.Figure:
    """The cost J at each step of the revealed run(s). curves: (label, ndarray of shape (k + 1,)) pairs."""
    fig = go.Figure()
    for (label, cost), colour, dash in zip(curves, (BLUE, ORANGE), ("solid", "dash"), strict=False):
        cost = np.asarray(cost, dtype=float)
        fig.add_trace(go.Scatter(x=np.arange(cost.size), y=np.where(np.isfinite(cost), cost, np.nan), name=label,
                                 mode="lines", line=dict(color=colour, width=3, dash=dash)))
    fig.update_layout(font=FONT, height=height, margin=PANEL, plot_bgcolor="white",
                      legend=dict(orientation="h", y=1.12, x=0), showlegend=len(curves) > 1)
    fig.update_xaxes(title="step", gridcolor=LIGHT)
    fig.update_yaxes(title="cost J", gridcolor=LIGHT)
    return fig
