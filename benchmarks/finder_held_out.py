"""The face finder on photos nothing was tuned on: LFW test-split faces pasted into held-out face-free photos.

Held-out photos: scikit-image sample photos with no face that Basin neither bundles nor measures elsewhere
(moon, page, microaneurysms, the left view of stereo_motorcycle), grey and shrunk to a shorter side of 150 as
data/scenes.npz is. No training, mining or threshold reads them. The bundled face neurons were not chosen on this
check. The framing neuron's rule was chosen on validation photos (`validation_with_faces`), but this check was
run on it and on the framing recipes that were not adopted before the choice, and on the off-centre recipes of
benchmarks/results/face-framing-2026-12-01.md: it is unbiased for the face neurons, not quite for the box.
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
     python benchmarks/finder_held_out.py --framing    (the framing-neuron experiment, see `framing_experiment`)
"""

import json
import sys
from dataclasses import replace
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


def paste_at_random(rng, scenes, face):
    """The face pasted into one of the scenes, at a random place and size (side MIN_SIDE px up to the photo's
    shorter side): (photo, (top, left, side))."""
    photo = scenes[rng.integers(len(scenes))]
    h, w = photo.shape
    side = int(rng.integers(MIN_SIDE, min(h, w) + 1))
    top, left = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
    return face_training.paste(photo, face, top, left, side), (top, left, side)


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
        with_face += [paste_at_random(rng, scenes, face) for _ in range(PLACEMENTS)]
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


# ---------------------------------------------------------------- the framing-neuron experiment
#
# Whether and where, separated: the edges neuron gives the face score (so no verdict can change), and a second
# neuron, trained on the same HOG features by the same gradient descent (face_training.fit), chooses the box among
# the windows the first one rates high. F* and G*: framing neurons trained on windows made to frame a pasted face
# well or wrongly (core.data.augment.framings), not adopted; "bundled": the framing neuron in
# data/face_neurons.json (face_training.train_framer: the face neuron's own best windows on pasted faces). Each
# framing neuron's rule is chosen on the validation photos. Results: benchmarks/results/face-framing-2026-12-02.md.

FRAMERS = {   # name: (well-framed windows, wrong windows of each kind, wrong kinds, feather, extra negatives)
    "F1": (2000, 1000, ("shifted", "part", "wide"), 0.0, ()),
    "F2": (2000, 1000, ("shifted", "part", "wide"), 0.0, ("crops", "parts")),
    "F3": (3000, 2000, ("shifted", "part", "wide"), 0.0, ()),
    "F4": (2000, 1000, ("shifted", "wide"), 0.0, ()),
    "F5": (3000, 2000, ("shifted", "part", "wide"), 0.0, ("mined",)),
    "G1": (3000, 2000, ("shifted", "part", "wide"), 0.1, ()),
    "G2": (3000, 2000, ("shifted", "part", "wide"), 0.2, ()),
}
# Which windows may carry the box: ("margin", δ) a ≥ max a − δ; ("top", k) the k highest a; ("place", δ) the
# neighbours (overlap > 0.3) of every kept candidate whose place score is within δ of the best; ("near", c, δ) the
# windows sharing at least c of the smaller one's area with such a candidate (sides within 3×).
CANDIDATE_SETS = ([("margin", d) for d in (0.03, 0.1, 0.4)] + [("top", k) for k in (30, 100, 300, 1000)]
                  + [("place", d) for d in (0.0, 0.03, 0.1)] + [("near", c, d) for c in (0.5, 0.7) for d in (0.0, 0.1)])
CHOICES = ("f", "a·f", "z+z_f")     # pick the window with the highest framing a_f, a·a_f, or log-odds sum
VALIDATION_PLACEMENTS = 5
VALIDATION_SEED = 777


def train_framers(seed=0):
    """{name: (w (576, 1), b)}: every recipe in FRAMERS, trained by face_training.fit on training faces and scenes."""
    from core.data import augment
    from core.data.datasets import load_scenes

    train_faces = face_training.splits(seed)[0]
    scenes = load_scenes()
    photos = [scenes[n] for n in face_training.TRAIN_SCENES]
    faces = np.concatenate([train_faces, augment.augment(train_faces, face_training.COPIES, seed)])
    mined = face_training.mine(face_training.load_bundled()["edges"].neuron, photos, seed=seed)[0]
    out = {}
    for name, (n_well, n_wrong, kinds, feather, extra) in FRAMERS.items():
        well = augment.framings(faces, photos, n_well, "well", seed, feather=feather)
        wrong = [augment.framings(faces, photos, n_wrong, kind, seed + 1 + i, feather=feather)
                 for i, kind in enumerate(kinds)]
        wrong += [augment.random_crops(photos, 1500, seed)] if "crops" in extra else []
        wrong += [augment.face_parts(train_faces, 500, seed)] if "parts" in extra else []
        wrong += [mined] if "mined" in extra else []
        wrong = np.concatenate(wrong)
        X = detector.features(np.concatenate([well, wrong]), "edges")
        Y = np.r_[np.ones(len(well)), np.zeros(len(wrong))][None, :]
        w, b, _, _ = face_training.fit(X, Y, face_training.DEFAULTS["iterations"], face_training.DEFAULTS["lambd"])
        out[name] = (w, b)
    framer = face_training.load_bundled()["edges"].neuron.framer
    out["bundled"] = (framer.w, framer.b)
    return out


