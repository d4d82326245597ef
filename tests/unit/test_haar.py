"""The classic detector: the Haar cascade against OpenCV itself and against a window-by-window loop, a cascade
worked by hand, grouping, and its verdicts on real photos. No Streamlit."""

import gzip
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from core.data import images
from core.lessons import classic_detector as cd
from core.lessons import detector
from core.maths import haar
from tests.conftest import dev_photo, small_face_photo

ROOT = Path(__file__).resolve().parent.parent.parent
FACE = ROOT / "tests" / "fixtures" / "face.jpg"


def shared_photo(name):
    return images.load_image(dev_photo(name).read_bytes())


def grey(im, width):
    """A grey uint8 copy of a photo, `width` pixels wide."""
    im = im.convert("L")
    return np.asarray(im.resize((width, round(im.height * width / im.width)), Image.Resampling.BOX))


# ---------------------------------------------------------------- the bundled cascade


def test_the_bundled_cascade_is_opencvs_file_unchanged_with_its_licence():
    text = gzip.decompress(haar.CASCADE_FILE.read_bytes()).decode()
    assert "Intel License Agreement" in text and "Redistribution and use in source and binary forms" in text
    cv2 = pytest.importorskip("cv2")
    assert text == (Path(cv2.data.haarcascades) / "haarcascade_frontalface_default.xml").read_text()


def test_the_cascade_has_25_stages_of_2913_stumps():
    cascade = cd.cascade()
    assert (cascade.width, cascade.height) == (haar.WINDOW, haar.WINDOW)
    assert len(cascade.stages) == 25 and cascade.stumps == 2913
    assert [s.size for s in cascade.stages[:3]] == [9, 16, 27] and max(s.size for s in cascade.stages) == 211


def test_a_file_that_is_not_a_haar_cascade_is_refused():
    with pytest.raises(ValueError):
        haar.parse("<opencv_storage><cascade><featureType>LBP</featureType></cascade></opencv_storage>")


# ---------------------------------------------------------------- against OpenCV


def level_windows_by_opencv(cv2, gray):
    """The windows OpenCV's own detector accepts at the photo's own size (no resizing): 24 × 24 only, ungrouped."""
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    found = classifier.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=0, minSize=(24, 24), maxSize=(24, 24))
    return {(int(y), int(x)) for x, y, _, _ in np.asarray(found).reshape(-1, 4)}


def test_every_window_opencv_accepts_and_no_other_on_real_faces():
    """At one pyramid level the two detectors read the same pixels: the windows that pass every stage must be the
    same ones, on small copies of a real face where the window is the size of the face."""
    cv2 = pytest.importorskip("cv2")
    face = images.load_image(FACE.read_bytes())
    cascade = cd.cascade()
    found = 0
    for width in range(30, 72):
        gray = grey(face, width)
        rows, cols, _ = haar.evaluate(cascade, gray, step=2)
        ours = set(zip(rows.tolist(), cols.tolist(), strict=True))
        assert ours == level_windows_by_opencv(cv2, gray), width
        found += len(ours)
    assert found >= 10          # the comparison saw faces, not only empty sets


def test_flat_windows_are_not_read_as_opencv_does():
    """A window whose grey levels spread by less than 10 is out before the first stage (OpenCV's rule)."""
    flat = np.full((30, 30), 128.0)
    flat[::2] += 9.0                                 # standard deviation 4.5: flat
    _, _, counts = haar.evaluate(cd.cascade(), flat, step=1)
    assert counts[0] == 49 and counts[1] == 0


def test_whole_photos_find_what_opencv_finds():
    """The whole search (pyramid, grouping) on dev portraits: the biggest group lands where OpenCV's does."""
    cv2 = pytest.importorskip("cv2")
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    for im in (images.load_image(FACE.read_bytes()), shared_photo("obama.jpg"), shared_photo("alex-lacamoire.png")):
        work, _ = cd.work_copy(im)
        theirs, counts = classifier.detectMultiScale2(work.astype(np.uint8), scaleFactor=1.1, minNeighbors=3)
        x, y, side, _ = theirs[int(np.argmax(counts))]
        ours = haar.detect(cd.cascade(), work).boxes[0]
        assert abs(ours[0] - y) <= 0.1 * side and abs(ours[1] - x) <= 0.1 * side and abs(ours[2] - side) <= 0.1 * side


