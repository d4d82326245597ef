"""core.figures.losses: plotly builders checked without Streamlit (traces, shapes, positions, titles)."""

import numpy as np
import plotly.io as pio
import pytest

import core.figures.losses as figs
from core.figures.projector import enlarge

NAMES = ("squared error, sigmoid neuron", "log-loss, sigmoid neuron")


@pytest.fixture
def grid():
    w, b = np.linspace(-10, 10, 21), np.linspace(-10, 10, 21)
    Wg, Bg = np.meshgrid(w, b)
    J_rival = 0.25 + 0.1 * np.tanh(Wg + Bg)
    J_log = (Wg - 2) ** 2 + (Bg + 1) ** 2
    nonconvex = Wg < 0
    plateau = (Wg < -3) & (np.abs(Bg) > 5)
    paths = (np.array([[-3.0, -5.0, 0.3], [-2.5, -5.2, 0.29], [-2.4, -5.3, 0.29]]),
             np.array([[-3.0, -5.0, 3.0], [0.0, -2.0, 1.0], [2.0, -1.0, 0.4]]))
    return w, b, J_rival, J_log, nonconvex, plateau, paths


def by_name(fig, name):
    return [t for t in fig.data if t.name == name]


def test_contour_pair_traces_and_positions(grid):
    w, b, J_rival, J_log, nonconvex, plateau, paths = grid
    fig = figs.contour_pair(w, b, J_rival, J_log, nonconvex, plateau, [p[:, :2] for p in paths], NAMES,
                            ((1.5, 0.0), (2.0, -1.0)), (-3.0, -5.0))
    contours = [t for t in fig.data if t.type == "contour"]
    assert len(contours) == 3                                   # two cost maps' level lines + the non-convex region
    assert np.asarray(contours[0].z).shape == (21, 21)
    # The colours: one heatmap per panel under the lines, smoothed by the browser, the cost as codes 0..255
    # from the lowest cost (0) to the 90 % quantile and above (255), clipped like the colour scale.
    heat = [t for t in fig.data if t.type == "heatmap"]
    assert [t.xaxis for t in heat] == ["x", "x2"] and all(t.zsmooth == "fast" for t in heat)
    for t, J in zip(heat, (J_rival, J_log), strict=True):
        codes = np.asarray(t.z)
        assert codes.dtype == np.uint8 and codes.shape == J.shape
        assert codes[np.unravel_index(J.argmin(), J.shape)] == 0 and codes[J >= np.quantile(J, 0.9)].min() == 255
        assert (np.diff(codes.ravel()[J.ravel().argsort()].astype(int)) >= 0).all()   # higher cost, paler
    assert fig.data.index(heat[0]) < fig.data.index(contours[0])  # colours under the lines
    region = by_name(fig, "not convex (orange)")[0]
    assert region.contours.type == "constraint" and region.xaxis == "x"
    np.testing.assert_array_equal(np.asarray(region.z) > 0.5, nonconvex)
    # Plateau × marks: only inside the plateau mask.
    marks = by_name(fig, "plateau (×)")[0]
    assert len(marks.x) > 0
    for x, y in zip(marks.x, marks.y, strict=True):
        assert plateau[np.argmin(abs(b - y)), np.argmin(abs(w - x))]
    # One ball per panel, at the end of its path, in its own panel.
    for name, path, axis in ((f"ball, {NAMES[0]}", paths[0], "x"), (f"ball, {NAMES[1]}", paths[1], "x2")):
        ball = by_name(fig, name)[0]
        assert (ball.x[0], ball.y[0]) == pytest.approx((path[-1, 0], path[-1, 1]), abs=1e-6)
        assert ball.xaxis == axis
    # The click lattice carries both costs for the linked hover.
    lattice = by_name(fig, "click to start here")
    assert len(lattice) == 2
    # Thousands of click targets cost no DOM node each (SVG markers made the map slow to draw) and no WebGL
    # context: plotly draws one marker of each lattice (maxdisplayed) and hovers and selects among all of them.
    assert all(t.type == "scatter" and t.mode == "markers" and t.marker.maxdisplayed == 1 for t in lattice)
    cd = np.asarray(lattice[0].customdata)
    assert cd.shape == (11 * 11, 2)
    assert cd[0] == pytest.approx([J_rival[0, 0], J_log[0, 0]], rel=1e-6)
    assert "customdata[1]" in lattice[1].hovertemplate and NAMES[0] in lattice[1].hovertemplate
    assert fig.layout.xaxis.title.text == "w" and fig.layout.yaxis.title.text == "b"