def validation_with_faces(seed=VALIDATION_SEED):
    """Validation faces pasted into the validation scenes, as held_out_photos does: [(photo, (top, left, side))].

    The rules are chosen on these (faces and photos the threshold is chosen on, never measured on).
    """
    from core.data.datasets import load_scenes

    rng = np.random.default_rng(seed)
    scenes = [load_scenes()[n].astype(np.float64) for n in face_training.VALIDATION_SCENES]
    out = []
    for face in face_training.splits()[2]:
        out += [paste_at_random(rng, scenes, face) for _ in range(VALIDATION_PLACEMENTS)]
    return out


def scan_both(neuron, W, B, work):
    """The scan of `work` by the verdict neuron, and every framing neuron's a_f on the same windows (F: (k, m))."""
    result = detector.scan(neuron, work)
    columns = [detector.level_features(level, *detector.window_grid(level.shape), "edges")
               for _, level in detector.pyramid(work)]
    return result, 1 / (1 + np.exp(-(W.T @ np.hstack(columns) + B)))     # (k, m): a_f of every window


def candidates(result, rule):
    a, boxes = result.A[0], result.boxes
    if rule[0] == "margin":
        return np.flatnonzero(a >= a.max() - rule[1])
    if rule[0] == "top":
        return np.argsort(-a, kind="stable")[:rule[1]]
    good = result.kept[result.scores >= result.scores.max() - rule[-1]]
    near = np.zeros(len(a), dtype=bool)
    for i in good:
        iou = detector.overlap(boxes[i], boxes)
        if rule[0] == "place":
            near |= iou > detector.NEIGHBOUR_OVERLAP
        else:
            inter = iou * (boxes[i, 2] ** 2 + boxes[:, 2] ** 2) / (1 + iou)
            ratio = boxes[:, 2] / boxes[i, 2]
            near |= (inter / np.minimum(boxes[i, 2], boxes[:, 2]) ** 2 >= rule[1]) & (1 / 3 < ratio) & (ratio < 3)
    return np.flatnonzero(near)


def framed_box(result, f, rule, choice, mean_of_top):
    """The box chosen among candidates(result, rule) by `choice`: one window, or the mean of the 5 best around it."""
    a, boxes = result.A[0], result.boxes
    clipped = np.clip(f, 1e-12, 1 - 1e-12)
    value = {"f": f, "a·f": a * f, "z+z_f": np.log(a / (1 - a)) + np.log(clipped / (1 - clipped))}[choice]
    C = candidates(result, rule)
    best = C[np.argmax(value[C])]
    if not mean_of_top:
        return boxes[best]
    near = C[detector.overlap(boxes[best], boxes[C]) > detector.NEIGHBOUR_OVERLAP]
    top = near[np.argsort(-value[near], kind="stable")[:detector.TOP_NEIGHBOURS]]
    weights = value[top] - value[top].min() + 1e-9 if choice == "z+z_f" else value[top]
    return weights @ boxes[top] / weights.sum()


def framing_experiment():
    """Every framer × rule on three sets: validation (rules chosen here), held out, dev (real photos)."""
    import classify_photos

    neuron = replace(face_training.load_bundled()["edges"].neuron, framer=None)
    framers = train_framers()
    names = list(framers)
    W = np.hstack([framers[n][0] for n in names])
    B = np.array([framers[n][1] for n in names])[:, None]
    sets = {"validation": validation_with_faces(), "held out": held_out_photos()[0], "dev": []}
    for name, _label, im in classify_photos.dev_set():
        if name in classify_photos.FACE_BOXES:
            work = detector.work_copy(im)
            k = im.size[1] / work.shape[0]
            sets["dev"].append((work, tuple(np.array(classify_photos.FACE_BOXES[name]) / k)))
    scans = {key: [(scan_both(neuron, W, B, photo), box) for photo, box in photos] for key, photos in sets.items()}

    def rate(pick):
        return {key: np.mean([detector.overlap(np.array(box, float), np.array([pick(r, F)]))[0] >= 0.5
                              for (r, F), box in items]) for key, items in scans.items()}

    base = rate(lambda r, F: r.best_box)
    print(f"bundled box: validation {base['validation']:.0%}, held out {base['held out']:.0%}, "
          f"dev {round(base['dev'] * 6)} / 6")
    rows = []
    for j, name in enumerate(names):
        for rule in CANDIDATE_SETS:
            for choice in CHOICES:
                for mean_of_top in (False, True):
                    r = rate(lambda res, F, rule=rule, choice=choice, m=mean_of_top, j=j:
                             framed_box(res, F[j], rule, choice, m))
                    rows.append((name, rule, choice, mean_of_top, r))
    for name in names:
        mine = [row for row in rows if row[0] == name]
        for why, key in (("chosen on validation", "validation"), ("best held out", "held out"), ("best dev", "dev")):
            name_, rule, choice, m, r = max(mine, key=lambda row, key=key: row[4][key])
            print(f"{name_:7s} {why:22s} {str(rule):18s} {choice:6s} {'mean of 5' if m else 'one window':10s} "
                  f"validation {r['validation']:.0%}  held out {r['held out']:.0%}  dev {round(r['dev'] * 6)} / 6")
    print(f"{len(rows)} rules in all; dev ≥ 2 / 6 in {sum(round(r[4]['dev'] * 6) >= 2 for r in rows)}, "
          f"≥ 3 / 6 in {sum(round(r[4]['dev'] * 6) >= 3 for r in rows)}, ≥ 4 / 6 in "
          f"{sum(round(r[4]['dev'] * 6) >= 4 for r in rows)}")


def main():
    if "--framing" in sys.argv:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        return framing_experiment()
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
