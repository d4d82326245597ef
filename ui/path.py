"""Start here: an ordered path of experiments through the pages, and the "next step" link under every page.

Each step is a page with settings (the page's own URL query parameters, the ones its link carries), so a step's
link rebuilds exactly that experiment. Links also carry path=<n>: before the page runs, `arrive` remembers the
step (for the "next step" link) and makes the page take the link's settings even if the student has visited it
before in this session (pages otherwise restore their last settings; see ui/settings.py). The page keeps
path=<n> in its URL while it shows the step's settings, so Back from a step returns to the step before at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from core.markup import own_words
from ui.common import escape_markdown
from ui.registry import PAGES
from ui.settings import also_in_link, forget, history_navigation, query_value

PATH_KEY = "path"            # the query parameter that names the step a link comes from
STEP_STATE = "path_step"     # session_state: index of the last step the student opened
ARRIVED = "path_arrived"     # session_state: (url_path, index) of the step whose settings its page still shows


@dataclass(frozen=True)
class Step:
    page: str                     # url_path of the page (ui/registry.py)
    title: str
    query: dict = field(default_factory=dict)   # the page's settings, as in its link
    try_this: str = ""
    notice: str = ""

    @property
    def info(self):
        return next(p for p in PAGES if p.url_path == self.page)


STEPS: tuple[Step, ...] = (
    Step("basin", "A ball rolls down a real cost", {},
         "Press ▶ Play under the basin, then drag the 3D basin to turn it.",
         "J falls at every step and the ball comes to rest at the lowest point: the yellow star on the top view "
         "(a yellow diamond on the 3D basin)."),
    # the linear neuron: its squared error is an exact bowl, and the zigzag is wide enough to see at every step (on
    # the logistic neuron's default data it shrank below a pixel after three steps)
    Step("basin", "A larger step zigzags", {"neuron": "linear", "alpha": "oscillating"},
         "Press Step ▶ a few times and watch the top view.",
         "The ball lands on the other side of the valley each step, a little closer each time: α is between "
         "1/λ_max and 2/λ_max."),
    Step("basin", "Too large a step blows up", {"neuron": "linear", "alpha": "too-large"},
         "Press Step ▶ once: the ball flies off the top view. Switch the cost panel to log J to see how fast J "
         "grows, read the run's sentence under the basin, then lower α one notch at a time.",
         "With squared error on a linear neuron each overshoot is larger than the last, until the run is "
         "stopped: α is above 2/λ_max."),
    Step("basin", "Data with no bottom", {"dataset": "separable"},
         "Raise the L2 regularisation λ in the sidebar to 1.",
         "With separable classes J keeps falling as w grows: no minimum, the ball rolls out for ever. λ gives "
         "the basin a bottom."),
    Step("losses", "Why not squared error?", {},
         "Click another start point on one of the contour maps, then open the 3D surfaces tab.",
         "From the trap start, squared error stalls on a flat plateau while log-loss rolls to the bottom."),
    Step("classify", "One neuron on real images", {},
         "Scroll to the weights picture, then try the “Classify a photo” tab.",
         "In the weights picture the forehead and cheeks are purple (they push towards “face”) and the band of "
         "the eyes and brows orange: light skin around dark eyes looks like a face to it. The neuron compares "
         "every image with this one pattern."),
    Step("graph", "Where the gradients come from", {},
         "Press Next ▶ through the forward pass, then the backward pass.",
         "Each derivative is the product of the derivatives written on the edges back to J: the chain rule."),
    Step("vectorisation", "Why np.dot and not a loop", {},
         "Press Measure.",
         "The loop and np.dot compute the same number; np.dot is many times faster."),
    Step("activations", "Where learning stalls", {"z": "0"},
         "Move z from 0 to 6.",
         "The sigmoid's slope falls from 0.25 to almost 0: every gradient through it shrinks as much."),
)


def link_query(index: int) -> dict:
    """The query parameters of step `index`'s link: its settings and path=<index + 1>."""
    return {**STEPS[index].query, PATH_KEY: str(index + 1)}


