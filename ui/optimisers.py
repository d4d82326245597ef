"""The Cost basin's optimiser race: gradient descent, momentum, RMSProp and Adam on the same J(w, b), full
batch or mini-batch, on the data the page shows: a bundled set or the student's own data (ui/owndata.py).

Its settings (opt_*) are part of the page's settings (core.lessons.race.RaceSettings, inherited by
core.lessons.basin.BasinParams), so the page's page_settings fills their widget keys and keep_settings puts them in
the link. The race is computed once per setting (cached for every session); hiding or showing an optimiser (the
legend) and switching the cost chart between iterations and epochs happen inside the figure. While a slider of the
race moves, the page runs the race itself (ui/race_preview.js, on data of at most PREVIEW_MAX_M examples) and draws
it into the kept chart before the rerun.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from core.errors import InputError
from core.figures.optimisers import race_figure
from core.lessons import basin
from core.lessons import race as rc
from core.markup import notation
from core.maths.logistic import EXPLODE_COST, EXPLODE_PARAM, TOL
from core.maths.minibatch import EXPLANATION
from core.maths.optimisers import OPTIMISERS, STATE_NAMES, UPDATE_LATEX, steps_csv, steps_table
from ui import owndata as own
from ui import slider_preview
from ui.chart_bridge import bridged_chart
from ui.common import escape_markdown, show_input_error

SETTINGS = [f.name for f in dataclasses.fields(rc.RaceSettings)]
CHART = "opt_chart"
PREVIEW = slider_preview.script("race_preview.js")
PREVIEW_MAX_M = 2_000    # larger data are left to the server: the page would compute 4 × 301 passes over them


@st.cache_resource(max_entries=24, show_spinner=False)
def race_view(data_key, _x, _y, settings_items, neuron, lambd, w0, b0):
    """(RaceResult, figure) for one setting; data_key names the data (_x, _y are not hashed)."""
    settings = rc.RaceSettings(**dict(settings_items))
    result = rc.run_race(_x, _y, settings, neuron, lambd, w0, b0)
    mn = result.limits.minimum
    fig = race_figure(result.w_grid, result.b_grid, result.J_grid, result.race, labels=result.labels,
                      start=result.start, minimum=(mn.w.item(), mn.b, mn.cost) if mn.finite else None)
    return result, fig


def _controls(m):
    """The race's widgets (keys = RaceSettings' fields, filled by the page's page_settings)."""
    st.markdown("**Which optimisers race**")
    cols = st.columns(4)
    for col, name in zip(cols, OPTIMISERS, strict=True):
        col.checkbox(OPTIMISERS[name], key=f"opt_{name}")
    c1, c2, c3 = st.columns(3)
    with c1:
        st.select_slider(notation("Gradient descent, momentum: α·λ_max"), rc.RATE_FACTORS, key="opt_rate",
                         help=notation("α as a multiple of 1/λ_max, so it means the same on any data: below 2 "
                                       "gradient descent settles on a bowl, below 2(1 + β) momentum does."))
        st.select_slider("Momentum's β (Adam's β₁)", rc.BETAS, key="opt_beta1")
    with c2:
        st.select_slider("RMSProp and Adam: α", rc.ADAPTIVE_RATES, key="opt_adaptive",
                         help="Their steps are about α long, whatever the curvature or the scale of the data.")
        st.select_slider("RMSProp's β₂", rc.BETA2S, key="opt_rms_beta")
        st.select_slider("Adam's β₂", rc.BETA2S, key="opt_beta2")
    with c3:
        st.select_slider("ε (RMSProp and Adam)", rc.EPSILONS, key="opt_eps", format_func=lambda e: f"{e:.0e}")
        st.slider("Steps (updates)", 10, 300, key="opt_steps")
    st.markdown("**Mini-batches**")
    options = rc.batch_options(m)
    st.session_state.opt_batch = rc.snap_batch(st.session_state.get("opt_batch", rc.FULL_BATCH), m)
    c1, c2, c3 = st.columns(3)
    c1.select_slider("Batch size B", options, key="opt_batch",
                     format_func=lambda B: f"all {m} (batch)" if B == rc.FULL_BATCH
                     else ("1 (SGD)" if B == 1 else str(B)))
    c2.number_input("Seed of the shuffle", 0, 9999, key="opt_seed",
                    help="Each epoch shuffles the examples before cutting them into batches; the same seed "
                         "gives the same batches, so the same path.")
    c3.select_slider("Learning-rate decay", rc.DECAYS, key="opt_decay",
                     help="Epoch e = 0, 1, 2, … uses α₀ / (1 + decay·e), as in the course's programming "
                          "exercise (its lecture counts epochs from 1, so there the first epoch already uses "
                          "α₀ / (1 + decay)): the steps, and with them the noise, shrink.")


