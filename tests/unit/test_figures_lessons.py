"""Figure builders of the lessons pages, checked without Streamlit: traces, labels, shapes, axes."""

import re

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from core.figures.lessons import (
    CELL_PX,
    MAX_DRAWN_AXES,
    NOT_DRAWN,
    activations_figure,
    broadcast_figure,
    broadcast_figures,
    graph_figure,
    timing_bars,
    timing_lines,
)
from core.lessons.activation_facts import curves, saturated_regions, saturation_threshold, value_and_slope
from core.lessons.broadcast import explore
from core.maths.activations import ACTIVATIONS
from core.maths.graph import backward_steps, edge_label, forward_steps, logistic_example, three_a_plus_bc


def texts(fig):
    return [a.text for a in fig.layout.annotations]


def test_graph_at_the_start_shows_only_the_inputs():
    g = three_a_plus_bc()
    fig = graph_figure(g, forward_steps(g)[0])
    nodes = fig.data[0]
    assert isinstance(nodes, go.Scatter) and len(fig.data) == 1
    assert list(nodes.text) == ["<b>a</b><br>5", "<b>b</b><br>3", "<b>c</b><br>2", "<b>u</b><br>?",
                                "<b>v</b><br>?", "<b>J</b><br>?"]
    assert list(nodes.marker.symbol) == ["square"] * 3 + ["circle"] * 3
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert len(arrows) == 5                                    # b→u, c→u, a→v, u→v, v→J
    assert not any("d" in t and "=" in t for t in texts(fig) if t and t.startswith("<b>d"))


def test_graph_at_the_end_of_the_backward_pass_writes_every_product():
    g = three_a_plus_bc()
    fig = graph_figure(g, backward_steps(g)[-1])
    all_text = " ".join(t for t in texts(fig) if t)
    for product in ("3 × 2 = 6", "3 × 3 = 9", "3 × 1 = 3", "1 × 3 = 3"):
        assert product in all_text
    for grad in ("da = 3", "db = 6", "dc = 9", "du = 3", "dv = 3", "dJ = 1"):
        assert f"<b>{grad}</b>" in texts(fig)
    assert [t.split("<br>")[1] for t in fig.data[0].text] == ["5", "3", "2", "6", "11", "33"]
    assert fig.layout.xaxis.visible is False and fig.layout.height > 300


def test_the_active_node_is_ringed():
    g = three_a_plus_bc()
    fig = graph_figure(g, forward_steps(g)[1])                  # computing u
    widths = list(fig.data[0].marker.line.width)
    assert widths[3] > max(widths[:3] + widths[4:])


def test_logistic_graph_has_every_edge():
    g = logistic_example()
    fig = graph_figure(g, backward_steps(g)[-1])
    assert len([a for a in fig.layout.annotations if a.showarrow]) == 7
    assert "<b>dz = −0.4502</b>" in texts(fig)


def test_timing_bars_label_both_times():
    fig = timing_bars(0.25, 0.0005, 1_000_000)
    bar = fig.data[0]
    assert isinstance(bar, go.Bar) and list(bar.y) == ["Python for-loop", "np.dot"]
    assert list(bar.text) == ["250.0 ms", "500.0 µs"]
    assert "500×" in fig.layout.title.text and fig.layout.xaxis.title.text == "time (ms)"


def test_an_estimated_loop_time_is_marked_on_its_bar():
    """The cap stopped the Z loop and its time for all m was extrapolated: the bar read "4.1 s" under "the loop
    takes", as if measured (only a caption below said so)."""
    fig = timing_bars(4.1, 0.002, 20_000, vec_label="w.T @ X + b", size="m = 20,000 examples, n_x = 1,000",
                      estimated=True)
    bar = fig.data[0]
    assert list(bar.y)[0] == "Python for-loop (estimated)" and bar.text[0].startswith("≈ ")
    assert "the loop would take about" in fig.layout.title.text.replace("<br>", " ")
    plain = timing_bars(4.1, 0.002, 20_000)
    assert list(plain.data[0].y)[0] == "Python for-loop" and not plain.data[0].text[0].startswith("≈")


