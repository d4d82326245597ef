"""Activations: sigmoid, tanh, ReLU, leaky ReLU and linear with their slopes; value and slope at a chosen z; where
each is flat."""

import streamlit as st

from core.errors import InputError
from core.figures.lessons import activations_figure
from core.lessons.activation_facts import TITLES, ActivationsParams, curves, shown_pair, value_and_slope, where_flat
from core.maths.activations import ACTIVATIONS
from ui.charts import chart
from ui.common import formulas, page_header, show_input_error
from ui.settings import keep_settings, page_settings

NAMES = tuple(ACTIVATIONS)  # sigmoid, tanh, relu, linear, leaky_relu


@st.cache_data(max_entries=128)
def figure(z, phone=False):
    return activations_figure(curves(NAMES, z), z, (-6.0, 6.0), phone=phone)


def main():
    """The page, run top to bottom on every rerun: its data are locals, gone when the call returns."""
    page_header("Activations", "Each activation g turns z = wᵀx + b into the neuron's output; its slope g′(z) "
                "multiplies every gradient that flows back through it, so where g is flat, learning stalls.")
    page_settings(ActivationsParams, "activations")

    z = st.slider("z", -6.0, 6.0, step=0.1, key="z", help="The value and the slope of every activation at this z.")
    try:
        # Five columns side by side on a laptop; one row per activation on a phone (ui.classroom.BASE_CSS shows
        # one of the two containers, at the width where Streamlit stacks columns).
        with st.container(key="wide_curves"):
            chart(figure(round(z, 2)), config={"displayModeBar": False}, key="curves",
                  alt=f"Sigmoid, tanh, ReLU, linear and leaky ReLU: each function g(z) above and its slope g'(z) "
                      f"below, for z from -6 to 6, marked at z = {z:g}.")
        with st.container(key="phone_curves"):
            chart(figure(round(z, 2), phone=True), config={"displayModeBar": False}, key="curves_phone",
                  alt=f"Sigmoid, tanh, ReLU, linear and leaky ReLU, one per row: each function g(z) on the left and "
                      f"its slope g'(z) on the right, for z from -6 to 6, marked at z = {z:g}.")
        st.caption("Grey bands: where the slope is below 5% of its largest value: 'flat' (or 'saturated') where "
                   "it is nearly 0, 'slow' for leaky ReLU, whose slope 0.01 is small but never 0. "
                   "Pink: the value at z with its tangent line, and the slope at z.")
        # The definitions on one line that wraps between them: in five columns a fraction would not fit a laptop's.
        formulas(*(ACTIVATIONS[name].latex for name in NAMES))
        columns = st.columns(len(NAMES))
        for col, name in zip(columns, NAMES, strict=True):
            g, dg = shown_pair(*value_and_slope(name, z))       # 0.002473 and 0.002467 both read 0.0025
            with col:
                st.markdown(f"**{TITLES[name]}**")
                st.metric(f"g({z:g})", g)
                st.metric(f"g′({z:g}), the slope", dg)
                st.caption(where_flat(name))
    except InputError as err:
        show_input_error(err)
    # Two lines: one would be wider than a laptop's column (and become a scrolling box).
    formulas(r"\sigma'(z) = \sigma(z)\big(1-\sigma(z)\big)", r"\tanh'(z) = 1-\tanh^2(z)",
             r"g'(z)=1 \text{ (linear)}")
    formulas(r"\mathrm{ReLU}'(z) = \begin{cases}1 & z>0\\ 0 & z\le 0\end{cases}",
             r"\text{leaky ReLU}'(z) = \begin{cases}1 & z>0\\ 0.01 & z\le 0\end{cases}")
    st.write("Why it matters: in the backward pass dz = da · g′(z), so a neuron sitting where g′ ≈ 0 passes "
             "almost no gradient back and its weights barely move. The sigmoid's slope is never above 1/4; "
             "tanh's peaks at 1 and is centred on 0; ReLU keeps a slope of 1 for every z > 0 but has none at all "
             "for z < 0 (a unit stuck there never learns again: a \"dead\" ReLU); leaky ReLU keeps a small slope, "
             "0.01, for z < 0, so such a unit still learns, slowly.")
    keep_settings("activations", ActivationsParams(z=round(z, 2)))


main()
