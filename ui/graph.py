"""The Computation graph page's nudge tables (pages/graph.py wires them)."""

import pandas as pd
import streamlit as st

from core.maths.graph import nudge_check, nudge_table, phone_nudge_tables, reveal_steps, rounding_note, undefined_note


def show_nudges(build, params, eps, out, g, step, key):
    """Each derivative three ways: the backward pass, a one-sided nudge, a centred nudge. A row's numbers show
    from the step at which the backward pass above reaches its node, as the graph's d-numbers do.

    One table of six columns on a laptop; on a phone (ui.classroom.BASE_CSS shows one of the two) two narrow ones
    with short headers, explained below them: the six columns scrolled sideways there, hiding the difference and
    the centred nudge. key: names the two containers ("wide_<key>", "phone_<key>")."""
    rows = nudge_check(build, params, eps)
    with st.container(key=f"wide_{key}"):
        st.dataframe(nudge_table(rows, out, shown=step.grads, J0=g.out.data), hide_index=True)
    with st.container(key=f"phone_{key}"):
        for table in phone_nudge_tables(rows, out, shown=step.grads, J0=g.out.data):
            st.table(pd.DataFrame(table).set_index("node"))
        st.caption(f"Centred: ({out}(θ+ε) − {out}(θ−ε))/2ε. One-sided: ({out}(θ+ε) − {out}(θ))/ε; difference: "
                   "one-sided − backward pass.")
    shown = [r for r in rows if r.name in step.grads]
    for note in (undefined_note(g, shown, eps, out),
                 rounding_note(g.out.data, eps, out, [r.analytic for r in shown]) if shown else ""):
        if note:
            st.caption(note)
    at = reveal_steps(g)
    hidden = sorted((r.name for r in rows if r.name not in step.grads), key=at.get)
    if hidden:
        last = max(at[name] for name in hidden)
        st.caption("A row shows ? until the backward pass above reaches its node, as the graph does ("
                   + ", ".join(f"d{name} at step {at[name]}" for name in hidden)
                   + f"): a nudge gives the derivative away as surely as the backward pass. Step to {last} to "
                   "see every row.")
    return rows
