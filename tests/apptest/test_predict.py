"""Predict, then check on three pages, headless: ask → answer → reveal → score, and predict=0 turns it off."""

import dataclasses

import pytest

from core.data.datasets import binary_task
from core.data.images import load_image
from core.lessons import classify, losses, predict
from core.markup import as_read
from tests.conftest import REPO_ROOT

FACE = (REPO_ROOT / "tests" / "fixtures" / "face.jpg").read_bytes()
CAT = (REPO_ROOT / "tests" / "fixtures" / "cat.jpg").read_bytes()


def _open(app, page, **query):
    for k, v in query.items():
        app.query_params[k] = v
    app.switch_page(page).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def _score(app):
    return [c.value for c in app.caption if c.value.startswith("Your score this session")]


# ---------------------------------------------------------------- Cost basin

def test_basin_asks_before_the_run_then_reveals_and_scores(app):
    _open(app, "pages/basin.py")
    assert app.select_slider(key="alpha").value == "smooth"
    assert _score(app) == ["Your score this session: no predictions checked yet."]
    ask = app.select_slider(key="predict_basin_alpha")
    assert ask.value == "oscillating" and "smooth" not in ask.options      # a rate not shown now
    spec = app.get("plotly_chart")[0].proto.spec
    # choosing a rate and an answer inside the box changes nothing on the page yet
    ask.set_value("too-large").run()
    app.radio(key="predict_basin_choice").set_value("wild").run()
    assert app.select_slider(key="alpha").value == "smooth"
    assert app.get("plotly_chart")[0].proto.spec == spec
    assert not app.success and not app.error
    app.button(key="predict_basin_check").click().run()
    assert not app.exception
    # revealed: the page now runs the rate the student predicted for, and says why with αλ_max
    assert app.select_slider(key="alpha").value == "too-large"
    truth = predict.check(predict.question("basin.regime", {"alpha": "too-large"}))
    assert truth.answer == "wild"
    assert [as_read(s.value) for s in app.success] == ["**Right.** You said: It flies off, or keeps bouncing without "
                                             "settling."]
    assert any(truth.latex in x.value for x in app.latex)
    assert _score(app) == ["Your score this session: 1 right out of 1."]
    # a rerun does not count it again; the next question is about another rate
    app.run()
    assert _score(app) == ["Your score this session: 1 right out of 1."]
    app.button(key="predict_basin_next").click().run()
    assert app.select_slider(key="predict_basin_alpha").value == "oscillating"
    app.radio(key="predict_basin_choice").set_value("smooth").run()
    app.button(key="predict_basin_check").click().run()
    truth = predict.check(predict.question("basin.regime", {"alpha": "oscillating"}))
    assert truth.answer == "zigzag"
    assert as_read(app.error[0].value).startswith("**Not this time.** You said: It rolls smoothly downhill.")
    assert _score(app) == ["Your score this session: 1 right out of 2."]


def test_basin_check_needs_a_prediction(app):
    _open(app, "pages/basin.py")
    assert app.button(key="predict_basin_check").disabled


def test_basin_moving_the_page_slider_starts_a_new_question(app):
    _open(app, "pages/basin.py")
    app.radio(key="predict_basin_choice").set_value("zigzag").run()
    app.button(key="predict_basin_check").click().run()
    assert app.get("button")  # revealed, with "Ask me another"
    app.select_slider(key="alpha").set_value("smooth").run()       # exploring freely: no question answered
    assert app.radio(key="predict_basin_choice").value is None
    assert _score(app) == ["Your score this session: 1 right out of 1."]


def test_basin_race_asks_nothing(app):
    _open(app, "pages/basin.py", race="smooth,too-large")
    assert not [r for r in app.radio if r.key == "predict_basin_choice"]
    assert any("turn the race off" in c.value for c in app.caption)


# ---------------------------------------------------------------- Squared error vs log-loss