def _data(p):
    """(data_key, x, y, start, title): the data the page shows (p.dataset: a bundled set, or this session's own
    data keyed by their content, ui/owndata.py), from the page's start point."""
    x, y, data = own.load(p.dataset, p.seed)
    if own.is_own(p.dataset):
        kept = own.own_data()["data"]
        title = f"your data ({kept.feature} → {kept.label})"
    else:
        title = data.title
    return (p.dataset, p.seed), x, y, (p.w0, p.b0), title


def optimiser_race(p):
    """The race section of the Cost basin page, under its figure. p: the page's BasinParams."""
    st.divider()
    st.header("Optimisers on the same basin")
    st.write("Gradient descent, momentum, RMSProp and Adam roll down the same J(w, b) from the same start "
             "(w₀, b₀), on the same batches. Click a name in the legend to hide or show an optimiser; the "
             "button above the cost chart switches its axis between iterations and epochs.")
    # Built only when asked for, so a first visit does not pay for it. Whether it is open is a setting of the page
    # (opt_race), so in its link: a link made with the race open opens it, and so does a link with any race setting
    # (core.lessons.race.from_link). The toggle shows the setting, and a click on it sets it.
    st.session_state.race_optimisers = bool(p.opt_race)
    if not st.toggle("Race the optimisers (also with mini-batches)", key="race_optimisers", on_change=_toggled):
        return
    data_key, x, y, start, title = _data(p)
    m = int(np.shape(x)[1])
    _controls(m)
    settings = rc.RaceSettings(**{k: st.session_state[k] for k in SETTINGS})
    try:
        result, fig = race_view(data_key, x, y, tuple(dataclasses.asdict(settings).items()), p.neuron,
                                p.lambd, float(start[0]), float(start[1]))
    except InputError as err:
        show_input_error(err)
        return
    st.caption(f"On {escape_markdown(title)}: m = {m:,} examples, {basin.NEURON_TITLES[p.neuron].lower()}, "
               f"λ = {p.lambd:g}, start (w₀, b₀) = ({basin.num(start[0], 'g')}, {basin.num(start[1], 'g')}).")
    # kept in the browser: new runs are drawn into it, and a new box redraws the map of J (moving: contour)
    options = slider_options(m)
    bridged_chart(fig, CHART, moving=("scatter", "contour"), tag=slider_settings(settings, options),
                  config={"displaylogo": False, "scrollZoom": False},
                  alt="Two panels: a contour map of J(w, b) with each optimiser's path from the start point as a "
                      "line with its own colour, dash and marker shape, and the cost J against the step for each.")
    if m <= PREVIEW_MAX_M:       # the runs follow a moving slider (ui/race_preview.js)
        slider_preview.draw_ahead("__raceRun", preview_payload(x, y, result, settings, p, options), PREVIEW)
        st.caption("While you drag a slider, the paths and cost curves follow it, computed in your browser; the "
                   "map's frame, the legend and the sentences below follow when you let go.")
    _minimum(result, p)
    left, right = st.columns([3, 2])
    with left:
        for sentence in rc.regime_sentences(result, settings, p.neuron, p.lambd):
            st.markdown(notation(sentence))
        for run in result.race.runs:
            st.markdown(notation(run.message))                   # names its optimiser: "Adam stopped after 60 steps …"
    with right:
        tabs = st.tabs([OPTIMISERS[name] for name in result.race.names])
        for tab, name in zip(tabs, result.race.names, strict=True):
            with tab:
                st.latex(UPDATE_LATEX[name])
                _state_words(name, result, settings)
    _batches(result)
    _table(result)


def _toggled():
    """The race's toggle moved: the setting follows it before the page reads its settings and writes the link."""
    st.session_state.opt_race = st.session_state.race_optimisers


def slider_options(m) -> dict:
    """The race's select sliders and their values, in order (the browser's slider holds the index of its value)."""
    return {"opt_rate": list(rc.RATE_FACTORS), "opt_adaptive": list(rc.ADAPTIVE_RATES), "opt_beta1": list(rc.BETAS),
            "opt_rms_beta": list(rc.BETA2S), "opt_beta2": list(rc.BETA2S), "opt_eps": list(rc.EPSILONS),
            "opt_batch": rc.batch_options(m), "opt_decay": list(rc.DECAYS)}


def slider_settings(settings: rc.RaceSettings, options: dict) -> dict:
    """What a race was made for, as the sliders say it (its chart's payload carries it as its tag)."""
    return {k: getattr(settings, k) for k in [*options, "opt_steps"]}


