"""The Cost basin's optimiser race in real Chromium: it renders, its axis switches in the figure, Play moves the
balls, an uploaded CSV (which the whole page then shows) moves the race onto a new surface, and a dragged slider's
race is computed in the page (ui/race_preview.js) as core computes it."""

import numpy as np
from playwright.sync_api import expect

from tests.e2e import helpers

FIND = "[...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.race)"
SURFACE = f"""() => {{ const gd = {FIND}; if (!gd) return null; const c = gd._fullData[0];
  return {{x0: c.x[0], x1: c.x[c.x.length - 1], y0: c.y[0], z00: c.z[0][0], names: gd.layout.meta.race.names}}; }}"""


def _csv(m=300):
    rows = []
    for i in range(m):
        x = 100.0 + (i % 50) * 3.0          # millimetres: far from the bundled sets' scale before standardising
        rows.append(f"{x:.1f},{int((i * 7) % 10 < 3 + (i % 50) // 8)}")
    return ("tumour size (mm),malignant\n" + "\n".join(rows) + "\n").encode()


def test_the_race_renders_switches_its_axis_and_follows_an_upload(open_page, console_errors):
    page = open_page("basin")
    helpers.wait_for_charts(page)
    page.get_by_text("Optimisers on the same basin").scroll_into_view_if_needed()
    page.get_by_test_id("stCheckbox").filter(has_text="Race the optimisers").locator("label").click()
    assert helpers.wait_until(page, f"() => {{ const gd = {FIND}; return gd && gd._fullData.length > 5; }}")
    before = page.evaluate(SURFACE)
    assert before["names"] == ["gd", "momentum", "rmsprop", "adam"]

    # the cost chart's axis switches inside the figure (no rerun): epochs of a full batch are the steps
    page.locator(".js-plotly-plot .updatemenu-button").filter(has_text="x: epochs").first.click()
    assert helpers.wait_until(page, f"""() => {{ const gd = {FIND};
        return gd.layout.xaxis2.title.text.startsWith("epoch"); }}""")

    # Play moves the balls through the frames (inside the browser): a ball leaves its last position, then
    # comes back to it
    ball = f"""() => {{ const gd = {FIND}; const i = gd.layout.meta.race.ball[0]; return gd._fullData[i].x[0]; }}"""
    end = page.evaluate(ball)
    page.locator(".js-plotly-plot .updatemenu-button").filter(has_text="Play the race").first.click()
    assert helpers.wait_until(page, f"end => ({ball})() !== end", end)
    assert helpers.wait_until(page, f"end => ({ball})() === end", end)

    page.get_by_text("Your own data: upload a CSV file, or add, drag and delete points").click()
    page.get_by_role("tab", name="Upload a CSV file").click()
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Upload a CSV file")
    helpers.upload(page, uploader, {"name": "tumours.csv", "mimeType": "text/csv", "buffer": _csv()})
    expect(page.get_by_text("On your data (tumour size (mm) → malignant): m = 300 examples")).to_be_visible()
    assert helpers.wait_until(page, f"""before => {{ const s = ({SURFACE})();
        return s && (s.x0 !== before.x0 || s.x1 !== before.x1 || s.y0 !== before.y0 || s.z00 !== before.z00); }}""",
                              before)
    after = page.evaluate(SURFACE)
    assert after != before
    expect(page.get_by_test_id("stException")).to_have_count(0)
    helpers.save_screenshot(page, "basin-optimisers-own-data")
    helpers.assert_no_console_errors(console_errors)


