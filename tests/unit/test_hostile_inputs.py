"""Hostile input that once crashed a page or showed nonsense (issue: hardening), each checked in core."""

import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.lessons import classify
from core.lessons.broadcast import parse_shape
from core.markup import escape_markdown, is_plain_text
from core.maths.graph import logistic_example, nudge_check
from core.maths.logistic import MAX_ITERATIONS, MAX_RECORDED, gradient_descent, squashed_update_descent

# ---------------------------------------------------------------- escape_markdown

@pytest.mark.parametrize("text", [
    "[Log in here](https://evil.example)", "![x](https://evil.example/x.png)", "yes\n===", "a\r\n# title",
    "<img src=x onerror=alert(1)>", "$x^2$", ":red[alarm] :material/home:", "www.evil.example", "a@b.example",
    "| a | b |\n|---|---|", "**bold** _it_ ~~gone~~", "`code`", "\u2028- item", "1. first", "> quote",
    "WWW.EVIL.EXAMPLE", "mailto:a@b.example", "http://evil.example",
])
def test_escaped_text_is_plain_text(text):
    assert is_plain_text(escape_markdown(text))
    assert not is_plain_text(text)                # the check is not vacuous: the raw text is markup


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_escapes_to_plain_text_that_reads_the_same(text):
    out = escape_markdown(text)
    assert is_plain_text(out)
    read = re.sub(r"\\(.)", r"\1", out).replace("\u200b", "")    # what markdown shows (zero-width: unseen)
    # the same characters, but line breaks and other control characters, which read as one space each
    assert len(read) == len(text) and all(a == b or a == " " for a, b in zip(read, text, strict=True))


def test_one_definition_of_escape_markdown():
    from ui import common
    assert common.escape_markdown is escape_markdown and classify.escape_markdown is escape_markdown


# ---------------------------------------------------------------- shapes

@pytest.mark.parametrize("text", ["²", "①", "³", "3, ²", "٣", "５", "1e3", "-1", "3.0", "0x3", ""])
def test_shapes_with_unusual_digits_are_refused_with_a_sentence(text):
    with pytest.raises(InputError) as info:
        parse_shape(text, "A")
    assert str(info.value).endswith(".")


def test_a_size_of_many_digits_is_refused_not_crashed():
    with pytest.raises(InputError):
        parse_shape("9" * 400, "A")


# ---------------------------------------------------------------- gradient descent

def tiny_data():
    X = np.array([[0.0, 1.0, 2.0, 3.0]])
    return X, (X > 1.5).astype(float)


@pytest.mark.parametrize("n", [10**12, MAX_ITERATIONS + 1, -1, True, 2.0, "10"])
def test_gradient_descent_refuses_iterations_outside_its_cap(n):
    X, Y = tiny_data()
    with pytest.raises(InputError) as info:
        gradient_descent(np.zeros((1, 1)), 0.0, X, Y, 0.1, n)
    assert "100,000" in str(info.value) or "whole number" in str(info.value)


def test_gradient_descent_allows_the_cap_itself_without_recording():
    X, Y = tiny_data()
    run = gradient_descent(np.zeros((1, 1)), 0.0, X, Y, 0.1, MAX_ITERATIONS, record_params=False, tol=0.0)
    assert run.steps == MAX_ITERATIONS


