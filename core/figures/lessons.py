"""Plotly pictures for the lessons pages: plain data in, go.Figure out (no streamlit, no math of the lessons).

* graph_figure: a computation graph at one step of its forward or backward pass.
* timing_bars, timing_lines: the loop against np.dot.
* broadcast_figure: the two operands stretched to the result's shape, copies greyed.
* activations_figure: g(z) and g'(z) for each activation, value and slope at a chosen z, saturation shaded.

Colours, font and margins come from core.figures.style; nothing is told apart by colour alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures.style import BLUE, FONT, GREEN, GREY, INK, LIGHT, ORANGE, PINK, TIGHT, VERMILLION, margins
from core.maths.graph import HIDDEN, Graph, Step, _fmt, edge_label

# ---------------------------------------------------------------------------------------------------------
# Computation graph
# ---------------------------------------------------------------------------------------------------------
# Sizes in pixels of the graph's nodes, text and gaps: on a laptop, and on a phone. grad: the derivatives' type;
# row: the height per unit of y; shrink: how much smaller an edge's label may be drawn to fit on its edge.
# min_width: the narrowest the chart is drawn (the laptop's chart from a page of about 560 px, a 1024-px laptop with
# the sidebar open; the phone's on a 360-px phone, 328 px inside the page's margins), at which every text is placed
# clear of every other: wider, things only move apart sideways (the height, and so the y scale, is fixed).
GRAPH_PX = {"node": 74, "node_text": 16, "label": 14, "small": 12, "standoff": 39, "above": 50, "grad": 14,
            "row": 130, "shrink": 2, "min_width": 560}
GRAPH_PHONE_PX = {"node": 52, "node_text": 13, "label": 11, "small": 10, "standoff": 28, "above": 38, "grad": 12,
                  "row": 110, "shrink": 0, "min_width": 328}
GRAPH_MARGIN = 10      # px on each side (TIGHT)
NODE_TEXT_FILL = 0.8   # a node's value is at most this fraction of the node's width (a circle's chord, off centre)
PHONE_LEADER_PX = 90   # on a phone a label further than this from its edge goes in the corner
LINE = 1.3             # plotly's line height, in font sizes
# Widths of characters in font sizes, a little over Arial's (digits 0.556, − × = + 0.584, bold letters up to 0.61):
# an estimate that errs wide.
_CHAR_EM = {**dict.fromkeys(" .,·:;()/|'!-ijlrtf", 0.34), **dict.fromkeys("mwMW", 0.8),
            **dict.fromkeys("0123456789−×=+", 0.59)}


def text_px(line: str, size: float) -> float:
    """About how many pixels wide `line` (plain text, no tags) is at font size `size` (slightly more than Arial)."""
    return size * sum(_CHAR_EM.get(c, 0.62) for c in line)


@dataclass(frozen=True)
class _Frame:
    """Data coordinates to pixels (y up) for a figure drawn `width` × `height` px with GRAPH_MARGIN around."""

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    width: float
    height: float

    @property
    def sx(self) -> float:
        return (self.width - 2 * GRAPH_MARGIN) / (self.x_range[1] - self.x_range[0])

    @property
    def sy(self) -> float:
        return (self.height - 2 * GRAPH_MARGIN) / (self.y_range[1] - self.y_range[0])

    def px(self, x: float, y: float) -> tuple[float, float]:
        return GRAPH_MARGIN + (x - self.x_range[0]) * self.sx, GRAPH_MARGIN + (y - self.y_range[0]) * self.sy

    def data(self, px: float, py: float) -> tuple[float, float]:
        return (self.x_range[0] + (px - GRAPH_MARGIN) / self.sx, self.y_range[0] + (py - GRAPH_MARGIN) / self.sy)


def _box(cx: float, cy: float, w: float, h: float) -> tuple[float, float, float, float]:
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _overlap(a, b, gap: float = 0.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _crosses(p, q, box) -> bool:
    """Whether the segment p–q passes through box (Liang–Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for d, lo, hi, start in ((dx, box[0], box[2], p[0]), (dy, box[1], box[3], p[1])):
        if abs(d) < 1e-12:
            if not lo <= start <= hi:
                return False
            continue
        a, b = (lo - start) / d, (hi - start) / d
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
        if t0 > t1:
            return False
    return True


@dataclass(frozen=True)
class _Label:
    """One way of writing an edge's label: its lines (text, font size, bold) and the box they take, in px."""

    lines: tuple[tuple[str, float, bool], ...]
    size: float            # the annotation's font size (plotly spaces the lines by it)
    pad: float             # borderpad + border

    @property
    def w(self) -> float:
        return max(text_px(t, s) for t, s, _ in self.lines) + 2 * self.pad + 2

    @property
    def h(self) -> float:
        return len(self.lines) * LINE * self.size + 2 * self.pad

    def html(self) -> str:
        def one(t, s, b):
            t = f"<b>{t}</b>" if b else t
            return t if s == self.size else f"<span style='font-size:{s:g}px'>{t}</span>"
        return "<br>".join(one(*line) for line in self.lines)


def _edge_labels(g: Graph, child: str, parent: str, px: dict, *, corner: bool = False) -> list[tuple[_Label, _Label]]:
    """The ways of labelling an edge, most wanted first: (before the backward pass, after it) for each.

    Before: the local derivative, "∂u/∂b = c = 2", long ones over two or three lines; after: the chain-rule product
    in symbols over the numbers, "du · c" over "3 × 2 = 6", or over "3 × 2" and "= 6". corner: a label away from its
    edge, which names the edge ("b → u: du · c")."""
    local_txt, symbols, numbers = edge_label(g, child, parent)
    if corner:
        symbols, local_txt = f"{child} → {parent}: {symbols}", f"{child} → {parent}: {local_txt}"
    size, small, pad = px["label"], px["small"], 3 + 1.5
    parts = local_txt.split(" = ")
    before = [(local_txt,), (" = ".join(parts[:-1]), "= " + parts[-1])]
    if len(parts) > 2:
        before.append((parts[0], "= " + " = ".join(parts[1:-1]), "= " + parts[-1]))
    product, _, result = numbers.rpartition(" = ")
    # the product on one line, then in smaller type (not on a phone: its type is small already), then over two
    # lines ("3 × 2" over "= 6")
    sizes = (size, size - px["shrink"]) if px["shrink"] else (size,)
    after = [_Label(((symbols, small - size + s, False), (numbers, s, True)), s, pad) for s in sizes] + \
        [_Label(((symbols, small - size + s, False), (product, s, True), ("= " + result, s, True)), s, pad)
         for s in sizes]
    # the product kept on one line as long as some way of writing the local derivative fits
    return [(_Label(tuple((t, size - 1, False) for t in b), size - 1, 2), a) for a in after for b in before]


@dataclass(frozen=True)
class _Slot:
    """Where an edge's label goes: its box's centre (data coordinates), the form of the label and, for a label
    away from its edge, the point of the edge its leader line points to."""

    x: float
    y: float
    form: int
    leader: tuple[float, float] | None = None
    corner: bool = False       # away from its edge (a corner, free space): the label names its edge


def _place(frame: _Frame, p0, p1, sizes: list[tuple[float, float]], obstacles: list, edges: list, *,
           middles: list = (), corner: list[tuple[float, float]] | None = None, max_leader: float = math.inf):
    """A place for a label of one of `sizes` (w, h px, most wanted first) for the edge p0 → p1 (px), clear of the
    obstacles (px boxes) and inside the figure.
    middles: boxes around the other edges' middles, where their leader lines may need to reach: no box covers
    them. Tried in this order:

    1. on the edge: the edge runs through the box's middle (its centre, or above or below it), so the label sits on
       it however wide the figure is drawn (the x scale changes with the width, the y scale does not);
    2. above or below the edge's middle, with a vertical leader line to it that crosses no obstacle and is at most
       max_leader long;
    3. given the sizes of the `corner` forms (the label naming its edge), in free space, as near the figure's top
       right corner as can be.

    Boxes and leader lines that keep off the other edges (px segments) come first; then, before the corner, on the
    edge across another edge. Returns (form, box centre px, leader point px or None, in the corner), or None."""
    inside = (2, 2, frame.width - 2, frame.height - 2)
    mid = ((p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2)
    forms = [(k, wh) for k, wh in enumerate(sizes) if wh not in sizes[:k]]      # each size once

    def free(box, keep_off):
        if not (box[0] >= inside[0] and box[1] >= inside[1] and box[2] <= inside[2] and box[3] <= inside[3]):
            return False
        if any(_overlap(box, o, 2) for o in (*obstacles, *middles)):
            return False
        return not (keep_off and any(_crosses(a, b, box) for a, b in edges))

    def on_edge(keep_off):
        for form, (w, h) in forms:
            for t, dy in _ALONG:
                if abs(dy) > h / 2 - 6:
                    continue
                c = (p0[0] + t * (p1[0] - p0[0]), p0[1] + t * (p1[1] - p0[1]) + dy)
                if free(_box(*c, w, h), keep_off):
                    return form, c, None, False
        return None

    def beside(keep_off):
        for form, (w, h) in forms:
            for d in range(int(h / 2) + 14, int(h / 2) + 14 + 200, 7):
                for sign in (1, -1):
                    c = (mid[0], mid[1] + sign * d)
                    box = _box(*c, w, h)
                    start = (mid[0], c[1] - sign * h / 2)
                    if (not free(box, keep_off) or math.dist(start, mid) > max_leader
                            or any(_crosses(start, mid, o) for o in obstacles)
                            or (keep_off and any(_segments_cross(start, mid, a, b) for a, b in edges))):
                        continue
                    return form, c, mid, False
        return None

    def in_corner(_):
        for form, (w, h) in [(k, wh) for k, wh in enumerate(corner) if wh not in corner[:k]]:
            right, top = frame.width - GRAPH_MARGIN - w / 2, frame.height - GRAPH_MARGIN - h / 2
            spots = sorted(((right - i * 12, top - j * 12) for i in range(int((right - w / 2) / 12) + 1)
                            for j in range(int((top - h / 2) / 12) + 1)),
                           key=lambda c: math.dist(c, (right, top)))
            for c in spots:
                if free(_box(*c, w, h), False):
                    return form, c, None, True
        return None

    stages = [(on_edge, True), (beside, True), (on_edge, False)] + ([(in_corner, False)] if corner else []) + \
        [(beside, False)]
    for stage, keep_off in stages:
        found = stage(keep_off)
        if found is not None:
            return found
    return None


# Where a label may sit on its edge: t along it (0.5 its middle), and dy px above or below it; nearest the middle first
_ALONG = sorted(((t / 20, dy) for t in range(4, 17) for dy in range(-40, 41, 5)),
                key=lambda p: (abs(p[0] - 0.5) * 100 + abs(p[1]) / 2, p[1] < 0))


def _segments_cross(p, q, a, b) -> bool:
    """Whether the segments p–q and a–b cross (touching at an end does not count)."""
    def side(u, v, w):
        return (v[0] - u[0]) * (w[1] - u[1]) - (v[1] - u[1]) * (w[0] - u[0])
    d1, d2, d3, d4 = side(a, b, p), side(a, b, q), side(p, q, a), side(p, q, b)
    return d1 * d2 < 0 and d3 * d4 < 0


@dataclass(frozen=True)
class _GraphLayout:
    """Where everything of a graph's picture goes, the same at every step: the axes' ranges, each computed
    node's formula (text, and its y shift in px), each node's derivative (text, y shift) and each edge's slot."""

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    height: int
    formulas: dict[str, tuple[str, int, int]]     # text, y shift, x shift (px)
    grads: dict[str, tuple[str, int]]
    slots: dict[tuple[str, str], _Slot]

    @property
    def y_scale(self) -> float:
        """Pixels per unit of y (the same at any width: the figure's height is fixed)."""
        return (self.height - 2 * GRAPH_MARGIN) / (self.y_range[1] - self.y_range[0])


def _graph_layout(g: Graph, step: Step, px: dict, height: int | None, phone: bool) -> _GraphLayout:
    """Place the formulas, derivatives and edge labels so that none covers another or a node at px["min_width"].

    On a laptop every edge has its own place (for the longer of its two labels), kept at every step; on a phone only
    this step's edges are labelled, each where it fits: on the edge, near it with a leader line, or in a corner."""
    pos = g.positions
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    y_range = (min(ys) - 0.6, max(ys) + 0.6)
    h = height or int(200 + px["row"] * (max(ys) - min(ys)))
    size, node = px["label"], px["node"]
    # the formula over each computed node, on two lines on a phone or when it is twice as wide as a node
    formulas = {}
    for n in g.nodes:
        if n._prev:
            two = " + " in n.formula and (text_px(n.formula, size) > 2 * node or (phone and len(n.formula) > 12))
            text = n.formula.replace(" + ", "<br>+ ", 1) if two else n.formula
            # on a laptop a two-line formula leans right, off the edges that come in from the left
            lean = max(text_px(t, size) for t in text.split("<br>")) / 2 - node / 4 if two and not phone else 0
            formulas[n.name] = (text, px["above"] + (8 if two else 0), int(lean))
    gsize = px["grad"]

    def grad_text(name):
        value = step.grads.get(name, g.by_name[name].grad)
        return f"d{name} = {_fmt(value)}"

    grads = {n: (grad_text(n), -px["above"] - 2) for n in pos}

    def fixed(frame):
        """Boxes (px) of the nodes, formulas and derivatives; and the derivatives' boxes by node."""
        boxes, out = [], {}
        for name, (x, y) in pos.items():
            c = frame.px(x, y)
            # a node, or its value where that is wider ("3.387e−27")
            boxes.append(_box(*c, max(node, text_px(_fmt(g.value(name)), px["node_text"])) + 6, node + 6))
            text, shift = grads[name]
            lines = text.split("<br>")
            out[name] = _box(c[0], c[1] + shift - (len(lines) - 1) * LINE * gsize / 2,
                             max(text_px(t, gsize) for t in lines) + 10, len(lines) * LINE * gsize + 6)
            boxes.append(out[name])
        for name, (text, shift, lean) in formulas.items():
            c = frame.px(*pos[name])
            lines = text.split("<br>")
            boxes.append(_box(c[0] + lean, c[1] + shift, max(text_px(t, size) for t in lines) + 4,
                              len(lines) * LINE * size + 2))
        return boxes, out

    # the x range: the nodes with 0.3 around, more where a text would stick out at min_width (a phone's
    # "dw1 = −0.4502" is wider than its node). Everything stays inside the plot area, not only the figure: plotly
    # clips the nodes' markers at the plot area's edge (GRAPH_MARGIN in), and L's circle, inside the figure but
    # over that edge, was cut in half at 390 px.
    lo, hi = min(xs) - 0.3, max(xs) + 0.3
    edge = GRAPH_MARGIN + 1
    for _ in range(100):
        frame = _Frame((lo, hi), y_range, px["min_width"], h)
        boxes, grad_boxes = fixed(frame)
        left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
        if left >= edge and right <= frame.width - edge:
            break
        lo, hi = lo - 0.02 * (left < edge), hi + 0.02 * (right > frame.width - edge)
    # a derivative that runs into its neighbour's at min_width goes onto two lines ("dz =" over "−0.4502")
    names = list(pos)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if _overlap(grad_boxes[a], grad_boxes[b], 3):
                for name in (a, b):
                    grads[name] = (grads[name][0].replace(" = ", " =<br>"), grads[name][1])
    boxes, grad_boxes = fixed(frame)
    grads = {n: (t, s - int((t.count("<br>")) * LINE * gsize / 2)) for n, (t, s) in grads.items()}
    obstacles = list(boxes)
    segments = {(c.name, p.name): (frame.px(*pos[c.name]), frame.px(*pos[p.name])) for c, p, _, _ in g.edges()}
    slots = {}
    if phone:
        todo = [e for e in step.edges if e[0] == step.active]
    else:           # the shortest edges first: they have the least room
        todo = sorted(segments, key=lambda e: math.dist(*segments[e]))
    for edge in todo:
        p0, p1 = segments[edge]
        others = [s for e, s in segments.items() if e != edge]
        # the middles of the other edges stay uncovered: their labels' leader lines may need to reach them
        middles = [_box((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, 16, 16) for e, (a, b) in segments.items()
                   if e != edge and e not in slots]
        plain, named = _edge_labels(g, *edge, px), _edge_labels(g, *edge, px, corner=True)
        sizes = [(b.w, b.h) if phone else (max(a.w, b.w), max(a.h, b.h)) for a, b in plain]
        # a label away from its edge (in a corner) names it
        away = [(b.w, b.h) if phone else (max(a.w, b.w), max(a.h, b.h)) for a, b in named]
        found = _place(frame, p0, p1, sizes, obstacles, others, middles=middles, corner=away,
                       max_leader=PHONE_LEADER_PX if phone else math.inf)
        if found is None:       # nowhere clear (not for these graphs): on the middle of the edge
            found = (0, ((p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2), None, False)
        form, c, leader, corner = found
        w, hh = (away if corner else sizes)[form]
        obstacles.append(_box(*c, w, hh))
        if leader:          # a vertical line from the box to the edge: no later label covers it
            obstacles.append((leader[0] - 2, min(leader[1], c[1]), leader[0] + 2, max(leader[1], c[1])))
        x, y = frame.data(*c)
        slots[edge] = _Slot(x, y, form, frame.data(*leader) if leader else None, corner)
    return _GraphLayout((lo, hi), y_range, h, formulas, grads, slots)


def graph_figure(g: Graph, step: Step, height: int | None = None, *, phone: bool = False) -> go.Figure:
    """The graph at one step: each node a labelled circle with its value (once known) and, below it, its
    derivative d<name> (once the backward pass has reached it); each edge an arrow from input to output,
    with the local derivative written on it and, in the backward pass, the chain-rule product.

    Trace 0 is the nodes (a scatter with one marker per node, in g.nodes order).

    No text covers another or a node, and none is cut at the figure's edges, from px["min_width"] up: each edge's
    label goes on its edge where it fits, else beside it with a thin leader line to the edge's middle (the labels
    of the short edges z → a → L, 1.3 apart, are wider than the gap between their nodes). phone=True draws it
    smaller (nodes, text, gaps) and labels only the edges of this step: on a phone's 360 px four columns of 74 px
    nodes touched, and a label written on its edge covered a's value, z's and L's; one that fits nowhere near its
    edge goes in the top right corner, naming its edge ("w1 → z: dz · x1"). Long formulas are broken onto two lines.
    """
    px = GRAPH_PHONE_PX if phone else GRAPH_PX
    lay = _graph_layout(g, step, px, height, phone)
    pos = g.positions
    names = [n.name for n in g.nodes]
    fig = go.Figure()
    annotations, shapes = [], []     # gathered, then set at once (add_annotation is slow)
    known = step.values
    # Edges first, so the nodes are drawn over them.
    shown_edges = set(step.edges)
    for child, parent, _, _ in g.edges():
        (x0, y0), (x1, y1) = pos[child.name], pos[parent.name]
        edge = (child.name, parent.name)
        done = edge in shown_edges
        active = done and child.name == step.active
        colour = VERMILLION if done else ("#9db7cc" if parent.name in known else LIGHT)
        annotations.append(dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                                showarrow=True, arrowhead=3, arrowsize=1.1, arrowwidth=4 if active else 2.5,
                                arrowcolor=colour, standoff=px["standoff"], startstandoff=px["standoff"], text=""))
        slot = lay.slots.get(edge)
        if slot is None or (phone and not active) or not (done or parent.name in known):
            continue    # on a phone only the edge of this step is labelled: the others' labels covered the nodes
        before, after = _edge_labels(g, *edge, px, corner=slot.corner)[slot.form]
        label = after if done else before
        if done:
            style = dict(font=dict(size=label.size, color=VERMILLION), bgcolor="rgba(255,255,255,0.94)",
                         bordercolor=VERMILLION if active else "white", borderwidth=1.5 if active else 0, borderpad=3)
        else:
            style = dict(font=dict(size=label.size, color="#4d6f8a"), bgcolor="rgba(255,255,255,0.9)", borderpad=2)
        if slot.leader:     # a thin vertical line from the edge's middle to the label's box (a shape: not an edge)
            up = 1 if slot.y > slot.leader[1] else -1
            end = slot.y - up * (label.h / 2 - 3) / lay.y_scale
            shapes.append(dict(type="line", x0=slot.leader[0], y0=slot.leader[1], x1=slot.leader[0], y1=end,
                               xref="x", yref="y", line=dict(color=style["font"]["color"], width=1.2), layer="below"))
        annotations.append(dict(text=label.html(), xref="x", yref="y", x=slot.x, y=slot.y, showarrow=False, **style))
    # Nodes: one marker each; value inside, formula above, derivative below.
    xs = [pos[n][0] for n in names]
    ys = [pos[n][1] for n in names]
    leaves = {n.name for n in g.nodes if not n._prev}
    fill, line_colour, line_width, inside, sizes = [], [], [], [], []
    for n in g.nodes:
        is_known = n.name in known
        fill.append(("#d7e9f7" if n.name in leaves else "#ffffff") if is_known else "#f2f2f2")
        line_colour.append(PINK if n.name == step.active else (BLUE if is_known else "#bdbdbd"))
        line_width.append(6 if n.name == step.active else 2.5)
        value = _fmt(known[n.name]) if is_known else HIDDEN
        inside.append(f"<b>{n.name}</b><br>{value}")
        # smaller type for a long value, so that it stays inside its node ("6.283e−92" spilled out of a's circle)
        sizes.append(min(px["node_text"], int(NODE_TEXT_FILL * px["node"] / text_px(value, 1))))
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers+text", text=inside, textposition="middle center",
        textfont=dict(size=sizes, color=INK),
        marker=dict(size=px["node"], color=fill, line=dict(color=line_colour, width=line_width),
                    symbol=["square" if n.name in leaves else "circle" for n in g.nodes]),
        hovertext=[n.formula for n in g.nodes], hoverinfo="text", name="nodes", showlegend=False))
    for n in g.nodes:
        x, y = pos[n.name]
        if n.name in lay.formulas:
            text, shift, lean = lay.formulas[n.name]
            annotations.append(dict(x=x, y=y, yshift=shift, xshift=lean, text=text, showarrow=False,
                                    font=dict(size=px["label"], color="#444"), bgcolor="rgba(255,255,255,0.9)"))
        if n.name in step.grads:
            text, shift = lay.grads[n.name]
            annotations.append(dict(x=x, y=y, yshift=shift, showarrow=False,
                                    text="<br>".join(f"<b>{t}</b>" for t in text.split("<br>")),
                                    font=dict(size=px["grad"], color=VERMILLION), bgcolor="#fff3ea", borderpad=3))
    fig.update_layout(
        annotations=annotations, shapes=shapes, height=lay.height, margin=TIGHT,
        plot_bgcolor="white", paper_bgcolor="white", font=FONT, showlegend=False, dragmode=False,
        xaxis=dict(visible=False, range=list(lay.x_range), fixedrange=True),
        yaxis=dict(visible=False, range=list(lay.y_range), fixedrange=True),
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


# A chart's title: lines at most TITLE_WIDTH_PX wide (text_px, which errs wide), in type of at most TITLE_PX, so
# that they fit a 390-px phone's 358-px chart (the page draws one chart for both). Longer titles were cut at the
# chart's edge ("n = 1,000,000: the loop takes 59× as lo", "m = 2,000 examples, n_x = 100: the lo").
TITLE_PX, TITLE_WIDTH_PX = 17, 340


def _title(*lines: str) -> tuple[dict, int]:
    """A layout title of these lines, in type small enough for the longest to fit a phone, and the top margin
    it needs (px)."""
    size = min(TITLE_PX, int(TITLE_WIDTH_PX / max(text_px(line, 1) for line in lines)))
    return (dict(text="<br>".join(lines), x=0.01, xanchor="left", font=dict(size=size)),
            20 + int(LINE * size * len(lines)))


def timing_bars(loop_s: float, vec_s: float, n: int, vec_label: str = "np.dot", *,
                size: str | None = None, estimated: bool = False) -> go.Figure:
    """Two horizontal bars: the loop's time and the vectorised time, each labelled with its time.

    The title starts with `size`, what was timed in the course's names ("n = 1,000,000" by default, for the dot
    product of two arrays of n numbers; "m = 2,000 examples, n_x = 100" for Z = wᵀX + b) and "the loop takes"; the
    ratio goes on a second line, and the type is small enough for the lines to fit a phone (_title).
    `estimated`: the loop was stopped by the time cap and loop_s is its time for all of them estimated from the
    ones it did; the bar, its number and the title say so ("≈ 4.1 s", "would take")."""
    labels = ["Python for-loop (estimated)" if estimated else "Python for-loop", vec_label]
    fig = go.Figure(go.Bar(
        y=labels, x=[loop_s * 1e3, vec_s * 1e3], orientation="h",
        marker=dict(color=[VERMILLION, BLUE], pattern=dict(shape=["/", ""])),
        text=[("≈ " if estimated else "") + _seconds(loop_s), _seconds(vec_s)], textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: %{x:.4g} ms<extra></extra>"))
    title, top = _title(f"{size or f'n = {n:,}'}: the loop " + ("would take about" if estimated else "takes"),
                        f"{loop_s / vec_s:,.0f}× as long")
    fig.update_layout(
        height=180 + top, margin=margins(140, 70, top, 40), plot_bgcolor="white", paper_bgcolor="white",
        font=FONT, title=title,
        xaxis=dict(title="time (ms)", gridcolor=LIGHT, rangemode="tozero"),
        yaxis=dict(autorange="reversed", automargin=True))
    return fig


STOPPED = "loop, stopped at the cap<br>(at least this long)"
PREDICTED = "loop, predicted (not run: over the cap)"


def timing_lines(ns, loop_s, dot_s, status) -> go.Figure:
    """Time against n on log-log axes: the loop (circles) and np.dot (squares).

    status per size, as core.lessons.vectorisation.TimingRow has it: "measured" (the loop ran to the end),
    "stopped" (the time cap stopped the loop partway: its time, measured, is a lower bound: triangles pointing up,
    "at least this long") or "skipped" (not run: its time is predicted from the smaller sizes: hollow circles on a
    dotted line). A stopped size used to be drawn as "predicted (not run)", though it had run.

    The legend sits at the bottom of the chart, in height plotly keeps for it under the x-axis title: placed at a
    fraction of the plot's height below the plot, it ran into that title on a phone."""
    ns, loop_s, dot_s = (np.asarray(v, dtype=float) for v in (ns, loop_s, dot_s))
    status = np.asarray(status)
    measured, stopped, skipped = (status == "measured"), (status == "stopped"), (status == "skipped")
    fig = go.Figure()
    if measured.any():
        fig.add_trace(go.Scatter(x=ns[measured], y=loop_s[measured], mode="lines+markers", name="Python for-loop",
                                 line=dict(color=VERMILLION, width=3), marker=dict(symbol="circle", size=9)))
    if stopped.any():
        fig.add_trace(go.Scatter(x=ns[stopped], y=loop_s[stopped], mode="markers", name=STOPPED,
                                 marker=dict(symbol="triangle-up", size=13, color=VERMILLION),
                                 hovertemplate="n = %{x:,}: stopped at the cap after %{y:.3g} s; the whole loop "
                                               "takes longer<extra></extra>"))
    if skipped.any():
        last = np.flatnonzero(measured)[-1:] if measured.any() else np.array([], dtype=int)
        idx = np.concatenate([last, np.flatnonzero(skipped)])
        fig.add_trace(go.Scatter(x=ns[idx], y=loop_s[idx], mode="lines+markers", name=PREDICTED,
                                 line=dict(color=VERMILLION, width=2, dash="dot"),
                                 marker=dict(symbol="circle-open", size=10)))
    fig.add_trace(go.Scatter(x=ns, y=dot_s, mode="lines+markers", name="np.dot",
                             line=dict(color=BLUE, width=3), marker=dict(symbol="square", size=9)))
    title, top = _title("Time against n", "(both axes logarithmic)")
    fig.update_layout(
        height=400 + top, margin=margins(80, 20, top, 60), plot_bgcolor="white", paper_bgcolor="white",
        font=FONT, title=title,
        xaxis=dict(title="n (numbers multiplied and added)", type="log", gridcolor=LIGHT, automargin=True),
        yaxis=dict(title="time (s)", type="log", gridcolor=LIGHT, exponentformat="power", automargin=True),
        # at the bottom of the whole chart (container), where plotly keeps its height free under the x axis; its
        # rows as many as the width needs
        legend=dict(orientation="h", xref="container", x=0, xanchor="left", yref="container", y=0,
                    yanchor="bottom", font=dict(size=13)))
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
MAX_DRAWN_AXES = 3   # the picture draws an array of up to 3 axes (slices side by side); np.dot of two 3-axis
#                      arrays has 4, (2, 3, 4)·(2, 4, 5) → (2, 3, 2, 5), and is explained without a picture
NOT_DRAWN = (f"No picture: the result has more than {MAX_DRAWN_AXES} axes, and the picture draws at most "
             f"{MAX_DRAWN_AXES}.")


def broadcast_figures(r) -> tuple[go.Figure, go.Figure] | None:
    """The broadcasting picture of one outcome (core.lessons.broadcast.explore's), for a laptop and for a phone:
    the stretched copies for + and *, the operands as they are otherwise. None when numpy refused, or when an
    array has more axes than the picture draws (MAX_DRAWN_AXES; the page then says so with NOT_DRAWN)."""
    if not r.ok or max(np.ndim(r.A), np.ndim(r.B), np.ndim(r.result)) > MAX_DRAWN_AXES:
        return None
    if r.op in ("+", "*"):
        return tuple(broadcast_figure(r.stretched_a, r.stretched_b, r.result, r.op, r.copies_a, r.copies_b,
                                      phone=phone, shapes=(r.shape_a, r.shape_b)) for phone in (False, True))
    return tuple(broadcast_figure(r.A, r.B, r.result, r.op, phone=phone) for phone in (False, True))


def _shape_text(shape) -> str:
    """(3, 1) as "(3, 1)", a rank-1 (4,) as "(4,)"."""
    shape = tuple(shape)
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def broadcast_figure(A, B, result, op: str, copies_a=None, copies_b=None, *, phone: bool = False,
                     shapes: tuple | None = None) -> go.Figure:
    """A op B = result, each array as a grid of numbered cells. For + and *, pass A and B already stretched
    to the result's shape with masks of the copies: copies are grey cells outlined in the array's colour.
    Rank-1 arrays are drawn as rows, as broadcasting uses them; but in a product (np.dot, @) a rank-1 B is used as
    a column, and is drawn as one, labelled "B (3,) as (3, 1)" (drawn as a row, it contradicted the page's "B is
    rank-1, so it is used as a column (3, 1)"). 3-axis arrays are drawn as slices side by side.

    shapes: (shape of A, shape of B) as the student typed them. An array drawn stretched is then labelled with
    both, its own shape and the shape it is stretched to, "A (3, 1) → (3, 4)"; without them each label is the
    shape of the array as drawn (which, stretched, is not the array's own shape).

    The three arrays side by side, or with phone=True one under the other (cells are a fixed 38 px, so side by
    side needs about 700 px: on a phone the cells ran into each other and into the + and =)."""
    fig = go.Figure()
    x, y, annotations = 0.0, 0.0, []
    own_a, own_b = shapes if shapes is not None else (np.shape(A), np.shape(B))
    column = op not in ("+", "*") and np.ndim(B) == 1       # a product's rank-1 B, used as a column
    drawn_b = np.asarray(B).reshape(-1, 1) if column else B
    parts = [(A, copies_a, BLUE, "A", own_a), (op, None, None, None, None), (drawn_b, copies_b, ORANGE, "B", own_b),
             ("=", None, None, None, None), (result, None, GREEN, "result", np.shape(result))]
    heights, widths = [], []
    top, label_right = 1.3, -math.inf
    for item, copies, colour, name, own in parts:
        if isinstance(item, str):
            if phone:   # left of the next array's name
                annotations.append(dict(x=-0.6, y=y + 0.9, text=f"<b>{item}</b>", showarrow=False,
                                        xanchor="right", font=dict(size=22, color=INK)))
            else:       # centred between the last cell before it (at x - 1.4) and the next array's first
                step = 1.8 if len(item) > 2 else 1.0       # (at x + step): at x + 0.4 the "@" touched B's first cell
                annotations.append(dict(x=x + (step - 1.4) / 2, y=0, text=f"<b>{item}</b>", showarrow=False,
                                        font=dict(size=22, color=INK)))
                x += step
            continue
        traces, width = _grid_traces(item, copies, x, colour, name, y0=y)
        fig.add_traces(traces)
        drawn = _shape_text(np.shape(item))
        link = " as " if item is drawn_b and column else " → "     # used as, or stretched to
        shape = drawn if tuple(own) == tuple(np.shape(item)) else f"{_shape_text(own)}{link}{drawn}"
        # over an array one or two cells wide, "B (1,) → (3, 1)" would run into its neighbours: two lines
        two = shape != drawn and width < 3 and not phone
        label = f"<b>{name}</b> {shape}".replace(link, "<br>" + link.lstrip()) if two else f"<b>{name}</b> {shape}"
        place = dict(x=x + (width - 1) / 2)
        if phone and width < 3 and shape != drawn:      # from the array's left edge: the op is left of that
            place = dict(x=x - 0.5, xanchor="left")
            label_right = x - 0.5 + text_px(re.sub("<[^>]+>", "", label), 14) / CELL_PX
        annotations.append(dict(**place, y=y + 0.9, text=label, showarrow=False,
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
        bottom, left, right = y + 0.8, -2.2 if len(op) > 2 else -1.6, max(max(widths) - 0.4, label_right + 0.2)
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
                                 name="value at z", showlegend=False, hovertemplate="g=%{y:.4g}<extra></extra>",
                                 cliponaxis=False),   # whole at the axis's ends (z = ±6: cut in half)
                      *at(j, 1))
        fig.add_trace(go.Scatter(x=[z0], y=[c["dg0"]], mode="markers", marker=dict(color=PINK, size=11,
                                 symbol="diamond", line=dict(color="white", width=1.5)),
                                 name="slope at z", showlegend=False, hovertemplate="g′=%{y:.4g}<extra></extra>",
                                 cliponaxis=False),
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
