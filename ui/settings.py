"""A page's shareable settings and the URL: the only module that reads or writes st.query_params.

Each page declares its settings once, as a core.params.QueryState dataclass whose field names are its widget
keys and its URL keys, and calls two functions:

- `page_settings(cls, page)` before its widgets: fills the widget keys with the page's settings and shows the
  notes about the link's ignored values (escaped, ui.common.show_link_notes);
- `keep_settings(page, params)` after them: remembers the settings for the next visit and writes the link.

Parameters that are not a page's settings but travel in its link (the classroom's flags, the path's step) are
registered with `also_in_link` and written with the settings: one write per run, one entry in the browser's history.

Whoever runs the page may ask to hear when the link is written (`when_kept`): the "link to this experiment" box
(ui.classroom) is then drawn at that moment, ahead of the page's charts, and not after the whole page.

On the first visit in a browser session the settings come from the link. Later, Streamlit forgets a page's
widget values whenever another page runs, and another page may have left a value of its own under the same key
(Cost basin and Squared error vs log-loss both have an "alpha"); each such key is refilled from the page's last
settings, kept in st.session_state[store_key(page)]. A link that brings the page's own settings (not the ones a
page wrote into the URL last, and not an empty one, which is what a page switch leaves, unless the browser's Back
or Forward button brought it: that is the page's defaults) is taken as on a first
visit, unless it is one of the page's own recent writes sent back by its next run (the widgets the browser sends
win over it; the browser's Back and Forward buttons still restore it); so is a Start here link (ui.path), which
drops the store with `forget`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.common import show_link_notes

_OWNER = "settings_owner"  # which page filled the shared widget keys last
_WRITTEN = "settings_written"  # the query the last page wrote into the URL
_KEPT_WRITES = 50  # how many of a page's own writes are known as its own when the browser sends them back
# What to call once keep_settings has written the link, for the run in progress (each script run has its thread,
# and a thread its own context: another session's run never sees it).
_ON_KEPT: ContextVar[Callable[[], None] | None] = ContextVar("basin_on_kept", default=None)
# Parameters that are not a page's settings but travel in its link (the classroom's flags, the path's step):
# provider(page, query) -> {name: value}, registered once at import (`also_in_link`).
_LINK_EXTRAS: list[Callable[[str, dict], dict]] = []


def store_key(page: str) -> str:
    """The session_state key under which a page (its url_path) keeps its last settings."""
    return f"{page}_params"


def forget(page: str) -> None:
    """Drop a page's last settings: its next run takes the link's settings, as on a first visit."""
    st.session_state.pop(store_key(page), None)


def page_settings(cls, page: str, *, adjust: Callable | None = None, skip=(), notes_box=None,
                  keep_notes: bool = False) -> bool:
    """Fill the widget keys of a page's settings (a QueryState dataclass `cls`) before its widgets; True on the
    first visit (the settings came from the link).

    adjust(params, query) -> (params, notes): the page's own reading of its link (e.g. the Cost basin's start
        point and snapped values), applied to the parsed link settings.
    skip: fields without a widget key of the same name (the page fills those itself).
    notes_box: how the notes are shown (default st.caption). They are shown on the first visit; with
        keep_notes, on every run of the page until the next first visit.
    """
    query = st.query_params.to_dict()
    names = {f.name for f in dataclasses.fields(cls)}
    own = {k: v for k, v in query.items() if k in names}
    written = {k: v for k, v in st.session_state.get(_WRITTEN, {}).items() if k in names}
    # A new link in this session (not what a page wrote last): take it, as on a first visit. But a run of the page
    # that ran last carries the URL the browser had when it asked, which may be one of the page's own earlier
    # writes, older than the widget it sends (keys pressed fast, the newer write still on its way back). Such a
    # URL is a new link only when the browser's Back or Forward button brought it.
    echo = st.session_state.get(_OWNER) == store_key(page) and any(
        own == {k: v for k, v in w.items() if k in names} for w in st.session_state.get(_history(page), []))
    # Back or Forward to an entry without the page's settings (its defaults: the page wrote none) is a link too:
    # an empty query is otherwise what a page switch leaves, and the page keeps its last settings.
    history = history_navigation()
    if own != written and ((own and not echo) or history):
        forget(page)
    from_link, notes = cls.parse(query)
    if adjust is not None:
        from_link, more = adjust(from_link, query)
        notes = notes + more
    key = store_key(page)
    first = key not in st.session_state
    last = from_link if first else st.session_state[key]
    # Another page wrote these keys last (same names, other meanings): take all of them back.
    refill_all = first or st.session_state.get(_OWNER) != key
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        if refill_all or not _fits(cls, f, st.session_state.get(f.name)):
            st.session_state[f.name] = getattr(last, f.name)
    # A number the student typed with more digits than the link keeps (10.5719: the link says 10.57), or a
    # slider's step arithmetic (−5.6000000000000005): the page runs with the link's value, so that its link
    # reproduces exactly what it shows. (Every value fits by now: the link's reading only rounds it.)
    typed = [f.name for f in dataclasses.fields(cls) if f.name not in skip and isinstance(f.default, float)]
    linked = cls.parse({k: repr(st.session_state[k]) for k in typed})[0]
    for k in typed:
        if getattr(linked, k) != st.session_state[k]:
            st.session_state[k] = getattr(linked, k)
    st.session_state[key] = last
    st.session_state[_OWNER] = key
    notes_key = f"{page}_link_notes"
    if first:
        st.session_state[notes_key] = notes
    if first or keep_notes:
        show_link_notes(st.session_state.get(notes_key, []), box=notes_box)
    return first


def last_settings(page: str):
    """The page's settings as page_settings left them (the link's on a first visit)."""
    return st.session_state[store_key(page)]


def keep_settings(page: str, params, query: dict | None = None) -> None:
    """Remember the page's current settings for its next visit, and put them in the URL (query, by default
    params.to_query()). The URL is written only when it changes: an empty write on a fresh direct link makes
    Streamlit say "Page not found". The URL this run was asked with may be older than the browser's: a write of
    an earlier run can still be on its way back (keys pressed fast). So it is also written when this page last
    wrote another."""
    st.session_state[store_key(page)] = params
    query = params.to_query() if query is None else query
    settings = query
    for extra in _LINK_EXTRAS:
        query = {**query, **extra(page, settings)}
    st.session_state[_WRITTEN] = query
    writes = st.session_state.setdefault(_history(page), [])
    if st.query_params.to_dict() != query or (writes and writes[-1] != query):
        st.query_params.from_dict(query)
    if not writes or writes[-1] != query:
        writes.append(query)
        del writes[:-_KEPT_WRITES]
    on_kept = _ON_KEPT.get()
    if on_kept is not None:
        on_kept()


def also_in_link(provider: Callable[[str, dict], dict]) -> Callable[[str, dict], dict]:
    """Register provider(page, query) -> {name: value}: parameters that keep_settings writes into the URL with
    the page's settings (query), in the same write. Every write of the URL is an entry in the browser's history:
    a second write in the same run (the classroom's teacher=1 put back after the page's settings) left an entry
    in between, and Back stopped there and seemed to do nothing (the run it asked for wrote the flag again)."""
    _LINK_EXTRAS.append(provider)
    return provider


@contextmanager
def when_kept(callback: Callable[[], None]) -> Iterator[None]:
    """While the body runs (a page), call `callback` each time keep_settings has written the page's link."""
    token = _ON_KEPT.set(callback)
    try:
        yield
    finally:
        _ON_KEPT.reset(token)