def test_timing_bars_name_what_was_timed_in_the_course_s_names():
    """The Z = wᵀX + b chart was titled "n = 2,000: ..." for m = 2,000 examples of n_x = 100 features."""
    fig = timing_bars(0.0416, 0.0000266, 2000, vec_label="w.T @ X + b", size="m = 2,000 examples, n_x = 100")
    title = fig.layout.title.text.replace("<br>", " ")          # the title is on lines that fit a phone
    assert title.startswith("m = 2,000 examples, n_x = 100: the loop takes")
    assert "n = 2,000" not in title
    assert timing_bars(0.25, 0.0005, 1_000_000).layout.title.text.replace("<br>", " ").startswith("n = 1,000,000: ")


def test_timing_lines_are_log_log_with_predictions_dotted():
    fig = timing_lines([1000, 10_000, 100_000], [1e-4, 1e-3, 1e-2], [1e-6, 2e-6, 1e-5],
                       ["measured", "measured", "skipped"])
    names = [t.name for t in fig.data]
    assert names == ["Python for-loop", "loop, predicted (not run: over the cap)", "np.dot"]
    assert fig.data[1].line.dash == "dot" and list(fig.data[1].x) == [10_000, 100_000]
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text.startswith("n")


def test_broadcast_picture_greys_the_copies():
    r = explore((3, 1), (4,), "+")
    fig = broadcast_figure(r.stretched_a, r.stretched_b, r.result, "+", r.copies_a, r.copies_b)
    by_name = {t.name: t for t in fig.data}
    assert len(by_name["A"].x) == 3 and len(by_name["A (copies)"].x) == 9
    assert len(by_name["B"].x) == 4 and len(by_name["B (copies)"].x) == 8
    assert len(by_name["result"].x) == 12 and "result (copies)" not in by_name
    assert list(by_name["A"].text) == ["1", "2", "3"] and by_name["A (copies)"].marker.color == "#ececec"
    assert "<b>result</b> (3, 4)" in texts(fig)


def test_broadcast_labels_give_the_shape_typed_and_the_shape_stretched_to():
    """A typed as (3, 1) was labelled "A (3, 4)": the shape after broadcasting, not the one typed."""
    r = explore((3, 1), (4,), "+")
    for phone in (False, True):
        fig = broadcast_figure(r.stretched_a, r.stretched_b, r.result, "+", r.copies_a, r.copies_b, phone=phone,
                               shapes=(r.shape_a, r.shape_b))
        assert {"<b>A</b> (3, 1) → (3, 4)", "<b>B</b> (4,) → (3, 4)", "<b>result</b> (3, 4)"} <= set(texts(fig))
    # an array that is not stretched keeps one shape; one a cell wide puts the arrow on a second line
    r = explore((3, 1), (1,), "*")
    fig = broadcast_figure(r.stretched_a, r.stretched_b, r.result, "*", r.copies_a, r.copies_b,
                           shapes=(r.shape_a, r.shape_b))
    assert {"<b>A</b> (3, 1)", "<b>B</b> (1,)<br>→ (3, 1)"} <= set(texts(fig))
    assert fig.layout.yaxis.range[1] > 1.3                          # room above for the two lines
    r = explore((2, 3), (3, 2), "@")
    assert {"<b>A</b> (2, 3)", "<b>B</b> (3, 2)"} <= set(texts(broadcast_figure(r.A, r.B, r.result, "@")))


def test_broadcast_picture_of_a_3d_product():
    r = explore((2, 2, 3), (3, 2), "@")
    fig = broadcast_figure(r.A, r.B, r.result, "@")
    assert [len(t.x) for t in fig.data] == [12, 6, 8]


def test_activation_facts_doctests():
    import doctest

    import core.lessons.activation_facts
    assert doctest.testmod(core.lessons.activation_facts).failed == 0


def test_activation_facts():
    t, slope = saturation_threshold("sigmoid")
    assert abs(ACTIVATIONS["sigmoid"].der(t) - slope) < 1e-12 and abs(t - 4.3566) < 1e-3
    t, slope = saturation_threshold("tanh")
    assert abs(ACTIVATIONS["tanh"].der(t) - slope) < 1e-12
    assert saturated_regions("relu") == [(-np.inf, 0.0)] and saturated_regions("linear") == []
    assert value_and_slope("sigmoid", 0.0) == (0.5, 0.25)
    assert value_and_slope("relu", -1.0) == (0.0, 0.0)


