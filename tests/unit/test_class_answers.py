"""Class mode's answers chart (core/figures/class_answers.py), laid out as a browser would draw it.

The projector (1280 to 1920 px wide, ?teacher=1: text 1.35 times larger, core.figures.projector.enlarge) and a
phone (390 px) showed the answers' labels running into the axis, the counts touching the labels ("downhill|0") and
a label wrapped to three lines in a row too low for it. Here the figure's own geometry (its height, margins, axis
ranges, bar thickness, annotation anchors and text sizes) places every label, bar and count in pixels, with text
widths estimated a little wide (core.figures.lessons.text_px), and no two of them may overlap.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.figures.class_answers import path_figure, tally_figure
from core.figures.lessons import text_px
from core.figures.projector import enlarge
from core.lessons import losses
from core.lessons import predict as pr
from ui import classmode_questions as cq

LINE = 1.3            # plotly's line height, in font sizes
TEXTPAD = 3           # plotly's gap between a bar's end and its outside text, px
# (chart width in px, text factor): a 390 px phone (Streamlit's 16 px padding each side), a laptop, the projector's
# 1280 and 1920 px windows with the sidebar open (teacher=1: 1.35 times larger text)
VIEWS = [(358, 1.0), (704, 1.0), (704, 1.35), (1344, 1.35)]
BASIN = [c.label for c in pr.BASIN_CHOICES]
LOSSES = [[c.label for c in cq.losses_choice(cost=cost).choices] for cost in losses.RIVALS]


def _plain(text: str) -> list[str]:
    return re.sub(r"</?b>", "", text).split("<br>")


def _boxes(fig, width: float):
    """(labels, bars, counts): one (left, top, right, bottom) box in px per answer, as plotly places them."""
    lay = fig.layout
    size = lay.font.size
    m = lay.margin
    plot_w, plot_h = width - m.l - m.r, lay.height - m.t - m.b
    (x0, x1), (y_bottom, y_top) = lay.xaxis.range, lay.yaxis.range      # y reversed: row 0 at the top

    def px(x):
        return m.l + (x - x0) / (x1 - x0) * plot_w

    def py(y):
        return m.t + (y - y_top) / (y_bottom - y_top) * plot_h

    bar = fig.data[0]
    half = bar.width / 2
    bars, counts, labels = [], [], []
    for i, (n, text) in enumerate(zip(bar.x, bar.text, strict=True)):
        top, bottom = py(i - half), py(i + half)
        bars.append((px(0), top, px(n), bottom))
        middle = (top + bottom) / 2
        left = px(n) + TEXTPAD
        counts.append((left, middle - LINE * size / 2, left + text_px(text, size), middle + LINE * size / 2))
    for a in fig.layout.annotations:
        lines = _plain(a.text)
        a_size = (a.font.size if a.font and a.font.size else size)
        assert a.xanchor == "left" and a.yanchor == "bottom" and a.yref == "y"
        bottom = py(a.y) - (a.yshift or 0)
        left = px(a.x)
        labels.append((left, bottom - len(lines) * LINE * a_size,
                       left + max(text_px(line, a_size) for line in lines), bottom))
    return labels, bars, counts


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width,factor", VIEWS, ids=["phone", "laptop", "projector-1280", "projector-1920"])
@pytest.mark.parametrize("labels", [BASIN, *LOSSES], ids=["basin", *losses.RIVALS])
@pytest.mark.parametrize("right", [None, 0, 1, 2])
@pytest.mark.parametrize("counts", [[0, 0, 0, 0], [0, 1, 1, 0], [12, 30, 7, 1]], ids=["none", "few", "many"])
def test_labels_bars_and_counts_are_apart_at_every_width(labels, right, counts, width, factor):
    fig = tally_figure(labels, counts[:len(labels)], right)
    if factor != 1.0:
        fig = enlarge(fig, factor)
    labels_px, bars, counts_px = _boxes(fig, width)
    assert len(labels_px) == len(labels), "each answer's words stand above its own bar"
    height = fig.layout.height
    for i, label in enumerate(labels_px):
        assert 0 <= label[1] and label[3] <= height and label[2] <= width, (i, label, width, height)
        assert label[3] <= bars[i][1] + 0.5, "a label sits above its own bar"
        for j in range(len(labels)):
            assert not _overlap(label, bars[j]), (i, j, label, bars[j])
            assert not _overlap(label, counts_px[j]), (i, j, label, counts_px[j])
            if j != i:
                assert not _overlap(label, labels_px[j]), (i, j)
    for i, count in enumerate(counts_px):
        assert count[2] <= width, ("a count fits to the right of its bar", count, width)
        assert count[1] >= bars[i][1] - 0.5 and count[3] <= bars[i][3] + 0.5, "a count stays in its bar's band"
        assert count[0] >= bars[i][2], "a count is beside its bar, not over it"


def test_the_height_follows_the_number_of_label_lines():
    """One line of words per answer needs a lower chart than two: a fixed height squeezed two-line labels."""
    short = tally_figure(["yes", "no", "maybe"], [1, 2, 3])
    long = tally_figure(BASIN, [1, 2, 3])
    assert max(len(_plain(a.text)) for a in long.layout.annotations) == 2
    assert long.layout.height > short.layout.height
    assert tally_figure(BASIN + ["one more answer"], [1, 2, 3, 4]).layout.height > long.layout.height


def test_the_counts_say_students_and_the_right_label_is_marked():
    fig = tally_figure(BASIN, [1, 0, 2], right=1)
    assert list(fig.data[0].text) == ["1 student", "0 students", "2 students"]
    assert "✔" in fig.layout.annotations[1].text and "✔" not in fig.layout.annotations[0].text


# ---------------------------------------------------------------- the reveal's picture: the ball's path, from above

def _offsets(W, B, curv):
    """The path's signed distance across the valley (along the Hessian's top eigenvector), per step."""
    bw, bb = curv.bottom()
    return (np.asarray(W) - bw) * curv.direction[0] + (np.asarray(B) - bb) * curv.direction[1]


def _run(alpha):
    q = cq.basin_choice(alpha=alpha)
    t, _, curv = pr.basin_run(pr._basin_params(dict(q.settings)))
    return q, t, curv


def test_a_zigzag_reveal_shows_the_path_from_above_and_zoomed_in_where_the_zigzag_is():
    """The reveal of "It zigzags" showed only J against the step, which drops smoothly in 4 steps: the zigzag could
    not be seen. Its maps draw the run's own path, and the zoomed one holds the steps whose sign across the valley
    keeps flipping, each filling a good share of the zoomed map (on the whole map they were a few pixels)."""
    q, t, curv = _run("oscillating")
    r = cq.reveal(q)
    assert r.verdict.answer == "zigzag" and len(r.maps) == 2
    whole, zoom = r.maps
    np.testing.assert_allclose(whole.W, t.w[:, 0])
    np.testing.assert_allclose(whole.B, t.b)
    assert whole.first == 0 and whole.J.shape == (whole.b.size, whole.w.size)
    assert zoom.first > 0 and zoom.W.size == t.b.size - zoom.first
    off = _offsets(zoom.W, zoom.B, curv)
    assert np.sum(np.sign(off[1:]) != np.sign(off[:-1])) >= 4          # it keeps crossing the valley's floor
    # across the zoomed map each zigzag step is at least a tenth of the map's height (a whole map: under 2 %)
    span = zoom.b[-1] - zoom.b[0]
    assert np.median(np.abs(np.diff(zoom.B[:8]))) > 0.1 * span
    assert np.median(np.abs(np.diff(zoom.B[:8]))) < 0.02 * (whole.b[-1] - whole.b[0])
    for m in r.maps:                                                   # the map holds its whole path
        assert m.w[0] <= m.W.min() and m.W.max() <= m.w[-1] and m.b[0] <= m.B.min() and m.B.max() <= m.b[-1]


def test_a_ball_that_flies_off_or_bounces_gets_no_zoom_and_a_smooth_one_does():
    assert len(cq.reveal(_run("too-large")[0]).maps) == 1
    assert len(cq.reveal(_run("smooth")[0]).maps) == 2
    assert cq.reveal(cq.losses_choice()).maps == ()


def test_the_path_figure_draws_the_path_the_start_the_bottom_and_numbers_the_first_steps():
    q, t, curv = _run("oscillating")
    m = cq.reveal(q).maps[0]
    fig = path_figure(m.w, m.b, m.J, m.W, m.B, title=m.title, first=m.first, minimum=m.minimum)
    kinds = [tr.type for tr in fig.data]
    assert kinds[0] == "contour" and np.asarray(fig.data[0].z).shape == m.J.shape
    path = next(tr for tr in fig.data if tr.name == "the ball's path")
    np.testing.assert_allclose(np.asarray(path.x, float), t.w[:, 0])
    assert {"start", "bottom (minimum)"} <= {tr.name for tr in fig.data}
    steps = [int(a.text) for a in fig.layout.annotations]
    assert steps[:3] == [0, 1, 2] and len(steps) <= 5                  # the big jumps across the valley, numbered
    assert list(fig.layout.xaxis.range) == [m.w[0], m.w[-1]] and fig.layout.title.text == m.title
    zoom = cq.reveal(q).maps[1]
    fig = path_figure(zoom.w, zoom.b, zoom.J, zoom.W, zoom.B, title=zoom.title, first=zoom.first)
    assert "start" not in {tr.name for tr in fig.data} and int(fig.layout.annotations[0].text) == zoom.first
