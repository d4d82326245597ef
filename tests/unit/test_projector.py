"""core.figures.projector.enlarge: the projector copy of a chart has larger text, markers and lines, and nothing else
changes: not the data, not the original figure."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.figures import classify as figures_classify
from core.figures import home as figures_home
from core.figures import lessons as figures_lessons
from core.figures.basin import FrozenFigure, basin_figure
from core.figures.projector import PHONE_VIEWPORT_PX, PLOTLY_FONT_PX, PLOTLY_HEIGHT_PX, enlarge, scene_kept
from core.lessons import basin
from core.maths.surfaces import cost_grid


def sample():
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], mode="lines+markers", marker=dict(size=[4, 8, 12]),
                               line=dict(width=2), textfont=dict(size=10)))
    fig.add_trace(go.Contour(z=[[1, 2], [3, 4]], contours=dict(start=0, end=4, size=0.5),
                             colorbar=dict(tickfont=dict(size=11))))
    fig.add_annotation(x=1, y=1, text="<span style='font-size:12px'>dw</span> = 0.5", font=dict(size=14))
    fig.add_shape(type="line", x0=0, x1=1, y0=0, y1=1, line=dict(width=3))
    fig.update_layout(height=300, margin=dict(l=10, r=20, t=30, b=40), xaxis=dict(tickfont=dict(size=9)),
                      meta={"basin": {"size3d": 7, "size2d": 10, "tokens": [1, 2], "narrow_px": 640},
                            "narrow": {"narrow_px": 640, "layout": {"legend.font.size": 12, "xaxis.domain": [0, 1],
                                                                    "legend.y": 0}}})
    return fig


def as_json(fig):
    return json.loads(pio.to_json(fig, validate=False))


def test_text_markers_lines_height_and_margins_grow():
    big = as_json(enlarge(sample(), 1.5))
    scatter, contour = big["data"]
    lay = big["layout"]
    assert scatter["marker"]["size"] == [6, 12, 18] and scatter["line"]["width"] == 3
    assert scatter["textfont"]["size"] == 15 and contour["colorbar"]["tickfont"]["size"] == 16.5
    assert lay["annotations"][0]["font"]["size"] == 21
    assert lay["annotations"][0]["text"] == "<span style='font-size:18px'>dw</span> = 0.5"
    assert lay["shapes"][0]["line"]["width"] == 4.5 and lay["xaxis"]["tickfont"]["size"] == 13.5
    assert lay["font"]["size"] == PLOTLY_FONT_PX * 1.5  # plotly's default base font, made explicit
    assert lay["height"] == round(300 * 1.5 ** 0.5)
    assert lay["margin"] == {"l": 15, "r": 30, "t": 45, "b": 60}
    # the page script's ball, and the chart width under which it lays the figure out in one column: larger text
    # needs a wider chart for the wide layout (at 1280 px with the sidebar open, a projector's J ticks were cut off)
    basin = dict(lay["meta"]["basin"])
    assert basin.pop("phone")["viewport_px"] == PHONE_VIEWPORT_PX  # its phone step (see below)
    assert basin == {"size3d": 10.5, "size2d": 15, "tokens": [1, 2], "narrow_px": 960}
    # a narrow layout's text grows too; its places do not
    assert lay["meta"]["narrow"] == {"narrow_px": 960, "layout": {"legend.font.size": 18, "xaxis.domain": [0, 1],
                                                                  "legend.y": 0}}


def test_data_colours_and_spacings_stay():
    small, big = as_json(sample()), as_json(enlarge(sample(), 2.0))
    for a, b in zip(small["data"], big["data"], strict=True):
        for key in ("x", "y", "z", "mode", "type"):
            assert a.get(key) == b.get(key)
    assert big["data"][1]["contours"] == small["data"][1]["contours"]  # contour spacing is data, not looks
    assert big["layout"]["meta"]["basin"]["tokens"] == [1, 2]


def test_the_original_is_not_changed_and_a_frozen_original_neither():
    fig = sample()
    before = as_json(fig)
    enlarge(fig, 2.0)
    assert as_json(fig) == before
    frozen = FrozenFigure(sample(), frames=[{"name": "0", "data": [{"marker": {"size": 5}}]}])
    before = json.dumps(frozen.to_dict())
    big = enlarge(frozen, 2.0)
    assert json.dumps(frozen.to_dict()) == before
    assert big.frames_dict[0]["data"][0]["marker"]["size"] == 10  # animation frames grow too


def test_default_height_and_factor_one_is_the_same_figure():
    assert enlarge(go.Figure(go.Bar(y=[1])), 1.21).layout.height == round(PLOTLY_HEIGHT_PX * 1.1)
    fig = sample()
    same = as_json(enlarge(fig, 1.0))
    assert same.pop("frames") == []
    want = as_json(fig)
    want["layout"]["font"] = {"size": PLOTLY_FONT_PX}
    assert same["layout"]["meta"]["basin"].pop("phone")["viewport_px"] == PHONE_VIEWPORT_PX   # only the phone's step
    assert same == want


def test_bad_factor_is_refused():
    with pytest.raises(ValueError, match="positive"):
        enlarge(sample(), 0)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.5, 3.0))
def test_every_font_size_scales_by_the_factor(factor):
    def sizes(spec, path=""):
        if isinstance(spec, dict):
            for k, v in spec.items():
                if k == "size" and path.endswith("font"):
                    yield v
                yield from sizes(v, k)
        elif isinstance(spec, list):
            for v in spec:
                yield from sizes(v, path)
    before = list(sizes(as_json(sample())))
    after = list(sizes(as_json(enlarge(sample(), factor))))
    want = [round(b * factor, 2) for b in before] + [round(PLOTLY_FONT_PX * factor, 2)]  # + the base font
    assert sorted(after) == pytest.approx(sorted(want), abs=0.011)


def cost_basin():
    """The Cost basin page's figure (four panels, a ball per learning rate, animation frames)."""
    x, y, _ = basin.load("overlap", 0)
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3)
    runs = basin.compute_runs(x, y, basin.ALPHA_TOKENS, curv.rates(), -3, 3, 30, "sigmoid", "log", 0.0)
    box = basin.basin_box(runs, curv, -3, 3)
    w, b = np.linspace(*box[:2], 40), np.linspace(*box[2:], 30)
    return basin_figure(w, b, cost_grid(x, y, w, b), x, y, tokens=runs.tokens)


