"""The three lessons pages in a real browser: they render, their controls work, no console errors."""

import pytest

from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_console_errors, save_screenshot, wait_for_app, wait_for_charts
from tests.e2e.helpers import SCREENSHOTS
from tests.e2e.helpers import open_page as open_in


@pytest.fixture(scope="module", autouse=True)
def warm_server(browser, base_url):
    """Open Home once first. On a freshly started server, the very first direct link to a sub-page sometimes
    races the app's first st.navigation run, and Streamlit shows a "Page not found" dialog over the right
    page (seen with other pages too, e.g. /basin); a server that has run once does not."""
    page = browser.new_page()
    open_in(page, base_url, "")
    page.close()


def _chart_shot(page, index, name):
    """A screenshot of one chart (the page scrolls inside Streamlit, so a full-page shot shows only the top)."""
    chart = page.get_by_test_id("stPlotlyChart").nth(index)
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _chart_data(page, index=0):
    wait_for_charts(page)
    return page.evaluate(f"document.querySelectorAll('.js-plotly-plot')[{index}].data")


def test_computation_graph_steps_to_the_end_of_the_backward_pass(open_page, console_errors):
    page = open_page("graph")
    assert page.get_by_test_id("stException").count() == 0
    save_screenshot(page, "lessons-graph-start")
    next_button = page.get_by_role("button", name="Next ▶").first
    info_box = page.get_by_test_id("stAlert").first
    for k in range(2, 11):
        next_button.click()
        expect(info_box).to_contain_text(f"step {k} of 10")
    wait_for_app(page)
    info = info_box.inner_text()
    assert "step 10 of 10" in info and "dc = dJ/dc" in info and "= 9" in info
    nodes = _chart_data(page, 0)[0]
    assert [t.split("<br>")[1] for t in nodes["text"]] == ["5", "3", "2", "6", "11", "33"]
    page.get_by_test_id("stPlotlyChart").first.scroll_into_view_if_needed()
    save_screenshot(page, "lessons-graph-backward")
    _chart_shot(page, 0, "lessons-graph-chart")
    _chart_shot(page, 1, "lessons-graph-logistic")
    assert page.get_by_test_id("stException").count() == 0
    assert_no_console_errors(console_errors)


def test_vectorisation_measures_and_draws(open_page, console_errors):
    page = open_page("vectorisation?n=100000&cap=2")
    page.get_by_role("button", name="Measure").click()
    wait_for_app(page)
    page.get_by_test_id("stMetric").first.wait_for()
    assert "ratio" in page.get_by_test_id("stMetric").nth(2).inner_text()
    save_screenshot(page, "lessons-vectorisation")
    _chart_shot(page, 0, "lessons-vectorisation-bars")
    _chart_shot(page, 1, "lessons-vectorisation-lines")
    _chart_shot(page, 2, "lessons-broadcast")
    assert page.get_by_test_id("stException").count() == 0
    assert_no_console_errors(console_errors)


def test_broadcasting_error_is_numpy_s_own(open_page, console_errors):
    page = open_page("vectorisation?shape_a=2,3&shape_b=4")
    alert = page.get_by_test_id("stAlert").filter(has_text="numpy refuses")
    assert "operands could not be broadcast together with shapes (2,3) (4,)" in alert.inner_text()
    alert.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "lessons-broadcast-error.png"))
    assert page.get_by_test_id("stException").count() == 0
    assert_no_console_errors(console_errors)


def test_activations_page(open_page, console_errors):
    page = open_page("activations?z=-2")
    data = _chart_data(page, 0)
    assert len([t for t in data if t.get("name") == "g(z)"]) == 4
    save_screenshot(page, "lessons-activations")
    _chart_shot(page, 0, "lessons-activations-chart")
    assert page.get_by_test_id("stException").count() == 0
    assert_no_console_errors(console_errors)