def test_activations_figure():
    names = list(ACTIVATIONS)
    fig = activations_figure(curves(names, 1.0), 1.0, (-6.0, 6.0))
    g_curves = [t for t in fig.data if t.name == "g(z)"]
    assert len(g_curves) == 5 and len(g_curves[0].x) == 301        # leaky ReLU added (issue 12)
    slopes = [t for t in fig.data if t.name == "slope at z"]
    assert [round(float(t.y[0]), 6) for t in slopes] == [
        round(float(ACTIVATIONS[n].der(1.0)), 6) for n in names]
    shaded = [s for s in fig.layout.shapes if s.type == "rect"]
    # sigmoid and tanh: two tails; ReLU and leaky ReLU: z < 0 (leaky's slope 0.01 is below 5% of 1); both rows
    assert len(shaded) == 2 * (2 + 2 + 1 + 1)
    assert fig.layout.xaxis6.title.text == "z"                    # first column of the second row, 5 columns
    # the marks at z are drawn whole at the axis's ends (at z = 6 they were cut in half by the plot's edge)
    assert all(t.cliponaxis is False for t in fig.data if t.name in ("value at z", "slope at z"))


def test_leaky_relu_by_hand_and_by_finite_differences():
    g = ACTIVATIONS["leaky_relu"]
    Z = np.array([-3.0, -0.5, 0.0, 0.5, 2.0])
    assert g.fn(Z).tolist() == [-0.03, -0.005, 0.0, 0.5, 2.0]                # max(0.01 z, z)
    assert g.der(Z).tolist() == [0.01, 0.01, 0.01, 1.0, 1.0]                  # 0.01 at the kink, as chosen
    away = np.array([-3.0, -0.5, 0.5, 2.0])                                  # finite differences off the kink
    h = 1e-6
    assert np.allclose(g.der(away), (g.fn(away + h) - g.fn(away - h)) / (2 * h), atol=1e-8)
    assert np.all(g.der2(Z) == 0)
    assert value_and_slope("leaky_relu", -2.0) == (-0.02, 0.01)
    assert saturated_regions("leaky_relu") == [(-np.inf, 0.0)]
    fig = activations_figure(curves(["leaky_relu"], -2.0), -2.0, (-6.0, 6.0))
    assert [float(t.y[0]) for t in fig.data if t.name == "slope at z"] == [0.01]


def test_activations_phone_layout_has_one_row_per_activation():
    names = list(ACTIVATIONS)
    wide = activations_figure(curves(names, 1.0), 1.0, (-6.0, 6.0))
    phone = activations_figure(curves(names, 1.0), 1.0, (-6.0, 6.0), phone=True)
    # the same traces, shapes and slopes, laid out 5 rows × 2 columns instead of 2 rows × 5 columns
    assert [t.name for t in phone.data] == [t.name for t in wide.data]
    assert [list(t.y) for t in phone.data] == [list(t.y) for t in wide.data]
    assert len(phone.layout.shapes) == len(wide.layout.shapes)
    g = [t for t in phone.data if t.name == "g(z)"]
    dg = [t for t in phone.data if t.name == "g′(z), the slope"]
    # g in the left column, g' in the right one, one activation per row: axes x1, x3, x5... and x2, x4, x6...
    assert [t.xaxis for t in g] == ["x", "x3", "x5", "x7", "x9"]
    assert [t.xaxis for t in dg] == ["x2", "x4", "x6", "x8", "x10"]
    assert phone.layout.xaxis9.title.text == "z" and phone.layout.xaxis.title.text is None
    flat = [a for a in phone.layout.annotations if a.text == "flat"]
    assert {a.xref for a in flat} == {"x", "x3", "x5"}                  # sigmoid, tanh, ReLU
    assert [a.xref for a in phone.layout.annotations if a.text == "slow"] == ["x9"]     # leaky ReLU still learns


