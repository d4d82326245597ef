"""Pictures for the Classify page: plain functions, arrays in, go.Figure out (no streamlit).

Class names may come from a user or a file, so every name is HTML-escaped before plotly sees it
(plotly renders a few tags such as <a href> and <b> in titles, ticks and hover text).
"""

import html

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from core.figures.style import BLUE, GREEN, ORANGE, margins

# Colours from core.figures.style; every series also differs by dash or marker, never by colour alone.
SERIES = [(BLUE, "solid", "circle"), (ORANGE, "dash", "square"), (GREEN, "dot", "diamond")]
GRAY = [[0.0, "black"], [1.0, "white"]]
# Diverging, colour-blind safe (ColorBrewer PuOr): orange = negative weights, purple = positive ones.
DIVERGING = "PuOr"
SEQUENTIAL = "Blues"


def safe(text):
    """A user's text made inert for plotly's HTML-like labels."""
    return html.escape(str(text), quote=True)


def _white():
    """plotly_white for the trace types these figures draw (heatmap, scatter, bar; an image has no defaults): its
    layout and those traces' defaults, so they look exactly as under plotly_white. Named by its name, the template is
    copied and checked whole (defaults for 24 trace types), about 8 ms a figure against 3.4 here, and a zoom move on a
    photo rebuilds six to eight of these figures."""
    white = pio.templates["plotly_white"]
    return go.layout.Template(layout=white.layout, data={kind: white.data[kind] for kind in TRACE_KINDS})


TRACE_KINDS = ("heatmap", "scatter", "bar")
WHITE = _white()


def _layout(fig, height, title=None, tight=False, **kwargs):
    """Common layout; an explicit template, so the look does not depend on whoever imported streamlit."""
    margin = margins(10, 10, 50 if title else 30, 10) if tight else margins(70, 20, 60, 60)
    fig.update_layout(template=WHITE, height=height, margin=margin,
                      title=dict(text=title, x=0.5, xanchor="center") if title else None, **kwargs)
    return fig


def mosaic(imgs, cols, gap=1, fill=255):
    """Tile images of shape (k, h, w) or (k, h, w, 3) into one picture with `gap` pixels between them.

    Returns
    -------
    ndarray of shape (rows*(h+gap)-gap, cols*(w+gap)-gap[, 3]), same dtype as imgs.
    """
    imgs = np.asarray(imgs)
    k, h, w = imgs.shape[:3]
    rows = max(1, -(-k // cols))
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap, *imgs.shape[3:]), fill, dtype=imgs.dtype)
    for i in range(k):
        r, c = divmod(i, cols)
        out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = imgs[i]
    return out


def _picture(z, showscale=False, colorscale=GRAY, zmin=0, zmax=255, **kwargs):
    """A grayscale (2-D) or colour (3-D) uint8 array as a trace."""
    if z.ndim == 3:
        return go.Image(z=z, hoverinfo="skip")
    return go.Heatmap(z=z, colorscale=colorscale, zmin=zmin, zmax=zmax, showscale=showscale, **kwargs)


def _picture_axes(fig, row=None, col=None):
    kw = {} if row is None else dict(row=row, col=col)
    fig.update_xaxes(visible=False, constrain="domain", **kw)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x" if row is None else None, **kw)


def sample_grid(groups, per_class=16, cols=8, labels=None, unit="images"):
    """A grid of sample images for each class, one row of panels per class.

    Parameters
    ----------
    groups : list of (str, ndarray of shape (k, h, w) or (k, h, w, 3), uint8)
        Class name and its images; the first `per_class` are shown.
    labels : sequence of int or None
        The label y of each group, shown in its title ("face, y = 1 (80 images)"), so that the order the
        classes are drawn in never has to be guessed; None: names only.
    unit : str
        What the examples are called in the titles ("images", "photos"); a class without any says "no photos yet".

    Returns
    -------
    go.Figure with one trace per class (Heatmap for grayscale, Image for colour).
    """
    ys = [""] * len(groups) if labels is None else [f", y = {int(y)}" for y in labels]
    titles = [f"{safe(name)}{y} ({len(imgs)} {unit})" if len(imgs) else f"{safe(name)}{y}: no {unit} yet"
              for (name, imgs), y in zip(groups, ys, strict=True)]
    fig = make_subplots(rows=len(groups), cols=1, subplot_titles=titles, vertical_spacing=0.08)
    for i, (_, imgs) in enumerate(groups, start=1):
        tiles = mosaic(np.asarray(imgs)[:per_class], cols)
        fig.add_trace(_picture(tiles, hoverinfo="skip"), row=i, col=1)
        fig.update_xaxes(visible=False, scaleanchor=f"y{'' if i == 1 else i}", row=i, col=1)
        fig.update_yaxes(visible=False, autorange="reversed", row=i, col=1)
    return _layout(fig, 170 * len(groups) + 40, tight=True)


