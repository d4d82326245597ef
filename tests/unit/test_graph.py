"""The computation-graph lesson: exact derivatives of J = 3(a + bc), the logistic example against the course's
formulas, nudges against finite differences, and the step-through snapshots."""

import doctest
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core.maths.graph
from core.errors import InputError
from core.maths.graph import (
    Node,
    backward_steps,
    edge_label,
    forward_steps,
    logistic_example,
    nudge_check,
    nudge_table,
    reveal_steps,
    three_a_plus_bc,
)


def close(numerical, analytic, rel=1e-6, floor=1e-9):
    """Within 1e-6 relative (with a tiny absolute floor, for derivatives that are exactly 0)."""
    return abs(numerical - analytic) <= rel * max(abs(analytic), floor / rel)


def test_doctests():
    assert doctest.testmod(core.maths.graph).failed == 0


def test_forward_values_at_the_course_defaults():
    g = three_a_plus_bc(5, 3, 2)
    assert (g.value("u"), g.value("v"), g.value("J")) == (6.0, 11.0, 33.0)


def test_backward_derivatives_exactly():
    g = three_a_plus_bc(5, 3, 2)
    grads = {name: g.grad(name) for name in ("v", "a", "u", "b", "c")}
    assert grads == {"v": 3.0, "a": 3.0, "u": 3.0, "b": 6.0, "c": 9.0}
    assert g.grad("b") == 3 * g.value("c") and g.grad("c") == 3 * g.value("b")


@given(a=st.floats(-100, 100), b=st.floats(-100, 100), c=st.floats(-100, 100))
def test_derivatives_follow_the_formulas_anywhere(a, b, c):
    g = three_a_plus_bc(a, b, c)
    assert g.value("J") == 3 * (a + b * c)
    assert (g.grad("a"), g.grad("u"), g.grad("v")) == (3.0, 3.0, 3.0)
    assert g.grad("b") == 3 * c and g.grad("c") == 3 * b


def test_micrograd_style_nodes():
    x, y = Node(2.0, "x"), Node(-4.0, "y")
    out = (x * y + x) * 3                      # 3(xy + x)
    out.backward()
    assert out.data == -18.0
    assert x.grad == 3 * (y.data + 1) and y.grad == 3 * x.data
    assert out._op == "×3" and {n.name for n in out.topological()} >= {"x", "y"}
    assert [n._op for n in out._prev] == ["+"]


def test_backward_pass_twice_gives_the_same_grads():
    g = three_a_plus_bc()
    g.out.backward()
    assert g.grad("c") == 9.0


def test_logistic_example_matches_the_course_formulas():
    p = dict(x1=1.0, x2=2.0, w1=0.3, w2=-0.1, b=0.1, y=1.0)
    g = logistic_example(**p)
    z = 0.3 * 1.0 - 0.1 * 2.0 + 0.1
    a = 1 / (1 + math.exp(-z))
    assert g.value("z") == pytest.approx(z, abs=1e-15)
    assert g.value("a") == pytest.approx(a, rel=1e-15)
    assert g.value("L") == pytest.approx(-math.log(a), rel=1e-14)
    dz = a - 1.0
    assert g.grad("a") == pytest.approx(-1 / a, rel=1e-14)
    assert g.grad("z") == pytest.approx(dz, rel=1e-12)
    assert g.grad("w1") == pytest.approx(1.0 * dz, rel=1e-12)
    assert g.grad("w2") == pytest.approx(2.0 * dz, rel=1e-12)
    assert g.grad("b") == pytest.approx(dz, rel=1e-12)


def test_logistic_example_agrees_with_propagate():
    """The same numbers as the course's vectorised propagate with m = 1."""
    from core.maths.logistic import propagate
    g = logistic_example(x1=0.7, x2=-1.3, w1=1.5, w2=0.4, b=-0.2, y=0.0)
    grads, cost = propagate(np.array([[1.5], [0.4]]), -0.2, np.array([[0.7], [-1.3]]), np.array([[0.0]]))
    assert g.value("L") == pytest.approx(cost, rel=1e-12)
    assert [g.grad("w1"), g.grad("w2")] == pytest.approx(grads["dw"].ravel().tolist(), rel=1e-12)
    assert g.grad("b") == pytest.approx(grads["db"], rel=1e-12)


