"""Where the seconds of a first load go: a Chromium CPU profile (CDP Profiler) of a page, from navigation to every
chart drawn, with milestones read inside the page, against floors served the same way (the same serve.py options,
the same browser flags as benchmarks/seen.py):

  floor-write   a Streamlit page with one st.write (Streamlit's own boot: its bundle, the websocket, one script run)
  floor-2d      + one small 2D plotly chart (adds plotly.js: fetch, parse, first draw)
  floor-3d      + one 3D surface of the same grid and size as the Cost basin's (adds WebGL in software)
  basin-figure  the Cost basin's figure alone in a bare page (-wide: in the wide layout; -surface: no 3D scatter)
  basin         the Cost basin page (/basin)

Run:  python benchmarks/first_load_profile.py --runs 3            (prints a table; --out appends it to a file)

Per target: median of the runs of the time to every chart drawn (as seen.py's first load), the milestones (the app
shell, the first widget, plotly.js loaded, each chart's first draw, each 3D scene's canvas, KaTeX), and the main
thread's CPU time by where it was spent (script bundle, plotly.js, KaTeX, garbage collection, the rest: style,
layout, paint and WebGL calls that show as "(program)").
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import textwrap
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from playwright.sync_api import sync_playwright  # noqa: E402
from seen import ARGS, CHROMIUM, INIT, VIEWPORT, server, wait_first_draw, worktree  # noqa: E402

import serve  # noqa: E402

FLOORS = {
    "floor-write": 'import streamlit as st\nst.write("Hello")\n',
    "floor-2d": textwrap.dedent("""
        import plotly.graph_objects as go
        import streamlit as st
        st.write("Hello")
        st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])), theme=None)
        """),
    "floor-3d": textwrap.dedent("""
        import numpy as np
        import plotly.graph_objects as go
        import streamlit as st
        st.write("Hello")
        st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])), theme=None)
        g = np.linspace(-3, 3, 60)
        fig = go.Figure(go.Surface(x=g, y=g, z=np.add.outer(g ** 2, g ** 2), showscale=False))
        fig.update_layout(height=620, margin={"l": 0, "r": 0, "t": 0, "b": 0})
        st.plotly_chart(fig, theme=None)
        """),
}

# The Cost basin's own figure (default settings, its runs drawn in) alone in a bare page: what the figure costs
# without the app around it; "-wide" in the app's wide layout; "-surface" without its 3D scatter traces.
FLOORS["basin-figure"] = textwrap.dedent(f"""
    import sys
    sys.path.insert(0, {str(ROOT)!r})
    import streamlit as st
    from core.figures.basin import with_runs
    from core.lessons import basin
    from ui.basin import experiment
    p = basin.BasinParams()
    surface, payload, *_ = experiment(p.dataset, p.seed, p.neuron, p.lambd, p.w0, p.b0, p.steps, p.grid, ())
    st.write("Hello")
    st.plotly_chart(with_runs(surface.figure(), payload, p.alpha), theme=None)
    """)
FLOORS["basin-figure-wide"] = FLOORS["basin-figure"].replace(
    "import streamlit as st\n", "import streamlit as st\nst.set_page_config(layout='wide')\n")
FLOORS["basin-figure-surface"] = FLOORS["basin-figure"].replace(
    "st.plotly_chart(with_runs(surface.figure(), payload, p.alpha), theme=None)",
    "import plotly.graph_objects as go\nf = go.Figure(with_runs(surface.figure(), payload, p.alpha))\n"
    "f.data = [t for t in f.data if t.type != 'scatter3d']\nst.plotly_chart(f, theme=None)")

MILESTONES = r"""
(() => {
  const M = window.__marks = {};
  const mark = (k) => { if (!(k in M)) M[k] = performance.now(); };
  const tick = () => {
    if (document.querySelector("[data-testid='stApp']")) mark('app shell');
    if (document.querySelector("[data-testid='stMarkdown'], [data-testid='stHeading']")) mark('first text');
    if (document.querySelector("[data-testid='stSidebar'] [data-testid='stWidgetLabel']")) mark('sidebar widgets');
    if (window.Plotly) mark('plotly.js loaded');
    const gds = [...document.querySelectorAll('.js-plotly-plot')];
    gds.forEach((gd, i) => {
      if (gd._fullData && gd.querySelector('.main-svg')) mark('chart ' + (i + 1) + ' drawn');
      if (gd.querySelector('.gl-container canvas')) mark('chart ' + (i + 1) + ' WebGL canvas');
    });
    if (document.querySelector('.katex')) mark('KaTeX');
    if (window.__seen && window.__seen.allDrawn()) mark('all drawn (first)');
    if (!M.done) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""


def classify(url: str, fn: str, big: dict[str, int]) -> str:
    if fn in ("(idle)", "(program)", "(garbage collector)", "(root)"):
        return {"(program)": "native: style, layout, paint, WebGL calls", "(garbage collector)": "garbage collection",
                "(idle)": "idle", "(root)": "idle"}[fn]
    if not url:
        return "native builtins"
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if "katex" in name.lower():
        return "KaTeX"
    if url in big:
        return big[url]
    if "/static/js/" in url:
        return "Streamlit bundle (other chunks)"
    return "page scripts (the bridge, st.html)"


NO_CHARTS = r"""
(() => { const S = window.__seen, all = S.allDrawn;      // a page without charts: drawn once its text is
  S.allDrawn = () => { const app = document.querySelector("[data-testid='stApp']");
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
      && !!document.querySelector("[data-testid='stMarkdown']"); }; })();
"""


def profile_one(browser, url: str, path: str, charts: bool = True) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT)
    if not charts:
        context.add_init_script(NO_CHARTS)
    context.add_init_script(MILESTONES)
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, int(r.headers.get("content-length", 0) or 0))
            if r.url.endswith(".js") else None)
    cdp = context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    cdp.send("Profiler.start")
    page.goto(f"{url}/{path}", wait_until="commit")
    wait_first_draw(page)
    prof = cdp.send("Profiler.stop")["profile"]
    res = page.evaluate("""() => { const R = window.__seen.load; R.done = true; window.__marks.done = true;
        const nav = performance.getEntriesByType('navigation')[0];
        const js = performance.getEntriesByType('resource').filter(e => e.name.endsWith('.js'))
            .map(e => [e.name, e.startTime, e.responseEnd, e.decodedBodySize]);
        return {drawn: R.drawnAt, long: window.__seen.longBetween(0, R.drawnAt), marks: window.__marks,
                nodes: document.getElementsByTagName('*').length, dcl: nav.domContentLoadedEventEnd, js}; }""")
    context.close()
    # the plotly.js chunk is the largest script; Streamlit's main bundle the second (named by size, not hash)
    js = sorted(res["js"], key=lambda e: -e[3])
    big = {}
    for e in js[:2]:
        big[e[0]] = "plotly.js" if not big else "Streamlit main bundle"
    # self time per category, only up to every chart drawn
    nodes = {n["id"]: n for n in prof["nodes"]}
    t, cut = prof["startTime"], None
    by = defaultdict(float)
    fns = defaultdict(float)
    samples, deltas = prof.get("samples", []), prof.get("timeDeltas", [])
    start_us = prof["startTime"]
    # performance.now() is relative to navigation start; the profile starts just before goto: close enough
    cut = res["drawn"] * 1000 if res["drawn"] else None
    for s, d in zip(samples, deltas, strict=False):
        t += d
        if cut is not None and t - start_us > cut:
            break
        n = nodes[s]["callFrame"]
        where = classify(n.get("url", ""), n.get("functionName", "") or "", big)
        by[where] += d / 1000
        if where == "plotly.js":
            fns[f"{n.get('functionName') or '(anonymous)'}:{n.get('lineNumber', 0)}"] += d / 1000
    res["cpu"] = dict(by)
    res["plotly_top"] = sorted(fns.items(), key=lambda kv: -kv[1])[:12]
    res["js_loaded"] = [(e[0].rsplit("/", 1)[-1], round(e[2]), e[3]) for e in js[:4]]
    return res