def pixels_figure(arr, title=None, height=260):
    """One small image, pixel by pixel (as the neuron sees it), with the value of each pixel on hover."""
    arr = np.asarray(arr)
    extra = {} if arr.ndim == 3 else dict(hovertemplate="row %{y}, column %{x}<br>value %{z}<extra></extra>")
    fig = go.Figure(_picture(arr, **extra))
    _picture_axes(fig)
    return _layout(fig, height, title, tight=True)


def preprocess_figure(resized, scaled):
    """Step 2 and step 4 of the preprocessing, side by side.

    resized : uint8 ndarray (num_px, num_px) or (num_px, num_px, 3)   the image after resizing
    scaled : float ndarray (n_x, 1) in [0, 1]                         x = flattened / 255

    Returns a figure with two traces: [0] the resized image, [1] x drawn as a tall column, top = x[0].
    """
    n_x = scaled.shape[0]
    # 12 % of the width between the panels, room for the column's tick numbers (its index in x): with an axis title
    # as well, at 900 px "index in x" lay over the picture
    fig = make_subplots(rows=1, cols=2, column_widths=[0.75, 0.25], horizontal_spacing=0.12,
                        # two lines each: the column's panel is a quarter of the width, and one-line titles ran
                        # into each other on a chart under about 600 px (a phone, a projector beside the sidebar)
                        # the column's title short: on a phone its panel is 70 px wide
                        subplot_titles=("resized to<br>num_px × num_px", f"x, shape<br>({n_x}, 1)"))
    fig.add_trace(_picture(np.asarray(resized), hovertemplate="row %{y}, column %{x}<br>%{z}<extra></extra>"),
                  row=1, col=1)
    fig.add_trace(go.Heatmap(z=scaled, colorscale=GRAY, zmin=0, zmax=1, showscale=True,
                             colorbar=dict(title="value", len=0.8),
                             hovertemplate="x[%{y}] = %{z:.3f}<extra></extra>"), row=1, col=2)
    fig.update_xaxes(visible=False, constrain="domain", row=1, col=1)
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", row=1, col=1)
    fig.update_xaxes(visible=False, row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=2)     # the tick numbers are indices into x; hover says x[i]
    # a phone: the picture has no axis to make room for on its left, and on a 360-px phone (a 328-px chart) the
    # titles "num_px × num_px" and "(625, 1)" touched
    return _layout(fig, 320, meta={"narrow": {"narrow_px": PREPROCESS_NARROW_PX, "layout": {"margin.l": 10}}})


PREPROCESS_NARROW_PX = 420


def cost_curve(cost, title="Cost J while training"):
    """J against the iteration number (step 0 = before any update)."""
    cost = np.asarray(cost, dtype=float)
    fig = go.Figure(go.Scatter(x=np.arange(cost.size), y=cost, mode="lines", name="J",
                               line=dict(color=BLUE, width=2.5),
                               hovertemplate="iteration %{x}<br>J = %{y:.4f}<extra></extra>"))
    fig.update_xaxes(title="iteration", gridcolor="#eee")
    fig.update_yaxes(title="cost J", gridcolor="#eee", rangemode="tozero")
    return _layout(fig, 300, title, showlegend=False)


def learning_rate_chart(runs):
    """Cost curves of several learning rates on one chart (the course's comparison).

    runs : list of (alpha, cost ndarray, train_accuracy, test_accuracy or None)
    """
    fig = go.Figure()
    top = 1.3 * max(float(np.asarray(c, dtype=float)[0]) for _, c, _, _ in runs)  # J at the start, plus room
    for (alpha, cost, train_acc, test_acc), (colour, dash, symbol) in zip(runs, SERIES * 3, strict=False):
        cost = np.asarray(cost, dtype=float)
        label = f"α = {alpha:g} (train {train_acc:.1%}" + ("" if test_acc is None else f", test {test_acc:.1%}") + ")"
        if cost.max() > top:
            label += "<br>J jumps above the chart"      # a line of its own: one line was wider than a phone
        fig.add_trace(go.Scatter(x=np.arange(cost.size), y=cost, mode="lines+markers", name=label,
                                 line=dict(color=colour, dash=dash, width=2.5),
                                 marker=dict(symbol=symbol, size=8, maxdisplayed=12),
                                 hovertemplate=f"α = {alpha:g}<br>iteration %{{x}}<br>J = %{{y:.4f}}<extra></extra>"))
    fig.update_xaxes(title="iteration", gridcolor="#eee")
    fig.update_yaxes(title="cost J", gridcolor="#eee", range=[0, top])
    # The legend under the chart, one rate per line: inside the plot its long labels hid the curves and, on a
    # phone, ran past the chart's left edge.
    lines = sum(1 + trace.name.count("<br>") for trace in fig.data)
    fig = _layout(fig, 360 + 22 * lines, "Three learning rates, same data",
                  legend=dict(yref="container", y=0, yanchor="bottom", x=0, xanchor="left",
                              font=dict(size=12)))
    return fig.update_layout(margin=dict(b=60 + 22 * lines))


