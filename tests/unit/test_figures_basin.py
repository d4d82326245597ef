"""The Cost basin figure: panels, one slot of traces per shown run (the same slots whether rates are raced or not),
every run in the payload beside it (the figure itself does not change with the runs, nor with the race), the
controls the page's script acts on, and a layout where the 3D basin comes first and no control sits on an axis."""

import base64
import json

import numpy as np
import plotly.io as pio
import pytest

from core.figures.basin import (
    BALL_SIZE_3D,
    RACE_COLOURS,
    SINGLE_COLOUR,
    SLOTS,
    SURFACE_LAYOUT,
    BasinSurface,
    FrozenFigure,
    basin_figure,
    layout,
    panels,
    runs_payload,
    surface_payload,
    with_runs,
)
from core.lessons import basin
from core.maths.surfaces import cost_grid


@pytest.fixture(scope="module")
def built():
    x, y, data = basin.load("overlap", 0)
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3)
    runs = basin.compute_runs(x, y, basin.ALPHA_TOKENS, curv.rates(), -3, 3, 30, "sigmoid", "log", 0.0)
    box = basin.basin_box(runs, curv, -3, 3)
    w, b = np.linspace(*box[:2], 40), np.linspace(*box[2:], 30)
    J = cost_grid(x, y, w, b)
    shown = runs.index("smooth")
    fig = basin_figure(w, b, J, x, y, tokens=runs.tokens, minimum=(curv.minimum.w.item(), curv.minimum.b,
                                                                   curv.minimum.cost))
    payload = runs_payload(fig, runs, labels=list(runs.tokens), shown=[shown])
    return fig, runs, shown, box, payload


def test_four_panels_surface_contour_data_and_cost(built):
    fig, runs, _, box, _ = built
    types = [t.type for t in fig.data]
    assert types[0] == "surface" and types[1] == "contour"
    assert fig.data[0].z.shape == (30, 40)
    assert fig.layout.scene.xaxis.title.text == "w" and fig.layout.scene.yaxis.title.text == "b"
    assert list(fig.layout.scene.xaxis.range) == list(box[:2])
    assert fig.layout.yaxis3.title.text == "J" and fig.layout.xaxis3.title.text == "step"


def test_two_classes_differ_in_colour_and_symbol(built):
    fig = built[0]
    classes = [t for t in fig.data if t.name in ("y = 0", "y = 1")]
    assert len(classes) == 2
    assert classes[0].marker.symbol != classes[1].marker.symbol
    assert classes[0].marker.color != classes[1].marker.color


def test_the_click_grid_covers_the_map_but_plotly_draws_one_marker(built):
    """21 × 21 clickable points over the plotted box where a start may be (w₀ and b₀ in [−10, 10]: this box runs
    to w = 15); plotly hovers and selects among all of them, draws one."""
    fig, _, _, box, _ = built
    pick = fig.data[fig.layout.meta["basin"]["pick"]]
    assert pick.type == "scatter" and pick.mode == "markers" and pick.marker.maxdisplayed == 1
    assert pick.marker.opacity == 0 and pick.showlegend is False
    assert len(pick.x) == len(pick.y) == 21 * 21
    assert box[1] > 10
    assert (min(pick.x), max(pick.x)) == pytest.approx((max(box[0], -10), min(box[1], 10)), abs=1e-5)
    assert (min(pick.y), max(pick.y)) == pytest.approx((max(box[2], -10), min(box[3], 10)), abs=1e-5)


def _decode(spec, shape):
    return np.frombuffer(base64.b64decode(spec["bdata"]), np.float32).reshape(shape)