def test_contour_pair_replays_both_balls_with_ball_only_frames(grid):
    w, b, J_rival, J_log, nonconvex, plateau, paths = grid
    long_path = np.column_stack([np.linspace(-3, 2, 200), np.linspace(-5, -1, 200)])
    fig = figs.contour_pair(w, b, J_rival, J_log, nonconvex, plateau, [paths[0][:, :2], long_path], NAMES,
                            ((1.5, 0.0), (2.0, -1.0)), (-3.0, -5.0))
    balls = [i for i, t in enumerate(fig.data) if (t.name or "").startswith("ball, ")]
    assert len(fig.frames) == figs.FRAMES
    assert all(list(f.traces) == balls and len(f.data) == 2 for f in fig.frames)
    first, last = fig.frames[0], fig.frames[-1]
    assert (first.data[1].x[0], first.data[1].y[0]) == (-3.0, -5.0)              # both start at the start
    assert (last.data[1].x[0], last.data[1].y[0]) == pytest.approx((2.0, -1.0))  # and end at the ball
    assert (last.data[0].x[0], last.data[0].y[0]) == (paths[0][-1, 0], paths[0][-1, 1])   # short run waits
    assert fig.layout.updatemenus[0].buttons[0].method == "animate"


def test_contour_pair_draws_the_minimum_only_inside_the_grid(grid):
    w, b, J_rival, J_log, nonconvex, plateau, paths = grid
    fig = figs.contour_pair(w, b, J_rival, J_log, nonconvex, plateau, [p[:, :2] for p in paths], NAMES,
                            ((1.5, 0.0), (44.0, -0.3)), (-3.0, -5.0))
    stars = by_name(fig, "lowest point")
    assert len(stars) == 1 and stars[0].x[0] == 1.5


def test_surface_pair_has_two_scenes_and_balls(grid):
    w, b, J_rival, J_log, nonconvex, plateau, paths = grid
    fig = figs.surface_pair(w, b, J_rival, J_log, nonconvex, plateau, paths, NAMES)
    surfaces = [t for t in fig.data if t.type == "surface"]
    assert len(surfaces) == 2 and {s.scene for s in surfaces} == {"scene", "scene2"}
    np.testing.assert_array_equal(np.asarray(surfaces[0].surfacecolor), nonconvex.astype(float))
    assert surfaces[1].surfacecolor is None                     # log-loss: convex, one colour
    assert np.asarray(surfaces[1].customdata) == pytest.approx(J_rival)   # linked hover: the other cost
    for name, path in ((f"ball, {NAMES[0]}", paths[0]), (f"ball, {NAMES[1]}", paths[1])):
        ball = by_name(fig, name)[0]
        assert (ball.x[0], ball.y[0], ball.z[0]) == pytest.approx(tuple(path[-1]), abs=1e-5)
    assert fig.layout.scene.xaxis.title.text == "w" and fig.layout.scene2.zaxis.title.text == "J"


def _surfaces_at(fig, width):
    """surface_pair's layout in a chart `width` px wide, its narrow steps applied as the page applies them
    (ui/plotly_animation.js fitNarrow: every step whose narrow_px is above the width, a later one's value winning):
    each scene's box in px (left, bottom, width, height) and the values of the paths the steps set."""
    layout = fig.layout.to_plotly_json()
    values = {}
    for path in {k for step in layout["meta"]["narrow"] for k in step["layout"]}:
        node = layout
        for key in path.replace("[", ".").replace("]", "").split("."):
            node = node[int(key)] if isinstance(node, (list, tuple)) else node.get(key)
        values[path] = node
    for step in layout["meta"]["narrow"]:   # a projector copy's last step holds on a phone (taken as the chart)
        if width < step.get("narrow_px", step.get("viewport_px")):
            values.update(step["layout"])
    m = {side: values.get(f"margin.{side}", layout["margin"][side]) for side in "lrtb"}
    plot_w, plot_h = width - m["l"] - m["r"], layout["height"] - m["t"] - m["b"]
    boxes = {}
    for scene in ("scene", "scene2"):
        x = values.get(f"{scene}.domain.x", layout[scene]["domain"]["x"])
        y = values[f"{scene}.domain.y"]
        boxes[scene] = (x[0] * plot_w, y[0] * plot_h, (x[1] - x[0]) * plot_w, (y[1] - y[0]) * plot_h)
    return boxes, values, plot_h


