"""The hostile links and files of the hardening review, one by one, through the real pages (AppTest)."""

import json

import numpy as np
import pytest

from benchmarks.fuzz_links import notes_shown, run_link
from core.lessons import classify
from core.markup import is_plain_text

GRAPH, VEC = "pages/graph.py", "pages/vectorisation.py"
BASIN, CLASSIFY = "pages/basin.py", "pages/classify.py"


def open_page(app, page, **query):
    app.run()
    for k, v in query.items():
        app.query_params[k] = v
    app.switch_page(page).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


@pytest.mark.parametrize("value", ["²", "①", "³", "3, ²"])
@pytest.mark.parametrize("key", ["shape_a", "shape_b"])
def test_unicode_digits_in_a_shape_link_do_not_crash_vectorisation(app, key, value):
    at = open_page(app, VEC, **{key: value})
    assert any("not a list of whole numbers" in e.value for e in at.error)
    assert at.title[0].value == "Vectorisation and broadcasting" and at.dataframe  # the rest of the page


def test_typing_a_superscript_into_a_shape_is_a_sentence(app):
    at = open_page(app, VEC)
    at.text_input(key="shape_a").set_value("³").run()
    assert not at.exception and any("not a list of whole numbers" in e.value for e in at.error)
    at.text_input(key="shape_a").set_value("3, 1").run()                  # and the page recovers
    assert not at.exception and any("has shape (3, 4)" in s.value for s in at.success)


@pytest.mark.parametrize("page, key, value", [
    (GRAPH, "a", "[Log in here](https://evil.example)"),
    (BASIN, "seed", "![x](https://evil.example/x.png)"),
    ("pages/losses.py", "steps", "<img src=x onerror=alert(1)>"),
    ("pages/activations.py", "z", "**bold** $x$"),
    (VEC, "op", ":red[alarm]"),
    (CLASSIFY, "alpha", "[x](javascript:alert(1))"),
    ("pages/activations.py", "teacher", "yes\n==="),
    (GRAPH, "hide", "[a](b),![c](d)"),
])
def test_link_notes_never_render_markup(app, page, key, value):
    at = open_page(app, page, **{key: value})
    notes = notes_shown(at)
    assert notes and all(is_plain_text(n) for n in notes), notes
    assert run_link(page, {key: value}) == []


def test_a_saturated_sigmoid_keeps_the_logistic_section(app):
    at = open_page(app, GRAPH, x1="10", x2="10", w1="10", w2="10", bias="10", y="0")
    assert not at.error                        # no "a = 1 must be strictly between 0 and 1"
    assert "Checked numerically" in [s.value for s in at.subheader]
    assert len(at.dataframe) == 2                                  # both nudge tables: J = 3(a + bc) and L
    at.slider(key="l_step").set_value(6).run()                     # the backward step at a, where it is said
    step = at.info[-1].value
    assert not at.exception and "da = dL/da" in step
    assert "within 6.3e−92 of 1" in step and "σ(−z)" in step


HUGE = 10**400


def model_file(**changes):
    doc = json.loads(classify.model_to_json(classify.Model(w=np.zeros((16 * 16, 1)), b=0.0, num_px=16, channels=1,
                                                 class_names=("day", "night"), settings={"alpha": 0.1})))
    doc.update(changes)
    return json.dumps(doc).encode()


@pytest.mark.parametrize("changes", [
    {"b": HUGE}, {"w": [HUGE] + [0.0] * 255}, {"settings": {"alpha": HUGE}}, {"settings": {"lambd": -HUGE}},
    {"w": [1.7e308, -1.7e308] * 128},
])
def test_absurd_model_files_get_one_sentence_and_a_good_one_still_loads(app, changes):
    at = open_page(app, CLASSIFY)
    bad = ("bad.json", model_file(**changes), "application/json")
    at.file_uploader(key="clf_import").set_value(bad).run()
    assert not at.exception and len(at.error) == 1 and "\n" not in at.error[0].value
    assert at.session_state["classify_own"].model is None
    at.file_uploader(key="clf_import").set_value(("good.json", model_file(), "application/json")).run()
    assert not at.exception and at.session_state["classify_own"].model.class_names == ("day", "night")