def test_nudges_at_the_defaults():
    rows = {r.name: r for r in nudge_check(three_a_plus_bc, dict(a=5, b=3, c=2), 1e-3)}
    assert set(rows) == {"a", "b", "c", "u", "v"}
    for r in rows.values():
        assert close(r.centred, r.analytic)
        assert close(r.numerical, r.analytic)        # J is linear in each input: even one-sided is exact
        assert r.J_nudged == pytest.approx(33 + r.analytic * 1e-3, abs=1e-12)
    lrows = nudge_check(logistic_example, core.maths.graph.LOGISTIC_DEFAULTS, 1e-4)
    for r in lrows:
        assert close(r.centred, r.analytic), r
        assert abs(r.difference) < 1e-3                # one-sided: off by about ε × curvature / 2


finite = dict(allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(a=st.floats(-100, 100, **finite), b=st.floats(-100, 100, **finite), c=st.floats(-100, 100, **finite))
def test_nudges_at_random_points_j(a, b, c):
    for r in nudge_check(three_a_plus_bc, dict(a=a, b=b, c=c), 1e-3):
        # J is bilinear, so the centred difference is exact up to rounding of J (about 1e-16 × |J| / ε).
        assert abs(r.centred - r.analytic) <= 1e-6 * max(abs(r.analytic), 1.0)


@settings(max_examples=60, deadline=None)
@given(x1=st.floats(-2, 2), x2=st.floats(-2, 2), w1=st.floats(-2, 2), w2=st.floats(-2, 2),
       b=st.floats(-2, 2), y=st.sampled_from([0.0, 1.0]))
def test_nudges_at_random_points_logistic(x1, x2, w1, w2, b, y):
    params = dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b, y=y)
    g = logistic_example(**params)
    names = ("x1", "x2", "w1", "w2", "b", "z")
    for r in nudge_check(logistic_example, params, 1e-5, names=names):
        assert close(r.centred, r.analytic, floor=1e-8), r
    # a lives in (0, 1): nudge it by a step small next to its distance from 0 and 1.
    a = g.value("a")
    (ra,) = nudge_check(logistic_example, params, 1e-3 * min(a, 1 - a), names=("a",))
    assert close(ra.centred, ra.analytic, floor=1e-8), ra


def test_a_nudge_that_leaves_0_1_gives_nan_not_an_error():
    (r,) = nudge_check(logistic_example, dict(x1=2, x2=2, w1=5, w2=5, b=5, y=1), 0.5, names=("a",))
    assert math.isnan(r.numerical) and math.isnan(r.centred)


def test_only_the_side_of_a_nudge_that_leaves_0_1_has_no_value_and_the_page_says_why():
    """a = 1.0e−07 (y = 0, x1 = 4, w1 = −4): a − ε leaves (0, 1), a + ε does not. The one-sided column needs only
    a + ε, so it keeps its number (it was nan too); the note names the side and the log that has no value."""
    params = dict(x1=4, w1=-4, y=0)
    g = logistic_example(**params)
    (r,) = nudge_check(logistic_example, params, 1e-3, names=("a",))
    a = g.value("a")
    assert math.isnan(r.centred) and math.isfinite(r.numerical) and math.isfinite(r.J_nudged)
    assert r.J_nudged == pytest.approx(-math.log(1 - (a + 1e-3)), rel=1e-12)          # L(a + ε, y = 0), by hand
    note = core.maths.graph.undefined_note(g, [r], 1e-3)
    assert note.startswith("nan: a − ε = −0.001 is outside (0, 1), and the log-loss needs log a,")
    assert "the centred column shows nan for a" in note and "a + ε" not in note
    assert core.maths.graph.undefined_note(g, nudge_check(logistic_example, params, 1e-8, names=("a",)), 1e-8) == ""


