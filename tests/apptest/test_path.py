"""The Start here path: every step's link opens its page with its settings, without notes or errors, and every
page ends with a link to the next step."""

from urllib.parse import parse_qs

import numpy as np
import pytest

from core.lessons.activation_facts import ActivationsParams
from core.lessons.basin import BasinParams
from core.lessons.classify import ClassifyParams
from core.lessons.losses import LossesParams
from core.lessons.vectorisation import VectorisationParams
from core.markup import own_words
from core.maths.graph import GraphParams
from ui.path import PATH_KEY, STEPS, link_query
from ui.registry import PAGES

# The settings class of each page whose settings a step may set.
PARAMS = {"basin": BasinParams, "losses": LossesParams, "classify": ClassifyParams, "graph": GraphParams,
          "vectorisation": VectorisationParams, "activations": ActivationsParams}


def _follow(app, index):
    """Open step `index` as its link does: its page with its query parameters."""
    app.query_params.clear()
    for k, v in link_query(index).items():
        app.query_params[k] = v
    app.switch_page(STEPS[index].info.file).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _notes(app):
    return [e.value for e in (*app.caption, *app.info, *app.warning, *app.error) if "ignored" in e.value]


def test_the_path_has_6_to_10_steps_each_with_try_this_and_notice():
    assert 6 <= len(STEPS) <= 10
    pages = {p.url_path for p in PAGES[1:] if p.lesson}
    assert {s.page for s in STEPS} == pages                     # it visits every lesson
    for s in STEPS:
        assert s.title and s.try_this and s.notice and PATH_KEY not in s.query


@pytest.mark.parametrize("index", range(len(STEPS)), ids=[f"{i + 1}-{s.page}" for i, s in enumerate(STEPS)])
def test_every_step_opens_its_page_with_its_settings(app, index):
    step = STEPS[index]
    _follow(app, index)
    assert app.title[0].value == step.info.title
    assert not _notes(app), _notes(app)
    if step.page in PARAMS:
        parsed, notes = PARAMS[step.page].parse(step.query)
        assert not notes
        for key in step.query:
            assert app.session_state[key] == getattr(parsed, key), key
    else:
        for key, value in step.query.items():
            assert app.session_state[key] == type(app.session_state[key])(value), key
    labels = [link.proto.label for link in app.get("page_link")]
    if index + 1 < len(STEPS):
        assert labels[-1] == f"{index + 2}. {STEPS[index + 1].title}"
    else:
        assert labels[-1] == "Home: Start here"


def test_a_step_link_reproduces_its_experiment_after_the_student_changed_the_page(app):
    """Pages keep their last settings within a session; a step's link must still bring the step's own."""
    _follow(app, 1)                                                 # basin, alpha=oscillating
    app.select_slider(key="alpha").set_value("0.01").run()
    app.selectbox(key="dataset").select("iris").run()
    app.switch_page("pages/home.py").run()
    _follow(app, 1)
    assert app.select_slider(key="alpha").value == "oscillating"
    assert app.selectbox(key="dataset").value == "overlap"
    _follow(app, 2)                                                 # basin again, other settings
    assert (app.radio(key="neuron").value, app.select_slider(key="alpha").value) == ("linear", "too-large")


def test_pages_opened_from_the_menu_link_to_their_first_step(app):
    app.switch_page("pages/losses.py").run()
    labels = [link.proto.label for link in app.get("page_link")]
    first = next(i for i, s in enumerate(STEPS) if s.page == "losses")
    assert labels[-1] == f"{first + 2}. {STEPS[first + 1].title}"


def test_home_start_here_lists_every_step_with_its_link(app):
    app.run()
    assert not app.exception
    assert any(s.value == "Start here" for s in app.subheader)
    # the path's words are escaped whole (core.markup.own_words), only λ_max typeset: "2/λ_max" broke after "/"
    text = " ".join(m.value for m in app.markdown)
    assert "λ_max" not in text and "λ\\_max" not in text and "$2/\\lambda_{\\max}$" in text
    links = {link.proto.label: link.proto for link in app.get("page_link")}
    for i, s in enumerate(STEPS):
        assert own_words(s.try_this) in text and own_words(s.notice) in text
        link = links[f"{i + 1}. {s.title}"]
        assert link.page == s.page and parse_qs(link.query_string) == {k: [v] for k, v in link_query(i).items()}


