"""Benchmarks of optimisers, mini-batches and your own data on the basin. Prints medians; asserts nothing.

    python benchmarks/optimisers.py [--repeats 7] [--save]

1. A 10,000-row CSV to a new basin (budget ≤ 1 s): the upload's bytes → parse_csv → basin_numbers (both
   neurons: Newton minimum, J*, λ_max and the limits) → J(w, b) on a 100 × 100 grid with basin_grid, for one
   neuron (the page draws one) and for both. Two files: two columns with 10,000 distinct feature values (the
   worst case for basin_grid, which counts repeated values once), and six columns (the caller picks two).
   Baseline in the same run: the same pipeline drawing the grid with core.maths.surfaces.cost_grid.
2. Each optimiser's 500-step run: full batch on a bundled set (m = 200) and on 10,000 rows, and mini-batches
   of 32 on 10,000 rows (the whole data set's J is computed at every step for the cost chart). Baseline in the
   same run: core.maths.logistic.gradient_descent, 500 steps, on the same data.

3. The page's race (core.lessons.race.run_race + core.figures.optimisers.race_figure, default settings: four
   optimisers, 60 steps, full batch, logistic neuron) on a 10,000-row upload: bytes → parse_csv →
   default_start → race and its 80 × 80 map → figure → JSON (what Streamlit sends). Budget ≤ 1 s.
4. A 10,000-row upload to the main Cost basin, as ui/basin.experiment builds it for own data: bytes →
   parse_csv → default_start → curvature → presets checked by running them → every rate's run → the 60 × 60
   surface (basin_grid; baseline in the same run: cost_grid, what the bundled sets use) → basin_figure → JSON.
   Budget ≤ 1 s.
5. Server time of Cost basin reruns (AppTest, the whole page, the race on), everything cached: on the bundled
   data and on a 10,000-row upload; the first run after that upload (the upload reaching the new 3D basin,
   top view, data panel and race: budget ≤ 1 s); and a learning-rate change on the upload, the page's "switch
   the shown run", whose figure must come back unchanged (the bridge swaps the run inside it). Budget ≤ 50 ms
   for a cached rerun. Switching the race's shown runs (legend, iterations/epochs button, Play) is inside the
   figure and costs the server nothing.

--save writes the tables to benchmarks/results/optimisers.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.data.datasets import one_feature  # noqa: E402
from core.data.owndata import basin_grid, basin_numbers, parse_csv  # noqa: E402
from core.figures.basin import BasinSurface, runs_payload  # noqa: E402
from core.figures.optimisers import race_figure  # noqa: E402
from core.lessons import basin as bs  # noqa: E402
from core.lessons.basin import default_start  # noqa: E402
from core.lessons.race import RaceSettings, run_race  # noqa: E402
from core.maths.logistic import gradient_descent  # noqa: E402
from core.maths.optimisers import OPTIMISERS, optimise  # noqa: E402
from core.maths.surfaces import cost_grid  # noqa: E402

GRID = np.linspace(-10, 10, 100)
NEURONS = {"logistic": ("sigmoid", "log"), "linear": ("linear", "squared")}


def median_time(fn, repeats):
    """Median wall-clock seconds of fn() over repeats."""
    return median_times(fn, repeats)[0]


def median_times(fn, repeats):
    """(wall, cpu): median wall-clock and CPU seconds of fn(). On a shared machine the wall time includes the
    waits for a core; the CPU time is this process's own work."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def csv_files():
    """Two uploads of 10,000 rows: {name: bytes}."""
    rng = np.random.default_rng(0)
    m = 10_000
    y = (rng.random(m) < 0.4).astype(int)
    size = rng.normal(14.0, 3.5, m) + 3.0 * y                  # 10,000 distinct values
    two = "tumour size (mm),malignant\n" + "".join(f"{a:.6f},{b}\n" for a, b in zip(size, y, strict=True))
    other = rng.normal(size=(m, 3))
    six = "id,size,age,weight,height,label\n" + "".join(
        f"{i},{a:.6f},{o[0]:.6f},{o[1]:.6f},{o[2]:.6f},{b}\n"
        for i, (a, b, o) in enumerate(zip(size, y, other, strict=True)))
    return {"2 columns": two.encode(), "6 columns": six.encode()}


