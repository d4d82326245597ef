"""Classify: one neuron trained on small images, its weights as a picture, and your own photos.

Thin page: the settings in the sidebar, then the three tabs (ui/classify.py). Your own classes and model live in
st.session_state["classify_own"] (ui.classify.own_store), so they survive reruns and page switches.
"""

from dataclasses import fields

import streamlit as st

from core.lessons import classify
from ui.classify import bundled_tab, classify_tab, own_store, own_tab
from ui.common import page_header
from ui.settings import keep_settings, page_settings


def _tab_chosen():
    """A tab was opened: the setting follows, before the page reads its settings and writes the link."""
    st.session_state.tab = next(k for k, label in classify.TABS.items() if label == st.session_state.clf_tab)


def main():
    """The page, run top to bottom on every rerun: its data are locals, gone when the call returns."""
    page_header("Classify", "A single neuron learns to tell two kinds of images apart; see what it learned, "
                "then show it a photo of your own.")
    own_store()  # the user's own photos and model, kept for the session
    page_settings(classify.ClassifyParams, "classify")
    with st.sidebar:
        st.header("Bundled data")
        st.radio("Images", ["faces", "digits"], key="data",
                 format_func={"faces": "faces vs not a face (25 × 25)", "digits": "digits (8 × 8)"}.get)
        if st.session_state.data == "digits":
            digit = st.selectbox("Digit (y = 1)", range(10), key="digit")
            others = ["rest"] + [str(d) for d in range(10) if d != digit]
            if st.session_state.versus not in others:  # a digit against itself: against all the others
                st.session_state.versus = "rest"
            st.selectbox("against (y = 0)", others, key="versus",
                         format_func=lambda v: "all other digits" if v == "rest" else f"digit {v}")
        st.select_slider("Learning rate α", classify.ALPHA_CHOICES, key="alpha")
        st.select_slider("Iterations", classify.ITERATION_CHOICES, key="iters")
        st.select_slider("L2 regularisation λ", classify.LAMBDA_CHOICES, key="lambd")
    p = classify.ClassifyParams(**{f.name: st.session_state[f.name] for f in fields(classify.ClassifyParams)})
    keep_settings("classify", p)
    # the open tab is a setting (tab, in the link); its widget holds the tab's label
    st.session_state.clf_tab = classify.TABS[p.tab]
    tab_train, tab_classify, tab_own = st.tabs(list(classify.TABS.values()), key="clf_tab", on_change=_tab_chosen)
    with tab_train:
        model = bundled_tab(p)
    with tab_own:
        own_tab()
    with tab_classify:
        classify_tab(model, p.data, p.clf_which)


main()
