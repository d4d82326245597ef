"""Home: what Basin is, one line and one link per lesson, and a small basin."""

import streamlit as st

from core.figures.home import home_basin_figure
from ui.charts import chart
from ui.common import formulas
from ui.path import start_here
from ui.registry import PAGES


@st.cache_resource(max_entries=1)  # one read-only figure for all (cache_data unpickles it every run)
def basin_figure():
    return home_basin_figure()


def main():
    """The page, run top to bottom on every rerun: its data are locals, gone when the call returns."""
    st.title("Basin")
    st.write(
        "Basin is a lab for watching one neuron learn. Logistic regression turns data into a cost "
        "J(w, b), a landscape over the weights; gradient descent is a ball rolling down it. "
        "Each page takes one idea from week 2 of the course and lets you change it and see what happens."
    )

    text, picture = st.columns([5, 4], gap="medium")  # at 1024 px the names of the steps and the lessons fit
    with text:
        start_here()
    with picture:
        chart(basin_figure(), config={"displaylogo": False},
              alt="A 3D bowl-shaped cost surface with a ball's path stepping down to its lowest point.")
        st.caption("The ball starts high and takes a step downhill each iteration:")
        formulas(r"w := w - \alpha\,dw", r"b := b - \alpha\,db")
        for heading, pages in (("The lessons", [p for p in PAGES[1:] if p.lesson]),
                               ("For teachers", [p for p in PAGES[1:] if not p.lesson])):
            st.subheader(heading)
            for p in pages:
                st.page_link(p.file, label=p.title, icon=p.material_icon)
                st.caption(p.teaches)


main()
