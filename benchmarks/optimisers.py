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

--save writes the tables to benchmarks/results/optimisers.md.
"""

from __future__ import annotations

import argparse
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


def report(own_rows, opt_rows, repeats):
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    lines = [
        "# Optimisers, mini-batches and your own data: benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python benchmarks/optimisers.py --save`, "
        f"{repeats} repeats, medians; Python {platform.python_version()}, numpy {np.__version__}, "
        f"{os.cpu_count()} cores shared with other work (load average {load[0]:.1f} at the end of the run).",
        "",
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
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--save", action="store_true", help="write benchmarks/results/optimisers.md")
    args = parser.parse_args()
    text = report(own_data_benchmark(args.repeats), optimiser_benchmark(args.repeats), args.repeats)
    print(text)
    if args.save:
        out = ROOT / "benchmarks" / "results" / "optimisers.md"
        out.write_text(text, encoding="utf-8")
        print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
