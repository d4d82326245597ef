"""The face finder on real photos nobody looked at while tuning it: the photos of Debian's `opencv-doc` package.

benchmarks/classify_photos.py measures on the dev set, which was looked at while the finder was tuned;
benchmarks/finder_held_out.py measures on photos nothing was tuned on, but its faces are pasted squares. This
script measures on real photos that were first looked at after the bundled neurons were trained and chosen: the
sample photos and tutorial pictures that OpenCV's documentation ships (Debian package `opencv-doc`, installed only
to run this script; Basin neither bundles nor trains on any of them). Pictures with anything drawn on them (boxes,
circles, landmarks, arrows) are left out, and a side-by-side picture is cropped to one of its clean panels.

Labels, by looking at each picture: 1 = a person's face can be seen (frontal or turned, any size), 0 = not (a
dog's, a mandrill's or a painted fish's face counts as not, as the dev set's cat does). The small-face people
photos (a face under a sixth of the shorter side, which the scan does not look for: core.lessons.detector
SMALLEST_FRACTION) are counted with the people and also reported apart.

Prints one line per photo and representation, the totals per class and the AUC of the scores; then the same for the
classic detector (core/lessons/classic_detector.py).
Run: python benchmarks/classify_held_out_photos.py            (apt-get install opencv-doc first)
     python benchmarks/classify_held_out_photos.py --neurons PATH/face_neurons.json
     python benchmarks/classify_held_out_photos.py --manifest DIR/manifest.json    (another set of photos)
     python benchmarks/classify_held_out_photos.py --classic       (the classic detector only)

A manifest is a JSON list of {"file", "label", "note", "face_px", "short_px"}: the photos sit in DIR/photos/,
label 1 = a person's face can be seen; face_px is the biggest face's side, short_px the photo's shorter side (a
face under a sixth of it is a small face). Its photos have no labelled boxes, so no box line is printed.
"""

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classify_photos import FRAMED_IOU, box_iou, classic_report, print_totals  # noqa: E402  (the dev set's rules)

from core.data import images  # noqa: E402
from core.lessons import detector, face_training  # noqa: E402

DOC = Path("/usr/share/doc/opencv-doc")
DATA = DOC / "examples" / "data"
HTML = DOC / "opencv4" / "html"

# (folder, file, crop box (left, top, right, bottom) or None, note)
PEOPLE = [
    (HTML, "227943776_1.jpg", None, "portrait, head and shoulders"),
    (HTML, "230501201_1.jpg", None, "portrait, head and shoulders"),
    (HTML, "face_swapped.jpg", None, "portrait, a face swapped in"),
    (HTML, "example.jpg", (0, 0, 387, 580), "portrait with glasses, the left panel"),
    (HTML, "GCC_CMake_Example_Tutorial.jpg", None, "Lena in a window"),
    (HTML, "Template_Matching_Original_Image.jpg", None, "small faces: two men in a glider, black and white"),
    (HTML, "inpaint_basics.jpg", (0, 0, 225, 168), "a couple, an old damaged photo, the left panel"),
    (DATA, "messi5.jpg", None, "small face: a footballer on a pitch"),
    (DATA, "basketball1.png", None, "small face: a man in a corridor"),
]
SMALL_FACES = {"messi5.jpg", "basketball1.png", "Template_Matching_Original_Image.jpg"}
# The faces, as (top, left, side) in pixels of the photo as held_out_set() loads it (after its crop), labelled by
# hand on a grid drawn over each photo (mid-forehead to chin, cheek to cheek, as benchmarks/classify_photos.py's
# FACE_BOXES); a photo of two people has two. The box the finder outlines is on the face when its intersection over
# union with one of them is at least FRAMED_IOU. Faces under a sixth of the shorter side are not labelled.
FACE_BOXES = {"227943776_1.jpg": [(135, 150, 150)], "230501201_1.jpg": [(270, 180, 320)],
              "face_swapped.jpg": [(100, 108, 112)], "example.jpg": [(200, 42, 310)],
              "GCC_CMake_Example_Tutorial.jpg": [(110, 88, 58)],
              "inpaint_basics.jpg": [(94, 58, 40), (27, 130, 42)]}
