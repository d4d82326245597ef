"""The Classify page in a real browser: train, upload a photo, recover from garbage, own classes."""

import io
import re

import numpy as np
import pytest
from PIL import Image

from tests.conftest import REPO_ROOT
from tests.e2e.helpers import assert_no_console_errors, save_screenshot, wait_for_app

FIXTURES = REPO_ROOT / "tests" / "fixtures"
PROBABILITY = re.compile(r"a = σ\(wᵀx \+ b\) = (\d\.\d{3})")


def open_tab(page, name):
    page.get_by_role("tab", name=name).click()
    panel = page.locator("[role=tabpanel]:visible")
    panel.first.wait_for(state="visible")
    return panel.first


def upload(page, panel, label, files):
    """Put files into the uploader with this label inside the visible tab, then wait for the rerun."""
    box = panel.get_by_test_id("stFileUploader").filter(has_text=label).first
    box.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files)
    wait_for_app(page)


def probability_text(panel, timeout=30_000):
    line = panel.get_by_text(PROBABILITY)
    line.wait_for(state="visible", timeout=timeout)
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
    assert page.get_by_test_id("stException").count() == 0
    metrics = panel.get_by_test_id("stMetricValue").all_inner_texts()
    assert metrics[:2] == ["100.0%", "97.5%"]
    # cost curve, confusion matrix, weights, samples, preprocessing, three learning rates
    assert panel.get_by_test_id("stPlotlyChart").count() == 6
    save_screenshot(page, "classify-training")
    assert_no_console_errors(console_errors)


def test_upload_a_real_photo_and_see_a_probability(open_page, console_errors):
    page = open_page("classify")
    panel = open_tab(page, "Classify a photo")
    upload(page, panel, "Upload a photo", str(FIXTURES / "face.jpg"))
    p = probability_text(panel)
    assert 0.0 <= p <= 1.0
    panel.get_by_test_id("stImage").first.wait_for(state="visible")
    save_screenshot(page, "classify-upload")
    assert_no_console_errors(console_errors)


def test_garbage_then_a_real_photo(open_page, console_errors):
    page = open_page("classify")
    panel = open_tab(page, "Classify a photo")
    upload(page, panel, "Upload a photo",
           {"name": "holiday.png", "mimeType": "image/png", "buffer": b"this is not a picture at all"})
    alert = panel.get_by_test_id("stAlert").filter(has_text="not an image Basin can read")
    alert.wait_for(state="visible")
    assert page.get_by_test_id("stException").count() == 0
    save_screenshot(page, "classify-error")
    upload(page, panel, "Upload a photo", str(FIXTURES / "cat.jpg"))
    assert 0.0 <= probability_text(panel) <= 1.0
    assert panel.get_by_test_id("stAlert").filter(has_text="not an image Basin can read").count() == 0
    assert_no_console_errors(console_errors)


def test_own_classes_train_and_classify(open_page, console_errors):
    page = open_page("classify")
    panel = open_tab(page, "Your own two classes")
    for label, offset in (("Photos of not hotdog", 0), ("Photos of hotdog", 100)):
        files = [{"name": f"p{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg(offset + i)} for i in range(5)]
        upload(page, panel, label, files)
    assert panel.get_by_text("5 photo(s); at least 5 needed").count() == 2
    panel.get_by_role("button", name="Train on my photos").click()
    wait_for_app(page)
    panel.get_by_test_id("stMetricValue").first.wait_for(state="visible")
    assert panel.get_by_text("every image is used for training").count() == 1
    save_screenshot(page, "classify-own")
    panel = open_tab(page, "Classify a photo")
    panel.get_by_text("your own neuron").click()
    wait_for_app(page)
    upload(page, panel, "Upload a photo", str(FIXTURES / "cat.jpg"))
    assert 0.0 <= probability_text(panel) <= 1.0
    assert panel.get_by_text(re.compile("class: (not hotdog|hotdog)")).count() == 1
    assert_no_console_errors(console_errors)


@pytest.fixture(autouse=True)
def _bigger_viewport(page):
    page.set_viewport_size({"width": 1400, "height": 1000})
