"""Re-take the four class-mode pictures of docs/CLASSROOM.md as tests/e2e/test_classmode.py plays the class (a
projector 1280 px wide with teacher=1, phones 420 px wide), each cut in a gap between elements, never through one.

    .venv/bin/python serve.py --server.port=8600 &      # a server of this tree
    .venv/bin/python scripts/classmode_pictures.py http://127.0.0.1:8600 docs
"""
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.e2e import helpers  # noqa: E402

B, OUT = sys.argv[1], sys.argv[2]
LIVE = 15_000
SCROLLER = """() => { let el = document.querySelector('h1');
  while (el && !(el.scrollHeight > el.clientHeight + 5 && getComputedStyle(el).overflowY.match(/auto|scroll/)))
    el = el.parentElement;
  return el; }"""


def open_(br, url, w, h):
    ctx = br.new_context(viewport={"width": w, "height": h})
    pg = ctx.new_page()
    pg.goto(url)
    helpers.wait_for_app(pg)
    expect(pg.locator("h1").first).to_be_visible()
    return pg


def type_(pg, label, text):
    box = pg.get_by_role("textbox", name=label)
    box.fill(text)
    box.press("Enter")
    helpers.wait_for_app(pg)


def scroll_to(pg, y):
    pg.evaluate(f"() => {{ const s = ({SCROLLER})(); if (s) s.scrollTop = {y}; }}")
    time.sleep(0.5)


def shot(pg, name, width, top_locator, bottom_locator, next_locator, top_pad=0):
    """The window from top_pad px below top_locator's bottom (None: the page's top) to halfway between
    bottom_locator's bottom and next_locator's top: both edges in the white space between elements."""
    helpers.wait_for_charts(pg)
    pg.set_viewport_size({"width": width, "height": 2400})
    time.sleep(1)
    scroll_to(pg, 0)
    top = 0
    if top_locator is not None:
        b = top_locator.bounding_box()
        top = int(b["y"] + b["height"] + top_pad)
    box, nxt = bottom_locator.bounding_box(), next_locator.bounding_box()
    end = box["y"] + box["height"]
    bottom = int(end + (nxt["y"] - end) / 2)
    pg.set_viewport_size({"width": width, "height": bottom - top})
    time.sleep(1)
    scroll_to(pg, top)
    time.sleep(1)
    helpers.wait_for_charts(pg)
    pg.screenshot(path=f"{OUT}/{name}.png")
    print(name, "gap below", nxt["y"] - end, pg.viewport_size, "top", top)


with sync_playwright() as p:
    br = p.chromium.launch(executable_path="/usr/bin/chromium")
    teacher = open_(br, f"{B}/classmode?teacher=1", 1280, 960)
    teacher.get_by_role("button", name="Start a class").click()
    expect(teacher.get_by_test_id("stCode").first).to_contain_text("/classmode?class=")
    code = re.search(r"[?&]class=([A-Z2-9]{8})", teacher.url).group(1)
    ada = open_(br, f"{B}/classmode?class={code}", 420, 1000)
    type_(ada, "Nickname (optional)", "Ada")
    ada.get_by_role("button", name="Join the class").click()
    expect(ada.get_by_text("The question appears here")).to_be_visible()
    bo = open_(br, f"{B}/classmode", 420, 1000)
    type_(bo, "Class code (on the projector)", f"{code[:4].lower()}-{code[4:].lower()}")
    bo.get_by_role("button", name="Join the class").click()
    expect(bo.get_by_text("The question appears here")).to_be_visible()
    expect(teacher.get_by_text("2 students joined")).to_be_visible(timeout=LIVE)
    teacher.get_by_role("button", name="Ask the class").click()
    expect(teacher.get_by_text("Question 1: 0 of 2 answered")).to_be_visible()
    for s in (ada, bo):
        expect(s.get_by_text("With this learning rate, what will the ball do")).to_be_visible(timeout=LIVE)
    helpers.wait_for_charts(ada)
    time.sleep(1)
    ada.screenshot(path=f"{OUT}/classmode-student-question.png")   # 420 × 1000 as before: it ends in white space
    ada.get_by_text("It zigzags across the valley, then settles").click()
    expect(ada.get_by_text("Your answer is in")).to_be_visible()
    bo.get_by_text("It rolls smoothly downhill").click()
    expect(bo.get_by_text("Your answer is in")).to_be_visible()
    bo.get_by_text("It flies off, or keeps bouncing without settling").click()
    expect(bo.get_by_text("Your answer is in: It flies off")).to_be_visible()
    expect(teacher.get_by_text("Question 1: 2 of 2 answered")).to_be_visible(timeout=LIVE)
    assert helpers.wait_until(teacher, "() => { const p = document.querySelector(\"[data-testid='stPlotlyChart'] "
                                       ".js-plotly-plot\"); return p && p.data && p.data[0].x.join() === '0,1,1'; }")
    time.sleep(2)
    chart = teacher.get_by_test_id("stPlotlyChart").first
    shot(teacher, "classmode-projector", 1280, None, chart, teacher.get_by_role("button", name="Reveal the answer"))
    teacher.set_viewport_size({"width": 1280, "height": 960})
    teacher.get_by_role("button", name="Reveal the answer").click()
    expect(teacher.get_by_text("1 of 2 answered right (50 %)")).to_be_visible()
    expect(ada.get_by_text("Right.", exact=False).first).to_be_visible(timeout=LIVE)
    expect(ada.get_by_text("How the class answered")).to_be_visible()
    time.sleep(2)
    note = teacher.get_by_text(re.compile("is the steepest curvature of J")).first
    shot(teacher, "classmode-projector-revealed", 1280,
         teacher.get_by_text("The class ends in").first, note,
         teacher.get_by_test_id("stPlotlyChart").nth(1), top_pad=10)
    note = ada.get_by_text(re.compile("is the steepest curvature of J")).first
    shot(ada, "classmode-student-revealed", 420, None, note, ada.get_by_test_id("stPlotlyChart").first)
    br.close()
