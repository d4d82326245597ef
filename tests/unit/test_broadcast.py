"""The shape explorer against numpy itself, on a table of shape pairs (errors included), and the rank-1 pitfall."""

import doctest
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core.lessons.broadcast
from core.errors import InputError
from core.lessons.broadcast import copies_mask, explore, parse_shape, rank1_pitfalls

PAIRS = [
    ((5,), (5, 1)), ((5, 1), (5,)), ((3, 1), (4,)), ((2, 3), (3,)), ((2, 3), (2, 1)), ((2, 3), (4,)),
    ((2, 3), (3, 2)), ((3,), (3,)), ((3,), (4,)), ((1,), (6,)), ((2, 1, 3), (4, 1)), ((2, 3, 4), (4, 2)),
    ((2, 3, 4), (3, 4)), ((1, 5), (5, 1)), ((6, 6), (6, 6)), ((2, 2, 2), (2, 2, 2)), ((4, 3), (3, 4, 1)),
]
OPS = {"+": lambda A, B: A + B, "*": lambda A, B: A * B, "np.dot": np.dot, "@": lambda A, B: A @ B}


def numpy_says(shape_a, shape_b, op):
    A = np.arange(1, np.prod(shape_a) + 1).reshape(shape_a)
    B = 10 * np.arange(1, np.prod(shape_b) + 1).reshape(shape_b)
    try:
        R = OPS[op](A, B)
    except ValueError as err:
        return None, str(err), None
    return np.shape(R), "", np.asarray(R)


def test_doctests():
    assert doctest.testmod(core.lessons.broadcast).failed == 0


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize("shape_a, shape_b", PAIRS)
def test_explorer_matches_numpy_on_the_table(shape_a, shape_b, op):
    shape, error, result = numpy_says(shape_a, shape_b, op)
    r = explore(shape_a, shape_b, op)
    assert r.shape == shape and r.error == error
    if shape is not None:
        np.testing.assert_array_equal(r.result, result)


def test_the_table_includes_successes_and_errors_for_every_op():
    for op in OPS:
        outcomes = [numpy_says(a, b, op)[0] is None for a, b in PAIRS]
        assert any(outcomes) and not all(outcomes)


def test_known_messages_exactly():
    assert explore((2, 3), (4,), "+").error == "operands could not be broadcast together with shapes (2,3) (4,) "
    assert explore((2, 3), (2, 3), "np.dot").error == "shapes (2,3) and (2,3) not aligned: 3 (dim 1) != 2 (dim 0)"
    assert explore((2, 3), (4,), "@").error.startswith("matmul: Input operand 1 has a mismatch in its core dimension 0")


shapes = st.lists(st.integers(1, 6), min_size=1, max_size=3).map(tuple)


@given(shape_a=shapes, shape_b=shapes, op=st.sampled_from(list(OPS)))
def test_explorer_matches_numpy_for_any_allowed_shapes(shape_a, shape_b, op):
    shape, error, _ = numpy_says(shape_a, shape_b, op)
    r = explore(shape_a, shape_b, op)
    assert (r.shape, r.error) == (shape, error)
    if r.ok and op in ("+", "*"):
        # The stretched operands are what numpy used: op on them equals the result, cell by cell.
        np.testing.assert_array_equal(OPS[op](r.stretched_a, r.stretched_b), r.result)
        # Exactly the cells beyond the array's own are copies.
        assert r.copies_a.sum() == np.prod(r.shape) - np.prod(shape_a)
        assert r.copies_b.sum() == np.prod(r.shape) - np.prod(shape_b)


def test_copies_mask_of_a_column_stretched_sideways():
    mask = copies_mask((3, 1), (3, 4))
    assert mask.tolist() == [[False, True, True, True]] * 3
    assert copies_mask((4,), (3, 4)).tolist() == [[False] * 4] + [[True] * 4] * 2


def test_steps_explain_the_stretching():
    steps = explore((3, 1), (4,), "+").steps
    assert steps[0].startswith("B has fewer axes") and "acts like a row" in steps[0]
    assert "B is copied 3 times" in steps[1] and "A is copied 4 times" in steps[2]
    assert "cannot be broadcast" in explore((2, 3), (4,), "+").steps[-1]
    assert "they must be equal" in explore((2, 3), (2, 3), "np.dot").steps[0]


