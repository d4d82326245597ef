"""Classify real photos: the face finder at default settings, no manual crop, on photos it never trained on.

Dev set (measured on, never trained on):
- people: ../shared/photos/ (obama.jpg, biden.jpg, alex-lacamoire.png) when present, scikit-image's astronaut and
  camera, tests/fixtures/face.jpg;
- not faces: scikit-image's coffee, chelsea, rocket, horse, brick, scikit-learn's china.jpg and flower.jpg,
  tests/fixtures/cat.jpg.
The face-free photos the neurons trained on (data/scenes.npz) are other ones (core/face_training.py).

Prints one line per photo and representation, the totals per class, and each neuron's LFW test accuracy.
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

from core import detector, face_training, images  # noqa: E402

# The dev portraits live beside the repository, never in it: ../shared/photos (or one level higher).
SHARED = next((p for p in (ROOT.parent / "shared" / "photos", ROOT.parent.parent / "shared" / "photos")
               if p.is_dir()), ROOT.parent / "shared" / "photos")


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
    """[(name, label, score, verdict, right)] at default settings: the scan's verdict, no manual crop.

    "right" compares score ≥ threshold with the label; "unsure" is reported beside it, not counted apart.
    """
    rows = []
    for name, label, im in photos:
        scan = detector.scan(neuron, im)
        verdict = neuron.verdict(scan.score)
        said_face = scan.score >= neuron.threshold
        rows.append((name, label, scan.score, verdict, said_face == bool(label)))
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
        for name, label, score, verdict, right in rows:
            truth = "person" if label else "other"
            print(f"  {name:20s} {truth:6s} score {score:.3f}  {verdict:10s} {'right' if right else 'WRONG'}")
        for label, what in ((1, "people"), (0, "others")):
            group = [r for r in rows if r[1] == label]
            print(f"  {what}: {sum(r[4] for r in group)} / {len(group)} right")
        total = sum(r[4] for r in rows)
        unsure = sum(r[3] == "unsure" for r in rows)
        print(f"  total: {total} / {len(rows)} right ({total / len(rows):.0%}); {unsure} marked unsure")


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