@pytest.mark.parametrize("big", [False, True], ids=["student", "projector"])
@pytest.mark.parametrize("width", list(range(300, 1700, 13)) + [358, 468, 564, 692, 705, 820, 980])
def test_each_3d_scene_is_as_wide_as_high_at_any_chart_width(grid, width, big):
    """Plotly fits a 3D scene's cube to its height: a scene narrower than high is cut at its sides (the J axis, the
    w axis). Side by side (from 560 px) each scene is at least as wide as it is high, its title above it and the
    legend under it; below that they are stacked, each the chart's width, and they do not overlap. The projector's
    copy is higher and its steps hold from wider charts (1.35 times): its scenes are as wide as high too."""
    fig = figs.surface_pair(*grid, NAMES)
    stack_px = figs.SURFACES_STACK_PX
    if big:   # the steps hold from charts wider in proportion to the plot's height
        fig = enlarge(fig)
        stack_px *= (fig.layout.height - fig.layout.margin.t) / (figs.SURFACES_HEIGHT - figs.SURFACES_TOP)
    boxes, values, plot_h = _surfaces_at(fig, width)
    (l1, b1, w1, h1), (l2, b2, w2, h2) = boxes["scene"], boxes["scene2"]
    titles = fig.layout.annotations
    if width >= stack_px:
        assert w1 >= h1 - 1e-6 and w2 >= h2 - 1e-6, boxes
        assert l1 + w1 <= l2 and b1 == b2                               # side by side, at the same height
        assert b1 + h1 == pytest.approx(plot_h)                          # at the top, under their titles
        assert titles[0].y == titles[1].y == 1.0
        assert values["legend.y"] == pytest.approx(b1 / plot_h, abs=1e-3)  # the legend under them
    else:
        assert w1 == w2 == pytest.approx(width) and b2 + h2 < b1         # stacked, the log-loss one below
        assert values["annotations[0].x"] == values["annotations[1].x"] == 0.5
        assert values["annotations[1].y"] == pytest.approx((b2 + h2) / plot_h)   # its title on top of it
        legend_px = 1.25 * fig.layout.font.size if fig.layout.font.size else 15    # one row of the legend
        assert values["legend.y"] == 0 and b2 >= legend_px, (b2, legend_px)       # under the lower scene


def test_the_wide_3d_scenes_are_as_wide_as_high_where_no_step_holds(grid):
    fig = figs.surface_pair(*grid, NAMES)
    assert max(step["narrow_px"] for step in fig.layout.meta["narrow"]) == figs.SURFACES_WIDE_PX
    boxes, _, _ = _surfaces_at(fig, figs.SURFACES_WIDE_PX)
    assert all(w >= h for _, _, w, h in boxes.values()), boxes


def test_cost_curves_use_a_log_scale_for_the_gap():
    costs = (np.array([0.3, 0.29, 0.29]), np.array([1.0, 0.5, 0.4]))
    gaps = (np.array([0.2, 0.19, 0.19]), np.array([0.6, 0.1, 0.0]))
    fig = figs.cost_curves(costs, gaps, NAMES)
    assert len(fig.data) == 4
    assert fig.layout.yaxis2.type == "log"
    assert min(fig.data[3].y) > 0                               # a zero gap is drawn at 1e-16, not lost
    assert fig.data[0].line.dash != fig.data[2].line.dash       # not colour alone


def test_the_two_panel_charts_carry_shorter_titles_for_a_narrow_chart():
    """layout.meta.narrow (applied in the page by ui/chart_bridge.js): the paths it sets exist in the figure."""
    curves = figs.cost_curves((np.ones(3), np.ones(3)), (np.ones(3), np.ones(3)), NAMES)
    lik = figs.likelihood_figure(1, 0.8)
    for fig, px in ((curves, figs.CURVES_NARROW_PX), (lik, figs.LIKELIHOOD_NARROW_PX)):
        narrow = fig.layout.meta["narrow"]
        assert narrow["narrow_px"] == px < 358                  # a 390 px phone keeps the full titles
        for path, value in narrow["layout"].items():
            assert fig.layout[path] is not None and len(value) < len(fig.layout[path]), path


@pytest.mark.parametrize("label", [0, 1])
def test_likelihood_figure_marks_the_chosen_probability(label):
    fig = figs.likelihood_figure(label, 0.8)
    expected = 0.8 if label else 0.2
    assert fig.data[1].y[0] == pytest.approx(expected)
    assert fig.data[3].y[0] == pytest.approx(-np.log(expected))
    ps, lik = np.asarray(fig.data[0].x), np.asarray(fig.data[0].y)
    assert lik == pytest.approx(ps if label else 1 - ps)


