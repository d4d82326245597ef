"""Both face finders on photos of any shape and content: a verdict from the page's words, numbers in range, and
every box inside the photo. Content: noise, blocks of colour, and skin-coloured photos (which send the classic
detector into its second search)."""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from core.lessons import classic_detector as cd
from core.lessons import detector, face_training

NEURONS = {rep: finder.neuron for rep, finder in face_training.load_bundled().items()}
SKIN = (205, 150, 125)       # a skin colour: Cb 105, Cr 155, inside classic_detector.SKIN


def photo(kind, w, h, colour, seed):
    rng = np.random.default_rng(seed)
    if kind == "noise":
        pixels = rng.integers(0, 256, (h, w, 3))
    elif kind == "blocks":
        pixels = np.zeros((h, w, 3), dtype=np.int64) + rng.integers(0, 256, 3)
        for _ in range(8):
            top, left = rng.integers(0, h), rng.integers(0, w)
            pixels[top:top + rng.integers(1, h + 1), left:left + rng.integers(1, w + 1)] = rng.integers(0, 256, 3)
    else:                                                      # skin-coloured, with some texture
        pixels = np.array(SKIN) + rng.integers(-12, 13, (h, w, 1))
    im = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    return im if colour else im.convert("L")


def inside(box, w, h, slack):
    top, left, side = (float(v) for v in box)
    return side > 0 and -slack <= top and -slack <= left and top + side <= h + slack and left + side <= w + slack


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["noise", "blocks", "skin"]),
       w=st.integers(1, 900), h=st.integers(1, 900), colour=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_any_photo_gets_a_verdict_and_boxes_inside_it(kind, w, h, colour, seed):
    check_photo(kind, w, h, colour, seed)


def check_photo(kind, w, h, colour, seed):
    """The property, for one photo (benchmarks/fuzz_finders.py runs it on many more)."""
    im = photo(kind, w, h, colour, seed)
    found = cd.find_faces(im)
    assert found.verdict in cd.VERDICTS
    assert len(found.boxes) == len(found.neighbours) == len(found.face_at)
    # a box is a window of a resized copy, scaled back by its height's ratio: allow a pixel and 2 % for rounding
    assert all(inside(box, w, h, 1 + 0.02 * max(w, h)) for box in found.boxes)
    assert found.small_best is None or colour          # a grey photo never gets the second search
    for rep, neuron in NEURONS.items():
        scan = detector.scan(neuron, im)
        assert 0.0 <= scan.score <= 1.0 and math.isfinite(scan.score), rep
        assert neuron.verdict(scan.score) in ("face", "unsure", "not a face")
        zoom, cx, cy = scan.crop_settings()
        assert zoom >= 1.0 - 1e-9 and 0.0 <= cx <= 1.0 and 0.0 <= cy <= 1.0, (rep, zoom, cx, cy)


def test_a_blank_photo_reads_no_window_and_crops_the_whole_photo():
    """One colour everywhere: every window is flatter than any training face, so none is read (a = 0) and the crop
    is the photo's middle square at zoom 1, for both neurons (the pixels neuron once gave NaN here)."""
    for size in [(300, 200), (200, 300), (50, 50), (1, 1)]:
        im = Image.new("RGB", size, (120, 120, 120))
        for rep, neuron in NEURONS.items():
            scan = detector.scan(neuron, im)
            assert scan.flat == scan.A.shape[1] and scan.score == 0.0, (rep, size)
            assert neuron.verdict(scan.score) == "not a face"
            assert np.allclose(scan.crop_settings(), (1.0, 0.5, 0.5)), (rep, size, scan.crop_settings())
