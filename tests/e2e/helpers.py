"""Helpers for browser tests (Playwright, sync API). Fixtures wrapping them are in conftest.py.

The waiting recipe is the one Streamlit's own e2e suite uses (research/streamlit.md, section 2b):
give the page a moment to start a run, then wait until the websocket is connected and the script
state is back to notRunning.
"""

from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import ConsoleMessage, Page

from tests.conftest import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"


def is_known_noise(text: str, url: str) -> bool:
    """Console errors we accept, each seen in our runs and explained. Keep this short and honest.

    Opening a page by its direct link (/basin) makes Streamlit's frontend guess the server's base
    path: it first tries /basin/_stcore/health and /basin/_stcore/host-config (404), then the root
    (200). Known and open upstream: streamlit/streamlit#7074 ("404 health check when navigating
    directly to a subpage"); the page then loads normally. Only those two probes, one level deep,
    are ignored; a 404 anywhere else still fails the test.
    """
    path = urlparse(url).path
    return ("404" in text and path.count("/") == 3
            and path.endswith(("/_stcore/health", "/_stcore/host-config")))


def wait_for_app(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has connected and finished running the script."""
    page.wait_for_timeout(150)  # let a run start, so we do not see the previous notRunning
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout)


def wait_for_charts(page: Page, timeout: float = 30_000) -> None:
    """Wait until every plotly chart on the page has been drawn.

    Charts are lazy-loaded: after the script run they show a placeholder (stSkeleton) until
    plotly's code has loaded, and only then is there a stPlotlyChart element to wait for.
    """
    page.wait_for_function("!document.querySelector(\"[data-testid='stSkeleton']\")", timeout=timeout)
    charts = page.get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        charts.nth(i).locator(".js-plotly-plot .main-svg").first.wait_for(state="attached", timeout=timeout)
    if charts.count():
        page.wait_for_timeout(500)  # the WebGL scene paints a moment after plotly's SVG layers


def open_page(page: Page, base_url: str, url_path: str) -> None:
    """Open a page by its direct link ("" is Home) and wait until it has rendered."""
    page.goto(f"{base_url}/{url_path}")
    wait_for_app(page)


def collect_console_errors(page: Page) -> list[str]:
    """Start recording console errors and uncaught page errors; returns the (growing) list."""
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        url = msg.location.get("url", "")
        if msg.type == "error" and not is_known_noise(msg.text, url):
            errors.append(f"console: {msg.text} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


def assert_no_console_errors(errors: list[str]) -> None:
    assert not errors, "browser console errors:\n" + "\n".join(errors)


def save_screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.png (gitignored)."""
    wait_for_charts(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