def test_data_likelihood_figure_separates_classes_by_symbol():
    x = np.array([[-1.0, 0.0, 1.0, 2.0]])
    y = np.array([[0.0, 1.0, 1.0, 0.0]])
    nll = np.array([0.1, 0.7, 0.2, 2.0])
    fig = figs.data_likelihood_figure(x, y, nll, "x")
    assert [t.marker.symbol for t in fig.data] == ["circle", "diamond"]
    assert list(fig.data[1].x) == [0.0, 1.0]
    assert fig.layout.annotations[0].text.endswith(f"{nll.mean():.4f}")


def test_figures_are_small_enough_to_send(grid):
    """At the page's 101 × 101 grid the two big figures together stay well under 1 MB of JSON."""
    w = b = np.linspace(-10, 10, 101)
    Wg, Bg = np.meshgrid(w, b)
    J = np.exp(-(Wg**2 + Bg**2) / 50)
    path = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 0.5]])
    size = len(pio.to_json(figs.contour_pair(w, b, J, J, Wg < 0, Wg < -5, [path[:, :2]] * 2, NAMES,
                                             ((0, 0), (0, 0)), (0.0, 0.0))))
    size += len(pio.to_json(figs.surface_pair(w, b, J, J, Wg < 0, Wg < -5, [path] * 2, NAMES)))
    assert size < 900_000


def test_each_3d_scene_is_boxed_to_its_own_surface_so_a_diverging_path_cannot_flatten_it(grid):
    """The linear neuron at α = 1 on imbalanced data diverges to J ≈ 7 × 10¹¹: with plotly's automatic ranges the
    bowl became an invisible sheet at the bottom of the box. Each scene's ranges are its surface's."""
    w, b, J_rival, J_log, nonconvex, plateau, paths = grid
    wild = np.array([[-3.0, -5.0, 0.3], [40.0, -90.0, 7e11]])
    fig = figs.surface_pair(w, b, J_rival, J_log, nonconvex, plateau, (wild, paths[1]), NAMES)
    for scene, J in ((fig.layout.scene, J_rival), (fig.layout.scene2, J_log)):
        assert tuple(scene.xaxis.range) == (w[0], w[-1]) and tuple(scene.yaxis.range) == (b[0], b[-1])
        assert tuple(scene.zaxis.range) == pytest.approx((J.min(), J.max()))


def test_cost_curves_draw_each_cost_as_a_share_of_its_own_start():
    """Squared error's J and log-loss's J are different functions: on one J axis a stalled squared error (0.25) lay
    under a finished log-loss (0.38) and read as the winner. Each is drawn as a % of its own start, J itself in the
    hover (customdata)."""
    stalled, finished = np.array([0.27, 0.26, 0.25]), np.array([4.4, 1.0, 0.38])
    fig = figs.cost_curves((stalled, finished), (np.full(3, 0.19), np.array([4.0, 0.6, 0.0])), NAMES)
    rival, log = (t for t in fig.data if t.meta["role"] == "cost")
    assert np.asarray(rival.y) == pytest.approx(100 * stalled / 0.27, rel=1e-6)
    assert np.asarray(log.y) == pytest.approx(100 * finished / 4.4, rel=1e-6)
    assert rival.y[-1] > log.y[-1]                              # the stuck run stays high, the finished one low
    assert np.asarray(rival.customdata) == pytest.approx(stalled, rel=1e-6) and "customdata" in rival.hovertemplate
    assert "%" in fig.layout.yaxis.title.text and fig.layout.yaxis.ticksuffix == "%"
    assert "% of its start" in fig.layout.annotations[0].text
    assert fig.layout.yaxis.rangemode == "tozero"
    assert figs.share_of_start(np.array([0.0, 0.0])) == pytest.approx([0.0, 0.0])     # no start to divide by


def test_classes_plateaus_and_costs_each_have_their_own_look(grid):
    """On the page y = 1 was an orange ×, × also marked the plateau, and orange was squared error's colour. Now the
    classes are the app's (y = 0 a blue dot, y = 1 an orange diamond, as on the Cost basin), the plateau alone is an
    ×, and neither cost has a class's colour or the non-convex tint's."""
    w, b, J_rival, J_log, nonconvex, plateau, paths = grid
    data = figs.data_likelihood_figure(np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]]), np.array([0.2, 0.3]), "x")
    classes = {t.name: (t.marker.color, t.marker.symbol) for t in data.data}
    assert classes == {"y = 0": (figs.BLUE, "circle"), "y = 1": (figs.ORANGE, "diamond")}
    maps = figs.contour_pair(w, b, J_rival, J_log, nonconvex, plateau, [p[:, :2] for p in paths], NAMES,
                             ((1.5, 0.0), (2.0, -1.0)), (-3.0, -5.0))
    costs = {t.line.color for t in maps.data if (t.meta or {}).get("role") == "path"}
    curves = figs.cost_curves((np.ones(3), np.ones(3)), (np.ones(3), np.ones(3)), NAMES)
    assert costs == {t.line.color for t in curves.data} and len(costs) == 2
    taken = {colour for colour, _ in classes.values()} | {figs.NONCONVEX_COLOUR, figs.PLATEAU_COLOUR}
    assert not costs & taken, (costs, taken)
    plateau_mark = by_name(maps, "plateau (×)")[0].marker.symbol
    assert plateau_mark.startswith("x") and not any(s.startswith("x") for _, s in classes.values())
    # the likelihood chart's "you are here" point is neither a class's diamond nor a cost's colour
    point = figs.likelihood_figure(1, 0.8).data[1].marker
    assert point.symbol not in {s for _, s in classes.values()} - {"circle"} and point.color not in costs | taken