def test_one_slot_per_panel_and_every_run_in_the_payload(built):
    fig, runs, shown, _, payload = built
    meta = fig.layout.meta["basin"]
    assert "tokens" not in meta and "mode" not in meta and payload["mode"] == "one"   # the payload names the runs
    for role in ("trail3d", "trailmap", "cost", "curve"):  # one trace per panel and slot, not one per rate
        assert len(meta[role]) == SLOTS == basin.MAX_RACE
        assert all(fig.data[i].meta == -1 and len(fig.data[i].x) == 0 for i in meta[role])  # empty until filled
        # slot 0 shown (a single run), the others hidden until a race shows them
        assert [fig.data[i].visible is not False for i in meta[role]] == [True] + [False] * (SLOTS - 1)
    assert fig.data[meta["ball3d"]].marker.size == BALL_SIZE_3D and len(fig.data[meta["ball3d"]].x) == SLOTS
    assert payload["id"] == meta["id"] and payload["shown"] == [shown] and payload["tokens"] == list(runs.tokens)
    K, n = runs.W.shape
    assert (payload["K"], payload["n"]) == (K, n) == (len(runs.tokens), 31)
    assert payload["start"][:2] == [-3, 3]
    assert np.allclose(_decode(payload["j"], (K, n)), runs.J, rtol=1e-6)
    w = _decode(payload["w"], (K, n))
    on_map = np.isfinite(w)
    assert np.allclose(w[on_map], runs.W[on_map], rtol=1e-6)
    assert _decode(payload["cx"], (K, n, payload["P"])).shape == (K, n, 7)


def test_the_figure_does_not_change_with_the_runs(built):
    """More steps, another start or other rates in the same box: the same spec (so Streamlit redraws nothing),
    another payload for it; another surface or minimum: another figure, whose id no old payload matches."""
    fig, runs, shown, box, payload = built
    x, y, _ = basin.load("overlap", 0)
    w, b = np.linspace(*box[:2], 40), np.linspace(*box[2:], 30)
    J = cost_grid(x, y, w, b)
    minimum = fig.data[fig.layout.meta["basin"]["trailmap"][0] - 1].x[0], 0.5, 0.3
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3)
    longer = basin.compute_runs(x, y, basin.ALPHA_TOKENS, curv.rates(), -2.5, 3, 60, "sigmoid", "log", 0.0)
    other = runs_payload(fig, longer, labels=list(longer.tokens), shown=[shown])
    assert other["id"] == payload["id"] and other["n"] == 61 and other["start"][:2] == [-2.5, 3]
    same = basin_figure(w, b, J, x, y, tokens=runs.tokens, minimum=(curv.minimum.w.item(), curv.minimum.b,
                                                                    curv.minimum.cost))
    assert pio.to_json(same.to_dict()) == pio.to_json(fig.to_dict())
    moved = basin_figure(w, b, J, x, y, tokens=runs.tokens, minimum=minimum)
    flatter = basin_figure(w, b, J / 2, x, y, tokens=runs.tokens, minimum=(curv.minimum.w.item(), curv.minimum.b,
                                                                          curv.minimum.cost))
    # another surface or minimum: the same structure (the page keeps its figure), another surface key, which no
    # old payload names
    assert {f.layout.meta["basin"]["id"] for f in (fig, moved, flatter)} == {payload["id"]}
    keys = {f.layout.meta["basin"]["surface"] for f in (fig, moved, flatter)}
    assert len(keys) == 3 and payload["surface"] == fig.layout.meta["basin"]["surface"]
    # a race (of any rates, as many as the slots) is drawn into the same figure: the same spec, another payload
    raced = runs_payload(fig, runs, labels=list(runs.tokens), shown=[0, 1, 2], race=True)
    fewer = runs_payload(fig, runs, labels=list(runs.tokens), shown=[3, 4], race=True)
    assert raced["id"] == fewer["id"] == payload["id"] and raced["mode"] == fewer["mode"] == "race"
    assert len({raced["key"], fewer["key"], payload["key"]}) == 3
    again = basin_figure(w, b, J, x, y, tokens=runs.tokens[3:6], minimum=(curv.minimum.w.item(), curv.minimum.b,
                                                                         curv.minimum.cost))
    assert pio.to_json(again.to_dict()) == pio.to_json(fig.to_dict())
    for wrong in ([], [0, 1], list(range(SLOTS + 1))):          # one run, or 1 to SLOTS raced runs
        with pytest.raises(ValueError):
            runs_payload(fig, runs, labels=list(runs.tokens), shown=wrong, race=len(wrong) > SLOTS)


def _from_spec(figure):
    """What the surface decides, read from a figure's spec (what surface_payload must equal)."""
    spec = figure.to_dict()
    data, layout, meta = spec["data"], spec["layout"], spec["layout"]["meta"]["basin"]
    surface, pick, star = data[meta["surface3d"]], data[meta["pick"]], data[meta["min3d"]]

    def at(path):
        value = layout
        for part in path.split("."):
            value = value[part]
        return value

    return {"key": meta["surface"], "id": meta["id"], "box": [*layout["xaxis"]["range"], *layout["yaxis"]["range"]],
            "w": surface["x"], "b": surface["y"], "J": surface["z"],
            "classes": [{"x": data[i]["x"], "y": data[i]["y"], "hovertemplate": data[i]["hovertemplate"]}
                        for i in meta["classes"]],
            "pick": {"x": pick["x"], "y": pick["y"]},
            "minimum": [star["x"][0], star["y"][0], star["z"][0]] if star.get("visible", True) else None,
            "layout": {path: at(path) for path in SURFACE_LAYOUT}}


