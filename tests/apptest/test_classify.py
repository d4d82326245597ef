"""The Classify page headless (AppTest): training results, every kind of upload, own classes, model files."""

import base64
import io
import json
import re
import uuid

import numpy as np
import pytest
from PIL import Image

from core.data.images import MAX_FILE_BYTES, load_image
from core.lessons import classify
from tests.conftest import REPO_ROOT

PAGE = "pages/classify.py"
FIXTURES = REPO_ROOT / "tests" / "fixtures"
OWN = "classify_own"


def encode(im, fmt, **kwargs):
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def noisy(w, h, seed=0, mode="RGB"):
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).convert(mode)


def exif_rotated():
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(noisy(40, 20), "JPEG", exif=exif.tobytes())


def animated(fmt):
    frames = [noisy(12, 12, 1), noisy(12, 12, 2)]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)


def transparent():
    im = noisy(20, 20).convert("RGBA")
    im.putalpha(0)
    return encode(im, "PNG")


PNG = encode(noisy(30, 30), "PNG")
# name -> (file name, bytes, a sentence fragment of the refusal, or None if the image must be classified)
UPLOADS = {
    "non-image": ("notes.png", b"Dear diary, today I learned about sigmoid.", "not an image Basin can read"),
    "empty": ("empty.png", b"", "empty"),
    "truncated": ("cut.png", PNG[: len(PNG) // 2], "damaged or incomplete"),
    "bomb": ("bomb.png", encode(Image.new("1", (10_000, 10_000)), "PNG"), "megapixels"),
    "oversized": ("big.png", PNG + b"\x00" * MAX_FILE_BYTES, "10 MB"),
    "extremely wide": ("wide.png", encode(Image.new("RGB", (4000, 10)), "PNG"), "long and thin"),
    "exe renamed": ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, "not an image Basin can read"),
    "animated gif": ("anim.gif", animated("GIF"), None),
    "animated webp": ("anim.webp", animated("WEBP"), None),
    "cmyk": ("cmyk.jpg", encode(Image.new("CMYK", (16, 16), (255, 0, 0, 0)), "JPEG"), None),
    "palette": ("pal.png", encode(noisy(20, 20).convert("P"), "PNG"), None),
    "16-bit": ("deep.png", encode(Image.fromarray(np.arange(400, dtype=np.uint16).reshape(20, 20) * 100), "PNG"),
               None),
    "transparent": ("clear.png", transparent(), None),
    "exif rotated": ("phone.jpg", exif_rotated(), None),
    "1x1": ("dot.png", encode(Image.new("RGB", (1, 1), (0, 0, 255)), "PNG"), None),
    "real photo": ("face.jpg", (FIXTURES / "face.jpg").read_bytes(), None),
    # phones' formats, named as an iPhone names them; and a video renamed as a photo
    "heic photo": ("IMG_0042.HEIC", encode(Image.open(FIXTURES / "face.jpg"), "HEIF", quality=80), None),
    "avif photo": ("face.avif", encode(Image.open(FIXTURES / "face.jpg"), "AVIF", quality=80), None),
    "video renamed": ("clip.jpg", b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 200, "QuickTime (MOV) video"),
}


def mime(name):
    ext = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "json": "application/json"}.get(ext, f"image/{ext}")


def array(obj):
    """A plotly JSON array: a list, or {"dtype", "bdata", "shape"?} base64 (plotly >= 6)."""
    if isinstance(obj, list):
        return np.array(obj)
    values = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=obj["dtype"])
    shape = obj.get("shape")
    return values.reshape([int(n) for n in shape.split(",")]) if shape else values


def texts(app):
    return [t.value for t in app.text]


def probability_line(app):
    lines = [t for t in texts(app) if t.startswith("a = σ(wᵀx + b) = ")]
    return lines[0] if lines else None


def no_exception(app):
    assert not app.exception, [e.message for e in app.exception]


@pytest.fixture
def page(app):
    app.switch_page(PAGE).run()
    no_exception(app)
    return app


def add_own_photos(app, per_class=5):
    for label in (0, 1):
        files = [(f"p{i}.png", encode(noisy(24, 24, 100 * label + i), "PNG"), "image/png") for i in range(per_class)]
        app.file_uploader(key=f"clf_up{label}_0").set_value(files).run()
        no_exception(app)


def train_own(app):
    add_own_photos(app)
    app.button(key="clf_own_train").click().run()
    no_exception(app)
    return app.session_state[OWN].model


# ---------------------------------------------------------------- bundled data


def test_default_training_results(page):
    assert [m.value for m in page.metric[:3]] == ["100.0%", "97.5%", "0.0802"]
    assert "flattened: shape (625, 1)" in texts(page)[0]
    specs = [json.loads(c.proto.spec) for c in page.get("plotly_chart")]
    kinds = [[t["type"] for t in s["data"]] for s in specs]
    assert kinds[:6] == [["heatmap", "heatmap"], ["heatmap", "heatmap"], ["scatter"], ["heatmap"], ["heatmap"],
                         ["scatter", "scatter", "scatter"]]
    # the photo tab, before any photo: the face finder's two neurons, edges as strokes and pixels as a picture,
    # then the most face-like window of each of the 8 bundled face-free photos, for each neuron
    assert len(kinds) == 10 and set(kinds[6]) == {"scatter"} and kinds[7] == ["heatmap"]
    assert kinds[8] == kinds[9] == ["heatmap"]
    assert [len(specs[i]["layout"]["annotations"]) for i in (8, 9)] == [8, 8]
    assert specs[4]["data"][0]["z"]["shape"] == "25, 25"          # the weights as an image
    cost = array(specs[2]["data"][0]["y"])                        # J at steps 0..2000
    assert cost.shape == (2001,) and cost[0] == pytest.approx(np.log(2)) and cost[-1] == pytest.approx(0.0802, abs=1e-4)
    assert not page.warning  # no overfitting note at the defaults


def test_digits_and_settings(page):
    page.radio(key="data").set_value("digits").run()
    page.selectbox(key="digit").set_value(7).run()
    page.selectbox(key="versus").set_value("1").run()
    no_exception(page)
    assert "flattened: shape (64, 1)" in texts(page)[0]
    page.select_slider(key="iters").set_value(100).run()
    page.select_slider(key="lambd").set_value(0.0).run()
    no_exception(page)
    spec = json.loads(page.get("plotly_chart")[2].proto.spec)
    assert array(spec["data"][0]["y"]).shape == (101,)


def test_bad_url_values_fall_back_with_a_note(app):
    app.query_params["alpha"] = "banana"
    app.switch_page(PAGE).run()
    no_exception(app)
    assert any("alpha=banana is not a number" in c.value for c in app.caption)


def test_overfitting_note_appears_when_train_is_far_above_test(page):
    page.radio(key="data").set_value("digits").run()
    page.selectbox(key="digit").set_value(8).run()
    page.selectbox(key="versus").set_value("1").run()
    page.select_slider(key="lambd").set_value(0.0).run()
    page.select_slider(key="iters").set_value(20_000).run()
    page.select_slider(key="alpha").set_value(3.0).run()
    no_exception(page)
    train, test = (float(m.value.rstrip("%")) for m in page.metric[:2])
    assert bool(page.warning) == (train - test > 5)


def test_a_neuron_that_never_says_3_is_compared_with_always_saying_not_3(page):
    """Digits 3 against all, α 0.001, 100 steps, λ 0 read "Train accuracy 89.8%, test accuracy 89.7%: … no sign
    of overfitting here" while its test confusion matrix was [[323, 0], [37, 0]]: it never says 3."""
    page.radio(key="data").set_value("digits").run()
    page.select_slider(key="lambd").set_value(0.0).run()
    page.select_slider(key="iters").set_value(100).run()
    page.select_slider(key="alpha").set_value(0.001).run()
    no_exception(page)
    assert [m.value for m in page.metric[:2]] == ["89.8%", "89.7%"]
    warnings = [w.value for w in page.warning]
    assert len(warnings) == 1 and warnings[0].startswith(
        "The neuron has not learned to tell “3” from “not 3”: always answering “not 3” would score 89.7% on the "
        "test images, and it scores 89.7%")
    assert "It answers “not 3” for every one of the 360 test images and never says “3”." in warnings[0]
    assert not any("no sign of overfitting" in c.value for c in page.caption)
    # the three rates' legend repeats the train accuracy: the list under it says what 89.8% is
    rates = [m.value for m in page.markdown if m.value.startswith("- α = ")]
    assert len(rates) == 1 and "so the legend's train accuracy of 89.8% for α = " in rates[0]