def test_recording_too_many_numbers_is_refused_before_allocating():
    n_x = 1000
    X, Y = np.zeros((n_x, 4)), np.array([[0.0, 1.0, 0.0, 1.0]])
    with pytest.raises(InputError, match="too much memory"):
        gradient_descent(np.zeros((n_x, 1)), 0.0, X, Y, 0.1, MAX_RECORDED // n_x)


def test_squashed_update_descent_is_capped_too():
    X, Y = tiny_data()
    with pytest.raises(InputError):
        squashed_update_descent(np.zeros((1, 1)), 0.0, X, Y, 0.1, 10**12)


# ---------------------------------------------------------------- model files

def model_doc(**changes):
    doc = json.loads(classify.model_to_json(classify.Model(w=np.ones((12, 1)), b=0.5, num_px=2, channels=3,
                                                 class_names=("cat", "dog"), settings={"alpha": 0.1})))
    doc.update(changes)
    return doc


HUGE = 10**400  # 401 digits: a valid JSON integer, too large for a float


@pytest.mark.parametrize("changes", [
    {"b": HUGE}, {"b": -HUGE}, {"w": [HUGE] + [1] * 11}, {"settings": {"alpha": HUGE}},
    {"settings": {"lambd": 10**4000}}, {"settings": {"iterations": HUGE}},
    {"w": [1.7e308, -1.7e308] * 6}, {"b": 1e300}, {"w": [1e7] + [0.0] * 11}, {"settings": {"alpha": 1e300}},
])
def test_absurd_numbers_in_a_model_file_are_refused_with_one_sentence(changes):
    with pytest.raises(InputError) as info:
        classify.model_from_json(json.dumps(model_doc(**changes)).encode())
    message = str(info.value)
    assert message.endswith(".") and "\n" not in message and len(message) < 200


@settings(max_examples=100, deadline=None)
@given(w=st.lists(st.one_of(st.integers(-10**500, 10**500), st.floats(allow_nan=False, allow_infinity=False)),
                  min_size=12, max_size=12),
       b=st.one_of(st.integers(-10**500, 10**500), st.floats(allow_nan=False, allow_infinity=False)),
       alpha=st.one_of(st.integers(-10**500, 10**500), st.floats(allow_nan=False, allow_infinity=False)))
def test_model_import_fuzz_numbers(w, b, alpha):
    """Any numbers: either a model whose output is a real probability, or one plain sentence."""
    try:
        model = classify.model_from_json(json.dumps(model_doc(w=w, b=b, settings={"alpha": alpha})).encode())
    except InputError as err:
        assert str(err).endswith(".") and "\n" not in str(err)
        return
    a = classify.predict_proba(model.w, model.b, np.ones((12, 1)))
    assert np.all(np.isfinite(a)) and np.all((a >= 0) & (a <= 1))


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-10**400, 10**400), st.floats(),
                              st.text(max_size=30)),
                    lambda kids: st.one_of(st.lists(kids, max_size=6),
                                           st.dictionaries(st.text(max_size=10), kids, max_size=6)),
                    max_leaves=30),
       st.sampled_from(["format", "version", "num_px", "channels", "class_names", "w", "b", "settings"]))
def test_model_import_fuzz_any_json_in_any_field(value, key):
    doc = model_doc()
    doc[key] = value
    try:
        data = json.dumps(doc).encode()
    except ValueError:
        return
    try:
        classify.model_from_json(data)
    except InputError as err:
        assert str(err).endswith(".") and "\n" not in str(err)


# ---------------------------------------------------------------- the computation graph, saturated

def test_a_saturated_sigmoid_keeps_its_loss_and_derivatives():
    # Inside the page's ranges: z = 10·10 + 10·10 + 10 = 210, so a = σ(210) is exactly 1.0 in float64.
    g = logistic_example(x1=10, x2=10, w1=10, w2=10, b=10, y=0)
    assert g.value("a") == 1.0
    assert g.out.data == pytest.approx(210.0)                 # L = log(1 + e^z) ≈ z, not infinity
    assert g.grad("z") == pytest.approx(1.0)                  # dz = a − y
    assert g.grad("w1") == pytest.approx(10.0) and g.grad("b") == pytest.approx(1.0)
    assert "within" in g.notes["a"] and "σ(−z)" in g.notes["a"]
    right = logistic_example(x1=10, x2=10, w1=10, w2=10, b=10, y=1)
    assert 0.0 < right.out.data == pytest.approx(math.exp(-210.0), rel=1e-9)   # tiny, not 0 and not nan


def test_saturated_nudges_are_nan_only_where_the_loss_is_undefined():
    rows = {r.name: r for r in nudge_check(logistic_example, dict(x1=10, x2=10, w1=10, w2=10, b=10, y=0))}
    assert math.isnan(rows["a"].numerical)                    # a + ε > 1: no log-loss there
    for name in ("w1", "w2", "b", "x1", "x2", "z"):
        assert rows[name].centred == pytest.approx(rows[name].analytic, rel=1e-6)


@settings(max_examples=200, deadline=None)
@given(*[st.floats(-10, 10) for _ in range(5)], st.sampled_from([0, 1]))
def test_the_logistic_example_is_finite_everywhere_in_the_pages_ranges(x1, x2, w1, w2, b, y):
    g = logistic_example(x1=x1, x2=x2, w1=w1, w2=w2, b=b, y=y)
    assert all(math.isfinite(n.data) and math.isfinite(n.grad) for n in g.nodes)
    z = g.value("z")
    assert g.grad("z") == pytest.approx((1 / (1 + math.exp(-z)) if z > -700 else 0.0) - y, abs=1e-12)


def test_an_unsaturated_example_has_no_saturation_note():
    assert "a" not in logistic_example().notes
