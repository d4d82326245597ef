"""Cost basin: J(w, b) of real data as a 3D basin, and gradient descent as a ball rolling down it."""

import streamlit as st

from core.errors import InputError
from core.lessons import basin
from ui.basin import (
    KEYS,
    common_mistake,
    experiment,
    explanations,
    from_link,
    new_data,
    pick_start,
    shown_figure,
    shown_surface,
    start_of,
    steps_table,
)
from ui.basin_bridge import basin_bridge
from ui.charts import chart
from ui.common import page_header, show_input_error
from ui.optimisers import optimiser_race
from ui.owndata import data_key, data_section, dataset_select, keyed
from ui.predict import basin_box as predict_box
from ui.settings import keep_settings, last_settings, page_settings


def main():
    """The page, run top to bottom on every rerun: its data are locals, gone when the call returns. Each section is
    one call; a new section is one more line here."""
    page_header("Cost basin", "The cost J(w, b) of a real dataset is a landscape; gradient descent is a ball rolling "
                              "down it. The learning rate α decides whether it rolls, zigzags, bounces or flies off.")
    p, race = settings()
    try:
        fig, payload, runs, curv, data = experiment(p.dataset, p.seed, p.neuron, p.lambd, p.w0, p.b0, p.steps,
                                                    p.grid, race)
    except InputError as err:
        show_input_error(err)
        st.stop()
    order = learning_rate(curv, race)
    basin_chart(fig, payload, data, p, order)  # the hero: first on the page, under the learning rate
    predict_box(p, runs, curv, order)  # predict, then check: the student picks the next α inside it
    data_section(p, curv)  # the minimum in numbers, and your own data: upload, add, drag, delete (ui/owndata.py)
    explanations(p, race, runs, curv)
    steps_table(p, race, runs, curv)
    common_mistake(p, curv)
    optimiser_race(p)  # gradient descent, momentum, RMSProp and Adam on the same J (ui/optimisers.py)


def settings():
    """The sidebar's controls, restored from the link or the last visit; returns (BasinParams, raced tokens)."""
    first = page_settings(basin.BasinParams, "basin", adjust=from_link, skip=("race",), notes_box=st.info)
    if first or "race_on" not in st.session_state or "race" not in st.session_state:
        last = basin.parse_race(last_settings("basin").race)[0]
        st.session_state.race_on, st.session_state.race = bool(last), last or basin.parse_race(basin.DEFAULT_RACE)[0]

    with st.sidebar:
        dataset_select(on_change=new_data)  # the bundled sets, and the session's own data (ui/owndata.py)
        st.number_input("Seed (the same seed rebuilds the same data)", 0, 9999, key="seed", on_change=new_data)
        st.radio("Neuron", list(basin.NEURONS), key="neuron", format_func=basin.NEURON_TITLES.get)
        st.select_slider("L2 regularisation λ", basin.LAMBDAS, key="lambd")
        st.caption("Start point (w₀, b₀), or click the top-view map. New data start below their bottom, across "
                   "the valley, where every learning-rate regime has room to show:")
        c1, c2 = st.columns(2)
        c1.number_input("w₀", -10.0, 10.0, step=0.5, key="w0")
        c2.number_input("b₀", -10.0, 10.0, step=0.5, key="b0")
        st.slider("Steps of gradient descent", 10, 150, key="steps")
        st.select_slider("Grid of the surface", basin.GRIDS, key="grid", format_func=lambda g: f"{g}×{g}")
        st.toggle("Race up to 4 learning rates", key="race_on")
        st.multiselect("Rates in the race", basin.ALPHA_TOKENS, key="race", max_selections=basin.MAX_RACE,
                       format_func=lambda t: t.replace("-", " "), disabled=not st.session_state.race_on)

    race = tuple(st.session_state.race) if st.session_state.race_on else ()
    p = basin.BasinParams(**{k: st.session_state[k] for k in KEYS if k != "race"}, race=",".join(race))
    keep_settings("basin", p, basin.link_query(p, start_of(data_key(p.dataset), p.seed)))
    return keyed(p), race  # own data: the dataset becomes their content's key for the caches


def learning_rate(curv, race):
    """The learning-rate slider, its options in the order of their rates; returns that order."""
    order = sorted(basin.ALPHA_TOKENS, key=curv.rates().get)
    # New data reorder and relabel the options (the named rates follow the curvature), and the browser cannot
    # find its rate among them: setting the rate again makes it move the thumb there. Only then: a value set here
    # overrides the browser's, which may already be newer (keys pressed while this run was on its way). The
    # options are remembered once the slider is sent, so a run stopped before it sets the rate again.
    shown = [(t, basin.rate_label(t, curv)) for t in order]
    if st.session_state.get("alpha_options") != shown:
        st.session_state.alpha = st.session_state.alpha
    st.select_slider("Learning rate α (log scale; the named rates come from the curvature of this data)",
                     order, key="alpha",
                     format_func=lambda t: basin.rate_label(t, curv),
                     disabled=bool(race))
    st.session_state.alpha_options = shown
    return order


def basin_chart(fig, payload, data, p, order):
    """The four panels, and the bridge that draws the runs into them."""
    st.caption(data.description)
    chart(shown_figure(fig, payload, p.alpha), key="basin_chart", on_select=pick_start, selection_mode="points",
          config={"displaylogo": False, "scrollZoom": False},  # alt must not name α: a new alt remounts
          alt="Four panels: the cost J(w, b) as a 3D surface with the ball's path down it; a top view "
              "with contour lines, where a click sets the start point; the data with the curve "
              "σ(wx + b); and J against the step.")
    # draws the surface and the runs into the figure (no remount: the camera stays)
    basin_bridge(p.alpha, order, payload, shown_surface(fig))
    st.caption("The cost panel (“Cost J at each step”) draws every learning rate of this experiment on one scale: "
               "from J at the start down to the lowest J any rate reaches. A rate that barely moves draws a flat "
               "line; one that climbs above its start leaves through the top (log J shows how far). Keyboard: "
               "Tab to the chart, then Space plays or pauses and the arrow keys step.")


main()
