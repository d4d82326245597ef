"""What the student sees, timed in real headless Chromium: from an input event to the first frame that shows the
changed chart, and from navigation to every chart drawn.

Run:  python benchmarks/seen.py                      (starts its own server on a free port; every page, every control)
      python benchmarks/seen.py --pages losses --controls alpha,steps --runs 6
      python benchmarks/seen.py --pages race          (the Cost basin's optimiser race, opened by a link: ROUTES)
      python benchmarks/seen.py --baseline 1a9b2ce   (this tree against a commit, A/B runs alternated in one run)
      python benchmarks/seen.py --url http://127.0.0.1:8501   (a server already running)
      python benchmarks/seen.py --bytes-only          (only the bytes of a first visit, direct and through nginx)

How a control is timed (everything is read inside the page, on its own clock, performance.now()):
  t0     the real input event (keydown, pointerdown or mousedown), stamped by a listener in capture phase;
  shown  the first animation frame that begins after the frame in which any chart's data had changed, i.e. the
         changed chart has been painted. A chart's data are read from plotly's `gd._fullData` (plotly ships arrays
         as typed `bdata`; _fullData holds them decoded): per trace its type, visibility and, for x, y, z and
         marker.size, the length and a few sampled values; plus which chart element it is (a remount is a change)
         and whether it is on screen (a tab or a section opened). Nothing depends on one figure's trace layout.
  settled the last frame with a change (or `shown`, if later), once the script run is over and nothing changed for 1 s;
  long   the long tasks (PerformanceObserver 'longtask') from t0 to 1 s after `shown`, and those in the second
         after `shown` alone.
A first load is timed from navigation start (a fresh browser context: nothing cached) to the first frame of the
final state: every chart drawn (each stPlotlyChart holds a plot with _fullData and its SVG, each 3D scene its
WebGL canvas; a chart in a tab not shown needs no canvas), the script run over, and nothing changing for 1.5 s;
with the DOM node count and the total long-task time then. The first visit of a fresh server is not timed
(Streamlit's cold start).

Software WebGL on a 2-core machine inflates every absolute figure; compare ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

import serve  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
VIEWPORT = {"width": 1400, "height": 1000}
WAIT = 90_000  # ms: a busy 2-core machine drawing WebGL in software can be slow

# ---------------------------------------------------------------------------------------------------------------
# In-page code. Installed in every page before its own scripts run (add_init_script).

INIT = r"""
(() => {
  const S = window.__seen = {long: [], ids: new WeakMap(), next: 1, arm: null};
  try {
    new PerformanceObserver(l => l.getEntries().forEach(e => S.long.push([e.startTime, e.duration])))
      .observe({type: 'longtask', buffered: true});
  } catch (e) { S.noLongtask = String(e); }
  const sample = (a) => {
    if (a === undefined || a === null) return '-';
    if (typeof a !== 'object') return String(a);
    const n = a.length;
    if (typeof n !== 'number') return '?';
    if (!n) return '0';
    const pick = i => { const v = a[i]; return (v && typeof v === 'object') ? sample(v) : String(v); };
    return n + ':' + pick(0) + ',' + pick(n >> 1) + ',' + pick(n - 1);
  };
  S.fingerprint = () => {
    const out = [];
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      if (!S.ids.has(gd)) S.ids.set(gd, S.next++);
      const fd = gd._fullData, L = gd._fullLayout;
      let f = S.ids.get(gd) + (gd.offsetWidth > 0 ? 'v' : 'h') + '[';
      // a 3D trace as its scene was last given it (what WebGL draws), not only as the figure holds it
      const drawn = (t) => { const sc = t.scene && L && L[t.scene] && L[t.scene]._scene;
        const o = sc && sc.traces && sc.traces[t.uid]; return o && o.data ? o.data : t; };
      if (fd) for (const t0 of fd) {
        const t = drawn(t0);
        f += t0.type + '|' + t0.visible + '|' + sample(t.x) + '|' + sample(t.y) + '|' + sample(t.z) + '|'
          + sample(t0.marker && t0.marker.size) + ';';
      } else f += 'none';
      out.push(f + ']');
    }
    return out.join('/');
  };
  S.scenesDrawn = (gd) => {
    const L = gd._fullLayout;
    if (!L) return false;
    for (const k of Object.keys(L)) {
      if (!/^scene\d*$/.test(k)) continue;
      const sc = L[k]._scene;
      if (!sc || !sc.glplot) return false;
      const c = sc.glplot.canvas || gd.querySelector('canvas');
      if (!c || !c.width || !c.height) return false;
    }
    return true;
  };
  S.allDrawn = () => {
    if (document.querySelector("[data-testid='stSkeleton']")) return false;
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
    if (!charts.length) return false;
    return charts.every(c => { const gd = c.querySelector('.js-plotly-plot');
      return gd && gd._fullData && gd.querySelector('.main-svg') && (gd.offsetWidth === 0 || S.scenesDrawn(gd)); });
  };
  S.longBetween = (a, b) => S.long.filter(([s, d]) => s + d > a && s < b)
    .reduce((acc, [s, d]) => acc + Math.min(s + d, b) - Math.max(s, a), 0);

  // A control: stamp the input, watch every frame for a change of the charts' data.
  S.armControl = () => {
    const R = S.arm = {t0: null, base: S.fingerprint(), last: null, first: null, shown: null, lastChange: null,
                       frames: 0, done: false};
    R.last = R.base;
    const stamp = (e) => { if (R.t0 === null) R.t0 = e.timeStamp || performance.now(); };
    for (const type of ['keydown', 'pointerdown', 'mousedown'])
      window.addEventListener(type, stamp, {capture: true, once: true});
    const frame = (now) => {
      if (R.done) return;
      R.frames++;
      if (R.t0 !== null) {
        if (R.first !== null && R.shown === null) R.shown = now;
        const f = S.fingerprint();
        if (f !== R.last) { R.last = f; R.lastChange = now; if (R.first === null) R.first = now; }
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
  S.controlResult = () => {
    const R = S.arm; R.done = true;
    if (R.t0 === null || R.shown === null) return {t0: R.t0, changed: false};
    return {changed: true, t0: R.t0, first: R.first - R.t0, shown: R.shown - R.t0,
            settled: Math.max(R.lastChange, R.shown) - R.t0,
            long: S.longBetween(R.t0, R.shown + 1000), longAfter: S.longBetween(R.shown, R.shown + 1000),
            nodes: document.getElementsByTagName('*').length};
  };

  // A first load: the first frame of the final state, every chart drawn.
  S.watchLoad = () => {
    const R = S.load = {last: null, since: null, drawnAt: null, done: false};
    const frame = (now) => {
      if (R.done) return;
      const drawn = S.allDrawn();
      const f = drawn ? S.fingerprint() + '#' + document.querySelectorAll('.js-plotly-plot').length : null;
      if (!drawn) { R.drawnAt = null; R.last = null; }
      else if (f !== R.last) { R.last = f; R.since = now; R.drawnAt = null; }
      else if (R.drawnAt === null) R.drawnAt = now;     // the frame after the final state's first frame
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
})();
"""

# ---------------------------------------------------------------------------------------------------------------
# Controls: found by their label (Streamlit's test ids), so the harness works whatever the figure holds.


@dataclass(frozen=True)
class Control:
    name: str
    kind: str        # slider | select | number | radio | toggle | button | reveal | plotclick | plotbutton
    label: str       # the widget's label text (substring), a button's or tab's name (regex for reveal/button)
    delta: float = 1.0          # number: the step added / removed on alternate runs
    chart: int = 0              # plotclick: which chart (index among .js-plotly-plot)
    points: tuple = ((0.7, 0.7), (0.3, 0.6))   # plotclick: fractions of the x and y ranges, alternated


CONTROLS = {
    "basin": [
        Control("alpha", "slider", "Learning rate"),
        Control("steps", "slider", "Steps of gradient descent"),
        Control("lambda", "slider", "L2 regularisation"),
        Control("dataset", "select", "Dataset"),
        Control("start", "number", "w₀", delta=0.5),
        Control("new-start", "button", r"new start"),
        Control("race", "toggle", "Race up to"),
        Control("neuron", "radio", "Neuron"),
        Control("step-button", "plotbutton", "Step ▶"),
    ],
    "race": [                                           # the Cost basin's optimiser race (ROUTES: opened by a link)
        Control("opt-rate", "slider", "Gradient descent, momentum"),
        Control("opt-adaptive", "slider", "RMSProp and Adam: α"),
        Control("opt-beta", "slider", "Momentum's β"),
        Control("opt-steps", "slider", "Steps (updates)"),
        Control("opt-batch", "slider", "Batch size B"),
        Control("opt-decay", "slider", "Learning-rate decay"),
    ],
    "losses3d": [                                       # the Losses page with its 3D tab open (OPEN_TABS)
        Control("alpha", "slider", "Learning rate α"),
        Control("steps", "slider", "Steps"),
        Control("w0", "slider", "Start w₀"),
    ],
    "losses": [
        Control("dataset", "select", "Data set"),
        Control("seed", "number", "Seed (generated", delta=1),
        Control("cost", "radio", "Cost on the left"),
        Control("preset", "radio", "Start point"),
        Control("w0", "slider", "Start w₀"),
        Control("b0", "slider", "Start b₀"),
        Control("alpha", "slider", "Learning rate α"),
        Control("steps", "slider", "Steps"),
        Control("map-click", "plotclick", "", chart=0),
        Control("3d", "reveal", r"3D surfaces"),
        Control("label", "radio", "Label y of the example"),
        Control("p", "slider", "Predicted probability"),
    ],
}


# A page name that is not its URL path: the race is the Cost basin opened with a race setting in its link;
# losses3d is the Losses page with its 3D tab opened (OPEN_TABS) before any control is timed.
ROUTES = {"race": "basin?opt_steps=61", "losses3d": "losses"}
OPEN_TABS = {"losses3d": "3D surfaces"}


def route(path: str) -> str:
    return ROUTES.get(path, path)


class AbsentError(Exception):
    """The control is not on this page (an older or newer version of it)."""


def _one(locator, what):
    if locator.count() == 0:
        raise AbsentError(what)
    return locator.first


def prepare(page: Page, c: Control, run: int):
    """Everything before the input that counts (focus, open a list, type a number); returns the final act."""
    import re
    if c.kind == "slider":
        thumb = _one(page.get_by_test_id("stSlider").filter(has_text=c.label).get_by_role("slider"), c.label)
        thumb.scroll_into_view_if_needed()
        thumb.focus()
        key = "ArrowRight" if run % 2 == 0 else "ArrowLeft"
        return lambda: page.keyboard.press(key)
    if c.kind == "select":
        box = _one(page.get_by_test_id("stSelectbox").filter(has_text=c.label), c.label)
        box.scroll_into_view_if_needed()
        box.get_by_role("combobox").click()
        options = page.locator("[role='option']")
        options.first.wait_for(timeout=WAIT)
        current = [options.nth(i).get_attribute("aria-selected") == "true" for i in range(min(2, options.count()))]
        target = options.nth(1 if current and current[0] else 0)
        return target.click
    if c.kind == "number":
        field_ = _one(page.get_by_test_id("stNumberInput").filter(has_text=c.label).locator("input"), c.label)
        field_.scroll_into_view_if_needed()
        value = float(field_.input_value())
        new = value + c.delta if run % 2 == 0 else value - c.delta
        field_.fill(f"{new:g}")
        return lambda: field_.press("Enter")
    if c.kind == "radio":
        group = _one(page.get_by_test_id("stRadio").filter(has_text=c.label), c.label)
        group.scroll_into_view_if_needed()
        radios = group.get_by_role("radio")
        target = 1 if radios.nth(0).is_checked() else 0
        return radios.nth(target).locator("xpath=ancestor::label[1]").click
    if c.kind == "toggle":
        box = _one(page.get_by_test_id("stCheckbox").filter(has_text=c.label), c.label)
        box.scroll_into_view_if_needed()
        return box.locator("label").first.click
    if c.kind == "button":
        button = _one(page.get_by_role("button", name=re.compile(c.label, re.I)), c.label)
        button.scroll_into_view_if_needed()
        return button.click
    if c.kind == "reveal":
        pattern = re.compile(c.label, re.I)
        tab = page.get_by_role("tab", name=pattern)
        if tab.count():
            tabs = page.get_by_role("tab")
            first = tabs.first
            target = first if tab.first.get_attribute("aria-selected") == "true" else tab.first
            target.scroll_into_view_if_needed()
            return target.click
        box = page.get_by_test_id("stCheckbox").filter(has_text=pattern)
        if box.count():
            box.first.scroll_into_view_if_needed()
            return box.first.locator("label").first.click
        button = _one(page.get_by_role("button", name=pattern), c.label)
        button.scroll_into_view_if_needed()
        return button.click
    if c.kind == "plotbutton":                           # a button of a chart's own (plotly's updatemenu)
        button = _one(page.locator(".updatemenu-button", has_text=c.label), c.label)
        button.scroll_into_view_if_needed()
        return button.click
    if c.kind == "plotclick":
        plot = page.locator(".js-plotly-plot").nth(c.chart)
        if plot.count() == 0:
            raise AbsentError(f"chart {c.chart}")
        plot.scroll_into_view_if_needed()
        fx, fy = c.points[run % len(c.points)]
        x, y = page.evaluate("""([i, fx, fy]) => {
            const L = document.querySelectorAll('.js-plotly-plot')[i]._fullLayout, X = L.xaxis, Y = L.yaxis;
            const at = (ax, f) => ax._offset + ax.l2p(ax.range[0] + f * (ax.range[1] - ax.range[0]));
            return [at(X, fx), at(Y, fy)]; }""", [c.chart, fx, fy])
        box = plot.bounding_box()
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.wait_for_timeout(300)                       # plotly's hover first, as a real pointer does
        return lambda: page.mouse.click(box["x"] + x, box["y"] + y)
    raise ValueError(c.kind)


# ---------------------------------------------------------------------------------------------------------------


def wait_idle(page: Page, quiet_ms: int = 600) -> None:
    """The script run is over, nothing stale, every chart drawn, and the charts unchanged for `quiet_ms`."""
    page.wait_for_timeout(150)
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(state="attached",
                                                                                            timeout=WAIT)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached",
                                                                                         timeout=WAIT)
    page.wait_for_function("!document.querySelector(\"[data-testid='stElementContainer'][data-stale='true']\")",
                           polling=200, timeout=WAIT)
    last, since = None, time.monotonic()
    deadline = time.monotonic() + WAIT / 1000
    while time.monotonic() < deadline:
        f = page.evaluate("() => window.__seen.fingerprint()")
        if f != last:
            last, since = f, time.monotonic()
        elif time.monotonic() - since >= quiet_ms / 1000:
            return
        page.wait_for_timeout(150)


def time_control(page: Page, c: Control, run: int, frames: list) -> dict:
    wait_idle(page)
    act = prepare(page, c, run)
    page.evaluate("() => window.__seen.armControl()")
    frames.clear()
    act()
    try:
        page.wait_for_function("() => { const R = window.__seen.arm; return R.t0 !== null && R.shown !== null; }",
                               polling=100, timeout=30_000)
    except Exception:  # noqa: BLE001 (no change within 30 s: reported as such)
        return page.evaluate("() => window.__seen.controlResult()")
    page.wait_for_timeout(1000)                         # the second of long tasks after the change
    wait_idle(page, quiet_ms=1000)
    result = page.evaluate("() => window.__seen.controlResult()")
    result["ws_bytes"] = sum(frames)
    return result


def wait_first_draw(page: Page) -> None:
    """From a navigation (goto with wait_until="commit"): until every chart is drawn and nothing more for 1.5 s."""
    page.wait_for_function("() => window.__seen", polling=50, timeout=WAIT)
    page.evaluate("() => window.__seen.watchLoad()")
    page.wait_for_function("() => { const R = window.__seen.load; "
                           "return R.drawnAt !== null && performance.now() - R.since > 1500; }",
                           polling=200, timeout=WAIT * 2)


@contextlib.contextmanager
def drawn_page(page_path: str) -> Iterator[Page]:
    """A server from this tree and a browser page on `page_path`, every chart drawn and 2 s settled."""
    with server(ROOT) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.add_init_script(INIT)
            page.goto(f"{url}/{route(page_path)}")
            page.wait_for_function("() => window.__seen && window.__seen.allDrawn()", polling=200,
                                   timeout=WAIT * 2)
            page.wait_for_timeout(2000)
            yield page
        finally:
            browser.close()


def time_load(browser, url: str, page_path: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT)
    page = context.new_page()
    page.goto(f"{url}/{route(page_path)}", wait_until="commit")
    wait_first_draw(page)
    result = page.evaluate("""() => { const R = window.__seen.load; R.done = true;
        return {drawn: R.drawnAt, long: window.__seen.longBetween(0, R.drawnAt),
                nodes: document.getElementsByTagName('*').length,
                charts: document.querySelectorAll('.js-plotly-plot').length}; }""")
    context.close()
    return result


def first_visit_bytes(browser, url: str, page_path: str) -> dict:
    """HTTP bytes of a first visit (fresh context, nothing cached), decoded and as transferred, plus the
    websocket's received bytes, until every chart is drawn."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    decoded, transferred, ws = {}, {}, [0]
    cdp.on("Network.dataReceived", lambda e: decoded.__setitem__(
        e["requestId"], decoded.get(e["requestId"], 0) + e["dataLength"]))
    cdp.on("Network.loadingFinished", lambda e: transferred.__setitem__(e["requestId"], e["encodedDataLength"]))
    cdp.on("Network.webSocketFrameReceived", lambda e: ws.__setitem__(0, ws[0] + len(e["response"]["payloadData"])))
    page.goto(f"{url}/{route(page_path)}")
    page.wait_for_function("() => window.__seen && window.__seen.allDrawn()", polling=200, timeout=WAIT * 2)
    wait_idle(page, quiet_ms=1500)
    context.close()
    return {"http_decoded": sum(decoded.values()), "http_transferred": sum(transferred.values()),
            "ws_received": ws[0], "requests": len(transferred)}


# ---------------------------------------------------------------------------------------------------------------
# Servers


@contextlib.contextmanager
def server(tree: Path, command=None) -> Iterator[str]:
    """The app of `tree` served as the deployment serves it (or by command(port), run in `tree`); its URL."""
    port = serve.free_port()
    if command:
        cmd = command(port)
    else:
        cmd = serve.command(port)
        cmd[1] = str(tree / "serve.py")                   # the same command, from the tree under test
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=tree, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        serve.wait_healthy(url, proc, timeout=90)
        yield url
    finally:
        serve.stop(proc)
        log.close()


@contextlib.contextmanager
def worktree(ref: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="basin-seen-baseline-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(path), ref], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield path
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, check=False)
        shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------------
# Statistics and report


@dataclass
class Series:
    values: list[float] = field(default_factory=list)

    def add(self, v):
        if v is not None and math.isfinite(v):
            self.values.append(float(v))

    def text(self, unit="ms", scale=1.0, digits=0):
        if not self.values:
            return "–"
        v = [x * scale for x in self.values]
        med = statistics.median(v)
        return f"{med:,.{digits}f} ({min(v):,.{digits}f}–{max(v):,.{digits}f})"

    def median(self):
        return statistics.median(self.values) if self.values else math.nan


def open_app(browser, url: str, page_path: str, frames: list) -> Page:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT)
    page = context.new_page()
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(len(f))))
    page.goto(f"{url}/{route(page_path)}")
    page.wait_for_function("() => window.__seen && window.__seen.allDrawn()", polling=200, timeout=WAIT * 2)
    if page_path in OPEN_TABS:
        page.get_by_role("tab", name=OPEN_TABS[page_path]).click()
        page.wait_for_function("(n) => document.querySelectorAll('.js-plotly-plot').length > n && "
                               "window.__seen.allDrawn()", arg=page.locator(".js-plotly-plot").count(),
                               polling=200, timeout=WAIT * 2)
    wait_idle(page)
    return page


def warm_up(browser, url: str, pages: list[str]) -> None:
    """Visit each page once, untimed: the first visit of a fresh server pays Streamlit's cold start."""
    for path in pages:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(INIT)
        page = context.new_page()
        page.goto(f"{url}/{route(path)}")
        with contextlib.suppress(Exception):
            page.wait_for_function("() => window.__seen && window.__seen.allDrawn()", polling=300, timeout=WAIT)
        context.close()


def measure(targets: dict[str, str], pages: list[str], controls: dict[str, list[Control]], runs: int,
            loads: bool, log=print, browser=None) -> dict:
    """targets: label -> base URL. Runs alternate between the targets (A B, then B A, ...). browser: a Playwright
    Chromium already running (e.g. a test's), else one is launched here."""
    if browser is not None:
        return _measure(browser, targets, pages, controls, runs, loads, log)
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            return _measure(launched, targets, pages, controls, runs, loads, log)
        finally:
            launched.close()


def _measure(browser, targets, pages, controls, runs, loads, log) -> dict:
    results: dict = {}
    labels = list(targets)
    for label in labels:
        warm_up(browser, targets[label], pages)
    for path in pages:
        if loads:
            for i in range(runs):
                for label in (labels if i % 2 == 0 else labels[::-1]):
                    r = time_load(browser, targets[label], path)
                    slot = results.setdefault((path, "first load"), {}).setdefault(
                        label, {"drawn": Series(), "long": Series(), "nodes": Series()})
                    slot["drawn"].add(r["drawn"])
                    slot["long"].add(r["long"])
                    slot["nodes"].add(r["nodes"])
                    log(f"{path} first load [{label}] run {i + 1}: {r['drawn']:.0f} ms, long tasks "
                        f"{r['long']:.0f} ms, {r['nodes']} nodes, {r['charts']} charts")
        if not controls.get(path):
            continue
        frames = {label: [] for label in labels}
        opened = {label: open_app(browser, targets[label], path, frames[label]) for label in labels}
        for c in controls[path]:
            for i in range(runs):
                for label in (labels if i % 2 == 0 else labels[::-1]):
                    page = opened[label]
                    slot = results.setdefault((path, c.name), {}).setdefault(
                        label, {"shown": Series(), "settled": Series(), "long": Series(),
                                "longAfter": Series(), "ws": Series(), "unchanged": 0, "absent": False})
                    try:
                        r = time_control(page, c, i, frames[label])
                    except AbsentError:
                        slot["absent"] = True
                        log(f"{path} {c.name} [{label}]: not on this page")
                        break
                    except PlaywrightError as err:   # one control failing must not lose the others
                        slot["failed"] = slot.get("failed", 0) + 1
                        log(f"{path} {c.name} [{label}] run {i + 1}: failed: {str(err).splitlines()[0]}")
                        continue
                    if not r.get("changed"):
                        slot["unchanged"] += 1
                        log(f"{path} {c.name} [{label}] run {i + 1}: no chart changed within 30 s")
                        continue
                    slot["shown"].add(r["shown"])
                    slot["settled"].add(r["settled"])
                    slot["long"].add(r["long"])
                    slot["longAfter"].add(r["longAfter"])
                    slot["ws"].add(r["ws_bytes"])
                    log(f"{path} {c.name} [{label}] run {i + 1}: shown {r['shown']:.0f} ms, settled "
                        f"{r['settled']:.0f} ms, long {r['long']:.0f} ms (after {r['longAfter']:.0f}), "
                        f"{r['ws_bytes']} B")
        for page in opened.values():
            page.context.close()
    return results


def measure_bytes(tree_url: str, pages: list[str], nginx: bool, log=print) -> dict:
    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        warm_up(browser, tree_url, pages)
        for path in pages:
            out[("direct", path)] = first_visit_bytes(browser, tree_url, path)
            log(f"bytes, direct, /{path}: {out[('direct', path)]}")
        if nginx:
            from deploy import run_replicas
            if run_replicas.find_nginx() is None:
                log("nginx not found: bytes through nginx not measured")
            else:
                with run_replicas.start(replicas=1) as cluster:
                    warm_up(browser, cluster.url, pages)
                    for path in pages:
                        out[("nginx", path)] = first_visit_bytes(browser, cluster.url, path)
                        log(f"bytes, nginx (gzip), /{path}: {out[('nginx', path)]}")
                    shutil.rmtree(cluster.prefix, ignore_errors=True)
        browser.close()
    return out


def report(results: dict, labels: list[str], runs: int, title: str, byte_results: dict | None = None) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"## {title}", "", f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {runs} runs each, "
             "median (min–max), ms unless stated. Targets: " + ", ".join(labels) + ". "
             f"Load average at the end (1, 5, 15 min, {os.cpu_count()} cores): {load}.", ""]
    two = len(labels) == 2
    head = "| page | what | measure | " + " | ".join(labels) + (f" | {labels[0]} ÷ {labels[1]} |" if two else " |")
    lines += [head, "|" + "---|" * (len(labels) + 3 + (1 if two else 0))]
    for (path, what), by_label in results.items():
        keys = ([("drawn", "every chart drawn"), ("long", "long tasks"), ("nodes", "DOM nodes")]
                if what == "first load" else
                [("shown", "input → chart shown"), ("settled", "→ settled"), ("long", "long tasks to +1 s"),
                 ("longAfter", "long tasks, 1 s after shown"), ("ws", "bytes received")])
        for key, name in keys:
            cells = []
            for label in labels:
                s = by_label.get(label)
                if s is None or s.get("absent"):
                    cells.append("not on the page")
                else:
                    extra = (f", {s['unchanged']} unchanged" if s.get("unchanged") else "") + (
                        f", {s['failed']} failed" if s.get("failed") else "")
                    cells.append(s[key].text() + extra)
            ratio = ""
            if two:
                a, b = (by_label.get(lb) for lb in labels)
                if a and b and not a.get("absent") and not b.get("absent") and b[key].median():
                    ratio = f"{a[key].median() / b[key].median():.2f}"
            lines.append(f"| /{path} | {what} | {name} | " + " | ".join(cells) + (f" | {ratio} |" if two else " |"))
    if byte_results:
        lines += ["", "First visit, bytes (fresh browser, nothing cached, until every chart is drawn):", "",
                  "| route | page | HTTP decoded | HTTP transferred | websocket received | requests |",
                  "|---|---|---|---|---|---|"]
        for (route, path), b in byte_results.items():
            lines.append(f"| {route} | /{path} | {b['http_decoded'] / 1e6:.2f} MB | "
                         f"{b['http_transferred'] / 1e6:.2f} MB | {b['ws_received'] / 1e3:.0f} KB | {b['requests']} |")
    return "\n".join(lines) + "\n"


