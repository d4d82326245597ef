"""Computation graph: J = 3(a + bc) and one logistic-regression example, forward and backward, with nudges."""

from dataclasses import fields

import streamlit as st

from core.errors import InputError
from core.figures.lessons import graph_figure
from core.maths.graph import (
    GraphParams,
    backward_steps,
    forward_steps,
    logistic_example,
    nudge_example,
    three_a_plus_bc,
)
from ui.charts import chart
from ui.common import formulas, page_header, show_input_error
from ui.graph import show_nudges
from ui.settings import keep_settings, page_settings


def numbers(names, lo, hi, step, cols=None):
    """One number input per name, side by side (in `cols`, or columns of their own); the keys are the URL keys.
    "%g": the value used, to the link's 4 digits (0.125; Streamlit's "%0.2f" showed 0.13)."""
    for col, name in zip(cols or st.columns(len(names)), names, strict=True):
        col.number_input(name, min_value=lo, max_value=hi, step=step, format="%g", key=name)


def step_through(g, key):
    """The graph at one step of its passes, with Previous / Next buttons, a slider and the step's explanation;
    returns the step shown."""
    steps = forward_steps(g) + backward_steps(g)
    st.session_state[key] = min(max(st.session_state.get(key, 1), 1), len(steps))

    def move(by):
        st.session_state[key] = max(1, min(len(steps), st.session_state[key] + by))
    left, mid, right = st.columns([2, 5, 2], vertical_alignment="bottom")   # room for "◀ Previous" at 1024 px
    left.button("◀ Previous", key=f"{key}_prev", on_click=move, args=(-1,), width="stretch")
    right.button("Next ▶", key=f"{key}_next", on_click=move, args=(1,), width="stretch")
    n, nf = len(steps), len(forward_steps(g))
    mid.slider(f"Step 1 to {n} (steps 1 to {nf}: forward pass; {nf + 1} to {n}: backward pass)", 1, n, key=key)
    k = st.session_state[key]
    step = steps[k - 1]
    # drawn for a laptop and for a phone; ui.classroom.BASE_CSS shows the one that fits
    for phone in (False, True):
        with st.container(key=f"{'phone' if phone else 'wide'}_{key}"):
            chart(graph_figure(g, step, phone=phone), config={"displayModeBar": False},
                  key=f"{key}_fig{'_phone' if phone else ''}",
                  alt=f"Computation graph, step {k} of {len(steps)}: {step.title}.")
    pass_name = "Forward pass" if step.phase == "forward" else "Backward pass"
    st.info(f"**{pass_name}, step {k} of {len(steps)}: {step.title}.** {step.explanation}")
    st.caption("Squares are inputs, circles are computed. Black numbers are values (forward pass); orange "
               "d-numbers are derivatives of the output (backward pass), each the product written on its edge.")
    return step


def main():
    """The page, run top to bottom on every rerun: its data are locals, gone when the call returns."""
    page_header("Computation graph", "Forward, we compute each node from its inputs; backward, the chain rule "
                "sends the derivative of J back along every edge, one multiplication at a time.")
    page_settings(GraphParams, "graph")
    st.header("J = 3(a + bc)")
    formulas("u = bc", "v = a + u", "J = 3v")
    *abc, nudge = st.columns(4)                                  # ε beside a, b and c: the graph starts higher
    numbers(["a", "b", "c"], -100.0, 100.0, 1.0, abc)
    nudge.number_input("Nudge ε", min_value=1e-6, max_value=0.5, step=0.001, format="%g", key="eps",
                       help="Each node, input or computed, is moved by ε; J moves by about (its derivative) × ε. "
                       "The − button stops at 0.001: type a smaller ε, down to 1e−06, in the box.")
    p = GraphParams(**{f.name: st.session_state[f.name] for f in fields(GraphParams)})
    try:
        g = three_a_plus_bc(p.a, p.b, p.c)
        step = step_through(g, "j_step")
        st.subheader("Nudge each node: J moves by about its derivative × ε")
        rows = show_nudges(three_a_plus_bc, dict(a=p.a, b=p.b, c=p.c), p.eps, "J", g, step, "j_nudges")
        if "b" in step.grads:
            db = next(r for r in rows if r.name == "b")
            st.write(nudge_example(db, g.out.data, p.eps))
        # the chain rule for each input, once the backward pass has reached it (dJ/da = 3 is its number)
        chain = {"b": r"\frac{dJ}{db} = \frac{dJ}{du}\cdot\frac{du}{db} = 3c", "c": r"\frac{dJ}{dc} = 3b",
                 "a": r"\frac{dJ}{da} = \frac{dJ}{dv}\cdot\frac{dv}{da} = 3"}
        if shown := [tex for name, tex in chain.items() if name in step.grads]:
            formulas(*shown)

        st.header("One logistic-regression example")
        formulas(r"z = w_1x_1 + w_2x_2 + b \;\to", r"a = \sigma(z) \;\to",
                 r"\mathcal{L}(a, y) = -\big(y\log a + (1-y)\log(1-a)\big)", gap=r"\;")
        numbers(["x1", "x2", "w1", "w2", "bias"], -10.0, 10.0, 0.1)
        st.radio("Label y", [0, 1], key="y", horizontal=True)
        p = GraphParams(**{f.name: st.session_state[f.name] for f in fields(GraphParams)})
        example = dict(x1=p.x1, x2=p.x2, w1=p.w1, w2=p.w2, b=p.bias, y=p.y)
        lg = logistic_example(**example)
        l_step = step_through(lg, "l_step")
        formulas(r"da = -\frac{y}{a} + \frac{1-y}{1-a}", r"dz = a - y", r"dw_1 = x_1\,dz", r"dw_2 = x_2\,dz",
                 r"db = dz")
        st.subheader("Checked numerically")
        show_nudges(logistic_example, example, p.eps, "L", lg, l_step, "l_nudges")
        st.caption("The one-sided nudge is off by about ε × (curvature) / 2; the centred one, "
                   "(L(θ+ε) − L(θ−ε))/2ε, is off only by about ε², which is why gradient checks use it.")
    except InputError as err:
        show_input_error(err)
    keep_settings("graph", p)


main()
