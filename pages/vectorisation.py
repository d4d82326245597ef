"""Vectorisation and broadcasting: a loop timed against np.dot, live; how numpy stretches shapes to fit."""

from dataclasses import fields

import numpy as np
import streamlit as st

from core.errors import InputError
from core.figures.lessons import NOT_DRAWN, timing_bars, timing_lines
from core.lessons import vectorisation
from core.lessons.broadcast import OPS, parse_shape, rank1_pitfalls
from core.lessons.vectorisation import VectorisationParams
from ui.charts import chart
from ui.common import formulas, page_header, show_input_error
from ui.settings import keep_settings, page_settings
from ui.vectorisation import cached_explore, pitfalls, thread_table


def main():
    """The page, run top to bottom on every rerun: its data are locals, gone when the call returns."""
    page_header("Vectorisation and broadcasting", "A Python loop touches one number at a time; numpy hands the "
                "whole array to compiled code. Measure the difference here, then see how numpy fits shapes together.")
    page_settings(VectorisationParams, "vectorisation")

    st.header("A for-loop against np.dot")
    st.code("c = 0\nfor i in range(n):\n    c += a[i] * b[i]      # one number at a time\n\n"
            "c = np.dot(a, b)          # all n at once", language="python")
    left, right = st.columns(2)
    left.slider("n, how many numbers", 1000, vectorisation.N_MAX, step=1000, key="n")
    right.slider("Time cap (seconds)", 0.5, vectorisation.CAP_MAX, step=0.5, key="cap",
                 help="Sizes whose predicted loop time would pass the cap are not run.")
    # The buttons only raise a flag (on_click); the work runs below in the page, where its progress bar belongs.
    st.button("Measure", type="primary", key="measure", on_click=st.session_state.update, args=({"run_dot": True},))
    if st.session_state.pop("run_dot", False):
        bar = st.progress(0.0, text="Starting…")
        try:
            st.session_state["timing"] = vectorisation.time_dot_products(st.session_state["n"], st.session_state["cap"],
                                                           progress=lambda f, t: bar.progress(f, text=t))
            done = st.session_state["timing"].largest
            if done is not None:                                  # the same numbers as time_dot_products (seed 0)
                rng = np.random.default_rng(0)
                a, b = rng.random(st.session_state["n"])[:done.n], rng.random(st.session_state["n"])[:done.n]
                st.session_state["dot_threads"] = vectorisation.time_dot_threads(a, b)
        except InputError as err:
            show_input_error(err)
        bar.empty()
    timing = st.session_state.get("timing")
    if timing is None:
        st.caption("Press Measure: the page times both on this server, growing n up to your choice.")
    else:
        best = timing.largest
        st.caption(timing.message)
        if best is not None:
            c1, c2, c3 = st.columns(3)
            c1.metric(f"for-loop, n = {best.n:,}", vectorisation.duration(best.loop_s))
            c2.metric(f"np.dot, n = {best.n:,}", vectorisation.duration(best.dot_s))
            c3.metric("ratio", f"{best.ratio:,.0f}×")
            st.caption(vectorisation.agreement(best))
            thread_table(best, st.session_state.get("dot_threads"))
            st.caption(vectorisation.COURSE_NOTE)
            chart(timing_bars(best.loop_s, best.dot_s, best.n), key="bars",
                  alt=f"Bar chart: the for-loop took {vectorisation.duration(best.loop_s)} and np.dot "
                      f"{vectorisation.duration(best.dot_s)} for n = {best.n:,}.")
        rows = timing.rows
        lines = timing_lines([r.n for r in rows], [r.loop_s for r in rows], [r.dot_s for r in rows],
                             [r.status for r in rows])
        chart(lines, key="lines",
              alt="Time of the for-loop and of np.dot against n, both axes logarithmic.")
        st.caption(vectorisation.SPIKE_NOTE)

    st.subheader("Z = wᵀX + b for m examples")
    formulas(r"Z = w^TX + b")       # the shapes as text: in the formula, n_x's x was 9 px high on a phone
    st.markdown(vectorisation.Z_SHAPES)
    st.code(vectorisation.Z_CODE, language="python")
    c1, c2 = st.columns(2)
    c1.slider("n_x, features per example", 1, 1000, key="nx")
    c2.slider("m, examples", 100, 20_000, step=100, key="m")
    st.button("Time Z both ways", key="measure_z", on_click=st.session_state.update, args=({"run_z": True},))
    if st.session_state.pop("run_z", False):
        with st.spinner("Looping over the examples and their features…"):
            st.session_state["ztiming"] = vectorisation.time_z(st.session_state["nx"], st.session_state["m"],
                                                 st.session_state["cap"])
    zt = st.session_state.get("ztiming")
    if zt is not None:
        cut = zt.examples_looped < zt.m     # the cap stopped the loop: its time for all m is estimated
        chart(timing_bars(zt.loop_s, zt.vec_s, zt.m, vec_label="w.T @ X + b", estimated=cut,
                          size=f"m = {zt.m:,} examples, n_x = {zt.n_x:,}"),
              key="zbars", alt=f"Bar chart: Z by a loop over {zt.m:,} examples " + ("would take about" if cut else
                               "took") + f" {zt.loop_s * 1e3:.1f} ms, by w.T @ X + b {zt.vec_s * 1e3:.2f} ms.")
        st.caption(vectorisation.z_caption(zt))

    st.header("Broadcasting: how shapes combine")
    c1, c2, c3 = st.columns([2, 1, 2])
    c1.text_input("Shape of A", key="shape_a", max_chars=20, help="1 to 3 sizes, each 1 to 6, e.g. 3, 1")
    c2.selectbox("Operation", OPS, key="op")
    c3.text_input("Shape of B", key="shape_b", max_chars=20, help="1 to 3 sizes, each 1 to 6, e.g. 4")
    p = VectorisationParams(**{f.name: st.session_state[f.name] for f in fields(VectorisationParams)})
    try:
        r, figs = cached_explore(parse_shape(p.shape_a, "A"), parse_shape(p.shape_b, "B"), p.op)
        expression = "np.dot(A, B)" if p.op == "np.dot" else f"A {p.op} B"
        if r.ok:
            st.success(f"{expression} has shape {r.shape}.")
            # side by side on a laptop, one under the other on a phone (ui.classroom.BASE_CSS shows one of them)
            # (no picture of a result with 4 axes: figs is None)
            for where, fig, key in zip(("wide_stretch", "phone_stretch"), figs, ("stretch", "stretch_phone"),
                                       strict=True) if figs else ():
                with st.container(key=where):
                    chart(fig, config={"displayModeBar": False}, key=key,
                          alt=f"Grids of A, B and the result of {expression}, shape {r.shape}.")
            st.caption(NOT_DRAWN if figs is None else vectorisation.grid_caption(r))
        else:
            st.error(f"numpy refuses {expression}: ValueError: {r.error}")
        for line in r.steps:
            st.markdown(f"- {line}")
    except InputError as err:
        show_input_error(err)

    st.subheader("The (5,) against (5, 1) pitfall")
    pitfalls(rank1_pitfalls())
    st.code("a = np.random.randn(5, 1)     # a column, not np.random.randn(5)\n"
            "a = a.reshape(-1, 1)          # or reshape what you were given\n"
            "assert a.shape == (5, 1)      # and check", language="python")
    keep_settings("vectorisation", p)


main()
