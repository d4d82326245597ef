"""An uploaded photo is decoded once per upload (ui/uploads.py): zoom and crop moves reuse it."""

import io
import struct

import numpy as np
from PIL import Image

from core.data import images

PAGE = "pages/classify.py"


def png(w, h, seed=0):
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def counting_decodes(monkeypatch):
    calls = []
    real = images.load_image

    def load_image(data, **kwargs):
        calls.append(len(data))
        return real(data, **kwargs)
    monkeypatch.setattr(images, "load_image", load_image)
    return calls


def test_zoom_and_crop_moves_do_not_decode_the_photo_again(app, monkeypatch):
    calls = counting_decodes(monkeypatch)
    app.switch_page(PAGE).run()
    app.file_uploader(key="clf_photo_file").set_value(("me.png", png(300, 200), "image/png")).run()
    assert not app.exception and len(calls) == 1
    app.slider(key="clf_fzoom").set_value(2.0).run()           # the face finder's crop (the default neuron)
    assert not app.exception and len(calls) == 1
    app.radio(key="clf_which").set_value("bundled").run()       # the neuron trained on the left tab
    app.slider(key="clf_zoom").set_value(2.0).run()
    app.slider(key="clf_cx").set_value(0.3).run()
    app.slider(key="clf_cy").set_value(0.7).run()
    assert not app.exception and len(calls) == 1
    assert any("a = σ(wᵀx + b)" in t.value for t in app.text)
    app.file_uploader(key="clf_photo_file").set_value(("other.png", png(120, 90, seed=1), "image/png")).run()
    assert not app.exception and len(calls) == 2             # a new upload is decoded, once


def test_a_bad_upload_keeps_its_message_on_every_rerun_without_decoding_again(app, monkeypatch):
    calls = counting_decodes(monkeypatch)
    app.switch_page(PAGE).run()
    broken = ("x.png", b"\x89PNG\r\n\x1a\nnot really", "image/png")
    app.file_uploader(key="clf_photo_file").set_value(broken).run()
    assert not app.exception and len(app.error) == 1 and "damaged" in app.error[0].value
    app.run()
    assert not app.exception and len(app.error) == 1 and len(calls) == 1


def test_only_the_last_few_uploads_are_kept_per_session(app):
    app.switch_page(PAGE).run()
    for seed in range(7):
        photo = (f"{seed}.png", png(40, 30, seed), "image/png")
        app.file_uploader(key="clf_photo_file").set_value(photo).run()
        assert not app.exception
    assert len(app.session_state["decoded_uploads"]) == 4


def test_an_unforeseen_decoder_failure_is_one_sentence_and_the_page_keeps_working(app, monkeypatch):
    # load_image raised struct.error for a photo with a damaged EXIF tag (now caught there): anything it does not
    # foresee must still be one sentence, said once per upload, and the next photo must work
    calls = []

    def load_image(data, **kwargs):
        calls.append(len(data))
        raise struct.error("required argument is not an integer")
    real = images.load_image
    monkeypatch.setattr(images, "load_image", load_image)
    app.switch_page(PAGE).run()
    app.file_uploader(key="clf_photo_file").set_value(("odd.png", png(40, 30), "image/png")).run()
    assert not app.exception and len(app.error) == 1 and "unexpected problem" in app.error[0].value
    app.run()
    assert not app.exception and len(app.error) == 1 and len(calls) == 1
    monkeypatch.setattr(images, "load_image", real)
    app.file_uploader(key="clf_photo_file").set_value(("fine.png", png(40, 30, seed=1), "image/png")).run()
    assert not app.exception and not app.error
