"""The small picture on the Home page: a convex bowl J(w, b) and the path of a ball rolling down it.

Plain numpy and plotly, no streamlit. The bowl is a made-up quadratic, not real data: it only
has to show the idea that the Cost basin page makes real.
"""

import numpy as np
import plotly.graph_objects as go

from core.figures.style import NONE


def bowl_cost(W, B):
    """J(w, b) = (2 w^2 + b^2) / 2, a convex bowl, elongated along b so the path curves."""
    return (2.0 * W**2 + B**2) / 2.0


def bowl_path(w0=2.2, b0=2.7, alpha=0.3, steps=15):
    """Gradient descent on bowl_cost: w := w - alpha*dw, b := b - alpha*db.

    Returns
    -------
    path : ndarray of shape (steps + 1, 3)
        Columns w, b, J; row 0 is the starting point.
    """
    w, b = w0, b0
    rows = [(w, b, bowl_cost(w, b))]
    for _ in range(steps):
        dw, db = 2.0 * w, b  # dJ/dw, dJ/db
        w, b = w - alpha * dw, b - alpha * db
        rows.append((w, b, bowl_cost(w, b)))
    return np.array(rows)


def home_basin_figure(n=40, height=360):
    """A surface of bowl_cost on an n x n grid with the ball's path on top.

    Returns a go.Figure with two traces: [0] the surface, [1] the path (line + markers).
    """
    axis = np.linspace(-3.0, 3.0, n)
    W, B = np.meshgrid(axis, axis)  # (n, n) each
    J = bowl_cost(W, B)  # (n, n)
    path = bowl_path()
    sizes = np.full(len(path), 4.0)
    sizes[0] = 6.0  # where the ball starts
    sizes[-1] = 9.0  # the ball where it ends up
    lift = 0.15  # draw the path just above the surface so it is not hidden by it
    fig = go.Figure([
        go.Surface(x=axis, y=axis, z=J, colorscale="Blues", reversescale=True,
                   showscale=False, opacity=0.9, name="J(w, b)",
                   hovertemplate="w=%{x:.2f}<br>b=%{y:.2f}<br>J=%{z:.2f}<extra></extra>"),
        go.Scatter3d(x=path[:, 0], y=path[:, 1], z=path[:, 2] + lift,
                     mode="lines+markers", name="gradient descent",
                     line=dict(color="#d9480f", width=5),
                     marker=dict(color="#d9480f", size=sizes),
                     hovertemplate="step %{pointNumber}<br>J=%{z:.2f}<extra></extra>"),
    ])
    fig.update_layout(
        height=height, margin=NONE, showlegend=False,
        # no tick numbers: a picture of the idea (the Cost basin page has the numbers), and a narrow column at
        # 1024 px has no room for them beside the bowl
        scene=dict(xaxis=dict(title="w", showticklabels=False), yaxis=dict(title="b", showticklabels=False),
                   zaxis=dict(title="J", showticklabels=False),
                   aspectmode="manual", aspectratio=dict(x=1, y=1, z=0.7),
                   # look from the side opposite the start, so the path runs down the inside of the far wall;
                   # from far enough that the corners stay inside a narrow column (at -1.35, -1.15, 1.05 the left
                   # corner was cut at 1024 px)
                   camera=dict(eye=dict(x=-1.78, y=-1.51, z=1.38))),
    )
    return fig
