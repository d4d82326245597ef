"""The three lessons pages in a real browser: they render, their controls work, no console errors."""

import pytest
from playwright.sync_api import expect

from core.lessons.broadcast import rank1_pitfalls
from tests.e2e.helpers import (
    SCREENSHOTS,
    assert_no_console_errors,
    save_screenshot,
    wait_for_app,
    wait_for_charts,
    wait_until,
)
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
    chart = page.locator("[data-testid=stPlotlyChart]:visible").nth(index)   # of the charts shown at this width
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _chart_data(page, index=0, until="(data, want) => true", want=None):
    """The index-th shown chart's traces, once the JavaScript predicate `until(data, want)` holds for them
    (polled for at most 30 s; the caller asserts on what is returned). A chart drawn for the other side of
    640 px (a "wide_" or "phone_" container, ui.classroom.BASE_CSS) is not shown, and not counted."""
    wait_for_charts(page)
    chart = f"[...document.querySelectorAll('.js-plotly-plot')].filter(el => el.offsetParent !== null)[{index}]"
    wait_until(page, f"w => {{ const el = {chart}; return !!(el && el.data) && ({until})(el.data, w); }}",
               want)
    return page.evaluate(f"{chart}.data")


def test_computation_graph_steps_to_the_end_of_the_backward_pass(open_page, console_errors):
    page = open_page("graph")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    save_screenshot(page, "lessons-graph-start")
    next_button = page.get_by_role("button", name="Next ▶").first
    info_box = page.get_by_test_id("stAlert").first
    for k in range(2, 11):
        next_button.click()
        expect(info_box).to_contain_text(f"step {k} of 10")
        wait_for_app(page)
    for part in ("step 10 of 10", "dc = dJ/dc", "= 9"):
        expect(info_box).to_contain_text(part)
    values = ["5", "3", "2", "6", "11", "33"]
    nodes = _chart_data(page, 0, "(d, want) => d[0].text.map(t => t.split('<br>')[1]).join() === want.join()",
                        values)[0]
    assert [t.split("<br>")[1] for t in nodes["text"]] == values
    page.get_by_test_id("stPlotlyChart").first.scroll_into_view_if_needed()
    save_screenshot(page, "lessons-graph-backward")
    _chart_shot(page, 0, "lessons-graph-chart")
    _chart_shot(page, 1, "lessons-graph-logistic")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert_no_console_errors(console_errors)


def test_vectorisation_measures_and_draws(open_page, console_errors):
    page = open_page("vectorisation?n=100000&cap=2")
    page.get_by_role("button", name="Measure").click()
    expect(page.get_by_test_id("stMetric").nth(2)).to_contain_text("ratio", timeout=60_000)
    wait_for_app(page)
    save_screenshot(page, "lessons-vectorisation")
    _chart_shot(page, 0, "lessons-vectorisation-bars")
    _chart_shot(page, 1, "lessons-vectorisation-lines")
    _chart_shot(page, 2, "lessons-broadcast")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert_no_console_errors(console_errors)


def test_broadcasting_error_is_numpy_s_own(open_page, console_errors):
    page = open_page("vectorisation?shape_a=2,3&shape_b=4")
    alert = page.get_by_test_id("stAlert").filter(has_text="numpy refuses")
    expect(alert).to_contain_text("operands could not be broadcast together with shapes (2,3) (4,)")
    alert.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "lessons-broadcast-error.png"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert_no_console_errors(console_errors)


def test_activations_page(open_page, console_errors):
    page = open_page("activations?z=-2")
    # sigmoid, tanh, ReLU, linear and leaky ReLU (added: the course covers it, issue 12)
    data = _chart_data(page, 0, "(d, want) => d.filter(t => t.name === 'g(z)').length === want", 5)
    assert len([t for t in data if t.get("name") == "g(z)"]) == 5
    save_screenshot(page, "lessons-activations")
    _chart_shot(page, 0, "lessons-activations-chart")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert_no_console_errors(console_errors)