def test_the_surface_payload_holds_what_the_surface_decides(built):
    """What a figure of the same structure needs to show another surface: the surface's w, b, J, the data, the
    click grid, the minimum and the layout's ranges and titles, the same numbers as the figure's own spec (so a
    session that keeps its figure shows what a new figure would), computed without building the figure."""
    fig, runs, _, box, payload = built
    x, y, _ = basin.load("iris", 0)
    w, b = np.linspace(-4, 5, 50), np.linspace(-3, 2, 20)
    J = cost_grid(x, y, w, b, *basin.NEURONS["linear"], 1.0)
    other = BasinSurface(w, b, J, x, y, tokens=runs.tokens, neuron="linear", feature_label="petal")
    s = surface_payload(other)
    assert other._figure is None                                      # no plotly figure for the payload
    assert s is surface_payload(other) and s["id"] == fig.layout.meta["basin"]["id"] == payload["id"]
    assert s["key"] != payload["surface"]
    assert json.loads(json.dumps(s)) == json.loads(json.dumps(_from_spec(other.figure())))
    spec, meta = other.figure().to_dict(), other.figure().layout.meta["basin"]
    assert meta["surface"] == s["key"] and meta["id"] == s["id"]
    assert np.array_equal(_decode(s["J"], (20, 50)), J.astype(np.float32))
    assert np.array_equal(_decode(s["w"], (50,)), w.astype(np.float32))
    assert s["minimum"] is None and spec["data"][meta["minmap"]]["visible"] is False
    assert s["layout"]["scene.xaxis.range"] == [-4, 5] and s["layout"]["yaxis.range"] == [-3, 2]
    assert s["layout"]["yaxis2.title.text"] == "y  and  wx + b" and s["layout"]["xaxis2.title.text"] == "petal"
    pick = _decode(s["pick"]["x"], (21 * 21,))
    assert pick.min() == -4 and pick.max() == 5
    ones = _decode(s["classes"][1]["x"], (int(y.sum()),))
    assert np.array_equal(ones, np.ravel(x)[np.ravel(y) == 1].astype(np.float32))
    assert "petal=" in s["classes"][0]["hovertemplate"]
    # with a minimum, in a race, on the bundled data: the same numbers as the spec
    x, y, _ = basin.load("overlap", 0)
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3)
    w, b = np.linspace(*box[:2], 40), np.linspace(*box[2:], 30)
    for slots in (1, 3):
        mine = BasinSurface(w, b, cost_grid(x, y, w, b), x, y, tokens=runs.tokens[:slots],
                            minimum=(curv.minimum.w.item(), curv.minimum.b, curv.minimum.cost))
        assert json.loads(json.dumps(mine.payload())) == json.loads(json.dumps(_from_spec(mine.figure())))
        assert mine.payload()["minimum"] is not None and len(json.dumps(mine.payload())) < 20_000
    assert surface_payload(mine)["key"] != surface_payload(other)["key"]


def test_no_plotly_frames_and_every_control_is_an_action_for_the_page_script(built):
    fig = built[0]
    meta = fig.layout.meta["basin"]
    assert fig.frames_dict == []                                 # the page's script animates from the payload
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.args[0] for b in buttons] == meta["actions"] == ["play", "pause", "slow", "fast", "step"]
    assert all(b.method == "skip" for b in buttons)
    steps = fig.layout.sliders[0].steps        # its length comes with the runs (the script sets one per step)
    assert steps[0].method == "skip" and list(steps[0].args) == ["seek", 0]


def test_frozen_figure_serialises_fast_and_small(built):
    fig, payload = built[0], built[4]
    assert isinstance(fig, FrozenFigure)
    text = pio.to_json(fig.to_dict(), validate=False)
    spec = json.loads(text)
    assert spec["frames"] == [] and len(text) < 200_000 and len(json.dumps(payload)) < 60_000
    assert spec["layout"]["updatemenus"][0]["buttons"][0]["label"] == "▶ Play"


