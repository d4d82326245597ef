"""Predict, then check and the Start here path in real Chromium."""

import re

from playwright.sync_api import expect

from core.lessons import predict
from tests.conftest import REPO_ROOT
from tests.e2e import helpers
from ui.path import STEPS

FIND = "[...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.basin)"
SHOWN = f"""() => {{ const gd = {FIND}; if (!gd || !gd._fullData) return null; const m = gd.layout.meta.basin;
  return window.__basinRuns.tokens[gd._fullData[m.trail3d[0]].meta]; }}"""     # the run the basin's one slot shows


def _shown_run(page):
    return page.evaluate(SHOWN)


def test_basin_predict_then_check(open_page, console_errors):
    page = open_page("basin")
    helpers.wait_for_charts(page)
    helpers.wait_until(page, f"() => ({SHOWN})() === 'smooth'")
    box = page.locator(".st-key-predict_basin")
    expect(box).to_be_visible()
    expect(box.get_by_text("no predictions checked yet")).to_be_visible()
    check = box.get_by_role("button", name="Check my prediction")
    expect(check).to_be_disabled()                                  # no answer, no check
    box.get_by_text("It zigzags across the valley, then settles").click()
    expect(check).to_be_enabled()
    helpers.wait_for_app(page)
    assert _shown_run(page) == "smooth"                             # the asked run is not shown before the check
    helpers.save_screenshot(page, "predict-basin-before")
    box.screenshot(path=str(helpers.SCREENSHOTS / "predict-basin-box-before.png"))
    check.click()
    truth = predict.check(predict.question("basin.regime", {"alpha": "oscillating"}))
    expect(box.get_by_test_id("stAlert")).to_be_visible()
    expect(page).to_have_url(re.compile("alpha=oscillating"))
    helpers.wait_until(page, f"() => ({SHOWN})() === 'oscillating'")
    assert _shown_run(page) == "oscillating"                        # revealed: the run the student predicted
    right = truth.answer == "zigzag"
    expect(box.get_by_test_id("stAlert")).to_contain_text("Right." if right else "Not this time.")
    expect(box.get_by_text(f"Your score this session: {int(right)} right out of 1.")).to_be_visible()
    expect(box.locator(".katex").first).to_contain_text("λ")
    helpers.wait_for_app(page)
    helpers.save_screenshot(page, "predict-basin-after")
    box.screenshot(path=str(helpers.SCREENSHOTS / "predict-basin-box-after.png"))
    helpers.assert_no_console_errors(console_errors)


def test_the_next_rate_to_try_follows_new_data(open_page, console_errors):
    """New data reorder and relabel the 'Next α to try' options (the named rates follow the curvature): the thumb
    stays on the same named rate, at its new value, instead of falling to the first option (0.0001)."""
    from core.lessons import basin

    page = open_page("basin")
    helpers.wait_for_charts(page)
    box = page.locator(".st-key-predict_basin")
    slider = box.get_by_test_id("stSlider").filter(has_text="Next α to try")
    thumb = slider.get_by_role("slider")
    rate = {}
    for name in ("overlap", "tumour"):
        x, y, _ = basin.load(name, 0)
        w0, b0 = basin.default_start(x, y)
        curv = basin.tune_presets(x, y, "sigmoid", "log", 0.0, w0, b0, 60,
                                  basin.curvature(x, y, "sigmoid", "log", 0.0, w0, b0))
        rate[name] = f"{curv.rates()['oscillating']:.3g}"
    assert rate["overlap"] != rate["tumour"]
    expect(thumb).to_have_attribute("aria-valuetext", rate["overlap"])
    dataset = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Dataset")
    dataset.click()
    page.get_by_role("option", name="Tumour size (breast cancer data)").click()
    helpers.wait_for_app(page)
    expect(thumb).to_have_attribute("aria-valuetext", rate["tumour"], timeout=30_000)


def test_back_from_a_step_returns_to_the_step_before_in_one_press(open_page):
    """Step 1 then step 2 (both on the Cost basin), then Back: step 1's settings, at once. The page keeps path=
    in its URL while it shows the step, so its first write is no second entry in the browser's history (Back
    used to stop on step 2's link first, and seemed to do nothing)."""
    page = open_page("")
    page.get_by_test_id("stPageLink").filter(has_text=f"1. {STEPS[0].title}").click()
    helpers.wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("Cost basin")
    page.locator(".st-key-path_next").get_by_text(f"2. {STEPS[1].title}").click()
    expect(page.get_by_role("radio", name=re.compile("^Linear neuron"))).to_be_checked()
    helpers.wait_for_app(page)
    expect(page).to_have_url(re.compile(r"neuron=linear&alpha=oscillating&path=2$"))
    page.go_back()
    expect(page.get_by_role("radio", name=re.compile("^Logistic neuron"))).to_be_checked()
    helpers.wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/basin\?path=1$"))
    expect(page.locator(".st-key-path_next").get_by_text(f"2. {STEPS[1].title}")).to_be_visible()


