"""Helpers every page uses, so all pages open and fail the same way."""

import streamlit as st


def page_header(title: str, one_sentence: str) -> None:
    """A page's title and the one sentence that says what the student will see."""
    st.title(title)
    st.write(one_sentence)


def show_input_error(err: Exception) -> None:
    """Show a bad-input error (core's InputError) as a plain sentence, never a traceback."""
    st.error(str(err))
