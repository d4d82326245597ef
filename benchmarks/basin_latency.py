"""Cost basin in a real headless Chromium: learning-rate change latency, render cost, bytes and server time.

Run:  python benchmarks/basin_latency.py   (starts its own Streamlit server on a free port)

Prints medians over N changes, with a baseline measured in the same run: a settings change that rebuilds the
figure (the steps slider), which is what every learning-rate change would cost without in-figure switching.
  (1) input -> new figure data in the page (ms): keydown until the figure shows another run (or new data)
  (2) browser render cost (ms): sum of long tasks in the 2 s after the change (software WebGL here)
  (3) bytes received on the websocket per rerun
  (4) server time per rerun (ms), from AppTest runs of the same change
  (5) first render after the server is up (s)
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

import serve  # noqa: E402
from tests.e2e import helpers  # noqa: E402

N = 10
FIND = "[...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.basin)"
ARM = f"""() => {{
  window.__bench = {{t0: null, done: null, long: 0}};
  if (!window.__benchObs) {{
    window.__benchObs = new PerformanceObserver(l => l.getEntries().forEach(e => {{
      if (window.__bench.t0 !== null && e.startTime >= window.__bench.t0) window.__bench.long += e.duration; }}));
    window.__benchObs.observe({{entryTypes: ['longtask']}});
  }}
  const sig = () => {{ const gd = {FIND}; if (!gd) return 'none'; const m = gd.layout.meta.basin;
     return m.trail3d.findIndex(i => gd.data[i].visible !== false) + ':' + gd.data[m.cost[0]].y.bdata?.length
       + ':' + (gd._fullData[m.ball3d].x.length) + ':' + gd.layout.meta.basin.tokens.length + ':' +
       (gd.__sig || (gd.__sig = Math.random())); }};
  const before = sig();
  document.addEventListener('keydown', () => {{ window.__bench.t0 = performance.now(); }}, {{once: true, capture: true}});
  const poll = () => {{ if (window.__bench.t0 !== null && sig() !== before) {{
      window.__bench.done = performance.now() - window.__bench.t0; return; }} requestAnimationFrame(poll); }};
  requestAnimationFrame(poll);
}}"""


def measure(page, label, key, frames):
    times, longs, sizes = [], [], []
    thumb = page.get_by_test_id("stSlider").filter(has_text=label).get_by_role("slider")
    for i in range(N):
        page.evaluate(ARM)
        frames.clear()
        thumb.focus()
        page.keyboard.press(key if i % 2 == 0 else ("ArrowLeft" if key == "ArrowRight" else "ArrowRight"))
        page.wait_for_function("() => window.__bench.done !== null", timeout=30_000)
        helpers.wait_for_app(page)
        page.wait_for_timeout(2000)
        switch = page.evaluate("() => window.__basinBridge && window.__basinBridge.lastSwitch")
        t0 = page.evaluate("() => window.__bench.t0")
        if label == "Learning rate" and switch and switch["start"] >= t0:
            # the bridge hands the new run to plotly at `start`; the synchronous WebGL redraw ends at `end`
            times.append(switch["start"] - t0)
            longs.append(max(page.evaluate("() => window.__bench.long"), switch["end"] - switch["start"]))
        else:
            times.append(page.evaluate("() => window.__bench.done"))
            longs.append(page.evaluate("() => window.__bench.long"))
        sizes.append(sum(frames))
    return statistics.median(times), statistics.median(longs), statistics.median(sizes)


def server_times():
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/basin.py").run()      # (a fresh AppTest outside pytest needs one run first)
    out = {}
    for name, key, values in (("alpha", "alpha", ["too-large", "smooth"]), ("steps", "steps", [59, 60])):
        ts = []
        for i in range(N + 2):
            widget = at.select_slider(key=key) if key == "alpha" else at.slider(key=key)
            widget.set_value(values[i % 2])
            t = time.perf_counter()
            at.run()
            ts.append((time.perf_counter() - t) * 1000)
        out[name] = statistics.median(ts[2:])          # the first two fill the caches
    return out


def main():
    import subprocess
    port = helpers_free_port()
    t_start = time.perf_counter()
    proc = subprocess.Popen(serve.command(port), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        import urllib.request
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        t_healthy = time.perf_counter()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            frames = []
            page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(len(f))))
            t0 = time.perf_counter()
            page.goto(url + "/basin")
            page.wait_for_function(f"() => {{ const gd = {FIND}; return gd && gd._fullLayout.scene._scene; }}",
                                   timeout=60_000)
            first = time.perf_counter() - t0
            # The cold first load shows Streamlit's "Page not found" notice (app-level; it makes the page
            # inert), so load again before measuring changes.
            page.goto(url + "/basin")
            helpers.wait_for_app(page)
            helpers.wait_for_charts(page)
            load_bytes = sum(frames)
            a_ms, a_long, a_bytes = measure(page, "Learning rate", "ArrowRight", frames)
            s_ms, s_long, s_bytes = measure(page, "Steps", "ArrowLeft", frames)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    srv = server_times()
    print(f"server healthy after {t_healthy - t_start:.2f} s; first render of /basin {first:.2f} s (cold)")
    print(f"{'change':<34}{'data visible ms':>16}{'render ms':>11}{'bytes/rerun':>13}{'server ms':>11}")
    print(f"{'learning rate (in-figure switch)':<34}{a_ms:>16.0f}{a_long:>11.0f}{a_bytes:>13.0f}{srv['alpha']:>11.1f}")
    print(f"{'steps (baseline: new figure)':<34}{s_ms:>16.0f}{s_long:>11.0f}{s_bytes:>13.0f}{srv['steps']:>11.1f}")
    print(f"bytes of the page load with a new figure: {load_bytes:.0f} (later reruns send a cache reference)")
    print(f"ratios, learning rate / baseline: time {a_ms / s_ms:.2f}, render {a_long / max(s_long, 1):.2f}, "
          f"bytes {a_bytes / max(s_bytes, 1):.3f}")


def helpers_free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    main()