# ---------------------------------------------------------------- against a loop, and by hand


def window_by_window(cascade, level, step):
    """The cascade read the slow way: each window alone, each stump alone, straight from the rectangles."""
    h, w = level.shape
    n = (cascade.width - 2) * (cascade.height - 2)
    passed = []
    for r in range(0, h - cascade.height + 1, step):
        for c in range(0, w - cascade.width + 1, step):
            window = level[r:r + cascade.height, c:c + cascade.width].astype(np.float64)
            inner = window[1:-1, 1:-1]
            contrast = np.sqrt(max(n * (inner ** 2).sum() - inner.sum() ** 2, 0.0))
            if not contrast > haar.MIN_STD * n:
                continue
            for stage in cascade.stages:
                table = haar.summed_area(window)
                pairs = zip(stage.corners, stage.weights, strict=True)
                lookups = [table[rr, cc] * weight for (rr, cc), weight in pairs]
                ends = [*stage.firsts[1:], len(lookups)]
                values = np.array([sum(lookups[a:b]) for a, b in zip(stage.firsts, ends, strict=True)])
                votes = np.where(values < stage.node_thresholds * contrast, stage.left, stage.right)
                if votes.sum() < stage.threshold:
                    break
            else:
                passed.append((r, c))
    return passed


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_vectorised_cascade_equals_a_loop_over_windows(seed):
    rng = np.random.default_rng(seed)
    face = grey(images.load_image(FACE.read_bytes()), int(rng.integers(40, 70)))
    level = np.clip(face + rng.normal(0, 6, face.shape), 0, 255)
    rows, cols, _ = haar.evaluate(cd.cascade(), level, step=2)
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == window_by_window(cd.cascade(), level, 2)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_a_window_is_read_only_where_the_mask_covers_its_middle_as_a_loop_finds(seed):
    rng = np.random.default_rng(seed)
    face = grey(images.load_image(FACE.read_bytes()), int(rng.integers(40, 70))).astype(np.float64)
    mask = (rng.random(face.shape) < rng.uniform(0.3, 0.9)).astype(np.float32)
    share = float(rng.uniform(0.2, 0.8))
    r0, r1, c0, c1 = (round(f * haar.WINDOW) for f in haar.MIDDLE)
    kept = {(r, c) for r, c in window_by_window(cd.cascade(), face, 2)
            if mask[r + r0:r + r1, c + c0:c + c1].mean() >= share - 1e-9}
    rows, cols, counts = haar.evaluate(cd.cascade(), face, step=2, where=(mask, share))
    assert set(zip(rows.tolist(), cols.tolist(), strict=True)) == kept
    assert counts[0] == len(range(0, face.shape[0] - 23, 2)) * len(range(0, face.shape[1] - 23, 2))


def test_a_full_mask_changes_nothing_and_an_empty_one_reads_no_window():
    level = grey(images.load_image(FACE.read_bytes()), 90).astype(np.float32)
    whole = haar.detect(cd.cascade(), level)
    full = haar.detect(cd.cascade(), level, where=(np.ones_like(level), 1.0))
    empty = haar.detect(cd.cascade(), level, where=(np.zeros_like(level), 0.01))
    assert np.array_equal(whole.raw, full.raw) and np.array_equal(whole.survivors, full.survivors)
    assert empty.survivors[0] == whole.survivors[0] and empty.survivors[1] == 0 and empty.best == 0


TINY = """<opencv_storage><cascade><stageType>BOOST</stageType><featureType>HAAR</featureType>
<height>4</height><width>4</width><stageNum>1</stageNum><stages><_><maxWeakCount>1</maxWeakCount>
<stageThreshold>0.5</stageThreshold><weakClassifiers><_><internalNodes>0 -1 0 0.1</internalNodes>
<leafValues>-1. 1.</leafValues></_></weakClassifiers></_></stages>
<features><_><rects><_>0 0 4 2 -1.</_><_>0 2 4 2 1.</_></rects><tilted>0</tilted></_></features>
</cascade></opencv_storage>"""


