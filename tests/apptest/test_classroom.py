"""Teacher mode (ui/classroom.py): the flags, the style sheet they produce, and the "link to this experiment"."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core.figures.projector import PLOTLY_FONT_PX
from tests.apptest.conftest import TIMEOUT
from tests.apptest.keys import keyed, shown
from tests.conftest import APP
from ui.classroom import (
    BASE_CSS,
    CHART_SCALE,
    KEY_PATTERN,
    LINK_KEY,
    MAX_HIDDEN,
    NO_LINK_PAGES,
    Classroom,
    parse,
    share_url,
)
from ui.registry import PAGES

ACTIVATIONS, GRAPH, HOME = (next(p.file for p in PAGES if p.url_path == u) for u in ("activations", "graph", ""))


def styles(app) -> str:
    """The flags' part of the style sheets the run produced (st.html elements), without the always-on BASE_CSS."""
    bodies = [el.proto.body for el in app.get("html") if "<style>" in el.proto.body]
    assert len(bodies) == 1 and BASE_CSS.strip() in bodies[0], bodies
    return bodies[0].replace(BASE_CSS.strip(), "").replace("<style>", "").replace("</style>", "").strip()


def link(app) -> str:
    boxes = [t.value for t in app.sidebar.text_input if t.key == LINK_KEY]
    assert len(boxes) == 1, boxes
    return boxes[0]


# ---- the flags, without Streamlit ----

def test_no_flags_no_style():
    flags, notes = parse({})
    assert flags == Classroom() and notes == [] and flags.css() == "" and flags.to_query() == {}


@pytest.mark.parametrize("raw, on", [("1", True), ("true", True), ("on", True), ("0", False), ("off", False)])
def test_teacher_flag_values(raw, on):
    flags, notes = parse({"teacher": raw})
    assert flags.teacher is on and flags.enlarged is on and notes == []


def test_bad_flag_value_is_ignored_and_keeps_the_previous_one():
    flags, notes = parse({"teacher": "maybe", "big": "2"}, Classroom(teacher=True))
    assert flags == Classroom(teacher=True)
    assert notes == ["teacher=maybe is not 1 or 0; ignored.", "big=2 is not 1 or 0; ignored."]


def test_missing_flags_keep_the_previous_ones_and_given_ones_replace_them():
    before = Classroom(teacher=True, hide=("alpha",))
    assert parse({"z": "2"}, before)[0] == before                    # another page's settings only
    assert parse({"teacher": "0"}, before)[0] == Classroom(hide=("alpha",))
    assert parse({"hide": ""}, before)[0] == Classroom(teacher=True)  # hide= shows every control again


def test_hide_keys_are_validated_deduplicated_and_capped():
    flags, notes = parse({"hide": " alpha, seed ,a<b>,alpha,,x{}y,w0-b_0"})
    assert flags.hide == ("alpha", "seed", "w0-b_0")
    assert notes == ["hide: a<b>, x{}y ignored (a control's name has only letters, digits, _ and -)."]
    many = ",".join(f"k{i}" for i in range(MAX_HIDDEN + 5))
    flags, notes = parse({"hide": many})
    assert len(flags.hide) == MAX_HIDDEN and notes == [f"hide: only the first {MAX_HIDDEN} names are used."]


def test_css_for_each_flag():
    assert "font-size: 20px" in Classroom(big=True).css()
    assert "stToolbarActions" not in Classroom(big=True).css()           # big alone keeps Streamlit's chrome
    teacher = Classroom(teacher=True).css()
    assert "font-size: 20px" in teacher and "stToolbarActions" in teacher
    # each name with its chart copy for a phone (<key>_phone: a chart drawn twice is hidden whole)
    assert Classroom(hide=("alpha", "seed")).css() == (
        ".st-key-alpha, .st-key-alpha_phone, .st-key-seed, .st-key-seed_phone { display: none !important; }")


@given(st.text(max_size=200))
def test_no_url_text_can_break_out_of_the_style_sheet(raw):
    """Whatever the hide value, the CSS only names keys of [A-Za-z0-9_-] (no quotes, braces, tags)."""
    flags, _ = parse({"hide": raw})
    assert all(KEY_PATTERN.fullmatch(k) for k in flags.hide)
    css = flags.css()
    assert "<" not in css and ">" not in css and css.count("{") == css.count("}") <= 1


def test_css_rechecks_keys_it_is_given_directly():
    assert Classroom(hide=("ok", "x}body{display:none")).css() == (
        ".st-key-ok, .st-key-ok_phone { display: none !important; }")


def test_share_url_keeps_repeated_values_and_escapes():
    url = share_url("basin", {"race": ["a", "b"], "teacher": ["1"], "note": ["x y&z"]}, "https://school.example/basin?old=1")
    assert url == "https://school.example/basin?race=a&race=b&teacher=1&note=x+y%26z"
    assert share_url("", {}, None) == "http://localhost:8501/"


