"""The Cost basin page's computations and callbacks: cached calls into core, shared by every session, and the
widget callbacks (pages/basin.py wires them to the widgets)."""

import dataclasses
from typing import NamedTuple

import numpy as np
import streamlit as st

from core.data.owndata import basin_grid
from core.figures.basin import BasinSurface, runs_payload, squashed_update_figure, surface_payload, with_runs
from core.lessons import basin
from core.lessons import race as rc
from core.markup import notation
from core.maths.logistic import squashed_update_descent
from core.maths.surfaces import cost_grid
from ui import owndata as own  # own data: data_key() and link_fallback() read this session's data
from ui.charts import chart
from ui.common import formulas

KEYS = [f.name for f in dataclasses.fields(basin.BasinParams)]


class Experiment(NamedTuple):
    """What the page shows for one setting: the figure (the surface, the data and empty slots), every rate's run
    for it (the page's script draws them into the slots), the runs, the curvature that names the rates, and the
    data."""

    figure: object          # core.figures.basin.BasinSurface (its figure built only when a session needs it)
    payload: dict           # core.figures.basin.runs_payload
    runs: basin.Runs
    curvature: basin.Curvature
    data: object            # core.data.datasets.OneFeature


@st.cache_data(max_entries=64, show_spinner=False)
def surface(dataset, seed, neuron, lambd, grid, box):
    """J on a grid × grid mesh over box = (w_lo, w_hi, b_lo, b_hi)."""
    x, y, _ = basin.load(dataset, seed)
    w, b = np.linspace(*box[:2], grid), np.linspace(*box[2:], grid)
    if own.is_own(dataset):  # own data, up to 10,000 rows: the same J (to 4e-8) in a fraction of the time
        return w, b, basin_grid(x, y, w, b, neuron, lambd)
    return w, b, cost_grid(x, y, w, b, *basin.NEURONS[neuron], lambd)


@st.cache_resource(max_entries=24, show_spinner=False)
def figure(dataset, seed, neuron, lambd, grid, box, minimum):
    """One surface (core.figures.basin.BasinSurface): its payload, and its figure, built only when a session
    needs one (a first visit, a return to the page); the same object for every session, raced or not (the runs'
    payload says which slots show which runs)."""
    x, y, data = basin.load(dataset, seed)
    w, b, J = surface(dataset, seed, neuron, lambd, grid, box)
    return BasinSurface(w, b, J, x, y, tokens=basin.ALPHA_TOKENS, neuron=neuron, feature_label=data.feature_label,
                        minimum=minimum)


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
    labels = [basin.legend_label(t, curv) for t in runs.tokens]
    mn = curv.minimum          # (float32: the same figure whatever the solver's last digits)
    minimum = tuple(float(np.float32(v)) for v in (mn.w.item(), mn.b, mn.cost)) if mn.finite else None
    fig = figure(dataset, seed, neuron, lambd, grid, box, minimum)
    payload = runs_payload(fig, runs, labels=labels, race=bool(race),
                           shown=range(len(tokens)) if race else [runs.index("smooth")])
    return Experiment(figure=fig, payload=payload, runs=runs, curvature=curv, data=data)


def shown_figure(surface, payload, token):
    """The figure as this session shows it: the first time, with the runs already in its slots (one draw on a
    first visit, not two), and then the same object, so the same spec, for as long as the figure's structure stays
    (its traces and their roles: `meta.basin.id`, the same for every figure of the page), whatever the surface and
    whether rates are raced. Later surfaces (another λ, data set, neuron or grid, a start outside the box) and runs
    (another rate, the race on or off, other raced rates) reach it through the page's script (ui/basin_bridge.js),
    which knows which surface and which runs the spec holds (`meta.basin.surface`, `meta.basin.drawn`): Streamlit
    then neither re-sends nor remounts the chart, and the 3D camera stays.

    surface: core.figures.basin.BasinSurface (its plotly figure is built here only when the session needs it)."""
    held = st.session_state.get("basin_figure")
    # The chart's selection state is there while the chart was on the last run; without it (a first visit, a
    # return from another page) the browser mounts the chart afresh: it then draws the current surface and runs.
    mounted = "basin_chart" in st.session_state
    if held is None or held[0] != surface.id or not mounted:
        held = st.session_state.basin_figure = (surface.id, with_runs(surface.figure(), payload, token))
    return held[1]


def shown_surface(surface):
    """What the surface decides, for the page's script to draw into the session's figure
    (core.figures.basin.BasinSurface.payload; computed once per surface)."""
    return surface_payload(surface)


@st.cache_data(max_entries=32, show_spinner=False)
def mistake(dataset, seed, w0, b0, alpha):
    data = basin.load(dataset, seed)
    out = squashed_update_descent(np.array([[w0]]), b0, data[0], data[1], alpha, 40)
    return squashed_update_figure(out, alpha)


@st.cache_data(max_entries=64, show_spinner=False)
def start_of(dataset, seed):
    """The data's default start point (core.lessons.basin.default_start)."""
    return basin.default_start(*basin.load(dataset, seed)[:2])


def from_link(p, query):
    """The link's settings as the page reads them: the data's own start where the link gives none, λ, the grid and
    the race's batch size snapped to the values offered, the optimiser race open when the link asks for it or
    names any of its settings, and the notes about what changed."""
    p, fallback = own.link_fallback(p)  # dataset=own on a session without own data: the default set, one note
    p = basin.with_start(p, query, start_of(own.data_key(p.dataset), p.seed))
    p, notes = basin.snap_params(p)
    p, race_notes = rc.from_link(p, query, examples_of(own.data_key(p.dataset), p.seed))
    return p, fallback + notes + race_notes + basin.parse_race(p.race)[1]


