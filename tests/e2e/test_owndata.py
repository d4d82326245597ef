"""Your own data on the Cost basin in real Chromium: the point editor (add, drag, delete, keyboard) makes the
session's data, and the main basin (its 3D surface and the minimum's star) follows them."""

import re

from playwright.sync_api import expect

from tests.e2e import helpers

FIND = "[...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.basin)"
SURFACE = f"""() => {{ const gd = {FIND}; if (!gd) return null; const s = gd._fullData.find(t => t.type === "surface");
  const star = gd._fullData.find(t => t.type === "scatter" && t.name === "minimum");
  return {{z00: s.z[0][0], x0: s.x[0], y0: s.y[0], star: star ? [star.x[0], star.y[0]] : null}}; }}"""


def _changed(page, before):
    return helpers.wait_until(page, f"""before => {{ const s = ({SURFACE})();
        return s && (s.z00 !== before.z00 || s.x0 !== before.x0 || s.y0 !== before.y0); }}""", before)


def _count(page, n):
    expect(page.locator(".pe-pt")).to_have_count(n, timeout=60_000)   # locators reach into the shadow root


def test_edit_points_on_the_data_and_the_basin_follows(open_page, console_errors):
    page = open_page("basin")
    helpers.wait_for_charts(page)
    before = page.evaluate(SURFACE)
    page.get_by_text("Your own data: upload a CSV file, or add, drag and delete points").click()
    svg = page.locator(".pe-svg")
    expect(svg).to_be_visible(timeout=30_000)
    _count(page, 200)                                               # the shown set's points, ready to edit
    # each label in the colour the basin's data panel gives it: 0 blue, 1 orange
    classes = page.evaluate(f"""() => {{ const gd = {FIND};
        return gd._fullData.filter(t => t.xaxis === "x2" && t.mode === "markers").map(t => [t.name, t.marker.color]);
    }}""")
    fills = {cls: page.locator(f".pe-pt.{cls}").first.evaluate("e => getComputedStyle(e).fill")
             for cls in ("pe-zero", "pe-one")}
    assert [c for _, c in classes] == ["#0072B2", "#E69F00"], classes
    assert fills == {"pe-zero": "rgb(0, 114, 178)", "pe-one": "rgb(230, 159, 0)"}, fills
    # the rerun that opened the section may still be laying out the page above the editor: a mouse aimed at a
    # point before that lands wherever the point was (on a lane, which adds a point there)
    helpers.wait_for_app(page)

    # drag a point of the lower lane (label 0) far to the right: the session's data, and a new basin
    # mouse coordinates are the viewport's: bring the editor into view first (it sits below the fold)
    svg.scroll_into_view_if_needed()
    point = page.locator(".pe-pt.pe-zero").first
    box, area = point.bounding_box(), svg.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.9, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    dataset = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Dataset")
    expect(dataset).to_have_value("Your data (edited points, 200 points)", timeout=60_000)
    assert _changed(page, before), (before, page.evaluate(SURFACE))
    helpers.wait_for_app(page)
    after_drag = page.evaluate(SURFACE)
    # new data reorder the learning-rate slider's options: it still shows the rate the page runs
    expect(page.get_by_test_id("stSlider").filter(has_text="Learning rate α").first).to_contain_text("smooth (")
    # another learning rate on the student's data: drawn into the same chart by the quick update, 3D scene too
    run = f"""() => {{ const gd = {FIND}; const m = gd.layout.meta.basin, t = gd._fullData[m.trail3d[0]];
      const drawn = Object.values(gd._fullLayout.scene._scene.traces).find(o => o.data.uid === t.uid);
      return {{run: t.meta, scene: drawn.data.meta, quick: window.__basinBridge.quick || 0,
               token: window.__basinRuns.tokens[t.meta]}}; }}"""
    shown = page.evaluate(run)
    thumb = page.get_by_test_id("stSlider").filter(has_text="Learning rate α").get_by_role("slider")
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    assert helpers.wait_until(page, f"r => ({run})().scene !== r.scene", shown), page.evaluate(run)
    helpers.wait_for_app(page)
    other = page.evaluate(run)
    assert other["scene"] == other["run"] != shown["run"] and other["quick"] > shown["quick"], (shown, other)
    expect(page).to_have_url(re.compile("alpha=" + re.escape(other["token"]).replace("\\-", "-")))

    # click the upper lane: a point labelled 1 is added there
    svg = page.locator(".pe-svg")
    svg.scroll_into_view_if_needed()
    area = svg.bounding_box()
    page.mouse.click(area["x"] + area["width"] * 0.2, area["y"] + area["height"] * 0.25)
    expect(dataset).to_have_value("Your data (edited points, 201 points)", timeout=60_000)
    _count(page, 201)
    assert _changed(page, after_drag)
    helpers.wait_for_app(page)

    # shift-click deletes a point; the keyboard deletes another
    page.locator(".pe-pt").last.click(modifiers=["Shift"])        # the last drawn: on top of the others
    expect(dataset).to_have_value("Your data (edited points, 200 points)", timeout=60_000)
    helpers.wait_for_app(page)
    page.locator(".pe-pt").first.focus()
    page.keyboard.press("Delete")
    expect(dataset).to_have_value("Your data (edited points, 199 points)", timeout=60_000)
    _count(page, 199)
    helpers.wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    helpers.save_screenshot(page, "basin-own-points")
    helpers.assert_no_console_errors(console_errors)


def test_on_a_phone_the_editor_keeps_its_text_and_points_full_size(page, open_page):
    """On a 390 px phone the editor's drawing is as wide as its box, not a 640-wide drawing shrunk to half: its
    tick numbers stay at least 11 px tall and its points 14 px across (before: 8 px both, too small to read or
    to touch)."""
    page.set_viewport_size({"width": 390, "height": 844})
    open_page("basin")
    helpers.wait_for_charts(page)
    page.get_by_text("Your own data: upload a CSV file, or add, drag and delete points").click()
    expect(page.locator(".pe-svg")).to_be_visible(timeout=30_000)
    _count(page, 200)
    # the editor lives in a shadow root: locators reach into it, document.querySelector does not
    sizes = {"tick": page.locator(".pe-tick").first.bounding_box()["height"],
             "point": page.locator(".pe-pt").first.bounding_box()["width"],
             "svg": page.locator(".pe-svg").bounding_box()["width"],
             "page": page.evaluate("document.documentElement.clientWidth")}
    assert sizes["svg"] <= sizes["page"], sizes                      # nothing wider than the phone
    assert sizes["tick"] >= 11 and sizes["point"] >= 14, sizes
