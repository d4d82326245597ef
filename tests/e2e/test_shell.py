"""The app shell in a real browser: every page loads by its direct link, the menu is complete."""

import io
import time
import urllib.request

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.helpers import assert_no_console_errors, save_screenshot, wait_for_charts
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
