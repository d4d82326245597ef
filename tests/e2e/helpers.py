"""Helpers for browser tests (Playwright, sync API). Fixtures wrapping them are in conftest.py.

Waiting, in order of preference:
1. For the concrete outcome of an action: `expect(locator).to_have_text(...)`, `.to_have_count(n)`,
   `.to_be_visible()`, `expect(page).to_have_url(...)` (they retry; conftest.py sets their timeout),
   or `wait_until(page, js)` for numbers inside the page (plotly data, computed styles).
2. `wait_for_app`: the script run is over. It cannot tell a run that has not started yet from one that has
   finished (research/streamlit.md, section 2b: a fast rerun can even skip the `running` state), so after a
   click or an upload, wait for what the run should show, not only for this.
Polling is every 300 ms, never on animation frames: software WebGL on a busy machine starves them.
"""

import time
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import ConsoleMessage, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
TIMEOUT = 60_000  # ms; generous: a 2-core machine drawing WebGL in software can be slow when busy
POLL = 300        # ms between two checks of wait_until

_NO_STALE = "!document.querySelector(\"[data-testid='stElementContainer'][data-stale='true']\")"
_CHARTS_DRAWN = """() => {
    if (document.querySelector("[data-testid='stSkeleton']")) return false;
    return [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
        .every(c => c.querySelector('.js-plotly-plot .main-svg'));
}"""


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


def wait_until(page: Page, js: str, arg=None, timeout: float = TIMEOUT) -> bool:
    """Poll the JavaScript predicate `js` (an expression, or a function of `arg`) every 300 ms until it holds.

    Returns True once it holds, False if it did not within `timeout`. It asserts nothing: read the values and
    assert on them afterwards, so that a failure shows what the page really had.
    """
    try:
        page.wait_for_function(js, arg=arg, polling=POLL, timeout=timeout)
        return True
    except PlaywrightTimeoutError:
        return False


def wait_until_steady(page: Page, js: str, hold: float = 600, timeout: float = TIMEOUT) -> bool:
    """Like wait_until, but the predicate must hold again `hold` ms after it first held: a page whose style sheet
    has not landed yet, or whose layout is still moving, can pass a check once."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        remaining = max(0.0, deadline - time.monotonic()) * 1000
        if not wait_until(page, js, timeout=remaining):
            return False
        page.wait_for_timeout(hold)
        if page.evaluate(js):  # Playwright calls a function's source, and evaluates an expression
            return True
        if time.monotonic() > deadline:
            return False


def wait_for_app(page: Page, timeout: float = TIMEOUT) -> None:
    """Wait until Streamlit is connected, the script state is notRunning and no element is left stale.

    It waits 150 ms first so that a run just triggered has a chance to start, but a slow machine may start it
    later: after an interaction, also wait for its concrete outcome (see the module docstring).
    """
    page.wait_for_timeout(150)
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout)
    page.wait_for_function(_NO_STALE, polling=POLL, timeout=timeout)


def wait_for_charts(page: Page, timeout: float = TIMEOUT) -> None:
    """Wait until every plotly chart on the page has been drawn.

    Charts are lazy-loaded: after the script run they show a placeholder (stSkeleton) until plotly's code has
    loaded, and only then is there a stPlotlyChart element with plotly's SVG layers in it (polled, 300 ms).
    """
    page.wait_for_function(_CHARTS_DRAWN, polling=POLL, timeout=timeout)
    if page.get_by_test_id("stPlotlyChart").count():
        page.wait_for_timeout(500)  # the WebGL scene paints a moment after plotly's SVG layers


def open_page(page: Page, base_url: str, url_path: str, timeout: float = TIMEOUT) -> None:
    """Open a page by its direct link ("" is Home) and wait until it has rendered: the run is over and the
    page's title (every page has one h1, ui.common.page_header) is shown."""
    page.goto(f"{base_url}/{url_path}", timeout=timeout)
    wait_for_app(page, timeout)
    expect(page.locator("h1").first).to_be_visible(timeout=timeout)
    wait_for_app(page, timeout)


def upload(page: Page, uploader: Locator, files, timeout: float = TIMEOUT) -> None:
    """Put files into this stFileUploader; wait until it shows them (stFileChip) and the run is over.
    The caller then waits for what the run shows: the files may only have been sent when this returns."""
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files)
    expect(uploader.get_by_test_id("stFileChip").first).to_be_attached(timeout=timeout)
    wait_for_app(page, timeout)


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


def hold_and_drag(page: Page, key: str, dx: float, moves: int) -> None:
    """Press the thumb of the slider keyed `key` and move it by dx px, `moves` times, without letting it go."""
    thumb = page.locator(f".st-key-{key} [data-testid=stSliderThumbValue]").locator("..")
    box = thumb.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, moves + 1):
        page.mouse.move(x + dx * i, y)
        page.wait_for_timeout(60)