def test_a_one_stump_cascade_worked_by_hand():
    """A 4 × 4 window, one feature: the bottom half's sum minus the top half's, against 0.1 × contrast.

    The window [[0,0,0,0],[0,0,0,0],[40,40,40,40],[40,40,40,40]]: inner 2 × 2 = [[0,0],[40,40]], n = 4,
    contrast = √(4 · 3200 − 80²) = √6400 = 80; feature = 320 − 0 = 320 ≥ 0.1 · 80 = 8, so the stump votes
    right (+1) and the stage (threshold 0.5) passes. Upside down the feature is −320: it votes −1 and fails."""
    cascade = haar.parse(TINY)
    window = np.repeat([0.0, 0.0, 40.0, 40.0], 4).reshape(4, 4)
    table = haar.summed_area(window)
    assert haar.window_contrast(table, haar.summed_area(window ** 2), np.array([0]), np.array([0]), 4, 4)[0] == 80
    assert haar.stage_sums(cascade.stages[0], table, np.array([0]), np.array([80.0]))[0] == 1.0
    assert haar.stage_sums(cascade.stages[0], haar.summed_area(window[::-1]), np.array([0]), np.array([80.0]))[0] == -1
    tiny = haar.MIN_STD
    try:
        haar.MIN_STD = 1.0           # the hand-worked window spreads by 20: readable at any floor under 20
        rows, _, _ = haar.evaluate(cascade, window, step=1)
        assert rows.tolist() == [0]
        assert haar.evaluate(cascade, window[::-1], step=1)[0].tolist() == []
    finally:
        haar.MIN_STD = tiny


# ---------------------------------------------------------------- grouping


def test_alike_windows_group_and_far_ones_do_not():
    boxes = np.array([[100, 100, 50], [103, 98, 52], [101, 102, 48], [300, 300, 50], [100, 100, 120]], float)
    means, sizes = haar.group(boxes)
    assert sizes.tolist() == [3, 1, 1]
    assert means[0] == pytest.approx(boxes[:3].mean(axis=0))
    assert haar.group(boxes, min_group=2)[1].tolist() == [3]
    assert haar.group(np.zeros((0, 3)))[1].tolist() == []


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_groups_are_what_alike_joins_step_by_step(seed):
    """Against a plain search over the 'alike' links: the same groups, whatever the order."""
    rng = np.random.default_rng(seed)
    boxes = np.column_stack([rng.integers(0, 60, 40), rng.integers(0, 60, 40), rng.integers(20, 30, 40)]).astype(float)
    _, sizes = haar.group(boxes)
    d = haar.GROUP_EPS * np.minimum(boxes[:, 2][:, None], boxes[:, 2][None, :])
    ends = boxes[:, :2] + boxes[:, 2:]
    alike = np.all([np.abs(a[:, None] - a[None, :]) <= d for a in (*boxes[:, :2].T, *ends.T)], axis=0)
    seen, expected = set(), []
    for i in range(len(boxes)):
        if i in seen:
            continue
        todo, group = [i], {i}
        while todo:
            j = todo.pop()
            for k in np.flatnonzero(alike[j]):
                if k not in group:
                    group.add(k)
                    todo.append(k)
        seen |= group
        expected.append(len(group))
    assert sorted(sizes.tolist()) == sorted(expected)


def test_grouping_a_block_of_rows_at_a_time_gives_the_same_groups(monkeypatch):
    rng = np.random.default_rng(3)
    boxes = np.column_stack([rng.integers(0, 200, 300), rng.integers(0, 200, 300), rng.integers(20, 40, 300)])
    whole = haar.group(boxes.astype(float))
    monkeypatch.setattr(haar, "_CHUNK", 700)             # blocks of 2 rows
    blocks = haar.group(boxes.astype(float))
    np.testing.assert_array_equal(whole[1], blocks[1])
    np.testing.assert_allclose(whole[0], blocks[0])


