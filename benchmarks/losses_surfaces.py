"""Squared error vs log-loss: how long the two landscapes and the Hessian-sign map take, and a page rerun.

Run:  python benchmarks/losses_surfaces.py

Prints medians (repeats in brackets), with baselines measured in the same run:
  (1) cold: both surfaces (J, gradient, Hessian) + non-convex and plateau maps on a 100 × 100 grid, m ≤ 1,000;
      budget 0.5 s. Baseline: the same numbers one grid point at a time (propagate + hessian per point),
      timed on a 20 × 20 sub-grid and scaled per point.
  (2) the page's extra cold work: Newton minima (landscape) and the trap search (17 × 17 starts, 300 steps).
  (3) server time of a page rerun (AppTest) with everything cached, and after a slider change
      (new gradient-descent runs, cached landscapes); plus bytes of chart JSON per rerun.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import core.lessons.losses as losses  # noqa: E402
from core.data.datasets import one_feature  # noqa: E402
from core.maths.logistic import propagate  # noqa: E402
from core.maths.surfaces import cost_surface, hessian  # noqa: E402

GRID = np.linspace(-10, 10, 100)


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def both_maps(x, y):
    """What the page needs from core.maths.surfaces on a cold start: two surfaces and the two masks."""
    sq = cost_surface(x, y, GRID, GRID, "sigmoid", "squared")
    log = cost_surface(x, y, GRID, GRID, "sigmoid", "log")
    return losses.nonconvex_mask(sq), losses.plateau_mask(sq), losses.nonconvex_mask(log)


def per_point(x, y, n=20):
    """The baseline: J, gradient and Hessian at each point of an n × n grid, one point at a time."""
    sub = np.linspace(-10, 10, n)
    for b in sub:
        for w in sub:
            for loss in ("squared", "log"):
                propagate(np.array([[w]]), b, x, y, "sigmoid", loss)
                np.linalg.eigvalsh(hessian(np.array([[w]]), b, x, y, "sigmoid", loss))


def page_reruns(repeats=7):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    t0 = time.perf_counter()
    at.switch_page("pages/losses.py").run()
    first = time.perf_counter() - t0
    assert not at.exception, [e.message for e in at.exception]
    cached = median_time(at.run, repeats)
    size = sum(len(c.proto.spec) for c in at.get("plotly_chart"))
    changed = []
    for i in range(repeats):
        slider = at.slider(key="steps")
        slider.set_value(100 + i)
        t0 = time.perf_counter()
        at.run()
        changed.append(time.perf_counter() - t0)
    return first, cached, statistics.median(changed), size


def main():
    W, B = losses.grid_axes()
    print("(1) both surfaces + Hessian-sign and plateau maps, 100 x 100 grid (budget 0.5 s cold)")
    for name, m in (("overlap", 200), ("tumour", 569), ("overlap", 1000)):
        d = one_feature(name, m=m if name == "overlap" else None)
        both_maps(d.x, d.y)                                   # warm numpy's code paths once
        vec = median_time(lambda d=d: both_maps(d.x, d.y), 5)
        loop = median_time(lambda d=d: per_point(d.x, d.y), 1) / 400 * 100 * 100
        print(f"    {name:8s} m = {d.x.shape[1]:5d}: {vec:.3f} s (5)   per-point loop, scaled: {loop:.2f} s"
              f"   ratio {loop / vec:.0f}x")
    print("(2) the page's other cold work")
    for name in ("overlap", "tumour"):
        d = one_feature(name)
        t_land = median_time(lambda d=d: (losses.landscape(d.x, d.y, "sigmoid", "squared", W, B),
                                          losses.landscape(d.x, d.y, "sigmoid", "log", W, B)), 3)
        sq = losses.landscape(d.x, d.y, "sigmoid", "squared", W, B)
        log = losses.landscape(d.x, d.y, "sigmoid", "log", W, B)
        t_trap = median_time(lambda d=d, sq=sq, log=log: losses.find_trap(d.x, d.y, sq, log), 3)
        print(f"    {name:8s} m = {d.x.shape[1]:5d}: two landscapes with minima {t_land:.3f} s (3), "
              f"trap search {t_trap:.3f} s (3)")
    first, cached, changed, size = page_reruns()
    print("(3) page server time (AppTest)")
    print(f"    first run (cold caches, imports): {first:.2f} s")
    print(f"    rerun, all cached: {cached * 1000:.0f} ms (7)   "
          f"after a steps change: {changed * 1000:.0f} ms (7)"
          f"   ratio {changed / cached:.1f}x")
    print(f"    chart JSON per rerun: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