def preview_payload(x, y, result, settings: rc.RaceSettings, p, options) -> dict:
    """What ui/race_preview.js needs to run the race in the page as a slider moves: the data (exact), the neuron,
    λ, λ_max (gradient descent's and momentum's α is α·λ_max / λ_max), J* (None without a finite minimum), the
    start, the shuffle's seed, the optimisers in the race's order, the stops, the sliders and the chart's key."""
    mn = result.limits.minimum
    return {"x": slider_preview.pack(x, "<f8"), "y": slider_preview.pack(y, np.uint8),
            "neuron": list(basin.NEURONS[p.neuron]), "lambd": float(p.lambd), "lam_max": float(result.limits.lam_max),
            "j_min": float(mn.cost) if mn.finite else None, "start": [float(v) for v in result.start],
            "seed": int(settings.opt_seed), "names": list(result.race.names), "tol": TOL,
            "explode": [EXPLODE_COST, EXPLODE_PARAM], "options": options, "steps": "opt_steps", "chart": CHART,
            "labels": label_payload(result.limits.lam_max)}


def label_payload(lam_max) -> dict:
    """The legend names for the page to fill in (core.lessons.race.LABELS): each optimiser's template, and the text
    of each slider value in them (core.lessons.race.label_values), with the slider each field reads."""
    text = lambda alpha=1.0, **betas: rc.label_values(alpha, rc.RaceSettings(**betas))  # noqa: E731
    return {"templates": {n: rc.LABELS[n].replace("{name}", OPTIMISERS[n]) for n in OPTIMISERS},
            "text": {"opt_rate": [text(r / lam_max)["alpha"] for r in rc.RATE_FACTORS],
                     "opt_adaptive": [text(a)["alpha"] for a in rc.ADAPTIVE_RATES],
                     "opt_beta1": [text(opt_beta1=b)["beta1"] for b in rc.BETAS],
                     "opt_rms_beta": [text(opt_rms_beta=b)["rms_beta"] for b in rc.BETA2S],
                     "opt_beta2": [text(opt_beta2=b)["beta2"] for b in rc.BETA2S]},
            "alpha": {"gd": "opt_rate", "momentum": "opt_rate", "rmsprop": "opt_adaptive", "adam": "opt_adaptive"},
            "fields": {"beta1": "opt_beta1", "rms_beta": "opt_rms_beta", "beta2": "opt_beta2"}}


def _minimum(result, p):
    """The race's minimum, or why there is none (ui/owndata's words: separable, a tie, Newton's method not done)."""
    mn = result.limits.minimum
    if mn.finite:
        x = own.load(p.dataset, p.seed)[0]
        st.markdown(f"The minimum of this J is at **w\\* = {basin.num(mn.w.item(), '.4g')}, "
                    f"b\\* = {basin.num(own.shown_bias(mn.b, mn.w.item(), x), '.4g')}**, where "
                    f"**J\\* = {basin.num(mn.cost, '.4g')}** "
                    "(Newton's method on the same data; the yellow star).")
    else:
        st.warning(own.minimum_words(p, mn) + (" Raise λ to give the basin a bottom."
                                                if mn.reason in ("separable", "ties") else ""))


def _state_words(name, result, settings):
    """What the optimiser remembers, and RMSProp's or Adam's step length in numbers."""
    alpha = result.alphas[name]
    if name == "gd":
        st.caption(f"Remembers nothing: each step is α·dw with α = {alpha:.4g}.")
    elif name == "momentum":
        beta = settings.opt_beta1
        st.caption(f"Remembers the velocity v (v_dw, v_db in the table): a running sum of gradients, each older "
                   f"one weighted by β = {beta:g} more. α = {alpha:.4g}.")
        st.caption(notation(
            f"This is the heavy ball, v := βv + dw. Andrew Ng's course writes v := βv + (1 − β)dw, an average of the "
            "gradients: its step with a learning rate α is this one's with α × (1 − β), so the course's "
            f"α = {alpha / (1 - beta):.4g} gives this path, and in its terms the limit reads α·λ_max < "
            f"2(1 + β)/(1 − β) = {2 * (1 + beta) / (1 - beta):.3g}. So momentum's v_dw here is a sum, not "
            "Adam's v_dw, which is an average (each new gradient weighted by 1 − β₁), though both take their β "
            "from the same slider."))
    else:
        for sentence in rc.step_sentences(result, name, settings):
            st.caption(notation(sentence))


def _batches(result):
    st.subheader("Mini-batches")
    for sentence in rc.batch_sentences(result) + rc.decay_sentences(result):
        st.markdown(sentence)
    st.caption(EXPLANATION)


def _table(result):
    with st.expander("Every step of the race: w, b, the gradient, what each optimiser remembers (v, s) and J"):
        name = st.selectbox("Optimiser", result.race.names, format_func=OPTIMISERS.get, key="opt_table")
        if name not in result.race.names or not st.toggle("Show the table", key="opt_table_on"):
            return
        run = result.run(name)
        st.dataframe(steps_table(run), hide_index=True, height=240)
        state = ", ".join(STATE_NAMES[name]) or "nothing (gradient descent remembers no state)"
        st.caption(f"Columns of state: {state}. Row 0 is the start; row k is update k.")
        st.download_button("Download the steps as CSV", steps_csv(run), key="opt_csv",
                           file_name=f"race_{name}_batch_{run.batch_size}.csv", mime="text/csv")