def test_the_band_words_sit_where_the_curve_is_not():
    """On a phone the sigmoid's right "flat" touched its curve (g near 1 at the top of the panel): a band's word is
    at the bottom of the panel where the curve runs along its top, and at the top where it runs along its bottom."""
    names = list(ACTIVATIONS)
    for phone in (False, True):
        fig = activations_figure(curves(names, 1.0), 1.0, (-6.0, 6.0), phone=phone)
        words = [a for a in fig.layout.annotations if a.text in ("flat", "slow")]
        assert len(words) == 6                                          # two tails each for sigmoid and tanh
        for a in words:
            g = next(t for t in fig.data if t.name == "g(z)" and t.xaxis == a.xref)
            z, y = np.asarray(g.x), np.asarray(g.y)
            near = np.abs(z - a.x) <= 1.0                               # under the word
            # the curve's place in its panel, 0 at the bottom and 1 at the top
            place = (y[near] - y.min()) / (y.max() - y.min())
            # a word on a band at an end of the axis starts from that end, inside the panel (the bands are 1.6 wide
            # for sigmoid: on a phone "flat" ran out of the panel)
            assert a.xanchor == {-6.0: "left", 6.0: "right"}.get(a.x, "center"), (a.xref, a.x)
            if a.y == 0.0:
                assert a.yanchor == "bottom" and place.min() > 0.6, (a.xref, a.x)
            else:
                assert a.y == 1.0 and a.yanchor == "top" and place.max() < 0.4, (a.xref, a.x)


def test_broadcast_phone_layout_stacks_the_arrays():
    r = explore((3, 1), (4,), "+")
    args = (r.stretched_a, r.stretched_b, r.result, "+", r.copies_a, r.copies_b)
    wide, phone = broadcast_figure(*args), broadcast_figure(*args, phone=True)
    by_name = {t.name: t for t in phone.data}
    # the same cells and numbers, one array under the other: every cell of B below every cell of A, and so on
    assert sorted(t.name for t in phone.data) == sorted(t.name for t in wide.data)
    assert list(by_name["result"].text) == list({t.name: t for t in wide.data}["result"].text)
    assert max(by_name["B"].y) < min(by_name["A (copies)"].y)
    assert max(by_name["result"].y) < min(by_name["B (copies)"].y)
    assert min(by_name["A"].x) == min(by_name["B"].x) == min(by_name["result"].x) == 0
    assert {"<b>+</b>", "<b>=</b>"} <= set(texts(phone))
    assert phone.layout.height > wide.layout.height


def test_graph_phone_layout_labels_only_this_steps_edges():
    g = logistic_example()
    steps = forward_steps(g) + backward_steps(g)
    step = steps[-1]
    wide, phone = graph_figure(g, step), graph_figure(g, step, phone=True)
    assert list(phone.data[0].text) == list(wide.data[0].text)                # the same nodes and values
    assert phone.data[0].marker.size < wide.data[0].marker.size
    labelled = [a for a in phone.layout.annotations if not a.showarrow and a.text and "<br>" in a.text
                and "span" in a.text]
    assert 1 <= len(labelled) < len([a for a in wide.layout.annotations if a.text and "span" in a.text])
    assert "z = w1·x1<br>+ w2·x2 + b" in texts(phone)                           # a long formula on two lines


# ---------------------------------------------------------------------------------------------------------
# Text that fits: checked in pixels, with text about as wide as Arial draws it (0.56 of the font size a character,
# 0.28 for spaces and dots), at the widths the page draws each chart
# ---------------------------------------------------------------------------------------------------------
def _lines(text, size):
    """(plain text, font size) of each line of an annotation's HTML."""
    out = []
    for line in text.split("<br>"):
        sized = re.search(r"font-size:\s*([\d.]+)px", line)
        out.append((re.sub(r"<[^>]+>", "", line), float(sized.group(1)) if sized else size))
    return out


def _width(line, size):
    return size * sum(0.28 if c in " .,·:()/" else 0.56 for c in line)