@st.cache_data(max_entries=64, show_spinner=False)
def examples_of(dataset, seed):
    """m, the number of examples of the data (the race's batch sizes depend on it)."""
    return int(np.shape(basin.load(dataset, seed)[0])[1])


def new_data():
    """New data, new default start: across the valley from this data's bottom."""
    st.session_state.w0, st.session_state.b0 = start_of(own.data_key(st.session_state.dataset),
                                                         st.session_state.seed)


@st.cache_data(max_entries=32, show_spinner=False)
def suggestion(dataset, seed, neuron, lambd, w0, b0, steps):
    """A start point from which the oscillating preset does zigzag (core.lessons.basin.suggest_start), or None."""
    x, y, _ = basin.load(dataset, seed)
    act, loss = basin.NEURONS[neuron]
    return basin.suggest_start(x, y, act, loss, lambd, steps, basin.curvature(x, y, act, loss, lambd, w0, b0))


def pick_start():
    """A click on the map (an invisible grid of points) sets a new start point, unless the teacher's link hides
    the start (w₀ or b₀)."""
    from ui.classroom import is_hidden  # here: only this callback asks it
    points = st.session_state.basin_chart.selection.get("points", [])
    if points and not (is_hidden("w0") or is_hidden("b0")):
        st.session_state.w0 = float(np.clip(round(points[0]["x"], 1), -10, 10))
        st.session_state.b0 = float(np.clip(round(points[0]["y"], 1), -10, 10))


# ---- sections of the page below the chart (pages/basin.py calls them in order)

def explanations(p, race, runs, curv):
    """What each run did, and why: the curvature and the update rule."""
    rates = curv.rates()
    left, right = st.columns(2)  # halves: the curvature's caption is long, and in a narrow column it ran far below
    with left:
        if curv.minimum.reason == "separable":
            st.warning("These classes are separable: some w puts every example on the right side, and a larger w "
                       "only makes the model more confident, so J keeps falling as w grows. There is no lowest "
                       "point, and the ball rolls outwards forever. Raise λ (the penalty λ/(2m)·w²) to give the "
                       "basin a bottom: the larger λ, the closer the bottom comes.")
        elif not curv.minimum.finite:           # a tie, or Newton's method not done: said as the data box says it
            st.warning(own.minimum_words(p, curv.minimum) + (" Raise λ (the penalty λ/(2m)·w²) to give the basin a "
                                                             "bottom." if curv.minimum.reason == "ties" else ""))
        better = (suggestion(p.dataset, p.seed, p.neuron, p.lambd, p.w0, p.b0, p.steps)
                  if "oscillating" in curv.failed else None)
        for note in basin.preset_notes(curv, p.steps, p.neuron, better):
            st.warning(notation(note))
        box = basin.basin_box(runs, curv, p.w0, p.b0)        # the map the figure draws (experiment)
        for token in (race or (p.alpha,)):
            t = runs.trajectories[runs.index(token)]
            shown = basin.preset_rate_text(rates[token]) if token in basin.PRESET_FACTORS else token   # as the legend
            st.markdown(notation(f"**α = {shown}** ({basin.regime_words(rates[token], curv)}): "
                                 f"{basin.run_message(t, rates[token], curv, p.loss)} {basin.map_sentence(t, box)}"))
        formulas(r"w := w - \alpha\, dw,", r"b := b - \alpha\, db")
    with right:
        formulas(rf"\lambda_{{\max}} = {curv.lam_max:.4g},", rf"\frac{{2}}{{\lambda_{{\max}}}} = {curv.critical:.4g}")
        st.caption(notation(basin.lam_max_caption(curv.at == "minimum")))


def steps_table(p, race, runs, curv):
    """Every step of the shown run (the first raced one), as a table and a CSV download; built only when the
    section is opened, so a first visit does not fetch the table's code for a table it does not show."""
    rates = curv.rates()
    selected = race[0] if race else p.alpha
    t = runs.trajectories[runs.index(selected)]
    with st.expander(f"Every step of the run at α = {basin.num(rates[selected])}: w, b, dw, db and J",
                     key="steps_open", on_change="rerun") as box:
        if box.open:
            st.dataframe(basin.steps_table(t), hide_index=True, height=240)
            st.download_button("Download the steps as CSV", basin.steps_csv(t, rates[selected]),
                               file_name=f"basin_{p.dataset}_alpha_{rates[selected]:.4g}.csv", mime="text/csv")


def common_mistake(p, curv):
    """The common mistake w := w − σ(dw), for the logistic neuron; its chart is built only when the section is
    opened (a rerun then draws it), so a first visit does not pay for a chart it does not show."""
    if p.neuron == "logistic":
        with st.expander("A common mistake: w := w − σ(dw)", key="mistake_open", on_change="rerun") as box:
            st.write("Some course notes print the update with a sigmoid around the gradient. σ squashes every number "
                     "into (0, 1), so w always moves down, whatever the sign of dw: from a start left of the minimum "
                     "it heads away from it, and from the right it walks past it, because at the bottom, where dw = 0, "
                     "the step is still σ(0) = 1/2. Either way it never stops. The learning rate multiplies the "
                     "gradient; it is not a squashing function. Below: both rules from your start point.")
            formulas(r"\text{right: } w := w - \alpha\, dw", r"\text{wrong: } w := w - \sigma(dw)", gap=r"\qquad\qquad")
            if box.open:
                chart(mistake(p.dataset, p.seed, p.w0, p.b0, curv.rates()["smooth"]),
                      key="mistake_chart", config={"displaylogo": False},
                      alt="Two panels: J and w against the step for the right update w := w − α dw, which "
                          "settles at the minimum, and for w := w − σ(dw), which never stops.")