def test_a_learning_rate_whose_cost_did_not_fall_is_called_too_large(page):
    """Faces, α 3, λ 10 (α is 44 × 2/λ_max): "Ran all 20000 steps; J = 23.14", 50% and 50%, "no sign of
    overfitting here", the cost curve "falling to 23.1430", though J never went below J(0) = 0.6931. (2000 steps
    here, for time: the same story, J = 23.05.)"""
    page.select_slider(key="lambd").set_value(10.0).run()
    page.select_slider(key="alpha").set_value(3.0).run()
    no_exception(page)
    captions = [c.value for c in page.caption]
    assert ("Ran all 2000 steps, but J ends at 23.05, above J = 0.6931 at the start: it rose at 1256 of the steps. "
            "The learning rate α = 3 is too large: its steps jump past the bottom of the cost basin. Try a smaller α: "
            "below $2/\\lambda_{\\max}$ = 0.067 no step can make J rise.") in captions     # typeset: markup.notation
    alt = next(c.proto.alt for c in page.get("plotly_chart") if c.key == "bundled_cost")
    assert "falling" not in alt and alt.startswith("The cost J against the iteration: it did not fall")
    assert not any("no sign of overfitting" in c for c in captions)
    assert [w.value.split(":")[0] for w in page.warning] == [
        "The neuron has not learned to tell “face” from “not a face”"]
    # at the defaults, J falls and the words say so
    page.select_slider(key="alpha").set_value(0.1).run()
    page.select_slider(key="lambd").set_value(1.0).run()
    alt = next(c.proto.alt for c in page.get("plotly_chart") if c.key == "bundled_cost")
    assert alt == "The cost J against the iteration, falling to 0.0802."
    assert "Ran all 2000 steps; J = 0.08024." in [c.value for c in page.caption]


# ---------------------------------------------------------------- uploads of every kind


@pytest.mark.parametrize("kind", UPLOADS, ids=UPLOADS)
def test_every_kind_of_upload(page, kind):
    model_before = train_own(page)
    name, data, refusal = UPLOADS[kind]
    page.file_uploader(key="clf_photo_file").set_value((name, data, mime(name))).run()
    no_exception(page)
    errors = [e.value for e in page.error]
    if refusal:
        assert len(errors) == 1 and refusal in errors[0].replace("\\", ""), errors
        assert "\n" not in errors[0]
        assert probability_line(page) is None
    else:
        assert not errors, errors
        w, h = load_image(data).size
        if min(w, h) < 25:   # too small for the face finder, which says so in one line; a neuron still reads it
            assert [note.value for note in page.warning] == [
                f"This photo is too small to find a face in ({w} × {h} pixels; at least 25 × 25 needed, the size of "
                "the faces the neuron learned from)."]
            page.radio(key="clf_which").set_value("bundled").run()
            no_exception(page)
        p = float(probability_line(page).split("= ")[2].split()[0])
        assert 0.0 <= p <= 1.0
    # the student's photos and model are untouched
    store = page.session_state[OWN]
    assert [len(g) for g in store.images] == [5, 5] and store.model is model_before
    # and the page keeps working: a real photo is classified right after
    page.file_uploader(key="clf_photo_file").set_value(UPLOADS["real photo"][:2] + ("image/jpeg",)).run()
    no_exception(page)
    assert probability_line(page) is not None and not page.error


def test_real_photo_probability_matches_core(page):
    page.radio(key="clf_which").set_value("bundled").run()   # the left tab's neuron (the face finder is the default)
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    page.slider(key="clf_zoom").set_value(1.4).run()
    page.slider(key="clf_cx").set_value(0.55).run()
    page.slider(key="clf_cy").set_value(0.7).run()
    no_exception(page)
    from core.data.datasets import binary_task
    from core.data.images import load_image
    model = classify.train_task(binary_task("faces")).model
    expected = classify.classify_image(model, load_image(UPLOADS["real photo"][1]), 1.4, 0.55, 0.7)
    assert probability_line(page) == f"a = σ(wᵀx + b) = {expected.probability:.3f}  →  class: face"
    assert expected.probability > 0.9  # zoomed so that the face fills the frame, as the training faces do
    seen = json.loads(page.get("plotly_chart")[-2].proto.spec)
    assert seen["data"][0]["z"]["shape"] == "25, 25"


def test_the_steps_give_the_photos_real_size_and_the_grey_step(page):
    """biden.jpg (970 × 2204) was shown as "your photo 485 × 1102 → cropped square → resized 25 × 25": the size it
    was read at, and no word of the grey levels the faces neuron reads."""
    big = encode(Image.open(FIXTURES / "face.jpg").resize((970, 2204)), "JPEG", quality=90)
    page.radio(key="clf_which").set_value("bundled").run()
    page.file_uploader(key="clf_photo_file").set_value(("tall.jpg", big, "image/jpeg")).run()
    no_exception(page)
    assert ("your photo 970 × 2204, read at 485 × 1102 (half size)  →  cropped square  →  grey  →  resized 25 × 25  →  "
            "flattened: x of shape (625, 1)  →  divided by 255") in texts(page)
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    assert any(t.startswith("your photo 96 × 110  →  cropped square  →  grey  →  resized") for t in texts(page))


def dark_three_on_white():
    """A bold dark 3 on white paper, 200 × 200: the bundled digits are light strokes on a dark background."""
    from PIL import ImageDraw
    im = Image.new("L", (200, 200), 255)
    pen = ImageDraw.Draw(im)
    pen.arc((55, 20, 145, 105), start=-170, end=90, fill=0, width=22)      # the upper bowl, open on the left
    pen.arc((50, 95, 150, 185), start=-90, end=170, fill=0, width=22)      # the lower bowl
    return im


def test_the_framing_advice_follows_the_neuron_and_a_dark_digit_can_be_inverted(page):
    """"The training faces fill the whole frame" was shown for every neuron. A dark 3 on white paper got a = 0.000
    from the digits neuron at every size; the page says the digits are light on dark, and its box inverts the
    photo for the classification and for the steps shown."""
    from PIL import ImageOps

    from core.lessons.classify import ClassifyParams, bundled_task
    page.radio(key="clf_which").set_value("bundled").run()
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    advice = [c.value for c in page.caption if "frame" in c.value]
    assert any(c.startswith("The training faces fill the whole frame") for c in advice)
    assert not page.checkbox and not any("light strokes" in c for c in advice)
    page.radio(key="data").set_value("digits").run()                # digit 3 against all the others
    photo = dark_three_on_white()
    page.file_uploader(key="clf_photo_file").set_value(("three.png", encode(photo, "PNG"), "image/png")).run()
    page.slider(key="clf_zoom").set_value(1.2).run()
    no_exception(page)
    captions = [c.value for c in page.caption]
    assert not any("training faces" in c for c in captions)
    assert any(c.startswith("The digits neuron learned light strokes on a dark background, each digit filling the "
                            "frame") for c in captions)
    model = classify.train_task(bundled_task(ClassifyParams(data="digits"))).model
    plain = classify.classify_image(model, photo, 1.2)
    turned = classify.classify_image(model, ImageOps.invert(photo), 1.2)
    assert plain.probability < 0.001 and turned.probability > 0.5
    assert probability_line(page) == f"a = σ(wᵀx + b) = {plain.probability:.3f}  →  class: not 3"
    box = page.checkbox(key="clf_invert")
    assert box.label == "My digit is dark on light paper: invert it" and not box.value
    box.check().run()
    no_exception(page)
    assert probability_line(page) == f"a = σ(wᵀx + b) = {turned.probability:.3f}  →  class: 3"
    assert ("your photo 200 × 200  →  cropped square  →  inverted  →  grey  →  resized 8 × 8  →  flattened: x of "
            "shape (64, 1)  →  divided by 255") in texts(page)
    seen = json.loads(next(c for c in page.get("plotly_chart") if c.key == "seen").proto.spec)
    np.testing.assert_array_equal(array(seen["data"][0]["z"]).reshape(8, 8), turned.seen)   # what it read: inverted
    # your own neuron: framed as your own photos were
    own = classify.Model(w=np.zeros((16 * 16, 1)), b=0.0, num_px=16, channels=1, class_names=("day", "night"))
    page.file_uploader(key="clf_import").set_value(("m.json", classify.model_to_json(own), "application/json")).run()
    page.radio(key="clf_which").set_value("own").run()
    no_exception(page)
    # an imported neuron did not learn from the photos of the own tab: the caption says where it came from
    assert any(c.value.startswith("This neuron was imported from a file: it learned night and day") for c in
               page.caption)
    assert not page.checkbox and not any("light strokes" in c.value for c in page.caption)


def test_an_a_near_the_threshold_is_never_shown_equal_to_it(page):
    """a = 0.500323 was shown "a = σ(wᵀx + b) = 0.500 → class: face" and, in the answer box, "0.500 > 0.5"."""
    a = 0.500323
    model = classify.Model(w=np.zeros((16 * 16, 1)), b=float(np.log(a / (1 - a))), num_px=16, channels=1,
                           class_names=("day", "night"))
    page.file_uploader(key="clf_import").set_value(("m.json", classify.model_to_json(model), "application/json")).run()
    page.radio(key="clf_which").set_value("own").run()
    page.radio(key="predict_classify_choice").set_value("1").run()
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    no_exception(page)
    assert probability_line(page) == "a = σ(wᵀx + b) = 0.5003  →  class: night"
    bar = json.loads(next(c for c in page.get("plotly_chart") if c.key == "proba").proto.spec)
    assert bar["data"][0]["text"] == ["a = 0.5003"]
    assert [x.value.strip("$\n") for x in page.latex if "sigma(w^T x + b)" in x.value] == [
        r"a = \sigma(w^T x + b) = 0.5003 > 0.5"]


