"""Two Basin replicas behind nginx on loopback, as docs/DEPLOY.md describes, driven by real Chromium sessions.

The cluster is started by deploy/run_replicas.py (the recipe itself): two `streamlit run app.py` processes
with the same cookie secret, and nginx rendered from deploy/nginx/basin.conf.template. nginx's access log
names the replica ($upstream_addr) and the sticky cookie of every request, so stickiness is checked from
what the proxy did, not assumed. nginx comes from Debian's package (scripts/test.sh installs it as root);
without it these tests skip, except in CI (CI=true), where that is an error.
"""

import os
import re
import shutil
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from deploy import run_replicas
from tests.conftest import REPO_ROOT
from tests.e2e import helpers
from ui.registry import PAGES

ARTIFACTS = REPO_ROOT / "test-artifacts" / "replicas"
FACE = REPO_ROOT / "tests" / "fixtures" / "face.jpg"
PROBABILITY = re.compile(r"a = σ\(wᵀx \+ b\) = (\d\.\d{3})")
LOG_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \d+ '
                      r"upstream=(?P<upstream>\S+(?:, \S+)*) sticky=(?P<sticky>\S+)")


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    status: int
    upstream: str  # "127.0.0.1:port", or a comma-separated list if nginx had to try more than one
    sticky: str


@pytest.fixture(scope="module")
def cluster():
    if run_replicas.find_nginx() is None:
        message = ("nginx not found: install it (Debian/Ubuntu: apt-get install nginx), "
                   "or run `bash scripts/test.sh` as root, which installs it.")
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the replica tests. " + message, pytrace=False)
        pytest.skip(message)
    cluster = run_replicas.start(replicas=2)
    try:
        yield cluster
    finally:
        cluster.stop()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)  # keep the logs for a look after a failure
        for log in cluster.prefix.glob("*.log"):
            shutil.copy(log, ARTIFACTS / log.name)
        shutil.rmtree(cluster.prefix, ignore_errors=True)


def replica_address(cluster, replica: int) -> str:
    return cluster.replica_urls[replica].removeprefix("http://")


def replica_addresses(cluster) -> set[str]:
    return {replica_address(cluster, i) for i in range(len(cluster.replica_urls))}


def hits(cluster) -> list[Hit]:
    text = cluster.access_log.read_text() if cluster.access_log.exists() else ""
    return [Hit(m["method"], m["path"], int(m["status"]), m["upstream"], m["sticky"])
            for m in map(LOG_LINE.search, text.splitlines()) if m]


def hits_of(cluster, sticky: str, until=lambda found: bool(found), wait: float = 15) -> list[Hit]:
    """This sticky cookie's requests in the access log, polling until `until(found)` (nginx logs a request,
    and a websocket, when it ends). Not a timed assertion: the caller asserts on what was found."""
    deadline = time.monotonic() + wait
    while True:
        found = [h for h in hits(cluster) if h.sticky == sticky]
        if until(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def fresh_visit(cluster) -> str:
    """One request without a cookie: returns the sticky cookie nginx gives out."""
    with urllib.request.urlopen(f"{cluster.url}/_stcore/health", timeout=5) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
        assert response.read() == b"ok"
    (key,) = [m.group(1) for m in map(re.compile(r"basin_sticky=([0-9a-f]+);").match, cookies) if m]
    return key


def sticky_key_for(cluster, replica: int) -> str:
    """A sticky cookie value that nginx routes to this replica (found by asking, at most 64 times)."""
    wanted = replica_address(cluster, replica)
    for _ in range(64):
        key = fresh_visit(cluster)
        if hits_of(cluster, key)[0].upstream == wanted:
            return key
    pytest.fail(f"64 new visitors and none was sent to {wanted}: nginx is not spreading sessions")


class Session:
    """One browser session (its own cookies, so its own sticky cookie) through nginx."""

    def __init__(self, browser: Browser, cluster, sticky: str | None = None):
        self.cluster = cluster
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        if sticky is not None:
            self.context.add_cookies([{"name": "basin_sticky", "value": sticky, "url": cluster.url}])
        self.page: Page = self.context.new_page()
        self.errors = helpers.collect_console_errors(self.page)

    def open(self, url_path: str) -> Page:
        helpers.open_page(self.page, self.cluster.url, url_path)
        expect(self.page.get_by_test_id("stException")).to_have_count(0)
        return self.page

    def close(self) -> list[Hit]:
        """Close the browser; return every request of this session, as nginx logged them."""
        cookies = {c["name"]: c["value"] for c in self.context.cookies()}
        self.context.close()
        assert "basin_sticky" in cookies, "nginx did not set the sticky cookie"
        return hits_of(self.cluster, cookies["basin_sticky"],
                       until=lambda found: any(h.path.startswith("/_stcore/stream") for h in found))


def assert_one_replica(cluster, session_hits: list[Hit]) -> str:
    """Every request of one session, the websocket included, went to one and the same replica."""
    assert any(h.path.startswith("/_stcore/stream") for h in session_hits), "no websocket in the access log"
    by_replica = Counter(h.upstream for h in session_hits)
    assert len(by_replica) == 1, f"one session was served by several replicas: {dict(by_replica)}"
    (upstream,) = by_replica
    assert upstream in replica_addresses(cluster)
    return upstream


def test_new_visitors_spread_over_both_replicas_and_returning_ones_stay(cluster):
    keys = [fresh_visit(cluster) for _ in range(40)]
    assert len(set(keys)) == 40                                   # every visitor gets their own cookie
    first = {key: hits_of(cluster, key)[0].upstream for key in keys}
    assert set(first.values()) == replica_addresses(cluster)     # both replicas take new visitors ...
    for key in keys[:5]:
        request = urllib.request.Request(f"{cluster.url}/_stcore/health", headers={"Cookie": f"basin_sticky={key}"})
        for _ in range(4):
            with urllib.request.urlopen(request, timeout=5) as response:
                assert response.read() == b"ok"
                assert not any(c.startswith("basin_sticky=")          # ... a returning one keeps its cookie
                               for c in response.headers.get_all("Set-Cookie") or [])
        assert {h.upstream for h in hits_of(cluster, key, until=lambda f: len(f) == 5)} == {first[key]}


def test_every_page_loads_through_nginx(cluster, browser):
    session = Session(browser, cluster)
    for info in PAGES:
        page = session.open(info.url_path)
        heading = "Basin" if info.url_path == "" else info.title
        expect(page.locator("h1").first).to_have_text(heading)
        assert page.locator("h1").first.inner_text().strip() == heading
    helpers.save_screenshot(session.page, "replicas-last-page")
    helpers.assert_no_console_errors(session.errors)
    session_hits = session.close()
    assert_one_replica(cluster, session_hits)
    # Failed requests, besides the frontend's base-path probes on direct links (helpers.is_known_noise) and
    # 499s (the browser itself dropped a request when the test moved on to the next page).
    failed = [h for h in session_hits if h.status >= 400 and h.status != 499
              and not h.path.endswith(("/_stcore/health", "/_stcore/host-config"))]
    assert not failed, failed


def test_learning_rate_change_reruns_through_nginx(cluster, browser):
    session = Session(browser, cluster)
    page = session.open("basin")
    helpers.wait_for_charts(page)
    assert "alpha=" not in page.url
    thumb = page.get_by_test_id("stSlider").filter(has_text="Learning rate").get_by_role("slider")
    before = thumb.get_attribute("aria-valuetext") or thumb.get_attribute("aria-valuenow")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"alpha="))               # the rerun wrote the new rate to the link
    helpers.wait_for_app(page)
    after = thumb.get_attribute("aria-valuetext") or thumb.get_attribute("aria-valuenow")
    assert after != before
    expect(page.get_by_test_id("stException")).to_have_count(0)
    helpers.assert_no_console_errors(session.errors)
    assert_one_replica(cluster, session.close())


