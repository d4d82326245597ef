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
