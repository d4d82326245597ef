"""Your own data on the Cost basin through app.py: once chosen, the main basin (surface, minimum, presets) follows
them; bad files keep the previous data; a link cannot carry them; they stay in their browser session."""

import json
import re

import numpy as np
from sklearn.linear_model import LogisticRegression
from streamlit.testing.v1 import AppTest

from core.lessons import basin
from tests.apptest.conftest import TIMEOUT
from tests.apptest.test_cost_basin import (
    _open,  # the same way onto the page, with a link's settings
    _runs,
    shown,
)
from tests.apptest.test_cost_basin import _surface as _surface_payload
from tests.conftest import APP

PAGE = "pages/basin.py"


def _csv(rows, header="size,label"):
    return (header + "\n" + "".join(f"{x},{y}\n" for x, y in rows)).encode()


# Overlapping classes (a finite minimum), in millimetres: far from the bundled sets' scale before standardising.
ROWS = [(100.0 + 3.0 * i, int((i * 7) % 10 < 2 + i // 5)) for i in range(40)]
GOOD = _csv(ROWS)


def _open_box(app):
    app.session_state["own_open"] = True          # the student opens "Your own data"
    app.run()
    assert not app.exception, [e.message for e in app.exception]


def _upload(app, name, data):
    app.file_uploader(key="own_csv").set_value((name, data, "text/csv")).run()
    assert not app.exception, [e.message for e in app.exception]


def _basin(app):
    """The basin figure as the browser shows it (its spec, with the surface the page's script draws into it)."""
    for chart in app.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if "basin" in (spec["layout"].get("meta") or {}):
            return shown(spec, _surface_payload(app), _runs(app))
    raise AssertionError("no basin figure on the page")


def _surface(spec):
    return next(t for t in spec["data"] if t["type"] == "surface")


def _star(spec):
    """(w, b) of the minimum marked on the top view."""
    t = next(t for t in spec["data"] if t.get("name") == "minimum" and t["type"] == "scatter")
    return t["x"][0], t["y"][0]


def _shown_minimum(app):
    """(w*, b*, J*) as the page writes them under the basin."""
    text = " ".join(m.value for m in app.markdown).replace("\\", "")
    found = re.search(r"w\* = (\S+), b\* = (\S+)\*\*, where \*\*J\* = ([^*]+)\*\*", text)
    assert found, text[:400]
    return tuple(float(v) for v in found.groups())


def _sklearn(rows):
    x = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows])
    xs = (x - x.mean()) / x.std()
    fit = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(xs.reshape(-1, 1), y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def test_own_data_drive_the_main_basin_and_match_scikit_learn(app):
    _open(app)
    before = _basin(app)
    _open_box(app)
    _upload(app, "tumours.csv", GOOD)
    assert not app.error
    dataset = app.selectbox(key="dataset")
    assert dataset.value == "own" and dataset.options[-1] == "Your data (uploaded, 40 points)"
    after = _basin(app)
    assert _surface(after)["z"] != _surface(before)["z"]             # a new surface
    w_ref, b_ref = _sklearn(ROWS)
    w, b, J = _shown_minimum(app)
    assert abs(w - w_ref) < 1e-3 * max(1, abs(w_ref)) and abs(b - b_ref) < 1e-3 * max(1, abs(b_ref))
    star = _star(after)
    assert abs(star[0] - w_ref) < 1e-4 and abs(star[1] - b_ref) < 1e-4 and star != _star(before)
    assert "Your file tumours.csv: 40 examples" in " ".join(c.value for c in app.caption).replace("\\", "").replace(
        "\u200b", "")
    assert app.query_params["dataset"] in ("own", ["own"])          # the link says own data, not which
    assert "cannot carry" in " ".join(c.value for c in app.caption)


def test_the_named_rates_follow_own_data(app):
    _open(app)
    before = app.select_slider(key="alpha").format_func("smooth")
    _open_box(app)
    _upload(app, "tumours.csv", GOOD)
    assert app.select_slider(key="alpha").format_func("smooth") != before


def test_a_bad_file_keeps_the_previous_data(app):
    _open(app)
    _open_box(app)
    _upload(app, "tumours.csv", GOOD)
    surface = _surface(_basin(app))["z"]
    _upload(app, "bad.csv", b"size,label\n1,2\n3,0\n")
    assert len(app.error) == 1 and "0 or 1" in app.error[0].value
    assert "your previous data (tumours.csv)" in " ".join(c.value for c in app.caption).replace("\\", "")
    assert app.selectbox(key="dataset").value == "own"
    assert _surface(_basin(app))["z"] == surface


def test_back_to_a_bundled_set_and_forgetting(app):
    _open(app)
    default = _surface(_basin(app))["z"]
    _open_box(app)
    _upload(app, "tumours.csv", GOOD)
    app.selectbox(key="dataset").set_value("overlap").run()
    assert _surface(_basin(app))["z"] == default
    app.selectbox(key="dataset").set_value("own").run()
    assert _surface(_basin(app))["z"] != default
    app.button(key="own_forget").click().run()
    assert not app.exception
    assert app.selectbox(key="dataset").value == "overlap" and "own" not in app.selectbox(key="dataset").options


def test_typed_points_drive_the_main_basin(app):
    _open(app)
    _open_box(app)
    app.toggle(key="own_edit_on").set_value(True).run()
    app.button(key="own_points_use").click().run()                    # the shown set's 200 points, as typed
    assert not app.exception and not app.error
    assert app.selectbox(key="dataset").value == "own"
    assert "Your data (typed points, 200 points)" in app.selectbox(key="dataset").options[-1:]
    assert "Your typed points: 200 examples" in " ".join(c.value for c in app.caption).replace("\\", "").replace(
        "\u200b", "")


def test_a_link_with_own_data_on_a_fresh_session_falls_back_with_one_note(app):
    _open(app, dataset="own", alpha="oscillating")
    assert app.selectbox(key="dataset").value == "overlap"
    notes = [i.value for i in app.info if "cannot carry" in i.value]
    assert len(notes) == 1
    assert app.select_slider(key="alpha").value == "oscillating"     # the other settings of the link stay


def test_own_data_stay_in_their_browser_session():
    a = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    _open(a)
    _open_box(a)
    _upload(a, "tumours.csv", GOOD)
    mine = _surface(_basin(a))["z"]
    b = AppTest.from_file(str(APP), default_timeout=TIMEOUT)        # another browser, the same server
    _open(b, dataset="own")
    assert b.selectbox(key="dataset").value == "overlap" and "own" not in b.selectbox(key="dataset").options
    assert _surface(_basin(b))["z"] != mine


# hours,passed: below 5 hours all failed, above all passed, at exactly 5 one failed and two passed (quasi-separable)
HOURS = _csv([(h, 0) for h in range(5) for _ in range(2)] + [(5, 0), (5, 1), (5, 1)]
             + [(h, 1) for h in range(6, 11) for _ in range(2)], header="hours,passed")


def _markdown(app):
    return " ".join(m.value for m in app.markdown).replace("\\", "")


def test_classes_that_overlap_only_at_a_tie_have_no_minimum_on_the_page(app):
    """It said "the minimum of J is at w* = 75.51, b* = 0.6931, J* = 0.08302 (Newton's method; the star)", with
    the star at w = 75.5, off the map, though J is the same to ten decimals at w = 75.5 and w = 1000."""
    _open(app)
    _open_box(app)
    _upload(app, "hours.csv", HOURS)
    assert not app.error and app.selectbox(key="dataset").value == "own"
    text = _markdown(app)
    assert ("J has no finite minimum: the classes overlap only at **hours = 5** (every other example lies on its "
            "own class's side of it), so J keeps falling as w grows") in text
    assert "minimum of J is at" not in text
    star = next((t for t in _basin(app)["data"] if t.get("name") == "minimum" and t["type"] == "scatter"), None)
    assert star is None or not [v for v in star.get("x") or [] if v is not None], star      # no star drawn
    # nor is it called separable, under the basin or in the optimiser race (both said "one threshold separates
    # the classes"): the warnings say what the data box says, and the start is the one λ = 1 gives, as for
    # separable data (it was clipped to (10, −2), against the sidebar's "new data start below their bottom")
    warnings = " ".join(w.value for w in app.warning)
    assert "separable" not in warnings and "separates" not in warnings, warnings
    assert "overlap only at **hours = 5**" in warnings and "Raise λ" in warnings
    x, y = own_data_xy(app)
    assert (app.number_input(key="w0").value, app.number_input(key="b0").value) == basin.default_start(x, y)
    assert basin.default_start(x, y) != (10.0, -2.0)
    app.toggle(key="race_optimisers").set_value(True).run()
    warnings = " ".join(w.value for w in app.warning)
    assert "separates" not in warnings and warnings.count("overlap only at **hours = 5**") == 2, warnings


def own_data_xy(app):
    """The session's own data (x, y), as the page reads them."""
    from ui.owndata import KEY
    kept = app.session_state[KEY]["data"]
    return kept.x, kept.y


def test_b_star_of_symmetric_data_prints_zero(app):
    """Symmetric data put the bottom at b* = 0; the page printed "b* = -6.538e-17"."""
    _open(app)
    _open_box(app)
    _upload(app, "symmetric.csv", _csv([(1, 0), (2, 0), (3, 1), (4, 0), (5, 1), (6, 1)]))
    w, b, J = _shown_minimum(app)
    assert b == 0 and "b* = 0**" in _markdown(app) and w > 0


def test_a_label_first_file_is_read_and_says_which_column_is_which(app):
    """malignant,radius was refused: "Line 2: the label '11.2' in column 'radius' is not 0 or 1"."""
    _open(app)
    _open_box(app)
    _upload(app, "labelfirst.csv", b"malignant,radius\n0,11.2\n1,17.9\n0,12.5\n1,15.1\n0,14.0\n1,13.2\n")
    assert not app.error and app.selectbox(key="dataset").value == "own"
    captions = " ".join(c.value for c in app.caption).replace("\\", "")
    assert "'radius' is the feature and 'malignant' the label (its only values are 0 and 1)." in captions
    assert not [s for s in app.selectbox if s.key in ("own_feature", "own_label")]   # nothing to choose


def test_two_columns_both_of_0_and_1_offer_the_column_choice(app):
    _open(app)
    _open_box(app)
    _upload(app, "both.csv", b"smoker,ill\n0,0\n1,1\n1,0\n0,1\n1,1\n0,0\n")
    assert not app.error
    assert (app.selectbox(key="own_feature").value, app.selectbox(key="own_label").value) == ("smoker", "ill")
    app.selectbox(key="own_feature").set_value("ill").run()
    app.selectbox(key="own_label").set_value("smoker").run()
    assert not app.exception and not app.error
    assert "Your file both.csv" in " ".join(c.value for c in app.caption).replace("\\", "").replace("\u200b", "")
    assert app.session_state["own_data"]["data"].feature == "ill"


def test_a_semicolon_file_with_decimal_commas_is_read_and_says_so(app):
    _open(app)
    _open_box(app)
    _upload(app, "excel.csv", "größe;label\r\n1,5;0\r\n2,25;0\r\n3;1\r\n2,5;1\r\n4,75;1\r\n1;0\r\n".encode())
    assert not app.error and app.selectbox(key="dataset").options[-1] == "Your data (uploaded, 6 points)"
    captions = " ".join(c.value for c in app.caption).replace("\\", "")
    assert "Read as semicolon-separated with decimal commas; 'größe' is the feature" in captions


def test_a_file_the_uploader_lets_through_gets_a_size_message_that_adds_up(app):
    """2,040,008 bytes pass Streamlit's uploader (2 MB = 2,097,152 bytes there) and were refused with "The file is
    2.0 MB but the limit is 2 MB"."""
    _open(app)
    _open_box(app)
    _upload(app, "big.csv", b"x,label\n" + b"1,0\n2,1\n" * (2_040_000 // 8))
    assert len(app.error) == 1
    assert app.error[0].value.replace("\\", "").startswith(
        "The file is 2,040,008 bytes and the limit is 2 MB (2,000,000 bytes);")


def test_the_editor_and_the_table_name_a_bundled_sets_standardised_values_so(app):
    """The editor's axis and the table's header said "mean radius" under ticks −2, 0, 2, 4."""
    _open(app, dataset="tumour")
    _open_box(app)
    assert app.session_state["own_names"] == ("mean radius (standardised)", "label")
    app.toggle(key="own_edit_on").set_value(True).run()
    app.button(key="own_points_use").click().run()                   # the tumour points, as typed
    assert not app.exception and not app.error
    assert _basin(app)["layout"]["xaxis2"]["title"]["text"] == "mean radius (standardised)"   # said once


def test_the_link_note_fits_drawn_and_typed_data_too(app):
    """It said "Upload the file under the basin to see it here" when the sender drew or typed the points."""
    _open(app, dataset="own")
    notes = [i.value.replace("\\", "") for i in app.info if "cannot carry" in i.value]   # shown escaped
    assert len(notes) == 1 and "(a file, or points drawn or typed)" in notes[0]
    assert "load the same data under the basin" in notes[0] and "Upload the file" not in notes[0]


def _captions(app):
    return " ".join(c.value for c in app.caption).replace("\\", "").replace("\u200b", "")


def _boxes(app):
    return app.selectbox(key="own_feature").value, app.selectbox(key="own_label").value


def test_a_label_column_that_is_not_last_is_the_one_the_boxes_start_on(app):
    """passed,hours,age started on feature passed, label age: "the label '20' in column 'age' is not 0 or 1", then,
    with the label set to passed, "the feature and the label are both 'passed'"."""
    _open(app)
    _open_box(app)
    rows = "".join(f"{i % 2},{h},{20 + i}\n" for i, h in enumerate([6.41, 4.91, 3.98, 7.56, 3.48, 6.89, 5.27, 5.75]))
    for header, data in (("passed,hours,age", rows),
                         ("hours,passed,age", "".join(f"{r.split(',')[1]},{r.split(',')[0]},{r.split(',')[2]}"
                                                      for r in rows.splitlines(True)))):
        _upload(app, "marks.csv", (header + "\n" + data).encode())
        assert not app.error, [e.value for e in app.error]
        assert _boxes(app) == ("hours", "passed") and app.selectbox(key="dataset").value == "own"
        assert app.session_state["own_data"]["data"].x_raw.tolist()[0][:2] == [6.41, 4.91]
        assert "'hours' is the feature and 'passed' the label." in _captions(app)


def test_an_id_column_is_not_the_first_feature(app):
    _open(app)
    _open_box(app)
    _upload(app, "ids.csv", _csv([(f"{i + 1},{x}", y) for i, (x, y) in enumerate(ROWS)], header="id,size,label"))
    assert not app.error and _boxes(app) == ("size", "label")
    assert "'size' is the feature and 'label' the label." in _captions(app)


def test_choosing_for_one_box_the_other_boxs_column_moves_the_other(app):
    """Label set to the feature's column refused with "the feature and the label are both 'smoker'"."""
    _open(app)
    _open_box(app)
    _upload(app, "both.csv", b"smoker,ill\n0,0\n1,1\n1,0\n0,1\n1,1\n0,0\n")
    app.selectbox(key="own_label").set_value("smoker").run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert _boxes(app) == ("ill", "smoker")
    assert app.session_state["own_data"]["data"].feature == "ill"
    app.selectbox(key="own_feature").set_value("smoker").run()
    assert not app.error and _boxes(app) == ("smoker", "ill")
    assert "'smoker' is the feature and 'ill' the label." in _captions(app)


def test_the_caption_says_which_column_is_the_feature_once(app):
    """When the file's reading already says it (the values decided), the caption does not say it twice."""
    _open(app)
    _open_box(app)
    _upload(app, "tumours.csv", GOOD)
    assert _captions(app).count("'size' is the feature and 'label' the label") == 1