# ---- in the app ----

def test_no_flags_no_style_in_the_app(app):
    app.switch_page(ACTIVATIONS).run()
    assert not app.exception
    assert styles(app) == ""
    assert link(app) == "http://localhost:8501/activations"


def test_teacher_link_produces_the_style_and_keeps_the_flags_in_the_url(app):
    app.query_params.update({"teacher": "1", "hide": "z,bad<key>", "z": "2"})
    app.switch_page(ACTIVATIONS).run()
    assert not app.exception
    css = styles(app)
    assert "font-size: 20px" in css and ".st-key-z, .st-key-z_phone { display: none !important; }" in css
    assert "bad" not in css
    assert app.query_params["teacher"] == "1" and app.query_params["hide"] == "z"   # cleaned in the URL
    assert link(app) == "http://localhost:8501/activations?z=2&teacher=1&hide=z"
    notes = [c.value for c in app.sidebar.caption if c.value.startswith("Classroom link")]
    assert len(notes) == 1 and "bad" in notes[0] and "<" not in notes[0].replace("\\<", "")


def test_bad_teacher_value_gives_no_style(app):
    app.query_params.update({"teacher": "<b>yes</b>"})
    app.switch_page(ACTIVATIONS).run()
    assert not app.exception
    assert styles(app) == ""
    assert "teacher" not in app.query_params


def test_flags_survive_a_page_switch(app):
    app.query_params.update({"teacher": "1", "hide": "z"})
    app.switch_page(ACTIVATIONS).run()
    app.query_params.clear()                          # what st.navigation does to parameters it does not own
    app.switch_page("pages/graph.py").run()
    assert not app.exception
    assert "font-size: 20px" in styles(app)
    # the hide list is the activations page's own (the graph has no z, and pages share names): not carried here
    assert app.query_params["teacher"] == "1" and "hide" not in app.query_params
    assert link(app).endswith("teacher=1") and "hide" not in link(app)
    app.query_params.clear()
    app.switch_page(ACTIVATIONS).run()                # and back: the activations page hides z again
    assert not app.exception
    assert ".st-key-z," in styles(app) and app.query_params["hide"] == "z"
    assert "teacher=1&hide=z" in link(app)


def test_home_has_no_experiment_link(app):
    app.query_params.update({"big": "1"})
    app.run()
    assert not app.exception
    assert "font-size: 20px" in styles(app)
    assert not [t for t in app.sidebar.text_input if t.key == LINK_KEY]


def chart_specs(app) -> list[dict]:
    return [json.loads(el.proto.spec) for el in app.get("plotly_chart")]


@pytest.mark.parametrize("page", [p.file for p in PAGES if p.url_path in ("", "activations", "graph", "classify")])
def test_projector_flags_enlarge_every_chart_on_the_page(app, page):
    def opened(at):
        if page != HOME:  # Home is the default page (and has no page_header to route a direct run of its file)
            at.switch_page(page)
        return at.run()

    normal = chart_specs(opened(app))
    projector = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    projector.query_params.update({"big": "1"})
    big = chart_specs(opened(projector))
    assert not projector.exception
    assert normal and len(big) == len(normal)
    for a, b in zip(normal, big, strict=True):
        base = a["layout"].get("font", {}).get("size", PLOTLY_FONT_PX)
        assert b["layout"]["font"]["size"] == pytest.approx(base * CHART_SCALE, abs=0.01)
        assert b["layout"]["height"] > a["layout"].get("height", 0)
        assert [t.get("type") for t in b["data"]] == [t.get("type") for t in a["data"]]
    assert chart_specs(app.run()) == normal  # the laptop view again: the shared figures were not changed


@pytest.mark.parametrize("page", [p for p in PAGES if p.url_path and p.url_path not in NO_LINK_PAGES],
                         ids=lambda p: p.url_path)
def test_the_link_box_drawn_ahead_of_the_charts_is_the_final_link(app, page):
    """The box goes out as soon as the page writes its settings (before its charts): it must still show the
    whole URL the run ends with, the classroom flags included, and only once."""
    app.query_params.update({"teacher": "1", "hide": "seed"})
    app.switch_page(page.file).run()
    assert not app.exception
    final = {k: v if isinstance(v, list) else [v] for k, v in app.query_params.items()}
    assert link(app) == share_url(page.url_path, final, None)
    assert "teacher=1" in link(app) and "hide=seed" in link(app)
    app.run()                                   # a rerun draws it again, once
    assert not app.exception and link(app) == share_url(page.url_path, final, None)


# ---- a hide list is its page's own; what a name also hides; notes

def _open(app, page, query):
    app.query_params.clear()                          # a page switch through the menu drops the address's query
    app.query_params.update(query)
    app.switch_page(page).run()
    assert not app.exception
    return app


def hidden_boxes(app) -> set[str]:
    """The keys the style sheet hides (.st-key-<key>)."""
    return set(re.findall(r"\.st-key-([A-Za-z0-9_-]+)", styles(app)))