def test_only_a_student_who_walked_the_path_is_told_so(app):
    """Opening the last step's page from the menu said 'You have walked the whole path'."""
    app.switch_page("pages/activations.py").run()
    text = " ".join(m.value for m in app.markdown)
    assert "walked the whole path" not in text and "last step of the Start here path" in text
    _follow(app, len(STEPS) - 1)
    # on arrival, before anything is tried, it is not yet walked
    assert any(m.value.startswith("**This is the path's last step.** Once you have tried it, you have walked the "
                                  "whole path") for m in app.markdown)


def test_the_zigzag_step_shows_a_zigzag_at_every_step():
    """Step 2 says the ball lands on the other side of the valley each step, a little closer each time. On the
    logistic neuron's default data the zigzag shrank below a pixel after three steps; its run now crosses the
    valley at each of its first ten steps by a visible amount (behaviour.VISIBLE), each crossing smaller."""
    from core.lessons.behaviour import VISIBLE
    from ui.basin import experiment
    step = next(s for s in STEPS if s.title == "A larger step zigzags")
    p = BasinParams(**step.query)
    _, _, runs, curv, _ = experiment(p.dataset, p.seed, p.neuron, p.lambd, p.w0, p.b0, p.steps, p.grid, ())
    t = runs.trajectories[runs.index(p.alpha)]
    off = t.w[1:11, 0] - curv.bottom()[0]
    assert np.all(np.sign(off[1:]) == -np.sign(off[:-1])) and np.all(np.abs(off) >= VISIBLE)
    assert np.all(np.abs(off[1:]) < np.abs(off[:-1]))


def test_the_blow_up_step_says_what_the_page_shows():
    """Step 3 tells the student that one step flies the ball off the top view and that log J shows how fast J
    grows (the linear J panel showed only a sliver, then a flat line after the run was stopped)."""
    from core.lessons import basin
    from ui.basin import experiment
    step = next(s for s in STEPS if s.title == "Too large a step blows up")
    p = BasinParams(**step.query)
    _, _, runs, curv, _ = experiment(p.dataset, p.seed, p.neuron, p.lambd, p.w0, p.b0, p.steps, p.grid, ())
    k = runs.index(p.alpha)
    w_lo, w_hi, b_lo, b_hi = basin.basin_box(runs, curv, p.w0, p.b0)
    inside = (w_lo <= runs.W[k]) & (runs.W[k] <= w_hi) & (b_lo <= runs.B[k]) & (runs.B[k] <= b_hi)
    assert inside[0] and not inside[1:].any()                       # off the top view from the first step
    t = runs.trajectories[k]
    assert t.status == "diverged" and t.cost[-1] > 1e6 * t.cost[0]   # J grows by powers of ten: log J shows it
    assert "log J" in step.try_this and "Step ▶ once" in step.try_this


@pytest.mark.parametrize("query, then", [
    ({"neuron": "linear", "alpha": "too-large"}, 3),       # step 3's page reloaded (a new session, no path=)
    ({"neuron": "linear", "alpha": "oscillating"}, 2),
    ({"dataset": "separable", "lambd": "1"}, 4),           # step 4 after λ was raised, back from the Losses page
    ({"alpha": "0.01"}, 1),                                # a page no step shows: its first step's next
])
def test_the_next_step_follows_the_step_the_page_shows_when_no_step_is_remembered(app, query, then):
    """A reload (or the back button after the next step's page) lost the remembered step, and the Cost basin's
    Next fell back to its first step: from step 3 it read '2. A larger step zigzags'."""
    app.query_params.clear()
    for k, v in query.items():
        app.query_params[k] = v
    app.switch_page("pages/basin.py").run()
    assert not app.exception
    labels = [link.proto.label for link in app.get("page_link")]
    assert labels[-1] == f"{then + 1}. {STEPS[then].title}"


def test_a_step_on_the_same_page_opens_at_the_top_of_the_page(app):
    """From step 2 to 3 (both on the Cost basin) the page kept its scroll: step 3 opened at the bottom, where its
    link was. A path link scrolls the page to its top."""
    _follow(app, 1)
    scripts = [h.proto.body for h in app.get("html") if "path step 2" in h.proto.body]
    assert scripts and "scrollTo({top: 0})" in scripts[0]
    _follow(app, 2)
    assert any("path step 3" in h.proto.body for h in app.get("html"))
