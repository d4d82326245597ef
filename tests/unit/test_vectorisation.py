"""The timing demo: right answers, and a time cap kept by its own bookkeeping (a fake clock, no real timing)."""

import doctest
import re

import numpy as np
import pytest

import core.lessons.vectorisation
from core.errors import InputError
from core.lessons.vectorisation import loop_dot, sizes_up_to, time_dot_products, time_z, z_loop, z_vectorised


class FakeClock:
    """Time moves only when read: each reading advances it by `tick` seconds (by `slow_tick` after
    `slow_after` readings: the machine gets busy)."""

    def __init__(self, tick, slow_after=None, slow_tick=None):
        self.t, self.tick, self.readings = 0.0, tick, 0
        self.slow_after, self.slow_tick = slow_after, slow_tick

    def __call__(self):
        self.readings += 1
        busy = self.slow_after is not None and self.readings > self.slow_after
        self.t += self.slow_tick if busy else self.tick
        return self.t


def test_doctests():
    assert doctest.testmod(core.lessons.vectorisation).failed == 0


def test_loop_dot_equals_np_dot():
    rng = np.random.default_rng(1)
    a, b = rng.random(1234), rng.random(1234)
    assert loop_dot(a, b) == pytest.approx(float(np.dot(a, b)), rel=1e-12)


def test_sizes_grow_geometrically_and_end_at_n():
    assert sizes_up_to(1_000_000) == [1000, 3000, 10_000, 30_000, 100_000, 300_000, 1_000_000]
    assert sizes_up_to(5000) == [1000, 3000, 5000]
    assert sizes_up_to(500) == [500]


def test_everything_measured_when_the_cap_is_generous():
    t = time_dot_products(50_000, cap_s=10.0, clock=FakeClock(1e-6))
    assert [r.n for r in t.rows] == [1000, 3000, 10_000, 30_000, 50_000]
    assert [r.status for r in t.rows] == ["measured"] * 5
    for r in t.rows:
        assert r.loop_result == pytest.approx(r.dot_result, rel=1e-9)
    assert t.largest.n == 50_000 and "Measured every size" in t.message


def test_growth_stops_once_the_prediction_passes_the_cap():
    """With a steady fake clock the per-element time is known; the demo must refuse the first size whose
    predicted loop time would take the total past the cap, and every size after it."""
    cap = 0.5
    t = time_dot_products(1_000_000, cap_s=cap, clock=FakeClock(0.001), chunk=1000)
    assert [r.n for r in t.rows] == sizes_up_to(1_000_000)
    statuses = [r.status for r in t.rows]
    first_skip = statuses.index("skipped")
    assert first_skip >= 2
    assert statuses == ["measured"] * first_skip + ["skipped"] * (len(statuses) - first_skip)
    for before, row in zip(t.rows, t.rows[1:first_skip + 1], strict=False):
        # The prediction is the previous size's whole time per element (loop, clock checks, np.dot) times
        # this size: never less than the loop's own time per element.
        assert row.predicted_s >= before.loop_s / before.n * row.n
        assert row.predicted_s == pytest.approx((row.started_s - before.started_s) / before.n * row.n, rel=0.05)
    for row in t.rows[1:first_skip]:
        assert row.started_s + row.predicted_s <= cap        # started only if predicted to fit
    skipped = t.rows[first_skip]
    assert skipped.started_s + skipped.predicted_s > cap     # refused because it would not
    assert skipped.loop_s == skipped.predicted_s              # the chart shows the prediction
    assert t.rows[first_skip - 1].started_s + t.rows[first_skip - 1].loop_s <= cap
    assert "would take about" in t.message


def test_a_size_that_runs_into_the_cap_stops_mid_loop(monkeypatch):
    """The machine gets busy during a size that was predicted to fit: the in-loop check stops it after
    the chunk in which the cap was reached."""
    # np.dot timed DOT_CALLS times per size, as when this test was written: the fake clock's 400 quick readings
    # count them (np.dot's extra calls within DOT_BUDGET_S, added later, would use them up in the first size)
    monkeypatch.setattr(core.lessons.vectorisation, "DOT_BUDGET_S", 0.0)
    clock = FakeClock(1e-5, slow_after=400, slow_tick=0.05)
    t = time_dot_products(100_000, cap_s=1.0, clock=clock, chunk=1000)
    statuses = [r.status for r in t.rows]
    assert statuses[-1] == "stopped" and set(statuses[:-1]) == {"measured"}
    stopped = t.rows[-1]
    assert stopped.started_s + stopped.predicted_s <= 1.0    # it was predicted to fit
    assert np.isnan(stopped.loop_result)
    # The clock is read three times per chunk (0.15 s when busy): it overshoots by at most one chunk.
    assert t.elapsed_s <= 1.0 + 3 * 0.05 + 0.05
    assert "time cap" in t.message and t.largest is t.rows[-2]


