"""Teacher mode: classroom links that enlarge the app for a projector and hide chosen controls.

In the spirit of TensorFlow Playground's classroom links, a teacher adds flags to any page's link:

    ?teacher=1          projector view: larger text and charts, Streamlit's own chrome hidden, less blank space
    ?big=1              only the larger text and charts
    ?hide=alpha,seed    hide the controls whose widget keys are alpha and seed (a comma-separated list)
    ?predict=0          no "predict, then check" questions (they are on by default)

Flags are read once per session and kept in st.session_state, because st.navigation drops query parameters it
does not own when the student switches pages; every run writes them back into the URL, so the address bar and the
"link to this experiment" always carry them. A flag given again in the URL replaces the kept one (teacher=0 turns
the projector view off, hide= with nothing after it shows every control again).

A hide list belongs to the page whose link carried it: pages share key names (alpha is the Cost basin's learning
rate, the Losses page's and Classify's too), so the lists are kept per page (url_path) and each page hides only
its own; a hide= on another page's link sets that page's list. Hiding a name also hides what else on the page sets
the same thing (ALSO_HIDES: the Cost basin's own-data box with `dataset`, the graph's Previous / Next buttons with
its step slider ...) and a chart's copy for a phone (`curves` hides `curves_phone`); the click callbacks ask
`is_hidden` before they move a start point. A name that is no control of the page (by the guide's table in
docs/CLASSROOM.md) gets a note when a link brings it; it is kept, since a name found with the browser's inspector
may be missing from the table.

Safety: the URL is user input. Nothing from it is ever rendered as HTML: hide keys must match KEY_PATTERN
(letters, digits, _ and -), and the CSS is built here from those checked keys and fixed rules only.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import plotly.graph_objects as go
import streamlit as st

from core.figures.projector import enlarge
from core.lessons import guide
from ui.common import show_link_notes
from ui.settings import also_in_link, query_lists, query_values, set_query_values, when_kept

FLAGS = ("teacher", "big", "hide", "predict")
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # a Streamlit widget key we can name in a CSS class safely
MAX_HIDDEN = 40
STATE_KEY = "_classroom"  # this run's flags (hide: the running page's list)
HIDE_KEY = "_classroom_hide"  # {page url_path: its hide list}
LINK_KEY = "classroom_link_url"
# The copy button under the link box. A plain input and this script instead of st.code: st.code loads a 1.5 MB
# syntax highlighter on every page with settings, only to show one line. The clipboard API needs a secure context
# (https or localhost); elsewhere the link is selected and copied with execCommand.
COPY_BUTTON = """<button type="button" class="basin-copy-link"
 style="font: inherit; padding: 0.25rem 0.75rem; border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
 background: transparent; color: inherit; cursor: pointer">Copy the link</button><script>
