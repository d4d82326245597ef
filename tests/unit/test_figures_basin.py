"""The Cost basin figure: panels, runs, ball-only frames, and the map the page's script relies on."""

import json

import numpy as np
import plotly.io as pio
import pytest

from core.figures.basin import BALL_SIZE_3D, FrozenFigure, basin_figure
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
    fig = basin_figure(w, b, J, x, y, runs, shown=[shown], labels=list(runs.tokens), start=(-3, 3),
                       minimum=(curv.minimum.w.item(), curv.minimum.b, curv.minimum.cost))
    return fig, runs, shown, box


def test_four_panels_surface_contour_data_and_cost(built):
    fig, runs, _, box = built
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


def test_every_run_is_in_the_figure_and_only_the_chosen_one_shows(built):
    fig, runs, shown, _ = built
    meta = fig.layout.meta["basin"]
    assert meta["tokens"] == list(runs.tokens) and meta["mode"] == "one"
    for role in ("trail3d", "trailmap", "cost", "curve"):
        assert len(meta[role]) == len(runs.tokens)
        assert [fig.data[i].visible for i in meta[role]] == [k == shown for k in range(len(runs.tokens))]
    sizes = fig.data[meta["ball3d"]].marker.size
    assert sizes[shown] == BALL_SIZE_3D and sum(s > 0 for s in sizes) == 1
    assert np.allclose(np.asarray(fig.data[meta["cost"][shown]].y), runs.J[shown], rtol=1e-6)


def test_frames_carry_only_the_balls_and_curves_one_per_step(built):
    fig, runs, shown, _ = built
    meta = fig.layout.meta["basin"]
    frames = fig.frames_dict
    assert len(frames) == runs.W.shape[1] == 31
    assert frames[5]["traces"] == [meta["ball3d"], meta["ballmap"], meta["ballcost"], *meta["curve"]]
    ball = frames[5]["data"][1]
    w = np.frombuffer(__import__("base64").b64decode(ball["x"]["bdata"]), np.float32)
    assert w.shape == (len(runs.tokens),) and np.isclose(w[shown], runs.W[shown, 5], rtol=1e-6)


def test_frozen_figure_serialises_fast_and_small(built):
    fig = built[0]
    assert isinstance(fig, FrozenFigure)
    text = pio.to_json(fig.to_dict(), validate=False)
    spec = json.loads(text)
    assert len(spec["frames"]) == 31 and len(text) < 400_000
    assert spec["layout"]["updatemenus"][0]["buttons"][0]["label"] == "▶ Play"
    play = spec["layout"]["updatemenus"][0]["buttons"][0]["args"][1]
    assert play["frame"]["redraw"] is True and play["transition"]["duration"] == 0


def test_points_off_the_map_are_not_drawn():
    x, y, _ = basin.load("overlap", 0)
    curv = basin.curvature(x, y, "linear", "squared", 0.0, -3, 3)
    runs = basin.compute_runs(x, y, ["too-large"], curv.rates(), -3, 3, 40, "linear", "squared", 0.0)
    w, b = np.linspace(-4, 3, 20), np.linspace(-1, 4, 20)
    fig = basin_figure(w, b, cost_grid(x, y, w, b, "linear", "squared"), x, y, runs, shown=[0],
                       labels=["too large"], neuron="linear", start=(-3, 3))
    trail = np.asarray(fig.data[fig.layout.meta["basin"]["trailmap"][0]].x, float)
    assert np.isnan(trail[-1]) and np.isfinite(trail[0])
    assert fig.layout.yaxis2.title.text.endswith("wx + b")


def test_race_shows_every_run_with_its_own_colour_and_legend():
    x, y, _ = basin.load("overlap", 0)
    curv = basin.curvature(x, y, "sigmoid", "log", 0.0, -3, 3)
    runs = basin.compute_runs(x, y, ["0.1", "smooth", "too-large"], curv.rates(), -3, 3, 20, "sigmoid", "log", 0)
    w, b = np.linspace(-4, 3, 20), np.linspace(-1, 4, 20)
    fig = basin_figure(w, b, cost_grid(x, y, w, b), x, y, runs, shown=[0, 1, 2], labels=["a", "b", "c"],
                       colours=["#D55E00", "#0072B2", "#009E73"])
    meta = fig.layout.meta["basin"]
    assert meta["mode"] == "race"
    assert all(fig.data[i].visible for i in meta["cost"]) and all(fig.data[i].showlegend for i in meta["cost"])
    assert len({fig.data[i].line.color for i in meta["cost"]}) == 3
    # Never colour alone: each raced run has its own dash, and its ball its own shape.
    assert len({fig.data[i].line.dash for i in meta["cost"]}) == 3
    assert len({fig.data[i].line.dash for i in meta["trailmap"]}) == 3
    assert len(set(fig.data[meta["ballmap"]].marker.symbol)) == 3


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
