"""Squared error vs log-loss: the same neuron and data under two costs side by side, and why log-loss wins."""

import streamlit as st

from core.data.datasets import ONE_FEATURE_SETS, one_feature
from core.errors import InputError
from core.lessons import losses
from ui.chart_bridge import bridged_chart
from ui.common import formulas, page_header, show_input_error
from ui.losses import (
    FIELDS,
    PRESET_LABELS,
    draw_ahead,
    figures,
    land,
    likelihood_figure,
    picked,
    preview_payload,
    runs,
    slider_settings,
    surfaces,
    to_custom,
    trap,
)
from ui.predict import losses_box as predict_box
from ui.settings import keep_settings, page_settings


def main():
    """The page, run top to bottom on every rerun: its data are locals, gone when the call returns."""
    page_header("Losses", "Squared error vs log-loss: the same data, scored by two costs. Through a sigmoid neuron, "
                "squared error gives a bumpy landscape with flat plateaus; log-loss gives one bowl.")
    page_settings(losses.LossesParams, "losses", keep_notes=True)
    st.write("Why squared error gets stuck: by the chain rule its gradient is multiplied by σ'(z) = a(1 − a), "
             "which goes to 0 when the sigmoid saturates, so a confidently **wrong** neuron barely moves; "
             "log-loss cancels "
             "that factor and keeps the full error A − Y.")

    c1, c0 = st.columns([2, 1])                     # room for "Imbalanced classes (90% / 10%)" at 1024 px
    c1.selectbox("Data set", list(ONE_FEATURE_SETS), key="dataset", format_func=ONE_FEATURE_SETS.get)
    c0.number_input("Seed (generated sets)", 0, 999, step=1, key="seed")
    c2, c3 = st.columns(2)
    c2.radio("Cost on the left", list(losses.RIVALS), key="cost", format_func=lambda k: losses.RIVALS[k][2])
    c3.radio("Start point", list(losses.PRESETS), key="preset", format_func=PRESET_LABELS.get)
    try:
        data = one_feature(st.session_state.dataset, int(st.session_state.seed))
        the_trap = trap(st.session_state.dataset, int(st.session_state.seed))
        base = losses.LossesParams(**{k: st.session_state[k] for k in FIELDS})
        if base.preset != "custom":                  # the sliders show the preset's values
            w0, b0, alpha, steps = losses.start_of(base, the_trap)
            st.session_state.update(w0=w0, b0=b0, alpha=alpha, steps=steps)
        s1, s2, s3, s4 = st.columns(4)
        s1.slider("Start w₀", losses.GRID_LO, losses.GRID_HI, step=0.1, key="w0", on_change=to_custom)
        s2.slider("Start b₀", losses.GRID_LO, losses.GRID_HI, step=0.1, key="b0", on_change=to_custom)
        s3.slider("Learning rate α", 0.01, 10.0, step=0.01, key="alpha", on_change=to_custom)
        s4.slider("Steps", 1, 2000, step=1, key="steps", on_change=to_custom)
        st.caption("While you drag a slider, the paths and the cost curves follow it; the numbers update when you "
                   "let go.")
        p = losses.LossesParams(**{k: st.session_state[k] for k in FIELDS})
        keep_settings("losses", p, p.link_query())
        act, loss, name = losses.rival(p.cost)
        left, right = land(p.dataset, p.seed, act, loss), land(p.dataset, p.seed, *losses.LOG[:2])
        run_l, run_r = runs(p.dataset, p.seed, p.cost, p.w0, p.b0, p.alpha, p.steps)
    except InputError as err:
        show_input_error(err)
        st.stop()

    st.caption(data.description + losses.trap_note(p.preset, the_trap.found, p.cost, run_l.stalled))
    m1, m2 = st.columns(2)
    for col, run in ((m1, run_l), (m2, run_r)):
        col.metric(losses.accuracy_label(run), f"{run.accuracy:.1%}", help="share of examples with the right label")
        col.write(losses.end_words(run) + " " + ("**Stalled on a plateau.** " if run.stalled else "")
                  + losses.ending_words(run))
    fig_map, fig_curves, fig_data = figures(p.dataset, p.seed, p.cost, p.w0, p.b0, p.alpha, p.steps)
    # on_change="rerun": the 3D tab's two WebGL scenes are built and drawn only once that tab is opened.
    tab_map, tab_3d = st.tabs(["Contour maps (click a map to start there)", "3D surfaces"], key="losses_view",
                              on_change="rerun")
    made_for = slider_settings(p)
    bridged_chart(fig_map, "pick", where=tab_map, on_select=picked, selection_mode="points",
                  renew=st.session_state.get("picks", 0), tag=made_for,
                  width="stretch", alt=f"Contour maps of J(w, b) side by side: {name} on the left, log-loss on "
                          "the right, each with its ball's path; a click sets the start point.")
    if tab_3d.open:       # kept while only the runs change: the scenes are not built again, the camera stays
        bridged_chart(surfaces(p.dataset, p.seed, p.cost, p.w0, p.b0, p.alpha, p.steps), "surfaces", where=tab_3d,
                      moving=("scatter", "scatter3d"), tag=made_for, width="stretch",
                      alt=f"The same two costs as 3D surfaces: {name} on the left, log-loss on the right.")
    draw_ahead(preview_payload(data.x, data.y, p.cost, (left.floor, right.floor),
                               {"map": "pick", "curves": "losses_curves", "surfaces": "surfaces"}), where=tab_map)
    st.caption(losses.map_notes(left, right, name))
    bridged_chart(fig_curves, "losses_curves", width="stretch", tag=made_for,
                  alt=f"Each ball's J as a share of its start, and its distance to the lowest J, against the step, for "
                      f"{name} and log-loss.")
    st.caption("Two different costs: their values cannot be compared, so each is drawn as a share of where it "
               "started (hover for J itself). On the right, how far each still is from its own lowest J.")
    predict_box(p, run_l, run_r, data.x)  # predict, then check: the student picks the next start inside it

    st.subheader("The two costs as formulas")    # below the pictures: a first screen of formulas hid the maps
    a_left, j_left, dz_left = losses.RIVAL_LATEX[p.cost]                     # the cost chosen for the left
    formulas(a_left + ",", j_left)
    # a long formula may wrap only where \allowbreak says (after the "+"), never inside "log(1 − a)"
    log_a = "" if a_left.startswith(r"A=\sigma") else r"{A=\sigma(w^TX+b),}\qquad\allowbreak "
    st.latex(log_a + r"{J_{\text{log}} = -\frac{1}{m}\sum_{i=1}^{m}\Big(y^{(i)}\log a^{(i)}} + \allowbreak "
             r"{(1-y^{(i)})\log\big(1-a^{(i)}\big)\Big)}")
    formulas(dz_left + ",", r"dZ_{\text{log}} = A-Y")
    formulas(r"dw=\tfrac{1}{m}X\,dZ^T,", r"db=\tfrac{1}{m}\textstyle\sum_i dZ^{(i)}", gap=r"\quad")

    st.subheader("Why log-loss? It is the negative log-likelihood")
    st.write("Read a = σ(wᵀx + b) as the probability that y = 1 (the slider below calls it p). The probability the "
             "model gives to the label we actually saw is a if y = 1 and 1 − a if y = 0, in one formula:")
    st.latex(r"P(y \mid x) = a^{y}(1-a)^{1-y}")
    st.latex(r"{-\log P(y\mid x) = -\big(y\log a + (1-y)\log(1-a)\big)} \allowbreak {= \mathcal{L}(a, y)}")
    l1, l2 = st.columns([1, 3])
    l1.radio("Label y of the example", [1, 0], key="label", horizontal=True)
    l1.slider("Predicted probability p", 0.01, 0.99, step=0.01, key="p")
    l1.metric("likelihood", f"{float(losses.likelihood(p.p, p.label)):.3f}")
    l1.metric("the loss, −log P", f"{float(losses.neg_log_likelihood(p.p, p.label)):.3f}")
    bridged_chart(likelihood_figure(p.label, p.p), "likelihood", where=l2, width="stretch",
                  alt=f"The likelihood and the loss −log P against the predicted probability, for label y = {p.label}, "
              f"marked at p = {p.p:g}.")
    st.write(losses.likelihood_words(losses.data_likelihood(data.x, data.y, *run_r.final[:2])))
    st.latex(r"J(w,b) = -\frac{1}{m}\log\prod_{i=1}^{m} P\big(y^{(i)}\mid x^{(i)}\big)")
    bridged_chart(fig_data, "losses_data", width="stretch",
                  alt="The data, label against x, with the two fitted curves σ(wx + b) of the two balls.")


main()
