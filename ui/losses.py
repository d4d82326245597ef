"""The Squared error vs log-loss page's computations and callbacks: cached calls into core, shared by every session,
and the widget callbacks (pages/losses.py wires them to the widgets)."""

import dataclasses

import numpy as np
import streamlit as st

from core.data.datasets import one_feature
from core.figures import losses as figs
from core.lessons import losses
from core.maths.logistic import EXPLODE_COST, EXPLODE_PARAM, TOL
from ui import slider_preview

FIELDS = [f.name for f in dataclasses.fields(losses.LossesParams)]
SLIDERS = ("w0", "b0", "alpha", "steps")      # what ui/losses_preview.js computes from, as the sliders move
PREVIEW = slider_preview.script("losses_preview.js")
PRESET_LABELS = {"trap": "Trap (found from the data)", "zeros": "Start at w = 0, b = 0 (the course)",
                 "custom": "My own start (sliders or a click on a map)"}


@st.cache_data(max_entries=48, show_spinner=False)
def land(dataset, seed, activation, loss):
    data = one_feature(dataset, seed)
    return losses.landscape(data.x, data.y, activation, loss, *losses.grid_axes())


@st.cache_data(max_entries=24, show_spinner="Searching for a trap start point…")
def trap(dataset, seed):
    data = one_feature(dataset, seed)
    return losses.find_trap(data.x, data.y, land(dataset, seed, "sigmoid", "squared"),
                         land(dataset, seed, "sigmoid", "log"))


@st.cache_data(max_entries=64, show_spinner=False)
def runs(dataset, seed, cost, w0, b0, alpha, steps):
    data = one_feature(dataset, seed)
    act, loss, name = losses.rival(cost)
    rival_land = land(dataset, seed, act, loss)
    return (losses.descend(data.x, data.y, act, loss, name, w0, b0, alpha, steps, rival_land),
            losses.descend(data.x, data.y, *losses.LOG, w0, b0, alpha, steps, land(dataset, seed, *losses.LOG[:2])))


def _grid(dataset, seed, cost, w0, b0, alpha, steps):
    act, loss, name = losses.rival(cost)
    left, right = land(dataset, seed, act, loss), land(dataset, seed, *losses.LOG[:2])
    S, R = left.surface, right.surface
    return (left, right, runs(dataset, seed, cost, w0, b0, alpha, steps), (name, losses.LOG[2]),
            (S.w, S.b, S.J, R.J, left.nonconvex, left.plateau))


@st.cache_resource(max_entries=16, show_spinner=False)
def figures(dataset, seed, cost, w0, b0, alpha, steps):
    """The page's figures shown on every run (contour maps, cost curves, data), built once per setting and
    shared read-only (building them takes ~80 ms)."""
    data = one_feature(dataset, seed)
    left, right, (run_l, run_r), names, grid = _grid(dataset, seed, cost, w0, b0, alpha, steps)
    return (figs.contour_pair(*grid, [r.path[:, :2] for r in (run_l, run_r)], names,
                              [losses.star(land) for land in (left, right)], (w0, b0)),
            figs.cost_curves((run_l.trajectory.cost, run_r.trajectory.cost), (run_l.gap, run_r.gap), names),
            figs.data_likelihood_figure(data.x, data.y, losses.data_likelihood(data.x, data.y, *run_r.final[:2])
                                        .nll, data.feature_label))


@st.cache_resource(max_entries=16, show_spinner=False)
def surfaces(dataset, seed, cost, w0, b0, alpha, steps):
    """The two 3D surfaces, built only when their tab is open, once per setting and shared read-only."""
    _, _, (run_l, run_r), names, grid = _grid(dataset, seed, cost, w0, b0, alpha, steps)
    return figs.surface_pair(*grid, [r.path for r in (run_l, run_r)], names)


@st.cache_resource(max_entries=64, show_spinner=False)
def likelihood_figure(label, p):
    """figs.likelihood_figure, built once per (label, p) and shared read-only."""
    return figs.likelihood_figure(label, p)


def to_custom():
    """A slider moved: the start is the student's own now, unless the teacher's link hides the preset."""
    from ui.classroom import is_hidden  # here: only the callbacks ask it
    if not is_hidden("preset"):
        st.session_state.preset = "custom"


def picked():
    """A click on a map starts the balls there, unless the teacher's link hides the start (preset, w₀ or b₀)."""
    from ui.classroom import is_hidden
    points = st.session_state.pick.selection.points
    fixed = any(is_hidden(key) for key in ("preset", "w0", "b0"))
    if points and "x" in points[0] and "y" in points[0] and not fixed:
        # float(): the browser sends a whole number as an int, which page_settings would reject as w0's value
        x, y = float(points[0]["x"]), float(points[0]["y"])
        st.session_state.w0, st.session_state.b0 = round(x, 1), round(y, 1)
        st.session_state.preset = "custom"
    # the next map is a new chart, with no selection: a click on the same point later is a click again
    st.session_state.picks = st.session_state.get("picks", 0) + 1


def slider_settings(p: losses.LossesParams) -> dict:
    """What the runs on the page were made for, as the sliders say it (the charts' payloads carry it as their tag)."""
    return {k: getattr(p, k) for k in SLIDERS}


def preview_payload(x, y, cost, minima, charts) -> dict:
    """What ui/losses_preview.js needs to compute both runs in the page as a slider moves: the data (float64 and
    uint8, base64: exact), each run's (activation, loss, J_min) in the map's order (the rival, log-loss), the stops
    of gradient descent, and the keys of the charts it draws into ({"map": key, "curves": key})."""
    act, loss, _ = losses.rival(cost)
    return {"x": slider_preview.pack(x, "<f8"), "y": slider_preview.pack(y, np.uint8),
            "costs": [[act, loss, float(minima[0])], [*losses.LOG[:2], float(minima[1])]],
            "tol": TOL, "explode": [EXPLODE_COST, EXPLODE_PARAM], "charts": charts}


def draw_ahead(payload: dict, where=None) -> None:
    """Emit ui/losses_preview.js with its payload: the maps and cost curves follow the sliders while they move."""
    slider_preview.draw_ahead("__lossesRun", payload, PREVIEW, where)
