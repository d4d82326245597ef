"""The point editor's callback (ui/owndata.py), with a stand-in for st.session_state: what the browser sends is
checked at the boundary; a good edit becomes the session's data and is shown, a bad or stale one changes nothing
but the sentence. Edits made faster than the page reruns are all kept: the newest list is taken."""

import itertools
import types

import numpy as np
import pytest

import ui.owndata as own
from core.data.owndata import OWN
from tests.unit.fake_session import State


@pytest.fixture
def state(monkeypatch):
    s = State(dataset="overlap", seed=0, w0=2.0, b0=-2.5, own_rev=3, own_names=("size", "label"))
    monkeypatch.setattr(own, "st", types.SimpleNamespace(session_state=s))
    return s


POINTS = [[1.0, 0], [2.0, 0], [2.5, 1], [3.0, 0], [4.0, 1], [5.0, 1]]


SEQ = itertools.count(1)         # the editor numbers its edits, one more each time


def _send(state, points, rev=3, seq=None):
    state["own_editor"] = {"edit": {"rev": rev, "seq": next(SEQ) if seq is None else seq, "points": points}}
    own._edited((0.0, 10.0))


def test_a_good_edit_becomes_the_data_and_is_shown(state):
    _send(state, POINTS)
    kept = state[own.KEY]
    assert kept["kind"] == "edited" and kept["data"].m == 6 and kept["data"].feature == "size"
    assert state.dataset == OWN and state.own_rev == 4 and own.ERROR not in state
    assert isinstance(state.w0, float) and isinstance(state.b0, float)


@pytest.mark.parametrize("points, words", [
    ([[1.0, 0], [20.0, 1]], "between 0 and 10"),                   # dragged off the axis
    ([[1.0, 0], [float("nan"), 1]], "between 0 and 10"),
    ([[1.0, 0], [2.0, 7]], "0 or 1"),
    ([[1.0, 1], [2.0, 1]], "both classes"),
    ([[0.001 * i, i % 2] for i in range(own.EDIT_ROWS + 1)], "at most"),
    ({"x": 1}, "could not be read"),
])
def test_a_bad_edit_keeps_the_data_and_says_why(state, points, words):
    _send(state, POINTS)
    before = state[own.KEY]
    _send(state, points, rev=4)
    assert state[own.KEY] is before and state.dataset == OWN
    assert words in state[own.ERROR]
    assert state.own_rev == 5                                       # the editor redraws the data in use


def test_an_edit_of_data_no_longer_shown_is_ignored(state):
    _send(state, POINTS, rev=2)
    assert own.KEY not in state and own.ERROR not in state and state.dataset == "overlap"


def test_edits_faster_than_the_page_reruns_are_all_kept(state):
    """Five clicks 0.3 s apart kept 13 of 15 points: after the first edit was taken the others still carried the
    first drawing's revision and were dropped. Each list holds the edits before it: the newest is taken."""
    _send(state, POINTS, rev=3, seq=1)
    assert state[own.KEY]["data"].m == 6 and state.own_rev == 4
    _send(state, POINTS + [[6.0, 1]], rev=3, seq=2)                  # clicked before the page redrew
    _send(state, POINTS + [[6.0, 1], [7.0, 0]], rev=3, seq=3)
    assert state[own.KEY]["data"].m == 8 and state.own_rev == 6 and own.ERROR not in state
    _send(state, POINTS + [[6.0, 1], [7.0, 0], [8.0, 1]], rev=6, seq=4)   # on the new drawing: as before
    assert state[own.KEY]["data"].m == 9


def test_an_older_list_never_replaces_a_newer_one(state):
    _send(state, POINTS + [[6.0, 1]], rev=3, seq=5)
    _send(state, POINTS, rev=3, seq=4)                               # arriving late, or a second time
    _send(state, POINTS, rev=3, seq=5)
    assert state[own.KEY]["data"].m == 7 and state.own_seq == 5
    _send(state, POINTS[:5], rev=3, seq="6")                         # not the editor's numbers: nothing happens
    assert state[own.KEY]["data"].m == 7


def test_an_edit_from_before_other_new_data_is_ignored(state):
    """Quick edits continue the editor's own; an upload (or the table, or forgetting) in between makes them edits
    of data no longer shown, whose list would bring the old data back."""
    _send(state, POINTS, rev=3, seq=1)                               # the editor's edit: rev 4
    own._accept(state[own.KEY]["data"], "file.csv", "uploaded")      # then a file: rev 5
    uploaded = state[own.KEY]
    _send(state, POINTS + [[6.0, 1]], rev=4, seq=2)                  # made on the drawing before the file
    _send(state, POINTS + [[6.0, 1]], rev=3, seq=3)
    assert state[own.KEY] is uploaded and state.own_rev == 5
    _send(state, POINTS + [[6.0, 1]], rev=5, seq=4)                  # on the file's drawing: taken
    assert state[own.KEY]["kind"] == "edited" and state[own.KEY]["data"].m == 7


def test_a_refused_edit_keeps_the_editors_later_edits_welcome(state):
    _send(state, [[1.0, 1], [2.0, 1]], rev=3, seq=1)                 # one class only: refused, rev 4
    assert "both classes" in state[own.ERROR] and own.KEY not in state
    _send(state, POINTS, rev=3, seq=2)                               # the next click, before the redraw
    assert state[own.KEY]["data"].m == 6 and own.ERROR not in state


def test_an_empty_x_cell_in_the_table_gets_the_tables_sentence(state):
    """It got the editor's: "Point 3 has x = 'nan', not a number between … move it back onto the axis"."""
    state["own_points_3"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [{"y": 1}]}
    own._typed([{"x": 1.0, "y": 0}, {"x": 2.0, "y": 1}], ("size", "label"))
    assert state[own.ERROR] == "Row 3 has no x; fill it in or delete the row."
    assert own.KEY not in state


@pytest.mark.parametrize("b, w, x, shown", [
    (-2.456e-16, 1.58, [-1.5, 1.5], 0.0),            # symmetric data: the bottom is at b* = 0, up to rounding
    (6.5e-17, 2.07, [-1.46, 1.46], 0.0),
    (1e-6, 1.58, [-1.5, 1.5], 1e-6),                 # a small b* that is real stays
    (-0.3, 0.0, [-2.0, 2.0], -0.3),
])
def test_b_star_prints_zero_for_rounding_noise(b, w, x, shown):
    assert own.shown_bias(b, w, np.array([x])) == shown


def test_an_old_title_of_the_dataset_selector_keeps_the_sessions_data(state):
    """Points added faster than the page reruns: the browser sent the Dataset selector's title from before the
    last redraw ("… 12 points" while the data had 13); Streamlit, finding no such option, handed the title on as
    the value, and the page's callback failed: "Unknown dataset 'Your data (edited points, 12 points)'"."""
    calls = []
    _send(state, POINTS)
    state.w0 = 1.5
    state.dataset = "Your data (edited points, 5 points)"
    own._dataset_changed(lambda: calls.append(state.dataset))
    assert state.dataset == OWN and calls == [] and state.w0 == 1.5          # no change, no new start
    state.dataset = "iris"                                                   # a real choice goes through
    own._dataset_changed(lambda: calls.append(state.dataset))
    assert calls == ["iris"]
    own.forget()
    state.dataset = "Your data (edited points, 6 points)"                    # forgotten meanwhile
    own._dataset_changed(lambda: calls.append(state.dataset))
    assert state.dataset == own.DEFAULT and calls == ["iris", own.DEFAULT]