@pytest.mark.parametrize("replica", [0, 1])
def test_photo_upload_on_each_replica(cluster, browser, replica):
    # An upload is a separate HTTP request to the replica holding the session: the request that breaks
    # without stickiness. The cookie is chosen so that each replica gets one session.
    session = Session(browser, cluster, sticky=sticky_key_for(cluster, replica))
    page = session.open("classify")
    tab = page.get_by_role("tab", name="Classify a photo")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = page.locator("[role=tabpanel]:visible").first
    expect(panel).to_be_visible()
    box = panel.get_by_test_id("stFileUploader").filter(has_text="Upload a photo").first
    helpers.upload(page, box, str(FACE))
    line = panel.get_by_text(PROBABILITY)
    expect(line).to_be_visible(timeout=60_000)
    assert 0.0 <= float(PROBABILITY.search(line.inner_text()).group(1)) <= 1.0
    helpers.wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    helpers.save_screenshot(page, f"replicas-upload-{replica}")
    helpers.assert_no_console_errors(session.errors)
    session_hits = session.close()
    assert assert_one_replica(cluster, session_hits) == replica_address(cluster, replica)
    uploads = [h for h in session_hits if h.method == "PUT" and h.path.startswith("/_stcore/upload_file/")]
    assert uploads and all(h.status < 300 for h in uploads)


def test_an_upload_flood_from_one_client_is_refused_past_the_limit():
    # The flood of the hardening review: one client asks for 60 upload URLs and sends 10 MB to each without
    # attaching any file to a widget (Streamlit would keep every one in memory until the session ends).
    # nginx lets one address start 11 uploads at once, then one every 2 s; the rest get 429 before their body
    # reaches a replica. A cluster of its own, so the spent allowance does not touch the other tests.
    import asyncio

    from benchmarks.load.flood import upload_flood

    if run_replicas.find_nginx() is None:
        pytest.skip("nginx not found: apt-get install nginx")
    flood_cluster = run_replicas.start(replicas=2)
    try:
        # In a thread of its own: the browser tests' Playwright keeps an event loop running in this one.
        with ThreadPoolExecutor(1) as pool:
            statuses = pool.submit(asyncio.run, upload_flood(flood_cluster.url, count=60, size=10_000_000,
                                                             parallel=8)).result()
        accepted = [s for s in statuses if s in (200, 204)]
        assert len(statuses) == 60
        assert set(statuses) <= {200, 204, 429}, Counter(statuses)      # refused plainly, never a 5xx
        # 11 at once, and at most one more per 2 s while the flood lasts (it takes seconds, not minutes)
        assert 1 <= len(accepted) <= 20 and statuses.count(429) >= 40, Counter(statuses)
        for url in [flood_cluster.url, *flood_cluster.replica_urls]:   # nginx and both replicas still serve
            assert run_replicas.healthy(url)
        with urllib.request.urlopen(f"{flood_cluster.url}/", timeout=10) as response:
            assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
            assert response.headers["Referrer-Policy"] == "same-origin"
    finally:
        flood_cluster.stop()
        shutil.rmtree(flood_cluster.prefix, ignore_errors=True)
