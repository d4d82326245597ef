"""The Start here path says what its basin steps do: checked against the runs themselves (core.lessons.predict)."""

import pytest

from core.lessons import basin, predict
from ui.path import STEPS

# What each Cost basin step's "notice" promises, as the answer to its predict-then-check question.
PROMISED = {"A ball rolls down a real cost": "smooth", "A larger step zigzags": "zigzag",
            "Too large a step blows up": "wild"}


@pytest.mark.parametrize("step", [s for s in STEPS if s.title in PROMISED], ids=lambda s: s.title)
def test_basin_steps_do_what_they_say(step):
    q = predict.question("basin.regime", step.query)
    v = predict.check(q)
    assert v.answer == PROMISED[step.title], v.headline
    if step.title == "Too large a step blows up":
        assert v.headline.startswith("Diverged at step") and "stopped" in v.headline


def test_the_separable_step_has_no_minimum_and_lambda_gives_one():
    step = next(s for s in STEPS if s.query.get("dataset") == "separable")
    x, y, _ = basin.load("separable", 0)
    assert not basin.curvature(x, y, "sigmoid", "log", 0.0, -3.0, 3.0).minimum.finite
    assert basin.curvature(x, y, "sigmoid", "log", 1.0, -3.0, 3.0).minimum.finite   # "raise λ to 1"
    assert "λ" in step.try_this and "1" in step.try_this


def test_the_activations_step_opens_where_its_instruction_starts():
    """'Move z from 0 to 6': the link used to open the page at z = 4."""
    from core.lessons.activation_facts import value_and_slope
    step = next(s for s in STEPS if s.page == "activations")
    assert "from 0 to 6" in step.try_this and float(step.query.get("z", 1.0)) == 0.0
    assert value_and_slope("sigmoid", 0.0)[1] == 0.25 and value_and_slope("sigmoid", 6.0)[1] < 0.0025   # notice


def test_the_losses_step_asks_for_a_click_where_a_click_works():
    """A start point is picked by clicking a contour map; the 3D surfaces tab has no click (its tab title says so
    of the maps: 'Contour maps (click a map to start there)')."""
    step = next(s for s in STEPS if s.page == "losses")
    assert step.try_this.index("contour map") < step.try_this.index("3D surfaces")


def test_the_teachers_guide_lists_the_paths_steps_with_their_settings():
    """The guide said "9. Activations, `z=4`" while the step opens z = 0 ("Move z from 0 to 6")."""
    import re
    from pathlib import Path
    from urllib.parse import urlencode

    from ui.path import STEPS
    guide = (Path(__file__).resolve().parents[2] / "docs" / "CLASSROOM.md").read_text(encoding="utf-8")
    start = guide.index("## Start here")
    listed = re.findall(r"^(\d)\. ([^,:\n]+)(?:, `([^`]*)`)?", guide[start:guide.index("\n## ", start + 1)],
                        flags=re.M)
    assert [int(n) for n, _, _ in listed] == list(range(1, len(STEPS) + 1))
    for (_, title, query), step in zip(listed, STEPS, strict=True):
        assert step.info.title.startswith(title) and query == urlencode(step.query), (title, query, step.query)


def test_the_classify_step_names_the_weights_pictures_colours_where_they_are():
    """Step 6: "the forehead and cheeks are purple … the band of the eyes and brows orange". Checked on the
    neuron the step opens (the page's defaults): the darkest band of the average training face (the eyes and
    brows) has negative weights (orange in the picture's PuOr scale), the brighter bands above and below it
    (forehead, cheeks) positive ones (purple)."""
    import plotly.colors

    from core.figures.classify import DIVERGING
    from core.lessons import classify

    step = next(s for s in STEPS if s.page == "classify")
    assert not step.query
    assert "forehead and cheeks are purple" in step.notice and "eyes and brows orange" in step.notice
    task = classify.bundled_task(classify.ClassifyParams())
    w = classify.train_task(task).model.w.reshape(task.num_px, task.num_px)
    face = task.X_train[:, task.Y_train[0] == 1].mean(axis=1).reshape(task.num_px, task.num_px)
    rows = face.mean(axis=1)
    eyes = 3 + int(rows[3:task.num_px // 2].argmin())             # the darkest band of the upper half
    forehead, cheeks = slice(0, eyes - 3), slice(eyes + 2, eyes + 5)
    assert w[eyes].mean() < 0 < min(w[forehead].mean(), w[cheeks].mean())
    low, high = (plotly.colors.hex_to_rgb(c) if c.startswith("#") else plotly.colors.unlabel_rgb(c)
                 for c in (getattr(plotly.colors.diverging, DIVERGING)[i] for i in (0, -1)))
    assert low[0] > low[2] and high[2] > high[1]                    # w < 0 orange (red > blue), w > 0 purple
