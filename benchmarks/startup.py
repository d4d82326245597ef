"""How long Basin takes to start, against a trivial one-line Streamlit app measured in the same run.

Run:  .venv/bin/python benchmarks/startup.py [--runs 5]
Needs Chromium (the `chromium` on PATH) and the dev requirements. Not part of the tests.

For each of N runs and for both apps (Basin's app.py and a baseline `st.write("hello")` app):
  import   a fresh Python imports the app's modules (baseline: `import streamlit` alone)
  healthy  `streamlit run` is started until /_stcore/health answers "ok"
  render   headless Chromium opens "/" until Streamlit reports script-state notRunning
           (the first render after start, so it includes the server's first run of the script)
  chart    Basin only: until the Home page's plotly chart has been drawn
Medians are printed, with the ratio to the baseline. Budgets from DESIGN.md: healthy <= 5 s, render <= 2 s.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import serve  # noqa: E402
from serve import free_port, healthy  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic",
               "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


def app_modules() -> list[str]:
    """Every module Basin's pages can import: ui.*, core.* (whatever exists today), plus the libraries."""
    mods = ["streamlit", "numpy", "plotly.graph_objects"]
    for package in ("ui", "core"):
        mods += [f"{package}.{p.stem}" for p in sorted((ROOT / package).glob("*.py")) if p.stem != "__init__"]
    return mods


def time_import(modules: list[str]) -> float:
    code = ("import importlib, time; t = time.perf_counter()\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def one_start(app: Path, browser, wait_chart: bool) -> tuple[float, float, float | None]:
    """Start a server for `app`, open it once; return (healthy, render, chart) in seconds."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    # Basin starts through serve.py (as shipped); the baseline is a plain `streamlit run` of a one-line app.
    command = serve.command(port) if app == serve.APP else \
        [sys.executable, "-m", "streamlit", "run", str(app), *serve.LOCAL_OPTIONS, f"--server.port={port}"]
    proc = subprocess.Popen(command, cwd=app.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not healthy(url):
            if proc.poll() is not None or time.perf_counter() - t0 > 60:
                raise RuntimeError(f"{app} did not start")
            time.sleep(0.02)
        t_healthy = time.perf_counter() - t0
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        t1 = time.perf_counter()
        # wait_until="commit": do not wait for the load event (which also waits for lazy chunks
        # such as plotly.js); the clock stops when Streamlit says the script has finished.
        page.goto(url, wait_until="commit")
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
            state="attached", timeout=60_000)
        t_render = time.perf_counter() - t1
        t_chart = None
        if wait_chart:
            page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot .main-svg").first.wait_for(
                state="attached", timeout=60_000)
            t_chart = time.perf_counter() - t1
        context.close()
        return t_healthy, t_render, t_chart
    finally:
        serve.stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("Chromium not found on PATH (Debian/Ubuntu: apt-get install chromium).")

    results: dict[str, dict[str, list[float]]] = {"baseline": {}, "basin": {}}

    def add(app: str, what: str, value: float | None) -> None:
        if value is not None:
            results[app].setdefault(what, []).append(value)

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        trivial = Path(tmp) / "trivial.py"
        trivial.write_text('import streamlit as st\nst.write("hello")\n')
        browser = pw.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        for run in range(args.runs):
            # Alternate the two apps, so drift on a shared machine hits both alike.
            add("baseline", "import", time_import(["streamlit"]))
            add("basin", "import", time_import(app_modules()))
            for name, app, chart in (("baseline", trivial, False), ("basin", ROOT / "app.py", True)):
                t_healthy, t_render, t_chart = one_start(app, browser, chart)
                add(name, "healthy", t_healthy)
                add(name, "render", t_render)
                add(name, "chart", t_chart)
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
        browser.close()

    rows = [("import", "import the app's modules in a fresh Python"),
            ("healthy", "server start -> /_stcore/health ok"),
            ("render", "open / -> script-state notRunning (first render)"),
            ("chart", "open / -> Home's plotly chart drawn")]
    print(f"\nmedians of {args.runs} runs, seconds (baseline: one-line app; import baseline: `import streamlit`)")
    print(f"{'what':<52} {'baseline':>9} {'basin':>9} {'ratio':>7}")
    for key, label in rows:
        basin = statistics.median(results["basin"][key])
        base = results["baseline"].get(key)
        if base:
            b = statistics.median(base)
            print(f"{label:<52} {b:>9.2f} {basin:>9.2f} {basin / b:>6.2f}x")
        else:
            print(f"{label:<52} {'-':>9} {basin:>9.2f} {'-':>7}")
    print(f"modules imported: {', '.join(app_modules())}")


if __name__ == "__main__":
    main()
