"""The For teachers page: the guide in the app, and every example it gives opens its experiment as written."""

import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit import cache_data

from core.lessons import guide
from core.lessons.guide import teachers_guide_blocks
from core.markup import notation
from tests.apptest.keys import keyed
from tests.unit.test_guide import example_links
from ui.classroom import FLAGS
from ui.registry import PAGES

PAGE = "pages/teachers.py"


def test_the_page_shows_the_guide(app):
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.title[0].value == "For teachers"
    shown = [m.value for m in app.markdown]
    parts = teachers_guide_blocks("")            # headless: no address, so the examples link relative to the page
    prose = [notation(p).strip() for p in parts if isinstance(p, str)]     # λ_max typeset (core.markup)
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
        assert str(shown) == value or _same_number(shown, value) or _same_list(shown, value), \
            f"{link}: {key} is {shown!r}, the link says {value}"


def _same_list(shown, value) -> bool:
    """A control holding several values (the race's rates) shows the link's comma-separated list."""
    return isinstance(shown, (list, tuple)) and ",".join(map(str, shown)) == value


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


# ---- the table of control names is complete

# Controls the guide's table leaves out on purpose, each with its reason.
UNLISTED = {
    "classmode": (re.compile(r".*"), "class mode's screens are the teacher's and the students' own, not an "
                                     "experiment a link sets up"),
    "classify": (re.compile(r"clf_up[01]_\d+"), "the upload boxes of your own two classes: their key changes each "
                                                "time a class is emptied, so no link can name them"),
}
FACE = Path(__file__).resolve().parents[1] / "fixtures" / "face.jpg"


def _states(app, page):
    """The page in the states that show its controls: sections opened, switches on, a photo uploaded."""
    yield app
    if page == "basin":
        app.toggle(key="race_optimisers").set_value(True).run()
        app.toggle(key="opt_table_on").set_value(True).run()
        for box in ("own_open", "steps_open", "mistake_open"):
            app.session_state[box] = True
        yield app.run()
    elif page == "classify":
        app.radio(key="data").set_value("digits").run()
        app.toggle(key="clf_own_cam_on").set_value(True).run()
        yield app
        app.file_uploader(key="clf_photo_file").set_value(("face.jpg", FACE.read_bytes(), "image/jpeg")).run()
        yield app                                     # the face finder's crop
        yield app.radio(key="clf_which").set_value("bundled").run()        # the neuron's crop
        yield app.radio(key="clf_photo_how").set_value("the camera").run()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path or "home")
def test_every_control_of_every_page_is_in_the_guides_table(app, page):
    """docs/CLASSROOM.md's "Control names for hide=" names every control of every page (or a box around it), or
    the control is left out on purpose (UNLISTED): a new widget must be added to the table, which also tells a
    teacher's misspelt name from a real one."""
    table = guide.control_names()
    listed = table.get(page.url_path, frozenset()) | table[guide.EVERY_PAGE]
    left_out = UNLISTED.get(page.url_path, (None, ""))[0]
    if page.url_path:
        app.switch_page(page.file)
    missing = set()
    for state in _states(app.run(), page.url_path):
        assert not state.exception
        for k in keyed(state):
            if k.control and not ({k.key, *k.around} & listed or (left_out and left_out.fullmatch(k.key))):
                missing.add(k.key)
    assert not missing, f"/{page.url_path}: add {sorted(missing)} to the guide's table (or to UNLISTED, with why)"


def test_the_guide_puts_the_basins_predict_box_where_the_page_draws_it(app):
    """The guide said the Cost basin's predict-then-check box was "under the learning-rate slider"; the page draws
    the slider, then the basin's figure, then the box."""
    app.switch_page("pages/basin.py").run()
    assert not app.exception
    order = [k.key for k in keyed(app) if not k.around]          # the page's boxes, top to bottom
    assert order.index("alpha") < order.index("basin_chart") < order.index("predict_basin")
    assert order.index("predict_basin") == order.index("basin_chart") + 1
    text = guide.GUIDE.read_text(encoding="utf-8")
    assert "a box under the basin's figure on the Cost basin" in " ".join(text.split())
