"""The Cost basin page's computations and callbacks: cached calls into core, shared by every session, and the
widget callbacks (pages/basin.py wires them to the widgets)."""

import dataclasses
from typing import NamedTuple

import numpy as np
import streamlit as st

from core import basin
from core.figures.basin import basin_figure, squashed_update_figure
from core.logistic import squashed_update_descent
from core.surfaces import cost_grid

KEYS = [f.name for f in dataclasses.fields(basin.BasinParams)]


class Experiment(NamedTuple):
    """What the page shows for one setting: the figure with every rate's run, the runs, the curvature that names
    the rates, and the data."""

    figure: object          # go.Figure (core.figures.basin.basin_figure)
    runs: basin.Runs
    curvature: basin.Curvature
    data: object            # core.datasets.OneFeature


@st.cache_data(max_entries=64, show_spinner=False)
def surface(dataset, seed, neuron, lambd, grid, box):
    """J on a grid × grid mesh over box = (w_lo, w_hi, b_lo, b_hi)."""
    x, y, _ = basin.load(dataset, seed)
    w, b = np.linspace(*box[:2], grid), np.linspace(*box[2:], grid)
    return w, b, cost_grid(x, y, w, b, *basin.NEURONS[neuron], lambd)


@st.cache_resource(max_entries=24, show_spinner=False)
def experiment(dataset, seed, neuron, lambd, w0, b0, steps, grid, race):
    """One experiment of the page, everything except the learning rate (switched inside the figure)."""
    act, loss = basin.NEURONS[neuron]
    x, y, data = basin.load(dataset, seed)
    curv = basin.curvature(x, y, act, loss, lambd, w0, b0)
    curv = basin.tune_presets(x, y, act, loss, lambd, w0, b0, steps, curv)     # each preset checked by a run
    tokens = list(race) if race else list(basin.ALPHA_TOKENS)
    runs = basin.compute_runs(x, y, tokens, curv.rates(), w0, b0, steps, act, loss, lambd)
    box = basin.basin_box(runs, curv, w0, b0)
    mn = curv.minimum
    w, b, J = surface(dataset, seed, neuron, lambd, grid, box)
    rates = curv.rates()
    labels = [f"α = {rates[t]:.3g} ({t.replace('-', ' ')})" if t in basin.PRESET_FACTORS else f"α = {t}"
              for t in runs.tokens]
    fig = basin_figure(w, b, J, x, y, runs, shown=range(len(tokens)) if race else [runs.index("smooth")],
                       labels=labels, neuron=neuron, start=(w0, b0), feature_label=data.feature_label,
                       minimum=(mn.w.item(), mn.b, mn.cost) if mn.finite else None,
                       race=bool(race))
    return Experiment(figure=fig, runs=runs, curvature=curv, data=data)


@st.cache_data(max_entries=32, show_spinner=False)
def mistake(dataset, seed, w0, b0, alpha):
    data = basin.load(dataset, seed)
    out = squashed_update_descent(np.array([[w0]]), b0, data[0], data[1], alpha, 40)
    return squashed_update_figure(out, alpha)


@st.cache_data(max_entries=64, show_spinner=False)
def start_of(dataset, seed):
    """The data's default start point (core.basin.default_start)."""
    return basin.default_start(*basin.load(dataset, seed)[:2])


def from_link(p, query):
    """The link's settings as the page reads them: the data's own start where the link gives none, λ and the
    grid snapped to the values offered, and the notes about what changed."""
    p = basin.with_start(p, query, start_of(p.dataset, p.seed))
    p, notes = basin.snap_params(p)
    return p, notes + basin.parse_race(p.race)[1]


def new_data():
    """New data, new default start: across the valley from this data's bottom."""
    st.session_state.w0, st.session_state.b0 = start_of(st.session_state.dataset, st.session_state.seed)


@st.cache_data(max_entries=32, show_spinner=False)
def suggestion(dataset, seed, neuron, lambd, w0, b0, steps):
    """A start point from which the oscillating preset does zigzag (core.basin.suggest_start), or None."""
    x, y, _ = basin.load(dataset, seed)
    act, loss = basin.NEURONS[neuron]
    return basin.suggest_start(x, y, act, loss, lambd, steps, basin.curvature(x, y, act, loss, lambd, w0, b0))


def pick_start():
    """A click on the map (an invisible grid of points) sets a new start point."""
    points = st.session_state.basin_chart.selection.get("points", [])
    if points:
        st.session_state.w0 = float(np.clip(round(points[0]["x"], 1), -10, 10))
        st.session_state.b0 = float(np.clip(round(points[0]["y"], 1), -10, 10))
