"""The Cost basin's optimiser race in real Chromium: it renders, its axis switches in the figure, Play moves the
balls, and an uploaded CSV (which the whole page then shows) moves the race onto a new surface."""

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
