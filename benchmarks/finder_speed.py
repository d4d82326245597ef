"""Face finder budgets: the whole scan of a 12-megapixel photo (≤ 300 ms server side) by each neuron and by the
classic detector, a zoom move on a scanned photo (≤ 100 ms), and training both neurons.

The scan includes everything the server does with a new upload: decode (core.data.images.load_image, which decodes a
JPEG at reduced scale), shrink to the bounded work copy, build the pyramid, cut every window, one product
A = σ(wᵀX + b), non-maximum suppression and the place scores. Medians of several repeats, next to a baseline in
the same run: the same windows scored one at a time in a Python loop.
Run: python benchmarks/finder_speed.py            (add --train to time the training recipe too)
"""

import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from core.data.images import load_image  # noqa: E402
from core.lessons import classic_detector, detector, face_training  # noqa: E402

REPEATS = 7


def median_seconds(fn, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def twelve_megapixels():
    """A 4000 × 3000 JPEG, like a phone's, made from the face fixture (resized up, with some noise)."""
    im = Image.open(ROOT / "tests" / "fixtures" / "face.jpg").convert("RGB").resize((4000, 3000))
    noise = np.random.default_rng(0).integers(-8, 9, (3000, 4000, 3))
    im = Image.fromarray(np.clip(np.asarray(im, dtype=np.int16) + noise, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    im.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def network(found):
    """What the face network (asked when the cascade finds no face) did, in words, or nothing."""
    if found.network is None:
        return ""
    net = found.network
    alone = median_seconds(lambda: classic_detector.face_network.find_faces(found_photo[0]))
    return (f"; then the face network read {net.reads} pictures in {alone * 1000:.0f} ms, best score {net.best:.3f} "
            f"({net.verdict!r})")


found_photo = [None]  # the photo `network` times the face network on


def main():
    finders = face_training.load_bundled()
    data = twelve_megapixels()
    print(f"12 MP JPEG: {len(data) / 1e6:.1f} MB")
    for rep in detector.REPRESENTATIONS:
        neuron = finders[rep].neuron
        whole = median_seconds(lambda: detector.scan(neuron, load_image(data)))  # noqa: B023 (timed at once, in this iteration)
        im = load_image(data)
        scan_only = median_seconds(lambda: detector.scan(neuron, im))  # noqa: B023 (timed at once, in this iteration)
        result = detector.scan(neuron, im)
        zoom, cx, cy = result.crop_settings()
        crop = median_seconds(lambda: detector.classify_crop(neuron, im, zoom, cx, cy))  # noqa: B023 (timed at once, in this iteration)
        print(f"{rep}: decode + scan {whole * 1000:.0f} ms (budget 300 ms), scan of the decoded photo "
              f"{scan_only * 1000:.0f} ms, {result.A.shape[1]:,} windows; a zoom move (crop + a) "
              f"{crop * 1000:.1f} ms (budget 100 ms)")
    # the classic detector (Viola-Jones cascade): decode + search, and the windows read window by window as a baseline
    classic_detector.cascade()
    im = load_image(data)
    found_photo[0] = im
    whole = median_seconds(lambda: classic_detector.find_faces(load_image(data)))
    search = median_seconds(lambda: classic_detector.find_faces(im))
    found = classic_detector.find_faces(im)
    print(f"classic detector: decode + search {whole * 1000:.0f} ms (budget 300 ms), search of the decoded photo "
          f"{search * 1000:.0f} ms, {found.windows:,} windows, {found.best} in the biggest group{network(found)}, "
          f"verdict {found.verdict!r}")
    # a 12 MP colour photo without a face, with warm colours (roofs, wood): the first search finds no face, so the
    # small-face search runs too, in its skin-coloured windows
    from sklearn.datasets import load_sample_image
    buffer = io.BytesIO()
    Image.fromarray(load_sample_image("china.jpg")).resize((4000, 3000)).save(buffer, format="JPEG", quality=90)
    free = buffer.getvalue()
    im = load_image(free)
    found_photo[0] = im
    whole = median_seconds(lambda: classic_detector.find_faces(load_image(free)))
    found = classic_detector.find_faces(im)
    first = median_seconds(lambda: classic_detector.haar.detect(classic_detector.cascade(),
                                                                classic_detector.work_copy(im)[0]))
    print(f"classic detector, a 12 MP photo without a face (china.jpg enlarged): decode + both searches "
          f"{whole * 1000:.0f} ms (budget 300 ms), the first search alone {first * 1000:.0f} ms; the small-face "
          f"search read {found.small_windows:,} skin-coloured windows, {found.small_best} in its biggest group"
          f"{network(found)}, verdict {found.verdict!r}")
    # baseline: the same windows, one product per window in a Python loop (edges neuron, first pyramid level)
    neuron = finders["edges"].neuron
    work = detector.work_copy(load_image(data))
    level = detector.pyramid(work)[0][1]
    rows, cols = detector.window_grid(level.shape)
    one = median_seconds(lambda: neuron.probability(detector.level_features(level, rows, cols, "edges")), 3)
    loop = median_seconds(lambda: [neuron.probability(detector.features(level[r:r + 25, c:c + 25][None], "edges"))
                                   for r, c in zip(rows, cols, strict=True)], 1)
    print(f"first level, {len(rows):,} windows: stacked as columns of one X {one * 1000:.0f} ms; "
          f"one window at a time {loop * 1000:.0f} ms ({loop / one:.0f}× slower)")
    if "--train" in sys.argv:
        for rep in detector.REPRESENTATIONS:
            start = time.perf_counter()
            face_training.train_finder(rep)
            print(f"training the {rep} neuron (augmentation, 2 mining rounds, threshold): "
                  f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
