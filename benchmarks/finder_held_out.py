"""The face finder on photos nothing was tuned on: LFW test-split faces pasted into held-out face-free photos.

Held-out photos: scikit-image sample photos with no face that Basin neither bundles nor measures elsewhere
(moon, page, microaneurysms, the left view of stereo_motorcycle), grey and shrunk to a shorter side of 150 as
data/scenes.npz is. No training, mining or threshold reads them. The bundled neurons were not chosen on this
check; it was also run on candidate recipes that were not adopted (benchmarks/results/face-framing-2026-12-01.md),
so it is unbiased for the bundled neurons, not for a choice among those candidates.
Each test-split face (a face no neuron trained on) is pasted PLACEMENTS times into a held-out photo, at a random
place, its side drawn between MIN_SIDE pixels and the photo's shorter side; the scan must put its box on the face
(intersection over union ≥ 0.5 with the pasted square) and call the photo a face. Face-free photos: each
held-out photo and SQUARES random squares of it (at least half its shorter side); the scan must not call them a
face. Fixed seed, so every run measures the same photos.

A pasted face is not a real photo: its square border is an edge no real face has, and the face has no hair,
neck or shoulders around it. The dev-set photos (benchmarks/classify_photos.py) are real but were looked at
while tuning; this check is synthetic and was not tuned on. Report both.
Run: python benchmarks/finder_held_out.py            (the bundled neurons)
     python benchmarks/finder_held_out.py --neurons PATH/face_neurons.json
"""

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.lessons import detector, face_training  # noqa: E402

PLACEMENTS = 5
SQUARES = 4
MIN_SIDE = 28
SEED = 12345
SHORT_SIDE = 150


def held_out_scenes():
    """The held-out face-free photos: [grey ndarray (h, w)], shorter side SHORT_SIDE (box filter, as scenes.npz)."""
    import skimage.data
    from PIL import Image

    photos = [skimage.data.moon(), skimage.data.page(), skimage.data.microaneurysms(),
              skimage.data.stereo_motorcycle()[0]]
    out = []
    for photo in photos:
        im = Image.fromarray(photo).convert("L")
        scale = SHORT_SIDE / min(im.size)
        im = im.resize((round(im.size[0] * scale), round(im.size[1] * scale)), Image.Resampling.BOX)
        out.append(np.asarray(im, dtype=np.float64))
    return out


def held_out_photos(seed=SEED):
    """(with a face: [(photo, (top, left, side))], without: [photo]), grey float ndarrays."""
    rng = np.random.default_rng(seed)
    scenes = held_out_scenes()
    _, _, _, _, test_images, test_labels = face_training.splits()
    faces = test_images[test_labels == 1]
    with_face = []
    for face in faces:
        for _ in range(PLACEMENTS):
            photo = scenes[rng.integers(len(scenes))]
            h, w = photo.shape
            side = int(rng.integers(MIN_SIDE, min(h, w) + 1))
            top, left = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
            with_face.append((face_training.paste(photo, face, top, left, side), (top, left, side)))
    without = []
    for photo in scenes:
        h, w = photo.shape
        without.append(photo)
        for _ in range(SQUARES):
            side = int(rng.integers(min(h, w) // 2, min(h, w) + 1))
            top, left = rng.integers(0, h - side + 1), rng.integers(0, w - side + 1)
            without.append(photo[top:top + side, left:left + side])
    return with_face, without


def measure(neuron, with_face, without):
    """{"iou": ndarray, "framed", "faces_right", "free_right"}: box IoU per face photo and the three rates."""
    ious, said = [], []
    for photo, box in with_face:
        scan = detector.scan(neuron, photo)
        ious.append(detector.overlap(np.array(box, dtype=np.float64), np.array([scan.best_box]))[0])
        said.append(scan.score >= neuron.threshold)
    free = [detector.scan(neuron, photo).score < neuron.threshold for photo in without]
    ious = np.array(ious)
    return {"iou": ious, "framed": float(np.mean(ious >= 0.5)), "faces_right": float(np.mean(said)),
            "free_right": float(np.mean(free))}


def main():
    if "--neurons" in sys.argv:
        doc = json.loads(Path(sys.argv[sys.argv.index("--neurons") + 1]).read_text())
        finders = face_training.from_document(doc)
    else:
        finders = face_training.load_bundled()
    with_face, without = held_out_photos()
    print(f"held out: {len(with_face)} photos with a pasted LFW test face, {len(without)} face-free photos")
    for rep, f in finders.items():
        r = measure(f.neuron, with_face, without)
        print(f"{rep}: box IoU ≥ 0.5 on {r['framed']:.0%} of the faces (median IoU {np.median(r['iou']):.2f}); "
              f"verdict right on {r['faces_right']:.0%} of the photos with a face and {r['free_right']:.0%} "
              f"of the face-free ones (threshold {f.neuron.threshold:.3f})")


if __name__ == "__main__":
    main()