if (!window.__basinCopyLink) {
  window.__basinCopyLink = true;
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest(".basin-copy-link");
    if (!button) return;
    const input = document.querySelector(".st-key-classroom_link_url input");
    if (!input) return;
    const done = () => {
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = "Copy the link"; }, 1500);
    };
    const fallback = () => { input.select(); if (document.execCommand("copy")) done(); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done, fallback);
    else fallback();
  });
}
</script>"""
ON, OFF = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}
SCALE = 1.25  # projector view: text 25% larger
NO_LINK_PAGES = ("classmode", "teachers")  # pages without the "link to this experiment" box
TAB_BARS = frozenset({"clf_tab"})   # keys of st.tabs: hiding one hides its bar of tabs, not the open tab
UNLISTED = ("classmode",)  # pages whose controls the guide's table leaves out: class mode's screens are its own
PHONE_COPY = "_phone"  # a chart drawn twice (BASE_CSS shows one) has its phone's copy keyed <key>_phone
# What else a hidden name hides on its page: the other controls that set the same thing, so that a hidden setting
# keeps the link's value (a click on a map is refused by its callback instead, through is_hidden).
ALSO_HIDES: dict[str, dict[str, tuple[str, ...]]] = {
    "basin": {
        "dataset": ("own_open",),          # your own data: an upload or an edit makes the dataset "own"
        "alpha": ("race_on", "race"),      # a race of learning rates replaces the slider's one
    },
    "losses": {
        "preset": ("w0", "b0", "alpha", "steps"),   # a preset sets all four; moving one makes it "custom"
        "w0": ("preset",), "b0": ("preset",),      # a preset moves the start
    },
    "graph": {
        "j_step": ("j_step_prev", "j_step_next"),   # ◀ Previous and Next ▶ move the step
        "l_step": ("l_step_prev", "l_step_next"),
    },
}

# Always on, for every student: readable contrast (WCAG AA, 4.5:1, found by axe-core in
# tests/e2e/test_accessibility.py).
# Streamlit's light theme draws captions in #828180 on white (3.9:1) and, in code blocks, keywords in #1c83e1 (3.9:1),
# comments and punctuation in #808495 (3.6:1), numbers in #29b09d (2.6:1) and operators in #ed6f13 (3.0:1); these
# darker shades keep the same hues at 4.5 to 6.5:1 on white and grey.
BASE_CSS = """
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #62615f; opacity: 1; }
[data-testid="stCode"] .token.keyword { color: #0b63b6; }
[data-testid="stCode"] .token.comment { color: #5a5e70; }
[data-testid="stCode"] .token.number { color: #0f766e; }
[data-testid="stCode"] .token.operator { color: #a84b00; }
[data-testid="stCode"] .token.punctuation { color: #5a5e70; }
.katex-display > .katex > .katex-html { white-space: normal; }
.katex-display > .katex > .katex-html > .base { margin: 0.2em 0; }
[data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMetricValue"] { font-size: min(2.25rem, 20cqi); }
[data-testid="stMetricLabel"] .stMarkdownEllipsis, [data-testid="stMetricLabel"] .stMarkdownEllipsis p {
  white-space: normal; }
[data-testid="stPageLink-NavLink"] > span:last-child, [data-testid="stPageLink-NavLink"] > span:last-child p {
  white-space: normal; }
.stPrintGraphic:has(> [data-testid="stSkeleton"]),
.stPrintGraphic:has([data-testid="stPlotlyChart"]):not(:has(.main-svg)) { position: relative; }
.stPrintGraphic:has(> [data-testid="stSkeleton"])::after,
.stPrintGraphic:has([data-testid="stPlotlyChart"]):not(:has(.main-svg))::after {
  content: "Drawing the chart…"; position: absolute; top: 4rem; left: 0; right: 0; text-align: center;
  color: #5a5e70; }
@media (max-width: 640px) {
  .katex-display > .katex { font-size: 0.85em; }
  [class*="st-key-wide_"] { display: none; }
}
@media (min-width: 641px) {
  [class*="st-key-phone_"] { display: none; }
}
"""
# Formulas never scroll sideways in their box (tests/e2e/test_shell.py, at a phone's, a laptop's and a desktop's
# width): a line of several formulas (ui.common.formulas) wraps between them when it is too long, at any width, with
# 0.4 em between the lines; on a phone formulas are drawn at 0.85 em instead of KaTeX's 1.21 em (13.6 px against
# 19.4 px).
# A metric never cuts its number or its label to "…" (Streamlit's default when a column is narrow): its value's
# size follows the metric's width (five side by side on Activations held "0.7…" at 960 px), its label wraps; so
# does the name of a link to a page (Home's steps and lessons at 820–960 px).
# A chart says "Drawing the chart…" in the space kept for it until plotly.js has drawn it: on a first visit the
# page's text is shown a second or more before plotly.js has loaded and drawn the first chart (about 2.5 s more for
# the Cost basin's 3D scene on a computer without a graphics card), and the space stayed blank.
# A chart too wide for a phone can be drawn twice, in containers keyed "wide_…" and "phone_…": each is shown only on
# its side of 640 px, the width below which Streamlit stacks columns.
# Projector view: Streamlit's own chrome hidden (toolbar, menu, deploy button, decoration line, "running" status;
# most are already off with client.toolbarMode = "minimal") and less blank space above the title. The header stays:
# it holds the button that reopens the sidebar.
_CLEAN_CSS = """
[data-testid="stToolbarActions"], [data-testid="stMainMenu"], [data-testid="stAppDeployButton"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
[data-testid="stHeader"] { background: transparent; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
"""
# Streamlit sizes its text, widgets, metrics and formulas in rem, so a larger root font enlarges all of them.
# Charts are enlarged by projected() below, not by CSS: CSS zoom on a plotly chart does not work (plotly lays the
# chart out at the unzoomed width of its container, so a zoomed chart overflows the page on the right).
# The text grows with the screen: 25 % larger from 1280 px up, as at 1024 px (a 1024 × 768 projector shows each
# pixel larger, and the page's columns have no room for larger text: metric values and page names were cut to
# "…"), and in between in proportion. The sidebar keeps Streamlit's 300 px while the text grows, so it widens by
# the same factor; before, the longest page name was cut. It takes its width at once, not in Streamlit's 300-ms
# transition of min-width: the text grows at once, and the page names were cut to "…" while the sidebar caught up.
# On a phone (columns stacked, the sidebar over the page) the text is 25 % larger too.
_BIG_CSS = f"""
div:has(> .st-key-narrow_fit) {{ display: none; }}
html {{ font-size: clamp(16px, calc(16px + (100vw - 1024px) * {16 * (SCALE - 1) / 256:g}), {16 * SCALE:g}px); }}
@media (min-width: 641px) {{
  [data-testid="stSidebar"][data-collapsed="false"] {{
    min-width: clamp(300px, calc(300px + (100vw - 1024px) * {300 * (SCALE - 1) / 256:g}), {300 * SCALE:g}px)
      !important;
    transition: transform 300ms !important; }}
}}
@media (max-width: 640px) {{ html {{ font-size: {16 * SCALE:g}px; }} }}
@media (min-width: 641px) and (max-width: 1023px) {{
  [data-testid="stApp"]:has([data-testid="stSidebar"][data-collapsed="false"]) [class*="st-key-wide_"] {{
    display: none; }}
  [data-testid="stApp"]:has([data-testid="stSidebar"][data-collapsed="false"]) [class*="st-key-phone_"] {{
    display: flex; }}
}}
@media (min-width: 641px) and (max-width: 719px) {{
  [data-testid="stApp"] [class*="st-key-wide_"] {{ display: none; }}
  [data-testid="stApp"] [class*="st-key-phone_"] {{ display: flex; }}
}}
"""
# The charts drawn for a laptop and for a phone (BASE_CSS) carry 1.35 times the text here (projected() below), so
# the phone's chart is shown up to a wider page than 640 px: the laptop's needs a page of about 560 px, which a
# window narrower than 1024 px leaves beside the open sidebar, and narrower than 720 px without it. Before, at
# 900 px with the sidebar open, the activations' five column titles, the graph's formulas and the broadcasting
# picture's "=" ran into each other.
# On a phone even the phone's chart cannot hold 1.35 times its text (Classify's "num_px × num_px" ran into
# "x, shape (625, 1)", the Losses maps' titles into each other): every enlarged chart carries its own text sizes
# as the last step of its narrow layout (core.figures.projector.phone_step), and NARROW_FIT applies it in the
# page while the window is narrower than 641 px. Its script sits in a container the style sheet hides, as a
# visible one would add a blank line above the title.


@dataclass(frozen=True)
class Classroom:
    """The classroom flags of one session."""

    teacher: bool = False  # projector view: large, clean
    big: bool = False  # large only
    hide: tuple[str, ...] = ()  # widget keys whose controls are hidden (on `page`)
    predict: bool = True  # "predict, then check" questions on the pages (ui/predict.py)
    page: str = ""  # the url_path of the page these flags are for (its hide list, its ALSO_HIDES)

    @property
    def enlarged(self) -> bool:
        return self.teacher or self.big

    def to_query(self) -> dict[str, str]:
        """The flags that are on, as URL query parameters (nothing for the default view)."""
        out = {}
        if self.teacher:
            out["teacher"] = "1"
        if self.big:
            out["big"] = "1"
        if self.hide:
            out["hide"] = ",".join(self.hide)
        if not self.predict:
            out["predict"] = "0"
        return out

    @property
    def hidden(self) -> tuple[str, ...]:
        """Every key hidden on the page: the hide list, what each of its names also hides there (ALSO_HIDES),
        and each one's chart copy for a phone (<key>_phone); only keys that matched KEY_PATTERN."""
        out: list[str] = []
        also = ALSO_HIDES.get(self.page, {})
        for key in self.hide:
            if not KEY_PATTERN.fullmatch(key):  # checked again: never trust the caller
                continue
            for k in (key, *also.get(key, ())):
                for box in (k, k + PHONE_COPY):
                    if box not in out:
                        out.append(box)
        return tuple(out)

    def css(self) -> str:
        """The style sheet for these flags, built only from fixed rules and keys that matched KEY_PATTERN."""
        parts = []
        if self.teacher:
            parts.append(_CLEAN_CSS)
        if self.enlarged:
            parts.append(_BIG_CSS)
        if self.hidden:   # tabs: only their bar goes (their panel is the page), and the link's tab stays open
            parts.append(", ".join(f".st-key-{k} [role=tablist]" if k in TAB_BARS else f".st-key-{k}"
                                   for k in self.hidden) + " { display: none !important; }")
        return "".join(parts).strip()


def parse(query: Mapping, previous: Classroom = Classroom(),
          known: Collection[str] | None = None) -> tuple[Classroom, list[str]]:
    """(flags, notes): the flags in a query mapping, on top of the ones kept from earlier runs (`previous`: for
    hide, the page's own list).

    A flag missing from the query keeps its previous value; a bad value is ignored (the previous value stays)
    and gives one short note. Values may be strings or lists of strings (the last one counts). known: the names
    of the page's controls; a hide list that differs from the previous one and names anything else gets a note
    (the name is kept: it may be a name the table lacks).
    """
    def last(name):
        raw = query.get(name)
        return raw[-1] if isinstance(raw, (list, tuple)) and raw else raw

    values, notes = {"teacher": previous.teacher, "big": previous.big, "hide": previous.hide,
                     "predict": previous.predict, "page": previous.page}, []
    for name in ("teacher", "big", "predict"):
        raw = last(name)
        if raw is None:
            continue
        text = str(raw).strip().lower()
        if text in ON | OFF:
            values[name] = text in ON
        else:
            notes.append(f"{name}={str(raw)[:20]} is not 1 or 0; ignored.")
    raw = last("hide")
    if raw is not None:
        keys, bad = [], []
        for key in str(raw).split(","):
            key = key.strip()
            if not key:
                continue
            if KEY_PATTERN.fullmatch(key):
                if key not in keys:
                    keys.append(key)
            else:
                bad.append(key[:20])
        if bad:
            notes.append(f"hide: {', '.join(bad)} ignored (a control's name has only letters, digits, _ and -).")
        if len(keys) > MAX_HIDDEN:
            notes.append(f"hide: only the first {MAX_HIDDEN} names are used.")
        values["hide"] = tuple(keys[:MAX_HIDDEN])
        unknown = [k[:20] for k in values["hide"] if known is not None and k not in known]
        if unknown and values["hide"] != previous.hide:
            notes.append(f"hide: no control on this page is named {' or '.join(unknown)} (check the spelling; the "
                         "For teachers page lists each page's names).")
    return Classroom(**values), notes


@lru_cache(maxsize=4)
def _documented(path: Path) -> dict[str, frozenset[str]]:
    """The guide's table of control names (core.lessons.guide.control_names), read once; {} without the guide."""
    try:
        return guide.control_names(path.read_text(encoding="utf-8"))
    except OSError:
        return {}


def known_names(page_url_path: str) -> frozenset[str] | None:
    """The names of a page's controls, as the guide's table gives them (its row, the rows for every page) and as
    ALSO_HIDES hides them with another; None when the server has no guide to tell."""
    table = _documented(guide.GUIDE)
    if not table or page_url_path in UNLISTED:
        return None
    also = ALSO_HIDES.get(page_url_path, {})
    return (table.get(page_url_path, frozenset()) | table.get(guide.EVERY_PAGE, frozenset())
            | set(also) | {k for keys in also.values() for k in keys})


def is_hidden(key: str) -> bool:
    """Is the control `key` hidden by the teacher's link on the page that runs? In a widget's callback (run before
    the page), the page that ran last: the one the widget is on. A callback leaves a hidden setting alone."""
    flags = st.session_state.get(STATE_KEY)
    return isinstance(flags, Classroom) and key in flags.hidden


def share_url(page_url_path: str, query: Mapping[str, list[str]], app_url: str | None) -> str:
    """The full link to a page with its query parameters: `query` maps each key to all its values.

    app_url is the address the browser used (st.context.url); only its scheme, host and the app's base path
    are kept. Without it (headless tests), http://localhost:8501 stands in.
    """
    parts = urlsplit(app_url or "http://localhost:8501/")
    base = st.get_option("server.baseUrlPath").strip("/")
    path = "/".join(p for p in (base, page_url_path) if p)
    pairs = [(k, v) for k, values in query.items() for v in values]
    # commas stay commas (hide=z,path_next, race=0.01,smooth, shape_a=2,+3): they read as lists, as typed
    return f"{parts.scheme}://{parts.netloc}/{path}" + (f"?{urlencode(pairs, safe=',')}" if pairs else "")


def _write_back(flags: Classroom) -> None:
    """Put the flags into the URL (a page that writes no settings), and drop non-canonical flag values: one
    write, one entry in the browser's history."""
    want = flags.to_query()
    set_query_values({name: want.get(name) for name in FLAGS})


@also_in_link
def _flags_in_link(page: str, query: dict) -> dict:
    """The flags go into the URL with the page's settings, in the same write (ui.settings.also_in_link)."""
    flags = st.session_state.get(STATE_KEY)
    return flags.to_query() if flags is not None else {}


def _share_link(page, notes: list[str]) -> None:
    """The "link to this experiment" box in the sidebar: the full URL with every setting, and a copy button."""
    url = share_url(page.url_path, query_lists(), st.context.url)
    st.session_state[LINK_KEY] = url             # the box always shows this run's link, whatever was typed in it
    with st.sidebar.container(key="classroom_link"):
        st.text_input("**Link to this experiment**", key=LINK_KEY)
        st.html(COPY_BUTTON, unsafe_allow_javascript=True)
        st.caption("Copy it with the button: it opens this page with these settings. Teachers: "
                   "add teacher=1 for a projector view, hide=name,name to hide controls, predict=0 to turn off the "
                   "predict-then-check questions (examples on the [For teachers](teachers) page).")
        show_link_notes(notes, prefix="Classroom link")


@contextmanager
def classroom(page) -> Iterator[Classroom]:
    """Run a page (the body of the `with`): the style sheet (BASE_CSS and the flags') before it; the flags back
    into the URL after it; and the "link to this experiment", as soon as the page has written its settings into
    the URL (ui.settings.keep_settings), so the sidebar's box goes out ahead of the page's charts and the browser
    does not draw it after them; a page that writes none gets it at the end.

    `page` is the StreamlitPage from st.navigation. Pages without settings (Home, url_path "") get no link, nor
    does Class mode (NO_LINK_PAGES): its link carries who the student or teacher is, which is theirs alone;
    nor the teachers' guide, which has no experiment to link.
    """
    lists = st.session_state.get(HIDE_KEY, {})
    previous = replace(st.session_state.get(STATE_KEY, Classroom()), page=page.url_path,
                       hide=lists.get(page.url_path, ()))           # the page's own hide list
    flags, notes = parse(query_values(), previous, known_names(page.url_path))
    st.session_state[STATE_KEY] = flags
    st.session_state[HIDE_KEY] = {**lists, page.url_path: flags.hide}
    st.html(f"<style>{BASE_CSS.strip()}\n{flags.css()}</style>")  # a style-only st.html takes no space
    if flags.enlarged:   # the projector's charts lay their text out as a student's phone does on a phone
        with st.container(key="narrow_fit"):      # hidden (_BIG_CSS): no blank line above the title
            st.html(NARROW_FIT, unsafe_allow_javascript=True)
    linked = bool(page.url_path) and page.url_path not in NO_LINK_PAGES
    if not linked:      # no link box to hold the notes: one line each at the top of the page
        show_link_notes(notes, prefix="Classroom link")
    drawn = []

    def link_box():
        if linked and not drawn:  # one box per run (a widget key can be drawn once)
            _write_back(flags)   # the URL the box shows is the one the browser will hold
            _share_link(page, notes)
            drawn.append(True)

    try:
        with when_kept(link_box):
            yield flags
    finally:                              # also when the page stops early (st.stop) or reruns
        _write_back(flags)
    link_box()


# Charts for the projector view: core.figures.projector.enlarge makes a larger copy of a figure. Most figures come
# from the server's shared caches and are shown again on every rerun, so the copy of each is kept (a few
# dozen at most) for as long as its original lives, not rebuilt on every rerun of the teacher's session.
CHART_SCALE = 1.35
_HERE = Path(__file__).parent
NARROW_FIT = ("<script>" + (_HERE / "plotly_animation.js").read_text(encoding="utf-8")
              + (_HERE / "narrow_fit.js").read_text(encoding="utf-8") + "</script>")
_ENLARGED: dict[int, tuple[weakref.ref, go.Figure]] = {}
_ENLARGED_MAX = 48
_ENLARGED_LOCK = threading.Lock()


def projected(fig: go.Figure) -> go.Figure:
    """fig as this session shows it: enlarged when the projector flags (teacher=1, big=1) are on."""
    flags = st.session_state.get(STATE_KEY)
    if not (flags and flags.enlarged):
        return fig
    with _ENLARGED_LOCK:
        ref, big = _ENLARGED.get(id(fig), (None, None))
        if ref is not None and ref() is fig:
            return big
    big = enlarge(fig, CHART_SCALE)
    with _ENLARGED_LOCK:
        if len(_ENLARGED) >= _ENLARGED_MAX:
            _ENLARGED.pop(next(iter(_ENLARGED)))  # the oldest
        _ENLARGED[id(fig)] = (weakref.ref(fig), big)
    return big
