"""Random widget moves on every page, in CI: a small sample of benchmarks/fuzz_widgets.py's sessions.

Each page gets a few short sessions of random moves that a browser can send (sliders to their ends or anywhere
on their steps, every option of a select box, radio or select slider as its shown text, checkboxes flipped,
buttons pressed, numbers at their bounds or huge, hostile text), in one session so that they pile up. After every
move the page must show no exception, keep its title, and put no traceback in a message box. The seeds are fixed,
so a failure here replays with `run_session(page, MOVES, seed)`; the large sweep is the benchmark script itself.
"""

import pytest

from benchmarks.fuzz_widgets import move, open_page, run_session, widgets
from ui.registry import PAGES

MOVES = 6
SEEDS = (11, 12)  # 9 pages × 2 sessions × 6 moves: about a minute on 2 cores


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("page", [p.file for p in PAGES])
def test_random_widget_moves_leave_the_page_working(page, seed):
    result = run_session(page, MOVES, seed)
    assert result["problems"] == [], result


def test_the_moves_reach_every_kind_of_widget_a_lesson_has():
    """The fuzzer touches what it claims to: on the Cost basin page, 40 moves reach every kind of widget it shows."""
    import random

    at = open_page("pages/basin.py")
    on_page = {kind for kind, _ in widgets(at)}
    rng = random.Random(0)
    kinds = set()
    for _ in range(40):
        what = move(at, rng)
        kinds.add(what.split(" ")[0])
        at.run()
        assert not at.exception
    assert {"slider", "select_slider", "selectbox", "radio", "number_input"} <= on_page <= kinds, (on_page, kinds)
