"""The app shell in a real browser: every page loads by its direct link, the menu is complete."""

import io
import time
import urllib.request

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_console_errors, save_screenshot, wait_for_charts
from tests.e2e.survey import CHART_PAGES, CHART_VIEWS, CUT_LABELS, FORMULA_PAGES, FORMULA_WIDTHS, LABEL_VIEWS
from ui.registry import PAGES


def test_server_is_healthy(streamlit_server):
    with urllib.request.urlopen(f"{streamlit_server}/_stcore/health", timeout=5) as response:
        assert response.read() == b"ok"


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_page_loads_by_direct_link(open_page, console_errors, info):
    page = open_page(info.url_path)
    heading = "Basin" if info.url_path == "" else info.title
    expect(page.locator("h1").first).to_have_text(heading)
    assert page.locator("h1").first.inner_text().strip() == heading
    save_screenshot(page, f"page-{info.url_path or 'home'}")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert_no_console_errors(console_errors)


def test_sidebar_menu_lists_every_page(open_page):
    page = open_page("")
    links = page.get_by_test_id("stSidebarNavLink")
    expect(links).to_have_count(len(PAGES))
    # Each link's text is the icon's ligature name, then the title.
    assert [text.split("\n")[-1].strip() for text in links.all_inner_texts()] == [p.title for p in PAGES]
    # Each menu link points at the page's url_path (Home at the root).
    hrefs = [link.get_attribute("href") or "" for link in links.all()]
    assert [h.rstrip("/").rsplit("/", 1)[-1] if p.url_path else "" for h, p in zip(hrefs, PAGES, strict=True)] == \
        [p.url_path for p in PAGES]


def test_home_basin_is_drawn_with_webgl(open_page, console_errors):
    """The 3D surface really renders (software WebGL), not plotly's "WebGL is not supported" notice."""
    page = open_page("")
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator("canvas").first).to_be_attached()
    wait_for_charts(page)
    assert page.evaluate("!!document.createElement('canvas').getContext('webgl')")
    assert "WebGL" not in chart.inner_text()
    deadline = time.monotonic() + 60  # software WebGL paints slowly on a busy machine: look again until drawn
    while True:
        image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
        bluish = sum(1 for r, g, b in image.get_flattened_data() if b > r + 40)  # the "Blues" surface
        if bluish > 0.05 * image.width * image.height or time.monotonic() > deadline:
            break
        page.wait_for_timeout(500)
    assert bluish > 0.05 * image.width * image.height, f"only {bluish} blue pixels: surface not drawn?"
    assert_no_console_errors(console_errors)


@pytest.mark.parametrize(("width", "query"), LABEL_VIEWS,
                         ids=[f"{w}{'-projector' if q else ''}" for w, q in LABEL_VIEWS])
@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_no_label_is_cut_short(survey, info, width, query):
    """With the sidebar open, no button, link, tab, metric or widget label, in the page or the sidebar, ends in
    "…": Streamlit cuts a label that does not fit its column. Before, at 1024 px the graph's "◀ Previous" and
    "Next ▶", a lesson's link on Home and a metric on Losses were cut; at 900 px the Activations' values ("0.7…")
    and two of Home's links; in the projector view the longest page name in the sidebar, and at 1024 px also
    the values, labels and links of five pages. (Each view is loaded once for all the layout checks that look at
    it, and judged once the page has settled: tests/e2e/survey.py.)"""
    cut = survey.look(info.url_path + query, width)["cut_labels"]
    assert not cut, cut