def test_the_3d_plateau_marks_lie_on_the_surface_and_the_legend_shows_an_x(grid):
    """WebGL drew the 3D marker "x" as a missing glyph (a box) half sunk into the surface: spiky noise, and a dot in
    the legend. Each × is now two strokes just above the surface, and the legend's item an × with no point."""
    w, b, J_rival, J_log, nonconvex, plateau, paths = grid
    fig = figs.surface_pair(w, b, J_rival, J_log, nonconvex, plateau, paths, NAMES)
    marks = by_name(fig, "plateau (×)")
    drawn = [t for t in marks if t.mode == "lines"]
    key = [t for t in marks if t.showlegend is not False]
    assert len(drawn) == 1 and len(key) == 1 and drawn[0].showlegend is False
    assert all(t.type == "scatter3d" and t.scene == "scene" and t.legendgroup == "plateau" for t in marks)
    assert key[0].marker.symbol == "x" and key[0].marker.size >= 5
    assert all(v is None for v in key[0].x)                        # the legend's × only: no point drawn
    x, y, z = (np.asarray(getattr(drawn[0], a), float) for a in "xyz")
    ok = np.isfinite(x)
    assert ok.sum() > 0 and ok.sum() % 4 == 0                       # two strokes of two ends per ×
    iw = np.clip(np.searchsorted(w, x[ok]), 0, len(w) - 1)
    ib = np.clip(np.searchsorted(b, y[ok]), 0, len(b) - 1)
    assert (z[ok] > J_rival[ib, iw]).all()                          # above the surface, not cut by it
    centres = (x[ok][::2] + x[ok][1::2]) / 2, (y[ok][::2] + y[ok][1::2]) / 2
    for cw, cb in zip(*centres, strict=True):                       # only on the plateau
        assert plateau[np.argmin(abs(b - cb)), np.argmin(abs(w - cw))]


def test_the_3d_chart_leaves_no_empty_band_under_the_scenes_on_a_laptop(grid):
    """Streamlit keeps the chart at its figure's height; each scene is only as high as it is wide. Beside a
    1,280-px laptop's sidebar (an 820 px chart) the 520 px chart left ~80 px empty under the scenes, beyond the
    legend's row (about 30 px)."""
    fig = figs.surface_pair(*grid, NAMES)
    for width in (820, 860, 980):
        boxes, _, plot_h = _surfaces_at(fig, width)
        _, bottom, scene_w, scene_h = boxes["scene"]
        assert scene_w >= scene_h - 1e-6
        # room for the legend's row, and at most what one step of the narrow layouts loses (its scenes are as high
        # as the narrow end of the step is wide): not an empty band
        assert bottom <= 30 + figs.SCENE_SHARE * figs.SURFACES_STEP_PX, (width, bottom)


def test_zero_ticks_stand_off_their_axes_and_the_mean_label_stays_clear_of_the_ticks():
    """The x and y axes' "0" ran into each other at the origin of the likelihood and cost charts; the "mean = J"
    label sat at the left end of its line, against the tick number 0.5."""
    lik = figs.likelihood_figure(1, 0.8)
    curves = figs.cost_curves((np.ones(3), np.ones(3)), (np.ones(3), np.ones(3)), NAMES)
    for fig, axes in ((lik, ("yaxis", "yaxis2")), (curves, ("yaxis",))):    # (the log axis has no 0)
        for axis in axes:
            assert fig.layout[axis].ticklabelstandoff >= 8, axis
        assert fig.layout.xaxis.ticklabelstandoff >= 4
    data = figs.data_likelihood_figure(np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]]), np.array([0.2, 0.3]), "x")
    label = data.layout.annotations[0]
    assert label.text.startswith("mean = J") and label.x == 1 and label.xanchor == "right"
