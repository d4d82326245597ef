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