APP_FIGURES = {
    "basin": cost_basin,
    "home": figures_home.home_basin_figure,
    "timing": lambda: figures_lessons.timing_bars(0.5, 0.001, 1_000_000),
    "weights": lambda: figures_classify.weights_figure(np.linspace(-1, 1, 64).reshape(8, 8), ("a", "b")),
    "confusion": lambda: figures_classify.confusion_figure(np.array([[5, 1], [2, 7]]), ("a", "b")),
}


@pytest.mark.parametrize("name", APP_FIGURES)
def test_the_apps_figures_enlarge_into_valid_figures(name):
    fig = APP_FIGURES[name]()
    big = enlarge(fig, 1.35)
    go.Figure({k: v for k, v in as_json(big).items() if k != "frames"})  # plotly validates every property
    assert big.layout.font.size == pytest.approx((fig.layout.font.size or PLOTLY_FONT_PX) * 1.35, abs=0.01)


def plain_sample():
    """sample() without the Cost basin's meta: a figure the page draws through st.plotly_chart or the chart bridge."""
    fig = sample()
    fig.update_layout(meta={"narrow": {"narrow_px": 300, "layout": {"legend.font.size": 10, "xaxis.title.text": "",
                                                                     "margin.l": 5}}})
    return fig


def test_on_a_phone_the_copy_takes_back_its_own_text_sizes_and_margins():
    """A 358-px chart cannot hold 1.35 times its text: the copy's last narrow step (while the window is narrower than
    a phone's 641 px) is the original layout's text sizes, sized label HTML and margins."""
    steps = as_json(enlarge(plain_sample(), 1.5))["layout"]["meta"]["narrow"]
    own, phone = steps
    assert own == {"narrow_px": 450, "layout": {"legend.font.size": 15, "xaxis.title.text": "", "margin.l": 5}}
    assert phone["viewport_px"] == PHONE_VIEWPORT_PX
    assert phone["layout"] == {
        "annotations[0].font.size": 14, "annotations[0].text": "<span style='font-size:12px'>dw</span> = 0.5",
        "xaxis.tickfont.size": 9, "font.size": PLOTLY_FONT_PX, "margin.l": 5, "margin.r": 20, "margin.t": 30,
        "margin.b": 40, "legend.font.size": 10}  # the own narrow layout's values as they were: it holds there too