def _graph_boxes(fig, width):
    """Pixel boxes (x0, y0, x1, y1; y up) of a graph figure's nodes and texts when drawn `width` px wide."""
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    m, h = fig.layout.margin, fig.layout.height
    sx, sy = (width - m.l - m.r) / (x1 - x0), (h - m.t - m.b) / (y1 - y0)

    def px(x, y):
        return m.l + (x - x0) * sx, m.b + (y - y0) * sy

    nodes = fig.data[0]
    half = nodes.marker.size / 2
    boxes = []
    sizes = nodes.textfont.size        # one per node (a long value is set smaller), or one for all
    sizes = sizes if isinstance(sizes, (list, tuple)) else [sizes] * len(nodes.text)
    for t, x, y, size in zip(nodes.text, nodes.x, nodes.y, sizes, strict=True):   # a node, or its wider value
        cx, cy = px(x, y)
        w = max(half, max(_width(line, size) for line, _ in _lines(t, 0)) / 2)
        boxes.append(("node " + t, (cx - w, cy - half, cx + w, cy + half)))
    for a in fig.layout.annotations:
        if not a.text:
            continue                                                # an edge's arrow
        size = a.font.size
        lines = _lines(a.text, size)
        w = max(_width(t, s) for t, s in lines) + 2 * ((a.borderpad or 1) + (a.borderwidth or 0))
        hh = len(lines) * 1.3 * size + 2 * ((a.borderpad or 1) + (a.borderwidth or 0))
        cx, cy = px(a.x, a.y)
        cx, cy = cx + (a.xshift or 0), cy + (a.yshift or 0)
        cx += {"left": w / 2, "right": -w / 2}.get(a.xanchor, 0)
        cy += {"bottom": hh / 2, "top": -hh / 2}.get(a.yanchor, 0)
        boxes.append((re.sub(r"<[^>]+>", " ", a.text), (cx - w / 2, cy - hh / 2, cx + w / 2, cy + hh / 2)))
    return boxes


def _clashes(boxes, width, height):
    out = [f"{t!r} sticks out" for t, b in boxes if b[0] < 0 or b[1] < 0 or b[2] > width or b[3] > height]
    for i, (t, a) in enumerate(boxes):
        for u, b in boxes[i + 1:]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                out.append(f"{t!r} on {u!r}")
    return out


def test_graph_texts_cover_no_node_and_no_other_text():
    """On a phone, at steps 6 to 8 of the logistic example the label on the active edge covered a's value (0.5498),
    L's and z's, and at step 8 it was cut at the figure's edge; on a laptop the labels of z → a and a → L covered a
    and L. Every step of both graphs, on a phone from a 360-px phone's 330 px up to 640 px and on a laptop from
    560 px up: no text on a node or on another text, none out of the figure."""
    for g in (three_a_plus_bc(), logistic_example()):
        for k, step in enumerate(forward_steps(g) + backward_steps(g), start=1):
            for phone, widths in ((True, (330, 358, 390, 640)), (False, (560, 800, 1200))):
                fig = graph_figure(g, step, phone=phone)
                for width in widths:
                    clashes = _clashes(_graph_boxes(fig, width), width, fig.layout.height)
                    assert not clashes, (g.title, k, phone, width, clashes)
    # long numbers ("3 × −0.001 = −0.003", "3.39e−27 × 0.001 = 3.39e−30"), at the narrowest widths
    for g in (three_a_plus_bc(-100, 99.5, -0.001), logistic_example(x1=-9.9, x2=7.3, w1=0.001, w2=-8.8, b=3.3, y=0)):
        for k, step in enumerate(forward_steps(g) + backward_steps(g), start=1):
            for phone, width in ((True, 330), (False, 560)):
                fig = graph_figure(g, step, phone=phone)
                clashes = _clashes(_graph_boxes(fig, width), width, fig.layout.height)
                assert not clashes, (g.title, k, phone, width, clashes)


def test_graph_on_a_phone_labels_this_steps_edge_near_it_or_in_the_corner_naming_it():
    g = logistic_example()
    steps = forward_steps(g) + backward_steps(g)
    for step in steps[5:]:                                          # the backward pass after dL
        fig = graph_figure(g, step, phone=True)
        labels = [a for a in fig.layout.annotations if a.text and "span" in a.text]
        assert len(labels) == 1, step.title
        edge = next(e for e in step.edges if e[0] == step.active)
        plain = re.sub(r"<[^>]+>", " ", labels[0].text)
        _, symbols, numbers = edge_label(g, *edge)
        assert symbols in plain and numbers.split(" = ")[-1] in plain
        x0, x1 = fig.layout.xaxis.range
        (ax, ay), (bx, by) = g.positions[edge[0]], g.positions[edge[1]]
        leaders = [s for s in fig.layout.shapes if s.type == "line"]
        if f"{edge[0]} → {edge[1]}:" in plain:                      # in the top right corner, naming its edge
            assert labels[0].x > (x0 + x1) / 2 and labels[0].y > max(ay, by) and not leaders
        elif leaders:                                               # beside its edge, a line to the edge's middle
            assert (leaders[0].x0, leaders[0].y0) == pytest.approx(((ax + bx) / 2, (ay + by) / 2))
        else:                                                       # on its edge
            assert min(ax, bx) < labels[0].x < max(ax, bx)
    # the edges are the only arrows: a leader line is a shape
    fig = graph_figure(g, steps[5], phone=True)
    assert len([a for a in fig.layout.annotations if a.showarrow]) == 7 and len(fig.layout.shapes) == 1


