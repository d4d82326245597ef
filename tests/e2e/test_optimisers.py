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
