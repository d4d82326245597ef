"""Points edited on the page (the point editor, the table) checked at the boundary, and the content key of own data."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.data.owndata import OWN, digest, from_points, parse_csv
from core.errors import InputError
from core.lessons import basin

RANGE = (-10.0, 10.0)
GOOD = [[-2.0, 0], [-1.0, 0], [0.5, 1], [1.0, 0], [2.0, 1], [3.0, 1]]


def test_points_become_data_like_a_file_of_the_same_rows():
    own = from_points(GOOD, RANGE, feature="size", label="malignant")
    text = "size,malignant\n" + "".join(f"{x},{y}\n" for x, y in GOOD)
    ref = parse_csv(text.encode())
    np.testing.assert_array_equal(own.x, ref.x)
    np.testing.assert_array_equal(own.y, ref.y)
    assert (own.feature, own.label, own.m, own.n_ones) == ("size", "malignant", 6, 3)
    assert digest(own) == digest(ref)                     # the same content, the same key


@pytest.mark.parametrize("points, words", [
    ("not a list", "could not be read"),
    ([[0.0, 0]], "at least two"),
    ([[0.0, 0], [1.0]], "not an (x, label) pair"),
    ([[0.0, 0], [float("nan"), 1]], "not a number between"),
    ([[0.0, 0], [float("inf"), 1]], "not a number between"),
    ([[0.0, 0], [11.0, 1]], "not a number between"),
    ([[0.0, 0], ["3", 1]], "not a number between"),
    ([[0.0, 0], [True, 1]], "not a number between"),
    ([[0.0, 0], [10**400, 1]], "not a number between"),
    ([[0.0, 0], [1.0, 2]], "0 or 1"),
    ([[0.0, 0], [1.0, 0.5]], "0 or 1"),
    ([[0.0, 0], [1.0, "1"]], "0 or 1"),
    ([[0.0, 1], [1.0, 1]], "both classes"),
    ([[2.0, 0], [2.0, 1]], "cannot tell the classes apart"),
])
def test_bad_points_get_one_plain_sentence(points, words):
    with pytest.raises(InputError) as err:
        from_points(points, RANGE)
    assert words in str(err.value) and str(err.value).count(". ") <= 1


def test_at_most_the_row_limit():
    points = [[0.001 * i, i % 2] for i in range(11)]
    with pytest.raises(InputError, match="at most 10"):
        from_points(points, RANGE, max_rows=10)
    assert from_points(points[:10], RANGE, max_rows=10).m == 10


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-10, 10), st.sampled_from([0, 1])), min_size=2, max_size=60))
def test_any_points_within_the_axis_are_data_or_one_sentence(points):
    try:
        own = from_points([list(p) for p in points], RANGE)
    except InputError as err:
        assert str(err)
        return
    assert own.m == len(points) and np.isfinite(own.x).all() and set(np.unique(own.y)) <= {0.0, 1.0}
    assert math.isclose(float(own.x.mean()), 0.0, abs_tol=1e-9)


def test_the_content_key_changes_with_any_point_or_name():
    a = from_points(GOOD, RANGE)
    moved = [list(p) for p in GOOD]
    moved[0][0] = -2.0001
    relabelled = [list(p) for p in GOOD]
    relabelled[3][1] = 1
    keys = {digest(a), digest(from_points(moved, RANGE)), digest(from_points(relabelled, RANGE)),
            digest(from_points(GOOD, RANGE, feature="other"))}
    assert len(keys) == 4 and all(len(k) == 24 for k in keys)


def test_own_data_names_load_only_through_the_page_loader():
    assert OWN in basin.BasinParams.parse({"dataset": "own"})[0].dataset     # a link may say own data
    with pytest.raises(InputError):                                         # outside a page: no such data set
        basin.load(OWN + "-" + "0" * 24, 0)


@pytest.mark.parametrize("values", [
    [2.7824257588520984] * 3,  # equal values whose computed spread is 4e-16, not 0 (found by hypothesis)
    [1.0, 1.0, 1.0 + 2.2e-16],  # one unit of rounding apart
    [0.0, 1e-300, 0.0],  # a spread that underflows to 0
])
def test_values_that_differ_only_by_rounding_cannot_tell_the_classes_apart(values):
    with pytest.raises(InputError, match="cannot tell the classes apart|too little to tell"):
        from_points([[v, i % 2] for i, v in enumerate(values)], RANGE)


def test_a_point_dragged_to_the_end_of_the_axis_is_taken():
    """editor_range gave 7 × 0.1 = 0.7000000000000001 as the axis's left end; the editor clamps a dragged point
    to that end and sent it as 0.7, which was refused: "Point 5 has x = '0.7', not a number between 0.7 and 3.8"."""
    from ui.owndata import editor_range

    xs = np.linspace(1, 3.5, 10)
    lo, hi = editor_range(xs)
    assert (lo, hi) == (0.7, 3.8) and repr(lo) == "0.7"
    labels = [0, 0, 0, 1, 0, 1, 1, 0, 1, 1]
    for end in (0.7000000000000001, 0.7, 3.8, 3.8000000000000003):  # an end as computed, or a rounding off it
        points = [[float(x), y] for x, y in zip(xs, labels, strict=True)]
        points[4][0] = end
        assert from_points(points, (0.7000000000000001, 3.8)).m == 10
        assert from_points(points, (lo, hi)).m == 10
    with pytest.raises(InputError, match="Point 1 has x = '0.69', not a number between 0.7 and 3.8"):
        from_points([[0.69, 0], [2.0, 1]], (lo, hi))                # a real step off the axis is still refused


def test_the_axis_ends_are_written_with_digits_enough_to_tell_them_apart():
    """Unix timestamps: "not a number between 1.7e+09 and 1.7e+09"."""
    from ui.owndata import editor_range

    xs = 1_700_000_000 + 30.0 * np.arange(20)
    lo, hi = editor_range(xs)
    assert (lo, hi) == (1_699_999_940.0, 1_700_000_630.0)
    points = [[float(x), i % 2] for i, x in enumerate(xs)]
    assert from_points(points + [[1_700_000_285.0, 1]], (lo, hi)).x_raw.size == 21   # every value its own
    with pytest.raises(InputError, match="Point 21 has x = '1700001000.0', not a number between 1699999940 and "
                                         "1700000630; move it back"):
        from_points(points + [[1_700_001_000.0, 1]], (lo, hi))


@pytest.mark.parametrize("points, words", [
    ([[1.0, 0], [2.0, 1], [float("nan"), 1]], "Row 3 has no x; fill it in or delete the row."),
    ([[1.0, 0], [2.0, float("nan")]], "Row 2 has no y; fill it in (0 or 1) or delete the row."),
    ([[1.0, 0], [2.0, 3]], "Row 2 has the label '3'; every label must be 0 or 1."),
    ([[1.0, 0], [1e16, 1]], "Row 2 has x = 1e+16; type a number between -1e+15 and 1e+15."),
])
def test_the_table_words_its_problems_by_row(points, words):
    """An empty x cell was worded as the editor's: "Point 3 has x = 'nan', not a number between … move it back
    onto the axis"."""
    with pytest.raises(InputError) as err:
        from_points(points, (-1e15, 1e15), table=True)
    assert str(err.value) == words