def test_graph_on_a_laptop_keeps_each_edges_label_in_one_place():
    """Every step writes an edge's label at the same place, before and after the backward pass reaches it."""
    g = logistic_example()
    places = {}
    for step in forward_steps(g) + backward_steps(g):
        for a in graph_figure(g, step).layout.annotations:
            if a.text and ("∂" in a.text or "span" in a.text):
                places.setdefault(re.sub(r"<[^>]+>|\s", "", a.text)[:6], set()).add((round(a.x, 6), round(a.y, 6)))
    assert all(len(p) == 1 for p in places.values())


def test_titles_fit_a_phone():
    """On a 390-px phone (a 358-px chart) the titles were cut: "n = 1,000,000: the loop takes 59× as lo",
    "m = 2,000 examples, n_x = 100: the lo". Every line of every title fits 348 px in the type it is drawn in
    (the page's largest sizes, m = 20,000 and n_x = 1,000, included), and no number is lost."""
    figs = [timing_bars(0.25, 0.0042, 1_000_000),
            timing_bars(0.0416, 0.0000266, 2000, vec_label="w.T @ X + b", size="m = 2,000 examples, n_x = 100"),
            timing_bars(9.5, 0.0001, 20_000, vec_label="w.T @ X + b", size="m = 20,000 examples, n_x = 1,000"),
            timing_lines([1000, 3000], [1e-4, 3e-4], [1e-6, 2e-6], ["measured", "measured"])]
    for fig in figs:
        size = fig.layout.title.font.size or 1.4 * fig.layout.font.size        # plotly's default is 1.4 × font
        lines = fig.layout.title.text.split("<br>")
        assert all(_width(line, size) <= 348 for line in lines) and size >= 13, (size, lines)
        assert fig.layout.margin.t >= 1.3 * size * len(lines) + 10
    assert [f.layout.title.text.replace("<br>", " ") for f in figs[:3]] == [
        "n = 1,000,000: the loop takes 60× as long",
        "m = 2,000 examples, n_x = 100: the loop takes 1,564× as long",
        "m = 20,000 examples, n_x = 1,000: the loop takes 95,000× as long"]


def test_timing_lines_draw_a_stopped_size_as_a_lower_bound_not_a_prediction():
    """A size the time cap stopped partway ran: its time is measured, and the whole loop takes at least that long.
    It was drawn under "loop, predicted (not run: over the cap)"."""
    ns, loop, dot = [1000, 3000, 10_000, 30_000], [1e-4, 3e-4, 1e-3, 2e-3], [1e-6, 2e-6, 5e-6, 1e-5]
    fig = timing_lines(ns, loop, dot, ["measured", "measured", "measured", "stopped"])
    names = [t.name.replace("<br>", " ") for t in fig.data]
    assert names == ["Python for-loop", "loop, stopped at the cap (at least this long)", "np.dot"]
    stopped = fig.data[1]
    assert list(stopped.x) == [30_000] and list(stopped.y) == [2e-3] and stopped.mode == "markers"
    assert stopped.marker.symbol == "triangle-up"                  # not the predictions' hollow circles
    assert list(fig.data[0].x) == [1000, 3000, 10_000]
    # sizes not run keep their own entry, dotted, from the last size measured
    fig = timing_lines(ns, loop, dot, ["measured", "measured", "skipped", "skipped"])
    assert [t.name for t in fig.data] == ["Python for-loop", "loop, predicted (not run: over the cap)", "np.dot"]
    assert list(fig.data[1].x) == [3000, 10_000, 30_000] and fig.data[1].marker.symbol == "circle-open"


