"""core.figures.classify: traces, shapes, scales and escaping, checked without Streamlit."""

import numpy as np
import plotly.graph_objects as go
import pytest

from core.figures import classify as figs

EVIL = '<a href="javascript:alert(1)">x</a>'


def test_mosaic_places_each_image_with_a_gap():
    imgs = np.arange(5 * 2 * 3, dtype=np.uint8).reshape(5, 2, 3)
    out = figs.mosaic(imgs, cols=3, gap=1)
    assert out.shape == (2 * 3 - 1, 3 * 4 - 1)
    np.testing.assert_array_equal(out[0:2, 0:3], imgs[0])
    np.testing.assert_array_equal(out[3:5, 4:7], imgs[4])   # row 1, column 1
    assert (out[2, :] == 255).all() and (out[3:5, 8:11] == 255).all()  # gap and the empty last tile


def test_sample_grid_grayscale_and_colour():
    gray = figs.sample_grid([("face", np.zeros((20, 25, 25), np.uint8)),
                             ("not a face", np.ones((3, 25, 25), np.uint8))])
    assert [type(t) for t in gray.data] == [go.Heatmap, go.Heatmap]
    assert gray.data[0].z.shape == (2 * 26 - 1, 8 * 26 - 1)   # 16 of 20 shown, 8 per row
    assert [a.text for a in gray.layout.annotations] == ["face (20 images)", "not a face (3 images)"]
    colour = figs.sample_grid([("a", np.zeros((2, 8, 8, 3), np.uint8)), ("b", np.zeros((1, 8, 8, 3), np.uint8))])
    assert [type(t) for t in colour.data] == [go.Image, go.Image]


def test_sample_grid_titles_say_each_classs_label_y():
    """The grid shows class 1 first (face, then not a face): each title says its y, so the order is never a guess."""
    fig = figs.sample_grid([("face", np.zeros((2, 5, 5), np.uint8)), ("not a face", np.zeros((3, 5, 5), np.uint8))],
                           labels=(1, 0))
    assert [a.text for a in fig.layout.annotations] == ["face, y = 1 (2 images)", "not a face, y = 0 (3 images)"]
    with pytest.raises(ValueError):
        figs.sample_grid([("face", np.zeros((2, 5, 5), np.uint8))], labels=(1, 0))


def test_an_empty_class_in_the_sample_grid_says_it_has_no_photos_yet():
    """The own tab's grid showed an empty heading "dogs, y = 0 (0 images)" over nothing."""
    fig = figs.sample_grid([("cats", np.zeros((2, 5, 5, 3), np.uint8)), ("dogs", np.zeros((0, 5, 5, 3), np.uint8))],
                           labels=(1, 0), unit="photos")
    assert [a.text for a in fig.layout.annotations] == ["cats, y = 1 (2 photos)", "dogs, y = 0: no photos yet"]


def test_weights_colour_bar_names_each_end_with_its_class_and_label():
    """Purple is the top of PuOr (w > 0, pushing a towards 1): its end of the bar names class_names[1], y = 1."""
    trace = figs.weights_figure(np.array([[0.5, -2.0], [0.0, 1.0]]), ("not a face", "face")).data[0]
    assert trace.colorbar.ticktext == ("-2<br>→ not a face (y = 0)", "0", "2<br>→ face (y = 1)")
    assert trace.colorbar.tickvals == (-2.0, 0, 2.0)
    low, high = trace.colorscale[0][1], trace.colorscale[-1][1]
    assert (low, high) == ("rgb(127,59,8)", "rgb(45,0,75)")      # orange at w < 0, purple at w > 0


def test_user_names_are_escaped_everywhere():
    names = (EVIL, "dog")
    texts = [
        " ".join(a.text for a in figs.sample_grid([(EVIL, np.zeros((1, 4, 4), np.uint8))]).layout.annotations),
        " ".join(figs.confusion_figure(np.eye(2, dtype=int), names).data[0].y),
        " ".join(figs.weights_figure(np.ones((4, 4)), names).data[0].colorbar.ticktext),
        figs.probability_figure(0.3, (EVIL, "cat")).layout.xaxis.title.text,
    ]
    for text in texts:
        assert "<a " not in text and "&lt;a href=&quot;javascript" in text