def test_progress_is_reported_and_ends_at_one():
    seen = []
    time_dot_products(30_000, cap_s=5.0, clock=FakeClock(1e-6), progress=lambda f, text: seen.append(f))
    assert seen[-1] == 1.0 and all(0 <= f <= 1 for f in seen)
    assert seen == sorted(seen)


@pytest.mark.parametrize("n, cap", [(5, 1.0), (2_000_000, 1.0), (1000, 0.0), (1000, 99.0), (1000, float("nan"))])
def test_inputs_are_checked(n, cap):
    with pytest.raises(InputError):
        time_dot_products(n, cap)


def test_z_loop_equals_vectorised():
    rng = np.random.default_rng(0)
    w, X = rng.standard_normal((7, 1)), rng.standard_normal((7, 13))
    Z = z_vectorised(w, X, 0.25)
    assert Z.shape == (1, 13)
    np.testing.assert_allclose(z_loop(w, X, 0.25), Z, rtol=1e-12)


def test_time_z_reports_agreement_and_respects_the_cap():
    r = time_z(10, 500, cap_s=5.0, clock=FakeClock(1e-6))
    assert r.examples_looped == 500 and r.max_abs_difference < 1e-12
    capped = time_z(10, 5000, cap_s=0.01, clock=FakeClock(0.004), chunk=100)
    assert capped.examples_looped < 5000                 # stopped by the cap, time extrapolated
    assert capped.loop_s > 0
    with pytest.raises(InputError):
        time_z(0, 10)


def test_np_dot_is_timed_on_one_blas_thread_and_on_the_default_number():
    a = np.random.default_rng(0).random(50_000)
    timings = core.lessons.vectorisation.time_dot_threads(a, a, calls=5)
    default = core.lessons.vectorisation.default_blas_threads()
    assert [t.threads for t in timings] == sorted({1, default})           # threadpoolctl is in the dev venv
    for t in timings:
        assert 3 <= t.calls <= 5 and 0 < t.best_s <= t.median_s <= t.worst_s
    rows = core.lessons.vectorisation.thread_rows(1.0, timings)
    assert rows[0]["np.dot on"] == "1 BLAS thread"
    assert rows[0]["loop ÷ median"] == f"{1.0 / timings[0].median_s:,.0f}×"


def test_without_threadpoolctl_only_the_default_is_timed_and_the_page_says_why(monkeypatch):
    monkeypatch.setattr(core.lessons.vectorisation, "_thread_limits", lambda: (None, None))
    a = np.ones(1000)
    timings = core.lessons.vectorisation.time_dot_threads(a, a, calls=3)
    assert [t.threads for t in timings] == [None] and core.lessons.vectorisation.default_blas_threads() is None
    assert "cannot switch BLAS threads" in core.lessons.vectorisation.threads_note(timings)
    assert core.lessons.vectorisation.thread_rows(1.0, timings)[0]["np.dot on"] == "default BLAS threads"


def test_thread_timing_stops_at_its_budget_with_a_fake_clock():
    ticks = iter(range(0, 10_000))
    timings = core.lessons.vectorisation.time_dot_threads(np.ones(10), np.ones(10), calls=50,
                                              clock=lambda: next(ticks) * 0.1, budget_s=0.5)
    assert all(t.calls == 5 and t.best_s == pytest.approx(0.1) for t in timings)   # 5 calls × 0.1 s = budget


def test_the_course_ratio_note_says_what_it_compares():
    assert "1,000,000" in core.lessons.vectorisation.COURSE_NOTE and "300×" in core.lessons.vectorisation.COURSE_NOTE


def test_the_headline_and_the_thread_table_say_they_are_two_runs():
    """The ratio 679× (np.dot 0.246 ms, best of 15) stood beside a table giving 0.229 ms (best of 25) for the same
    2 threads, with nothing saying they were two separate timings."""
    lesson = core.lessons.vectorisation
    timings = [lesson.ThreadTiming(1, 0.000453, 0.000471, 0.001301, 25),
               lesson.ThreadTiming(2, 0.000229, 0.000231, 0.007942, 25)]
    note = lesson.two_runs_note(0.000246, 0.16682, timings, 2)
    assert "Two runs" in note and "678×" in note and "0.246 ms" in note and "15 calls" in note
    assert "2, numpy's default" in note and "0.229 ms" in note and "25 calls" in note and "728×" in note
    assert "run that grew n" in lesson.threads_caption(2)
    only = [lesson.ThreadTiming(None, 0.0002, 0.0003, 0.0004, 25)]            # no threadpoolctl
    assert "numpy's default BLAS threads gives a best of 0.200 ms" in lesson.two_runs_note(0.000246, 0.1, only, None)