def share(count, total):
    """count / total as a whole percentage, except that a nonzero count never reads 0% ("<1%") and a count
    short of the total never reads 100% (">99%")."""
    if 0 < count and count / total < 0.005:
        return "<1%"
    if count < total and count / total >= 0.995:
        return ">99%"
    return f"{count / total:.0%}"


def confusion_figure(cm, class_names, title="Confusion matrix", unit="images"):
    """A 2×2 heatmap of counts: rows = true class, columns = predicted class, each cell labelled with its count
    and its share of all; unit: what the examples are called in the hover ("images", "photos")."""
    cm = np.asarray(cm)
    names = [safe(n) for n in class_names]
    total = max(int(cm.sum()), 1)
    text = [[f"{cm[i, j]}<br>({share(int(cm[i, j]), total)})" for j in (0, 1)] for i in (0, 1)]
    # Labels and title on two lines each, never turned: the matrix keeps its room in a narrow column (half of a
    # 1024 px projector with the sidebar open), where one-line labels took it all and were turned on end.
    fig = go.Figure(go.Heatmap(
        z=cm, x=[f"predicted<br>{n}" for n in names], y=[f"true<br>{n}" for n in names],
        text=text, texttemplate="%{text}", textfont=dict(size=16), colorscale=SEQUENTIAL, zmin=0,
        showscale=False, xgap=2, ygap=2,
        hovertemplate=f"%{{y}}, %{{x}}: %{{z}} {unit}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=0, side="bottom")
    title = title.replace(" (", "<br>(", 1) if title else title
    return _layout(fig, 300, title).update_layout(margin=dict(t=72 if title and "<br>" in title else 50))


def weights_figure(weights_image, class_names):
    """The learned w reshaped into the image it reads: "what the neuron looks for".

    weights_image : ndarray (num_px, num_px) or (num_px, num_px, 3)
    Purple pixels push a towards 1, class_names[1] (w > 0), orange ones towards 0, class_names[0] (w < 0); white
    ones do not matter. The colour bar names both ends with their class and label y.
    The scale is symmetric around 0. Colour weights get one panel per channel (red, green, blue).
    """
    W = np.asarray(weights_image, dtype=float)
    panels = [W] if W.ndim == 2 else [W[:, :, c] for c in range(3)]
    titles = [""] if W.ndim == 2 else [f"{c} channel" for c in CHANNELS]
    limit = float(np.max(np.abs(W))) or 1.0
    neg, pos = safe(class_names[0]), safe(class_names[1])
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=titles, horizontal_spacing=0.03)
    for c, panel in enumerate(panels, start=1):
        fig.add_trace(go.Heatmap(
            z=panel, colorscale=DIVERGING, zmid=0, zmin=-limit, zmax=limit, showscale=(c == len(panels)),
            colorbar=dict(title=dict(text="w"), tickvals=[-limit, 0, limit],
                          ticktext=[f"{-limit:.2g}<br>→ {neg} (y = 0)", "0", f"{limit:.2g}<br>→ {pos} (y = 1)"]),
            hovertemplate="row %{y}, column %{x}<br>w = %{z:.3f}<extra></extra>"), row=1, col=c)
        fig.update_xaxes(visible=False, constrain="domain", row=1, col=c)
        fig.update_yaxes(visible=False, autorange="reversed", scaleanchor=f"x{'' if c == 1 else c}",
                         row=1, col=c)
    # a phone: three panels of about 80 px beside the colour bar, where "green channel" ran into its neighbours
    narrow = ({} if W.ndim == 2 else
              {"meta": {"narrow": {"narrow_px": WEIGHTS_NARROW_PX,
                                   "layout": {f"annotations[{k}].text": c for k, c in enumerate(CHANNELS)}}}})
    return _layout(fig, 340 if len(panels) == 1 else 280, "What the neuron looks for: w as an image", tight=True,
                   **narrow)


CHANNELS = ("red", "green", "blue")
WEIGHTS_NARROW_PX = 560   # a chart narrower than this (a phone) names its panels by their colour alone


def probability_figure(probability, class_names):
    """A bar from 0 to 1 with a = P(class 1), the 0.5 threshold marked; text says the number."""
    neg, pos = safe(class_names[0]), safe(class_names[1])
    p = float(probability)
    fig = go.Figure(go.Bar(x=[p], y=[""], orientation="h", marker=dict(color=BLUE if p > 0.5 else ORANGE,
                                                                          pattern_shape="" if p > 0.5 else "/"),
                           text=[f"a = {p:.3f}"], textposition="outside", hoverinfo="skip"))
    fig.add_vline(x=0.5, line=dict(color="black", dash="dash"))
    # the label above the plot, over its line: beside the line's top it sat on a bar past 0.5
    fig.add_annotation(x=0.5, y=1, xref="x", yref="paper", yanchor="bottom", text="threshold 0.5",
                       showarrow=False)
    fig.update_xaxes(range=[0, 1.08], title=f"0 = {neg}   ·   probability of {pos}   ·   1 = {pos}",
                     tickvals=[0, 0.25, 0.5, 0.75, 1])
    fig.update_yaxes(visible=False)
    return _layout(fig, 170, showlegend=False)