def test_preprocess_figure_shows_the_image_and_the_column():
    resized = np.arange(25 * 25, dtype=np.uint8).reshape(25, 25)
    x = resized.reshape(-1, 1) / 255.0
    fig = figs.preprocess_figure(resized, x)
    assert fig.data[0].z.shape == (25, 25) and fig.data[1].z.shape == (625, 1)
    assert (fig.data[1].zmin, fig.data[1].zmax) == (0, 1)
    assert "625" in fig.layout.annotations[1].text


def test_cost_curve():
    fig = figs.cost_curve(np.array([0.69, 0.5, 0.3]))
    assert fig.data[0].x.tolist() == [0, 1, 2] and fig.data[0].y.tolist() == [0.69, 0.5, 0.3]
    assert fig.layout.xaxis.title.text == "iteration" and fig.layout.yaxis.title.text == "cost J"


def test_learning_rate_chart_tells_lines_apart_without_colour():
    runs = [(0.01, np.linspace(0.69, 0.3, 50), 0.9, 0.85), (0.1, np.linspace(0.69, 0.1, 50), 1.0, 0.95),
            (1.0, np.r_[0.69, np.full(49, 5.0)], 1.0, None)]
    fig = figs.learning_rate_chart(runs)
    assert len(fig.data) == 3
    assert len({t.line.dash for t in fig.data}) == 3 and len({t.marker.symbol for t in fig.data}) == 3
    assert fig.data[0].name == "α = 0.01 (train 90.0%, test 85.0%)"
    assert fig.data[2].name == "α = 1 (train 100.0%)<br>J jumps above the chart"
    assert fig.layout.yaxis.range == (0, pytest.approx(1.3 * 0.69))


def test_confusion_figure_counts_and_labels():
    cm = np.array([[19, 1], [0, 20]])
    fig = figs.confusion_figure(cm, ("not a face", "face"))
    trace = fig.data[0]
    assert np.asarray(trace.z).tolist() == cm.tolist()
    assert list(trace.x) == ["predicted<br>not a face", "predicted<br>face"]
    assert list(trace.y) == ["true<br>not a face", "true<br>face"]
    assert fig.layout.xaxis.tickangle == 0                   # never turned on end in a narrow column
    titled = figs.confusion_figure(cm, ("not a face", "face"), "Confusion matrix (test images)")
    assert titled.layout.title.text == "Confusion matrix<br>(test images)"
    assert trace.text[0][1] == "1<br>(2%)" and trace.text[1][1] == "20<br>(50%)"


def test_a_nonzero_confusion_cell_never_reads_zero_percent():
    """A cell holding 1 of 360 test images read "1 (0%)"."""
    text = figs.confusion_figure(np.array([[323, 1], [0, 36]]), ("not 3", "3")).data[0].text
    assert text[0][1] == "1<br>(<1%)" and text[1][0] == "0<br>(0%)" and text[0][0] == "323<br>(90%)"
    assert figs.confusion_figure(np.array([[999, 1], [0, 0]]), ("a", "b")).data[0].text[0][0] == "999<br>(>99%)"


def test_weights_figure_is_diverging_and_symmetric():
    W = np.array([[0.5, -2.0], [0.0, 1.0]])
    fig = figs.weights_figure(W, ("not a face", "face"))
    trace = fig.data[0]
    assert (trace.zmin, trace.zmid, trace.zmax) == (-2.0, 0, 2.0)
    assert trace.colorscale == go.Heatmap(colorscale=figs.DIVERGING).colorscale
    np.testing.assert_array_equal(trace.z, W)


def test_weights_figure_colour_has_three_panels_on_one_scale():
    W = np.zeros((4, 4, 3))
    W[0, 0, 2] = -3.0
    fig = figs.weights_figure(W, ("a", "b"))
    assert len(fig.data) == 3 and [t.zmax for t in fig.data] == [3.0] * 3
    assert [t.showscale for t in fig.data] == [False, False, True]
    np.testing.assert_array_equal(fig.data[2].z, W[:, :, 2])


def test_weights_figure_of_all_zeros_still_draws():
    fig = figs.weights_figure(np.zeros((3, 3)), ("a", "b"))
    assert (fig.data[0].zmin, fig.data[0].zmax) == (-1.0, 1.0)