# ---------------------------------------------------------------- the detector's verdicts


def test_a_clean_headshot_is_a_face_and_the_box_is_on_it():
    found = cd.find_faces(images.load_image(FACE.read_bytes()))
    assert found.verdict == "face" and found.best >= cd.FACE_AT
    top, left, side = found.boxes[0]
    assert abs(top - 40) < 12 and abs(left - 20) < 12 and abs(side - 64) < 16     # the face in face.jpg


@pytest.mark.parametrize("name", ["obama.jpg", "biden.jpg", "alex-lacamoire.png"])
def test_dev_portraits_are_faces(name):
    assert cd.find_faces(shared_photo(name)).verdict == "face"


def test_the_bundled_face_free_photos_are_not_faces():
    from core.data.datasets import load_scenes
    for name, scene in load_scenes().items():
        assert cd.find_faces(Image.fromarray(scene)).verdict != "face", name


def test_a_face_pasted_into_a_larger_photo_is_found_where_it_was_pasted():
    from core.data.datasets import load_scenes
    face = images.load_image(FACE.read_bytes()).convert("L")
    scene = Image.fromarray(load_scenes()["grass"]).resize((600, 450))
    scene.paste(face.resize((192, 220)), (330, 120))
    found = cd.find_faces(scene)
    assert found.verdict == "face"
    top, left, side = found.boxes[0]
    assert 120 <= top and 330 <= left and top + side <= 120 + 220 + 10 and left + side <= 330 + 192 + 10


def test_the_verdict_bars():
    assert [cd.verdict(n) for n in (0, cd.UNSURE_FROM - 1, cd.UNSURE_FROM, cd.FACE_AT - 1, cd.FACE_AT, 90)] == [
        "not a face", "not a face", "unsure", "unsure", "face", "face"]


def test_the_search_is_bounded_for_any_shape_of_photo():
    for size in [(1, 1), (5000, 20), (20, 5000), (4000, 3000), (240, 240)]:
        work, scale = cd.work_copy(Image.new("L", size, 200))
        assert min(work.shape) >= haar.WINDOW and max(work.shape) <= cd.MAX_LONG_SIDE
        assert work.shape[0] * work.shape[1] <= cd.WORK_SIDE * cd.MAX_LONG_SIDE
        found = cd.find_faces(Image.new("L", size, 200))
        assert found.verdict == "not a face" and found.survivors[1] == 0     # all flat: nothing read


def test_a_search_for_small_faces_only_stops_at_its_largest_window_and_keeps_the_rest_alike():
    level = grey(images.load_image(FACE.read_bytes()), 120).astype(np.float32)
    whole = haar.detect(cd.cascade(), level)
    small = haar.detect(cd.cascade(), level, largest=40)
    assert small.raw.size and small.raw[:, 2].max() <= 40 < whole.raw[:, 2].max()
    kept = whole.raw[whole.raw[:, 2] <= 40]          # the levels both searched: the same windows
    assert np.array_equal(small.raw, kept)


def test_a_larger_work_copy_keeps_the_shape_of_the_photo_and_its_bounds():
    for size, shape in [((4000, 3000), (480, 640)), ((300, 240), (480, 600)), ((5000, 20), (24, 1920))]:
        work, scale = cd.work_copy(Image.new("L", size, 200), side=480)
        assert work.shape == shape and scale == pytest.approx(shape[0] / size[1])


# ---------------------------------------------------------------- small faces: a second search in skin-coloured windows


def test_skin_colour_is_read_from_the_colour_alone_for_light_and_dark_skin():
    skin = [(255, 224, 196), (234, 192, 134), (198, 134, 66), (141, 85, 36), (92, 56, 30), (60, 36, 22)]
    other = [(128, 128, 128), (0, 0, 0), (255, 255, 255), (40, 90, 200), (60, 160, 70), (250, 250, 60)]
    got = cd.skin_mask(np.array([skin + other], dtype=np.uint8))[0]
    assert got.tolist() == [1.0] * len(skin) + [0.0] * len(other)
    assert cd.skin_mask(np.full((4, 4, 3), np.arange(256)[::17][:16].reshape(4, 4, 1), np.uint8)).sum() == 0


