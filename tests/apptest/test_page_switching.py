"""Going back and forth between pages in one browser session keeps each page's settings and never fails.

Streamlit forgets a page's widget values when another page runs, and Cost basin and Squared error vs log-loss
use some of the same keys (dataset, seed, w0, b0, alpha, steps) with different meanings and ranges.
"""

from streamlit.testing.v1 import AppTest

BASIN, LOSSES, HOME = "pages/basin.py", "pages/losses.py", "pages/home.py"


def fresh():
    at = AppTest.from_file("../../app.py", default_timeout=60)
    at.run()
    return at


def test_basin_losses_basin_and_back_keep_their_settings():
    at = fresh()
    at.switch_page(BASIN).run()
    assert not at.exception
    at.number_input(key="w0").set_value(2.5).run()
    at.slider(key="steps").set_value(100).run()
    at.switch_page(LOSSES).run()
    assert not at.exception
    at.slider(key="steps").set_value(700).run()          # outside the basin's 10..150
    at.slider(key="alpha").set_value(2.0).run()          # a number here, a named rate there
    at.switch_page(HOME).run()
    at.switch_page(BASIN).run()
    assert not at.exception
    assert at.number_input(key="w0").value == 2.5 and at.slider(key="steps").value == 100
    assert at.select_slider(key="alpha").value == "smooth"
    at.switch_page(LOSSES).run()
    assert not at.exception
    assert at.slider(key="steps").value == 700 and at.slider(key="alpha").value == 2.0


def test_losses_twice_in_one_session():
    at = fresh()
    for page in (LOSSES, HOME, LOSSES, BASIN, LOSSES):
        at.switch_page(page).run()
        assert not at.exception, page


def _texts(at):
    return [e.value for kind in ("markdown", "caption", "metric", "latex") for e in at.get(kind)
            if hasattr(e, "value")]


def _opened(page, query):
    at = fresh()
    for k, v in query.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_a_number_typed_with_more_digits_than_the_link_keeps_runs_as_its_link_does():
    """b = 10.5719 typed on the Computation graph ran with 10.5719 while the link said b=10.57: the link opened
    J = −3156 where the sender showed −3157. w₀ = 1.23456 on the Cost basin: the link said 1.235 and the runs
    differed. The page now runs with the value its link keeps, and the link reproduces exactly what it shows."""
    for page, key, typed, kept in (("pages/graph.py", "b", 10.5719, 10.57), ("pages/graph.py", "x1", 1.23456, 1.235),
                                   (BASIN, "w0", 1.23456, 1.235), (BASIN, "b0", -9.87654, -9.877)):
        at = fresh()
        at.switch_page(page).run()
        at.number_input(key=key).set_value(typed).run()
        assert not at.exception
        assert at.session_state[key] == kept and at.query_params[key] == f"{kept:g}"
        link = _opened(page, dict(at.query_params.items()))
        assert link.session_state[key] == kept
        assert _texts(link) == _texts(at), (page, key)


def test_a_slider_value_with_step_arithmetic_is_the_link_value():
    """A slider's step arithmetic can give −5.6000000000000005 where the link says −5.6: the runs then differed
    from the link's in their last bits. The page runs with the link's value."""
    at = fresh()
    at.switch_page(LOSSES).run()
    at.slider(key="w0").set_value(-5.6000000000000005).run()
    assert not at.exception and at.session_state["w0"] == -5.6
