"""What one student does, twice over: as a protocol-level session and as a real headless Chromium tab.

Both follow the same plan (`plan`), so their latencies are comparable kind by kind:
  open          a fresh tab opens Home
  switch_page   a click on a sidebar menu entry (all 7 pages, every lap)
  basin_alpha   Cost basin: a new learning rate α (twice a lap)
  basin_race    Cost basin: the "Race up to 4 learning rates" toggle, on then off
  classify_train  Classify: a new learning rate α for the bundled faces (trains, or reuses the shared model)
  upload        Classify: a photo (tests/fixtures/face.jpg) into "Upload a photo", classified by the neuron
Latency: protocol = BackMsg sent -> script_finished received (upload: from the file-URL request, so the HTTP
PUT is included); browser = input event -> the tab receives script_finished on its websocket (then we also wait
for the app's script state notRunning; no fixed sleeps are counted).
Every loop is bounded in laps and in time; a lap stops as soon as the deadline has passed.
"""

import asyncio
import random
import time
import traceback
from dataclasses import dataclass, field

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.load.protocol import ProtocolError, ProtocolSession
from ui.registry import PAGES

BASIN, CLASSIFY = "basin", "classify"
MAX_LAPS = 50
STEP_TIMEOUT = 60.0  # s; one interaction slower than this is an error


@dataclass
class Recorder:
    """Latencies and errors of every session, in one place."""
    t0: float = field(default_factory=time.monotonic)
    samples: list = field(default_factory=list)  # (client, kind, seconds, t since start, page)
    errors: list = field(default_factory=list)   # (client, session, kind, message, t)
    shown_errors: list = field(default_factory=list)  # st.error notices seen (bad input; not expected here)
    active: dict = field(default_factory=lambda: {"protocol": 0, "browser": 0})
    peak_active: int = 0

    def sample(self, client, kind, seconds, page=""):
        self.samples.append((client, kind, seconds, time.monotonic() - self.t0, page))

    def error(self, client, session, kind, message):
        self.errors.append((client, session, kind, str(message)[:300], time.monotonic() - self.t0))

    def enter(self, client):
        self.active[client] += 1
        self.peak_active = max(self.peak_active, sum(self.active.values()))

    def leave(self, client):
        self.active[client] -= 1


def plan():
    """One lap: every page in menu order, starting after Home (where the tab opened, and where each lap ends:
    a click on the page already shown would not rerun), with the page's interactions after each switch."""
    paths = [p.url_path for p in PAGES]
    for path in paths[1:] + paths[:1]:
        yield "switch_page", path
        if path == BASIN:
            yield "basin_alpha", None
            yield "basin_alpha", None
            yield "basin_race", True
            yield "basin_race", False
        elif path == CLASSIFY:
            yield "classify_train", None
            yield "upload", None


async def think(rng, think_s, deadline):
    await asyncio.sleep(min(rng.uniform(*think_s), max(0.0, deadline - time.monotonic())))


# --- protocol sessions -------------------------------------------------------------------------------------

async def protocol_student(n, base, rec: Recorder, deadline, think_s, photo, start_delay):
    rng = random.Random(1000 + n)
    await asyncio.sleep(start_delay)
    rec.enter("protocol")
    try:
        for _reconnect in range(10):  # an error is counted; the student reloads the tab (at most 10 times)
            try:
                async with ProtocolSession(base, run_timeout=STEP_TIMEOUT) as s:
                    t = time.perf_counter()
                    await s.open("")
                    rec.sample("protocol", "open", time.perf_counter() - t)
                    await protocol_laps(s, n, rng, rec, deadline, think_s, photo)
                return
            except (ProtocolError, OSError) as err:
                rec.error("protocol", n, "session", err)
                if time.monotonic() > deadline:
                    return
    finally:
        rec.leave("protocol")


async def protocol_laps(s: ProtocolSession, n, rng, rec, deadline, think_s, photo):
    for _lap in range(MAX_LAPS):
        for kind, arg in plan():
            if time.monotonic() > deadline:
                return
            await think(rng, think_s, deadline)
            t = time.perf_counter()
            if kind == "switch_page":
                r = await s.switch_page(arg)
            elif kind == "basin_alpha":
                options = [o for o in s.widget("alpha").proto.options]
                r = await s.set_value("alpha", rng.choice(options))
            elif kind == "basin_race":
                r = await s.set_value("race_on", arg)
            elif kind == "classify_train":
                r = await s.set_value("alpha", rng.choice(list(s.widget("alpha").proto.options)))
            else:
                r = await s.upload("clf_photo_file", "face.jpg", photo, "image/jpeg")
            rec.sample("protocol", kind, time.perf_counter() - t, arg if kind == "switch_page" else "")
            rec.shown_errors += [("protocol", n, kind, e[:200]) for e in r.errors_shown]


# --- browser sessions ----------------------------------------------------------------------------------------