def test_the_projector_sidebar_takes_its_width_with_its_text(page, base_url):
    """When the projector view's style sheet lands (after the sidebar was drawn at Streamlit's width), the sidebar
    widens at once with the text. Before, Streamlit's 300-ms transition of its width left it at 300 px for about
    150 ms while the page names were already 1.25 times larger: "Vectorisation and broadcasting" was cut."""
    from tests.e2e import helpers
    page.set_viewport_size({"width": 1280, "height": 800})
    helpers.open_page(page, base_url, "basin?teacher=1")
    # the projector view's style sheet can land after the labels first fit: wait for it, then for the layout
    page.wait_for_function("""() => [...document.querySelectorAll('style')].some(
        s => s.textContent.includes('stSidebar'))""", timeout=helpers.TIMEOUT)
    helpers.wait_until_steady(page, f"() => ({CUT_LABELS})().length === 0", timeout=10_000)
    # and for the 3D basin's first draw: a long task of a second or more that, run inside the 600 ms below, delays
    # the style update the sidebar's transition starts from (it then still measures 375 px at the end of the wait)
    helpers.wait_for_charts(page)
    samples = page.evaluate(f"""async () => {{
        const sheet = [...document.querySelectorAll('style')].find(s => s.textContent.includes('stSidebar'));
        const parent = sheet.parentNode;
        parent.removeChild(sheet);  // back to the page as first drawn: Streamlit's 300-px sidebar, 16-px text
        await new Promise(r => setTimeout(r, 600));
        const before = document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().width;
        parent.appendChild(sheet);
        const out = [];
        for (let i = 0; i < 6; i++) {{
            out.push([document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().width,
                      ({CUT_LABELS})()]);
            await new Promise(r => setTimeout(r, 40));
        }}
        return {{before, out}};
    }}""")
    assert samples["before"] == 300, samples
    assert all(width == 375 and not cut for width, cut in samples["out"]), samples


@pytest.mark.parametrize("width", FORMULA_WIDTHS)
@pytest.mark.parametrize("url_path", FORMULA_PAGES)
def test_no_formula_scrolls_sideways(survey, url_path, width):
    """On a 390 px phone, a 900 px tablet, a 1024 px laptop and a 1400 px desktop (the sidebar open) every formula
    fits its box: a line of several formulas wraps between them (ui.common.formulas), never inside one, and
    formulas are drawn smaller on a phone. Before, 11 of the 27 on these pages scrolled sideways on a phone, and at
    1024 px 9 did, among them the activations' definitions squeezed into five columns; at 900 px eight formulas
    were broken inside (Classify's "P(y = 1 ∣" and "x)" on two lines, the log-loss inside "log(1 − a)")."""
    look = survey.look(url_path, width)
    boxes = look["formula_boxes"]
    assert boxes
    wide = [(text, sw, cw) for sw, cw, text in boxes if sw > cw + 1]
    assert not wide, wide
    broken = look["formula_breaks"]
    assert not broken, broken
    # a line of formulas may break only between them: KaTeX breaks between its top-level pieces (".base"), and
    # each formula is one piece, so on the graph page's five-formula line there are exactly five
    if url_path == "graph":
        pieces = look["formula_pieces"]
        assert 5 in pieces and 3 in pieces, pieces


@pytest.mark.parametrize(("width", "query"), CHART_VIEWS,
                         ids=[f"{w}{'-projector' if q else ''}" for w, q in CHART_VIEWS])
@pytest.mark.parametrize("url_path", CHART_PAGES, ids=[p or "home" for p in CHART_PAGES])
def test_no_chart_text_overlaps_or_is_cut(survey, url_path, width, query):
    """On a 390 px phone, a 700 px tablet, a 1024 px laptop and a 1024 px projector (the projector view's charts
    have 1.35 times the text), a 390 px and a 360 px phone in the projector view, and a 900 px window in the
    projector view (the sidebar open beside a 440 px page), no chart's titles, axis titles, legend or labels run
    into each other or past the chart's edge.
    Before, on a phone: the activations' five columns of titles and the legend ran together, the Losses cost
    chart's two titles overlapped and its legend covered "step", the broadcasting picture's cells ran into the +
    and =, the computation graph's formulas into each other, and the Classify learning-rate legend ran past the
    chart's edge. On the projector, the activations' legend touched the column titles and the Losses maps'
    legend the "w" under them; at 900 px the activations' column titles, the graph's formulas and the
    broadcasting picture's "=" ran into each other, and the Losses curves' titles were cut or overlapped; on a
    390 px phone in the projector view the Losses maps' titles touched, and Classify's "num_px × num_px" ran into
    "x, shape (625, 1)" (on a 360 px phone they still touched) and its "What the neuron looks for" was cut; at
    700 px the Cost basin's "The data and the neuron's output" ran into "Cost J at each step"."""
    look = survey.look(url_path + query, width)
    assert look["plots"] > 0
    assert not look["clashes"], look["clashes"]
