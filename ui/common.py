"""Helpers every page uses, so all pages open and fail the same way."""

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


def formulas(*parts: str, gap: str = r"\qquad") -> None:
    """Several formulas on one line (st.latex), `gap` apart. On a phone the line wraps between two formulas, never
    inside one (ui.classroom's style sheet lets display formulas wrap there; each part is one unbreakable group, and
    KaTeX may break only at the \\allowbreak after each gap)."""
    st.latex((gap + r"\allowbreak ").join("{" + part + "}" for part in parts))


def show_link_notes(notes, prefix: str = "Link setting ignored", box=None) -> None:
    """Show the notes about a link's ignored settings, one short line each: the one place where they meet
    markdown. They quote what the link said, so each is escaped here, once (core.markup): a link can never
    make a note render a link, an image, a heading or any other markup.

    box: the Streamlit element to use (default st.caption; the Cost basin uses st.info).
    """
    box = box or st.caption
    for note in notes:
        box(f"{prefix}: {escape_markdown(note)}")


def show_input_error(err: Exception | str) -> None:
    """Show a bad-input error (core's InputError, or its message) as one plain sentence, never a traceback.

    Messages may quote what the user typed or uploaded, so markdown is escaped: nothing renders as markup.
    """
    st.error(escape_markdown(str(err)))
