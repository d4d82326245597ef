"""Why loops are slow: a Python for-loop against np.dot, measured live, always within a time cap.

The cap holds by design, not by luck:

1. Sizes grow geometrically (1,000, 3,000, 10,000, ... up to the n the student chose).
2. Before each size, the loop's time is *predicted* from the time per element measured so far; a size whose
   prediction would take the total past the cap is not started (status "skipped", with its predicted time).
3. The loop itself runs in chunks and looks at the clock after each chunk; if the cap is reached mid-size it
   stops there (status "stopped"), so the overshoot is at most one chunk.

The clock is injectable (``clock=``), so tests check this bookkeeping with a fake clock instead of timing.

Example
-------
>>> import numpy as np
>>> loop_dot(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
11.0
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from core.errors import InputError
from core.lessons.broadcast import OPS
from core.maths.logistic import significant
from core.params import QueryState, setting

N_MAX = 1_000_000
CAP_MAX = 10.0      # seconds: the longest a student can make the page measure
CHUNK = 10_000      # elements per chunk of the loop: the clock is read after each one
DOT_CALLS = 15      # np.dot calls per size in time_dot_products, at least (the best one counts)
DOT_BUDGET_S = 0.01  # ... and more while they have taken less than this (a small n's calls take µs), at most:
DOT_CALLS_MAX = 1000
WARMUP_CALLS = 3    # untimed np.dot calls first: BLAS's threads, asleep after a pause, can take ms to wake
THREAD_CALLS = 25   # np.dot calls per row of time_dot_threads, at most
Clock = Callable[[], float]
Progress = Callable[[float, str], None]


def loop_dot(a, b, c: float = 0.0) -> float:
    """The dot product with a Python for-loop, as in the course's first, non-vectorised version.

    c: the sum so far. The timing runs the loop in chunks and carries c from one chunk to the next, so that it adds
    the products one at a time, in order, as the page's code does (chunk sums added together gave another number:
    1.7e−10 from np.dot's at n = 1,000,000, where the loop as shown is 2.7e−09 from it).
    """
    for i in range(len(a)):
        c += a[i] * b[i]
    return float(c)


def sizes_up_to(n: int, start: int = 1000) -> list[int]:
    """1,000, 3,000, 10,000, 30,000, ... below n, then n itself."""
    sizes, k = [], start
    while k < n:
        sizes.append(k)
        k = k * 3 if str(k)[0] == "1" else k * 10 // 3
    return sizes + [n]


@dataclass(frozen=True)
class TimingRow:
    """One size: the loop's time, np.dot's time and how they compare.

    status: "measured" (the loop ran to the end), "stopped" (the cap was reached mid-loop; loop_s is a lower
    bound) or "skipped" (not started: the predicted loop time, in loop_s, would pass the cap).
    """

    n: int
    loop_s: float
    dot_s: float
    status: str
    loop_result: float = math.nan
    dot_result: float = math.nan
    started_s: float = 0.0        # time already spent when this size was considered
    predicted_s: float = math.nan  # the loop time predicted from the smaller sizes (NaN for the first)

    @property
    def ratio(self) -> float:
        return self.loop_s / self.dot_s if self.dot_s > 0 else math.inf


@dataclass
class Timing:
    """Every size tried, the cap, the time spent and why it stopped."""

    n: int
    cap_s: float
    rows: list[TimingRow] = field(default_factory=list)
    elapsed_s: float = 0.0
    message: str = ""

    @property
    def measured(self) -> list[TimingRow]:
        return [r for r in self.rows if r.status == "measured"]

    @property
    def largest(self) -> TimingRow | None:
        """The largest size measured all the way through (the one to compare in the bar chart)."""
        done = self.measured
        return done[-1] if done else None


def check_timing_inputs(n, cap_s) -> tuple[int, float]:
    try:
        n, cap_s = int(n), float(cap_s)
    except (TypeError, ValueError):
        raise InputError("n must be a whole number and the time cap a number of seconds.") from None
    if not 10 <= n <= N_MAX:
        raise InputError(f"n = {n} is out of range; choose n between 10 and {N_MAX:,}.")
    if not math.isfinite(cap_s) or not 0 < cap_s <= CAP_MAX:
        raise InputError(f"The time cap {cap_s:g} s is out of range; choose up to {CAP_MAX:g} s.")
    return n, cap_s


def _time_dot(a, b, clock: Clock, repeats: int = DOT_CALLS, budget_s: float | None = None) -> tuple[float, float]:
    """The fastest of several np.dot calls (one call is so quick that it is mostly timer noise): after WARMUP_CALLS
    untimed ones, at least `repeats`, and more, up to DOT_CALLS_MAX, while they have taken less than budget_s.

    A first Measure gave np.dot 2.6 µs at n = 10,000, then 4 ms at n = 30,000 (where BLAS starts using its
    threads: every one of 15 calls waited for a sleeping thread on a busy machine), then less again up to 1,000,000.
    """
    budget_s = DOT_BUDGET_S if budget_s is None else budget_s
    for _ in range(WARMUP_CALLS):
        np.dot(a, b)
    best, result, spent, calls = math.inf, math.nan, 0.0, 0
    while calls < repeats or (spent < budget_s and calls < DOT_CALLS_MAX):
        t0 = clock()
        result = float(np.dot(a, b))
        took = clock() - t0
        best, spent, calls = min(best, took), spent + took, calls + 1
    return max(best, 1e-9), result


def time_dot_products(n: int, cap_s: float = 2.0, seed: int = 0, clock: Clock = time.perf_counter,
                      progress: Progress | None = None, chunk: int = CHUNK) -> Timing:
    """Time the for-loop and np.dot on n random numbers, growing n geometrically, never past cap_s.

    progress(fraction, text) is called after each chunk of the loop (fraction of the predicted work so far).
    """
    n, cap_s = check_timing_inputs(n, cap_s)
    rng = np.random.default_rng(seed)
    a_all, b_all = rng.random(n), rng.random(n)
    sizes = sizes_up_to(n)
    total_work = float(sum(sizes))
    out = Timing(n, cap_s)
    start = clock()
    per_element = None        # seconds per element for a whole size, learnt from the last size measured
    done_work = 0.0
    for k in sizes:
        a, b = a_all[:k], b_all[:k]
        spent = clock() - start
        predicted = per_element * k if per_element is not None else math.nan
        if spent + predicted > cap_s:            # False while there is no prediction (NaN)
            out.rows.append(TimingRow(k, predicted, _time_dot(a, b, clock)[0], "skipped",
                                      started_s=spent, predicted_s=predicted))
            continue
        dot_s, dot_result = _time_dot(a, b, clock)
        loop_s, c, status = 0.0, 0.0, "measured"
        for lo in range(0, k, chunk):
            t0 = clock()
            c = loop_dot(a[lo:lo + chunk], b[lo:lo + chunk], c)      # carries c on: one sum, in order
            loop_s += clock() - t0
            done_work += min(chunk, k - lo)
            if progress is not None:
                progress(min(done_work / total_work, 1.0), f"n = {k:,}: {min(lo + chunk, k):,} of {k:,} done")
            if clock() - start >= cap_s and lo + chunk < k:
                status = "stopped"
                break
        out.rows.append(TimingRow(k, loop_s, dot_s, status, c if status == "measured" else math.nan, dot_result,
                                  started_s=spent, predicted_s=predicted))
        if status == "stopped":
            break
        # Predict from the whole time this size took (loop, clock checks and np.dot), not the loop alone,
        # so the prediction errs on the long side and the cap holds.
        per_element = (clock() - start - spent) / k
        done_work = sum(r.n for r in out.rows)
    out.elapsed_s = clock() - start
    out.message = _summary(out)
    if progress is not None:
        progress(1.0, "done")
    return out


def _summary(t: Timing) -> str:
    last = t.rows[-1]
    if last.status == "measured":
        return f"Measured every size up to n = {t.n:,} in {t.elapsed_s:.3g} s."
    if last.status == "stopped":
        return (f"Stopped during n = {last.n:,}: the time cap of {t.cap_s:g} s was reached. "
                "Raise the cap or choose a smaller n.")
    skipped = [r for r in t.rows if r.status == "skipped"]
    first = skipped[0]
    return (f"Not run for n = {', '.join(f'{r.n:,}' for r in skipped)}: {first.started_s:.2g} s of the "
            f"{t.cap_s:g} s cap were already used, and n = {first.n:,} would take about {first.predicted_s:.2g} s "
            "more (predicted from the smaller sizes). Raise the cap to measure it.")


def duration(s: float) -> str:
    """A time with 3 significant digits, in µs below 0.1 ms and in ms above, so that a ratio worked out from two
    times shown is the ratio shown, to their rounding (np.dot's 1.5 µs read "0.001 ms", a 260× beside 178×).

    >>> duration(1.47e-6), duration(2.62e-4), duration(0.4703), duration(4.2e-5)
    ('1.47 µs', '0.262 ms', '470 ms', '42.0 µs')
    """
    value, unit = (s * 1e6, "µs") if s < 1e-4 else (s * 1e3, "ms")
    decimals = max(0, 2 - math.floor(math.log10(value))) if value > 0 else 0
    return f"{value:,.{decimals}f} {unit}"


def agreement(row: TimingRow) -> str:
    """One sentence: the number the loop and np.dot each computed for a measured size, and how far apart they are
    (they add the same products in a different order, so the last digits may differ)."""
    if row.status != "measured" or not (math.isfinite(row.loop_result) and math.isfinite(row.dot_result)):
        return ""
    gap = abs(row.loop_result - row.dot_result)
    # to the decimal where they part (at 6 decimals 250,031.514583 and 250,031.514583 "differ by 2.7e-09")
    d = 6 if gap == 0 else min(16, max(6, 1 - math.floor(math.log10(gap))))
    both = f"the loop gives c = {row.loop_result:,.{d}f} and np.dot c = {row.dot_result:,.{d}f}"
    if gap == 0:
        return f"For n = {row.n:,} {both}: exactly the same number."
    return (f"For n = {row.n:,} {both}: they differ only by {significant(gap, 2)} (rounding: the loop adds the "
            "products one at a time, np.dot in blocks, so the last digits can differ).")


# ---------------------------------------------------------------------------------------------------------
# np.dot on one BLAS thread and on several
# ---------------------------------------------------------------------------------------------------------
# What the course's "about 300×" compares: in the lecture on vectorisation, a for-loop and np.dot over the same
# two arrays of 1,000,000 random numbers, each timed once in a notebook on a laptop CPU (about 470 ms against
# about 1.5 ms).
COURSE_RATIO = 300
COURSE_N = 1_000_000
COURSE_NOTE = (f"The course's \"about {COURSE_RATIO}×\" compares the same two things, a for-loop and np.dot over "
               f"{COURSE_N:,} random numbers each, timed once in a notebook on a laptop (about 470 ms against about "
               "1.5 ms). The ratio depends on the machine, the BLAS threads and what else is running: the lesson is "
               "the size of the gap, not its exact number.")


@dataclass(frozen=True)
class ThreadTiming:
    """np.dot timed `calls` times with one number of BLAS threads (None: the library's default, unknown)."""

    threads: int | None
    best_s: float
    median_s: float
    worst_s: float
    calls: int


def _thread_limits():
    """threadpoolctl.threadpool_limits, or None when threadpoolctl is not installed (the app does not need it;
    scikit-learn brings it into the development environment)."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        return None, None
    return threadpool_limits, threadpool_info


def default_blas_threads() -> int | None:
    """How many threads numpy's BLAS uses by default here, or None if that cannot be read."""
    _, info = _thread_limits()
    if info is None:
        return None
    counts = [p["num_threads"] for p in info() if p.get("user_api") == "blas"]
    return max(counts) if counts else None


def time_dot_threads(a, b, calls: int = THREAD_CALLS, clock: Clock = time.perf_counter,
                     budget_s: float = 0.5) -> list[ThreadTiming]:
    """np.dot(a, b) on 1 BLAS thread and on the default number, `calls` times each: best, median and worst.
    Each thread count stops early (after at least 3 calls) once its calls have taken budget_s in all.

    BLAS (the compiled library under np.dot) may split one dot product across threads. On an idle machine that
    is faster; on a busy one a thread can wait for a free core, and a single call can take a hundred times
    longer, which is why one timing of np.dot swings so much. With only one way available (no threadpoolctl,
    or a BLAS with one thread), the list has one entry.
    """
    limits, _ = _thread_limits()
    default = default_blas_threads()

    def measure(threads):
        for _ in range(WARMUP_CALLS):       # untimed: wakes the threads this count uses
            np.dot(a, b)
        times = []
        while len(times) < calls and (len(times) < 3 or sum(times) < budget_s):
            t0 = clock()
            np.dot(a, b)
            times.append(max(clock() - t0, 1e-9))
        return ThreadTiming(threads, min(times), float(np.median(times)), max(times), len(times))

    if limits is None or default is None:
        return [measure(None)]
    out = []
    for threads in sorted({1, default}):
        with limits(limits=threads, user_api="blas"):
            out.append(measure(threads))
    return out


SPIKE_NOTE = ("A size where np.dot is far slower than at the sizes around it is the machine being busy (another "
              "program, or a BLAS thread waiting for a free core), not np.dot: Measure again to see it move.")


def threads_caption(threads: int | None) -> str:
    """Which np.dot the page's main ratio used."""
    return (f"np.dot above: best of at least {DOT_CALLS} calls (more for a small n, up to {DOT_BUDGET_S * 1e3:g} ms "
            f"of calls), after {WARMUP_CALLS} untimed ones, with numpy's default BLAS threads "
            f"({threads if threads else 'a number this server cannot read'}), timed in the run that grew n. "
            "BLAS is the compiled library under np.dot.")


def two_runs_note(dot_s: float, loop_s: float, timings: list[ThreadTiming], default: int | None) -> str:
    """Why the table's row for numpy's default threads does not repeat the headline's np.dot time and ratio:
    they are two runs. The headline comes from time_dot_products (best of DOT_CALLS calls, timed while n grew);
    the table from time_dot_threads, started after it on the same arrays. Says so with both numbers."""
    row = next((t for t in timings if t.threads == default or t.threads is None), None)
    first = (f"Two runs, so two numbers. The ratio above ({loop_s / dot_s:,.0f}×) uses np.dot's best of at least "
             f"{DOT_CALLS} calls, {duration(dot_s)}, timed in the run that grew n")
    if row is None:
        return first + "; the table times np.dot again afterwards, on the same arrays."
    name = "numpy's default" if row.threads is None else f"{row.threads}, numpy's default"
    return (first + f"; the table times np.dot again afterwards, on the same arrays: its row for {name} "
            f"BLAS threads gives a best of {duration(row.best_s)} in {row.calls} calls "
            f"({loop_s / row.best_s:,.0f}×). Timing the same call twice never gives quite the same time, and a "
            "ratio over a time this short moves with it.")


def threads_note(timings: list[ThreadTiming]) -> str:
    """Why the two ways differ, and what to do when only one could be measured."""
    text = ("BLAS may split one dot product across threads. On an idle machine that helps; on a busy one (a "
            "shared server) a thread can wait for a free core, and a single call can take a hundred times "
            "longer. That is why one timing of np.dot, and so the ratio, can swing from a few times to "
            "thousands of times.")
    if len(timings) > 1:   # what these rows measured (a fixed "one thread swung far less" could contradict them)
        swing = {t.threads: t.worst_s / t.best_s for t in timings}
        name = {k: f"{k} thread{'s' if k > 1 else ''}" for k in swing}
        (k1, s1), (k2, s2) = sorted(swing.items(), key=lambda kv: kv[1])[:2]
        verdict = (f"so here {name[k1]} swung less" if s2 > 1.25 * s1 else "about the same: neither swung less here")
        text += (" Compare the rows: the worst call took " + " and ".join(f"{v:,.3g}× the best on {name[k]}"
                                                                          for k, v in swing.items()) + f", {verdict}.")
    if len(timings) == 1:
        text += (" This server cannot switch BLAS threads (the optional package threadpoolctl is not installed),"
                 " so only the default is shown.")
    return text


def thread_rows(loop_s: float, timings: list[ThreadTiming]) -> list[dict]:
    """One row per thread count for the page's table: np.dot's best, median and worst time and the ratio of the
    loop's time to each (best gives the largest ratio, worst the smallest)."""
    rows = []
    for t in timings:
        rows.append({
            "np.dot on": "default BLAS threads" if t.threads is None else
                         f"{t.threads} BLAS thread" + ("s" if t.threads > 1 else ""),
            "best": duration(t.best_s), "median": duration(t.median_s), "worst": duration(t.worst_s),
            "calls": t.calls,
            "loop ÷ median": f"{loop_s / t.median_s:,.0f}×",
            "loop ÷ best … ÷ worst": f"{loop_s / t.best_s:,.0f}× … {loop_s / t.worst_s:,.0f}×"})
    return rows


# ---------------------------------------------------------------------------------------------------------
# Z = wᵀX + b for m examples
# ---------------------------------------------------------------------------------------------------------
def z_loop(w, X, b) -> np.ndarray:
    """Z with two Python loops: over the examples, and inside each, over the features."""
    n_x, m = X.shape
    Z = np.zeros((1, m))
    for i in range(m):
        z = 0.0
        for j in range(n_x):
            z += w[j, 0] * X[j, i]
        Z[0, i] = z + b
    return Z


def z_vectorised(w, X, b) -> np.ndarray:
    """Z = wᵀX + b in one line."""
    return w.T @ X + b                          # (1, m)


def _body(function) -> str:
    """A function's own lines as a student would type them: without its def, docstring and return."""
    lines = inspect.getsource(function).splitlines()[1:]
    return "\n".join(line[4:] for line in lines
                     if not line.strip().startswith(('"""', "return ")) and line.strip())


# What the page times, as the page shows it: z_loop's own lines, then z_vectorised's.
Z_CODE = ("# the loop: every example, and in each example every feature, one number at a time\n" + _body(z_loop)
          + "\n\n# vectorised: all m examples at once\nZ = w.T @ X + b                  # (1, m)")

# The shapes of Z = wᵀX + b, as text under the formula (pages/vectorisation.py): written in the formula, on a phone
# the subscript of n_x was drawn about 9 px high.
Z_SHAPES = r"with **w** of shape (n\_x, 1), **X** of shape (n\_x, m) and **Z** of shape (1, m): one example per column."


@dataclass(frozen=True)
class ZTiming:
    n_x: int
    m: int
    loop_s: float
    vec_s: float
    max_abs_difference: float
    examples_looped: int          # = m unless the cap stopped the loop

    @property
    def ratio(self) -> float:
        return self.loop_s / self.vec_s if self.vec_s > 0 else math.inf


def time_z(n_x: int = 100, m: int = 2000, cap_s: float = 2.0, seed: int = 0,
           clock: Clock = time.perf_counter, chunk: int = 100) -> ZTiming:
    """Time Z = wᵀX + b with loops and vectorised on random w (n_x, 1), X (n_x, m); the loop stops at cap_s
    (then loop_s is extrapolated to all m examples from the ones done, and examples_looped says how many)."""
    try:
        n_x, m, cap_s = int(n_x), int(m), float(cap_s)
    except (TypeError, ValueError):
        raise InputError("n_x and m must be whole numbers.") from None
    if not (1 <= n_x <= 1000 and 1 <= m <= 100_000):
        raise InputError(f"n_x = {n_x}, m = {m} is out of range; use n_x up to 1,000 and m up to 100,000.")
    if not math.isfinite(cap_s) or not 0 < cap_s <= CAP_MAX:
        raise InputError(f"The time cap {cap_s:g} s is out of range; choose up to {CAP_MAX:g} s.")
    rng = np.random.default_rng(seed)
    w, X, b = rng.standard_normal((n_x, 1)), rng.standard_normal((n_x, m)), 0.5
    best = math.inf
    for _ in range(5):
        t0 = clock()
        Z_vec = z_vectorised(w, X, b)
        best = min(best, clock() - t0)
    loop_s, done = 0.0, 0
    Z_loop = np.full((1, m), np.nan)
    start = clock()
    for lo in range(0, m, chunk):
        t0 = clock()
        Z_loop[:, lo:lo + chunk] = z_loop(w, X[:, lo:lo + chunk], b)
        loop_s += clock() - t0
        done = min(lo + chunk, m)
        if clock() - start >= cap_s:
            break
    diff = float(np.max(np.abs(Z_loop[:, :done] - Z_vec[:, :done])))
    return ZTiming(n_x, m, loop_s * m / done, max(best, 1e-9), diff, done)


def z_caption(zt: ZTiming) -> str:
    """The sentence under the Z timing: the sizes (written as the chart's title writes them, 1,000) and how far the
    loop's Z is from the vectorised one ("differ by at most 0.0e+00 (rounding)" when they were equal)."""
    cut = zt.examples_looped < zt.m
    over = (f" over the {zt.examples_looped:,} examples the loop did before the cap stopped it; its time for all m "
            "is estimated from them." if cut else ".")
    same = ("The two answers are exactly equal" if zt.max_abs_difference == 0 else
            f"The two answers differ by at most {zt.max_abs_difference:.1e} (rounding)")
    return f"n_x = {zt.n_x:,}, m = {zt.m:,}. {same}{over}"


@dataclass(frozen=True)
class VectorisationParams(QueryState):
    """The Vectorisation page's shareable settings (field names = widget keys = URL keys)."""

    n: int = setting(1_000_000, lo=1000, hi=N_MAX)
    cap: float = setting(3.0, lo=0.5, hi=CAP_MAX)
    nx: int = setting(100, lo=1, hi=1000)
    m: int = setting(2000, lo=100, hi=20_000)
    shape_a: str = setting("3, 1")
    shape_b: str = setting("4")
    op: str = setting("+", choices=OPS)


def grid_caption(result) -> str:
    """The caption under the broadcasting grids (result: core.lessons.broadcast.explore's): the grey copies and
    the "A (3, 1) → (3, 4)" labels for an element-wise operation; a product's grids show no copies, and it says
    what a product does instead."""
    if result.stretched_a is None:
        return ("Coloured cells are the arrays' own numbers; the grids show no copies for a product: each number "
                "of the result multiplies a row of A by a column of B, number by number, and adds them up.")
    return ("Coloured cells are the arrays' own numbers; grey cells are the copies numpy makes (without using "
            "memory) to stretch an array to the result's shape. A label such as A (3, 1) → (3, 4) gives the "
            "array's own shape, then the shape it is stretched to.")
