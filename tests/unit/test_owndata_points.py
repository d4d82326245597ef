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
