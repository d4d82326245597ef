"""The Classify page in a real browser: train, upload a photo, recover from garbage, own classes."""

import io
import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from core.data import images  # noqa: F401  (registers the HEIF plugin that Pillow saves HEIC with)
from tests.conftest import REPO_ROOT, dev_photo
from tests.e2e import helpers
from tests.e2e.helpers import assert_no_console_errors, save_screenshot, wait_for_app

FIXTURES = REPO_ROOT / "tests" / "fixtures"
PROBABILITY = re.compile(r"a = σ\(wᵀx \+ b\) = (\d\.\d{3})")


def open_tab(page, name):
    tab = page.get_by_role("tab", name=name)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = page.locator("[role=tabpanel]:visible")
    expect(panel.first).to_be_visible()
    return panel.first


def upload(page, panel, label, files):
    """Put files into the uploader with this label in the visible tab; the caller waits for the outcome."""
    helpers.upload(page, panel.get_by_test_id("stFileUploader").filter(has_text=label).first, files)


def probability_text(panel, timeout=60_000):
    line = panel.get_by_text(PROBABILITY)
    expect(line).to_be_visible(timeout=timeout)
    return float(PROBABILITY.search(line.inner_text()).group(1))


def jpeg(seed, size=(40, 30)):
    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(arr).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_training_results_are_shown(open_page, console_errors):
    page = open_page("classify")
    panel = open_tab(page, "Train on bundled images")
    metrics = panel.get_by_test_id("stMetricValue")
    expect(metrics.nth(0)).to_have_text("100.0%", timeout=90_000)      # training may still be running
    expect(metrics.nth(1)).to_have_text("97.5%")
    # cost curve, confusion matrix, weights, samples, preprocessing, three learning rates
    expect(panel.get_by_test_id("stPlotlyChart")).to_have_count(6, timeout=90_000)
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    save_screenshot(page, "classify-training")
    assert_no_console_errors(console_errors)


def test_upload_a_real_photo_and_see_a_probability(open_page, console_errors):
    page = open_page("classify")
    panel = open_tab(page, "Classify a photo")
    upload(page, panel, "Upload a photo", str(FIXTURES / "face.jpg"))
    p = probability_text(panel)
    assert 0.0 <= p <= 1.0
    expect(panel.get_by_test_id("stImage").first).to_be_visible()
    save_screenshot(page, "classify-upload")
    assert_no_console_errors(console_errors)