def test_a_new_beta_is_drawn_into_the_same_race_chart_and_play_rolls_the_new_runs(open_page, console_errors):
    """A new setting of the race is drawn into the chart the browser shows (ui/chart_bridge.js), not into a new
    chart: the same element, the legend naming the new β, an optimiser hidden from the legend still hidden, each
    ball at the end of its trail, and Play rolls the new runs (their frames replaced)."""
    page = open_page("basin?opt_beta1=0.8")                     # a link with race settings opens the race
    helpers.wait_for_charts(page)
    assert helpers.wait_until(page, f"() => {{ const gd = {FIND}; return gd && gd._fullData.length > 5; }}")
    page.evaluate(f"() => {{ window.__race = {FIND}; }}")
    legend = f"() => {{ const gd = {FIND}; return gd.layout.meta.race.trail.map(i => gd._fullData[i].name); }}"
    assert any("β = 0.8" in name for name in page.evaluate(legend))
    # the student hides Adam with a click on its legend entry: it stays hidden through the new setting
    adam = f"""() => {{ const gd = {FIND}, m = gd.layout.meta.race, k = m.names.indexOf('adam');
        return [m.trail[k], m.ball[k], m.cost[k]].map(i => gd.data[i].visible); }}"""
    page.locator(".js-plotly-plot .legend .traces").filter(has_text="Adam").first.click()
    assert helpers.wait_until(page, f"() => ({adam})().every(v => v === 'legendonly')")

    beta = page.get_by_test_id("stSlider").filter(has_text="Momentum's β").get_by_role("slider")
    beta.scroll_into_view_if_needed()
    beta.focus()
    page.keyboard.press("ArrowRight")                           # 0.8 → 0.9
    page.wait_for_function("() => new URL(location.href).searchParams.get('opt_beta1') === null",
                           polling=200, timeout=60_000)          # 0.9 is the default: it leaves the link
    helpers.wait_for_app(page)
    assert helpers.wait_until(page, f"() => ({legend})().some(n => n.includes('β = 0.9'))")
    assert page.evaluate(f"() => {FIND} === window.__race")     # the same chart: not taken down and built again
    ends = f"""() => {{ const gd = {FIND}, m = gd.layout.meta.race;
        return m.ball.map((b, k) => {{ const t = gd._fullData[m.trail[k]], ball = gd._fullData[b];
            return [ball.x[0] - t.x[t.x.length - 1], ball.y[0] - t.y[t.y.length - 1]]; }}); }}"""
    assert all(abs(dx) < 1e-6 and abs(dy) < 1e-6 for dx, dy in page.evaluate(ends))
    assert page.evaluate(adam) == ["legendonly"] * 3

    ball = f"""() => {{ const gd = {FIND}; const i = gd.layout.meta.race.ball[1]; return gd._fullData[i].x[0]; }}"""
    end = page.evaluate(ball)
    page.locator(".js-plotly-plot .updatemenu-button").filter(has_text="Play the race").first.click()
    assert helpers.wait_until(page, f"end => ({ball})() !== end", end)
    assert helpers.wait_until(page, f"end => ({ball})() === end", end)   # the last frame is the new run's end
    assert all(abs(dx) < 1e-6 and abs(dy) < 1e-6 for dx, dy in page.evaluate(ends))
    helpers.assert_no_console_errors(console_errors)


# ---------------------------------------------------------------- the race computed in the page (ui/race_preview.js)

READY = "() => window.__racePreview && window.__raceRun && window.__sliderPreview.thumbs('race')"
TRAIL = f"""() => {{ const gd = {FIND}, m = gd.layout.meta.race;
    return m.trail.map(i => [Array.from(gd._fullData[i].x), Array.from(gd._fullData[i].y), gd._fullData[i].name]); }}"""


def _core_race(payload, thumbs, dataset, neuron="logistic", lambd=0.0):
    """core's race for the sliders' values `thumbs`, on the data and from the start of the page's payload."""
    from core.lessons import basin
    from core.lessons import race as rc

    x, y, _ = basin.load(dataset, 0)
    settings = rc.RaceSettings(**thumbs, **{f"opt_{n}": n in payload["names"] for n in ("gd", "momentum", "rmsprop",
                                                                                           "adam")},
                               opt_seed=payload["seed"])
    return rc.run_race(x, y, settings, neuron, lambd, *payload["start"])


def test_the_page_shuffles_the_examples_as_numpy_does(open_page, console_errors):
    """ui/race_preview.js's generator is numpy's default_rng(seed) (SeedSequence, PCG64, Generator.permutation): the
    same permutation for every epoch, so a mini-batch run in the page sees the server's batches."""
    page = open_page("basin?opt_batch=16")
    assert helpers.wait_until(page, READY)
    for seed in ("0", "1", "7", "9999", str(2**32 + 5), str(2**70 + 3)):       # more than one 32-bit word too
        for m in (1, 2, 3, 10, 200, 569, 2000):
            got = page.evaluate("([s, m]) => window.__racePreview.permutations(s, m, 3)", [seed, m])
            rng = np.random.default_rng(int(seed))
            assert got == [rng.permutation(m).tolist() for _ in range(3)], (seed, m)
    helpers.assert_no_console_errors(console_errors)