def test_the_code_shown_is_the_code_timed():
    """The page's Z timing said "the loop" with no code in sight, and the loop runs over the features too (the
    course's non-vectorised version): the page shows Z_CODE, which is z_loop's own loop and z_vectorised's line."""
    import inspect
    rng = np.random.default_rng(0)
    n_x, m = 7, 11
    w, X, b = rng.normal(size=(n_x, 1)), rng.normal(size=(n_x, m)), 0.3
    loop, vectorised = core.lessons.vectorisation.Z_CODE.split("\n\n")
    scope = {"np": np, "w": w, "X": X, "b": b, "n_x": n_x, "m": m}
    exec(loop, scope)                                                 # noqa: S102 (the project's own constant)
    assert np.array_equal(scope["Z"], z_loop(w, X, b))
    exec(vectorised, scope)                                           # noqa: S102
    assert np.array_equal(scope["Z"], z_vectorised(w, X, b))
    body = [line.strip() for line in inspect.getsource(z_loop).splitlines()]
    for line in loop.splitlines()[2:]:
        assert line.strip() in body, line                              # the same lines as the function timed
    assert "for j in range(n_x):" in loop


def test_the_grids_caption_speaks_of_copies_only_where_the_grids_show_them():
    """np.dot and @ are drawn without grey copies, yet their caption spoke of grey copies and "A (3, 1) → (3, 4)"."""
    from core.lessons.broadcast import explore, rank1_pitfalls
    from core.lessons.vectorisation import grid_caption
    for op in ("np.dot", "@"):
        r = explore((2, 3), (3,), op)
        assert r.ok and r.stretched_a is None and "grey" not in grid_caption(r) and "→" not in grid_caption(r)
    r = explore((3, 1), (4,), "+")
    assert r.copies_a.any() and "grey cells are the copies" in grid_caption(r)
    first = next(line.comment for line in rank1_pitfalls() if line.code == "a.T")     # of the rank-1 array
    assert "a.T is a itself" not in first                      # it is not: a.T is a view, `a.T is a` is False
    assert "same shape (5,)" in first


def test_the_page_shows_the_number_both_ways_computed():
    """The path's notice says "the loop and np.dot compute the same number": the page shows both numbers."""
    from core.lessons.vectorisation import TimingRow, agreement
    rng = np.random.default_rng(0)
    a, b = rng.random(5_000), rng.random(5_000)
    row = time_dot_products(5_000, 5.0).largest
    assert row.loop_result == pytest.approx(float(np.dot(a, b)), rel=1e-12)
    loop, dot = re.search(r"the loop gives c = ([\d,.]+) and np.dot c = ([\d,.]+)", agreement(row)).groups()
    assert float(loop.replace(",", "")) == pytest.approx(row.loop_result, abs=1e-6)
    assert float(dot.replace(",", "")) == pytest.approx(row.dot_result, abs=1e-6)
    assert agreement(TimingRow(3, 1.0, 1.0, "measured", 1.5, 1.5)) == (
        "For n = 3 the loop gives c = 1.500000 and np.dot c = 1.500000: exactly the same number.")
    # two numbers that differ are shown to the decimal where they part, and the gap as a power of ten (at 6
    # decimals 250,031.514583 and 250,031.514583 "differ only by 2.7e-09")
    apart = agreement(TimingRow(3, 1.0, 1.0, "measured", 250031.5145832431, 250031.5145832458))
    assert "c = 250,031.5145832431 and np.dot c = 250,031.5145832458: they differ only by 2.7 × 10⁻⁹" in apart
    assert "they differ only by 2 × 10⁻¹⁵" in agreement(TimingRow(3, 1.0, 1.0, "measured", 1.5, 1.5 + 2e-15))
    assert agreement(TimingRow(3, 1.0, 1.0, "stopped", float("nan"), 1.5)) == ""


def test_the_loop_result_shown_is_the_shown_loop_s_own_sum():
    """The timing ran the loop in chunks of 10,000 and added the chunk sums: at n = 30,000 its c was 1.1e−11 from
    the loop the page shows (c += a[i] * b[i], one at a time), so "they differ only by …" measured another sum."""
    rng = np.random.default_rng(0)
    a, b = rng.random(30_000), rng.random(30_000)
    pure = 0.0
    for i in range(len(a)):
        pure += a[i] * b[i]
    row = time_dot_products(30_000, 10.0).largest
    assert row.n == 30_000 and row.loop_result == pure



def _seconds_of(text):
    value, unit = text.split()
    return float(value.replace(",", "")) * {"µs": 1e-6, "ms": 1e-3}[unit]