def test_an_iphone_heic_photo_is_accepted_and_classified(open_page, console_errors):
    """An iPhone saves photos as IMG_nnnn.HEIC: the uploader takes the name (in capitals) and the page reads it."""
    buffer = io.BytesIO()
    Image.open(FIXTURES / "face.jpg").save(buffer, format="HEIF", quality=80)
    page = open_page("classify")
    panel = open_tab(page, "Classify a photo")
    upload(page, panel, "Upload a photo", {"name": "IMG_0042.HEIC", "mimeType": "image/heic",
                                           "buffer": buffer.getvalue()})
    assert 0.0 <= probability_text(panel) <= 1.0
    expect(panel.get_by_text("A classic face detector says: a face")).to_be_visible()
    expect(page.get_by_test_id("stAlert").filter(has_text="not allowed")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert_no_console_errors(console_errors)


def test_garbage_then_a_real_photo(open_page, console_errors):
    page = open_page("classify")
    panel = open_tab(page, "Classify a photo")
    upload(page, panel, "Upload a photo",
           {"name": "holiday.png", "mimeType": "image/png", "buffer": b"this is not a picture at all"})
    alert = panel.get_by_test_id("stAlert").filter(has_text="not an image Basin can read")
    expect(alert).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    save_screenshot(page, "classify-error")
    # the student reads the message, then uploads again. Replacing the file asks for two runs of the tab's
    # fragment at once; before ui/framework_fixes.py, the interrupted one could blank the page ("'setIn' cannot
    # be called on an ElementNode") about once in ten tries on a busy machine
    wait_for_app(page)
    upload(page, panel, "Upload a photo", str(FIXTURES / "cat.jpg"))
    assert 0.0 <= probability_text(panel) <= 1.0
    expect(alert).to_have_count(0)
    assert_no_console_errors(console_errors)


def test_own_classes_train_and_classify(open_page, console_errors):
    page = open_page("classify")
    panel = open_tab(page, "Your own two classes")
    for label, offset in (("Photos of not hotdog", 0), ("Photos of hotdog", 100)):
        files = [{"name": f"p{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg(offset + i)} for i in range(5)]
        upload(page, panel, label, files)
    expect(panel.get_by_text("5 photo(s); at least 5 needed")).to_have_count(2)
    wait_for_app(page)
    panel.get_by_role("button", name="Train on my photos").click()
    expect(panel.get_by_test_id("stMetricValue").first).to_be_visible(timeout=90_000)
    expect(panel.get_by_text("every photo is used for training")).to_have_count(1)   # the tab's word: photos
    wait_for_app(page)
    save_screenshot(page, "classify-own")
    panel = open_tab(page, "Classify a photo")
    own = panel.get_by_role("radio", name="your own neuron")
    panel.get_by_text("your own neuron").click()
    expect(own).to_be_checked()
    expect(panel.get_by_text(re.compile(r"This neuron tells hotdog .* from not hotdog"))).to_be_visible()
    wait_for_app(page)
    upload(page, panel, "Upload a photo", str(FIXTURES / "cat.jpg"))
    assert 0.0 <= probability_text(panel) <= 1.0
    expect(panel.get_by_text(re.compile("class: (not hotdog|hotdog)"))).to_have_count(1)
    assert_no_console_errors(console_errors)


@pytest.fixture(autouse=True)
def _bigger_viewport(page):
    page.set_viewport_size({"width": 1400, "height": 1000})


@pytest.mark.parametrize("name", ["obama.jpg", "alex-lacamoire.png"])
def test_face_finder_finds_the_face_in_a_real_portrait(open_page, console_errors, name):
    """A portrait the neurons never trained on (the dev photos beside the repo), at default settings."""
    photo = dev_photo(name)
    page = open_page("classify")
    panel = open_tab(page, "Classify a photo")
    upload(page, panel, "Upload a photo", str(photo))
    verdict = panel.get_by_role("heading", name=re.compile(r"^The edges neuron says: "))
    expect(verdict).to_be_visible(timeout=60_000)
    expect(verdict).to_have_text(re.compile(r"The edges neuron says: a face$"))
    # the classic detector answers first, and outlines the face it found on the photo
    classic = panel.get_by_role("heading", name=re.compile(r"^A classic face detector says: "))
    expect(classic).to_have_text(re.compile(r"A classic face detector says: a face$"))
    expect(panel.get_by_text(re.compile(r"^1 face found; the biggest group has \d+ windows"))).to_be_visible()
    # (a landscape photo has a second map for phones, hidden on this laptop: the one shown is the laptop's)
    expect(panel.locator(".js-plotly-plot").filter(has_text="what the classic detector found")
           .filter(visible=True)).to_have_count(1)
    assert 0.0 <= probability_text(panel) <= 1.0
    expect(page.get_by_test_id("stException")).to_have_count(0)
    save_screenshot(page, f"classify-finder-{name.split('.')[0]}")
    assert_no_console_errors(console_errors)


def test_a_small_face_is_found_by_the_second_search_and_the_page_shows_where_it_looked(open_page, console_errors,
                                                                                         tmp_path):
    """A face a fourteenth of the shorter side, pasted into a colour photo: too small for the first search, found
    by the second one in the skin-coloured windows; opening the detector's section shows where it looked."""
    from tests.conftest import small_face_photo
    photo, _ = small_face_photo("coffee", 1 / 14)
    path = tmp_path / "far.jpg"
    photo.save(path, quality=92)
    page = open_page("classify")
    panel = open_tab(page, "Classify a photo")
    upload(page, panel, "Upload a photo", str(path))
    classic = panel.get_by_role("heading", name=re.compile(r"^A classic face detector says: "))
    expect(classic).to_have_text(re.compile(r"A classic face detector says: a face$"), timeout=60_000)
    expect(panel.get_by_text(re.compile(r"Then it looked for small faces, down to a twentieth of the shorter "
                                        r"side, in the [\d,]+ windows that are mostly skin-coloured"))).to_be_visible()
    panel.get_by_text("How the classic detector works").click()
    looked = panel.locator(".js-plotly-plot").filter(has_text="where the search for small faces looked")
    expect(looked.filter(visible=True)).to_have_count(1, timeout=30_000)
    expect(looked.filter(visible=True).locator(".imagelayer image")).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    save_screenshot(page, "classify-small-face")
    assert_no_console_errors(console_errors)


def test_on_a_phone_a_wide_photo_fills_its_maps(open_page, console_errors):
    """At 390 px a photo wider than high sits in charts as high as itself: sized for a laptop, the charts left
    up to 200 px blank under a 2:1 photo. Past 640 px the laptop's charts are shown instead."""
    page = open_page("classify")
    page.set_viewport_size({"width": 390, "height": 844})
    panel = open_tab(page, "Classify a photo")
    upload(page, panel, "Upload a photo", str(FIXTURES / "cat.jpg"))        # 150 × 100
    maps = panel.locator(".js-plotly-plot").filter(has_text="over the photo")
    expect(maps.filter(visible=True)).to_have_count(1, timeout=60_000)
    blank = """el => { const box = el.getBoundingClientRect();
        return box.bottom - el.querySelector('.imagelayer image').getBoundingClientRect().bottom; }"""
    assert helpers.wait_until(page, "() => [...document.querySelectorAll('.js-plotly-plot')].some(el => "
                                    "el.offsetParent && el.textContent.includes('over the photo') "
                                    "&& el.querySelector('.imagelayer image'))")
    assert 0 <= maps.filter(visible=True).first.evaluate(blank) <= 15
    page.set_viewport_size({"width": 1280, "height": 844})
    expect(maps.filter(visible=True)).to_have_count(1)
    assert maps.filter(visible=True).first.evaluate("el => el.getBoundingClientRect().height") >= 380
    assert_no_console_errors(console_errors)


def test_a_turned_face_the_cascade_misses_is_found_by_the_network_and_outlined(open_page, console_errors, tmp_path):
    """The cameraman (scikit-image's photo), his face turned to the eyepiece: the classic detector finds no face, the
    convolutional network asked after it does, and outlines it on the photo."""
    from skimage import data as photos
    path = tmp_path / "cameraman.png"
    Image.fromarray(photos.camera()).save(path)
    page = open_page("classify")
    panel = open_tab(page, "Classify a photo")
    upload(page, panel, "Upload a photo", str(path))
    network = panel.get_by_role("heading", name=re.compile(r"^A convolutional network says: "))
    expect(network).to_have_text(re.compile(r"A convolutional network says: a face$"), timeout=60_000)
    classic = panel.get_by_role("heading", name=re.compile(r"^A classic face detector says: "))
    expect(classic).to_have_text(re.compile(r"A classic face detector says: not a face$"))
    expect(panel.get_by_text(re.compile(r"^The classic detector found no face, so a second detector looked"))
           ).to_be_visible()
    found = panel.locator(".js-plotly-plot").filter(has_text="what the convolutional network found")
    expect(found.filter(visible=True)).to_have_count(1, timeout=30_000)
    expect(found.filter(visible=True).locator(".imagelayer image")).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    save_screenshot(page, "classify-network")
    assert_no_console_errors(console_errors)


# The boxes of a chart's labels (its annotations and subplot titles, its title) in the page, and whether any two
# of them overlap or one sticks out of the chart.
LABELS_CLASH = """el => {
    const chart = el.getBoundingClientRect();
    const boxes = [...el.querySelectorAll('g.annotation, .gtitle')].map(a => a.getBoundingClientRect())
        .filter(b => b.width > 0);
    const out = boxes.filter(b => b.left < chart.left - 1 || b.right > chart.right + 1).length;
    let clash = 0;
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) clash++;
    }));
    return {count: boxes.length, out, clash};
}"""


def test_on_a_phone_the_charts_labels_neither_clash_nor_are_cut(open_page, console_errors):
    """At 390 px "What still fools them" had its titles cut at both sides and its "in training" / "kept back"
    labels ran into each other; the weights' "red channel / green channel / blue channel" overlapped."""
    page = open_page("classify")
    page.set_viewport_size({"width": 390, "height": 844})
    panel = open_tab(page, "Your own two classes")
    for label, offset in (("Photos of not hotdog", 0), ("Photos of hotdog", 100)):
        files = [{"name": f"p{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg(offset + i)} for i in range(5)]
        upload(page, panel, label, files)
    wait_for_app(page)
    panel.get_by_role("button", name="Train on my photos").click()
    weights = panel.locator(".js-plotly-plot").filter(has_text="What the neuron looks for")
    expect(weights.filter(visible=True)).to_have_count(1, timeout=90_000)
    expect(weights.locator("g.annotation").filter(has_text=re.compile("^green$"))).to_have_count(1, timeout=30_000)
    clash = weights.first.evaluate(LABELS_CLASH)
    assert clash["count"] >= 3 and clash["clash"] == 0 and clash["out"] == 0, clash
    panel = open_tab(page, "Classify a photo")
    upload(page, panel, "Upload a photo", str(FIXTURES / "face.jpg"))
    fools = panel.locator(".js-plotly-plot").filter(has_text="a window over it in")
    expect(fools).to_have_count(2, timeout=90_000)
    for k in range(2):
        fools.nth(k).scroll_into_view_if_needed()
        expect(fools.nth(k).locator("g.annotation").filter(has_text="kept").first).to_be_visible(timeout=30_000)
        expect(fools.nth(k).locator("g.annotation").filter(has_text="in training")).to_have_count(0)
        clash = fools.nth(k).evaluate(LABELS_CLASH)
        assert clash["count"] == 9 and clash["clash"] == 0 and clash["out"] == 0, clash
    save_screenshot(page, "classify-phone-fools")
    assert_no_console_errors(console_errors)


def test_the_threshold_label_is_clear_of_the_probability_bar(open_page, console_errors):
    """At 1280 px "threshold 0.5" sat on the blue bar of an a over 0.5."""
    page = open_page("classify")
    page.set_viewport_size({"width": 1280, "height": 900})
    panel = open_tab(page, "Classify a photo")
    panel.get_by_text("the neuron trained on the left tab").click()
    wait_for_app(page)
    upload(page, panel, "Upload a photo", str(FIXTURES / "face.jpg"))
    probability_text(panel)
    bar = panel.locator(".js-plotly-plot").filter(has_text="threshold 0.5")
    expect(bar).to_have_count(1)
    # above the plot area, where no bar of any length reaches (a bar past 0.5 ran under it)
    apart = bar.evaluate("""el => { const t = [...el.querySelectorAll('g.annotation')]
            .find(a => a.textContent.includes('threshold')).getBoundingClientRect();
        const plot = el.querySelector('.nsewdrag').getBoundingClientRect();
        return t.bottom <= plot.top + 1; }""")
    assert apart
    assert_no_console_errors(console_errors)


def test_on_a_phone_a_plain_chart_takes_its_narrow_layout(open_page, console_errors):
    """A figure's phone layout (layout.meta.narrow) held only in the projector view and in kept charts: on a
    phone's page the image-to-column chart kept its laptop margin (its titles touched on a 360-px phone)."""
    page = open_page("classify")
    page.set_viewport_size({"width": 390, "height": 844})
    find = """() => [...document.querySelectorAll('.js-plotly-plot')].find(gd => gd.layout && gd.layout.meta
                     && gd.layout.meta.narrow && gd.layout.meta.narrow.narrow_px === 420)"""
    margin = f"() => {{ const gd = ({find})(); return gd && gd._fullLayout.margin.l; }}"
    assert helpers.wait_until(page, f"() => ({margin})() === 10"), page.evaluate(margin)
    page.set_viewport_size({"width": 1280, "height": 844})
    assert helpers.wait_until(page, f"() => ({find})()._fullLayout.margin.l > 10")
    assert_no_console_errors(console_errors)


def test_the_open_tab_travels_in_the_link(open_page, console_errors):
    """Opening a tab writes it into the link (tab=photo), so a copied link opens that tab; Back returns to the tab
    before, and a link with tab=own opens the own tab."""
    page = open_page("classify")
    open_tab(page, "Classify a photo")
    expect(page).to_have_url(re.compile(r"[?&]tab=photo(&|$)"))
    wait_for_app(page)
    page.go_back()
    expect(page.get_by_role("tab", name="Train on bundled images")).to_have_attribute("aria-selected", "true")
    expect(page).not_to_have_url(re.compile("tab="))
    page.goto(page.url.split("/classify")[0] + "/classify?tab=own")
    expect(page.get_by_role("tab", name="Your own two classes")).to_have_attribute("aria-selected", "true",
                                                                                 timeout=60_000)
    assert_no_console_errors(console_errors)


def test_a_teacher_can_keep_the_class_on_one_tab(open_page, console_errors):
    """hide=clf_tab hides the bar of tabs only: the link's tab stays open, with its content."""
    page = open_page("classify?tab=photo&hide=clf_tab")
    expect(page.get_by_role("tab", name="Classify a photo")).to_be_hidden()
    expect(page.locator("[role=tabpanel]:visible").first.get_by_text("Upload a photo").first).to_be_visible(
        timeout=60_000)
    assert_no_console_errors(console_errors)