@pytest.mark.parametrize("name", ["obama.jpg", "biden.jpg"])
def test_the_middle_of_a_dev_portraits_face_is_skin_coloured(name):
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from classify_photos import FACE_BOXES
    top, left, side = FACE_BOXES[name]
    rgb = np.asarray(shared_photo(name).convert("RGB"))
    r0, r1, c0, c1 = (round(f * side) for f in haar.MIDDLE)
    assert cd.skin_mask(rgb[top + r0:top + r1, left + c0:left + c1]).mean() >= 0.9


def test_a_small_face_in_a_colour_photo_is_found_by_the_second_search_and_outlined():
    photo, (top, left, side) = small_face_photo("coffee", 1 / 14)
    first = haar.detect(cd.cascade(), cd.work_copy(photo)[0])
    assert first.best < cd.FACE_AT                         # too small for the first search
    found = cd.find_faces(photo)
    assert found.verdict == "face" and found.small_best >= cd.SMALL_FACE_AT
    assert found.small_found >= 1 and len(found.face_at) == len(found.boxes)
    assert found.face_at[-found.small_found:].tolist() == [cd.SMALL_FACE_AT] * found.small_found
    i = len(found.boxes) - found.small_found + int(np.argmax(found.neighbours[-found.small_found:]))
    assert float(detector.overlap(np.array([top, left, side]), found.boxes[i:i + 1])[0]) >= 0.5


def test_the_same_photo_in_grey_gets_no_second_search():
    photo, _ = small_face_photo("coffee", 1 / 14)
    found = cd.find_faces(photo.convert("L"))
    assert found.small_best is None and found.small_found == 0 and found.verdict != "face"


@pytest.mark.parametrize("name", ["coffee", "chelsea", "rocket", "astronaut"])
def test_the_second_search_runs_only_when_the_first_found_no_face(name):
    import skimage.data
    photo = Image.fromarray(getattr(skimage.data, name)())
    found = cd.find_faces(photo)
    first = cd.verdict(found.best)
    assert (found.small_best is None) == (first == "face")
    assert (name == "astronaut") == (found.verdict == "face")


def test_the_small_face_search_is_bounded_for_any_shape_of_colour_photo():
    for size in [(1, 1), (5000, 20), (20, 5000), (4000, 3000), (480, 480)]:
        found, scale = cd.small_faces(Image.new("RGB", size, (120, 160, 200)))   # sky blue: no window read
        assert found.best == 0 and found.survivors[1] == 0
        assert found.windows <= 1.25 * cd.skin_windows(np.ones((cd.SMALL_SIDE, 4 * cd.SMALL_SIDE)))  # the largest copy
        assert scale <= 1 or min(size) < haar.WINDOW          # never enlarged, but to fit one window


def test_a_photo_mostly_skin_coloured_gets_no_small_face_search_and_its_time_stays_bounded():
    import skimage.data
    fur = np.tile(np.asarray(Image.fromarray(skimage.data.chelsea()).resize((300, 200))), (4, 16, 1))  # 4800 × 800
    photo = Image.fromarray(fur)
    more, estimate = cd.small_faces(photo)
    assert more is None and estimate > cd.SMALL_MOST_WINDOWS
    found = cd.find_faces(photo)
    assert found.small_best is None and found.small_windows == estimate and found.verdict == "not a face"