@pytest.mark.parametrize("p", [0.02, 0.97])
def test_probability_figure(p):
    fig = figs.probability_figure(p, ("not a face", "face"))
    assert fig.data[0].x == (p,) and fig.data[0].text == (f"a = {p:.3f}",)
    assert fig.layout.xaxis.range == (0, 1.08)
    assert fig.layout.shapes[0].x0 == 0.5
    # below the threshold the bar is hatched as well as orange: not colour alone
    assert (fig.data[0].marker.pattern.shape == "/") == (p < 0.5)


def test_pixels_figure_grayscale_and_colour():
    assert isinstance(figs.pixels_figure(np.zeros((8, 8), np.uint8)).data[0], go.Heatmap)
    assert isinstance(figs.pixels_figure(np.zeros((8, 8, 3), np.uint8)).data[0], go.Image)


def test_figures_carry_their_own_template():
    assert figs.cost_curve(np.ones(3)).layout.template.layout.plot_bgcolor == "white"


def every_classify_and_face_figure():
    """One of each figure core.figures.classify and core.figures.faces draw."""
    from core.figures import faces as ff
    rng = np.random.default_rng(0)
    photo, grey = rng.integers(0, 256, (30, 40, 3), dtype=np.uint8), rng.integers(0, 256, (30, 40), dtype=np.uint8)
    return [
        figs.pixels_figure(grey, "t"), figs.preprocess_figure(grey[:25, :25], grey[:25, :25] / 255),
        figs.cost_curve(np.linspace(1, 0.1, 20)), figs.confusion_figure(np.array([[5, 1], [2, 7]]), ("a", "b")),
        figs.weights_figure(np.linspace(-1, 1, 64).reshape(8, 8), ("a", "b")), figs.probability_figure(0.7, ("a", "b")),
        ff.detection_figure(photo, rng.random((15, 20)), (10, 20, 30), "t"),
        ff.seen_figure(np.zeros((25, 25)), np.ones((25, 25)), {"mouth": (20, 12)}),
        ff.hog_weights_figure(rng.normal(size=(576, 1))), ff.pixel_weights_figure(np.zeros((625, 1))),
        ff.scores_figure([("edges", 0.9, 0.8), ("pixels", 0.99, 0.95)]),
        ff.classic_detection_figure(photo, np.array([[5, 5, 10]], float), np.array([12]), 11, "t"),
        ff.network_detection_figure(photo, np.array([[5, 5, 10]], float), np.array([0.8]), 0.75, "t"),
        ff.skin_figure(photo, np.ones((30, 40)), "t"), ff.cascade_funnel_figure(np.array([100, 50, 10, 1]), "t"),
    ]


def test_the_figures_look_as_under_plotly_white_with_a_template_a_third_as_costly():
    """The figures take plotly_white's layout and the defaults of the trace types they draw, not all of
    plotly_white (24 trace types, copied and checked for every figure: about 8 ms each, on every zoom move)."""
    import plotly.io as pio
    white = pio.templates["plotly_white"]
    assert figs.WHITE.layout.to_plotly_json() == white.layout.to_plotly_json()
    for kind in figs.TRACE_KINDS:
        assert figs.WHITE.data[kind] == white.data[kind]
    for fig in every_classify_and_face_figure():
        assert fig.layout.template.to_plotly_json() == figs.WHITE.to_plotly_json()
        assert {t.type for t in fig.data} <= set(figs.TRACE_KINDS) | {"image"}, {t.type for t in fig.data}


def test_the_threshold_label_sits_above_the_plot_and_colour_weights_have_short_titles_on_a_phone():
    """At 1280 "threshold 0.5" sat on a blue bar past 0.5; at 390 "red channel / green channel / blue channel"
    overlapped."""
    label = figs.probability_figure(0.94, ("not a face", "face")).layout.annotations[0]
    assert label.text == "threshold 0.5" and (label.yref, label.y, label.yanchor) == ("paper", 1, "bottom")
    fig = figs.weights_figure(np.zeros((4, 4, 3)), ("a", "b"))
    assert [a.text for a in fig.layout.annotations] == ["red channel", "green channel", "blue channel"]
    narrow = fig.layout.meta["narrow"]
    assert narrow["layout"] == {"annotations[0].text": "red", "annotations[1].text": "green",
                                "annotations[2].text": "blue"} and narrow["narrow_px"] >= 420