OTHERS = [
    (DATA, name, None, "") for name in (
        "aero1.jpg", "aero3.jpg", "aloeL.jpg", "apple.jpg", "baboon.jpg", "blox.jpg", "board.jpg",
        "box_in_scene.png", "building.jpg", "butterfly.jpg", "chicky_512.png", "fruits.jpg", "graf1.png",
        "HappyFish.jpg", "home.jpg", "leuvenA.jpg", "licenseplate_motion.jpg", "orange.jpg", "rubberwhale1.png",
        "smarties.png", "squirrel_cls.jpg", "starry_night.jpg", "stuff.jpg", "sudoku.png")
]


def held_out_set():
    """[(name, label, Pillow image, note)], or None when opencv-doc is not installed."""
    if not DATA.is_dir() or not HTML.is_dir():
        return None
    out = []
    for label, group in ((1, PEOPLE), (0, OTHERS)):
        for folder, name, crop, note in group:
            im = images.load_image((folder / name).read_bytes())
            if crop is not None:
                im = im.crop(crop)
            out.append((name, label, im, note))
    return out


def manifest_set(path):
    """[(name, label, Pillow image, note)] and the names of the small faces, from a manifest (module docstring)."""
    path = Path(path)
    rows = json.loads(path.read_text())
    out, small = [], set()
    for row in rows:
        im = images.load_image((path.parent / "photos" / row["file"]).read_bytes())
        out.append((row["file"], int(row["label"]), im, row.get("note", "")))
        if row["label"] and row.get("face_px") and row["face_px"] < detector.SMALLEST_FRACTION * row["short_px"]:
            small.add(row["file"])
    return out, small


def main():
    small_faces, boxes = SMALL_FACES, FACE_BOXES
    if "--manifest" in sys.argv:
        photos, small_faces = manifest_set(sys.argv[sys.argv.index("--manifest") + 1])
        boxes = {}
    else:
        photos = held_out_set()
    if photos is None:
        sys.exit("opencv-doc is not installed: apt-get install opencv-doc")
    if "--neurons" in sys.argv:
        doc = json.loads(Path(sys.argv[sys.argv.index("--neurons") + 1]).read_text())
        finders = face_training.from_document(doc)
    else:
        finders = face_training.load_bundled()
    print(f"{sum(p[1] for p in photos)} photos of people ({len(small_faces)} with small faces), "
          f"{sum(1 - p[1] for p in photos)} without a person")
    for rep, finder in (() if "--classic" in sys.argv else finders.items()):
        neuron = finder.neuron
        print(f"\n== {rep}: threshold {neuron.threshold:.3f}")
        rows = []
        for name, label, im, note in photos:
            scan = detector.scan(neuron, im)
            right = (scan.score >= neuron.threshold) == bool(label)
            verdict = neuron.verdict(scan.score)
            iou = max((box_iou(scan, im, box) for box in boxes.get(name, ())), default=None)
            rows.append((name, label, right, scan.score, verdict, iou))
            box = "" if iou is None else f"box IoU {iou:.2f} {'framed' if iou >= FRAMED_IOU else 'MISSED'}  "
            print(f"  {name:38s} {'person' if label else 'other':6s} {im.size[0]:4d}×{im.size[1]:<4d} "
                  f"score {scan.score:.3f} {verdict:9s} {'right' if right else 'WRONG'}  {box}{note}")
        print_totals([(r[0], r[1], r[2], r[4]) for r in rows], small_faces)
        large = [r for r in rows if r[1] == 1 and r[0] not in small_faces]
        others = [r for r in rows if r[1] == 0]
        ious = [r[5] for r in rows if r[5] is not None]
        if ious:
            print(f"  face box on the face (IoU ≥ {FRAMED_IOU}): {sum(i >= FRAMED_IOU for i in ious)} / {len(ious)}")
        # Threshold-free: how often a face big enough to scan scores above a face-free photo (the area under the
        # ROC curve), so that recipes can be compared apart from where their threshold fell.
        f, o = np.array([r[3] for r in large]), np.array([r[3] for r in others])
        auc = np.mean((f[:, None] > o[None, :]) + 0.5 * (f[:, None] == o[None, :]))
        print(f"  a face scores above a face-free photo in {auc:.1%} of the {f.size * o.size} pairs (AUC)")
    boxes = {name: [(t, left, side) for t, left, side in b] for name, b in boxes.items()}
    classic_report([(name, label, im) for name, label, im, _ in photos], boxes, small_faces)


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
