"""The Vectorisation and broadcasting page's cached computations (pages/vectorisation.py wires them)."""

import streamlit as st

from core.figures.lessons import broadcast_figure
from core.lessons.broadcast import explore


@st.cache_data(max_entries=32)
def cached_explore(shape_a, shape_b, op):
    """What numpy does with two shapes and an operator (core.lessons.broadcast.explore), with its picture: the
    stretched copies for + and *, the operands as they are otherwise; no picture when the shapes do not fit."""
    r = explore(shape_a, shape_b, op)
    if not r.ok:
        return r, None
    stretched = op in ("+", "*")
    figs = tuple(broadcast_figure(r.stretched_a, r.stretched_b, r.result, op, r.copies_a, r.copies_b, phone=phone)
                 if stretched else broadcast_figure(r.A, r.B, r.result, op, phone=phone) for phone in (False, True))
    return r, figs
