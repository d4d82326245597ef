"""Helpers every page uses, so all pages open and fail the same way."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_router() -> None:
    """Make sure the page runs inside app.py's st.navigation, even on a fresh server's first direct link.

    Streamlit keeps a legacy mode for apps with a pages/ folder: until some session has run app.py (which
    calls st.navigation and switches the mode off for the whole server), a direct link such as /classify runs
    pages/classify.py on its own, with a menu of raw file names and without app.py's page config. Basin keeps
    pages/ (the design card's layout), so a page that finds itself in that mode switches it off, the same
    switch st.navigation makes, and reruns: the rerun goes through app.py and lands on the same page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_header(title: str, one_sentence: str) -> None:
    """A page's title and the one sentence that says what the student will see."""
    ensure_router()
    st.title(title)
    st.write(one_sentence)


def escape_markdown(text) -> str:
    """Backslash-escape every character Streamlit's markdown would read as markup (for user-given text)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~$:" else ch for ch in str(text))


def show_input_error(err: Exception) -> None:
    """Show a bad-input error (core's InputError) as one plain sentence, never a traceback.

    Messages may quote what the user typed or uploaded, so markdown is escaped: nothing renders as markup.
    """
    st.error(escape_markdown(str(err)))