def test_timing_lines_legend_is_below_the_x_axis_title():
    """On a phone the x-axis title was drawn on the legend, placed at a fraction (−0.22) of the plot's height below
    the plot. The legend sits at the bottom of the whole chart (container coordinates, horizontal), where plotly
    keeps its height free below the axis and its title (automargin)."""
    fig = timing_lines([1000, 3000], [1e-4, 3e-4], [1e-6, 2e-6], ["measured", "stopped"])
    legend = fig.layout.legend
    assert (legend.yref, legend.y, legend.yanchor, legend.orientation) == ("container", 0, "bottom", "h")
    assert legend.xref == "container" and fig.layout.xaxis.automargin is True
    assert fig.layout.margin.autoexpand is not False


def test_broadcast_product_draws_a_rank1_b_as_the_column_it_is_used_as():
    """The page says "B is rank-1, so it is used as a column (3, 1)"; B was drawn as a row."""
    for op in ("np.dot", "@"):
        r = explore((2, 3), (3,), op)
        assert any("used as a column (3, 1)" in line for line in r.steps)
        for phone in (False, True):
            fig = broadcast_figure(r.A, r.B, r.result, op, phone=phone)
            b = next(t for t in fig.data if t.name == "B")
            assert len(set(b.x)) == 1 and len(set(b.y)) == 3 and list(b.text) == ["10", "20", "30"]
            assert [list(b.y)] == [sorted(b.y, reverse=True)]               # 10 on top, 30 at the bottom
            label = next(t for t in texts(fig) if t.startswith("<b>B</b>"))
            assert label.replace("<br>", " ") == "<b>B</b> (3,) as (3, 1)"
        # A rank-1 A stays a row, as it is used (1, 3); two rank-1 arrays: a row times a column
        r = explore((3,), (3,), op)
        fig = broadcast_figure(r.A, r.B, r.result, op)
        a, b = (next(t for t in fig.data if t.name == n) for n in ("A", "B"))
        assert len(set(a.y)) == 1 and len(set(a.x)) == 3 and len(set(b.x)) == 1 and len(set(b.y)) == 3
    # elementwise, a (3,) array is broadcast as a row, and drawn as one
    r = explore((2, 3), (3,), "+")
    fig = broadcast_figure(r.stretched_a, r.stretched_b, r.result, "+", r.copies_a, r.copies_b,
                           shapes=(r.shape_a, r.shape_b))
    b = next(t for t in fig.data if t.name == "B")
    assert len(set(b.y)) == 1 and len(b.x) == 3


def test_broadcast_phone_label_of_a_column_b_clears_the_operator():
    """On a phone the operator sits left of B's name: B's label starts at B's left edge, and the figure is wide
    enough for it (A (2, 1) is one cell wide)."""
    r = explore((2, 1), (1,), "@")
    fig = broadcast_figure(r.A, r.B, r.result, "@", phone=True)
    label = next(a for a in fig.layout.annotations if a.text.startswith("<b>B</b>"))
    op = next(a for a in fig.layout.annotations if a.text == "<b>@</b>")
    assert label.xanchor == "left" and op.xanchor == "right" and op.x < label.x
    assert fig.layout.xaxis.range[1] >= label.x + _width("B (1,) as (1, 1)", 14) / 46


_shapes = hst.lists(hst.integers(1, 6), min_size=1, max_size=3).map(tuple)


@settings(max_examples=150, deadline=None)
@given(shape_a=_shapes, shape_b=_shapes, op=hst.sampled_from(["+", "*", "np.dot", "@"]))
def test_every_allowed_pair_of_shapes_is_drawn_or_said_to_be_undrawable(shape_a, shape_b, op):
    """np.dot of two 3-axis arrays has 4 axes, (2, 3, 4)·(2, 4, 5) → (2, 3, 2, 5): the picture crashed with "too
    many values to unpack". Now any outcome is drawn (both layouts) or left without a picture, never a crash."""
    r = explore(shape_a, shape_b, op)
    figs = broadcast_figures(r)
    drawable = r.ok and r.result.ndim <= MAX_DRAWN_AXES
    assert (figs is not None) == drawable
    if drawable:
        assert len(figs) == 2 and all(isinstance(f, go.Figure) for f in figs)


def test_a_four_axis_np_dot_has_no_picture_and_a_note_saying_why():
    r = explore((2, 3, 4), (2, 4, 5), "np.dot")
    assert r.shape == (2, 3, 2, 5) and broadcast_figures(r) is None
    assert f"at most {MAX_DRAWN_AXES}" in NOT_DRAWN