def test_the_estimate_of_windows_read_is_close_to_what_the_search_reads():
    photo, _ = small_face_photo("chelsea", 1 / 14)
    work = np.asarray(photo.resize((720, 480), Image.Resampling.BOX))
    mask = cd.skin_mask(work)
    found = haar.detect(cd.cascade(), np.asarray(Image.fromarray(work).convert("L"), dtype=np.float32),
                        largest=cd.SMALL_LARGEST, where=(mask, cd.SKIN_SHARE))
    inside = 0                                   # the windows the mask lets in, before the flat ones are out
    factor = 1.0
    while haar.WINDOW * factor <= cd.SMALL_LARGEST:
        level = np.asarray(Image.fromarray(mask).resize((round(720 / factor), round(480 / factor)),
                                                        Image.Resampling.BILINEAR))
        step = 2 if factor <= 2 else 1
        rows, cols = np.arange(0, level.shape[0] - 23, step), np.arange(0, level.shape[1] - 23, step)
        rr, cc = (a.ravel() for a in np.meshgrid(rows, cols, indexing="ij"))
        inside += int(np.sum(haar.middle_share(level, rr, cc, 24, 24) >= cd.SKIN_SHARE))
        factor *= haar.SCALE_FACTOR
    assert found.survivors[1] <= inside
    assert 0.8 * inside <= cd.skin_windows(mask) <= 1.25 * inside


def test_the_verdict_is_the_surer_of_the_two_searches():
    base = dict(boxes=np.zeros((0, 3)), neighbours=np.zeros(0, dtype=np.int64), windows=1,
                survivors=np.zeros(27, dtype=np.int64), work_shape=(24, 24))
    for best, small, said in [(0, None, "not a face"), (8, None, "unsure"), (8, 3, "unsure"), (0, 4, "unsure"),
                              (0, 5, "unsure"), (3, 6, "face"), (9, 40, "face"), (0, 0, "not a face")]:
        assert cd.Finding(best=best, small_best=small, **base).verdict == said, (best, small)


def test_survivors_shrink_stage_by_stage():
    found = cd.find_faces(images.load_image(FACE.read_bytes()))
    s = found.survivors
    assert s[0] == found.windows and len(s) == found.stages + 2 == 27
    assert np.all(np.diff(s) <= 0) and s[-1] >= found.best > 0


# ---------------------------------------------------------------- its pictures


def test_the_detection_picture_outlines_faces_solid_and_unsure_places_dashed():
    from core.figures import faces as ff
    photo = np.zeros((100, 120, 3), dtype=np.uint8)
    fig = ff.classic_detection_figure(photo, np.array([[10, 20, 30], [50, 60, 25]], float), np.array([40, 8]),
                                      cd.FACE_AT, "found")
    rects = fig.layout.shapes
    assert [s.line.dash for s in rects] == ["solid", "dash"]
    assert (rects[0].x0, rects[0].y0, rects[0].x1, rects[0].y1) == (19.5, 9.5, 49.5, 39.5)
    assert [a.text for a in fig.layout.annotations] == ["<b>40 windows</b>", "<b>8 windows</b>"]


def test_the_skin_picture_keeps_skin_coloured_pixels_and_dims_the_rest():
    import base64
    import io

    from core.figures import faces as ff
    photo = np.zeros((40, 60, 3), dtype=np.uint8)
    photo[:, :30] = (200, 140, 110)                      # skin-coloured on the left
    photo[:, 30:] = (100, 150, 250)                      # sky blue on the right
    fig = ff.skin_figure(photo, cd.skin_mask(photo), "where it looked")
    shown = np.asarray(Image.open(io.BytesIO(base64.b64decode(fig.data[0].source.split(",", 1)[1]))), dtype=int)
    assert np.abs(shown[5:35, 5:25] - (200, 140, 110)).max() <= 6                      # kept (a JPEG)
    assert np.abs(shown[5:35, 35:55] - (40, 50, 70)).max() <= 6                        # a fifth, plus 20


def test_the_funnel_shows_every_stage_and_keeps_the_true_counts():
    from core.figures import faces as ff
    survivors = np.array([1000, 900, 400, 100, 0])
    bar = ff.cascade_funnel_figure(survivors, "windows").data[0]
    assert list(bar.x) == ["all", "not flat", "1", "2", "3"]
    assert list(bar.customdata) == [1000, 900, 400, 100, 0] and bar.y[-1] < 1      # none left: a stub under 1