async def browser_step(page, action, timeout_ms, finished):
    """Run `action` (an input), wait until the rerun it caused has finished; returns seconds, input -> done.

    Done = the browser received the run's `script_finished` ForwardMsg over its websocket (`finished` holds the
    arrival times, from Playwright's frame events) and the app shows script state notRunning. The attribute
    alone is not enough: a fast rerun can go running -> notRunning within one React render, leaving no change
    to observe.
    """
    t0 = time.perf_counter()
    await action()
    for _ in range(int(timeout_ms / 50)):  # bounded: the step's timeout in 50 ms polls
        done = [t for t in finished if t > t0]
        if done:
            await page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
                state="attached", timeout=timeout_ms)
            return done[0] - t0
        await asyncio.sleep(0.05)
    raise TimeoutError(f"no script_finished within {timeout_ms / 1000:.0f} s")


async def browser_student(n, browser, base, rec: Recorder, deadline, think_s, photo_path, start_delay):
    from tests.e2e.helpers import is_known_noise  # the same list of accepted console noise as the tests

    rng = random.Random(2000 + n)
    await asyncio.sleep(start_delay)
    rec.enter("browser")
    context = await browser.new_context(viewport={"width": 1366, "height": 768})  # a common laptop screen
    context.set_default_timeout(STEP_TIMEOUT * 1000)  # a starved renderer is slow, not broken, up to 60 s
    page = await context.new_page()

    def on_console(msg):
        if msg.type == "error" and not is_known_noise(msg.text, msg.location.get("url", "")):
            rec.error("browser", n, "console", msg.text)

    finished = []  # arrival times of script_finished messages on this tab's websocket

    def on_frame(payload):
        if isinstance(payload, bytes):
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "script_finished":
                finished.append(time.perf_counter())

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    page.on("console", on_console)
    page.on("pageerror", lambda exc: rec.error("browser", n, "pageerror", exc))
    timeout_ms = STEP_TIMEOUT * 1000
    kind, arg = "open", ""
    try:
        t = time.perf_counter()
        await page.goto(base + "/")
        await page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
            state="attached", timeout=timeout_ms)
        for _ in range(int(timeout_ms / 50)):  # bounded wait for the first run's script_finished
            if finished:
                break
            await asyncio.sleep(0.05)
        await page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
            state="attached", timeout=timeout_ms)
        rec.sample("browser", "open", (finished[0] if finished else time.perf_counter()) - t)
        titles = {p.url_path: p.title for p in PAGES}
        for _lap in range(MAX_LAPS):
            for kind, arg in plan():
                if time.monotonic() > deadline:
                    return
                await think(rng, think_s, deadline)
                if kind == "switch_page":
                    link = page.get_by_test_id("stSidebarNavLink").filter(has_text=titles[arg]).first

                    async def action(link=link):  # a DOM click: Playwright's own click waits for two quiet
                        await link.evaluate("el => el.click()")  # animation frames, rare in a busy WebGL tab
                elif kind in ("basin_alpha", "classify_train"):
                    where = page.get_by_test_id("stSidebar") if kind == "classify_train" else page
                    thumb = where.get_by_test_id("stSlider").filter(has_text="Learning rate α").first \
                        .get_by_role("slider")

                    async def action(thumb=thumb):  # one step, away from an end (a no-op press would not rerun)
                        now, lo, hi = [float(await thumb.get_attribute(a) or 0)
                                       for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax")]
                        key = "ArrowLeft" if now >= hi else "ArrowRight" if now <= lo else \
                            rng.choice(["ArrowLeft", "ArrowRight"])
                        await thumb.focus()
                        await page.keyboard.press(key)
                elif kind == "basin_race":
                    toggle = page.get_by_test_id("stCheckbox").filter(has_text="Race up to 4 learning rates") \
                        .locator("input").first

                    async def action(toggle=toggle):
                        await toggle.evaluate("el => el.click()")
                else:
                    await page.get_by_role("tab", name="Classify a photo").click()
                    box = page.get_by_test_id("stFileUploader").filter(has_text="Upload a photo").first
                    inp = box.get_by_test_id("stFileUploaderDropzoneInput")

                    async def action(inp=inp):
                        await inp.set_input_files(photo_path)
                seconds = await browser_step(page, action, timeout_ms, finished)
                rec.sample("browser", kind, seconds, arg if kind == "switch_page" else "")
                if await page.get_by_test_id("stException").count():
                    rec.error("browser", n, kind, "exception element on the page")
                if kind == "switch_page" and await page.get_by_test_id("stAlert").filter(
                        has_text="Page not found").count():
                    rec.error("browser", n, kind, "page not found")
    except Exception as err:  # noqa: BLE001 (a timeout or a lost page is an error of this run)
        try:  # what the student saw, for the report (test-artifacts/ is not committed)
            await page.screenshot(path=f"test-artifacts/load-browser-{n}-error.png", timeout=10_000)
        except Exception:  # noqa: BLE001, S110
            pass
        rec.error("browser", n, f"{kind} {arg}", f"{type(err).__name__}: {err}".splitlines()[0] + " | " +
                  traceback.format_exc(limit=1).splitlines()[-1][:100])
    finally:
        rec.leave("browser")
        await context.close()
