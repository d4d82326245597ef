"""The Vectorisation and broadcasting page's cached computations and tables (pages/vectorisation.py wires them)."""

from dataclasses import asdict

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


def pitfalls(lines):
    """The (5,) against (5, 1) pitfall (core.lessons.broadcast.rank1_pitfalls): a table on a laptop; on a phone
    (ui.classroom.BASE_CSS shows one of the two) a list, each line wrapping, as the table cut its "what to notice"
    column, the one that carries the lesson, off at the right edge."""
    with st.container(key="wide_pitfalls"):
        st.dataframe([asdict(line) for line in lines], hide_index=True,
                     column_config={"code": "code", "shape": "shape", "comment": "what to notice"})
    with st.container(key="phone_pitfalls"):
        st.markdown("\n".join(f"- `{line.code}` → `{line.shape}`  \n  {line.comment}" for line in lines))
