"""Holding a key on the Cost basin's learning-rate slider: how many runs the student sees go by, and how smooth.

A student who holds → (or drags the thumb) sends a new rate many times a second. Each one is drawn by the page's
script at once (ui/basin_bridge.js follows the slider before the rerun lands), so what limits the student is how
long each redraw keeps the page busy: while it is busy, frames are not painted and key presses wait.

How it is timed, in real headless Chromium (software WebGL on this machine):
  the α thumb gets the focus, then `--presses` presses of → (or ←) are sent `--every` ms apart, as a held key's
  auto-repeat would; an animation-frame loop in the page records each painted frame's time and the run the 3D
  trail shows (its trace `meta`, read from plotly's _fullData).
  runs seen      how many times a new run was painted, from the first press to the end;
  worst gap      the longest time between two painted frames (a frozen page);
  caught up      from the last press to the frame showing the run of the last press (the thumb's final rate).
Targets are alternated per run (A B, then B A); medians and ranges are reported.

Run:  python benchmarks/basin_drag.py                       (this tree alone)
      python benchmarks/basin_drag.py --baseline main --runs 6
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import seen  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

FIND = "[...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.basin)"
WATCH = f"""() => {{
  const W = window.__drag = {{frames: [], stop: false}};
  const tick = (t) => {{
    const gd = {FIND};
    const d = gd && gd._fullData && gd._fullData[gd.layout.meta.basin.trail3d[0]];
    W.frames.push([t, d ? d.meta : null]);
    if (!W.stop) requestAnimationFrame(tick);
  }};
  requestAnimationFrame(tick);
}}"""


def hold(page, key: str, presses: int, every: int) -> dict:
    """Press `key` `presses` times, `every` ms apart, on the focused α thumb; what the page painted meanwhile."""
    page.evaluate(WATCH)
    start = page.evaluate("() => performance.now()")
    for _ in range(presses):
        page.keyboard.press(key)
        page.wait_for_timeout(every)
    last_press = page.evaluate("() => performance.now()")
    seen.wait_idle(page)                      # the rerun of the last press has landed, and nothing moves
    page.wait_for_timeout(300)
    frames = page.evaluate("() => { window.__drag.stop = true; return window.__drag.frames; }")
    frames = [(t, m) for t, m in frames if t >= start]
    shown, prev = [], None
    for t, m in frames:
        if m != prev:
            shown.append((t, m))
            prev = m
    # The run the last press chose is the one on show at the end; it was caught up with when it was last painted
    # anew (if it was already on show at the last press, at once).
    caught = max(shown[-1][0] - last_press, 0.0) if shown else 0.0
    gaps = [b[0] - a[0] for a, b in zip(frames, frames[1:], strict=False)]
    return {"runs": len(shown) - 1, "gap": max(gaps) if gaps else 0.0,
            "caught": caught, "span": last_press - start}


def focus_alpha(page) -> None:
    thumb = page.get_by_test_id("stSlider").filter(has_text="Learning rate").get_by_role("slider")
    thumb.focus()
    page.mouse.move(3, 3)                    # the pointer rests off the charts, as on a slider


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", help="a git ref, measured side by side (alternated)")
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--presses", type=int, default=8)
    ap.add_argument("--every", type=int, default=60, help="ms between presses (a held key repeats every 30–60 ms)")
    ap.add_argument("--out", default=str(seen.RESULTS / "basin-drag.md"), help="append the report here ('-': print)")
    a = ap.parse_args(argv)
    with contextlib.ExitStack() as stack:
        targets = {"this tree": stack.enter_context(seen.server(ROOT))}
        if a.baseline:
            tree = stack.enter_context(seen.worktree(a.baseline))
            targets[f"baseline {a.baseline}"] = stack.enter_context(seen.server(tree))
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=seen.CHROMIUM, args=seen.ARGS)
        seen.warm_up(browser, targets[next(iter(targets))], ["basin"])
        pages = {label: seen.open_app(browser, url, "basin", []) for label, url in targets.items()}
        for page in pages.values():
            focus_alpha(page)
        results = {label: [] for label in targets}
        labels = list(targets)
        for i in range(a.runs):
            key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
            for label in (labels if i % 2 == 0 else labels[::-1]):
                page = pages[label]
                focus_alpha(page)
                r = hold(page, key, a.presses, a.every)
                results[label].append(r)
                print(f"run {i + 1} [{label}] {key}: {r['runs']} runs seen of {a.presses}, worst gap "
                      f"{r['gap']:.0f} ms, caught up {r['caught']:.0f} ms after the last press", flush=True)
                seen.wait_idle(page)
        browser.close()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    lines = ["## Holding → on the learning-rate slider (`benchmarks/basin_drag.py`)", "",
             f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {a.runs} runs per target, {a.presses} presses "
             f"{a.every} ms apart per run, alternated; load average at the end {load} (2 cores). Median (range).", "",
             "| target | runs seen (of each hold's presses) | worst gap between painted frames | last press → "
             "its run shown |", "|---|---|---|---|"]

    def cell(values, digits=0):
        return f"{statistics.median(values):,.{digits}f} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"

    for label, rs in results.items():
        lines.append(f"| {label} | {cell([r['runs'] for r in rs])} of {a.presses} | {cell([r['gap'] for r in rs])} ms "
                     f"| {cell([r['caught'] for r in rs])} ms |")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out != "-":
        with open(a.out, "a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