@settings(max_examples=25, deadline=None)
@given(st.floats(0.5, 3.0))
def test_the_phone_step_undoes_the_enlarged_layout(factor):
    """Applied to the copy's layout, the phone step gives back the original figure's text sizes and margins: every
    path it sets exists in the copy and holds the original's value there."""
    def at(layout, path):
        for part in path.replace("[", ".").replace("]", "").split("."):
            layout = layout[int(part)] if part.isdigit() else layout[part]
        return layout
    original, big = as_json(plain_sample()), as_json(enlarge(plain_sample(), factor))
    phone = big["layout"]["meta"]["narrow"][-1]["layout"]
    for path, value in phone.items():
        if path == "font.size":
            assert at(big["layout"], path) == pytest.approx(PLOTLY_FONT_PX * factor, abs=0.01)
        elif path in ("legend.font.size", "margin.l"):    # the own narrow layout's values
            continue
        else:
            assert at(original["layout"], path) == value
            at(big["layout"], path)                     # the path exists in the copy


def test_a_figure_with_its_own_phone_script_gets_its_phone_step_there():
    """The Cost basin's figure (meta.basin) has its own narrow layouts, applied by its own script: the phone's step
    goes with them (meta.basin.phone), and its own narrow layout's values of the paths it sets win on a phone."""
    original = as_json(cost_basin())["layout"]
    meta = as_json(enlarge(cost_basin(), 1.35))["layout"]["meta"]
    assert "narrow" not in meta
    phone = meta["basin"]["phone"]
    assert phone["viewport_px"] == PHONE_VIEWPORT_PX
    assert phone["layout"]["margin.l"] == original["meta"]["basin"]["narrow"]["margin.l"] != original["margin"]["l"]
    assert phone["layout"]["margin.t"] == original["margin"]["t"]
    assert phone["layout"]["font.size"] == original.get("font", {}).get("size", PLOTLY_FONT_PX)
    assert as_json(enlarge(sample(), 1.35))["layout"]["meta"]["narrow"]["narrow_px"] == 864
    assert as_json(enlarge(go.Figure(go.Bar(y=[1])), 1.35))["layout"]["meta"]["narrow"] == [
        {"viewport_px": PHONE_VIEWPORT_PX, "layout": {"font.size": PLOTLY_FONT_PX}}]


def test_the_projector_basin_shortens_its_lower_titles_before_it_takes_one_column():
    """At 1280 px with teacher=1 and the sidebar open the chart is 705 px wide: under the copy's narrow_px, grown
    with its text to 864, it took the phone's one column (the basin 280 px high). The copy now shortens the lower
    titles below 864 px (meta.basin.compact, with the cube a little smaller in a scene about as high as wide) and
    takes one column only below the student's 640 px, where each panel gets its full title back."""
    from core.figures.basin.layout import LOW_TITLES, NARROW_PX, SHORT_TITLES
    student = as_json(cost_basin())["layout"]["meta"]["basin"]
    assert "compact_px" not in student        # the student's chart never shortens its titles
    big = as_json(enlarge(cost_basin(), 1.35))["layout"]["meta"]["basin"]
    assert big["compact_px"] == round(NARROW_PX * 1.35) == 864 and big["narrow_px"] == NARROW_PX
    assert big["medium_px"] == student["medium_px"] * 1.35
    assert [big["compact"][f"annotations[{n}].text"] for n in (1, 2, 3)] == [f"<b>{t}</b>" for t in SHORT_TITLES]
    assert [big["narrow"][f"annotations[{n}].text"] for n in (1, 2, 3)] == [f"<b>{t}</b>" for t in LOW_TITLES]
    assert big["compact"]["scene.aspectmode"] == "manual" and big["narrow"]["scene.aspectmode"] == "cube"
    assert all(len(t) <= 16 < len(long) for t, long in zip(SHORT_TITLES, LOW_TITLES, strict=True))


