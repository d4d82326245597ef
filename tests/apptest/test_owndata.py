"""Your own data on the Cost basin through app.py: once chosen, the main basin (surface, minimum, presets) follows
them; bad files keep the previous data; a link cannot carry them; they stay in their browser session."""

import json
import re

import numpy as np
from sklearn.linear_model import LogisticRegression
from streamlit.testing.v1 import AppTest

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
