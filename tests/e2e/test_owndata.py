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


# Ten points from 1 to 3.5 (the editor's axis runs from 0.7 to 3.8): the upper lane is empty left of x = 1.8.
X1TO35 = "size,label\n" + "".join(f"{x:.6g},{y}\n" for x, y in zip(
    [1 + 2.5 * i / 9 for i in range(10)], [0, 0, 0, 1, 0, 1, 1, 0, 1, 1], strict=True))


def _own_points(page, name, text, m):
    """Open "Your own data", upload this file and come back to the point editor with its m points."""
    page.get_by_text("Your own data: upload a CSV file, or add, drag and delete points").click()
    expect(page.locator(".pe-svg")).to_be_visible(timeout=30_000)
    helpers.wait_for_app(page)
    page.get_by_role("tab", name="Upload a CSV file").click()
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()})
    dataset = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Dataset")
    expect(dataset).to_have_value(f"Your data (uploaded, {m} points)", timeout=60_000)
    helpers.wait_for_app(page)
    page.get_by_role("tab", name="Add, drag and delete points").click()
    _count(page, m)
    svg = page.locator(".pe-svg")
    svg.scroll_into_view_if_needed()
    helpers.wait_for_app(page)
    return dataset, svg


def test_clicks_faster_than_the_page_reruns_keep_every_point(open_page, console_errors):
    """Five clicks 0.3 s apart kept 13 of 15 points: every edit after the first carried the first drawing's
    revision and was dropped. Now each carries the editor's sequence number and the newest list is taken."""
    page = open_page("basin")
    helpers.wait_for_charts(page)
    dataset, svg = _own_points(page, "sizes.csv", X1TO35, 10)
    area = svg.bounding_box()
    ticks = {t: page.locator(".pe-tick").filter(has_text=re.compile(f"^{t}$")).bounding_box() for t in ("1", "2")}
    one, two = (ticks[t]["x"] + ticks[t]["width"] / 2 for t in ("1", "2"))   # where x = 1 and x = 2 are drawn
    # the upper lane is empty from x = 1 to 1.8; points within 1 to 3.5 leave the axis as it is, so no point
    # moves under the mouse between clicks
    for x in (1.05, 1.2, 1.35, 1.5, 1.65):
        page.mouse.click(one + (x - 1) * (two - one), area["y"] + area["height"] * 0.25)
        page.wait_for_timeout(300)
    expect(dataset).to_have_value("Your data (edited points, 15 points)", timeout=60_000)
    helpers.wait_for_app(page)
    page.wait_for_timeout(1500)                                     # no late list takes any back
    helpers.wait_for_app(page)
    expect(dataset).to_have_value("Your data (edited points, 15 points)")
    _count(page, 15)
    expect(page.locator(".pe-pt.pe-one")).to_have_count(10)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    helpers.assert_no_console_errors(console_errors)


def test_a_point_dragged_past_the_end_of_the_axis_stays_on_it(open_page):
    """The axis's left end was 7 × 0.1 = 0.7000000000000001; a point dragged past it came back as 0.7 and was
    refused: "Point 5 has x = '0.7', not a number between 0.7 and 3.8; move it back onto the axis"."""
    page = open_page("basin")
    helpers.wait_for_charts(page)
    dataset, svg = _own_points(page, "sizes.csv", X1TO35, 10)
    point, area = page.locator(".pe-pt").nth(4).bounding_box(), svg.bounding_box()
    page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    page.mouse.down()
    page.mouse.move(area["x"] + 2, point["y"] + point["height"] / 2, steps=8)
    page.mouse.up()
    expect(dataset).to_have_value("Your data (edited points, 10 points)", timeout=60_000)
    helpers.wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    expect(page.locator(".pe-pt").nth(4)).to_have_attribute("aria-label", re.compile(r"^Point 5: x = 0\.7,"))


def test_data_with_many_significant_digits_can_be_edited(open_page):
    """Unix timestamps 1,700,000,000 + 30·k: the editor sent every x as Number(x.toPrecision(7)), 20 values became
    2, and "Add a point labelled 1" was refused: "Point 18 has x = '1700001000', not a number between 1.7e+09 and
    1.7e+09". Its ticks all read 1700000000."""
    page = open_page("basin")
    helpers.wait_for_charts(page)
    text = "t,label\n" + "".join(f"{1_700_000_000 + 30 * k},{(k * 7) % 3 % 2}\n" for k in range(20))
    dataset, _ = _own_points(page, "times.csv", text, 20)
    ticks = page.locator(".pe-tick").all_text_contents()               # the axis: 1699999940 to 1700000630
    assert ticks == ["1700000000", "1700000200", "1700000400", "1700000600"], ticks
    page.get_by_role("button", name="Add a point labelled 1").click()
    expect(dataset).to_have_value("Your data (edited points, 21 points)", timeout=60_000)
    helpers.wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    _count(page, 21)
    xs = page.locator(".pe-pt").evaluate_all("ps => ps.map(p => p.getAttribute('aria-label').match(/x = ([^,]*),/)[1])")
    assert len(set(xs)) == 21 and xs[:2] == ["1700000000", "1700000030"], xs   # every value its own