def test_losses_asks_for_a_start_then_reveals_which_cost_got_stuck(app):
    _open(app, "pages/losses.py")
    assert app.radio(key="preset").value == "trap"
    app.slider(key="predict_losses_w0").set_value(6.0).run()
    app.slider(key="predict_losses_b0").set_value(6.0).run()
    app.radio(key="predict_losses_choice").set_value("left").run()
    assert app.radio(key="preset").value == "trap"                # nothing applied before the check
    app.button(key="predict_losses_check").click().run()
    assert not app.exception
    assert app.radio(key="preset").value == "custom"
    assert (app.slider(key="w0").value, app.slider(key="b0").value) == (6.0, 6.0)
    p = dataclasses.replace(losses.LossesParams(), preset="custom", w0=6.0, b0=6.0)
    truth = predict.check(predict.losses_question(p))
    right = truth.answer == "left"
    assert bool(app.success) == right and bool(app.error) == (not right)
    assert any(truth.latex in x.value for x in app.latex)
    assert _score(app) == [f"Your score this session: {int(right)} right out of 1."]


# ---------------------------------------------------------------- Classify

@pytest.fixture
def classify_page(app):
    return _open(app, "pages/classify.py")


def _neuron_says(photo):
    model = classify.train_task(binary_task("faces")).model
    return classify.classify_image(model, load_image(photo)).probability


def test_classify_asks_before_the_photo_and_scores_the_neurons_answer(classify_page):
    app = classify_page
    app.radio(key="clf_which").set_value("bundled").run()      # the neuron trained on the left tab
    choice = app.radio(key="predict_classify_choice")
    assert choice.options == ["face", "not a face"] and choice.value is None
    choice.set_value("1").run()
    app.file_uploader(key="clf_photo_file").set_value(("face.jpg", FACE, "image/jpeg")).run()
    assert not app.exception
    a = _neuron_says(FACE)
    right = a > 0.5
    assert bool(app.success) == right and bool(app.error) == (not right)
    assert any(f"{a:.3f}" in x.value for x in app.latex)
    assert _score(app) == [f"Your score this session: {int(right)} right out of 1."]
    # cropping the same photo does not make a new question or count again
    app.slider(key="clf_zoom").set_value(1.4).run()
    assert _score(app) == [f"Your score this session: {int(right)} right out of 1."]
    # the next prediction is for another photo: the one already seen cannot be scored again
    app.button(key="predict_classify_next").click().run()
    app.radio(key="predict_classify_choice").set_value("0").run()
    assert any("seen the neuron's answer" in c.value for c in app.caption)
    assert _score(app) == [f"Your score this session: {int(right)} right out of 1."]
    app.file_uploader(key="clf_photo_file").set_value(("cat.jpg", CAT, "image/jpeg")).run()
    assert not app.exception
    b = _neuron_says(CAT)
    assert _score(app) == [f"Your score this session: {int(right) + int(b <= 0.5)} right out of 2."]


def test_classify_photo_without_a_prediction_is_not_scored(classify_page):
    app = classify_page
    app.file_uploader(key="clf_photo_file").set_value(("face.jpg", FACE, "image/jpeg")).run()
    assert any("No prediction for this photo" in c.value for c in app.caption)
    assert _score(app) == ["Your score this session: no predictions checked yet."]
    assert not app.success and not app.error


# ---------------------------------------------------------------- the teacher's switch

@pytest.mark.parametrize("page, key", [("pages/basin.py", "predict_basin_choice"),
                                       ("pages/losses.py", "predict_losses_choice"),
                                       ("pages/classify.py", "predict_classify_choice")])
def test_predict_0_turns_the_questions_off(app, page, key):
    _open(app, page, predict="0")
    assert not [r for r in app.radio if r.key == key]
    assert not _score(app)
    assert app.query_params["predict"] in ("0", ["0"])         # kept in the link
    app.switch_page("pages/basin.py").run()                     # and on the next page of the session
    assert not [r for r in app.radio if r.key == "predict_basin_choice"]


