"""ui/chart_bridge.py: a kept chart's payload, drawn into its spec, is the new figure; the structure decides when
the chart must be a new one."""

import json

import numpy as np
import pytest

from core.data.datasets import one_feature
from core.figures import losses as figs
from core.lessons import losses
from ui import chart_bridge as cb


def _maps(dataset="overlap", runs=((2.0, -4.0, 1.0), (2.0, -4.0, 3.0), (-3.0, 2.0, 1.0))):
    """The Losses page's contour maps for several (w0, b0, α) on one data set."""
    d = one_feature(dataset)
    left, right = (losses.landscape(d.x, d.y, *c[:2], *losses.grid_axes()) for c in (losses.rival("squared"),
                                                                                        losses.LOG))
    S, R = left.surface, right.surface
    out = []
    for w0, b0, alpha in runs:
        paths = [losses.descend(d.x, d.y, *c, w0, b0, alpha, 60, land).path[:, :2]
                 for c, land in ((losses.rival("squared"), left), (losses.LOG, right))]
        out.append(figs.contour_pair(S.w, S.b, S.J, R.J, left.nonconvex, left.plateau, paths,
                                     ("squared error", "log-loss"), (left.minimum[:2], right.minimum[:2]), (w0, b0)))
    return out


def _spec(parts):
    spec = json.loads(json.dumps(parts.spec))
    spec["layout"]["meta"] = {"bridge": "id"}
    return spec


def _plain(spec):
    """The figure without the bridge's own id, as JSON text (arrays compared as their encoding)."""
    out = json.loads(json.dumps(spec))
    meta = out["layout"].get("meta")
    if isinstance(meta, dict):
        meta.pop("bridge", None)
        if not meta:
            out["layout"].pop("meta")
    return json.dumps(out, sort_keys=True)


@pytest.fixture(scope="module")
def maps():
    return [cb.Parts(f) for f in _maps()]


def test_runs_of_one_surface_share_a_structure_and_another_surface_does_not(maps):
    assert len({p.structure(cb.MOVING) for p in maps}) == 1
    other = cb.Parts(_maps("iris", runs=((2.0, -4.0, 1.0),))[0])
    assert other.structure(cb.MOVING) != maps[0].structure(cb.MOVING)        # another J: a new chart
    # the heatmap and contours are the same objects in every run: only 2D scatter traces move
    moved = {i for p in maps[1:] for i, h in enumerate(p.hashes) if h != maps[0].hashes[i]}
    assert moved and all(maps[0].types[i] == "scatter" for i in moved)


def test_the_payload_drawn_into_the_spec_is_the_new_figure_and_going_back_is_the_first(maps):
    first, second, third = maps
    spec, moved = _spec(first), {"traces": set(), "layout": set(), "frames": False}
    for now in (second, third, first):                     # back to the spec's own run last
        data = cb.payload(first, "id", now, moved)
        assert data["id"] == "id"
        assert _plain(cb.shown(spec, data)) == _plain(now.spec)
    assert moved["traces"] and moved["frames"]             # the first run's traces are sent again, to go back
    assert all(data["traces"][i]["hash"] == first.hashes[int(i)] for i in data["traces"])
    assert all(data["base"][i]["hash"] == first.hashes[int(i)] for i in data["base"])


def test_a_new_start_sends_only_the_moved_traces(maps):
    first, second, _ = maps
    data = cb.payload(first, "id", second, {"traces": set(), "layout": set(), "frames": False})
    assert set(data["traces"]) == {str(i) for i, h in enumerate(second.hashes) if h != first.hashes[i]}
    assert len(data["traces"]) < len(first.traces) // 2
    sent = json.dumps(data)
    assert all(json.dumps(first.traces[i]) not in sent for i, t in enumerate(first.types) if t != "scatter")


def test_the_look_leaves_out_only_what_an_animation_swaps():
    a = cb.Parts({"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4], "name": "α = 1",
                            "line": {"color": "red"}}], "layout": {}})
    b = cb.Parts({"data": [{"type": "scatter", "x": [5], "y": [6], "name": "α = 2",
                            "line": {"color": "red"}}], "layout": {}})
    c = cb.Parts({"data": [{"type": "scatter", "x": [5], "y": [6], "name": "α = 2",
                            "line": {"color": "blue"}}], "layout": {}})
    assert a.looks == b.looks and a.hashes != b.hashes
    assert b.looks != c.looks                              # a new colour is redrawn, not animated


def test_the_form_leaves_out_only_the_numbers_and_the_name():
    """A trace's form is what a picture drawn ahead cannot have changed: all but x, y, z, customdata and the name."""
    def parts(**trace):
        return cb.Parts({"data": [{"type": "scatter3d", "mode": "lines", **trace}], "layout": {}})

    a = parts(x=[1, 2], y=[3, 4], z=[5, 6], customdata=[0, 1], name="α = 1", meta={"role": "path3d", "run": 0})
    b = parts(x=[7], y=[8], z=[9], customdata=[2], name="α = 2", meta={"role": "path3d", "run": 0})
    assert a.forms == b.forms and a.looks != b.looks            # z is in the look (a 3D trace is not animated)
    assert parts(x=[7], y=[8], z=[9], text=["w = 7"], meta={"role": "path3d", "run": 0}).forms != b.forms
    assert parts(x=[7], y=[8], z=[9], meta={"role": "path3d", "run": 1}).forms != b.forms
    payload = cb.payload(a, "id", b, {"traces": set(), "layout": set(), "frames": False})
    assert payload["traces"]["0"]["form"] == payload["base"]["0"]["form"] == a.forms[0]


def test_a_moving_contour_keeps_the_race_chart_when_its_box_changes():
    grid = np.linspace(0, 1, 5)
    def fig(scale):
        return {"data": [{"type": "contour", "x": (grid * scale).tolist(), "y": grid.tolist(),
                          "z": np.outer(grid, grid).tolist()},
                         {"type": "scatter", "x": [0, scale], "y": [0, 1]}], "layout": {"xaxis": {"range": [0, scale]}}}
    small, big = cb.Parts(fig(1.0)), cb.Parts(fig(2.0))
    assert small.structure(cb.MOVING) != big.structure(cb.MOVING)
    assert small.structure(("scatter", "contour")) == big.structure(("scatter", "contour"))
    data = cb.payload(small, "id", big, {"traces": set(), "layout": set(), "frames": False})
    assert set(data["layout"]) == {"xaxis"}
    assert _plain(cb.shown(_spec(small), data)) == _plain(big.spec)


def test_the_figures_own_meta_travels_with_the_spec_id():
    a = cb.Parts({"data": [], "layout": {"meta": {"race": {"frames": 61}}}})
    b = cb.Parts({"data": [], "layout": {"meta": {"race": {"frames": 121}}}})
    data = cb.payload(a, "id", b, {"traces": set(), "layout": set(), "frames": False})
    assert data["layout"]["meta"] == {"race": {"frames": 121}, "bridge": "id"}
