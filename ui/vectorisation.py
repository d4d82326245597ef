"""The Vectorisation and broadcasting page's cached computations (pages/vectorisation.py wires them)."""

import streamlit as st

from core.figures.lessons import broadcast_figure
from core.lessons import vectorisation
from core.lessons.broadcast import explore


@st.cache_data(max_entries=32)
def cached_explore(shape_a, shape_b, op):
    """What numpy does with two shapes and an operator (core.lessons.broadcast.explore), with its picture: the
    stretched copies for + and *, the operands as they are otherwise; no picture when the shapes do not fit."""
    r = explore(shape_a, shape_b, op)
    if not r.ok:
        return r, None
    stretched = op in ("+", "*")
    figs = tuple(broadcast_figure(r.stretched_a, r.stretched_b, r.result, op, r.copies_a, r.copies_b, phone=phone,
                                  shapes=(r.shape_a, r.shape_b))
                 if stretched else broadcast_figure(r.A, r.B, r.result, op, phone=phone) for phone in (False, True))
    return r, figs


def thread_table(best, timings):
    """Which np.dot the headline used, and np.dot timed again on one BLAS thread and on several (when measured)."""
    default_threads = vectorisation.default_blas_threads()
    st.caption(vectorisation.threads_caption(default_threads))
    if timings:
        st.markdown("**np.dot on one BLAS thread and on several** (the same arrays, timed again)")
        st.dataframe(vectorisation.thread_rows(best.loop_s, timings), hide_index=True)
        st.caption(vectorisation.two_runs_note(best.dot_s, best.loop_s, timings, default_threads))
        st.caption(vectorisation.threads_note(timings))