def test_the_basin_comes_first_and_the_controls_have_their_own_strip(built):
    fig = built[0]
    scene = fig.layout.scene.domain
    assert scene.x[1] - scene.x[0] >= 0.7 and scene.y[1] - scene.y[0] >= 0.55      # the largest panel
    lowest_top = max(fig.layout[a].domain[1] for a in ("yaxis", "yaxis2", "yaxis3"))
    for menu in fig.layout.updatemenus:          # between the basin's bottom and the flat panels' titles
        assert lowest_top + 0.1 < menu.y <= scene.y[0]
    assert lowest_top + 0.08 < fig.layout.sliders[0].y < fig.layout.updatemenus[0].y
    narrow = layout.narrow()                     # a phone: one column, the same height
    assert narrow["scene.domain.x"] == [0, 1] and "height" not in narrow
    # play and pause as their signs alone on a phone, where the row of five buttons was wider than the plot
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["▶ Play", "❚❚ Pause", "Slow", "Fast", "Step ▶"]
    assert [narrow.get(f"updatemenus[0].buttons[{i}].label", b.label) for i, b in enumerate(buttons)] == \
        ["▶", "❚❚", "Slow", "Fast", "Step ▶"]
    # a chart a little wider: the basin the whole width, the legend in its top right corner; narrow() anchors the
    # legend again, as it comes after medium() when both hold
    medium = layout.medium()
    assert medium["scene.domain.x"] == [0, 1] and medium["legend.x"] == 1 and medium["legend.xanchor"] == "right"
    assert narrow["legend.xanchor"] == "left" and layout.NARROW_PX < layout.MEDIUM_PX
    meta = fig.layout.meta["basin"]
    assert (meta["medium_px"], meta["medium"]) == (layout.MEDIUM_PX, medium)


def test_points_off_the_map_are_not_drawn():
    x, y, _ = basin.load("overlap", 0)
    curv = basin.curvature(x, y, "linear", "squared", 0.0, -3, 3)
    runs = basin.compute_runs(x, y, ["too-large"], curv.rates(), -3, 3, 40, "linear", "squared", 0.0)
    w, b = np.linspace(-4, 3, 20), np.linspace(-1, 4, 20)
    fig = basin_figure(w, b, cost_grid(x, y, w, b, "linear", "squared"), x, y, tokens=runs.tokens,
                       neuron="linear")
    payload = runs_payload(fig, runs, labels=["too large"], shown=[0])
    trail = _decode(payload["w"], (1, 41))[0]
    assert np.isnan(trail[-1]) and np.isfinite(trail[0])
    assert fig.layout.yaxis2.title.text.endswith("wx + b")


def test_race_shows_every_run_with_its_own_colour_and_legend():
    x, y, _ = basin.load("overlap", 0)
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3)
    runs = basin.compute_runs(x, y, ["0.1", "smooth", "too-large"], curv.rates(), -3, 3, 20, "sigmoid", "log", 0)
    w, b = np.linspace(-4, 3, 20), np.linspace(-1, 4, 20)
    fig = basin_figure(w, b, cost_grid(x, y, w, b), x, y, tokens=runs.tokens)
    payload = runs_payload(fig, runs, labels=["a", "b", "c"], shown=[0, 1, 2], race=True)
    meta = fig.layout.meta["basin"]
    assert payload["mode"] == "race" and len(meta["trailmap"]) == SLOTS and payload["shown"] == [0, 1, 2]
    # one legend entry per run, on its trail in the top view: its name (the payload's label, set by the page's
    # script) beside its colour, dash and ball shape; the fourth slot hidden, out of the legend
    spec = with_runs(fig, payload).to_dict()
    data = spec["data"]
    assert [data[i].get("showlegend", True) and data[i]["visible"] for i in meta["trailmap"]] == [True] * 3 + [False]
    assert [data[i]["name"] for i in meta["trailmap"][:3]] == ["a", "b", "c"]
    assert all(not data[i]["visible"] for role in ("trail3d", "cost", "curve") for i in meta[role][3:])
    assert data[meta["trail3d"][3]]["meta"] == -1 and len(data[meta["trail3d"][3]]["x"]) == 0
    assert payload["labels"] == ["a", "b", "c"]
    assert all(fig.data[i].mode == "lines+markers" for i in meta["trailmap"])
    assert len({fig.data[i].line.color for i in meta["cost"]}) == 4
    # Never colour alone: each raced run has its own dash, and its ball its own shape.
    assert len({fig.data[i].line.dash for i in meta["cost"]}) == 4
    assert len({fig.data[i].line.dash for i in meta["trailmap"]}) == 4
    assert len(set(fig.data[meta["ballmap"]].marker.symbol)) == 4
    assert len(_decode(data[meta["ballmap"]]["x"], (3,))) == 3                # one ball per raced run