def test_no_smaller_nudge_is_promised_when_none_the_page_allows_would_do():
    """z = 37: a is within 8.5e−17 of 1, so even ε = 1e−6, the smallest the page takes, leaves (0, 1); the note said
    "A smaller ε keeps the nudge inside (0, 1)"."""
    params = dict(x1=10, x2=3.7, w1=0, w2=10, b=0, y=1)
    g = logistic_example(**params)
    for eps in (1e-3, 1e-6):
        note = core.maths.graph.undefined_note(g, nudge_check(logistic_example, params, eps, names=("a",)), eps)
        assert "A smaller ε" not in note
        # (it ended "of 0 or 1 …: every nudge leaves (0, 1)", though a − ε is inside: only a + ε leaves)
        assert note.endswith("Here the node is within 8.5e−17 of 1, closer than the smallest ε, 1e−06: a + ε leaves "
                             "(0, 1) past 1 for every ε the page allows.")
    params = dict(x1=4, w1=4)                               # z = 15.9: 1 − a = 1.2e−07, still closer than 1e−6
    note = core.maths.graph.undefined_note(logistic_example(**params), nudge_check(
        logistic_example, params, 1e-3, names=("a",)), 1e-3)
    assert "a + ε leaves (0, 1) past 1 for every ε the page allows" in note
    params = dict(x1=2, w1=4)                               # z = 7.9: 1 − a = 3.7e−04, ε = 1e−3 leaves, 1e−4 does not
    note = core.maths.graph.undefined_note(logistic_example(**params), nudge_check(
        logistic_example, params, 1e-3, names=("a",)), 1e-3)
    assert note.endswith("A smaller ε keeps the nudge inside (0, 1).")


def test_near_0_only_the_nudge_down_is_said_to_leave_0_1():
    """x1 = x2 = 10, w1 = w2 = b = −10, y = 1 (z = −210): a + ε is inside (0, 1) and its row has a value, but the
    note said "every nudge leaves (0, 1)"."""
    params = dict(x1=10, x2=10, w1=-10, w2=-10, b=-10, y=1)
    rows = nudge_check(logistic_example, params, 1e-3)
    a = next(r for r in rows if r.name == "a")
    assert math.isfinite(a.J_nudged) and math.isnan(a.centred)
    note = core.maths.graph.undefined_note(logistic_example(**params), rows, 1e-3)
    assert "every nudge" not in note and "a + ε" not in note
    assert note.endswith("Here the node is within 6.3e−92 of 0, closer than the smallest ε, 1e−06: a − ε leaves "
                         "(0, 1) past 0 for every ε the page allows.")


def test_a_is_shown_with_the_digits_that_tell_it_from_y():
    """z = 15.9: "This is a − y = 1 − 1" stood beside dz = −1.244e−07."""
    g = logistic_example(x1=4, w1=4)
    assert "This is a − y = 0.99999987563 − 1:" in g.notes["z"]
    assert "This is a − y = 0.5498 − 1:" in logistic_example().notes["z"]


@pytest.mark.parametrize("x2, dz_text", [(3.0, "−9.358e−14"), (3.7, "−8.533e−17"), (10.0, "−3.72e−44")])
def test_a_minus_y_beside_dz_is_the_same_number_however_close_a_is_to_1(x2, dz_text):
    """y = 1, z = 10·x2 = 30, 37, 100 (x1 = 10, w1 = 0, w2 = 10): a float64 cannot keep a − 1 so close to 1. It read
    "a − y = 1 − 1" beside dz = −8.533e−17 (z = 37), and 0.99999999999990652 − 1 (= −9.348e−14) beside −9.358e−14."""
    g = logistic_example(x1=10, x2=x2, w1=0, w2=10, b=0, y=1)
    z = g.value("z")
    assert core.maths.graph._fmt(g.grad("z")) == core.maths.graph._fmt(-1 / (1 + math.exp(z))) == dz_text
    assert f"This is a − y = −(1 − a) = −σ(−z) = {dz_text}:" in g.notes["z"]


def test_the_saturation_note_says_what_a_computer_stores():
    """z = −210: 'a computer keeps about 16 digits and shows a = 6.283e−92' (a tiny a is stored as it is: the
    16 digits matter only near 1); z = 30: 'shows a = 1', though a computer stores 0.99999999999990652."""
    low = logistic_example(x1=-10, x2=10, w1=10, w2=-10, b=-10, y=1).notes["a"]
    assert low.startswith("Here z = −210, so a = σ(z) = 6.283e−92 is within 6.3e−92 of 0.") and "16 digits" not in low
    mid = logistic_example(x1=10, x2=3, w1=0, w2=10, b=0, y=1).notes["a"]
    assert "within 9.4e−14 of 1: a computer keeps about 16 digits and stores a = 0.99999999999990652, shown as 1" in mid
    high = logistic_example(x1=10, x2=10, w1=10, w2=10, b=10, y=1).notes["a"]
    assert "within 6.3e−92 of 1: a computer keeps about 16 digits and stores a = 1 exactly." in high