# A table that scrolls sideways hides columns: at 390 px the nudge tables hid "difference" and "centred", the
# pitfall table its "what to notice" column. Every element of a shown table that scrolls (glide's canvas scroller,
# st.table's wrapper) holds its content without scrolling, and the table ends inside the window.
_SIDEWAYS = """() => [...document.querySelectorAll('[data-testid=stDataFrame], [data-testid=stTable]')]
    .filter(t => t.offsetParent !== null)
    .flatMap(t => [
        ...(t.getBoundingClientRect().right > window.innerWidth + 1 ? [`${t.dataset.testid} past the window`] : []),
        ...[...t.querySelectorAll('*')]
            .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
                         && e.scrollWidth > e.clientWidth + 1)
            .map(e => `${t.dataset.testid} ${e.tagName}.${e.className}: ${e.scrollWidth} > ${e.clientWidth}`)])"""


def _visible_tables_text(page):
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid=stTable]')]
        .filter(t => t.offsetParent !== null).map(t => t.innerText).join(' ')""")


def test_on_a_phone_the_nudge_tables_show_every_column(open_page, console_errors):
    """At 390 px both nudge tables (six columns, 550 px) scrolled sideways, hiding "difference" and "centred". There
    each is two narrow tables, none scrolling; a laptop keeps the six-column tables (and no narrow one)."""
    page = open_page("graph?j_step=10&l_step=12")
    page.set_viewport_size({"width": 390, "height": 844})
    wait_until(page, "() => [...document.querySelectorAll('[data-testid=stTable]')]"
                     ".filter(t => t.offsetParent !== null).length === 4")
    assert page.evaluate(_SIDEWAYS) == []
    shown = _visible_tables_text(page)
    for header in ("backward pass", "centred", "J(θ + ε)", "L(θ + ε)", "one-sided", "difference"):
        assert header in shown
    assert "0.59768883" in shown and "-0.45016601" in shown                # L(θ + ε) and centred of w1
    save_screenshot(page, "lessons-graph-nudges-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page("graph?j_step=10&l_step=12")          # loaded at this width (a resized grid keeps its old width)
    wait_until(page, "() => [...document.querySelectorAll('[data-testid=stDataFrame]')]"
                     ".filter(t => t.offsetParent !== null).length === 2")
    assert _visible_tables_text(page) == "" and page.evaluate(_SIDEWAYS) == []
    assert_no_console_errors(console_errors)


def test_on_a_phone_the_pitfall_notes_are_whole(open_page, console_errors):
    """At 390 px the pitfall table cut its "what to notice" column, the one that carries the lesson, off. Now no
    table scrolls sideways, and every note of the pitfall is on the page inside the window."""
    page = open_page("vectorisation")
    page.set_viewport_size({"width": 390, "height": 844})
    for line in rank1_pitfalls():
        note = page.get_by_text(line.comment).filter(visible=True)
        expect(note).to_have_count(1)
        box = note.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, line.comment
    assert page.evaluate(_SIDEWAYS) == []
    assert_no_console_errors(console_errors)


def test_on_a_phone_the_shapes_of_z_are_readable(open_page, console_errors):
    """At 390 px the shapes line under Z = wᵀX + b, "w: (n_x, 1), X: (n_x, m), Z: (1, m)", was about 9 px high
    (n_x's subscript, in the formula). Every letter of it is at least 12 px."""
    page = open_page("vectorisation")
    page.set_viewport_size({"width": 390, "height": 844})
    wait_for_app(page)
    sizes = page.evaluate("""() => {
        const block = [...document.querySelectorAll('[data-testid=stMarkdownContainer], .katex-display')]
            .filter(e => e.offsetParent !== null && e.textContent.includes('(n_x, m)'));
        return block.flatMap(b => [...b.querySelectorAll('*')])
            .filter(e => !e.closest('.katex-mathml') && [...e.childNodes].some(n => n.nodeType === 3 && n.data.trim()))
            .map(e => parseFloat(getComputedStyle(e).fontSize)); }""")
    assert sizes and min(sizes) >= 12, sizes
    assert_no_console_errors(console_errors)
