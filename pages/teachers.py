"""For teachers: the classroom guide (docs/CLASSROOM.md) inside the app, its examples linked to this server."""

import streamlit as st

from core.lessons.guide import app_base, teachers_guide
from ui.common import page_header


@st.cache_data(max_entries=16)  # one text per address the app is reached by (bounded: a Host header is the client's)
def guide(base: str) -> str:
    return teachers_guide(base)


def main():
    """The page, run top to bottom on every rerun: its data are locals, gone when the call returns."""
    page_header("For teachers", "How to show Basin to a class: links that reproduce an experiment, the projector "
                "view, hiding controls, the Start here path, predict-then-check and class mode. Every example "
                "below is a link to this server.")
    try:
        text = guide(app_base(st.context.url, st.get_option("server.baseUrlPath")))
    except OSError:                                   # a server installed without docs/
        st.error("The teachers' guide (docs/CLASSROOM.md) is not on this server.")
        return
    st.markdown(text)


main()
