"""The For teachers page: the guide in the app, and every example it gives opens its experiment as written."""

from urllib.parse import parse_qsl

import pytest
from streamlit import cache_data

from core.lessons import guide
from core.lessons.guide import teachers_guide_blocks
from tests.unit.test_guide import example_links
from ui.classroom import FLAGS

PAGE = "pages/teachers.py"


def test_the_page_shows_the_guide(app):
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.title[0].value == "For teachers"
    shown = [m.value for m in app.markdown]
    parts = teachers_guide_blocks("")            # headless: no address, so the examples link relative to the page
    prose = [p.strip() for p in parts if isinstance(p, str)]
    assert shown[-len(prose):] == prose
    pictures = [p for part in parts if not isinstance(part, str) for p in part]
    drawn = [img for el in app.get("image") for img in el.proto.imgs]
    assert [i.alt for i in drawn] == [p.alt for p in pictures] and len(drawn) == 4
    assert any("[basin?alpha=too-large&teacher=1&hide=alpha](basin?alpha=too-large&teacher=1&hide=alpha)" in m
               for m in shown)
    assert not _has_link_box(app)             # no experiment here, so no "link to this experiment"


def _has_link_box(app) -> bool:
    return any(t.key == "classroom_link_url" for t in app.text_input)


@pytest.mark.parametrize("link", example_links())
def test_each_example_opens_its_experiment_without_a_note(app, link):
    path, _, query = link.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    app.query_params.update(dict(pairs))
    app.switch_page(f"pages/{path}.py").run()
    assert not app.exception
    texts = [e.value for kind in ("caption", "info", "warning", "error") for e in getattr(app, kind)]
    assert not [t for t in texts if "ignored" in str(t) or str(t).startswith("Classroom link")], texts
    for key, value in pairs:
        if key in FLAGS:
            continue
        assert key in app.session_state, f"{link}: no control {key}"
        shown = app.session_state[key]
        assert str(shown) == value or _same_number(shown, value), f"{link}: {key} is {shown!r}, the link says {value}"


def _same_number(shown, value) -> bool:
    try:
        return float(shown) == float(value)
    except (TypeError, ValueError):
        return False


def test_a_server_without_the_guide_says_so(app, monkeypatch, tmp_path):
    monkeypatch.setattr(guide, "GUIDE", tmp_path / "missing.md")
    cache_data.clear()        # the page's cache may hold the text from an earlier test
    app.switch_page(PAGE).run()
    assert not app.exception
    assert [e.value for e in app.error] == ["The teachers' guide (docs/CLASSROOM.md) is not on this server."]