def test_whole_numbers_in_the_steps_have_real_minus_signs():
    """'w2 = -10' and 'dz = -1' beside '−0.4502' and '6.3e-92' beside '6.283e−92'."""
    g = logistic_example(x1=-10, x2=10, w1=10, w2=-10, b=-10, y=1)
    text = " ".join(s.explanation for s in forward_steps(g) + backward_steps(g))
    assert not re.search(r"-\d", text) and "w2 = −10" in text and "= −1." in text
    assert edge_label(g, "x1", "z")[2] == "−1 × 10 = −10"


def test_a_nudged_output_shows_its_change():
    """a = b = c = 100, ε = 1e−6: J(θ + ε) read 30300 on every row (8 significant digits)."""
    rows = nudge_check(three_a_plus_bc, dict(a=100, b=100, c=100), 1e-6)
    table = nudge_table(rows, "J", J0=30300.0)
    shown = {row["node"]: row["J(θ + ε)"] for row in table}
    assert shown["b"] == "30300.0003" and shown["a"] == "30300.000003"
    assert all(float(v) != 30300.0 for v in shown.values())
    assert core.maths.graph.rounding_note(30300.0, 1e-6).endswith("about 7e-06 in the last columns (a larger ε, or "
                                                                  "a smaller J, makes it vanish).")
    assert core.maths.graph.rounding_note(33.0, 1e-3) == ""


def test_rounding_that_shows_in_a_small_derivative_is_explained():
    """a = b = −100, c = 0.001, ε = 1e−6: J is linear in b, so its nudges are exact but for rounding, yet the table
    read db = 0.003, centred 0.0029999967, one-sided 0.00299997, and no sentence said why."""
    params = dict(a=-100, b=-100, c=0.001)
    rows = nudge_check(three_a_plus_bc, params, 1e-6)
    J0 = three_a_plus_bc(**params).out.data
    b = next(line for line in nudge_table(rows, "J", J0=J0) if line["node"] == "b")
    assert b["analytic (backward pass)"] == "0.003" and b["centred (θ ± ε)"] != "0.003"
    note = core.maths.graph.rounding_note(J0, 1e-6, "J", [r.analytic for r in rows])
    assert note.startswith("Here rounding shows too: J is kept to about 16 significant digits")
    # at the defaults nothing shows, with or without the derivatives
    rows = nudge_check(three_a_plus_bc, dict(a=5, b=3, c=2), 1e-3)
    assert core.maths.graph.rounding_note(33.0, 1e-3, "J", [r.analytic for r in rows]) == ""


@pytest.mark.parametrize("bad", [{"a": math.nan}, {"b": 1e9}, {"c": "x"}])
def test_bad_inputs_are_refused_in_words(bad):
    with pytest.raises(InputError):
        three_a_plus_bc(**{"a": 5, "b": 3, "c": 2, **bad})


def test_bad_nudge_and_label_are_refused():
    with pytest.raises(InputError, match="nudge"):
        nudge_check(three_a_plus_bc, {}, 0.0)
    with pytest.raises(InputError, match="label y"):
        logistic_example(y=0.5)


def test_forward_steps_fill_values_in_order():
    steps = forward_steps(three_a_plus_bc())
    assert [s.active for s in steps] == ["", "u", "v", "J"]
    assert steps[0].values == {"a": 5, "b": 3, "c": 2}
    assert steps[-1].values["J"] == 33 and all(not s.grads for s in steps)
    assert "u = 6" in steps[1].explanation


def test_backward_steps_follow_the_course_order_with_chain_rule_products():
    g = three_a_plus_bc()
    steps = backward_steps(g)
    assert [s.active for s in steps] == ["J", "v", "a", "u", "b", "c"]
    assert [steps[i].grads[s.active] for i, s in enumerate(steps)] == [1, 3, 3, 3, 6, 9]
    assert steps[-1].explanation == "Chain rule: du × ∂u/∂c = 3 × 3 (= b) = 9."
    assert set(steps[-1].edges) == {("v", "J"), ("a", "v"), ("u", "v"), ("b", "u"), ("c", "u")}


