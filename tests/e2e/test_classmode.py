"""Class mode in real Chromium: a teacher's projector and two students, each in a browser context of its own (no
shared cookies or storage, as on three devices), on one server with the SQLite store, then with Redis.

The students' pages and the projector update by themselves (fragments on a timer): nobody reloads anything."""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

import serve
from deploy.local_redis import find_redis_server, start_redis
from tests.conftest import REPO_ROOT
from tests.e2e import helpers

LIVE = 15_000  # ms: an answer must reach the projector, a question the students, well within this on a busy machine


def _server(env_extra: dict, log_name: str):
    port = serve.free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, **env_extra}
    log_path = REPO_ROOT / "test-artifacts" / log_name
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115
    proc = subprocess.Popen(serve.command(port), cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        serve.wait_healthy(url, proc, timeout=60)
    except RuntimeError:
        serve.stop(proc)
        log.close()
        pytest.fail(f"the server did not start; see {log_path}")
    return proc, log, url


@pytest.fixture(scope="module", params=["sqlite", "redis"])
def class_server(request):
    """A server whose class store is a fresh SQLite file, or a fresh redis-server (skipped without one)."""
    folder = Path(tempfile.mkdtemp(prefix="basin-class-e2e-"))
    redis_proc = None
    env = {"BASIN_DATA_DIR": str(folder)}
    if request.param == "redis":
        program = find_redis_server()
        try:
            import redis  # noqa: F401
        except ImportError:
            program = None
        if program is None:
            if os.environ.get("CI") == "true":
                pytest.fail("CI must test class mode on Redis: install redis-server and redis-py.", pytrace=False)
            pytest.skip("redis-server or redis-py missing")
        redis_proc, redis_url = start_redis(program, folder)
        env["BASIN_REDIS_URL"] = redis_url
    proc, log, url = _server(env, f"classmode-{request.param}.log")
    try:
        yield request.param, url
    finally:
        serve.stop(proc)
        log.close()
        if redis_proc is not None:
            serve.stop(redis_proc)
        shutil.rmtree(folder, ignore_errors=True)


def _open(browser: Browser, url: str, viewport=(1280, 800)) -> Page:
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.goto(url)
    helpers.wait_for_app(page)
    expect(page.locator("h1").first).to_be_visible()
    return page


def _type(page: Page, label: str, text: str) -> None:
    box = page.get_by_role("textbox", name=label)
    box.fill(text)
    box.press("Enter")   # Streamlit takes a text input's value on Enter (or when it loses focus)
    helpers.wait_for_app(page)


def _tally(page: Page) -> list[int]:
    """The counts the projector's bar chart draws (plotly's data, in the question's order)."""
    return page.evaluate("""() => {
        const plot = document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot");
        return plot && plot.data && plot.data[0].type === 'bar' ? Array.from(plot.data[0].x) : null;
    }""")


# The code element's text width, the width it has, and the right edges of it and of its column (px); `text`, when
# given, is put in first (and the code put back after).
FIT = """(el, text) => { const was = el.textContent; if (text) el.textContent = text;
    const r = el.getBoundingClientRect(), col = el.closest('[data-testid="stColumn"]').getBoundingClientRect();
    const out = [el.scrollWidth, el.clientWidth, r.left + el.scrollWidth, col.right];
    el.textContent = was; return out; }"""


def test_a_class_sees_live_counts_and_the_reveal(browser: Browser, class_server):
    backend, base = class_server
    errors = []
    teacher = _open(browser, f"{base}/classmode?teacher=1", (1280, 960))
    errors += helpers.collect_console_errors(teacher)
    teacher.get_by_role("button", name="Start a class").click()
    expect(teacher.get_by_test_id("stCode").first).to_contain_text("/classmode?class=")
    code = re.search(r"[?&]class=([A-Z2-9]{8})", teacher.url).group(1)
    assert "key=" in teacher.url                                      # the teacher's link carries the token ...
    join_link = teacher.get_by_test_id("stCode").first.inner_text().strip()
    assert "key=" not in join_link and join_link.endswith(f"class={code}")   # ... the projector's link does not
    # The code, the projector's biggest text, fits its column: this class's code and the widest one there can be.
    for shown in (None, "WWWW-MMMM"):
        width, room, right, column_right = teacher.get_by_test_id("cm-code").evaluate(FIT, shown)
        assert width <= room and right <= column_right + 0.5, (shown, width, room, right, column_right)

    # One student opens the join link, the other types the code (small letters, with a dash).
    ada = _open(browser, f"{base}/classmode?class={code}", (420, 1000))
    _type(ada, "Nickname (optional)", "Ada")
    ada.get_by_role("button", name="Join the class").click()
    expect(ada.get_by_text("The question appears here")).to_be_visible()
    bo = _open(browser, f"{base}/classmode", (420, 1000))
    _type(bo, "Class code (on the projector)", f"{code[:4].lower()}-{code[4:].lower()}")
    bo.get_by_role("button", name="Join the class").click()
    expect(bo.get_by_text("The question appears here")).to_be_visible()
    errors += helpers.collect_console_errors(ada) + helpers.collect_console_errors(bo)
    expect(teacher.get_by_text("2 students joined")).to_be_visible(timeout=LIVE)

    # The teacher asks; both students see the question without reloading.
    teacher.get_by_role("button", name="Ask the class").click()
    expect(teacher.get_by_text("Question 1: 0 of 2 answered")).to_be_visible()
    for student in (ada, bo):
        expect(student.get_by_text("With this learning rate, what will the ball do")).to_be_visible(timeout=LIVE)
    if backend == "sqlite":
        teacher.locator("h1").first.scroll_into_view_if_needed()
        helpers.save_screenshot(teacher, "classmode-projector-asking")
        helpers.save_screenshot(ada, "classmode-student-question")

    # Answers reach the projector's bars by themselves.
    ada.get_by_text("It zigzags across the valley, then settles").click()
    expect(ada.get_by_text("Your answer is in")).to_be_visible()
    t0 = time.monotonic()
    expect(teacher.get_by_text("Question 1: 1 of 2 answered")).to_be_visible(timeout=LIVE)
    first_seen = time.monotonic() - t0
    bo.get_by_text("It rolls smoothly downhill").click()
    expect(bo.get_by_text("Your answer is in")).to_be_visible()
    bo.get_by_text("It flies off, or keeps bouncing without settling").click()   # a change of mind
    expect(bo.get_by_text("Your answer is in: It flies off")).to_be_visible()
    expect(teacher.get_by_text("Question 1: 2 of 2 answered")).to_be_visible(timeout=LIVE)
    # the projector is the room's screen: the bars wait for the reveal unless the teacher shows them
    expect(teacher.get_by_text("The bars appear when you reveal the answer")).to_be_visible()
    assert _tally(teacher) is None
    teacher.get_by_text("Show the bars before the reveal").click()
    assert helpers.wait_until(teacher, "() => { const p = document.querySelector(\"[data-testid='stPlotlyChart'] "
                                       ".js-plotly-plot\"); return p && p.data && p.data[0].x.join() === '0,1,1'; }")
    assert _tally(teacher) == [0, 1, 1]        # smooth, zigzag, wild: each student once, for their last answer
    if backend == "sqlite":
        teacher.locator("h1").first.scroll_into_view_if_needed()
        helpers.save_screenshot(teacher, "classmode-projector-answers")

    # The reveal reaches every student: the run, the explanation, how the class did.
    teacher.get_by_role("button", name="Reveal the answer").click()
    expect(teacher.get_by_text("1 of 2 answered right (50 %)")).to_be_visible()
    expect(ada.get_by_text("Right.", exact=False).first).to_be_visible(timeout=LIVE)
    expect(ada.get_by_text("How the class answered")).to_be_visible()
    expect(bo.get_by_text("Not this time.", exact=False).first).to_be_visible(timeout=LIVE)
    expect(ada.get_by_role("link", name="Open this experiment on the Cost basin page")).to_be_visible()
    if backend == "sqlite":
        helpers.save_screenshot(teacher, "classmode-projector-revealed")
        helpers.save_screenshot(ada, "classmode-student-revealed")

    # A reload keeps the student's class and answer.
    ada.reload()
    helpers.wait_for_app(ada)
    expect(ada.get_by_text("Right.", exact=False).first).to_be_visible()

    # Close: the students are told, in one sentence.
    teacher.get_by_role("button", name="Close the class").click()
    expect(teacher.get_by_text("is closed")).to_be_visible()
    expect(bo.get_by_text("has ended: ask your teacher for a new code")).to_be_visible(timeout=LIVE)
    helpers.assert_no_console_errors(errors)
    print(f"{backend}: first answer on the projector after {first_seen:.2f} s")
    for p in (teacher, ada, bo):
        p.context.close()


def test_the_projector_follows_the_teacher_on_another_device(browser: Browser, class_server):
    """The teacher link opens the teacher's view on a phone: what the teacher asks and reveals there reaches the
    projector by itself (the projector kept the first question's heading above the next one's bars, and after a
    reveal from the phone still offered "Reveal the answer" with no answer shown)."""
    _, base = class_server
    projector = _open(browser, f"{base}/classmode?teacher=1", (1280, 960))
    projector.get_by_role("button", name="Start a class").click()
    expect(projector.get_by_test_id("stCode").first).to_contain_text("/classmode?class=")
    assert "key=" in projector.url
    phone = _open(browser, projector.url, (390, 844))                  # the teacher link, on the teacher's phone
    phone.get_by_role("button", name="Ask the class").click()
    expect(phone.get_by_text("Question 1: 0 of 0 answered")).to_be_visible()
    expect(projector.locator("h3", has_text="With this learning rate, what will the ball do")).to_be_visible(
        timeout=LIVE)
    expect(projector.get_by_role("button", name="Reveal the answer")).to_be_visible()
    phone.get_by_role("button", name="Reveal the answer").click()
    expect(projector.get_by_text("The answer:", exact=False).first).to_be_visible(timeout=LIVE)
    expect(projector.get_by_role("button", name="Reveal the answer")).to_have_count(0)
    phone.get_by_text("Squared error vs log-loss: which cost gets stuck?").click()
    helpers.wait_for_app(phone)
    phone.get_by_role("button", name="Ask the class").click()
    expect(projector.locator("h3", has_text="which cost will get stuck on a flat plateau")).to_be_visible(
        timeout=LIVE)
    # the question's heading is the new one (the old prompt is left only in the picker's preview, collapsed)
    expect(projector.locator("h3", has_text="With this learning rate, what will the ball do")).to_have_count(0)
    expect(projector.get_by_text("Question 2: 0 of 0 answered")).to_be_visible()
    for p in (projector, phone):
        p.context.close()


def test_one_browser_is_one_student_in_two_tabs_and_after_its_tab_was_closed(browser: Browser, class_server):
    """A student opened the join link in a second tab (or again after closing the first) and joined again: the
    projector counted two students, and both of that one browser's answers. The browser keeps its place in the
    class (a cookie until the class ends), so every tab is the same student; after Leave it joins afresh."""
    _, base = class_server
    teacher = _open(browser, f"{base}/classmode?teacher=1", (1280, 960))
    teacher.get_by_role("button", name="Start a class").click()
    expect(teacher.get_by_test_id("stCode").first).to_contain_text("/classmode?class=")
    code = re.search(r"[?&]class=([A-Z2-9]{8})", teacher.url).group(1)
    first = _open(browser, f"{base}/classmode?class={code}", (420, 1000))
    first.get_by_role("button", name="Join the class").click()
    expect(first.get_by_text("The question appears here")).to_be_visible()
    sid = re.search(r"[?&]student=([A-Za-z0-9_-]{22})", first.url).group(1)

    second = first.context.new_page()                          # the same browser: a new tab on the join link
    second.goto(f"{base}/classmode?class={code}")
    helpers.wait_for_app(second)
    expect(second.get_by_text("The question appears here")).to_be_visible()    # in, without joining again
    assert re.search(r"[?&]student=([A-Za-z0-9_-]{22})", second.url).group(1) == sid
    expect(teacher.get_by_text("1 student joined")).to_be_visible(timeout=LIVE)

    teacher.get_by_role("button", name="Ask the class").click()
    for tab in (first, second):
        expect(tab.get_by_text("With this learning rate, what will the ball do")).to_be_visible(timeout=LIVE)
    first.get_by_text("It rolls smoothly downhill").click()
    expect(first.get_by_text("Your answer is in")).to_be_visible()
    second.get_by_text("It flies off, or keeps bouncing without settling").click()
    expect(second.get_by_text("Your answer is in: It flies off")).to_be_visible()
    expect(teacher.get_by_text("Question 1: 1 of 1 answered")).to_be_visible(timeout=LIVE)
    first.close()
    second.close()

    again = second.context.new_page()                          # both tabs closed, the projector's link opened again
    again.goto(f"{base}/classmode?class={code}")
    helpers.wait_for_app(again)
    expect(again.get_by_text("Your answer is in: It flies off")).to_be_visible()
    again.get_by_role("button", name="Leave").click()
    expect(again.get_by_role("button", name="Join the class")).to_be_visible()
    fresh = again.context.new_page()                           # after Leave, the join link joins afresh
    fresh.goto(f"{base}/classmode?class={code}")
    helpers.wait_for_app(fresh)
    expect(fresh.get_by_role("button", name="Join the class")).to_be_visible()
    for p in (teacher, again):
        p.context.close()
