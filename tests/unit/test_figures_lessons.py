"""Figure builders of the lessons pages, checked without Streamlit: traces, labels, shapes, axes."""

import numpy as np
import plotly.graph_objects as go

from core.figures.lessons import activations_figure, broadcast_figure, graph_figure, timing_bars, timing_lines
from core.lessons.activation_facts import curves, saturated_regions, saturation_threshold, value_and_slope
from core.lessons.broadcast import explore
from core.maths.activations import ACTIVATIONS
from core.maths.graph import backward_steps, forward_steps, logistic_example, three_a_plus_bc


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


def test_timing_bars_name_what_was_timed_in_the_course_s_names():
    """The Z = wᵀX + b chart was titled "n = 2,000: ..." for m = 2,000 examples of n_x = 100 features."""
    fig = timing_bars(0.0416, 0.0000266, 2000, vec_label="w.T @ X + b", size="m = 2,000 examples, n_x = 100")
    assert fig.layout.title.text.startswith("m = 2,000 examples, n_x = 100: the loop takes")
    assert "n = 2,000" not in fig.layout.title.text
    assert timing_bars(0.25, 0.0005, 1_000_000).layout.title.text.startswith("n = 1,000,000: ")


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