def test_a_hide_list_applies_only_on_the_page_whose_link_carried_it(app):
    """Classify's hide=alpha,iters hid the Cost basin's learning-rate slider (and took away its predict box) and the
    Losses α slider: the names were kept for the tab and emitted for every page."""
    _open(app, "pages/classify.py", {"data": "digits", "digit": "3", "versus": "8", "hide": "alpha,iters"})
    assert {"alpha", "iters"} <= hidden_boxes(app)
    _open(app, "pages/basin.py", {})                                  # the Cost basin, from the menu
    assert hidden_boxes(app) == set() and "hide" not in app.query_params and "hide" not in link(app)
    assert [s for s in app.select_slider if s.key == "alpha"]
    assert any(k.key == "predict_basin" for k in keyed(app))          # its predict box is there
    _open(app, "pages/losses.py", {})
    assert hidden_boxes(app) == set()
    _open(app, "pages/basin.py", {"hide": "w0,b0"})                   # a link to the basin: the basin's own list
    assert {"w0", "b0"} <= hidden_boxes(app) and "alpha" not in hidden_boxes(app)
    _open(app, "pages/classify.py", {})                               # back on Classify, its list as it was
    assert {"alpha", "iters"} <= hidden_boxes(app) and not {"w0", "b0"} & hidden_boxes(app)
    assert app.query_params["hide"] == "alpha,iters" and "hide=alpha,iters" in link(app)


@pytest.mark.parametrize("page, hide, also", [
    ("pages/basin.py", "dataset", {"own_open"}),                      # an upload would switch the dataset to own
    ("pages/basin.py", "alpha", {"race_on", "race"}),
    ("pages/losses.py", "preset", {"w0", "b0", "alpha", "steps"}),    # moving one switches the preset to custom
    ("pages/graph.py", "j_step,l_step", {"j_step_prev", "j_step_next", "l_step_prev", "l_step_next"}),
    ("pages/activations.py", "curves", {"curves_phone"}),             # the chart drawn again for a phone
])
def test_hiding_a_setting_hides_what_else_sets_it(app, page, hide, also):
    _open(app, page, {"hide": hide})
    boxes = {k.key for k in keyed(app)}
    assert also <= boxes                                              # they are on the page ...
    assert also <= hidden_boxes(app)                                  # ... and hidden with the name
    assert app.query_params["hide"] == hide                           # the link keeps the teacher's words


def test_the_guides_losses_example_leaves_only_what_it_says(app):
    """"On the trap start, its data, cost and start fixed; the charts, their tabs and the likelihood's two controls
    further down stay" (docs/CLASSROOM.md): the controls the style sheet leaves visible are exactly those."""
    _open(app, "pages/losses.py", {"preset": "trap", "hide": "dataset,seed,cost,preset"})
    visible = {k.key for k in shown(app, hidden_boxes(app)) if k.control}
    assert visible == {"losses_view", "pick", "label", "p", "classroom_link_url"}
    assert app.session_state["preset"] == "trap"


def test_a_misspelt_hide_name_gets_a_note_under_the_link(app):
    _open(app, ACTIVATIONS, {"hide": "z,apha"})
    notes = [c.value for c in app.sidebar.caption if c.value.startswith("Classroom link")]
    assert len(notes) == 1 and "apha" in notes[0] and "z," not in notes[0]
    assert ".st-key-z," in styles(app) and "hide=z,apha" in link(app)     # kept: the table may lack a name
    app.run()                                                         # the next run: no note again
    assert not [c for c in app.sidebar.caption if c.value.startswith("Classroom link")]


@pytest.mark.parametrize("page", [HOME, "pages/teachers.py"])
def test_a_bad_flag_gets_a_note_on_a_page_without_a_link_box(app, page):
    app.query_params.update({"teacher": "maybe"})
    if page != HOME:
        app.switch_page(page)
    app.run()
    assert not app.exception
    notes = [c.value for c in app.main.caption if c.value.startswith("Classroom link")]
    assert len(notes) == 1 and "teacher=maybe is not 1 or 0" in notes[0] and "ignored" in notes[0]
    assert not [t for t in app.sidebar.text_input if t.key == LINK_KEY]


def test_the_link_box_keeps_commas_and_opens_the_same_experiment(app):
    _open(app, "pages/vectorisation.py", {"shape_a": "2, 3", "hide": "n,cap"})
    url = link(app)
    assert "shape_a=2,+3" in url and "hide=n,cap" in url and "%2C" not in url
    again = AppTest.from_file(str(APP), default_timeout=TIMEOUT)      # a student opens the copied link
    query = parse_qs(urlsplit(url).query)
    again.query_params.update({k: v[-1] for k, v in query.items()})
    again.switch_page("pages/vectorisation.py").run()
    assert not again.exception
    assert again.session_state["shape_a"] == "2, 3" and link(again) == url
