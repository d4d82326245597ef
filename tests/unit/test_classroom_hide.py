"""hide= without a browser (ui/classroom.py): a page's own list, what a name also hides, the note for a name that
is no control, links that keep their commas, and the click callbacks that leave a hidden start alone (ui/losses.py
picked and to_custom, ui/basin.py pick_start), with a stand-in for st.session_state."""

import types
from urllib.parse import parse_qs, urlsplit

import pytest

import ui.basin as basin_ui
import ui.classroom as classroom
import ui.losses as losses_ui
from core.lessons import guide
from tests.unit.fake_session import State
from ui.classroom import ALSO_HIDES, STATE_KEY, Classroom, known_names, parse, share_url

# ---- what a name hides, page by page


@pytest.mark.parametrize("page, name, also", [
    ("basin", "dataset", {"own_open"}),                       # your own data would make the dataset "own"
    ("basin", "alpha", {"race_on", "race"}),                  # a race of rates replaces the slider's one
    ("losses", "preset", {"w0", "b0", "alpha", "steps"}),     # moving one of them makes the start "custom"
    ("losses", "w0", {"preset"}),                             # a preset moves the start
    ("graph", "j_step", {"j_step_prev", "j_step_next"}),      # ◀ Previous and Next ▶ move the step
    ("graph", "l_step", {"l_step_prev", "l_step_next"}),
    ("activations", "curves", {"curves_phone"}),              # the chart drawn again for a phone
    ("vectorisation", "stretch", {"stretch_phone"}),
])
def test_a_name_hides_what_else_sets_the_same_thing_on_its_page(page, name, also):
    flags = Classroom(hide=(name,), page=page)
    assert {name} | also <= set(flags.hidden)
    css = flags.css()
    assert all(f".st-key-{k}," in css or f".st-key-{k} {{" in css for k in also), css


def test_what_a_name_hides_depends_on_the_page():
    assert "race_on" in Classroom(hide=("alpha",), page="basin").hidden
    assert "race_on" not in Classroom(hide=("alpha",), page="classify").hidden     # Classify's alpha is alone
    assert "own_open" not in Classroom(hide=("dataset",), page="losses").hidden


def test_the_table_hides_only_names_the_guide_lists_for_that_page():
    table = guide.control_names()
    for page, names in ALSO_HIDES.items():
        listed = table[page] | table[guide.EVERY_PAGE]
        for name, also in names.items():
            assert {name, *also} <= listed, (page, name)


# ---- a page's own list


def test_a_page_keeps_its_own_list_and_a_link_sets_it():
    classify = Classroom(page="classify")
    flags, notes = parse({"hide": "alpha,iters"}, classify)
    assert flags == Classroom(hide=("alpha", "iters"), page="classify") and notes == []
    # the Cost basin, reached from the menu (no hide in the URL): its own list, empty
    basin, _ = parse({}, Classroom(page="basin"))
    assert basin.hidden == () and basin.css() == ""


# ---- a name that is no control of the page


def test_a_misspelt_name_gets_one_note_and_is_kept():
    known = known_names("activations")
    assert {"z", "curves", "classroom_link", "path_next"} <= known
    flags, notes = parse({"hide": "z,apha"}, Classroom(page="activations"), known)
    assert flags.hide == ("z", "apha")
    assert notes == ["hide: no control on this page is named apha (check the spelling; the For teachers page "
                     "lists each page's names)."]
    again, notes = parse({"hide": "z,apha"}, flags, known)           # the next run: the same list, no note again
    assert again == flags and notes == []
    assert parse({"hide": "z,curves"}, Classroom(page="activations"), known)[1] == []


def test_known_names_come_from_the_guide_and_the_table():
    assert {"j_step_prev", "l_step_next", "a", "eps"} <= known_names("graph")
    assert {"own_open", "race_optimisers", "predict_basin"} <= known_names("basin")
    assert {"n", "cap", "shape_a", "op", "measure_z"} <= known_names("vectorisation")
    assert "alpha" not in known_names("activations")
    assert known_names("classmode") is None                           # its screens are its own: no notes


