"""Two neurons in a row (a cascade): a window is a face only if both the edges and the pixels neuron say so.

An experiment on the bundled neurons, not what the page does. Classic detectors (Viola and Jones) chain simple
classifiers: a window must pass each one. Here the two bundled neurons scan the same windows of a photo (the same
pyramid, the same stride), so each window has an edges z_e and a pixels z_p (z = wᵀx + b). The cascade's z for a
window is

    z = min(z_e − z_e*, z_p − z_p* − d)

where z* is each neuron's own threshold on the z scale and d moves the pixels neuron's bar (d < 0 lowers it). The
window's a = σ(z) then goes through the page's own scoring (non-maximum suppression, place scores: the photo's face
score is core.lessons.detector.Scan.score computed on these a). d = "edges" is the edges neuron alone.

For each d the threshold is chosen as the bundled neurons' was: on the validation split (validation faces pasted
into the validation photos, against those photos without a face: core.lessons.face_training.validation_photos and
pick_threshold). Then the held-out photos are scored: set A (Debian's opencv-doc photos, as
benchmarks/classify_held_out_photos.py) and, with --manifest, another set (set B).

Run: python benchmarks/face_cascade.py                                 (apt-get install opencv-doc first)
     python benchmarks/face_cascade.py --manifest DIR/manifest.json    (set B, rebuilt as its results file says)
Results: benchmarks/results/face-cascade-2026-12-04.md.
"""

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import classify_held_out_photos as held_out  # noqa: E402

from core.data.datasets import load_scenes  # noqa: E402
from core.lessons import detector, face_training  # noqa: E402

OFFSETS = ("edges", -6, -4, -3, -2, -1.5, -1, -0.5, 0, 1)


def logit(a):
    a = np.clip(np.asarray(a, dtype=np.float64), 1e-12, 1 - 1e-12)
    return np.log(a) - np.log1p(-a)


def both_scans(edges, pixels, im):
    """(boxes, z_e, z_p) of every window of the photo, both neurons on the same windows."""
    se, sp = detector.scan(edges, im), detector.scan(pixels, im)
    assert np.array_equal(se.boxes, sp.boxes)
    return se.boxes, logit(se.A[0]), logit(sp.A[0])


def face_score(edges, pixels, scanned, d):
    """The photo's face score (the page's place score) on the cascade's a, for pixel offset d."""
    boxes, z_e, z_p = scanned
    z = z_e - logit(edges.threshold)
    if d != "edges":
        z = np.minimum(z, z_p - logit(pixels.threshold) - d)
    a = 1 / (1 + np.exp(-z))
    kept = detector.non_max_suppression(boxes, a, max_kept=detector.CANDIDATES)
    return float(np.max(detector.place_scores(boxes, a, kept)))


def auc(faces, others):
    f, o = np.asarray(faces)[:, None], np.asarray(others)[None, :]
    return float(np.mean((f > o) + 0.5 * (f == o)))


def main():
    finders = face_training.load_bundled()
    edges, pixels = finders["edges"].neuron, finders["pixels"].neuron
    _, _, val_faces, _, _, _ = face_training.splits(0)
    scenes = load_scenes()
    with_face, without = face_training.validation_photos(
        val_faces, [scenes[n] for n in face_training.VALIDATION_SCENES], 0)
    val_f = [both_scans(edges, pixels, im) for im in with_face]
    val_o = [both_scans(edges, pixels, im) for im in without]
    if "--manifest" in sys.argv:
        photos, small = held_out.manifest_set(sys.argv[sys.argv.index("--manifest") + 1])
    else:
        photos, small = held_out.held_out_set(), held_out.SMALL_FACES
        if photos is None:
            sys.exit("opencv-doc is not installed: apt-get install opencv-doc")
    rows = [(name, label, both_scans(edges, pixels, im)) for name, label, im, _ in photos]
    n_people = sum(label for _, label, _ in rows)
    print(f"validation: {len(val_f)} photos with a pasted face, {len(val_o)} without; "
          f"held out: {n_people} photos of people ({len(small)} with small faces), {len(rows) - n_people} without")
    print("| d | threshold (validation) | validation: faces, photos, AUC | people (faces big enough) | face-free "
          "| total | AUC (big faces against face-free) |")
    print("|---|---|---|---|---|---|---|")
    for d in OFFSETS:
        f = np.array([face_score(edges, pixels, s, d) for s in val_f])
        o = np.array([face_score(edges, pixels, s, d) for s in val_o])
        t = face_training.pick_threshold(f, o)
        scores = [(name, label, face_score(edges, pixels, s, d)) for name, label, s in rows]
        people = [r for r in scores if r[1]]
        big = [r for r in people if r[0] not in small]
        others = [r for r in scores if not r[1]]
        right_people = sum(r[2] >= t for r in people)
        right_big = sum(r[2] >= t for r in big)
        right_others = sum(r[2] < t for r in others)
        total = right_people + right_others
        print(f"| {d} | {t:.3f} | {np.mean(f >= t):.0%}, {np.mean(o < t):.0%}, {auc(f, o):.3f} "
              f"| {right_people} / {len(people)} ({right_big} / {len(big)}) | {right_others} / {len(others)} "
              f"| {total} / {len(scores)} ({total / len(scores):.0%}) "
              f"| {auc([r[2] for r in big], [r[2] for r in others]):.3f} |")


if __name__ == "__main__":
    main()