def test_on_a_phone_the_projector_basins_3d_scene_keeps_the_students_height():
    """The projector copy is sqrt(1.35) times higher; on a phone its one-column scene was as much taller than the
    student's, and plotly, fitting the cube to the scene's height, cut the J axis's labels off the left edge. Its
    phone step keeps the student's scene height in pixels, and moves the legend, buttons and slider under the scene
    up with its bottom; the panels below stay where they were."""
    original = as_json(cost_basin())["layout"]
    big = as_json(enlarge(cost_basin(), 1.35))["layout"]
    narrow, phone = original["meta"]["basin"]["narrow"], big["meta"]["basin"]["phone"]["layout"]
    (lo, hi), (new_lo, new_hi) = narrow["scene.domain.y"], phone["scene.domain.y"]
    assert new_hi == hi and big["height"] > original["height"]
    edges = original["margin"]["t"] + original["margin"]["b"]     # the phone step takes the margins back
    assert (phone["margin.t"], phone["margin.b"]) == (original["margin"]["t"], original["margin"]["b"])
    assert (new_hi - new_lo) * (big["height"] - edges) == pytest.approx((hi - lo) * (original["height"] - edges),
                                                                         abs=0.5)
    lift = new_lo - lo
    for key in ("legend.y", "updatemenus[0].y", "updatemenus[1].y", "sliders[0].y"):
        assert phone[key] == pytest.approx(narrow[key] + lift, abs=1e-4), key
    assert not any(k.startswith(("xaxis", "yaxis", "annotations")) for k in phone if k.endswith((".domain", ".y")))
    assert scene_kept(narrow, 1100, 1100) == {} and scene_kept({}, 1100, 1300) == {}


def test_steps_of_a_narrow_layout_hold_from_wider_charts():
    """A list of narrow steps: a step's narrow_px grows with the text (`factor`), or, marked "scale_with":
    "plot_height" (a layout for the plot's shape, such as 3D scenes as wide as high), with the plot's height (the
    figure's height less its top and bottom margins, which grow with the text). A phone's viewport_px stays."""
    fig = go.Figure(go.Scatter(y=[1, 2]), layout={"height": 520, "margin": {"l": 0, "r": 0, "t": 40, "b": 20},
                                                  "meta": {"narrow": [
                                                      {"narrow_px": 600, "layout": {"legend.font.size": 10}},
                                                      {"narrow_px": 500, "scale_with": "plot_height",
                                                       "layout": {"legend.y": 0.5}}]}})
    big = enlarge(fig, 1.44, height_factor=1.25)
    steps = big.layout.meta["narrow"]
    assert big.layout.height == 650 and (big.layout.margin.t, big.layout.margin.b) == (58, 29)
    assert steps[0]["narrow_px"] == pytest.approx(600 * 1.44)
    assert steps[0]["layout"] == {"legend.font.size": pytest.approx(14.4)}
    assert steps[1]["narrow_px"] == pytest.approx(500 * (650 - 1.44 * 60) / (520 - 60), abs=0.01)
    assert steps[1]["layout"] == {"legend.y": 0.5}
    assert steps[2]["viewport_px"] == PHONE_VIEWPORT_PX
    assert steps[2]["layout"]["legend.font.size"] == 10                 # the own phone layout's size wins there