def test_without_the_guide_there_is_no_note(monkeypatch, tmp_path):
    monkeypatch.setattr(guide, "GUIDE", tmp_path / "missing.md")
    assert known_names("activations") is None
    assert parse({"hide": "apha"}, Classroom(page="activations"), known_names("activations"))[1] == []


# ---- links keep their commas


def test_the_link_keeps_commas_and_spaces_read_back():
    query = {"shape_a": ["2, 3"], "hide": ["z,path_next"], "race": ["0.01,smooth"], "note": ["x y&z"]}
    url = share_url("vectorisation", query, None)
    assert url == "http://localhost:8501/vectorisation?shape_a=2,+3&hide=z,path_next&race=0.01,smooth&note=x+y%26z"
    assert parse_qs(urlsplit(url).query) == query                       # the link reads back as it was written


# ---- the click callbacks


@pytest.fixture
def state(monkeypatch):
    s = State()
    fake = types.SimpleNamespace(session_state=s)
    for module in (classroom, losses_ui, basin_ui):
        monkeypatch.setattr(module, "st", fake)
    return s


def _losses_click(state, hide):
    state.update(w0=-3.0, b0=2.0, preset="trap", picks=0, pick=types.SimpleNamespace(
        selection=types.SimpleNamespace(points=[{"x": 4, "y": -1.26}])))
    state[STATE_KEY] = Classroom(hide=hide, page="losses")
    losses_ui.picked()


def test_a_click_on_a_losses_map_starts_there(state):
    _losses_click(state, ("dataset", "seed"))                    # other settings hidden: the start is free
    assert (state.w0, state.b0, state.preset, state.picks) == (4.0, -1.3, "custom", 1)


@pytest.mark.parametrize("hide", [("preset",), ("w0",), ("b0",), ("dataset", "w0", "b0")])
def test_a_click_on_a_losses_map_leaves_a_hidden_start_alone(state, hide):
    _losses_click(state, hide)
    assert (state.w0, state.b0, state.preset) == (-3.0, 2.0, "trap")
    assert state.picks == 1                          # the map is drawn afresh all the same (no selection left)


def test_a_slider_makes_the_start_custom_unless_the_preset_is_hidden(state):
    state.update(preset="trap")
    state[STATE_KEY] = Classroom(hide=("dataset",), page="losses")
    losses_ui.to_custom()
    assert state.preset == "custom"
    state.update(preset="trap")
    state[STATE_KEY] = Classroom(hide=("preset",), page="losses")
    losses_ui.to_custom()
    assert state.preset == "trap"


@pytest.mark.parametrize("hide, moved", [((), True), (("alpha",), True), (("w0",), False), (("b0", "seed"), False)])
def test_a_click_on_the_basins_top_view_leaves_a_hidden_start_alone(state, hide, moved):
    state.update(w0=-3.0, b0=2.0, basin_chart=types.SimpleNamespace(selection={"points": [{"x": 1.23, "y": -4.56}]}))
    state[STATE_KEY] = Classroom(hide=hide, page="basin")
    basin_ui.pick_start()
    assert (state.w0, state.b0) == ((1.2, -4.6) if moved else (-3.0, 2.0))


def test_a_hide_list_of_another_page_does_not_stop_a_click(state):
    """The flags of the page that ran last are the ones a callback sees: Classify's hide=w0 is not the basin's."""
    state.update(w0=-3.0, b0=2.0, basin_chart=types.SimpleNamespace(selection={"points": [{"x": 1.0, "y": 1.0}]}))
    state[STATE_KEY] = Classroom(hide=(), page="basin")
    state[classroom.HIDE_KEY] = {"losses": ("w0", "b0")}
    basin_ui.pick_start()
    assert (state.w0, state.b0) == (1.0, 1.0)