@contextlib.contextmanager
def floor_server(source: str):
    d = Path(tempfile.mkdtemp(prefix="basin-floor-"))
    (d / "app.py").write_text(source)
    with server(d, lambda port: [sys.executable, "-m", "streamlit", "run", str(d / "app.py"), *serve.LOCAL_OPTIONS,
                                 f"--server.port={port}"]) as url:
        yield url


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--targets", default="floor-write,floor-2d,floor-3d,basin")
    ap.add_argument("--ref", help="serve /basin from this git ref (a temporary worktree) instead of this tree")
    ap.add_argument("--out", default="-")
    args = ap.parse_args(argv)
    targets = args.targets.split(",")
    out = {}
    with contextlib.ExitStack() as stack, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tree = stack.enter_context(worktree(args.ref)) if args.ref else ROOT
        urls = {t: (stack.enter_context(floor_server(FLOORS[t])), "") if t in FLOORS
                else (stack.enter_context(server(tree)), t) for t in targets}
        for t, (url, path) in urls.items():
            profile_one(browser, url, path, charts=t != "floor-write")     # untimed: the server's cold start
        for i in range(args.runs):
            for t, (url, path) in urls.items():
                r = profile_one(browser, url, path, charts=t != "floor-write")
                out.setdefault(t, []).append(r)
                print(f"{t} run {i + 1}: drawn {r['drawn']:.0f} ms, long {r['long']:.0f} ms, nodes {r['nodes']}, "
                      f"marks {({k: round(v) for k, v in r['marks'].items()})}", flush=True)
        browser.close()
    lines = []
    for t, rs in out.items():
        med = lambda xs: statistics.median(xs) if xs else float("nan")  # noqa: E731
        lines.append(f"### {t}: every chart drawn {med([r['drawn'] for r in rs]):,.0f} ms "
                     "(runs: " + ", ".join(f"{r['drawn']:,.0f}" for r in rs) + "), long tasks "
                     + f"{med([r['long'] for r in rs]):,.0f} ms, {rs[0]['nodes']} DOM nodes")
        lines.append("")
        keys = sorted({k for r in rs for k in r["marks"] if k != "done"},
                      key=lambda k: med([r["marks"][k] for r in rs if k in r["marks"]]))
        lines.append("milestones (ms from navigation, median): " + "; ".join(
            f"{k} {med([r['marks'][k] for r in rs if k in r['marks']]):,.0f}" for k in keys))
        lines.append("")
        cats = sorted({k for r in rs for k in r["cpu"]}, key=lambda k: -med([r["cpu"].get(k, 0) for r in rs]))
        lines.append("| main thread, to every chart drawn | ms (median) |")
        lines.append("|---|---|")
        for k in cats:
            lines.append(f"| {k} | {med([r['cpu'].get(k, 0) for r in rs]):,.0f} |")
        lines.append("")
        lines.append("plotly.js functions by self time (first run, ms): " + "; ".join(
            f"{f} {ms:,.0f}" for f, ms in rs[0]["plotly_top"]))
        lines.append("")
        lines.append("largest scripts (name, loaded at ms, bytes): " + "; ".join(
            f"{n} {e:,} ms {b:,} B" for n, e, b in rs[0]["js_loaded"]))
        lines.append("")
    text = "\n".join(lines)
    print(text)
    if args.out != "-":
        with open(args.out, "a") as f:
            f.write("\n" + text + "\n")


if __name__ == "__main__":
    main()