def test_shown_pair_tells_different_numbers_apart():
    """σ(−6) = 0.002473 and σ′(−6) = 0.002467 both read 0.0025 on the Activations page."""
    from core.lessons.activation_facts import shown_pair
    for name in ACTIVATIONS:
        for z in np.linspace(-6, 6, 121):
            g, dg = value_and_slope(name, float(z))
            a, b = shown_pair(g, dg)
            assert (a == b) == (g == dg), (name, z, a, b)
    assert shown_pair(*value_and_slope("sigmoid", -6.0)) == ("0.002473", "0.002467")


@pytest.mark.parametrize("example", [dict(x1=10, x2=10, w1=-10, w2=-10, b=-10, y=1),    # z = −210
                                     dict(x1=10, x2=3.7, w1=0, w2=10, b=0, y=1)])         # z = 37
def test_a_saturated_value_stays_inside_its_node(example):
    """"6.283e−92" spilled out of node a's circle on a laptop and out of L's on a phone (16 px type in a 74-px
    circle). A value too long for its node is set in smaller type: at most 80% of the node's width."""
    g = logistic_example(**example)
    end = (forward_steps(g) + backward_steps(g))[-1]
    for phone in (False, True):
        nodes = graph_figure(g, end, phone=phone).data[0]
        for text, size in zip(nodes.text, nodes.textfont.size, strict=True):
            value = text.split("<br>")[-1]
            assert _width(value, size) <= 0.85 * nodes.marker.size, (phone, value, size)
        assert max(nodes.textfont.size) == (13 if phone else 16)          # short values keep their size


def test_graph_nodes_stay_inside_the_plot_area():
    """plotly clips a scatter's markers at the plot area, GRAPH_MARGIN (the figure's margin) inside the figure: at
    390 px L's circle, the last node, was cut in half at that edge although the figure held it. Every node, its
    ring (6 px when active) and its value, lies inside the plot area at every step, at every width drawn."""
    cases = (three_a_plus_bc(), logistic_example(), three_a_plus_bc(-100, 99.5, -0.001),
             logistic_example(x1=-9.9, x2=7.3, w1=0.001, w2=-8.8, b=3.3, y=0))
    for g in cases:
        for k, step in enumerate(forward_steps(g) + backward_steps(g), start=1):
            for phone, widths in ((True, (328, 358, 390, 640)), (False, (560, 800, 1200))):
                fig = graph_figure(g, step, phone=phone)
                (x0, x1), m = fig.layout.xaxis.range, fig.layout.margin
                nodes = fig.data[0]
                for width in widths:
                    sx = (width - m.l - m.r) / (x1 - x0)
                    for x, text, size in zip(nodes.x, nodes.text, nodes.textfont.size, strict=True):
                        half = max(nodes.marker.size / 2 + 3, _width(text.split("<br>")[-1], size) / 2)
                        cx = m.l + (x - x0) * sx
                        assert m.l <= cx - half and cx + half <= width - m.r, (g.title, k, phone, width, text)


def test_broadcast_operators_clear_the_cells_beside_them():
    """The matrix-vector picture's "@" touched B's first cell (it sat 0.6 cells before B and 1.8 after A). Each
    operator, and the "=", is centred between the arrays it joins, at least 12 px clear of the cells on either
    side (cells 38 px, CELL_PX a cell at the picture's smallest scale)."""
    for shape_a, shape_b, op in (((2, 3), (3,), "@"), ((2, 3), (3,), "np.dot"), ((3, 1), (4,), "+"),
                                 ((2, 3), (3,), "*"), ((1,), (1,), "+")):
        r = explore(shape_a, shape_b, op)
        fig = broadcast_figures(r)[0]                                       # the laptop's picture
        cells = sorted({round(x, 6) for t in fig.data for x in t.x})
        for a in fig.layout.annotations:
            sign = re.sub(r"<[^>]+>", "", a.text)
            if sign not in (op, "="):
                continue
            half = _width(sign, a.font.size) * 1.15 / 2                    # bold, a little wider
            before, after = max(x for x in cells if x < a.x), min(x for x in cells if x > a.x)
            gaps = ((a.x - before) * CELL_PX - 19 - half, (after - a.x) * CELL_PX - 19 - half)
            assert min(gaps) >= 12, (shape_a, op, shape_b, sign, gaps)