def test_a_box_that_would_change_a_hidden_control_is_not_shown(app):
    _open(app, "pages/basin.py", hide="alpha")
    assert not [r for r in app.radio if r.key == "predict_basin_choice"]
    app.switch_page("pages/losses.py").run()
    assert [r for r in app.radio if r.key == "predict_losses_choice"]     # w0, b0 and preset are not hidden


def test_predict_1_turns_them_back_on(app):
    _open(app, "pages/basin.py", predict="0")
    app.query_params["predict"] = "1"
    app.run()
    assert [r for r in app.radio if r.key == "predict_basin_choice"]


def test_the_face_finder_is_asked_about_too_and_judged_by_its_own_threshold(classify_page):
    """The default neuron on the photo tab is the face finder: the question is asked before the photo, with the
    finder's third answer (it says "unsure" for a band of a), and the answer is its verdict (its threshold was
    chosen on validation photos, not 0.5), the one its panel names."""
    from core.lessons import detector, face_training
    app = classify_page
    choice = app.radio(key="predict_classify_choice")
    assert choice.options == ["a face", "not a face", "unsure"] and choice.value is None
    choice.set_value("1").run()
    app.file_uploader(key="clf_photo_file").set_value(("face.jpg", FACE, "image/jpeg")).run()
    assert not app.exception
    neuron = face_training.load_bundled()["edges"].neuron
    score = detector.scan(neuron, load_image(FACE)).score
    said = neuron.verdict(score)
    right = said == "face"
    assert bool(app.success) == right and bool(app.error) == (not right)
    assert any(h.value == f"The edges neuron says: {'a face' if right else said}" for h in app.subheader)
    # the number that decides is the end of the unsure band the face score is outside of (or both ends), not the
    # threshold in the band's middle: a face score of 0.88 is "unsure", not "at or above the threshold 0.869"
    low, high = neuron.unsure
    shown = {"face": f"≥ {high:.3f}", "unsure": f"{low:.3f} ≤", "not a face": f"< {low:.3f}"}[said]
    assert any(f"{score:.3f}" in x.value and shown.replace("≥", r"\ge").replace("≤", r"\le") in x.value
               and r"\text{face score}" in x.value for x in app.latex)
    assert _score(app) == [f"Your score this session: {int(right)} right out of 1."]


def _answer_box(app):
    """The answer box's alert, headline, formula and the line about later changes (as a student reads them)."""
    alert = [as_read(s.value) for s in app.success] + [as_read(e.value) for e in app.error]
    headline = [as_read(m.value) for m in app.markdown if as_read(m.value).startswith("The neuron says")]
    changed = [as_read(i.value) for i in app.info if as_read(i.value).startswith("Since the check")]
    latex = [x.value.strip("$\n") for x in app.latex]
    return alert, headline, [x for x in latex if x.startswith(("a = ", r"\text{face score}"))], changed


@pytest.mark.parametrize("choice", ["1", "0"])
def test_the_answer_scored_stays_with_the_crop_it_was_scored_on(classify_page, choice):
    """biden.jpg: "Not this time" was scored at a = 0.036, then a crop to a = 0.673 rewrote the sentence under it
    ("Not this time. You said: face. The neuron said: face."). The box keeps the answer scored, names the crop it
    was computed on, and one line says what the neuron says now."""
    app = classify_page
    app.radio(key="clf_which").set_value("bundled").run()
    app.radio(key="predict_classify_choice").set_value(choice).run()
    app.file_uploader(key="clf_photo_file").set_value(("face.jpg", FACE, "image/jpeg")).run()
    model = classify.train_task(binary_task("faces")).model
    before = classify.classify_image(model, load_image(FACE)).probability
    after = classify.classify_image(model, load_image(FACE), 1.4, 0.55, 0.7).probability
    assert before < 0.5 < after                                       # the crop changes the neuron's class
    right = choice == "0"
    said = "**Right.** You said: not a face." if right else ("**Not this time.** You said: face. The neuron said: "
                                                             "not a face.")
    scored = (f"The neuron says “not a face”: a = {before:.3f}. Checked with the neuron trained on the left tab, "
              "on your photo cropped at zoom 1.0 around (0.50, 0.50).")
    formula = rf"a = \sigma(w^T x + b) = {before:.3f} \le 0.5"
    assert _answer_box(app) == ([said], [scored], [formula], [])
    for key, value in (("clf_zoom", 1.4), ("clf_cx", 0.55), ("clf_cy", 0.7)):
        app.slider(key=key).set_value(value).run()
    assert not app.exception
    alert, headline, latex, changed = _answer_box(app)
    assert (alert, headline, latex) == ([said], [scored], [formula])
    assert changed == [f"Since the check you moved or zoomed the crop: now the neuron trained on the left tab says "
                       f"“face”: a = {after:.3f} (not scored)."]
    assert _score(app) == [f"Your score this session: {int(right)} right out of 1."]
    app.slider(key="clf_zoom").set_value(1.0).run()                 # back to the crop it was scored on
    app.slider(key="clf_cx").set_value(0.5).run()
    app.slider(key="clf_cy").set_value(0.5).run()
    assert _answer_box(app)[3] == []


