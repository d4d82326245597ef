"""Classify real photos: the face finder at default settings, no manual crop, on photos it never trained on.

Dev set (measured on, never trained on):
- people: ../shared/photos/ (obama.jpg, biden.jpg, alex-lacamoire.png) when present, scikit-image's astronaut and
  camera, tests/fixtures/face.jpg;
- not faces: scikit-image's coffee, chelsea, rocket, horse, brick, scikit-learn's china.jpg and flower.jpg,
  tests/fixtures/cat.jpg.
The face-free photos the neurons trained on (data/scenes.npz) are other ones (core/lessons/face_training.py).

Framing: the box the finder outlines (Scan.best_box, also the default crop) must be on the face. FACE_BOXES holds one
square per person photo, labelled by hand by looking at each photo (from mid-forehead to chin, cheek to cheek, as
the training faces are framed); a photo is "framed" when the intersection over union of the finder's box with it
is at least 0.5.
These photos were looked at while tuning the finder, so these figures are not unbiased; benchmarks/finder_held_out.py
measures on photos nothing was tuned on.

Prints one line per photo and representation, the totals per class, and each neuron's LFW test accuracy; then the
same for the classic detector (core/lessons/classic_detector.py, whose verdict bars were chosen on these photos).
Run: python benchmarks/classify_photos.py            (the bundled neurons, data/face_neurons.json)
     python benchmarks/classify_photos.py --train    (train both again first, and time it)
"""

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from core.data import images  # noqa: E402
from core.lessons import classic_detector, detector, face_network, face_training  # noqa: E402

# The dev portraits live beside the repository, never in it: ../shared/photos (or one level higher).
SHARED = next((p for p in (ROOT.parent / "shared" / "photos", ROOT.parent.parent / "shared" / "photos")
               if p.is_dir()), ROOT.parent / "shared" / "photos")


# (top, left, side) in pixels of the photo as dev_set() loads it. Labelled by hand, by looking at each photo with a
# grid drawn on it; not computed by any detector.
FACE_BOXES = {"obama.jpg": (115, 362, 265), "biden.jpg": (115, 200, 165), "alex-lacamoire.png": (160, 190, 145),
              "astronaut": (85, 182, 85), "camera": (110, 170, 90), "face.jpg": (40, 20, 64)}
FRAMED_IOU = 0.5


def box_iou(scan, im, box):
    """Intersection over union of the scan's face box (mapped back to the photo's pixels) with a labelled box."""
    k = im.size[1] / scan.work_shape[0]
    found = np.array(scan.best_box) * k
    return float(detector.overlap(np.array(box, dtype=np.float64), found[None])[0])


def dev_set():
    """[(name, label, Pillow image)], label 1 = a person's face, 0 = not."""
    import skimage.data
    from sklearn.datasets import load_sample_image

    out = []
    for name in ("obama.jpg", "biden.jpg", "alex-lacamoire.png"):
        if (SHARED / name).exists():
            out.append((name, 1, images.load_image((SHARED / name).read_bytes())))
    out += [("astronaut", 1, Image.fromarray(skimage.data.astronaut())),
            ("camera", 1, Image.fromarray(skimage.data.camera())),
            ("face.jpg", 1, images.load_image((ROOT / "tests" / "fixtures" / "face.jpg").read_bytes()))]
    for name in ("coffee", "chelsea", "rocket", "horse", "brick"):
        out.append((name, 0, Image.fromarray(getattr(skimage.data, name)())))
    for name in ("china.jpg", "flower.jpg"):
        out.append((name, 0, Image.fromarray(load_sample_image(name))))
    out.append(("cat.jpg", 0, images.load_image((ROOT / "tests" / "fixtures" / "cat.jpg").read_bytes())))
    return out


def evaluate(neuron, photos):
    """[(name, label, score, verdict, right, iou)] at default settings: the scan's verdict, no manual crop.

    "right" compares score ≥ threshold with the label; "unsure" is reported beside it, not counted apart.
    iou is the face box's overlap with FACE_BOXES[name] (None for photos without a labelled face).
    """
    rows = []
    for name, label, im in photos:
        scan = detector.scan(neuron, im)
        verdict = neuron.verdict(scan.score)
        said_face = scan.score >= neuron.threshold
        iou = box_iou(scan, im, FACE_BOXES[name]) if name in FACE_BOXES else None
        rows.append((name, label, scan.score, verdict, said_face == bool(label), iou))
    return rows


def print_totals(rows, small_faces=(), small_words="faces big enough to scan"):
    """Right per class and in all, and what the page says to each class. rows: [(name, label, right, verdict)]."""
    people = [r for r in rows if r[1] == 1]
    large = [r for r in people if r[0] not in small_faces]
    others = [r for r in rows if r[1] == 0]
    total = sum(r[2] for r in rows)
    print(f"  people {sum(r[2] for r in people)} / {len(people)} ({small_words}: "
          f"{sum(r[2] for r in large)} / {len(large)}); others {sum(r[2] for r in others)} / {len(others)}; "
          f"total {total} / {len(rows)} ({total / len(rows):.0%})")
    for group, what in ((people, "people"), (others, "others")):
        said = {v: sum(r[3] == v for r in group) for v in ("face", "unsure", "not a face")}
        print(f"  {what}: the page says " + ", ".join(f"{v!r} {n}" for v, n in said.items()))