def _history(page: str) -> str:
    """The session_state key of the page's last writes to the URL (the latest last)."""
    return f"{page}_writes"


def history_navigation() -> bool:
    """Was this run asked for by the browser's Back or Forward button? (Streamlit 1.67 marks it on the run's
    context, which has no public accessor.)"""
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


def _fits(cls, f, value) -> bool:
    """Is this widget value one the setting allows (type and range, as a link value would be checked)?"""
    if value is None or type(value) is not type(f.default):
        return False
    text = ("1" if value else "0") if isinstance(value, bool) else repr(value) if isinstance(value, float) \
        else str(value)
    return not cls.parse({f.name: text})[1]


# ---------------------------------------------------------------- single query parameters (ui.classroom, ui.path)


def query_value(name: str):
    """The URL's value of one query parameter (the last one, if repeated), or None."""
    return st.query_params.get(name)


def query_values() -> dict[str, str]:
    """Every query parameter of the URL, with its last value."""
    return st.query_params.to_dict()


def query_lists() -> dict[str, list[str]]:
    """Every query parameter of the URL, with all its values."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def set_query_values(values: dict[str, str | None]) -> None:
    """Put several query parameters into the URL at once (None removes one), in one write when any changes."""
    now = st.query_params.to_dict()
    want = {k: v for k, v in {**now, **values}.items() if v is not None}
    if want != now:
        st.query_params.from_dict(want)


def set_query_value(name: str, value: str | None) -> None:
    """Put one query parameter into the URL (value None removes it); written only when it changes."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value