@pytest.mark.parametrize("text, shape", [("(5, 1)", (5, 1)), ("5", (5,)), ("5,", (5,)), (" 2 3 4 ", (2, 3, 4)),
                                         ("[1,6]", (1, 6))])
def test_parse_shape(text, shape):
    assert parse_shape(text) == shape


@pytest.mark.parametrize("text", ["", "a, b", "0", "7", "1,2,3,4", "-1", "2.5", "1e3", "<b>1</b>"])
def test_parse_shape_refuses_in_words(text):
    with pytest.raises(InputError):
        parse_shape(text)


def test_unknown_op_is_refused():
    with pytest.raises(InputError):
        explore((2,), (2,), "/")


def test_rank1_pitfalls_are_what_numpy_does():
    lines = {(line.code, i): line.shape for i, line in enumerate(rank1_pitfalls())}
    table = [line.shape for line in rank1_pitfalls()]
    assert table == ["(5,)", "(5,)", "()", "(5, 5)", "(5, 1)", "(1, 5)", "(5, 5)", "(1, 1)", "(5, 1)", "(5, 1)"]
    assert ("a.T", 1) in lines
    a = np.random.default_rng(0).standard_normal(5)
    assert (a.T == a).all() and np.shape(np.dot(a, a.T)) == ()
    assert [line.shape for line in rank1_pitfalls(3)][3] == "(3, 3)"


@pytest.mark.parametrize("pair", list(itertools.islice(itertools.product([(1,), (6,)], repeat=2), 4)))
def test_smallest_and_largest_rank1(pair):
    assert explore(*pair, "+").ok == (pair[0] == pair[1] or 1 in (pair[0][0], pair[1][0]))


def test_a_stack_mismatch_under_at_is_named():
    """(2, 3, 4) @ (3, 4, 5): numpy refuses (stacks of 2 and 3), while the steps said only "they match" and that
    the stacks broadcast like +."""
    r = explore((2, 3, 4), (3, 4, 5), "@")
    assert not r.ok and "could not be broadcast" in r.error
    assert r.steps[-1].endswith("stacks of 2 and of 3 differ and neither is 1, so they cannot be broadcast.")
    assert explore((2, 3, 4), (1, 4, 5), "@").steps[-1].endswith("broadcasts it like +.")



def test_the_steps_say_whether_two_rank_1_lengths_match_and_what_np_dot_does_without_a_second_stack():
    """Two rank-1 arrays of lengths 2 and 3 read "if both have the same length (2 and 3)" and never said they do
    not; (2, 3, 4) · (4, 5) read "np.dot pairs every stack of A with every stack of B", where B has none."""
    from core.lessons.broadcast import product_steps
    assert product_steps((2,), (3,), "@")[0].endswith("2 and 3 differ, so it cannot be computed.")
    assert product_steps((3,), (3,), "np.dot")[0].endswith("3 and 3, they match.")
    one_stack = product_steps((2, 3, 4), (4, 5), "np.dot")[-1]
    assert one_stack == "With 3 axes, np.dot takes B with each of A's 2 stacks in turn."
    assert product_steps((3, 4), (2, 4, 5), "np.dot")[-1].endswith("takes A with each of B's 2 stacks in turn.")
    assert "every stack of A with every stack of B" in product_steps((2, 3, 4), (2, 4, 5), "np.dot")[-1]


def test_no_step_is_described_after_numpy_refuses_a_product():
    """np.dot (3, 1)·(4,): after "they must be equal, and they are not" the steps went on to "B … is used as a
    column (4, 1) and that axis is dropped from the result", steps numpy never took."""
    for op in ("np.dot", "@"):
        r = explore((3, 1), (4,), op)
        assert not r.ok
        assert len(r.steps) == 1 and r.steps[0].endswith("they must be equal, and they are not.")
    assert any("used as a column" in s for s in explore((3, 4), (4,), "np.dot").steps)    # when it does run