def test_start_here_path(open_page, console_errors):
    page = open_page("")
    expect(page.get_by_role("heading", name="Start here")).to_be_visible()
    links = page.get_by_test_id("stPageLink")
    for i, s in enumerate(STEPS):
        expect(links.filter(has_text=f"{i + 1}. {s.title}")).to_have_count(1)
    helpers.save_screenshot(page, "home-start-here")
    links.filter(has_text=f"2. {STEPS[1].title}").click()
    helpers.wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("Cost basin")
    expect(page).to_have_url(re.compile("alpha=oscillating"))
    helpers.wait_for_charts(page)
    helpers.wait_until(page, f"() => ({SHOWN})() === 'oscillating'")
    assert _shown_run(page) == "oscillating"
    nxt = page.locator(".st-key-path_next")
    expect(nxt.get_by_text(f"3. {STEPS[2].title}")).to_be_visible()
    nxt.screenshot(path=str(helpers.SCREENSHOTS / "path-next-step.png"))
    nxt.get_by_text(f"3. {STEPS[2].title}").click()
    helpers.wait_for_app(page)
    # the next step on the same page opens at its top, not at the bottom where its link was
    assert helpers.wait_until(page, "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); "
                                    "return m.scrollHeight > m.clientHeight + 500 && m.scrollTop === 0; }")
    expect(page).to_have_url(re.compile("neuron=linear"))
    expect(page).to_have_url(re.compile("alpha=too-large"))
    expect(page.get_by_text(re.compile("Diverged at step"))).to_be_visible()
    expect(page.locator(".st-key-path_next").get_by_text(f"4. {STEPS[3].title}")).to_be_visible()
    helpers.assert_no_console_errors(console_errors)


def test_classify_predict_before_the_photo(open_page, console_errors):
    page = open_page("classify")
    tab = page.get_by_role("tab", name="Classify a photo")
    tab.click()
    panel = page.locator("[role=tabpanel]:visible").first
    panel.get_by_text("the neuron trained on the left tab").click()      # the face finder has a test below
    helpers.wait_for_app(page)
    box = panel.locator(".st-key-predict_classify")
    expect(box).to_be_visible()
    box.get_by_text("face", exact=True).click()
    helpers.wait_for_app(page)
    box.screenshot(path=str(helpers.SCREENSHOTS / "predict-classify-before.png"))
    helpers.upload(page, panel.get_by_test_id("stFileUploader").filter(has_text="Upload a photo").first,
                   str(REPO_ROOT / "tests" / "fixtures" / "face.jpg"))
    answer = panel.locator(".st-key-predict_classify_answer")
    expect(answer.get_by_test_id("stAlert")).to_be_visible()
    expect(answer.get_by_text(re.compile(r"Your score this session: [01] right out of 1\."))).to_be_visible()
    expect(box.get_by_text("You predicted: face.")).to_be_visible()
    helpers.wait_for_app(page)
    answer.screenshot(path=str(helpers.SCREENSHOTS / "predict-classify-after.png"))
    helpers.assert_no_console_errors(console_errors)


def test_face_finder_predict_before_the_photo(open_page, console_errors):
    """The default neuron of the photo tab, the face finder: predict "a face", upload a real portrait."""
    from tests.conftest import dev_photo
    page = open_page("classify")
    page.get_by_role("tab", name="Classify a photo").click()
    panel = page.locator("[role=tabpanel]:visible").first
    box = panel.locator(".st-key-predict_classify")
    expect(box).to_be_visible()
    box.get_by_text("a face", exact=True).click()
    helpers.wait_for_app(page)
    helpers.upload(page, panel.get_by_test_id("stFileUploader").filter(has_text="Upload a photo").first,
                   str(dev_photo("obama.jpg")))
    answer = panel.locator(".st-key-predict_classify_answer")
    expect(answer.get_by_text(re.compile(r"The neuron says “a face”"))).to_be_visible(timeout=60_000)
    expect(answer.get_by_text("Your score this session: 1 right out of 1.")).to_be_visible()
    expect(box.get_by_text("You predicted: a face.")).to_be_visible()
    helpers.assert_no_console_errors(console_errors)


def test_losses_predict_then_check(open_page, console_errors):
    page = open_page("losses")
    helpers.wait_for_charts(page)
    box = page.locator(".st-key-predict_losses")
    expect(box).to_be_visible()
    box.get_by_text("Neither gets stuck").click()
    helpers.wait_for_app(page)
    box.screenshot(path=str(helpers.SCREENSHOTS / "predict-losses-before.png"))
    box.get_by_role("button", name="Check my prediction").click()
    expect(box.get_by_test_id("stAlert")).to_be_visible()
    expect(page).to_have_url(re.compile("preset=custom"))
    expect(box.get_by_text(re.compile(r"Your score this session: [01] right out of 1\."))).to_be_visible()
    helpers.wait_for_app(page)
    helpers.wait_for_charts(page)
    box.screenshot(path=str(helpers.SCREENSHOTS / "predict-losses-after.png"))
    helpers.assert_no_console_errors(console_errors)
