"""Tests for core/lessons/face_network.py (the face network the page asks when the cascade finds no face) and its
place in core/lessons/classic_detector.find_faces."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from skimage import data as photos

from core.data.datasets import load_scenes
from core.lessons import classic_detector, face_network


def iou(a, b):
    return face_network.overlap(np.asarray(a, dtype=float), np.asarray(b, dtype=float))


def test_the_turned_cameraman_the_cascade_misses_is_found_and_outlined():
    im = Image.fromarray(photos.camera())  # grey, the face turned to the camera's eyepiece
    assert classic_detector.cascade_faces(im).verdict == "not a face"
    found = face_network.find_faces(im)
    assert found.verdict == "face" and found.best >= face_network.FACE_AT
    assert iou(found.boxes[0], (110, 170, 90)) >= 0.5  # the face labelled by hand (top, left, side)


def test_a_small_face_pasted_into_a_larger_photo_is_found_by_a_tile_and_outlined():
    face = Image.fromarray(photos.astronaut()).crop((140, 40, 320, 240))  # her head and shoulders
    scene = Image.fromarray(photos.rocket()).resize((960, 640))
    small = face.resize((48, 53), Image.Resampling.LANCZOS)  # a face about a twentieth of the shorter side
    scene.paste(small, (700, 420))
    whole_only = face_network.read(np.asarray(scene.resize((192, 128), Image.Resampling.BOX)))[0].max()
    found = face_network.find_faces(scene)
    assert found.reads > 1 and found.verdict == "face" and whole_only < found.best
    top, left, side = found.boxes[0]
    assert 700 <= left + side / 2 <= 748 and 420 <= top + side / 2 <= 473  # its centre is on the pasted face


@pytest.mark.parametrize("name", list(load_scenes()))
def test_the_bundled_face_free_photos_are_not_faces(name):
    im = Image.fromarray(load_scenes()[name])
    assert face_network.find_faces(im).verdict == "not a face"


@settings(max_examples=200, deadline=None)
@given(w=st.integers(1, 6000), h=st.integers(1, 6000))
def test_tiles_are_square_inside_the_photo_at_most_tiles_most_and_cover_it_unless_it_is_a_panorama(w, h):
    cut = face_network.tiles(w, h)
    assert len(cut) <= face_network.TILES_MOST
    if min(w, h) <= face_network.SIDE:
        assert cut == []
        return
    side = cut[0][2]
    assert face_network.SIDE <= side <= min(w, h) and all(s == side for _, _, s in cut)
    assert all(0 <= x and x + side <= w and 0 <= y and y + side <= h for x, y, _ in cut)
    xs, ys = sorted({x for x, _, _ in cut}), sorted({y for _, y, _ in cut})
    assert xs[0] == 0 and ys[0] == 0 and xs[-1] == w - side and ys[-1] == h - side
    if max(w, h) <= 12 * min(w, h):  # not a panorama: neighbouring tiles overlap
        assert all(b - a <= side for a, b in zip(xs, xs[1:], strict=False))
        assert all(b - a <= side for a, b in zip(ys, ys[1:], strict=False))


@pytest.mark.parametrize("size, mode", [((1, 1), "RGB"), ((1, 4000), "RGB"), ((4000, 200), "L"), ((20, 400), "L"),
                                        ((2048, 2048), "RGB")])
def test_any_photo_shape_gets_an_answer(size, mode):
    im = Image.new(mode, size, 128)
    found = face_network.find_faces(im)
    assert 0 <= found.best <= 1 and found.verdict in face_network.VERDICTS
    assert found.reads == 1 + len(face_network.tiles(*size))


def test_it_is_deterministic():
    im = Image.fromarray(photos.coffee())
    a, b = face_network.find_faces(im), face_network.find_faces(im)
    assert a.best == b.best and np.array_equal(a.boxes, b.boxes)


def test_a_picture_larger_than_the_input_is_refused():
    with pytest.raises(ValueError, match="at most 192"):
        face_network.read(np.zeros((200, 100, 3), dtype=np.uint8))


def test_the_bars_order_the_verdicts():
    assert face_network.UNSURE_BELOW < face_network.UNSURE_FROM < face_network.FACE_AT
    assert [face_network.verdict(s) for s in (0.0, face_network.UNSURE_FROM, face_network.FACE_AT, 1.0)] == [
        "not a face", "unsure", "face", "face"]


def test_the_page_asks_the_network_only_when_the_cascade_finds_no_face():
    portrait = Image.fromarray(photos.astronaut())
    assert classic_detector.find_faces(portrait).network is None  # the cascade found her
    cameraman = classic_detector.find_faces(Image.fromarray(photos.camera()))
    assert cameraman.cascade_verdict == "not a face" and cameraman.network is not None
    assert cameraman.verdict == "face"  # the surer of the two


def test_the_photos_verdict_is_the_surer_of_the_cascade_and_the_network():
    found = classic_detector.find_faces(Image.fromarray(photos.camera()))
    for cascade_best, network_best, expected in [(0, 0.1, "not a face"), (classic_detector.UNSURE_FROM, 0.1, "unsure"),
                                                 (0, face_network.UNSURE_FROM, "unsure"),
                                                 (classic_detector.UNSURE_FROM, face_network.FACE_AT, "face")]:
        network = face_network.NetworkFinding(boxes=np.zeros((0, 3)), scores=np.zeros(0), best=network_best, reads=1)
        changed = classic_detector.replace(found, best=cascade_best, network=network)
        assert changed.verdict == expected


def test_the_network_picture_outlines_faces_solid_and_unsure_places_dashed_labelled_with_their_score():
    from core.figures import faces as ff
    photo = np.zeros((100, 120, 3), dtype=np.uint8)
    fig = ff.network_detection_figure(photo, np.array([[10, 20, 30], [50, 60, 25]], float), np.array([0.91, 0.64]),
                                      face_network.FACE_AT, "found")
    assert [s.line.dash for s in fig.layout.shapes] == ["solid", "dash"]
    assert (fig.layout.shapes[0].x0, fig.layout.shapes[0].y1) == (19.5, 39.5)
    assert [a.text for a in fig.layout.annotations] == ["<b>a = 0.91</b>", "<b>a = 0.64</b>"]