@pytest.mark.parametrize("kind", ["heic photo", "avif photo"])
def test_a_heic_or_avif_photo_gets_the_same_answers_as_its_jpeg(page, kind):
    """The face in tests/fixtures/face.jpg, saved as a phone would save it: every finder gives the JPEG's verdict,
    and the page shows what core computes from the file's own pixels."""
    from core.data.images import load_image
    from core.lessons import classic_detector, detector, face_training
    name, data, _ = UPLOADS[kind]
    page.file_uploader(key="clf_photo_file").set_value((name, data, mime(name))).run()
    no_exception(page)
    neuron = face_training.load_bundled()["edges"].neuron
    verdicts = {}
    for fmt, raw in (("jpeg", UPLOADS["real photo"][1]), (kind, data)):
        im = load_image(raw)
        verdicts[fmt] = (classic_detector.find_faces(im).verdict, neuron.verdict(detector.scan(neuron, im).score))
    assert verdicts[kind] == verdicts["jpeg"] == ("face", "face")
    heads = [h.value for h in page.subheader]
    assert "A classic face detector says: a face" in heads and finder_verdict(page) == "The edges neuron says: a face"


def test_camera_photo_is_classified(page):
    page.radio(key="clf_photo_how").set_value("the camera").run()
    page.camera_input(key="clf_photo_cam").set_value(("shot.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    no_exception(page)
    assert probability_line(page) is not None


# ---------------------------------------------------------------- the face finder (the default for photos)


def finder_verdict(app):
    heads = [h.value for h in app.subheader if " neuron says: " in h.value]
    return heads[0] if heads else None


def test_face_finder_is_the_default_and_frames_the_face(page):
    from core.data.images import load_image
    from core.lessons import detector, face_training
    assert page.radio(key="clf_which").value == "finder"
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    no_exception(page)
    neuron = face_training.load_bundled()["edges"].neuron
    scan = detector.scan(neuron, load_image(UPLOADS["real photo"][1]))
    word = {"face": "a face", "not a face": "not a face", "unsure": "unsure"}[neuron.verdict(scan.score)]
    assert finder_verdict(page) == f"The edges neuron says: {word}"
    zoom, cx, cy = scan.crop_settings()
    # the sliders start at the window the scan chose (rounded to the sliders' steps)
    assert page.slider(key="clf_fzoom").value == pytest.approx(min(round(zoom, 1), 6.0))
    assert (page.slider(key="clf_fcx").value, page.slider(key="clf_fcy").value) == (round(cx, 2), round(cy, 2))
    a, _, _ = detector.classify_crop(neuron, load_image(UPLOADS["real photo"][1]), page.slider(key="clf_fzoom").value,
                                  round(cx, 2), round(cy, 2))
    assert probability_line(page).startswith(f"a = σ(wᵀx + b) = {a:.3f}  →  class: ")
    # when the crop's class is not the verdict's, the page says why, with both numbers (on this headshot the box
    # the framing neuron outlines, on the face, gets less than the windows the verdict rests on)
    differs = [c.value for c in page.caption if c.value.startswith("This crop and the verdict above differ")]
    if neuron.verdict(a) != neuron.verdict(scan.score):
        d = detector.decimals_apart([scan.score, a])     # 3 decimals at least, as the crop's a and the rule show
        assert len(differs) == 1 and f"face score {scan.score:.{d}f}" in differs[0] and f"a = {a:.{d}f}." in differs[0]
    else:
        assert not differs
    specs = [json.loads(c.proto.spec) for c in page.get("plotly_chart")]
    detection = [s for s in specs if [t["type"] for t in s["data"]] == ["image", "heatmap"]]
    assert len(detection) == 1 and detection[0]["layout"]["shapes"][0]["type"] == "rect"   # the chosen window
    assert any("windows at" in m.value and "vectorisation" in m.value for m in page.markdown)
    photo = load_image(UPLOADS["real photo"][1])
    side = round(min(photo.size) / 6) if min(photo.size) >= 150 else 25   # a sixth, or one window of a small photo
    assert any(f"The smallest window the scan tries is {side} × {side} pixels" in c.value for c in page.caption)
    # next to the verdict, in plain words, what the finder does on whole photos it never saw
    limits = [c.value for c in page.caption if c.value.startswith("Know its limits: the neuron finds people's faces")]
    assert len(limits) == 1 and limits[0].endswith(detector.record_sentence("edges"))   # and its measured record
    m = scan.A.shape[1]
    rests = f"The verdict rests on the best place among those {m:,} windows"
    assert any(c.value.startswith(rests) for c in page.caption)
    # a headshot has no window flatter than every training face: no word about them
    assert scan.flat == 0 and not any("flatter than every face" in c.value for c in page.caption)


def test_the_classic_detector_answers_first_and_shows_what_it_found(page):
    from core.data.images import load_image
    from core.lessons import classic_detector
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    no_exception(page)
    found = classic_detector.find_faces(load_image(UPLOADS["real photo"][1]))
    assert found.verdict == "face"
    heads = [h.value for h in page.subheader]
    assert heads.index("A classic face detector says: a face") < heads.index(finder_verdict(page))
    assert any(c.value.startswith(f"1 face found; the biggest group has {found.best} windows that passed all 25 "
                                  "stages: a face from 11 windows in a group, unsure from 7") for c in page.caption)
    assert any("agrees with the classic detector" in c.value or "differs from the classic detector" in c.value
               for c in page.caption)
    # its measured record beside its verdict, right under the sentence about this photo's windows
    captions = [c.value for c in page.caption]
    record = captions.index(classic_detector.record_sentence())
    assert "windows in a group, unsure from 7" in captions[record - 1]
    specs = {c.key: json.loads(c.proto.spec) for c in page.get("plotly_chart") if c.key}
    boxes = specs["classic_map"]["layout"]["shapes"]
    assert len(boxes) == 1 and boxes[0]["line"]["dash"] == "solid"
    assert specs["classic_map"]["layout"]["annotations"][0]["text"] == f"<b>{found.best} windows</b>"
    assert "classic_funnel" not in specs                      # built only when its section is opened
    page.session_state["classic_open"] = True                 # the student opens it
    page.run()
    no_exception(page)
    funnel = [json.loads(c.proto.spec) for c in page.get("plotly_chart") if c.key == "classic_funnel"]
    assert len(funnel) == 1 and array(funnel[0]["data"][0]["customdata"]).tolist() == found.survivors.tolist()
    assert not any(c.key.startswith("classic_skin") for c in page.get("plotly_chart") if c.key)  # no second search
    # how it was trained, beside the neuron: the neuron's faces counted from the split (it said 80)
    assert any(m.value.endswith("the neuron below on 64 small faces (16 more were kept back to choose its threshold, "
                                "pasted into photos it never trained on).") for m in page.markdown)


def test_a_small_face_in_a_colour_photo_is_found_by_the_second_search_and_the_page_says_how(page):
    from core.lessons import classic_detector
    from tests.conftest import small_face_photo
    photo, _ = small_face_photo("coffee", 1 / 14)
    data = encode(photo, "JPEG", quality=92)
    page.file_uploader(key="clf_photo_file").set_value(("far.jpg", data, "image/jpeg")).run()
    no_exception(page)
    from core.data.images import load_image
    found = classic_detector.find_faces(load_image(data))
    assert found.verdict == "face" and found.small_best >= classic_detector.SMALL_FACE_AT
    assert "A classic face detector says: a face" in [h.value for h in page.subheader]
    said = next(c.value for c in page.caption if "Then it looked for small faces" in c.value)
    assert said.startswith("1 face found; the first search's biggest group has ") or said.startswith(
        "1 face found; no window of the first search's")
    assert (f"the biggest group has {found.small_best} windows (a face from 6, unsure from 4, since no face-free "
            "photo it was tried on got more than 3)") in said
    specs = {c.key: json.loads(c.proto.spec) for c in page.get("plotly_chart") if c.key}
    solid = [b for b in specs["classic_map"]["layout"]["shapes"] if b["line"]["dash"] == "solid"]
    assert len(solid) == 1                                    # the small face, outlined as a face at its own bar
    assert "classic_skin" not in specs                        # built only when its section is opened
    page.session_state["classic_open"] = True
    page.run()
    no_exception(page)
    keys = [c.key for c in page.get("plotly_chart")]
    assert "classic_skin" in keys or "classic_skin_phone" in keys    # where the second search looked


def test_the_classic_detector_says_not_a_face_to_a_cat(page):
    from core.data.images import load_image
    from core.lessons import classic_detector
    cat = (REPO_ROOT / "tests" / "fixtures" / "cat.jpg").read_bytes()
    page.file_uploader(key="clf_photo_file").set_value(("cat.jpg", cat, "image/jpeg")).run()
    no_exception(page)
    found = classic_detector.find_faces(load_image(cat))
    assert found.verdict == "not a face"
    assert "A classic face detector says: not a face" in [h.value for h in page.subheader]
    assert not any(c.key == "classic_map" for c in page.get("plotly_chart"))


@pytest.mark.parametrize("photo", ["face.jpg", "cat.jpg"])
def test_the_crop_panel_states_the_rule_that_gives_its_class(page, photo):
    """face.jpg's crop read "a = 0.576 → class: not a face" and cat.jpg's "a = 0.873 → class: unsure" beside a
    threshold of 0.87 and a Train tab that teaches a > 0.5: the line now says which range of a gave the class, and
    a caption gives the neuron's whole rule (its threshold and unsure band) and which a the verdict above uses."""
    from core.data.images import load_image
    from core.lessons import detector, face_training
    raw = (FIXTURES / photo).read_bytes()
    page.file_uploader(key="clf_photo_file").set_value((photo, raw, "image/jpeg")).run()
    no_exception(page)
    neuron = face_training.load_bundled()["edges"].neuron
    a, _, _ = detector.classify_crop(neuron, load_image(raw), page.slider(key="clf_fzoom").value,
                                  page.slider(key="clf_fcx").value, page.slider(key="clf_fcy").value)
    word = {"face": "a face", "not a face": "not a face", "unsure": "unsure"}[neuron.verdict(a)]
    low, high = neuron.unsure
    because = {"a face": f"a ≥ {high:.3f}", "unsure": f"{low:.3f} ≤ a < {high:.3f}",
               "not a face": f"a < {low:.3f}"}[word]
    assert probability_line(page) == f"a = σ(wᵀx + b) = {a:.3f}  →  class: {word}, because {because}"
    rule = [c.value for c in page.caption if c.value.startswith("This neuron's rule: a face when")]
    assert len(rule) == 1
    assert f"unsure when {low:.3f} ≤ a < {high:.3f}" in rule[0] and f"threshold, {neuron.threshold:.3f}" in rule[0]
    assert "applies the same rule to the face score" in rule[0]


def test_a_turned_face_the_cascade_misses_is_found_by_the_network_and_the_page_says_how(page):
    from skimage import data as photos

    from core.data.images import load_image
    from core.lessons import classic_detector, face_network
    data = encode(Image.fromarray(photos.camera()), "PNG")  # the cameraman, his face turned to the eyepiece
    page.file_uploader(key="clf_photo_file").set_value(("cameraman.png", data, "image/png")).run()
    no_exception(page)
    found = classic_detector.find_faces(load_image(data))
    heads = [h.value for h in page.subheader]
    assert "A classic face detector says: not a face" in heads
    assert heads.index("A classic face detector says: not a face") + 1 == heads.index(
        "A convolutional network says: a face")
    said = next(c.value for c in page.caption if c.value.startswith("The classic detector found no face"))
    assert f"Its highest score a anywhere in the photo is {found.network.best:.2f}: a face from 0.75" in said
    assert f"then {found.network.reads - 1} overlapping square tiles" in said and "It found 1 face." in said
    assert face_network.record_sentence() in [c.value for c in page.caption]
    specs = {c.key: json.loads(c.proto.spec) for c in page.get("plotly_chart") if c.key}
    boxes = specs["network_map"]["layout"]["shapes"]
    assert [b["line"]["dash"] for b in boxes] == ["solid"]
    assert [a["text"] for a in specs["network_map"]["layout"]["annotations"]] == [
        f"<b>a = {found.network.scores[0]:.2f}</b>"]
    assert any("It agrees with the detectors." in c.value or "It differs from the detectors." in c.value
               for c in page.caption)


def test_a_wide_photo_gets_a_map_as_high_as_itself_on_a_phone(page):
    """A photo wider than high is mapped twice: for a laptop, and for a phone, where the chart is only as high as
    the photo at a phone's width (the page's style sheet shows one of the two). Sized for a laptop, a 2:1 photo
    left 200 px blank under itself on a phone. A portrait has one map; the photo goes as a JPEG either way."""
    cat = (REPO_ROOT / "tests" / "fixtures" / "cat.jpg").read_bytes()             # 150 × 100
    page.file_uploader(key="clf_photo_file").set_value(("cat.jpg", cat, "image/jpeg")).run()
    no_exception(page)
    specs = {c.key: json.loads(c.proto.spec) for c in page.get("plotly_chart") if c.key}
    wide, phone = specs["finder_map"]["layout"], specs["finder_map_phone"]["layout"]
    m = phone["margin"]
    assert phone["height"] == m["t"] + m["b"] + round((358 - m["l"] - m["r"]) * 100 / 150) < wide["height"]
    assert specs["finder_map"]["data"][0]["source"].startswith("data:image/jpeg;base64,")
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    no_exception(page)
    keys = [c.key for c in page.get("plotly_chart")]
    assert "finder_map" in keys and "finder_map_phone" not in keys and "classic_map_phone" not in keys


def test_face_finder_says_how_many_flat_windows_it_did_not_read(page):
    """The headshot above a dark, flat patch (a suit): those windows get a = 0, and the page says how many."""
    from core.data.images import load_image
    from core.lessons import detector, face_training
    face = load_image(UPLOADS["real photo"][1]).convert("RGB")
    rng = np.random.default_rng(0)
    canvas = Image.fromarray((12 + rng.integers(0, 4, (face.height * 3, face.width * 2, 3))).astype(np.uint8))
    canvas.paste(face, (face.width // 2, 0))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    page.file_uploader(key="clf_photo_file").set_value(("suit.png", buffer.getvalue(), "image/png")).run()
    no_exception(page)
    neuron = face_training.load_bundled()["edges"].neuron
    scan = detector.scan(neuron, load_image(buffer.getvalue()))
    assert scan.flat > 0
    flat = (f"{scan.flat:,} of the {scan.A.shape[1]:,} windows are flatter than every face the neuron trained on "
            f"(their grey levels spread less than {neuron.min_contrast:.0f} of 255 once the photo's tones are "
            "stretched to the full range")
    assert any(c.value.startswith(flat) for c in page.caption)
    # and the map shows where: a grey layer over the patches the scan did not read
    specs = [json.loads(c.proto.spec) for c in page.get("plotly_chart")]
    detection = [s for s in specs if s["data"][0]["type"] == "image" and len(s["data"]) == 3]
    assert len(detection) == 1 and detection[0]["data"][2]["name"] == "not read"
    assert detection[0]["layout"]["title"]["text"].endswith("<br>blue: the place chosen; grey: not read")


def test_face_finder_sliders_override_and_stay(page):
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    before = probability_line(page)
    page.slider(key="clf_fzoom").set_value(1.0).run()
    page.slider(key="clf_fcx").set_value(0.5).run()
    no_exception(page)
    assert page.slider(key="clf_fzoom").value == 1.0 and page.slider(key="clf_fcx").value == 0.5
    assert probability_line(page) != before


def test_a_zoom_move_builds_only_the_crops_figures(page, monkeypatch):
    """The photo's maps and the neurons' bars do not change with the crop: each is built once per photo and kept,
    so a zoom or centre move rebuilds only the crop's picture (the budget is 100 ms a move)."""
    from core.figures import faces as ff
    from ui import face_finder
    built = {name: 0 for name in ("detection_figure", "classic_detection_figure", "scores_figure", "seen_figure")}
    def counting(name, real):
        def counted(*args, **kwargs):
            built[name] += 1
            return real(*args, **kwargs)
        return counted
    for name in built:
        monkeypatch.setattr(face_finder.ff, name, counting(name, getattr(ff, name)))
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    no_exception(page)
    assert all(built.values()), built
    def specs():   # by each chart's key (an element's id is "$$ID-<hash>-<key>")
        return {c.proto.id.split("-", 2)[2]: c.proto.spec for c in page.get("plotly_chart")}
    charts = specs()
    first = dict(built)
    for zoom in (1.0, 1.7):
        page.slider(key="clf_fzoom").set_value(zoom).run()
        page.slider(key="clf_fcx").set_value(0.4).run()
    no_exception(page)
    assert built == {**first, "seen_figure": first["seen_figure"] + 4}
    after = specs()
    assert after.keys() == charts.keys() and "finder_map" in charts and "finder_compare" in charts
    assert [key for key in after if after[key] != charts[key]] == ["seen"]   # the photo's charts are as they were
    # the other neuron's map is built once, and the first neuron's is still kept when the student comes back
    page.radio(key="clf_rep").set_value("pixels").run()
    page.radio(key="clf_rep").set_value("edges").run()
    no_exception(page)
    assert built["detection_figure"] == first["detection_figure"] * 2


def test_face_finder_pixels_neuron_and_framing_guide(page):
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    page.radio(key="clf_rep").set_value("pixels").run()
    no_exception(page)
    assert finder_verdict(page).startswith("The pixels neuron says: ")
    assert any("Framing guide" in c.value for c in page.caption)
    assert any("lights up almost everywhere" in c.value for c in page.caption)
    from core.lessons import detector
    assert any(c.value.endswith(detector.record_sentence("pixels")) for c in page.caption)   # its own record


def test_a_blank_photo_is_not_a_face_for_either_neuron_and_the_crop_is_the_whole_photo(page):
    """A photo of one colour: no window is read, so both neurons say "not a face" and the crop starts at the whole
    photo (the pixels neuron's crop was NaN here, and the page stopped with an error)."""
    blank = encode(Image.new("RGB", (300, 200), (120, 120, 120)), "PNG")
    page.file_uploader(key="clf_photo_file").set_value(("blank.png", blank, "image/png")).run()
    for rep in ("pixels", "edges"):
        page.radio(key="clf_rep").set_value(rep).run()
        no_exception(page)
        assert finder_verdict(page) == f"The {rep} neuron says: not a face"
        assert [page.slider(key=k).value for k in ("clf_fzoom", "clf_fcx", "clf_fcy")] == [1.0, 0.5, 0.5], rep


def test_face_finder_camera_takes_the_same_path(page):
    page.radio(key="clf_photo_how").set_value("the camera").run()
    page.camera_input(key="clf_photo_cam").set_value(("shot.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    no_exception(page)
    assert finder_verdict(page) is not None and probability_line(page) is not None


def test_face_finder_shows_how_it_was_trained(page):
    from core.lessons import face_training
    finders = face_training.load_bundled()
    shown = "\n".join(texts(page))
    for rep, f in finders.items():
        assert f"{rep}: LFW test accuracy {f.test_accuracy:.1%} (single windows, a > 0.5)" in shown
        assert f"threshold on photos {f.neuron.threshold:.2f}" in shown      # not the accuracy's threshold
        assert f"round 0: {f.rounds[0].positives:,} faces" in shown
        assert f"{f.rounds[0].fooled:,} fooled it" in shown
    # the introduction's count of faces comes from the split (it said 80: the training and validation faces) and
    # the log's count is those faces and their changed copies: it says how they are linked, and what the rest are for
    train, _, validation, _, _, _ = face_training.splits()
    assert (len(train), len(validation)) == (64, 16)
    assert (f"trained here on {len(train)} small faces (each also shown {face_training.COPIES} more times a little "
            f"moved, tilted or mirrored: the {finders['edges'].rounds[0].positives:,} faces its training log below "
            f"counts) and on photos without one; {len(validation)} more faces were kept back to choose its threshold"
            in shown)
    assert f"one neuron and {len(train)} faces are not enough" in shown and "80" not in shown
    assert any("so its accuracy is higher than on a whole photo" in c.value for c in page.caption)
    # what still fools each neuron: the most face-like window of each bundled face-free photo, counted in the title
    from ui.face_finder import fooled_title
    titles = [json.loads(c.proto.spec)["layout"].get("title", {}).get("text") for c in page.get("plotly_chart")]
    for rep, f in finders.items():
        found = face_training.most_face_like(f.neuron)
        assert fooled_title(rep, found, f.neuron.threshold) in titles


def test_face_finder_retrains_to_the_bundled_neurons(page):
    """The page's button reruns the recipe of scripts/train_faces.py: same seed, same neurons as the bundled ones."""
    from core.lessons import face_training
    bundled = face_training.load_bundled()
    page.button(key="clf_finder_train").click().run(timeout=900)
    no_exception(page)
    retrained = page.session_state["clf_finder"]["finders"]
    for rep, f in bundled.items():
        assert retrained[rep].neuron.threshold == pytest.approx(f.neuron.threshold, abs=1e-9)
        np.testing.assert_allclose(retrained[rep].neuron.w, f.neuron.w, rtol=0, atol=1e-9)
        assert [r.fooled for r in retrained[rep].rounds] == [r.fooled for r in f.rounds]
    # the edges neuron's framing neuron (where the box goes) is trained again too, to the same numbers
    np.testing.assert_allclose(retrained["edges"].neuron.framer.w, bundled["edges"].neuron.framer.w, rtol=0, atol=1e-9)
    assert retrained["edges"].neuron.framer.b == pytest.approx(bundled["edges"].neuron.framer.b, abs=1e-9)


def test_the_verdicts_numbers_have_the_decimals_of_the_rule_under_the_crop():
    """The verdict read "face score 0.96, threshold 0.87; between 0.80 and 0.92" above a crop rule that said
    0.869, 0.801 and 0.916: one screen, two precisions for the same numbers."""
    from core.lessons import detector, face_training
    from ui.face_finder import verdict_sentence
    neuron = face_training.load_bundled()["edges"].neuron
    low, high = neuron.unsure
    _, said = verdict_sentence(neuron, 0.9643)
    assert said.startswith(f"face score 0.964, threshold {neuron.threshold:.3f}; between {low:.3f} and {high:.3f} ")
    assert neuron.verdict_rule(0.9643)[1].count(f"{high:.3f}") >= 1
    assert detector.decimals_apart([0.9643, neuron.threshold, low, high]) == 3


def test_a_class_pressing_train_again_shares_one_training(monkeypatch):
    """Every student could press "Train both again (a minute or two)": 30 presses on a class's 2-core server ran
    30 trainings. The recipe is seeded (the test above: the same neurons each time), so the server trains once and
    every later press, in any session, gets those neurons at once, with a caption that says so."""
    from types import SimpleNamespace

    from streamlit.testing.v1 import AppTest

    from core.lessons import detector, face_training
    from tests.apptest.conftest import APP, TIMEOUT
    from ui import face_finder
    bundled, calls = face_training.load_bundled(), []

    def train(rep, progress=None, **kwargs):
        calls.append(rep)
        progress(f"Training round 0 of {rep}")
        b = bundled[rep]
        return SimpleNamespace(neuron=b.neuron, test_accuracy=b.test_accuracy, rounds=b.rounds, cost=[b.final_cost])

    monkeypatch.setattr(face_finder, "_RETRAINED", {})
    monkeypatch.setattr(face_training, "train_finder", train)
    for student in range(3):
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.switch_page(PAGE).run()
        at.button(key="clf_finder_train").click().run()
        no_exception(at)
        assert calls == list(detector.REPRESENTATIONS), student          # trained once, by the first press
        assert at.session_state["clf_finder"]["finders"] is face_finder._RETRAINED["finders"]
        assert any(c.value.startswith("Trained again on this server about 1 minute ago. The recipe is seeded")
                   for c in at.caption)


def test_face_finder_refuses_a_bad_file_in_one_sentence(page):
    page.file_uploader(key="clf_photo_file").set_value(UPLOADS["non-image"][:2] + ("image/png",)).run()
    no_exception(page)
    assert len(page.error) == 1 and finder_verdict(page) is None


# ---------------------------------------------------------------- your own classes


def test_own_classes_train_and_survive_page_switches(page):
    add_own_photos(page, per_class=5)
    assert texts(page).count("5 photo(s); at least 5 needed") == 2
    # the tab's own α, iterations and λ beside the sidebar's: the tab says which train what
    assert any("the sidebar's (Bundled data) are for the bundled faces and digits only" in c.value
               for c in page.caption)
    page.select_slider(key="clf_own_alpha").set_value(0.03).run()
    page.button(key="clf_own_train").click().run()
    no_exception(page)
    store = page.session_state[OWN]
    model = store.model
    assert model.class_names == ("not hotdog", "hotdog") and model.w.shape == (32 * 32 * 3, 1)
    assert store.model.settings["alpha"] == 0.03 != page.session_state["alpha"]    # the tab's rate, not the sidebar's
    assert any("no test accuracy" in i.value for i in page.info)
    assert "no test set" in [m.value for m in page.metric]
    page.switch_page("pages/home.py").run()
    page.switch_page(PAGE).run()
    no_exception(page)
    store = page.session_state[OWN]
    assert store.model is model and [len(g) for g in store.images] == [5, 5]
    # classify with your own neuron
    page.radio(key="clf_which").set_value("own").run()
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    no_exception(page)
    assert probability_line(page).endswith(("class: hotdog", "class: not hotdog"))


def test_enough_photos_give_a_test_accuracy(page):
    add_own_photos(page, per_class=10)
    page.button(key="clf_own_train").click().run()
    no_exception(page)
    assert "no test set" not in [m.value for m in page.metric]


def test_training_with_too_few_photos_says_so(page):
    page.file_uploader(key="clf_up0_0").set_value([("a.png", PNG, "image/png")]).run()
    page.button(key="clf_own_train").click().run()
    no_exception(page)
    assert any("at least 5" in e.value for e in page.error)
    # the class by its name, and its count in words ("The first class has 1 image(s)")
    name = page.session_state[OWN].names[0]
    assert [e.value.replace("\\", "") for e in page.error] == [
        f"“{name}” has 1 photo; add at least 5 to each class before training."], [e.value for e in page.error]


def test_bad_files_among_own_photos_are_skipped_with_a_message(page):
    files = [("good.png", PNG, "image/png"), ("[x](javascript:alert(1)).png", b"junk", "image/png")]
    page.file_uploader(key="clf_up0_0").set_value(files).run()
    no_exception(page)
    assert len(page.session_state[OWN].images[0]) == 1
    errors = [e.value for e in page.error]
    assert len(errors) == 1 and errors[0].startswith(r"\[x\]\(javascript")  # the name is escaped, not a link


def test_remove_a_class_photos(page):
    add_own_photos(page)
    page.button(key="clf_clear0").click().run()
    no_exception(page)
    assert [len(g) for g in page.session_state[OWN].images] == [0, 5]
    assert page.file_uploader(key="clf_up0_1") is not None  # a fresh, empty uploader


def test_removing_one_class_photos_leaves_the_other_class_box_alone(page):
    """“Remove this class's photos” under class 0 emptied class 1's box too (both boxes' keys shared one counter),
    and class 1 then said “5 of them are not in the box above”: its photos could no longer be removed one by one."""
    add_own_photos(page)
    page.button(key="clf_clear0").click().run()
    no_exception(page)
    assert page.file_uploader(key="clf_up0_1").value == []
    assert [f.name for f in page.file_uploader(key="clf_up1_0").value] == [f"p{i}.png" for i in range(5)]
    assert not any("not in the box above" in c.value for c in page.caption)
    keep_only(page, "clf_up1_0", {"p0.png", "p1.png"}).run()     # its × still removes a photo
    no_exception(page)
    assert page.session_state[OWN].counts == (0, 2)


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "**bold**", "", "same"])
def test_bad_class_names_are_refused_and_keep_the_photos(page, name):
    add_own_photos(page)
    page.text_input(key="clf_name0").set_value(name).run()
    if name == "same":
        page.text_input(key="clf_name1").set_value("SAME").run()
    no_exception(page)
    assert len(page.error) == 1
    assert [len(g) for g in page.session_state[OWN].images] == [5, 5]
    # the last good names stay in use
    assert page.session_state[OWN].names == (("same" if name == "same" else "not hotdog"), "hotdog")


def test_renamed_classes_are_used(page):
    page.text_input(key="clf_name0").set_value("cat").run()
    page.text_input(key="clf_name1").set_value("dog").run()
    model = train_own(page)
    assert model.class_names == ("cat", "dog")


def wide_photos(label, count=6):
    """Photos 192 × 64, three times as wide as they are high, different for each class."""
    return [(f"p{i}.png", encode(noisy(192, 64, 100 * label + i), "PNG"), "image/png") for i in range(count)]


def test_own_photos_are_cut_to_a_centre_square_for_training_as_when_classified(page):
    """Six 192 × 64 photos per class: train accuracy 100% (J = 0.0068), yet a training photo of “not hotdog”,
    uploaded to be classified, gave "a = 0.609 → class: hotdog" (0.002 on the squashed image it trained on)."""
    files = {label: wide_photos(label) for label in (0, 1)}
    for label in (0, 1):
        page.file_uploader(key=f"clf_up{label}_0").set_value(files[label]).run()
    assert any(c.value.startswith("Each photo is cut to its centre square") for c in page.caption)
    for label, _, name in train_then_classify_each(page, files):
        assert page.session_state[OWN].result.train_accuracy == 1.0
        assert name == page.session_state[OWN].model.class_names[label]


def train_then_classify_each(page, files):
    """Train on the photos in the class uploaders, then classify each training photo with that neuron: yields
    (label, a as shown, class name shown) for each, after checking that a is the one the photo had in training."""
    page.button(key="clf_own_train").click().run()
    no_exception(page)
    store = page.session_state[OWN]
    model = store.model
    data = classify.own_data(*store.images, num_px=model.num_px, channels=model.channels)     # what training saw
    trained_a = 1 / (1 + np.exp(-(model.w.T @ data.X_train + model.b)))[0]
    page.radio(key="clf_which").set_value("own").run()
    for label in (0, 1):
        for photo in files[label]:
            page.file_uploader(key="clf_photo_file").set_value(photo).run()
            no_exception(page)
            shown, name = probability_line(page).removeprefix("a = σ(wᵀx + b) = ").split("  →  class: ")
            assert np.abs(trained_a - float(shown)).min() <= 0.6 * 10.0 ** -len(shown.split(".")[1]), shown
            yield label, shown, name


def blocky_photo(w, h, seed):
    """A w × h photo of 4-pixel blocks with sharp edges, which resizing from different sizes blurs differently."""
    return noisy(w // 4, h // 4, seed).resize((w, h), Image.Resampling.NEAREST)


def test_the_centre_square_caption_points_at_squares_only_when_there_are_some(page):
    """Before any photo the caption said "The squares below are what the neuron gets", under which there was
    nothing; and "(below)" pointed at no size."""
    caption = next(c.value for c in page.caption if c.value.startswith("Each photo is cut to its centre square"))
    assert "squares below" not in caption and "(Image size, under Train your neuron)" in caption
    page.file_uploader(key="clf_up0_0").set_value(wide_photos(0, 1)).run()
    caption = next(c.value for c in page.caption if c.value.startswith("Each photo is cut to its centre square"))
    assert caption.endswith("The squares below are those centre squares.")


def test_a_training_photo_larger_than_the_kept_copy_gets_its_training_a(page):
    """Six 300 × 700 photos per class (tall, as a phone's portrait): the class keeps a smaller copy of each and
    the neuron trains on that. Classified from the full photo, a training photo got another a (the neuron read a
    square resized from 300 px, against one from 110 px in training: up to 70 of 255 apart in a pixel)."""
    files = {label: [(f"t{i}.png", encode(blocky_photo(300, 700, 10 * label + i), "PNG"), "image/png")
                     for i in range(6)] for label in (0, 1)}
    for label in (0, 1):
        page.file_uploader(key=f"clf_up{label}_0").set_value(files[label]).run()
    for _ in train_then_classify_each(page, files):
        assert any(t.startswith("your photo 300 × 700, made 219 × 512 as your classes' photos were  →  "
                                "cropped square") for t in texts(page))


def keep_only(app, key, names, add=()):
    """Take files out of an uploader as its × does, and add files (name, bytes, type) as a drop does: the files
    left keep their upload ids, as in the browser (set_value and upload give every file in the box a new one)."""
    box = app.file_uploader(key=key)
    box._files = ([(f.file_id, f.name, f.getvalue(), f.type) for f in box.value if f.name in names]
                  + [(str(uuid.uuid4()), *f) for f in add])
    return box


def test_the_photos_follow_the_uploaders_files(page):
    """Removing a file's chip (×) kept its photo (4 chips, still "5 photo(s)"), and adding the file back gave a
    silent duplicate."""
    files = [(f"p{i}.png", encode(noisy(24, 24, i), "PNG"), "image/png") for i in range(5)]
    page.file_uploader(key="clf_up0_0").set_value(files).run()
    keep_only(page, "clf_up0_0", {"p0.png", "p1.png", "p2.png", "p4.png"}).run()
    no_exception(page)
    assert len(page.file_uploader(key="clf_up0_0").value) == 4
    assert "4 photo(s); at least 5 needed" in texts(page) and page.session_state[OWN].counts == (4, 0)
    kept = {"p0.png", "p1.png", "p2.png", "p4.png"}
    keep_only(page, "clf_up0_0", kept, add=[files[3]]).run()                          # the same file, back again
    assert "5 photo(s); at least 5 needed" in texts(page)
    keep_only(page, "clf_up0_0", kept | {"p3.png"}, add=[("again.png", files[3][1], "image/png")]).run()   # twice
    no_exception(page)
    assert len(page.file_uploader(key="clf_up0_0").value) == 6
    assert "5 photo(s); at least 5 needed" in texts(page) and page.session_state[OWN].counts == (5, 0)
    assert any("again.png is the same photo as p3.png, already in this class, so it counts once" in i.value
               .replace("\\", "") for i in page.info)


def test_a_refused_file_stays_refused_while_it_is_in_the_uploader(page):
    """"notes.jpg: This file is not an image Basin can read…" disappeared on the next rerun (an upload to the
    other class), while its chip stayed."""
    page.file_uploader(key="clf_up0_0").set_value([("good.png", PNG, "image/png"),
                                                   ("notes.jpg", b"Dear diary", "image/jpeg")]).run()
    assert len(page.error) == 1 and "not an image Basin can read" in page.error[0].value
    page.file_uploader(key="clf_up1_0").set_value(wide_photos(1, 2)).run()             # the other class
    no_exception(page)
    assert len(page.error) == 1 and page.error[0].value.startswith("notes") and "not an image" in page.error[0].value
    keep_only(page, "clf_up0_0", {"good.png"}).run()
    assert not page.error and page.session_state[OWN].counts == (1, 2)


def test_the_same_photos_in_both_classes_are_flagged(page):
    """Five photos in both classes trained to "Converged after 0 steps", train 50%, with no word of why."""
    files = [(f"p{i}.png", encode(noisy(24, 24, i), "PNG"), "image/png") for i in range(5)]
    for label in (0, 1):
        page.file_uploader(key=f"clf_up{label}_0").set_value(files).run()
    no_exception(page)
    warnings = [w.value.replace("\\", "") for w in page.warning]
    assert len(warnings) == 1 and warnings[0].startswith("5 photos are in both classes (p0.png in “not hotdog” is "
                                                         "p0.png in “hotdog”;")
    page.button(key="clf_own_train").click().run()
    own_tab = page.tabs[2]
    captions = [c.value for c in own_tab.caption]
    assert any(c.startswith("Converged after 0 steps: the gradient is (almost) zero already at the start") for c in
               captions)
    assert not any("no sign of overfitting" in c for c in captions)
    assert any(w.value.startswith("The neuron has not learned to tell “hotdog” from “not hotdog”") for w in
               own_tab.warning)


def test_photos_kept_from_an_earlier_visit_are_said_to_be_outside_the_uploader(page):
    add_own_photos(page)
    assert not any("not in the box above" in c.value for c in page.caption)
    page.switch_page("pages/home.py").run()
    page.switch_page(PAGE).run()
    no_exception(page)
    assert page.file_uploader(key="clf_up0_0").value == [] and page.session_state[OWN].counts == (5, 5)
    assert [c.value for c in page.caption if "not in the box above" in c.value] == [
        "5 of them are not in the box above (taken with the camera, or kept when the box was emptied, as leaving "
        "this page empties it): “Remove this class's photos” removes them."] * 2


def test_own_results_say_how_many_photos_they_rest_on(page):
    """"Test accuracy 100.0%" rested on 4 test photos, and the page did not say so."""
    add_own_photos(page, per_class=10)
    page.button(key="clf_own_train").click().run()
    no_exception(page)
    assert "Measured on m_train = 16 training photos and m_test = 4 test photos." in [c.value for c in page.caption]
    assert any(i.value.startswith("The test accuracy rests on only 4 test photos: one photo is 25% of it")
               for i in page.info)


def test_the_gap_on_four_test_photos_says_what_one_photo_moves(page):
    """With 4 test photos, the gap sentence read as if its size meant something (“−21.7 points: … even a little
    better”); one photo moves the test accuracy by 25 points."""
    add_own_photos(page, per_class=10)
    page.button(key="clf_own_train").click().run()
    no_exception(page)
    own_tab = page.tabs[2]
    notes = [n.value for n in [*own_tab.caption, *own_tab.warning] if n.value.startswith("Train accuracy")]
    assert len(notes) == 1 and notes[0].endswith("With only 4 test photos, one photo moves the test accuracy by 25 "
                                                 "points, so a gap this size can come from one or two of them.")
    assert "images" not in notes[0]


def own_tab_words(app):
    """Every sentence and chart label of the own tab (a chart: its title, subplot titles and hover text)."""
    tab = app.tabs[2]
    said = [str(e.value) for kind in ("caption", "text", "markdown", "info", "warning", "success", "subheader")
            for e in getattr(tab, kind)]
    for c in tab.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        said += [json.dumps(spec["layout"].get("title", "")), *(a.get("text", "") for a in
                                                                 spec["layout"].get("annotations", []))]
        said += [str(d.get("hovertemplate", "")) for d in spec["data"]]
    return said


@pytest.mark.parametrize("per_class", [5, 10])
def test_the_own_tab_calls_its_examples_photos(page, per_class):
    """The own tab said "images" where the rest of it says "photos": "Confusion matrix (test images)", sample-grid
    headings "hotdog, y = 1 (5 images)", "With fewer than 10 images in a class"."""
    add_own_photos(page, per_class=per_class)
    page.button(key="clf_own_train").click().run()
    no_exception(page)
    said = own_tab_words(page)
    wrong = [s for s in said if re.search(r"\bimages?\b", s.replace("image size", "").replace("as an image", ""))]
    assert not wrong, wrong
    which = "test" if per_class == 10 else "training"
    assert any(f"Confusion matrix<br>({which} photos)" in s for s in said)
    assert f"hotdog, y = 1 ({per_class} photos)" in said


def test_a_result_of_other_photos_says_so(page):
    """After training on 5 and 5 photos and adding more, the old result and its note ("With fewer than 10 images in
    a class … no test accuracy yet") stayed as if they told of the photos now."""
    train_own(page)
    assert any("no test accuracy" in i.value for i in page.info)
    page.file_uploader(key="clf_up1_0").set_value(wide_photos(1, 7)).run()
    no_exception(page)
    assert not any("no test accuracy" in i.value for i in page.info)
    assert any(w.value.startswith("These results are from your last training, on the photos you had then (5 of "
                                  "hotdog and 5 of not hotdog); the photos have changed since (now 7 and 5)")
               for w in page.warning)
    page.button(key="clf_own_train").click().run()
    assert not any(w.value.startswith("These results are from your last training") for w in page.warning)


# ---------------------------------------------------------------- model files


def test_export_and_reimport(page):
    model = train_own(page)
    assert page.get("download_button")
    # the limit said under the box is the box's own (it said 1000 kB under a box that says 1MB)
    box_mb = page.file_uploader(key="clf_import").proto.max_upload_size_mb
    assert box_mb * 1e6 >= classify.MAX_MODEL_BYTES
    assert any(f"at most {classify.MAX_MODEL_BYTES / 1e6:g} MB" in c.value for c in page.caption)
    assert not any("kB" in c.value for c in page.caption)
    data = classify.model_to_json(model)
    page.switch_page("pages/home.py").run()
    page.switch_page(PAGE).run()
    page.session_state[OWN].model = None  # start over, as in a new browser session
    page.file_uploader(key="clf_import").set_value(("basin-model.json", data, "application/json")).run()
    no_exception(page)
    loaded = page.session_state[OWN].model
    np.testing.assert_array_equal(loaded.w, model.w)
    assert (loaded.b, loaded.num_px, loaded.class_names) == (model.b, model.num_px, model.class_names)
    assert any(s.value.startswith("Imported a neuron that tells") and "“your own neuron”" in s.value
               for s in page.success)


def test_import_renames_the_classes(page):
    model = classify.Model(w=np.zeros((16 * 16, 1)), b=0.0, num_px=16, channels=1, class_names=("day", "night"))
    page.file_uploader(key="clf_import").set_value(("m.json", classify.model_to_json(model), "application/json")).run()
    no_exception(page)
    assert page.text_input(key="clf_name0").value == "day"
    page.radio(key="clf_which").set_value("own").run()
    assert "night (a near 1) from day" in " ".join(texts(page))


def test_import_over_photos_keeps_their_names_and_says_what_it_replaced(page):
    """A dogs-vs-cats model imported over the student's trained photos of people renamed their classes and
    replaced their neuron without a word."""
    page.text_input(key="clf_name0").set_value("others").run()
    page.text_input(key="clf_name1").set_value("me").run()
    train_own(page)
    model = classify.Model(w=np.zeros((16 * 16, 1)), b=0.0, num_px=16, channels=1, class_names=("cats", "dogs"))
    page.file_uploader(key="clf_import").set_value(("m.json", classify.model_to_json(model), "application/json")).run()
    no_exception(page)
    assert (page.text_input(key="clf_name0").value, page.text_input(key="clf_name1").value) == ("others", "me")
    assert page.session_state[OWN].names == ("others", "me") and page.session_state[OWN].counts == (5, 5)
    assert [s.value.replace("\\", "").replace("\u200b", "") for s in page.success] == [
        "Imported a neuron that tells “dogs” (y = 1) from “cats” (y = 0): it replaced the neuron you trained; your "
        "photos and your classes' names are unchanged. To use it, switch to the “Classify a photo” tab and choose "
        "“your own neuron”."]
    page.radio(key="clf_which").set_value("own").run()
    page.file_uploader(key="clf_photo_file").set_value(("face.jpg", UPLOADS["real photo"][1], "image/jpeg")).run()
    no_exception(page)
    assert "dogs (a near 1) from cats" in " ".join(texts(page))    # its answers in its own names
    assert probability_line(page).endswith(("class: dogs", "class: cats"))
    assert any(c.value.startswith("This neuron was imported from a file") for c in page.caption)


@pytest.mark.parametrize("data", [b"{not json", json.dumps({"format": "basin-neuron", "version": 1}).encode(),
                                  b"\x80\x04\x95", b"", b"[" * 50_000])
def test_corrupted_model_file_is_refused_and_the_model_survives(page, data):
    model = train_own(page)
    page.file_uploader(key="clf_import").set_value(("bad.json", data, "application/json")).run()
    no_exception(page)
    assert len(page.error) == 1 and "\n" not in page.error[0].value
    assert page.session_state[OWN].model is model
    page.run()  # a rerun keeps the message and the model
    no_exception(page)
    assert page.session_state[OWN].model is model


def test_three_rates_come_from_the_curvature_and_say_what_they_did(page):
    """On digits the old rates 0.01, 0.1 and 1 all fell steadily; the compared rates now come from λ_max."""
    page.radio(key="data").set_value("digits").run()
    page.selectbox(key="digit").set_value(3).run()
    page.selectbox(key="versus").set_value("8").run()
    no_exception(page)
    words = " ".join(m.value for m in page.markdown)
    assert "crawls" in words and "is too large: J jumps up at" in words
    assert any("$\\lambda_{\\max}$ =" in c.value and "no step can make J rise" in c.value for c in page.caption)


def test_no_overfitting_is_said_plainly(page):
    assert any("no sign of overfitting here" in c.value for c in page.caption) and not page.warning


def test_the_rates_sentence_comes_before_the_list_it_introduces(page):
    """"The three rates are multiples of 1/λ_max:" ended the section, with the list it introduces above it."""
    order = list(page.main)
    intro = [i for i, el in enumerate(order) if getattr(el, "type", None) == "caption"
             and str(el.value).endswith("The three rates are multiples of $1/\\lambda_{\\max}$:")]
    rates = [i for i, el in enumerate(order) if getattr(el, "type", None) == "markdown"
             and str(el.value).startswith("- α = ")]
    assert len(intro) == 1 and len(rates) == 1 and rates[0] == intro[0] + 1


@pytest.mark.parametrize("data, y1, y0", [("faces", "face", "not a face"), ("digits", "3", "not 3")])
def test_the_weights_caption_grid_and_colour_bar_agree_on_which_class_is_y_1(page, data, y1, y0):
    """The caption said "purple pixels push a towards 1 (the second class)" while the grid shows class 1 first:
    now the caption, the colour bar and the grid's titles all name the class y = 1 (face; the chosen digit)."""
    if data == "digits":
        page.radio(key="data").set_value("digits").run()
        no_exception(page)
    caption = [c.value for c in page.caption if c.value.startswith("Each pixel's weight w:")]
    assert len(caption) == 1 and "second class" not in caption[0]
    assert f"push a towards 1, “{y1}” (y = 1)" in caption[0] and f"push a towards 0, “{y0}” (y = 0)" in caption[0]
    specs = [json.loads(c.proto.spec) for c in page.get("plotly_chart")]
    grid = [a["text"] for a in specs[0]["layout"]["annotations"]]
    assert grid[0].startswith(f"{y1}, y = 1 (") and grid[1].startswith(f"{y0}, y = 0 (")
    bar = specs[4]["data"][0]["colorbar"]["ticktext"]
    assert bar[0].endswith(f"→ {y0} (y = 0)") and bar[-1].endswith(f"→ {y1} (y = 1)")


def test_a_negative_gap_is_worded_as_negative(page):
    """Digits 3 against the rest: train 98.1%, test 98.9% read "a gap of -0.8 points, under 5"."""
    page.radio(key="data").set_value("digits").run()
    no_exception(page)
    notes = [c.value for c in page.caption if "no sign of overfitting" in c.value]
    assert len(notes) == 1 and "a gap (train − test) of −0.8 points" in notes[0]
    assert "-0.8" not in notes[0] and "under 5" not in notes[0]


def test_a_digits_link_reproduces_its_task(app):
    """A shared link to a digit task opens that task (not faces), and the page keeps it in the link."""
    for key, value in {"data": "digits", "digit": "5", "versus": "8", "alpha": "0.3"}.items():
        app.query_params[key] = value
    app.switch_page(PAGE).run()
    no_exception(app)
    assert app.radio(key="data").value == "digits"
    assert app.selectbox(key="digit").value == 5 and app.selectbox(key="versus").value == "8"
    assert app.select_slider(key="alpha").value == 0.3
    assert "flattened: shape (64, 1)" in texts(app)[0]
    assert {k: app.query_params[k] for k in ("data", "digit", "versus", "alpha")} == {
        "data": "digits", "digit": "5", "versus": "8", "alpha": "0.3"}


def test_the_smallest_face_the_scan_looks_for_is_stated_in_the_photos_pixels():
    from PIL import Image

    from core.lessons import detector, face_training
    from ui.face_finder import smallest_face_sentence
    neuron = face_training.load_bundled()["edges"].neuron
    for size, side in (((1200, 900), 150), ((110, 96), 25)):     # a sixth of 900; one 25-pixel window of a small photo
        photo = Image.new("RGB", size, (120, 90, 60))
        assert smallest_face_sentence(photo, detector.scan(neuron, photo)).startswith(
            f"The smallest window the scan tries is {side} × {side} pixels of this photo")
    # a photo read at half size (970 × 2204 read at 485 × 1102): the window in pixels of the photo as uploaded
    from core.data.images import ORIGINAL_SIZE
    photo = Image.new("RGB", (485, 1102), (120, 90, 60))
    photo.info[ORIGINAL_SIZE] = (970, 2204)
    assert smallest_face_sentence(photo, detector.scan(neuron, photo)).startswith(
        f"The smallest window the scan tries is {round(970 / 6)} × {round(970 / 6)} pixels of this photo")


@pytest.mark.parametrize("size", [(1, 1), (8, 8), (24, 40)])
def test_a_photo_too_small_for_the_face_finder_gets_one_line(page, size):
    """A 1 × 1 or 8 × 8 PNG read "No window of the 83,049 it searched passed…" (the count of a 512 × 512 photo)
    and "The smallest window the scan tries is 1 × 1 pixels of this photo (a sixth of the shorter side…)"."""
    data = encode(noisy(*size), "PNG")
    page.file_uploader(key="clf_photo_file").set_value(("tiny.png", data, "image/png")).run()
    no_exception(page)
    assert [w.value for w in page.warning] == [
        f"This photo is too small to find a face in ({size[0]} × {size[1]} pixels; at least 25 × 25 needed, the "
        "size of the faces the neuron learned from)."]
    shown = " ".join([*texts(page), *(c.value for c in page.caption), *(m.value for m in page.markdown)])
    assert "83,049" not in shown and "smallest window" not in shown


def test_a_small_photo_s_numbers_are_its_own():
    """A 60 × 60 photo is searched in a copy enlarged to 240 × 240: the window count says so; a 424 × 394
    portrait's smallest window is a sixth of its shorter side, with no "(…, on a big photo)"."""
    from PIL import Image

    from core.lessons import classic_detector, detector, face_training
    from ui.face_finder import classic_sentence, smallest_face_sentence
    small = Image.new("RGB", (60, 60), (120, 90, 60))
    assert "searched (in a copy of the photo enlarged to 240 × 240 pixels) passed" in classic_sentence(
        classic_detector.cascade_faces(small), small.size)
    big = Image.new("RGB", (480, 480), (120, 90, 60))
    assert "enlarged" not in classic_sentence(classic_detector.cascade_faces(big), big.size)
    neuron = face_training.load_bundled()["edges"].neuron
    portrait = Image.new("RGB", (424, 394), (120, 90, 60))
    sentence = smallest_face_sentence(portrait, detector.scan(neuron, portrait))
    assert sentence.startswith("The smallest window the scan tries is 66 × 66 pixels of this photo (a sixth of the "
                               "photo's shorter side). ") and "big photo" not in sentence
    little = Image.new("RGB", (110, 96), (120, 90, 60))
    assert smallest_face_sentence(little, detector.scan(neuron, little)).startswith(
        "The smallest window the scan tries is 25 × 25 pixels of this photo (one 25 × 25 window at the photo's own "
        "size: a photo under 150 pixels a side is not shrunk). ")


def test_the_predict_box_remembers_answered_photos_per_classifier(page):
    """After the face finder answered a photo, choosing your own neuron and uploading the same photo said "You have
    seen the neuron's answer for this photo", although your own neuron never answered for it."""
    train_own(page)
    face = ("face.jpg", UPLOADS["real photo"][1], "image/jpeg")
    page.file_uploader(key="clf_photo_file").set_value(face).run()       # the face finder answers, unpredicted
    no_exception(page)
    assert any(c.value.startswith("No prediction for this photo") for c in page.caption)
    page.file_uploader(key="clf_photo_file").clear().run()
    page.radio(key="clf_which").set_value("own").run()
    page.radio(key="predict_classify_choice").set_value("1").run()        # a prediction for your own neuron
    page.file_uploader(key="clf_photo_file").set_value(face).run()        # the same photo
    no_exception(page)
    assert not any("seen the neuron's answer" in c.value for c in page.caption)
    assert page.session_state["predict_classify"]["photo"] is not None   # checked: its answer is shown
    assert page.session_state["predict_score"]["asked"] == 1
    page.button(key="predict_classify_next").click().run()
    page.radio(key="clf_which").set_value("finder").run()                 # the finder still remembers its photo
    page.file_uploader(key="clf_photo_file").set_value(face).run()
    no_exception(page)
    assert any("seen the neuron's answer" in c.value for c in page.caption)


def test_the_link_carries_what_classifies_the_photo(page):
    """"Classify with" is part of the page's link: a link made with the left tab's neuron opened with the face
    finder. A link asking for your own neuron, in a session without one, opens the finder."""
    page.radio(key="clf_which").set_value("bundled").run()
    assert not page.exception and page.query_params["clf_which"] == "bundled"
    page.radio(key="clf_which").set_value("finder").run()
    assert "clf_which" not in page.query_params                       # the default is left out of the link
    from streamlit.testing.v1 import AppTest

    from tests.apptest.conftest import APP, TIMEOUT
    fresh = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    fresh.query_params["clf_which"] = "bundled"
    fresh.switch_page(PAGE).run()
    assert not fresh.exception and fresh.radio(key="clf_which").value == "bundled"
    own = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    own.query_params["clf_which"] = "own"
    own.switch_page(PAGE).run()
    assert not own.exception and own.radio(key="clf_which").value == "finder"
    assert "clf_which" not in own.query_params


@pytest.mark.parametrize(("token", "label"), list(classify.TABS.items()))
def test_the_link_opens_its_tab(app, token, label):
    """The open tab is a setting: a link with tab=photo opens "Classify a photo" (the path's step 6 and a teacher's
    link pointed at the first tab), and the page's link keeps it; a link without one opens the first tab."""
    if token != "train":
        app.query_params["tab"] = token
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.session_state["clf_tab"] == label
    assert app.query_params.get("tab", "train") == token
    assert [t.label for t in app.tabs] == list(classify.TABS.values())
