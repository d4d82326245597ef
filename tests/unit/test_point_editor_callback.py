"""The point editor's callback (ui/owndata.py), with a stand-in for st.session_state: what the browser sends is
checked at the boundary; a good edit becomes the session's data and is shown, a bad or stale one changes nothing
but the sentence."""

import types

import pytest

import ui.owndata as own
from core.data.owndata import OWN


class State(dict):
    """st.session_state's two ways in: state["key"] and state.key."""

    __getattr__ = dict.get

    def __setattr__(self, name, value):
        self[name] = value


@pytest.fixture
def state(monkeypatch):
    s = State(dataset="overlap", seed=0, w0=2.0, b0=-2.5, own_rev=3, own_names=("size", "label"))
    monkeypatch.setattr(own, "st", types.SimpleNamespace(session_state=s))
    return s


POINTS = [[1.0, 0], [2.0, 0], [2.5, 1], [3.0, 0], [4.0, 1], [5.0, 1]]


def _send(state, points, rev=3):
    state["own_editor"] = {"edit": {"rev": rev, "points": points}}
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