def main(argv=None, browser=None) -> None:
    """The command line; `browser` lets a caller that already runs Playwright (a test) lend its Chromium."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", help="a running server (default: start one from this tree)")
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--pages", default="basin,losses,race")
    ap.add_argument("--controls", default="", help="comma-separated control names (default: every one)")
    ap.add_argument("--no-loads", action="store_true", help="skip the first-load timing")
    ap.add_argument("--no-bytes", action="store_true", help="skip the bytes of a first visit")
    ap.add_argument("--no-nginx", action="store_true", help="bytes directly only, not through nginx")
    ap.add_argument("--bytes-only", action="store_true")
    ap.add_argument("--baseline", help="a git ref: measure it side by side (A/B alternated) in a temporary worktree")
    ap.add_argument("--label", default="this tree")
    ap.add_argument("--out", default=str(RESULTS / "seen.md"), help="append the report here ('-': print only)")
    ap.add_argument("--json", help="also write the raw values here")
    args = ap.parse_args(argv)

    pages = [p for p in args.pages.split(",") if p]
    wanted = {c for c in args.controls.split(",") if c}
    controls = {p: [c for c in CONTROLS.get(p, []) if not wanted or c.name in wanted] for p in pages}
    if args.bytes_only:
        controls = {}
    with contextlib.ExitStack() as stack:
        url = args.url or stack.enter_context(server(ROOT))
        targets = {args.label: url}
        if args.baseline:
            tree = stack.enter_context(worktree(args.baseline))
            targets[f"baseline {args.baseline}"] = stack.enter_context(server(tree))
        results = {} if args.bytes_only else measure(targets, pages, controls, args.runs,
                                                     loads=not args.no_loads, browser=browser)
        byte_results = None
        if not args.no_bytes and not args.baseline:
            byte_results = measure_bytes(url, pages, nginx=not args.no_nginx and not args.url)
    text = report(results, list(targets), args.runs, "What the student sees (`benchmarks/seen.py`)", byte_results)
    print(text)
    if args.out != "-":
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "a") as f:
            f.write("\n" + text)
    if args.json:
        raw = {f"{p}|{w}": {lb: {k: (v.values if isinstance(v, Series) else v) for k, v in s.items()}
                            for lb, s in by.items()} for (p, w), by in results.items()}
        Path(args.json).write_text(json.dumps({"results": raw, "bytes": {f"{r}|{p}": b for (r, p), b in
                                                                        (byte_results or {}).items()}}, indent=1))


if __name__ == "__main__":
    main()