def test_every_edge_label_is_a_true_chain_rule_product():
    g = three_a_plus_bc()
    assert edge_label(g, "b", "u") == ("∂u/∂b = c = 2", "du · c", "3 × 2 = 6")
    assert edge_label(g, "c", "u") == ("∂u/∂c = b = 3", "du · b", "3 × 3 = 9")
    assert edge_label(g, "v", "J")[2] == "1 × 3 = 3"
    for child, parent, local, _ in g.edges():
        assert parent.grad * local == child.grad        # each node here has exactly one consumer


def test_logistic_backward_says_dz_is_a_minus_y():
    g = logistic_example()
    steps = {s.active: s for s in backward_steps(g)}
    assert "a − y" in steps["z"].explanation
    assert [s.active for s in backward_steps(g)][:6] == ["L", "a", "z", "w1", "w2", "b"]


def test_the_nudge_table_hides_what_the_step_hides():
    """The page's table once listed every derivative at step 1, while the graph above still showed "?"."""
    g = three_a_plus_bc()
    rows = nudge_check(three_a_plus_bc, dict(a=5, b=3, c=2))
    steps = forward_steps(g) + backward_steps(g)
    for step in steps:
        for line in nudge_table(rows, "J", shown=step.grads):
            numbers = [v for k, v in line.items() if k != "node"]
            assert len(numbers) == 5
            if line["node"] in step.grads:
                assert "?" not in numbers
            else:
                assert set(numbers) == {"?"}
    first = nudge_table(rows, "J", shown=steps[0].grads)
    assert [line["node"] for line in first] == ["a", "b", "c", "u", "v"] and all(
        line["analytic (backward pass)"] == "?" for line in first)
    last = {line["node"]: line for line in nudge_table(rows, "J", shown=steps[-1].grads)}
    assert last["b"]["analytic (backward pass)"] == "6" and last["b"]["J(θ + ε)"] == "33.006"
    assert nudge_table(rows, "J") == nudge_table(rows, "J", shown=steps[-1].grads)     # None: all shown


def test_reveal_steps_count_as_the_page_does():
    assert reveal_steps(three_a_plus_bc()) == {"J": 5, "v": 6, "a": 7, "u": 8, "b": 9, "c": 10}
    at = reveal_steps(logistic_example())
    assert at["L"] == 5 and max(at.values()) == 12


def test_the_forward_step_for_l_names_the_label_it_uses():
    """"L(a, y), using a = 0.5498: L = 0.5981" did not say which y, and L is 0.5981 for y = 1, 0.7981 for y = 0."""
    from core.maths.graph import forward_steps, logistic_example
    for y, L in ((1, "0.5981"), (0, "0.7981")):
        assert forward_steps(logistic_example(y=y))[-1].explanation == \
            f"L(a, y), using a = 0.5498 and the label y = {y}: L = {L}."


def test_the_steps_list_inputs_in_the_order_the_graph_draws_them():
    """The step text listed w1, w2, b, x1, x2 beside a graph drawn x1, w1, x2, w2, b (top to bottom)."""
    g = logistic_example()
    drawn = [name for name, _ in sorted(g.positions.items(), key=lambda kv: -kv[1][1]) if name in g.inputs]
    assert drawn == ["x1", "w1", "x2", "w2", "b"]
    first, z = forward_steps(g)[:2]
    assert first.explanation == "We know only the inputs: x1 = 1, w1 = 0.3, x2 = 2, w2 = −0.1, b = 0.1."
    assert "using x1 = 1, w1 = 0.3, x2 = 2, w2 = −0.1, b = 0.1:" in z.explanation
    assert forward_steps(three_a_plus_bc())[0].explanation == "We know only the inputs: a = 5, b = 3, c = 2."


def test_the_worked_nudge_uses_real_minus_signs():
    """"moves J from -300.3" used a hyphen where the page writes "−" everywhere else."""
    params = dict(a=-100.0, b=2.0, c=-100.0)
    g = three_a_plus_bc(**params)
    db = next(r for r in nudge_check(three_a_plus_bc, params, 1e-3) if r.name == "b")
    text = core.maths.graph.nudge_example(db, g.out.data, 1e-3)
    assert text == "For example, b → b + 0.001 moves J from −900 to −900.3: a change of −0.3 ≈ db × ε = −300 × 0.001."
