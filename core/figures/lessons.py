"""Plotly pictures for the lessons pages: plain data in, go.Figure out (no streamlit, no math of the lessons).

* graph_figure: a computation graph at one step of its forward or backward pass.
* timing_bars, timing_lines: the loop against np.dot.
* broadcast_figure: the two operands stretched to the result's shape, copies greyed.
* activations_figure: g(z) and g'(z) for each activation, value and slope at a chosen z, saturation shaded.

Colours, font and margins come from core.figures.style; nothing is told apart by colour alone.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures.style import BLUE, FONT, GREEN, GREY, INK, LIGHT, ORANGE, PINK, TIGHT, VERMILLION, margins
from core.maths.graph import HIDDEN, Graph, Step, _fmt, edge_label

# ---------------------------------------------------------------------------------------------------------
# Computation graph
# ---------------------------------------------------------------------------------------------------------
# Sizes in pixels of the graph's nodes, text and gaps: on a laptop, and on a phone.
GRAPH_PX = {"node": 74, "node_text": 16, "label": 14, "small": 12, "standoff": 39, "above": 50}
GRAPH_PHONE_PX = {"node": 52, "node_text": 13, "label": 11, "small": 10, "standoff": 28, "above": 38}


def graph_figure(g: Graph, step: Step, height: int | None = None, *, phone: bool = False) -> go.Figure:
    """The graph at one step: each node a labelled circle with its value (once known) and, below it, its
    derivative d<name> (once the backward pass has reached it); each edge an arrow from input to output,
    with the local derivative written on it and, in the backward pass, the chain-rule product.

    Trace 0 is the nodes (a scatter with one marker per node, in g.nodes order).

    phone=True draws it smaller (nodes, text, gaps) and labels only the edges of this step: on a phone's 360 px
    four columns of 74 px nodes touched, the formulas above them ran into each other and the edges' labels
    covered the nodes; long formulas are broken onto two lines.
    """
    px = GRAPH_PHONE_PX if phone else GRAPH_PX
    pos = g.positions
    names = [n.name for n in g.nodes]
    fig = go.Figure()
    known = step.values
    # Edges first, so the nodes are drawn over them.
    shown_edges = set(step.edges)
    for child, parent, _, _ in g.edges():
        (x0, y0), (x1, y1) = pos[child.name], pos[parent.name]
        done = (child.name, parent.name) in shown_edges
        active = done and child.name == step.active
        colour = VERMILLION if done else ("#9db7cc" if parent.name in known else LIGHT)
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=3, arrowsize=1.1, arrowwidth=4 if active else 2.5,
                           arrowcolor=colour, standoff=px["standoff"], startstandoff=px["standoff"], text="")
        # A lone edge is labelled at its middle; fanned-in edges nearer their inputs, where they are apart.
        t = 0.5 if len(parent._prev) == 1 or phone else 0.4
        lx, ly = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        local_txt, symbols, numbers = edge_label(g, child.name, parent.name)
        if phone and not active:
            continue    # on a phone only the edge of this step is labelled: the others' labels covered the nodes
        if done:
            text = f"<span style='font-size:{px['small']}px'>{symbols}</span><br><b>{numbers}</b>"
            fig.add_annotation(x=lx, y=ly, text=text, showarrow=False, font=dict(size=px["label"], color=VERMILLION),
                               bgcolor="rgba(255,255,255,0.94)", bordercolor=VERMILLION if active else "white",
                               borderwidth=1.5 if active else 0, borderpad=3)
        elif parent.name in known:
            fig.add_annotation(x=lx, y=ly, text=local_txt, showarrow=False,
                               font=dict(size=px["label"] - 1, color="#4d6f8a"), bgcolor="rgba(255,255,255,0.9)",
                               borderpad=2)
    # Nodes: one marker each; value inside, formula above, derivative below.
    xs = [pos[n][0] for n in names]
    ys = [pos[n][1] for n in names]
    leaves = {n.name for n in g.nodes if not n._prev}
    fill, line_colour, line_width, inside = [], [], [], []
    for n in g.nodes:
        is_known = n.name in known
        fill.append(("#d7e9f7" if n.name in leaves else "#ffffff") if is_known else "#f2f2f2")
        line_colour.append(PINK if n.name == step.active else (BLUE if is_known else "#bdbdbd"))
        line_width.append(6 if n.name == step.active else 2.5)
        value = _fmt(known[n.name]) if is_known else HIDDEN
        inside.append(f"<b>{n.name}</b><br>{value}")
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers+text", text=inside, textposition="middle center",
        textfont=dict(size=px["node_text"], color=INK),
        marker=dict(size=px["node"], color=fill, line=dict(color=line_colour, width=line_width),
                    symbol=["square" if n.name in leaves else "circle" for n in g.nodes]),
        hovertext=[n.formula for n in g.nodes], hoverinfo="text", name="nodes", showlegend=False))
    for n in g.nodes:
        x, y = pos[n.name]
        if n._prev:
            formula = n.formula
            two = phone and len(formula) > 12 and " + " in formula
            if two:     # "z = w1·x1 + w2·x2 + b" -> "z = w1·x1" over "+ w2·x2 + b"
                formula = formula.replace(" + ", "<br>+ ", 1)
            fig.add_annotation(x=x, y=y, yshift=px["above"] + (8 if two else 0), text=formula, showarrow=False,
                               font=dict(size=px["label"], color="#444"), bgcolor="rgba(255,255,255,0.9)")
        if n.name in step.grads:
            fig.add_annotation(x=x, y=y, yshift=-px["above"] - 2, showarrow=False,
                               text=f"<b>d{n.name} = {_fmt(step.grads[n.name])}</b>",
                               font=dict(size=px["label"] + 1, color=VERMILLION),
                               bgcolor="#fff3ea", borderpad=3)
    x_max = max(xs)
    y_lo, y_hi = min(ys), max(ys)
    rows = y_hi - y_lo
    fig.update_layout(
        height=height or int(200 + 110 * rows), margin=TIGHT,
        plot_bgcolor="white", paper_bgcolor="white", font=FONT, showlegend=False, dragmode=False,
        # on a phone more room on the left: an input's "dw1 = −0.4502" is wider than its node
        xaxis=dict(visible=False, range=[-0.6 if phone else -0.45, x_max + 0.45], fixedrange=True),
        yaxis=dict(visible=False, range=[y_lo - 0.6, y_hi + 0.6], fixedrange=True),
    )
    return fig


# ---------------------------------------------------------------------------------------------------------
# Vectorisation
# ---------------------------------------------------------------------------------------------------------
def _seconds(s: float) -> str:
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.1f} µs"


def timing_bars(loop_s: float, vec_s: float, n: int, vec_label: str = "np.dot", *,
                size: str | None = None) -> go.Figure:
    """Two horizontal bars: the loop's time and the vectorised time, each labelled with its time.

    The title starts with `size`, what was timed in the course's names ("n = 1,000,000" by default, for the dot
    product of two arrays of n numbers; "m = 2,000 examples, n_x = 100" for Z = wᵀX + b)."""
    labels = ["Python for-loop", vec_label]
    fig = go.Figure(go.Bar(
        y=labels, x=[loop_s * 1e3, vec_s * 1e3], orientation="h",
        marker=dict(color=[VERMILLION, BLUE], pattern=dict(shape=["/", ""])),
        text=[_seconds(loop_s), _seconds(vec_s)], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.4g} ms<extra></extra>"))
    fig.update_layout(
        height=220, margin=margins(140, 70, 40, 40), plot_bgcolor="white", paper_bgcolor="white",
        font=FONT, title=dict(text=f"{size or f'n = {n:,}'}: the loop takes {loop_s / vec_s:,.0f}× as long", x=0.01),
        xaxis=dict(title="time (ms)", gridcolor=LIGHT, rangemode="tozero"),
        yaxis=dict(autorange="reversed", automargin=True))
    return fig


def timing_lines(ns, loop_s, dot_s, status) -> go.Figure:
    """Time against n on log-log axes: the loop (circles) and np.dot (squares); predicted loop times of
    sizes skipped under the cap are hollow circles on a dotted line."""
    ns, loop_s, dot_s = (np.asarray(v, dtype=float) for v in (ns, loop_s, dot_s))
    status = np.asarray(status)
    measured = status == "measured"
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=ns[measured], y=loop_s[measured], mode="lines+markers", name="Python for-loop",
                             line=dict(color=VERMILLION, width=3), marker=dict(symbol="circle", size=9)))
    rest = ~measured
    if rest.any():
        last = np.flatnonzero(measured)[-1:] if measured.any() else np.array([], dtype=int)
        idx = np.concatenate([last, np.flatnonzero(rest)])
        fig.add_trace(go.Scatter(x=ns[idx], y=loop_s[idx], mode="lines+markers",
                                 name="loop, predicted (not run: over the cap)",
                                 line=dict(color=VERMILLION, width=2, dash="dot"),
                                 marker=dict(symbol="circle-open", size=10)))
    fig.add_trace(go.Scatter(x=ns, y=dot_s, mode="lines+markers", name="np.dot",
                             line=dict(color=BLUE, width=3), marker=dict(symbol="square", size=9)))
    fig.update_layout(
        height=380, margin=margins(80, 20, 50, 60), plot_bgcolor="white", paper_bgcolor="white",
        font=FONT, title=dict(text="Time against n (both axes logarithmic)", x=0.01),
        xaxis=dict(title="n (numbers multiplied and added)", type="log", gridcolor=LIGHT),
        yaxis=dict(title="time (s)", type="log", gridcolor=LIGHT, exponentformat="power"),
        legend=dict(orientation="h", y=-0.22, yanchor="top", x=0, font=dict(size=13)))
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


# ---------------------------------------------------------------------------------------------------------
# Broadcasting
# ---------------------------------------------------------------------------------------------------------
def _as3d(arr: np.ndarray) -> np.ndarray:
    """A rank-1 array drawn as a row (as numpy broadcasts it), a matrix as one slice."""
    arr = np.asarray(arr)
    if arr.ndim == 0:
        return arr.reshape(1, 1, 1)
    if arr.ndim == 1:
        return arr.reshape(1, 1, -1)
    if arr.ndim == 2:
        return arr[None]
    return arr


def _grid_traces(arr, copies, x0, colour, name, y0=0.0):
    """Cells of one array (its slices side by side) as square markers with their numbers, the top left cell at
    (x0, y0); returns (traces, width in cells)."""
    a3 = _as3d(arr)
    c3 = _as3d(copies) if copies is not None else np.zeros(a3.shape, dtype=bool)
    k, r, c = a3.shape
    xs, ys, texts, is_copy = [], [], [], []
    for s in range(k):
        for i in range(r):
            for j in range(c):
                xs.append(x0 + s * (c + 0.6) + j)
                ys.append(y0 - i)
                texts.append(str(a3[s, i, j]))
                is_copy.append(bool(c3[s, i, j]))
    xs, ys, texts, is_copy = map(np.asarray, (xs, ys, texts, is_copy))
    traces = []
    own = ~is_copy
    traces.append(go.Scatter(
        x=xs[own], y=ys[own], mode="markers+text", text=texts[own], name=name,
        marker=dict(symbol="square", size=38, color=colour, line=dict(color="white", width=2)),
        textfont=dict(color="white", size=14), hoverinfo="skip", showlegend=False))
    if is_copy.any():
        traces.append(go.Scatter(
            x=xs[is_copy], y=ys[is_copy], mode="markers+text", text=texts[is_copy], name=f"{name} (copies)",
            marker=dict(symbol="square", size=38, color="#ececec", line=dict(color=colour, width=1.5)),
            textfont=dict(color=GREY, size=14), hoverinfo="skip", showlegend=False))
    width = k * c + (k - 1) * 0.6
    return traces, width


CELL_PX = 46   # one cell of the broadcasting picture: a 38 px square and the gap around it


def _shape_text(shape) -> str:
    """(3, 1) as "(3, 1)", a rank-1 (4,) as "(4,)"."""
    shape = tuple(shape)
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def broadcast_figure(A, B, result, op: str, copies_a=None, copies_b=None, *, phone: bool = False,
                     shapes: tuple | None = None) -> go.Figure:
    """A op B = result, each array as a grid of numbered cells. For + and *, pass A and B already stretched
    to the result's shape with masks of the copies: copies are grey cells outlined in the array's colour.
    Rank-1 arrays are drawn as rows; 3-axis arrays as slices side by side.

    shapes: (shape of A, shape of B) as the student typed them. An array drawn stretched is then labelled with
    both, its own shape and the shape it is stretched to, "A (3, 1) → (3, 4)"; without them each label is the
    shape of the array as drawn (which, stretched, is not the array's own shape).

    The three arrays side by side, or with phone=True one under the other (cells are a fixed 38 px, so side by
    side needs about 700 px: on a phone the cells ran into each other and into the + and =)."""
    fig = go.Figure()
    x, y, annotations = 0.0, 0.0, []
    own_a, own_b = shapes if shapes is not None else (np.shape(A), np.shape(B))
    parts = [(A, copies_a, BLUE, "A", own_a), (op, None, None, None, None), (B, copies_b, ORANGE, "B", own_b),
             ("=", None, None, None, None), (result, None, GREEN, "result", np.shape(result))]
    heights, widths = [], []
    top = 1.3
    for item, copies, colour, name, own in parts:
        if isinstance(item, str):
            if phone:   # left of the next array's name
                annotations.append(dict(x=-0.6, y=y + 0.9, text=f"<b>{item}</b>", showarrow=False,
                                        xanchor="right", font=dict(size=22, color=INK)))
            else:
                annotations.append(dict(x=x + 0.4, y=0, text=f"<b>{item}</b>", showarrow=False,
                                        font=dict(size=22, color=INK)))
                x += 1.8 if len(item) > 2 else 1.0
            continue
        traces, width = _grid_traces(item, copies, x, colour, name, y0=y)
        fig.add_traces(traces)
        drawn = _shape_text(np.shape(item))
        shape = drawn if tuple(own) == tuple(np.shape(item)) else f"{_shape_text(own)} → {drawn}"
        # over an array one or two cells wide, "B (1,) → (3, 1)" would run into its neighbours: two lines
        two = "→" in shape and width < 3 and not phone
        label = f"<b>{name}</b> {shape}".replace(" → ", "<br>→ ") if two else f"<b>{name}</b> {shape}"
        annotations.append(dict(x=x + (width - 1) / 2, y=y + 0.9, text=label, showarrow=False,
                                yanchor="bottom" if two else "middle", font=dict(size=14, color=colour)))
        if two:
            top = 2.0
        rows = _as3d(item).shape[1]
        heights.append(rows)
        widths.append(width)
        if phone:
            y -= rows + 1.2
        else:
            x += width + 0.4
    if phone:
        bottom, left, right = y + 0.8, -2.2 if len(op) > 2 else -1.6, max(widths) - 0.4
    else:
        bottom, left, right = -max(heights) + 0.4, -0.8, x
    fig.update_layout(
        annotations=annotations, height=int(CELL_PX * (top - bottom) + 64), width=None,
        margin=TIGHT, plot_bgcolor="white", paper_bgcolor="white", font=FONT,
        xaxis=dict(visible=False, range=[left, right], fixedrange=True, scaleanchor="y"),
        yaxis=dict(visible=False, range=[bottom, top], fixedrange=True), dragmode=False)
    return fig


# ---------------------------------------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------------------------------------
PHONE_ROW_PX = 210   # the height of one activation's row in the phone layout, the gap below it included


def activations_figure(curves: list[dict], z0: float, z_range: tuple[float, float], *,
                       phone: bool = False) -> go.Figure:
    """Each activation with its slope: by default one column per activation, g(z) on top and g'(z) below; with
    phone=True one row per activation, g(z) on the left and g'(z) on the right (five columns side by side are
    60 px each on a phone: their titles run into each other).

    curves: dicts with name, title, z, g, dg (arrays), g0, dg0 (value and slope at z0) and saturated (a list
    of (lo, hi) intervals of z where the activation is flat; band, the word on them). Saturated regions are shaded
    and labelled where the curve is not;
    the tangent at z0 is drawn on g, and the slope is marked on g'.
    """
    n = len(curves)
    if phone:
        cols = 2
        titles = [t for c in curves for t in (c["title"], "its slope")]
        # 60 px between rows: the ticks of one row and the titles of the next
        fig = make_subplots(rows=n, cols=2, vertical_spacing=60 / (PHONE_ROW_PX * n), horizontal_spacing=0.14,
                            subplot_titles=titles)
    else:
        cols = n
        fig = make_subplots(rows=2, cols=n, shared_xaxes=True, vertical_spacing=0.08, horizontal_spacing=0.05,
                            # on two lines: at 1024 px a column is 95 px, and "linear g(z) = z" ran into the next
                            subplot_titles=[c["title"].replace(" ", "<br>", 1) for c in curves] + [""] * n)

    def at(j, k):
        """(row, col) of activation j (from 1): k = 1 for g, 2 for g'."""
        return (j, k) if phone else (k, j)

    def axis(name, row, col):
        """The name of the axis of subplot (row, col) as annotations refer to it: "x", "x2", ... """
        index = (row - 1) * cols + col
        return name if index == 1 else f"{name}{index}"

    lo, hi = z_range
    for j, c in enumerate(curves, start=1):
        fig.add_trace(go.Scatter(x=c["z"], y=c["g"], mode="lines", line=dict(color=BLUE, width=3),
                                 name="g(z)", showlegend=j == 1, legendgroup="g"), *at(j, 1))
        fig.add_trace(go.Scatter(x=c["z"], y=c["dg"], mode="lines", line=dict(color=ORANGE, width=3, dash="dash"),
                                 name="g′(z), the slope", showlegend=j == 1, legendgroup="dg"), *at(j, 2))
        # The tangent at z0: g(z0) + g'(z0)(z − z0), over a short stretch.
        half = 0.12 * (hi - lo)
        tz = np.array([z0 - half, z0 + half])
        fig.add_trace(go.Scatter(x=tz, y=c["g0"] + c["dg0"] * (tz - z0), mode="lines",
                                 line=dict(color=PINK, width=2.5), name="tangent at z", showlegend=j == 1,
                                 legendgroup="t"), *at(j, 1))
        fig.add_trace(go.Scatter(x=[z0], y=[c["g0"]], mode="markers", marker=dict(color=PINK, size=11,
                                 symbol="circle", line=dict(color="white", width=1.5)),
                                 name="value at z", showlegend=False, hovertemplate="g=%{y:.4g}<extra></extra>"),
                      *at(j, 1))
        fig.add_trace(go.Scatter(x=[z0], y=[c["dg0"]], mode="markers", marker=dict(color=PINK, size=11,
                                 symbol="diamond", line=dict(color="white", width=1.5)),
                                 name="slope at z", showlegend=False, hovertemplate="g′=%{y:.4g}<extra></extra>"),
                      *at(j, 2))
        for a, b in c["saturated"]:
            a, b = max(a, lo), min(b, hi)
            if a >= b:
                continue
            for k in (1, 2):
                fig.add_vrect(x0=a, x1=b, fillcolor="#999999", opacity=0.16, line_width=0, row=at(j, k)[0],
                              col=at(j, k)[1])
            row, col = at(j, 1)
            # the word goes where the curve is not: at the bottom of the panel when the curve runs along its top
            # there (sigmoid and tanh for large z), at the top otherwise
            inside = (c["z"] >= a) & (c["z"] <= b)
            g_lo, g_hi = float(np.min(c["g"])), float(np.max(c["g"]))
            high = g_hi > g_lo and float(np.mean(c["g"][inside])) > (g_lo + g_hi) / 2
            # a band at an end of the axis is narrow on a phone: its word starts from that end, inside the panel
            x, side = ((a, "left") if a <= lo else (b, "right") if b >= hi else ((a + b) / 2, "center"))
            fig.add_annotation(x=x, xanchor=side, xshift={"left": 2, "right": -2}.get(side, 0),
                               y=0.0 if high else 1.0, yref=f"{axis('y', row, col)} domain",
                               xref=axis("x", row, col), text=c.get("band", "flat"), showarrow=False,
                               font=dict(size=12, color="#555"), yanchor="bottom" if high else "top")
        for k in (1, 2):
            row, col = at(j, k)
            fig.update_xaxes(range=[lo, hi], gridcolor=LIGHT, zeroline=True, zerolinecolor="#bbb", row=row, col=col,
                             title="z" if (j == n if phone else k == 2) else None)
            fig.update_yaxes(gridcolor=LIGHT, zeroline=True, zerolinecolor="#bbb", row=row, col=col)
    fig.update_yaxes(title="g(z)", row=1, col=1)
    row, col = at(1, 2)
    fig.update_yaxes(title="g′(z)", row=row, col=col)
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True, title_standoff=4)
    if phone:
        fig.update_layout(height=130 + PHONE_ROW_PX * n, margin=margins(50, 10, 90, 40),
                          legend=dict(orientation="h", y=1 + 50 / (PHONE_ROW_PX * n), yanchor="bottom", x=0.5,
                                      xanchor="center"))
    else:
        # The legend at the top of the whole chart, above the two-line column titles: placed in the plot's
        # heights (y = 1.1) it touched them in the projector view, whose text grows more than its height.
        fig.update_layout(height=600, margin=margins(70, 20, 80, 50),
                          legend=dict(orientation="h", yref="container", y=1, yanchor="top", x=0.5,
                                      xanchor="center"))
    fig.update_layout(plot_bgcolor="white", paper_bgcolor="white", font=FONT)
    return fig