def classic_report(photos, boxes, small_faces=()):
    """The classic detector (core.lessons.classic_detector) on [(name, label, Pillow image)]: one line per photo,
    the totals per class, what the page says, the face box against the labelled ones, and the time per photo.

    "right" compares the page's verdict "a face" (at least FACE_AT windows in the biggest group, or SMALL_FACE_AT in
    the small-face search's) with the label; "unsure" is reported beside it, as for the neurons. small_faces: names
    of people photos whose faces are under a sixth of the shorter side, counted with the people and also reported
    apart.
    """
    print(f"\n== classic detector (Viola-Jones, OpenCV's frontal-face cascade): a face from "
          f"{classic_detector.FACE_AT} windows in a group, unsure from {classic_detector.UNSURE_FROM}; small faces "
          f"(skin-coloured windows, when the first search finds none in a colour photo): a face from "
          f"{classic_detector.SMALL_FACE_AT}, unsure from {classic_detector.SMALL_UNSURE_FROM}")
    print(f"   then, when it finds no face, the face network (BlazeFace): a face from {face_network.FACE_AT}, unsure "
          f"from {face_network.UNSURE_FROM}; the page's verdict is the surer of the two")
    classic_detector.cascade()                   # read once, outside the timing
    face_network.network()
    rows, times, cascade_rows = [], [], []
    for name, label, im in photos:
        start = time.perf_counter()
        found = classic_detector.find_faces(im)
        times.append(time.perf_counter() - start)
        right = (found.verdict == "face") == bool(label)
        iou = None
        shown = found.boxes  # the box the page outlines first: the cascade's, or the network's when it found the face
        if found.network is not None and found.network.verdict == "face":
            shown = found.network.boxes
        if boxes.get(name) and len(shown):
            iou = max(float(detector.overlap(np.array(b, dtype=np.float64), shown[:1])[0]) for b in boxes[name])
        elif boxes.get(name):
            iou = 0.0
        rows.append((name, label, right, found.verdict, iou))
        cascade_rows.append((name, label, (found.cascade_verdict == "face") == bool(label), found.cascade_verdict))
        box = "" if iou is None else f"  box IoU {iou:.2f} {'framed' if iou >= FRAMED_IOU else 'MISSED'}"
        network = "   –  " if found.network is None else f"{found.network.best:.3f}"
        print(f"  {name:38s} {'person' if label else 'other':6s} {im.size[0]:4d}×{im.size[1]:<4d} "
              f"windows {found.best:3d}  small {'–' if found.small_best is None else found.small_best:>3}  "
              f"cascade {found.cascade_verdict:10s} network {network}  {found.verdict:10s} "
              f"{'right' if right else 'WRONG'}  {times[-1] * 1000:4.0f} ms{box}")
    print("  the cascade alone:")
    print_totals(cascade_rows, small_faces, "faces of at least a sixth of the shorter side")
    print("  the page (the cascade, then the network):")
    print_totals([r[:4] for r in rows], small_faces, "faces of at least a sixth of the shorter side")
    ious = [r[4] for r in rows if r[4] is not None]
    if ious:
        print(f"  face box on a face (IoU ≥ {FRAMED_IOU}): {sum(i >= FRAMED_IOU for i in ious)} / {len(ious)}")
    print(f"  time per photo: median {np.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    return rows


def main():
    if "--train" in sys.argv:
        finders = {}
        for rep in detector.REPRESENTATIONS:
            start = time.perf_counter()
            f = face_training.train_finder(rep)
            print(f"training {rep}: {time.perf_counter() - start:.1f} s")
            finders[rep] = f
        neurons = {rep: (f.neuron, f.test_accuracy) for rep, f in finders.items()}
    elif "--neurons" in sys.argv:      # a face_neurons.json written elsewhere by scripts/train_faces.py OUT_DIR
        import json
        doc = json.loads(Path(sys.argv[sys.argv.index("--neurons") + 1]).read_text())
        neurons = {rep: (f.neuron, f.test_accuracy) for rep, f in face_training.from_document(doc).items()}
    else:
        neurons = {rep: (f.neuron, f.test_accuracy) for rep, f in face_training.load_bundled().items()}
    photos = dev_set()
    for rep, (neuron, test_accuracy) in neurons.items():
        lo, hi = neuron.unsure
        print(f"\n== {rep}: LFW test accuracy {test_accuracy:.1%}, threshold {neuron.threshold:.3f}, "
              f"unsure band [{lo:.3f}, {hi:.3f})")
        rows = evaluate(neuron, photos)
        for name, label, score, verdict, right, iou in rows:
            truth = "person" if label else "other"
            box = "" if iou is None else f"  box IoU {iou:.2f} {'framed' if iou >= FRAMED_IOU else 'MISSED'}"
            print(f"  {name:20s} {truth:6s} score {score:.3f}  {verdict:10s} {'right' if right else 'WRONG'}{box}")
        for label, what in ((1, "people"), (0, "others")):
            group = [r for r in rows if r[1] == label]
            print(f"  {what}: {sum(r[4] for r in group)} / {len(group)} right")
        ious = [r[5] for r in rows if r[5] is not None]
        print(f"  face box on the face (IoU ≥ {FRAMED_IOU}): {sum(i >= FRAMED_IOU for i in ious)} / {len(ious)}")
        total = sum(r[4] for r in rows)
        unsure = sum(r[3] == "unsure" for r in rows)
        print(f"  total: {total} / {len(rows)} right ({total / len(rows):.0%}); {unsure} marked unsure")
    classic_report(photos, {name: [box] for name, box in FACE_BOXES.items()})


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
