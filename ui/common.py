"""Helpers every page uses, so all pages open and fail the same way."""

import dataclasses
import runpy
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from core.markup import escape_markdown  # the one definition; pages and ui.classroom use it from here

APP = Path(__file__).resolve().parent.parent / "app.py"


def ensure_router() -> None:
    """Make sure the page runs inside app.py's st.navigation, even on a fresh server's first direct link.

    Streamlit keeps a legacy mode for apps with a pages/ folder: until some session has run app.py (which
    calls st.navigation and switches the mode off for the whole server), a direct link such as /classify runs
    pages/classify.py on its own, with a menu of raw file names and without app.py's page config. (AppTest
    even starts every run in that mode.) Basin keeps pages/ (the design card's layout), so a page that finds
    itself in that mode switches it off, the same switch st.navigation makes, runs app.py in its place, which
    shows the real menu and runs this same page inside it (page files are named after their links, see
    ui/registry.py), and stops. All in the same run, so no widget event (a button click) is lost.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP), run_name="__main__")
        st.stop()


def page_header(title: str, one_sentence: str) -> None:
    """A page's title and the one sentence that says what the student will see."""
    ensure_router()
    st.title(title)
    st.write(one_sentence)


def show_link_notes(notes, prefix: str = "Link setting ignored", box=None) -> None:
    """Show the notes about a link's ignored settings, one short line each: the one place where they meet
    markdown. They quote what the link said, so each is escaped here, once (core.markup): a link can never
    make a note render a link, an image, a heading or any other markup.

    box: the Streamlit element to use (default st.caption; the Cost basin uses st.info).
    """
    box = box or st.caption
    for note in notes:
        box(f"{prefix}: {escape_markdown(note)}")


def show_input_error(err: Exception) -> None:
    """Show a bad-input error (core's InputError) as one plain sentence, never a traceback.

    Messages may quote what the user typed or uploaded, so markdown is escaped: nothing renders as markup.
    """
    st.error(escape_markdown(str(err)))


def restore_settings(cls, store_key: str, from_link, skip=()) -> bool:
    """Fill the widget keys of a page's settings (a core.params.QueryState dataclass), before its widgets.

    On the first visit in a browser session the settings come from the link (`from_link`, already parsed).
    Later, Streamlit forgets a page's widget values whenever another page runs, and another page may have left
    a value of its own under the same key (both basin and losses have an "alpha"); each such key is refilled
    from the page's last settings, which the page keeps in st.session_state[store_key] (see remember_settings).
    Returns True on the first visit.
    """
    first = store_key not in st.session_state
    last = from_link if first else st.session_state[store_key]
    # Another page wrote these keys last (same names, other meanings): take all of them back.
    refill_all = first or st.session_state.get(_OWNER) != store_key
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        if refill_all or not _fits(cls, f, st.session_state.get(f.name)):
            st.session_state[f.name] = getattr(last, f.name)
    st.session_state[store_key] = last
    st.session_state[_OWNER] = store_key
    return first


_OWNER = "settings_owner"  # which page's restore_settings filled the shared widget keys last


def remember_settings(store_key: str, params) -> None:
    """Keep the page's current settings, for restore_settings on the next visit."""
    st.session_state[store_key] = params


def _fits(cls, f, value) -> bool:
    """Is this widget value one the setting allows (type and range, as a link value would be checked)?"""
    if value is None or type(value) is not type(f.default):
        return False
    text = ("1" if value else "0") if isinstance(value, bool) else repr(value) if isinstance(value, float) \
        else str(value)
    return not cls.parse({f.name: text})[1]