def test_the_single_run_looks_as_the_first_raced_run():
    """Slot 0 is the single run's and the first raced run's: the same colour, dash and ball shape, so showing the
    race or not only shows or hides the other slots."""
    x, y, _ = basin.load("overlap", 0)
    w, b = np.linspace(-4, 3, 20), np.linspace(-1, 4, 20)
    fig = basin_figure(w, b, cost_grid(x, y, w, b), x, y, tokens=["smooth"])
    meta = fig.layout.meta["basin"]
    assert SINGLE_COLOUR == RACE_COLOURS[0]
    for role in ("trail3d", "trailmap", "cost", "curve"):
        first = fig.data[meta[role][0]]
        assert first.line.color == SINGLE_COLOUR and first.line.dash == "solid"
    for role in ("ball3d", "ballmap", "ballcost"):
        marker = fig.data[meta[role]].marker
        assert marker.color[0] == SINGLE_COLOUR and marker.symbol[0] == "circle"


def test_squashed_update_figure_compares_the_two_rules():
    from core.figures.basin import squashed_update_figure
    from core.maths.logistic import squashed_update_descent

    x, y, _ = basin.load("overlap", 0)
    out = squashed_update_descent(np.array([[-3.0]]), 3.0, x, y, 1.0, 30)
    fig = squashed_update_figure(out, 1.0)
    assert len(fig.data) == 4 and {t.legendgroup for t in fig.data} == {"right", "wrong"}
    assert all(len(t.x) == 31 for t in fig.data)
    assert len({t.line.dash for t in fig.data}) == 2          # not colour alone
    assert fig.layout.xaxis.title.text == "step" and fig.layout.yaxis2.title.text == "w"


def test_with_runs_draws_the_shown_run_into_the_slots_for_a_first_visit(built):
    """A first visit draws the figure once, with its runs (the page's script then has nothing to redraw): the
    slots hold the chosen rate's run at step 0, the start and the slider, and name the payload they hold."""
    fig, runs, _, _, payload = built
    k = runs.index("oscillating")
    full = with_runs(fig, payload, "oscillating").to_dict()
    meta = full["layout"]["meta"]["basin"]
    assert meta["drawn"] == payload["key"] and "drawn" not in fig.to_dict()["layout"]["meta"]["basin"]
    data = full["data"]
    for role in ("trail3d", "trailmap", "cost", "curve"):
        assert data[meta[role][0]]["meta"] == k and "oscillating" in data[meta[role][0]]["name"]
    assert np.allclose(_decode(data[meta["cost"][0]]["y"], (31,)), runs.J[k], rtol=1e-6)
    assert np.allclose(_decode(data[meta["ballmap"]]["x"], (1,)), runs.W[k, 0], rtol=1e-6)
    assert data[meta["startmap"]]["x"] == [-3] and len(full["layout"]["sliders"][0]["steps"]) == 31
    assert len(fig.data[meta["trailmap"][0]].x) == 0                  # the figure itself is left empty
    assert [data[i]["visible"] for i in meta["trailmap"]] == [True] + [False] * (SLOTS - 1)


