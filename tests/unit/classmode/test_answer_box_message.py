"""ui.classmode's answer box keeps a refused answer's sentence for the page when the class has moved on."""

import types

import pytest

from tests.unit.fake_session import State
from ui import classmode


class RerunCalledError(Exception):
    """st.rerun's stand-in: it ends the run, as the real one does."""


def test_an_answer_refused_after_the_reveal_keeps_its_sentence_for_the_page(monkeypatch):
    """A student who clicks just after the reveal: the callback says why the answer was refused, then the box
    sees the class revealed and reruns the whole page. The box popped the sentence first, so the page, which
    shows it at its top, had nothing to show: the click seemed to do nothing."""
    session = State({classmode.MESSAGE: "The answers are revealed: this question is closed."})
    revealed = types.SimpleNamespace(phase="revealed", question_no=1, code="ABCD2345")

    def rerun(scope="app"):
        raise RerunCalledError(scope)

    monkeypatch.setattr(classmode, "st", types.SimpleNamespace(session_state=session, rerun=rerun,
                                                               error=lambda *a, **k: None))
    monkeypatch.setattr(classmode, "show_input_error", lambda text: session.setdefault("shown", text))
    monkeypatch.setattr(classmode, "store", lambda: types.SimpleNamespace(state=lambda code: revealed))
    with pytest.raises(RerunCalledError):
        classmode._answer_box.__wrapped__("ABCD2345", "s" * 22, 1)     # the function inside st.fragment
    assert session[classmode.MESSAGE] == "The answers are revealed: this question is closed."
    assert "shown" not in session
