"""The common mistake w := w − σ(dw) against the right update, from the same start (the page's expander)."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures.basin.frozen import f32 as _f32
from core.figures.style import BLUE, PANEL, VERMILLION


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