def new_basin(data, grid, neurons, columns):
    own = parse_csv(data, **columns)
    numbers = basin_numbers(own.x, own.y)
    for neuron in neurons:
        if grid == "basin_grid":
            basin_grid(own.x, own.y, GRID, GRID, neuron)
        else:
            cost_grid(own.x, own.y, GRID, GRID, *NEURONS[neuron])
    return numbers


def own_data_benchmark(repeats):
    rows = []
    for name, data in csv_files().items():
        columns = {} if name == "2 columns" else {"feature": "size", "label": "label"}
        parse = median_time(lambda d=data, c=columns: parse_csv(d, **c), repeats)
        own = parse_csv(data, **columns)
        numbers = median_time(lambda o=own: basin_numbers(o.x, o.y), repeats)
        one = median_times(lambda d=data, c=columns: new_basin(d, "basin_grid", ["logistic"], c), repeats)
        both = median_time(lambda d=data, c=columns: new_basin(d, "basin_grid", list(NEURONS), c), repeats)
        base = median_time(lambda d=data, c=columns: new_basin(d, "cost_grid", ["logistic"], c),
                           max(3, repeats // 2))
        rows.append((name, len(data), parse, numbers, one, both, base))
    return rows


def optimiser_benchmark(repeats):
    small = one_feature("overlap")
    rng = np.random.default_rng(1)
    y = (rng.random(10_000) < 0.5).astype(float).reshape(1, -1)
    x = (rng.normal(size=10_000) + 2 * y - 1).reshape(1, -1)
    cases = [("bundled overlap, m = 200, full batch", small.x, small.y, None),
             ("m = 10,000, full batch", x, y, None),
             ("m = 10,000, batches of 32", x, y, 32)]
    rows, w0 = [], np.array([[-3.0]])
    for label, X, Y, batch in cases:
        base = median_time(lambda X=X, Y=Y: gradient_descent(w0, 3.0, X, Y, 0.05, 500, tol=0.0), repeats)
        times = {name: median_time(lambda X=X, Y=Y, name=name, batch=batch: optimise(
            X, Y, name, 0.05, 500, w0, 3.0, batch_size=batch, tol=0.0), repeats) for name in OPTIMISERS}
        rows.append((label, base, times))
    return rows


def upload_to_race(data):
    """Bytes of an upload to the race's figure as JSON, as the page does it on a new file."""
    own = parse_csv(data)
    w0, b0 = default_start(own.x, own.y)
    result = run_race(own.x, own.y, RaceSettings(), "logistic", 0.0, w0, b0)
    mn = result.limits.minimum
    fig = race_figure(result.w_grid, result.b_grid, result.J_grid, result.race, labels=result.labels,
                      start=result.start, minimum=(mn.w.item(), mn.b, mn.cost) if mn.finite else None)
    return fig.to_json()


def upload_to_basin(data, grid="basin_grid", size=60, steps=60, whole_figure=False):
    """Bytes of an upload to what the main basin's page sends for it, as ui/basin.experiment makes it for own
    data: the new surface's payload and the runs' payload (JSON), which the page's script draws into the chart the
    session already shows; with whole_figure, the whole figure (what a session without a chart of that structure
    is sent) instead of the surface's payload."""
    own = parse_csv(data)
    x, y = own.x, own.y
    w0, b0 = default_start(x, y)
    act, loss = "sigmoid", "log"
    curv = bs.curvature(x, y, act, loss, 0.0, w0, b0)
    curv = bs.tune_presets(x, y, act, loss, 0.0, w0, b0, steps, curv)
    tokens = list(bs.ALPHA_TOKENS)
    runs = bs.compute_runs(x, y, tokens, curv.rates(), w0, b0, steps, act, loss, 0.0)
    box = bs.basin_box(runs, curv, w0, b0)
    w, b = np.linspace(*box[:2], size), np.linspace(*box[2:], size)
    J = basin_grid(x, y, w, b, "logistic") if grid == "basin_grid" else cost_grid(x, y, w, b, act, loss)
    mn = curv.minimum
    surface = BasinSurface(w, b, J, x, y, tokens=tokens, minimum=(mn.w.item(), mn.b, mn.cost) if mn.finite else None)
    runs_json = json.dumps(runs_payload(surface, runs, labels=list(runs.tokens), shown=[runs.index("smooth")]))
    return (surface.figure().to_json() if whole_figure else json.dumps(surface.payload())) + runs_json


def basin_benchmark(repeats):
    """{(grid): (wall, cpu)} of upload_to_basin on the 2-column 10,000-row file."""
    data = csv_files()["2 columns"]
    return {"basin_grid": median_times(lambda: upload_to_basin(data), repeats),
            "whole figure": median_times(lambda: upload_to_basin(data, whole_figure=True), repeats),
            "cost_grid": median_times(lambda: upload_to_basin(data, "cost_grid"), max(3, repeats // 2))}


def race_benchmark(repeats):
    data = csv_files()["2 columns"]
    return median_times(lambda: upload_to_race(data), repeats)


def _basin_spec(at):
    import json
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if "basin" in (spec["layout"].get("meta") or {}):
            return spec
    raise AssertionError("no basin figure")


def page_reruns(repeats):
    """Server seconds of Cost basin reruns in AppTest: {name: median}. The race section's own share is timed
    around ui.optimisers.optimiser_race; the baseline is the same page with that section left out."""
    from streamlit.testing.v1 import AppTest

    import ui.charts as charts
    import ui.optimisers as section
    import ui.owndata as owndata
    race_section, real_uploaded, real_chart = section.optimiser_race, owndata._uploaded, charts.chart
    shares, cpu, marks = [], [], {}

    def uploaded():                                     # the upload's callback: where the server starts on it
        marks["read"] = (time.perf_counter(), time.thread_time())
        real_uploaded()

    def chart(fig, key=None, **kwargs):                  # the page hands the new basin figure to Streamlit
        if key == "basin_chart" and "read" in marks and "basin" not in marks:
            marks["basin"] = (time.perf_counter(), time.thread_time())
        return real_chart(fig, key=key, **kwargs)

    def timed(p):
        start, start_cpu = time.perf_counter(), time.thread_time()
        race_section(p)
        shares.append(time.perf_counter() - start)
        cpu.append(time.thread_time() - start_cpu)       # this script thread's own CPU time

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    out = {}
    try:
        section.optimiser_race, owndata._uploaded, charts.chart = timed, uploaded, chart
        at.switch_page("pages/basin.py").run()
        at.toggle(key="race_optimisers").set_value(True).run()
        at.session_state["own_open"] = True              # "Your own data" open: its uploader and editor
        at.run()
        shares.clear(), cpu.clear()
        out["bundled"], out["bundled_cpu"] = median_times(at.run, repeats)
        out["bundled_section"] = statistics.median(shares)
        out["bundled_section_cpu"] = statistics.median(cpu)
        section.optimiser_race = lambda p: None
        at.run()
        out["without"] = median_time(at.run, repeats)
        section.optimiser_race = timed
        at.run()
        data = csv_files()["2 columns"]
        start = time.perf_counter()
        at.file_uploader(key="own_csv").set_value(("big.csv", data, "text/csv")).run()
        out["first"] = time.perf_counter() - start
        out["surface"] = marks["basin"][0] - marks["read"][0]
        out["surface_cpu"] = marks["basin"][1] - marks["read"][1]
        assert not at.exception, [e.message for e in at.exception]
        assert at.selectbox(key="dataset").value == "own", "the page is not on the upload"
        assert any("m = 10,000 examples" in c.value for c in at.caption), "the race is not on the upload"
        shares.clear(), cpu.clear()
        out["own"], out["own_cpu"] = median_times(at.run, repeats)
        out["own_section"] = statistics.median(shares)
        out["own_section_cpu"] = statistics.median(cpu)
        before, switch = _basin_spec(at), []
        for token in ("oscillating", "smooth") * ((repeats + 1) // 2):
            at.select_slider(key="alpha").set_value(token)
            start, start_cpu = time.perf_counter(), time.process_time()
            at.run()
            switch.append((time.perf_counter() - start, time.process_time() - start_cpu))
        out["switch"] = statistics.median(t for t, _ in switch)
        out["switch_cpu"] = statistics.median(c for _, c in switch)
        out["switch_same_figure"] = _basin_spec(at) == before
    finally:
        section.optimiser_race, owndata._uploaded, charts.chart = race_section, real_uploaded, real_chart
    return out


def summary(reruns, basin_times, load):
    """The three speed budgets in a few lines: wall time, and the CPU time that is the page's own work."""
    if reruns is None or basin_times is None:
        return []
    r = {k: v * 1e3 for k, v in reruns.items() if not isinstance(v, bool)}
    fast = basin_times["basin_grid"]
    same = reruns.get("switch_same_figure")
    return [
        "## The three budgets",
        "",
        f"Measured at load average {load[0]:.0f} on 2 cores: the wall times include waiting for a core; the CPU "
        "times are this process's own work, close to what a quiet machine takes.",
        "",
        "| budget | measured: wall (CPU) |",
        "|---|---|",
        f"| a 10,000-row CSV reaches the new surface ≤ 1 s | on the server, reading the file → the new basin "
        f"figure handed to Streamlit: {r['surface']:.0f} ms ({r['surface_cpu']:.0f} ms); the core pipeline "
        f"bytes → figure JSON: {fast[0] * 1e3:.0f} ms ({fast[1] * 1e3:.0f} ms) |",
        f"| a cached rerun ≤ 50 ms on the server | bundled data {r['bundled']:.0f} ms ({r['bundled_cpu']:.0f} ms); "
        f"a 10,000-row upload {r['own']:.0f} ms ({r['own_cpu']:.0f} ms); whole page, race on |",
        f"| switching the shown run stays in the figure | a learning-rate change on own data: the figure comes "
        f"back {'unchanged' if same else 'CHANGED'} (the bridge switches the run), {r['switch']:.0f} ms "
        f"({r['switch_cpu']:.0f} ms) for the rerun; the race's legend, axis button and Play: no rerun |",
        "",
    ]


def report(own_rows, opt_rows, repeats, race_times=None, reruns=None, basin_times=None):
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    lines = [
        "# Optimisers, mini-batches and your own data: benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python benchmarks/optimisers.py --save`, "
        f"{repeats} repeats, medians; Python {platform.python_version()}, numpy {np.__version__}, "
        f"{os.cpu_count()} cores shared with other work (load average {load[0]:.1f} at the end of the run).",
        "",
        *summary(reruns, basin_times, load),
        "## A 10,000-row CSV to a new basin (budget ≤ 1 s)",
        "",
        "Bytes → `parse_csv` → `basin_numbers` (both neurons: Newton minimum, J*, λ_max, limits) → "
        "a 100 × 100 grid of J. The baseline draws the grid with `core.maths.surfaces.cost_grid` instead of "
        "`basin_grid`. Wall-clock medians; for the total, also the CPU time this process used (the rest is "
        "waiting for a core while other work runs).",
        "",
        "| file | size | parse | minimum + λ_max (both neurons) | **total, one surface** "
        "| total, both surfaces | baseline total (cost_grid, one surface) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, size, parse, numbers, one, both, base in own_rows:
        lines.append(f"| {name} | {size / 1e6:.2f} MB | {parse * 1e3:.0f} ms | {numbers * 1e3:.0f} ms "
                     f"| **{one[0] * 1e3:.0f} ms** (CPU {one[1] * 1e3:.0f} ms) | {both * 1e3:.0f} ms "
                     f"| {base * 1e3:.0f} ms ({base / one[0]:.1f}× slower) |")
    lines += [
        "",
        "## 500 steps of each optimiser",
        "",
        "From (w, b) = (−3, 3), α = 0.05, logistic neuron, no early stop; J of the whole data set at every "
        "step. "
        "Baseline: `core.maths.logistic.gradient_descent`, 500 steps on the same data.",
        "",
        "| data | baseline gradient_descent | " + " | ".join(OPTIMISERS.values()) + " |",
        "|---|---|" + "---|" * len(OPTIMISERS),
    ]
    for label, base, times in opt_rows:
        lines.append(f"| {label} | {base * 1e3:.1f} ms | "
                     + " | ".join(f"{t * 1e3:.1f} ms ({t / base:.2f}×)" for t in times.values()) + " |")
    if race_times is not None:
        lines += [
            "",
            "## A 10,000-row upload to the race (budget ≤ 1 s)",
            "",
            "Bytes → `parse_csv` → `default_start` → `run_race` (4 optimisers, 60 steps, full batch, its 80 × 80 "
            "map with `basin_grid`) → `race_figure` → JSON.",
            "",
            f"**{race_times[0] * 1e3:.0f} ms** wall (CPU {race_times[1] * 1e3:.0f} ms)",
        ]
    if basin_times is not None:
        fast, slow = basin_times["basin_grid"], basin_times["cost_grid"]
        lines += [
            "",
            "## A 10,000-row upload to the main Cost basin (budget ≤ 1 s)",
            "",
            "Bytes → `parse_csv` → `default_start` → curvature → the named rates checked by running them → "
            "every rate's run (60 steps) → the 60 × 60 surface → its payload and the runs' payload → JSON, as "
            "`ui/basin.experiment` makes them for own data (the page's script draws them into the chart the "
            "session shows). Also in the same run: the whole figure instead of the surface's payload (a session "
            "without a chart of that structure), and the surface with `cost_grid` (the bundled sets' way).",
            "",
            f"**{fast[0] * 1e3:.0f} ms** wall (CPU {fast[1] * 1e3:.0f} ms); the whole figure "
            f"{basin_times['whole figure'][0] * 1e3:.0f} ms; with `cost_grid` {slow[0] * 1e3:.0f} "
            f"ms (CPU {slow[1] * 1e3:.0f} ms), {slow[0] / fast[0]:.1f}× slower",
        ]
    if reruns is not None:
        same = reruns.pop("switch_same_figure", None)
        r = {k: v * 1e3 for k, v in reruns.items()}
        lines += [
            "",
            "## Cost basin reruns on the server (AppTest, the whole page; budget ≤ 50 ms cached)",
            "",
            "The race section's share is timed around `ui.optimisers.optimiser_race`; the baseline is the same "
            "page in the same run with that section left out. CPU: this process's CPU time during the rerun (the "
            "rest of the wall time is waiting for a core while other work runs on the 2 shared cores).",
            "",
            "| rerun | whole page | race section |",
            "|---|---|---|",
            f"| bundled data, everything cached | **{r['bundled']:.0f} ms** (CPU {r['bundled_cpu']:.0f} ms) "
            f"| {r['bundled_section']:.0f} ms (CPU {r['bundled_section_cpu']:.0f} ms) |",
            f"| baseline: the page without the race section | {r['without']:.0f} ms | |",
            f"| a 10,000-row upload: from reading the file to the new basin figure handed to Streamlit "
            f"| **{r['surface']:.0f} ms** (CPU {r['surface_cpu']:.0f} ms) | |",
            f"| the same upload's whole first run (AppTest: the file sent, the new basin, the race on it) "
            f"| {r['first']:.0f} ms | |",
            f"| 10,000-row upload, everything cached | **{r['own']:.0f} ms** (CPU {r['own_cpu']:.0f} ms) "
            f"| {r['own_section']:.0f} ms (CPU {r['own_section_cpu']:.0f} ms) |",
            f"| 10,000-row upload: a learning-rate change (switch the shown run) | **{r['switch']:.0f} ms** "
            f"(CPU {r['switch_cpu']:.0f} ms) "
            f"| figure {'unchanged: the run is switched inside it' if same else 'REBUILT'} |",
            "",
            "Hiding an optimiser (legend), iterations ↔ epochs and Play happen inside the figure: no rerun.",
        ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--save", action="store_true", help="write benchmarks/results/optimisers.md")
    args = parser.parse_args()
    text = report(own_data_benchmark(args.repeats), optimiser_benchmark(args.repeats), args.repeats,
                  race_benchmark(args.repeats), page_reruns(args.repeats), basin_benchmark(args.repeats))
    print(text)
    if args.save:
        out = ROOT / "benchmarks" / "results" / "optimisers.md"
        out.write_text(text, encoding="utf-8")
        print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