def test_the_cost_panel_has_one_scale_for_every_run_of_the_payload(built):
    """Every run of a payload is drawn on the same cost axes (so that two rates compare at a glance and another
    rate moves no axis): steps 0 to n − 1; J from the lowest J of any run up to J at the start, where every run
    starts, with 5 % of room; on the log scale, every finite J, climbing and diverging runs too."""
    _, runs, _, _, payload = built
    axes = payload["cost_axes"]
    J = runs.J.astype(np.float32).astype(float)
    n = J.shape[1]
    assert axes["x"] == pytest.approx([-0.05 * (n - 1), 1.05 * (n - 1)])
    finite = np.isfinite(J)
    assert np.all(J[:, 0] == J[0, 0])
    lo, hi = J[finite].min(), J[0, 0]
    assert axes["linear"] == pytest.approx([lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)])
    descending = [k for k in range(len(J)) if np.all(np.diff(J[k]) <= 0)]
    climbing = [k for k in range(len(J)) if np.nanmax(J[k]) > hi * 1.2]
    assert descending and climbing                  # the fixture has both
    for k in descending:                            # every run that descends is drawn whole
        assert axes["linear"][0] < J[k].min() and J[k].max() < axes["linear"][1]
    positive = J[finite & (J > 0)]
    l_lo, l_hi = np.log10(positive.min()), np.log10(positive.max())
    assert axes["log"] == pytest.approx([l_lo - 0.05 * (l_hi - l_lo), l_hi + 0.05 * (l_hi - l_lo)])
    for k in climbing:                               # the log view reaches the climbing runs
        assert np.log10(np.nanmax(J[k])) < axes["log"][1]


def test_a_run_that_barely_moves_is_drawn_flat_on_the_shared_scale():
    """A tiny learning rate: J barely moves, and on the payload's scale its curve spans a sliver of the panel
    (an axis fitted to that run alone would draw it as a steep fall)."""
    x, y, _ = basin.load("overlap", 0)
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3)
    runs = basin.compute_runs(x, y, ["0.0001", "smooth"], curv.rates(), -3, 3, 30, "sigmoid", "log", 0.0)
    w, b = np.linspace(-4, 4, 20), np.linspace(-4, 4, 20)
    fig = basin_figure(w, b, cost_grid(x, y, w, b), x, y, tokens=runs.tokens)
    payload = runs_payload(fig, runs, labels=["tiny", "smooth"], shown=[0])
    lo, hi = payload["cost_axes"]["linear"]
    tiny = runs.J[0]
    assert (tiny.max() - tiny.min()) / (hi - lo) < 0.01
    assert lo < runs.J[1].min() and runs.J[1][0] < hi


def test_cost_axes_ignore_costs_that_overflowed():
    """Runs whose cost overflows (inf, NaN) or that never settle: the ranges stay finite and ordered, from the
    finite costs alone; an empty range gets room of its own."""
    from types import SimpleNamespace

    from core.figures.basin.paths import Look, Paths, padded

    assert padded(0.0, 0.0) == [-0.5, 0.5] and padded(2.0, 2.0) == pytest.approx([1.9, 2.1])
    w, b = np.linspace(-4, 4, 5), np.linspace(-4, 4, 5)
    look = Look((w, b, np.ones((5, 5))), np.array([0.0, 1.0]))
    J = np.array([[0.7, 0.6, 0.5, 0.45], [0.7, 5.0, np.inf, np.nan], [0.7, 9.0, 80.0, 1e4]])
    runs = SimpleNamespace(W=np.zeros_like(J), B=np.zeros_like(J), J=J, trajectories=())
    axes = Paths(runs, look, "logistic", ["a", "b", "c"]).cost_axes()
    assert axes["x"] == pytest.approx([-0.15, 3.15])
    assert axes["linear"] == pytest.approx([0.45 - 0.0125, 0.7 + 0.0125])        # the lowest J and J0
    assert axes["log"] == pytest.approx(padded(np.log10(0.45), 4.0))
    stuck = SimpleNamespace(W=np.zeros((1, 3)), B=np.zeros((1, 3)), J=np.array([[0.5, np.inf, np.inf]]),
                            trajectories=())
    axes = Paths(stuck, look, "logistic", ["d"]).cost_axes()
    assert axes["linear"] == pytest.approx([0.475, 0.525]) and all(np.isfinite(r).all() for r in axes.values())


def test_with_runs_puts_the_payloads_cost_scale_in_the_figure(built):
    fig, _, _, _, payload = built
    full = with_runs(fig, payload, "smooth").to_dict()["layout"]
    assert full["xaxis3"]["range"] == payload["cost_axes"]["x"]
    assert full["yaxis3"]["range"] == payload["cost_axes"]["linear"]
    assert "range" not in fig.to_dict()["layout"]["yaxis3"]            # the figure itself is left as it was