def test_the_page_races_as_core_does_on_every_data_set(open_page, console_errors):
    """The race ui/race_preview.js computes is core's (run_race): every optimiser, full batch and mini-batches with
    their shuffles, decay, λ, both neurons, every bundled data set, the same stops, to rounding.

    Past gradient descent's limit (α·λ_max = 4.5 on the logistic basin) the bouncing is chaotic: a change in the
    15th digit of the start (core against core) moves the path by 1e-2 within about 120 steps, so there the page's
    run must agree for its first 40 steps and stop at the same step."""
    from types import SimpleNamespace

    from core.data.datasets import ONE_FEATURE_SETS
    from core.lessons import basin
    from core.lessons import race as rc
    from ui.optimisers import preview_payload, slider_options, slider_settings

    variants = [{}, {"opt_batch": 16, "opt_decay": 0.3, "opt_seed": 5, "opt_steps": 300},
                {"opt_batch": 1, "opt_steps": 150, "opt_seed": 9},
                {"opt_rate": 1.9, "opt_beta1": 0.99, "opt_rms_beta": 0.999, "opt_beta2": 0.9, "opt_batch": 64,
                 "opt_decay": 3.0},
                {"opt_rate": 4.5, "opt_adaptive": 1.0, "opt_eps": 1e-2, "opt_steps": 300}]
    page = open_page("basin?opt_steps=61")
    assert helpers.wait_until(page, READY)
    page.evaluate("() => { window.__pageRace = window.__raceRun; }")
    compared = 0
    for dataset in ONE_FEATURE_SETS:
        x, y, _ = basin.load(dataset, 0)
        m = x.shape[1]
        for neuron in basin.NEURONS:
            lambd = 0.5 * (compared % 2)
            for v in variants:
                settings = rc.RaceSettings(**{**v, "opt_batch": rc.snap_batch(v.get("opt_batch", 0), m)})
                result = rc.run_race(x, y, settings, neuron, lambd, 1.0, -1.5)
                options = slider_options(m)
                payload = preview_payload(x, y, result, settings, SimpleNamespace(neuron=neuron, lambd=lambd), options)
                t = slider_settings(settings, options)
                got = page.evaluate("""([R, t]) => { window.__raceRun = R; const r = window.__racePreview.race(t);
                    return r.runs.map(x => [x.w, x.b, x.cost, x.kept]); }""", [payload, t])
                chaotic = settings.opt_rate > 2 and neuron == "logistic"
                for k, run in enumerate(result.race.runs):
                    w, b, cost, kept = got[k]
                    assert kept == run.steps + 1, (dataset, neuron, v, run.optimiser, run.status)
                    mine = np.array([w, b, cost])
                    core = np.array([result.race.W[k], result.race.B[k], result.race.J[k]])
                    if chaotic and run.optimiser in ("gd", "momentum"):
                        mine, core = mine[:, :41], core[:, :41]
                        assert np.allclose(mine, core, rtol=1e-6, atol=1e-6), (dataset, neuron, v, run.optimiser)
                    else:
                        assert np.allclose(mine, core, rtol=1e-7, atol=1e-9), (dataset, neuron, v, run.optimiser)
                compared += 1
    page.evaluate("() => { window.__raceRun = window.__pageRace; }")
    assert compared == len(ONE_FEATURE_SETS) * len(basin.NEURONS) * len(variants)
    helpers.assert_no_console_errors(console_errors)