def test_another_neuron_after_the_check_does_not_change_the_answer_scored(classify_page):
    """alex-lacamoire.png: scored "Right" by the face finder, then "Classify with" the bundled neuron read "Right.
    You said: face." above "The neuron says “not a face”". The finder's answer stays, in its own words."""
    from core.lessons import detector, face_training
    app = classify_page
    app.radio(key="predict_classify_choice").set_value("1").run()
    app.file_uploader(key="clf_photo_file").set_value(("face.jpg", FACE, "image/jpeg")).run()
    neuron = face_training.load_bundled()["edges"].neuron
    score = detector.scan(neuron, load_image(FACE)).score
    assert neuron.verdict(score) == "face"
    box = (["**Right.** You said: a face."],
           [f"The neuron says “a face”: face score = {score:.3f}. Checked with the face finder's edges neuron, on "
            "the whole photo."], [rf"\text{{face score}} = {score:.3f} \ge {neuron.unsure[1]:.3f}"])
    assert _answer_box(app) == (*box, [])
    app.radio(key="clf_which").set_value("bundled").run()
    assert not app.exception
    a = _neuron_says(FACE)
    assert _answer_box(app) == (*box, [f"Since the check you changed the neuron: now the neuron trained on the left "
                                       f"tab says “not a face”: a = {a:.3f} (not scored)."])
    assert any(c.value == "You predicted: a face. The answer is under your photo." for c in app.caption)
    assert _score(app) == ["Your score this session: 1 right out of 1."]


def test_the_basin_boxs_rates_read_as_different_numbers(app):
    """On the linear neuron the oscillating rate is α = 1.004: the box's "Next α to try" read "…, 0.3, 1, 1, 1.45, …"
    (the ladder's 1 and the oscillating rate), as the page's own slider did."""
    _open(app, "pages/basin.py", neuron="linear")
    options = app.select_slider(key="predict_basin_alpha").options
    assert len(set(options)) == len(options) and "1.004" in options, options


def test_losses_a_plateau_crawl_counts_as_stuck_on_the_page_and_in_the_check(app):
    """Imbalanced data, absolute error, start (−5, 6): the ball crawls over a plateau, 0.849 above the lowest J. A
    student who said absolute error gets stuck was told "Not this time" ("Neither gets stuck")."""
    _open(app, "pages/losses.py", dataset="imbalanced", cost="absolute")
    app.slider(key="predict_losses_w0").set_value(-5.0).run()
    app.slider(key="predict_losses_b0").set_value(6.0).run()
    app.radio(key="predict_losses_choice").set_value("left").run()
    app.button(key="predict_losses_check").click().run()
    assert not app.exception
    assert (app.slider(key="w0").value, app.slider(key="b0").value) == (-5.0, 6.0)
    assert [as_read(s.value) for s in app.success][0].startswith("**Right.**")
    assert any("Stalled on a plateau" in m.value for m in app.markdown)
    assert _score(app) == ["Your score this session: 1 right out of 1."]
