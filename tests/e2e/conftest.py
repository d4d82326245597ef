"""Browser tests: one real Streamlit server per test session, driven by Playwright in system Chromium.

Every test in tests/e2e is marked `e2e`. Without Chromium the tests are skipped with a reason,
except in CI (CI=true), where a missing browser is an error: CI must run them.
"""

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import serve
from tests.conftest import REPO_ROOT
from tests.e2e import helpers
from tests.e2e.survey import Survey

HERE = os.path.dirname(__file__)
# one log per pytest-xdist worker: the layout checks may run on the other worker, with its own server
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
SERVER_LOG = REPO_ROOT / "test-artifacts" / (f"streamlit-server-{_WORKER}.log" if _WORKER else "streamlit-server.log")
START_TIMEOUT = 60  # s for a new server to answer its health check (slower when the machine is busy)

# Every retrying assertion (expect(...).to_have_text, .to_have_count ...) waits this long before it fails.
expect.set_options(timeout=helpers.TIMEOUT)


def pytest_collection_modifyitems(items):
    for item in items:
        if str(item.path).startswith(HERE + os.sep):
            item.add_marker(pytest.mark.e2e)


@contextlib.contextmanager
def running_server(log_path: Path = SERVER_LOG) -> Iterator[str]:
    """Start `streamlit run app.py` on a free port, wait until healthy, yield its base URL, stop it."""
    port = serve.free_port()
    url = f"http://127.0.0.1:{port}"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            serve.command(port),                 # what scripts/app.sh and the Dockerfile start, too
            cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not serve.healthy(url):
                if proc.poll() is not None:
                    pytest.fail(f"streamlit exited with code {proc.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit was not healthy after {START_TIMEOUT} s; see {log_path}")
                time.sleep(0.1)
            yield url
        finally:
            serve.stop(proc)


@pytest.fixture(scope="session")
def streamlit_server() -> Iterator[str]:
    """One server for the whole test session."""
    with running_server() as url:
        yield url


@pytest.fixture(scope="session")
def base_url(streamlit_server: str) -> str:
    """Overrides pytest-base-url's fixture, so `page.goto("/basin")` also works."""
    return streamlit_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    chromium = shutil.which("chromium")
    if chromium is None:
        message = ("Chromium not found: install it (Debian/Ubuntu: apt-get install chromium), "
                   "or run `bash scripts/test.sh` as root, which installs it.")
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser tests. " + message, pytrace=False)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        # No --disable-gpu: WebGL (plotly 3D) must work, through SwiftShader's software renderer.
        # --disable-gpu-compositing: the page's layers are composited by the CPU, as Chromium does on machines
        # whose GPU it does not trust, instead of through SwiftShader; only WebGL goes through SwiftShader then.
        # Chromium spends about 40 % less CPU on each page load (Home 7.3 → 4.5 s, the Cost basin 9.7 → 6.3 s on
        # two cores), and the browser tests run that much sooner.
        "args": ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic",
                 "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-gpu-compositing"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}}


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors of this test's page, recorded from the start. Assert with helpers.assert_no_console_errors."""
    return helpers.collect_console_errors(page)


@pytest.fixture
def open_page(page: Page, base_url: str) -> Callable[[str], Page]:
    """`open_page("basin")` opens a page by its direct link, waits for the run, returns the Page."""
    def _open(url_path: str) -> Page:
        helpers.open_page(page, base_url, url_path)
        return page
    return _open


@pytest.fixture(scope="session")
def survey(browser, browser_context_args: dict, base_url: str) -> Iterator[Survey]:
    """The layout checks' pages, each view loaded once for every check that looks at it (tests/e2e/survey.py)."""
    context = browser.new_context(**browser_context_args)
    yield Survey(context.new_page(), base_url)
    context.close()