def test_a_dragged_race_slider_is_drawn_while_it_moves_before_the_page_reruns(open_page, console_errors):
    """While the α·λ_max thumb is dragged (Streamlit reruns only when it is let go), the race chart already shows
    core's runs for the thumb's value, with the legend names and the cost axes the figure would give them, while the
    page's sentences (made by the server) still speak of the old rate. After the release, the server's chart
    agrees."""
    page = open_page("basin?opt_steps=61&opt_batch=16")
    helpers.wait_for_charts(page)
    assert helpers.wait_until(page, READY)
    payload = page.evaluate("() => window.__raceRun")
    before = page.evaluate("() => window.__sliderPreview.thumbs('race')")
    first = page.evaluate(TRAIL)
    said = page.locator("text=The steepest curvature").first.inner_text()
    page.locator(".st-key-opt_rate").scroll_into_view_if_needed()
    helpers.hold_and_drag(page, "opt_rate", 12, 6)
    moved = page.evaluate("() => window.__sliderPreview.thumbs('race')")
    assert moved["opt_rate"] > before["opt_rate"] and {**moved, "opt_rate": 0} == {**before, "opt_rate": 0}
    result = _core_race(payload, moved, "overlap")
    want = [[float(np.float32(v)) for v in result.race.W[k]] for k in range(len(result.race.names))]

    def shows_core():
        shown = page.evaluate(TRAIL)
        return all(np.allclose(s[0], w, rtol=1e-6, atol=1e-6) for s, w in zip(shown, want, strict=True))

    assert helpers.wait_until(page, f"""(want) => ({TRAIL})().every((t, k) =>
        t[0].every((v, i) => Math.abs(v - want[k][i]) < 1e-5))""", want, timeout=30_000)
    assert shows_core() and page.evaluate(TRAIL)[0][0] != first[0][0]
    assert [t[2] for t in page.evaluate(TRAIL)] == list(result.labels) != [t[2] for t in first]
    assert page.locator("text=The steepest curvature").first.inner_text() == said      # no rerun while it is held
    lo, hi = page.evaluate(f"() => {FIND}.layout.yaxis2.range")
    j0, low = result.race.J[:, 0].max(), min(result.race.J.min(), result.limits.minimum.cost)
    assert np.allclose([lo, hi], [low - 0.05 * (j0 - low + 1e-9), j0 + 0.25 * (j0 - low + 1e-9)], rtol=1e-7)
    assert page.evaluate("() => window.__chartBridge.previewed") >= 1

    page.mouse.up()
    page.wait_for_function("(v) => Number(new URL(location.href).searchParams.get('opt_rate')) === v",
                           arg=moved["opt_rate"], polling=200, timeout=60_000)
    helpers.wait_for_app(page)
    assert helpers.wait_until(page, "(said) => document.body.innerText.includes('The steepest curvature') && "
                              "!document.body.innerText.includes(said)", said, timeout=30_000)
    assert shows_core() and [t[2] for t in page.evaluate(TRAIL)] == list(result.labels)
    helpers.save_screenshot(page, "basin-race-after-drag")
    helpers.assert_no_console_errors(console_errors)


def test_on_a_phone_the_race_is_one_column_and_nothing_runs_into_anything(page, open_page):
    """At 390 px the race's two panels are drawn one over the other (the figure's narrow layout, applied by the
    page's script) and no title, axis title, legend or button runs into another. Side by side, each panel was
    140 px wide: its title was cut, the axis switch lay over Play and "iteration" over "w". One over the other,
    the cost chart was first 100 px high, under a legend with room to spare. Past 640 px the panels go back side
    by side."""
    from tests.e2e.survey import CHART_TEXT_CLASHES
    page.set_viewport_size({"width": 390, "height": 844})
    open_page("basin")
    helpers.wait_for_charts(page)
    page.get_by_text("Optimisers on the same basin").scroll_into_view_if_needed()
    page.get_by_test_id("stCheckbox").filter(has_text="Race the optimisers").locator("label").click()
    assert helpers.wait_until(page, f"() => {{ const gd = {FIND}; return gd && gd._fullData.length > 5 && "
                                    "gd.layout.yaxis2.domain[1] < gd.layout.yaxis.domain[0]; }")
    helpers.wait_until_steady(page, f"() => ({CHART_TEXT_CLASHES})().length === 0", timeout=10_000)
    assert page.evaluate(CHART_TEXT_CLASHES) == []
    # both panels big enough to read the runs in: the cost chart was 100 px high under the top view
    heights = page.evaluate(f"() => {{ const gd = {FIND}; return [gd._fullLayout.yaxis._length, "
                            "gd._fullLayout.yaxis2._length]; }")
    assert min(heights) >= 130, heights
    # the buttons (Play, the axis switch) clear of each other and of every text of the race chart
    clashes = page.evaluate(f"""() => {{ const gd = {FIND}; const out = [];
        const boxes = (sel) => [...gd.querySelectorAll(sel)].filter(e => e.textContent.trim())
            .map(e => [e.textContent.slice(0, 30), e.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
        const buttons = boxes('.updatemenu-button');
        const texts = boxes('g.annotation, .legend, [class^="g-"][class$="title"], .xtick text, .ytick text');
        const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2
                           && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
        buttons.forEach(([n, r], i) => {{
            buttons.slice(i + 1).forEach(([m, q]) => {{ if (hit(r, q)) out.push([n, m]); }});
            texts.forEach(([m, q]) => {{ if (hit(r, q)) out.push([n, m]); }});
        }});
        return out; }}""")
    assert clashes == []
    page.set_viewport_size({"width": 1280, "height": 844})     # wide again: side by side
    assert helpers.wait_until(page, f"() => {{ const gd = {FIND}; return gd.layout.xaxis.domain[1] < 0.6; }}")