def test_the_click_grid_stays_where_a_start_may_be_and_its_hover_shows_the_start_a_click_gives():
    """Separable data, λ = 0.1, used to draw a map from w = −10 to 60: 92 % of the click grid lay outside the
    start's range (±10), the hover said "click to start here w=40.00, b=20.00" and the start became (10, 10). The
    grid now stays within ±10, on the one-decimal values the click keeps, and the hover shows them so."""
    box = (-10.0, 60.0, -40.0, 30.0)
    gw, gb = panels.pick_grid(box)
    assert gw.min() == gb.min() == -10 and gw.max() == gb.max() == 10 and len(gw) == panels.PICK_GRID ** 2
    gw, gb = panels.pick_grid((-2.0, 3.0, -3.0, 2.0))
    for v in np.r_[gw, gb]:
        assert round(v, 1) == v and np.signbit(v) == (v < 0)            # what the click keeps, and no "−0.0"
    x, y, _ = basin.load("overlap", 0)
    w, b = np.linspace(-2, 3, 20), np.linspace(-3, 2, 20)
    fig = basin_figure(w, b, cost_grid(x, y, w, b), x, y, tokens=basin.ALPHA_TOKENS)
    pick = fig.data[fig.layout.meta["basin"]["pick"]]
    assert "w=%{x:.1f}, b=%{y:.1f}" in pick.hovertemplate


def test_on_a_phone_the_basins_title_hangs_below_plotlys_toolbar():
    """At 390 px plotly's toolbar (kept for the 3D camera's buttons) was drawn over "The basin J(w, b): drag to turn
    it": the title sat 8 px into the top margin, where the toolbar is. It now hangs from the top of the plot, below
    the margin that holds the toolbar."""
    narrow = layout.narrow()
    assert narrow["annotations[0].yanchor"] == "top" and narrow["annotations[0].y"] <= 1
    assert not narrow.get("annotations[0].yshift", 0) > 0
    x, y, _ = basin.load("overlap", 0)
    w, b = np.linspace(-2, 3, 20), np.linspace(-3, 2, 20)
    fig = basin_figure(w, b, cost_grid(x, y, w, b), x, y, tokens=basin.ALPHA_TOKENS)
    assert fig.layout.annotations[0].text.startswith("<b>The basin J(w, b)")
    assert fig.layout.margin.t >= layout.TOOLBAR_PX + 4


def test_on_a_phone_the_top_view_is_high_enough_to_tap_a_start():
    """On a 390 px phone the top view, where a tap sets the start point, was about 90 px high (0.09 of the plot);
    it takes the room the lower panels left unused (the browser tests check that nothing overlaps)."""
    from core.figures.basin.layout import narrow
    lo, hi = narrow()["yaxis.domain"]
    assert hi - lo >= 0.11
    for axis in ("yaxis2", "yaxis3"):
        assert narrow()[f"{axis}.domain"][1] < lo     # the data and cost panels stay below it


def test_a_diverged_runs_cost_ends_where_it_was_stopped():
    """After a run diverged and was stopped, the cost panel drew its last J (10¹²) flat to the last step, as if J
    had stayed there (the path's step 3: linear neuron, too large a rate). Its J ends at the stop; a converged
    run's J stays at its last value (it did stay there)."""
    import base64
    x, y, _ = basin.load("overlap", 0)
    curv = basin.curvature(x, y, "linear", "squared", 0.0, 2.0, -2.5)
    runs = basin.compute_runs(x, y, basin.ALPHA_TOKENS, curv.rates(), 2.0, -2.5, 60, "linear", "squared", 0.0)
    box = basin.basin_box(runs, curv, 2.0, -2.5)
    w, b = np.linspace(*box[:2], 30), np.linspace(*box[2:], 30)
    fig = basin_figure(w, b, cost_grid(x, y, w, b, "linear", "squared"), x, y, tokens=runs.tokens)
    payload = runs_payload(fig, runs, labels=list(runs.tokens), shown=[runs.index("too-large")])
    j = np.frombuffer(base64.b64decode(payload["j"]["bdata"]), np.float32).reshape(payload["K"], payload["n"])
    diverged = [k for k, t in enumerate(runs.trajectories) if t.status == "diverged"]
    settled = [k for k, t in enumerate(runs.trajectories) if t.status != "diverged"]
    assert diverged and settled
    for k in diverged:
        done = runs.trajectories[k].cost.size
        assert done < payload["n"] and np.isfinite(j[k, :done]).all() and np.isnan(j[k, done:]).all()
    for k in settled:
        assert np.isfinite(j[k]).all() and j[k, -1] == np.float32(runs.J[k, -1])