@pytest.mark.parametrize("loop_s, dot_s", [(0.000262, 1.47e-6), (0.26, 0.0015), (0.47, 1.5e-3), (3e-3, 9.9e-7)])
def test_a_ratio_worked_out_from_the_times_shown_is_the_ratio_shown(loop_s, dot_s):
    """np.dot's 1.47 µs read "0.001 ms" beside a loop's "0.26 ms" and a ratio of 178×: dividing gave 260×."""
    lesson = core.lessons.vectorisation
    shown = _seconds_of(lesson.duration(loop_s)) / _seconds_of(lesson.duration(dot_s))
    assert shown == pytest.approx(loop_s / dot_s, rel=0.011)      # 3 significant digits each
    assert lesson.duration(1.47e-6) == "1.47 µs" and lesson.duration(0.000262) == "0.262 ms"
    rows = lesson.thread_rows(loop_s, [lesson.ThreadTiming(1, dot_s, 1.1 * dot_s, 3 * dot_s, 25)])
    best = float(rows[0]["loop ÷ best … ÷ worst"].split("×")[0].replace(",", ""))
    assert _seconds_of(rows[0]["best"]) == pytest.approx(loop_s / best, rel=0.011)
    assert lesson.duration(dot_s) in lesson.two_runs_note(dot_s, loop_s, [], None)


def test_the_thread_sentence_follows_the_measured_rows():
    """"Compare the rows: … one thread swung far less than two" was fixed text, under a table that could show the
    opposite. It now reads the rows: each row's worst ÷ best, and which swung less, if either."""
    lesson = core.lessons.vectorisation
    two_steadier = [lesson.ThreadTiming(1, 1e-5, 1e-5, 9e-5, 25), lesson.ThreadTiming(2, 5e-6, 6e-6, 1e-5, 25)]
    note = lesson.threads_note(two_steadier)
    assert "9× the best on 1 thread and 2× the best on 2 threads, so here 2 threads swung less." in note
    assert "one thread swung far less" not in note
    one_steadier = [lesson.ThreadTiming(1, 1e-5, 1e-5, 2e-5, 25), lesson.ThreadTiming(2, 5e-6, 6e-6, 1e-4, 25)]
    assert lesson.threads_note(one_steadier).endswith("so here 1 thread swung less.")
    alike = [lesson.ThreadTiming(1, 1e-5, 1e-5, 2e-5, 25), lesson.ThreadTiming(2, 5e-6, 6e-6, 1.1e-5, 25)]
    assert lesson.threads_note(alike).endswith("about the same: neither swung less here.")


def test_np_dot_is_warmed_up_and_timed_more_often_when_its_calls_are_short(monkeypatch):
    """A first Measure showed np.dot at 2.6 µs for n = 10,000, then 4 ms for n = 30,000: on a busy machine most
    calls wait for a core, and the best of 15 can miss every clean one. Here only every 40th call runs clean
    (1.5 µs; the others 40 µs): the calls go on while they have taken less than DOT_BUDGET_S, and find it.
    Untimed calls come first (they wake BLAS's threads)."""
    lesson = core.lessons.vectorisation
    calls, reads_at = [], []
    real_dot = np.dot
    monkeypatch.setattr(np, "dot", lambda a, b: calls.append(1) or real_dot(a, b))
    state = {"t": 0.0, "reads": 0}

    def clock():                            # read twice per timed call: at its start and at its end
        state["reads"] += 1
        if state["reads"] % 2 == 0:
            timed = state["reads"] // 2
            state["t"] += 1.5e-6 if timed % 40 == 0 else 4e-5
        reads_at.append(len(calls))
        return state["t"]
    best, _ = lesson._time_dot(np.ones(10), np.ones(10), clock)
    assert best == pytest.approx(1.5e-6)
    assert reads_at[0] == lesson.WARMUP_CALLS                # the warm-up calls were not timed
    assert state["t"] <= lesson.DOT_BUDGET_S + 4e-5          # within its time budget
    assert lesson.DOT_CALLS <= len(calls) - lesson.WARMUP_CALLS <= lesson.DOT_CALLS_MAX


def test_the_z_caption_says_exactly_equal_and_writes_sizes_as_the_chart_does():
    """"The two answers differ by at most 0.0e+00 (rounding)" when they were equal, and "n_x = 1000" under a chart
    titled "n_x = 1,000"."""
    lesson = core.lessons.vectorisation
    equal = lesson.ZTiming(1000, 2000, 0.5, 0.001, 0.0, 2000)
    assert lesson.z_caption(equal) == "n_x = 1,000, m = 2,000. The two answers are exactly equal."
    apart = lesson.ZTiming(10, 500, 0.5, 0.001, 4.4e-16, 300)
    assert lesson.z_caption(apart).startswith("n_x = 10, m = 500. The two answers differ by at most 4.4e-16 "
                                              "(rounding) over the 300 examples the loop did")