def arrive(page) -> None:
    """Call before the page runs. A link from the path (path=<n>): remember the step, and make the page take
    the link's settings this time."""
    raw = query_value(PATH_KEY)
    if raw is None:
        return
    try:
        index = int(raw) - 1
    except ValueError:
        index = -1
    if not 0 <= index < len(STEPS) or STEPS[index].page != page.url_path:
        return
    # The page keeps path= in its URL while it shows the step's settings (_step_in_link), so that its first
    # write is no second entry in the browser's history: a run with the URL the page wrote itself is no new click.
    # (Still showing the step, the page has the step's settings: nothing to forget.)
    here = (page.url_path, index)
    if st.session_state.get(ARRIVED) == here and not history_navigation():
        return
    forget(page.url_path)
    st.session_state[STEP_STATE] = index
    st.session_state[ARRIVED] = here
    # A step on the page the student is on (the Cost basin's steps 2 to 4) keeps the scroll of the step before: it
    # opened at the bottom of the page, where its link was, with its basin and its "Try this" out of sight. The
    # step's number makes each script new, so the browser runs it again for the next step.
    st.html(f"<script>/* path step {index + 1} */ document.querySelector('[data-testid=\"stMain\"]')"
            "?.scrollTo({top: 0}); window.scrollTo({top: 0});</script>", unsafe_allow_javascript=True)


@also_in_link
def _step_in_link(page: str, query: dict) -> dict:
    """path=<n> stays in the URL the page writes while the page shows step n's settings (a write without it was
    a second entry in the browser's history after each step's link, and Back stopped on the link first)."""
    arrived = st.session_state.get(ARRIVED)
    if arrived is None:
        return {}
    url_path, index = arrived
    if url_path != page:
        return {}
    if query == STEPS[index].query:
        return {PATH_KEY: str(index + 1)}
    del st.session_state[ARRIVED]        # the student changed the experiment: the URL is theirs now
    return {}


def _next_index(url_path: str):
    """The step after the one the student is on: the remembered step if it is on this page, else the step of this
    page whose settings the page shows (the one with the most of them: a reload, which starts a new session, or
    the back button from the next page's step), else the first step of this page. Falling back to the first step
    sent a student on step 3 or 4 back to step 2."""
    here = st.session_state.get(STEP_STATE)
    if here is None or not 0 <= here < len(STEPS) or STEPS[here].page != url_path:
        shown = [i for i, s in enumerate(STEPS)
                 if s.page == url_path and all(query_value(k) == v for k, v in s.query.items())]
        first = [i for i, s in enumerate(STEPS) if s.page == url_path][:1]
        here = max(shown, key=lambda i: len(STEPS[i].query)) if shown else (first[0] if first else None)
    if here is None:
        return 0
    return here + 1 if here + 1 < len(STEPS) else None


def step_link(index: int, label_prefix: str = "") -> None:
    s = STEPS[index]
    st.page_link(s.info.file, label=f"{label_prefix}{index + 1}. {s.title}", icon=s.info.material_icon,
                 query_params=link_query(index))


def next_step(page) -> None:
    """The link to the next step of the path, at the end of every lesson's page (Home has the whole path; Class
    mode is not a lesson: a student there follows the teacher)."""
    if not page.url_path or not next((p.lesson for p in PAGES if p.url_path == page.url_path), True):
        return
    index = _next_index(page.url_path)
    with st.container(border=True, key="path_next"):
        if index is None:
            if st.session_state.get(STEP_STATE) == len(STEPS) - 1:     # arrived here by the path's last link
                st.markdown("**This is the path's last step.** Once you have tried it, you have walked the whole "
                            "path: go back to any step from Home, or explore freely.")   # not said on arrival
            else:
                st.markdown(f"**This page is the last step of the Start here path** ({len(STEPS)}. "
                            f"{escape_markdown(STEPS[-1].title)}). The whole path, from its first step, is on Home.")
            st.page_link(PAGES[0].file, label="Home: Start here", icon=PAGES[0].material_icon)
            return
        st.caption("Next on the Start here path")
        step_link(index)
        st.caption(own_words(f"Try this: {STEPS[index].try_this}"))


def start_here() -> None:
    """Home's Start here: every step with its link, what to try and what to notice."""
    st.subheader("Start here")
    st.write(f"A path of {len(STEPS)} experiments, about 20 minutes. Each link opens a page with its settings; "
             "the end of every page links to the next step.")
    for i, s in enumerate(STEPS):
        with st.container(border=True, key=f"path_step_{i + 1}"):
            step_link(i)
            st.markdown(f"**Try this:** {own_words(s.try_this)}  \n"
                        f"**Notice:** {own_words(s.notice)}")
