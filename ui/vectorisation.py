"""The Vectorisation and broadcasting page's cached computations (pages/vectorisation.py wires them)."""

import streamlit as st

from core.figures.lessons import broadcast_figures
from core.lessons import vectorisation
from core.lessons.broadcast import explore


@st.cache_data(max_entries=32)
def cached_explore(shape_a, shape_b, op):
    """What numpy does with two shapes and an operator (core.lessons.broadcast.explore), with its picture for a
    laptop and a phone (core.figures.lessons.broadcast_figures: None when numpy refused or it cannot be drawn)."""
    r = explore(shape_a, shape_b, op)
    return r, broadcast_figures(r)


def thread_table(best, timings):
    """Which np.dot the headline used, and np.dot timed again on one BLAS thread and on several (when measured)."""
    default_threads = vectorisation.default_blas_threads()
    st.caption(vectorisation.threads_caption(default_threads))
    if timings:
        st.markdown("**np.dot on one BLAS thread and on several** (the same arrays, timed again)")
        st.dataframe(vectorisation.thread_rows(best.loop_s, timings), hide_index=True)
        st.caption(vectorisation.two_runs_note(best.dot_s, best.loop_s, timings, default_threads))
        st.caption(vectorisation.threads_note(timings))
