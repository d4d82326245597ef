"""Training a face neuron that works on real photos, not only on its test split.

The recipe (the same for both representations, pixels and edges):
1. Split the bundled faces: the test split stays as it is (core.data.datasets.binary_task("faces")); a fifth of
   the training split becomes a validation split.
2. Positives: the training faces and `copies` changed versions of each (core.data.augment).
3. Negatives: the bundled non-faces, random crops of face-free photos (data/scenes.npz) and blown-up parts
   of training faces (an eye, a mouth: not a whole face); optionally (off_centre > 0) windows that cut through a
   training face pasted into a face-free photo.
4. Train by batch gradient descent from w = 0 (core.maths.logistic), as every neuron in Basin, on centred features
   with α from the curvature of J (see `fit`).
5. Hard-negative mining, `rounds` times: scan the face-free photos, add the windows that fooled the neuron
   (a > 0.5), train again. The counts per round are kept, for the page to show.
6. The scan skips windows flatter than every training face (`least_contrast` of the positives: a dark suit or a
   clear sky, whose faint noise HOG's normalisation stretches into strong edges). Then pick the threshold on the
   validation split: the face score of a scan (core.lessons.detector.Scan.score) of validation faces pasted
   into validation photos, against that of validation photos without a face; the value that gets most of both
   right.
7. For edges, a second neuron chooses where the box goes (`train_framer`): the framing neuron, trained by the
   same gradient descent on the same features, on faces framed well against windows that frame them badly,
   taken from the face neuron's own best windows on training faces pasted into training photos. It never
   changes the face score (benchmarks/results/face-framing-2026-12-02.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from core.data import augment
from core.data.datasets import binary_task, load_scenes
from core.lessons import detector
from core.maths.logistic import gradient_descent, initialize_with_zeros

TRAIN_SCENES = ("text", "grass", "gravel", "retina", "immunohistochemistry", "cell")
VALIDATION_SCENES = ("clock", "hubble_deep_field")
SCENE_LABELS = {"text": "text", "grass": "grass", "gravel": "gravel", "retina": "retina",   # short, for pictures
                "immunohistochemistry": "tissue", "cell": "cell", "clock": "clock", "hubble_deep_field": "Hubble"}
# (scikit-image's "coins" are Greek coins with heads on them: not face-free, so not used.)
DEFAULTS = {"iterations": 300, "lambd": 1.0}   # α comes from the curvature of J (see `fit`)
COPIES = 20            # changed versions of each training face
RANDOM_CROPS = 3000    # crops of face-free photos
FACE_PARTS = 1500      # close-ups of parts of training faces (an eye, a mouth): not a whole face
OFF_CENTRE = 0         # windows cutting through a training face pasted into a face-free photo (augment.off_centre).
                       # Off: with 500 to 4,000 of them the box lands on the face a little more often, but the
                       # verdicts on real photos get worse (benchmarks/results/face-framing-2026-12-01.md)
ROUNDS = 2             # hard-negative mining rounds
MINED_PER_PHOTO = 150  # at most this many fooling windows per photo and round
VALIDATION_FRACTION = 0.2
VALIDATION_COPIES = 3  # changed versions of each validation face, pasted into validation photos
VALIDATION_CROPS = 4   # random squares of each validation photo, besides the photo and its quarters
UNSURE_WIDTH = 0.5     # a score within ±0.5 of the threshold on the z scale (z = wᵀx + b) is "unsure"
FRAMER_COPIES = 4      # changed versions of each training face pasted into a training photo for the framing neuron
FRAMER_TOP = 60        # the face neuron's best windows in each of those photos, labelled by how they frame the face
FRAMED_WELL = 0.6      # a window overlapping the pasted face by at least this (intersection over union) frames it
FRAMED_BADLY = 0.3     # at most this: it frames it badly (beside it, a part of it, or the face and much around it)


@dataclass(frozen=True)
class MiningRound:
    """One round: how many training windows, how many scanned windows fooled the neuron (a > 0.5)."""

    positives: int
    negatives: int
    fooled: int
    scanned: int


@dataclass(frozen=True)
class TrainedFinder:
    """A trained face neuron, how it was made and how well it does.

    neuron : core.lessons.detector.Neuron
    rounds : list of MiningRound (round 0 is before any mining)
    cost : ndarray, J per step of the last training
    test_accuracy : float, on the bundled test split (single 25 × 25 windows, threshold 0.5)
    validation : dict, scores used to pick the threshold: "faces" (k,), "photos" (p,)
    """

    neuron: detector.Neuron
    rounds: list
    cost: np.ndarray
    test_accuracy: float
    validation: dict


def splits(seed=0):
    """(train faces, train non-faces, validation faces, validation non-faces, test images, test labels).

    Images are uint8 ndarrays (k, 25, 25); the test split is binary_task("faces")'s.
    """
    task = binary_task("faces")
    rng = np.random.default_rng(seed)
    y = task.Y_train[0]
    out = []
    for label in (1, 0):
        group = task.images_train[y == label]
        order = rng.permutation(len(group))
        n_val = round(VALIDATION_FRACTION * len(group))
        out.append((group[order[n_val:]], group[order[:n_val]]))
    (train_faces, val_faces), (train_non, val_non) = out
    return train_faces, train_non, val_faces, val_non, task.images_test, task.Y_test[0]


def largest_curvature(X, steps=50):
    """λ_max of the Hessian bound XXᵀ/(4m) of the log-loss, by power iteration (a float)."""
    m = X.shape[1]
    v = np.ones((X.shape[0], 1)) / np.sqrt(X.shape[0])
    for _ in range(steps):
        v = X @ (X.T @ v)
        v /= np.linalg.norm(v)
    return float(np.linalg.norm(X @ (X.T @ v))) / (4 * m)


def fit(X, Y, iterations, lambd):
    """Gradient descent from zeros on centred features: (w (n_x, 1), b, cost per step, α).

    Every feature is ≥ 0 (pixels, edge strengths), so their common mean makes J a long narrow valley: the
    Hessian's largest eigenvalue is large and only a tiny α converges. Subtracting each feature's mean μ
    (over the training columns) removes that direction; α = 1/λ_max then comes from the curvature of the
    centred J, not from a guess. Afterwards the mean goes into b: wᵀ(x − μ) + b = wᵀx + (b − wᵀμ).
    """
    mu = X.mean(axis=1, keepdims=True)                       # (n_x, 1)
    Xc = X - mu
    alpha = 1.0 / largest_curvature(Xc)
    w, b = initialize_with_zeros(X.shape[0])
    run = gradient_descent(w, b, Xc, Y, alpha, iterations, lambd=lambd, record_params=False)
    w = run.last_w.copy()
    return w, float(run.b[-1]) - float((w.T @ mu)[0, 0]), run.cost, alpha


def mine(neuron, photos, limit=MINED_PER_PHOTO, seed=0):
    """Windows of face-free photos that the neuron calls a face (a > 0.5): (windows (k, 25, 25), scanned count).

    At most `limit` per photo, the highest a first: the ones that fool it most.
    """
    found, scanned = [], 0
    for photo in photos:
        result = detector.scan(neuron, photo.astype(np.float64))
        scanned += result.A.shape[1]
        fooled = np.flatnonzero(result.A[0] > 0.5)
        fooled = fooled[np.argsort(-result.A[0, fooled], kind="stable")][:limit]
        found.extend(window_pixels(photo.astype(np.float64), result.boxes[fooled]))
    windows = np.array(found).reshape(-1, detector.WINDOW, detector.WINDOW)
    return windows, scanned


def window_pixels(work, boxes):
    """Cut (top, left, side) boxes out of a grey work copy, each shrunk to 25 × 25: list of ndarrays."""
    out = []
    for top, left, side in boxes:
        t, c, s = int(round(top)), int(round(left)), int(round(side))
        t, c = min(t, work.shape[0] - s), min(c, work.shape[1] - s)
        out.append(augment.shrink(work[t:t + s, c:c + s], detector.WINDOW))
    return out


def paste(photo, image, top, left, side):
    """A copy of photo (h, w) with image (25, 25) enlarged to side × side and pasted at (top, left)."""
    out = np.array(photo, dtype=np.float64)
    grid = (np.arange(side) + 0.5) * image.shape[0] / side - 0.5
    out[top:top + side, left:left + side] = augment._bilinear(
        np.asarray(image, dtype=np.float64), grid[:, None] + 0 * grid[None, :], 0 * grid[:, None] + grid[None, :])
    return out


def validation_photos(faces, scenes, seed=0, copies=VALIDATION_COPIES, crops=VALIDATION_CROPS):
    """Validation photos: (with a face, without one), lists of grey ndarrays.

    With a face: each validation face, changed `copies` times as training faces are (core.data.augment), pasted
    into a validation scene at a random place, its side between 1/5 and 1/2 of the scene's shorter side.
    Without: each validation scene, its four quarters and `crops` random squares of it (at least half its
    shorter side). Non-face patches are not pasted: the pasted square's own border looks like the outline of a
    head to the edges neuron, which no real photo has.
    """
    rng = np.random.default_rng(seed)
    with_face = []
    for face in augment.augment(faces, copies, seed + 1):
        photo = scenes[rng.integers(len(scenes))]
        short = min(photo.shape)
        side = int(rng.integers(short // 5, short // 2 + 1))
        top, left = rng.integers(0, photo.shape[0] - side + 1), rng.integers(0, photo.shape[1] - side + 1)
        with_face.append(paste(photo, face, top, left, side))
    without = []
    for photo in scenes:
        h, w = photo.shape
        photo = photo.astype(np.float64)
        without += [photo] + [photo[r:r + h // 2, c:c + w // 2] for r in (0, h // 2) for c in (0, w // 2)]
        for _ in range(crops):
            side = int(rng.integers(min(h, w) // 2, min(h, w) + 1))
            top, left = rng.integers(0, h - side + 1), rng.integers(0, w - side + 1)
            without.append(photo[top:top + side, left:left + side])
    return with_face, without


def unsure_band(threshold, width=UNSURE_WIDTH):
    """(low, high): the scores within ±width of the threshold measured in z, where σ(z) = a.

    On the z scale the band has the same width wherever the threshold is; on the a scale it narrows near 0 and 1.
    """
    z = np.log(threshold / (1 - threshold))
    return float(1 / (1 + np.exp(-(z - width)))), float(1 / (1 + np.exp(-(z + width))))


def least_contrast(faces):
    """The smallest spread of grey levels (standard deviation, 0..255) of any of these faces: ndarray (m, 25, 25).

    With the training faces and their changed versions (darker, paler, lower contrast), it is the scan's floor
    (detector.Neuron.min_contrast): a window flatter than every face the neuron learned from is not read.
    """
    faces = np.asarray(faces, dtype=np.float64)
    return float(faces.reshape(len(faces), -1).std(axis=1).min())


def pick_threshold(face_scores, photo_scores):
    """The threshold that gets most validation faces (a ≥ t) and face-free photos (best a < t) right.

    Accuracy is balanced (the mean of the two rates); among the best thresholds the middle one is kept.
    """
    candidates = np.unique(np.concatenate([face_scores, photo_scores, [0.5]]))
    mids = np.concatenate([[candidates[0] / 2], (candidates[1:] + candidates[:-1]) / 2,
                           [(candidates[-1] + 1) / 2]])
    balanced = [(np.mean(face_scores >= t) + np.mean(photo_scores < t)) / 2 for t in mids]
    best = np.flatnonzero(np.isclose(balanced, max(balanced)))
    return float(mids[best[len(best) // 2]])


def train_finder(representation="edges", seed=0, rounds=ROUNDS, copies=COPIES, crops=RANDOM_CROPS, parts=FACE_PARTS,
                 off_centre=OFF_CENTRE, framing=True, progress: Callable[[str], None] | None = None, **settings):
    """Run the whole recipe for one representation ("edges" or "pixels"). Returns TrainedFinder.

    For edges (and framing=True) the neuron carries a framing neuron (`train_framer`) that chooses the box.
    """
    hp = {**DEFAULTS, **settings}
    say = progress or (lambda text: None)
    train_faces, train_non, val_faces, val_non, test_images, test_labels = splits(seed)
    scenes = load_scenes()
    train_photos = [scenes[name] for name in TRAIN_SCENES]
    positives = np.concatenate([train_faces, augment.augment(train_faces, copies, seed)])
    negatives = np.concatenate([train_non, augment.random_crops(train_photos, crops, seed),
                                augment.face_parts(train_faces, parts, seed),
                                augment.off_centre(train_faces, train_photos, off_centre, seed)])
    history = []
    for r in range(rounds + 1):
        say(f"Training round {r}: {len(positives)} faces, {len(negatives)} non-faces")
        X = detector.features(np.concatenate([positives, negatives]), representation)   # (n_x, m)
        Y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))][None, :]            # (1, m)
        w, b, cost, alpha = fit(X, Y, hp["iterations"], hp["lambd"])
        neuron = detector.Neuron(representation, w, b)
        if r == rounds:
            history.append(MiningRound(len(positives), len(negatives), -1, 0))
            break
        say(f"Mining round {r + 1}: scanning {len(train_photos)} face-free photos")
        fooled, scanned = mine(neuron, train_photos, seed=seed)
        history.append(MiningRound(len(positives), len(negatives), len(fooled), scanned))
        negatives = np.concatenate([negatives, fooled])
    say("Choosing the threshold on the validation split")
    floored = replace(neuron, min_contrast=least_contrast(positives))   # the finished detector skips flat windows
    with_face, without = validation_photos(val_faces, [scenes[n] for n in VALIDATION_SCENES], seed)
    face_scores = np.array([detector.scan(floored, photo).score for photo in with_face])
    photo_scores = np.array([detector.scan(floored, photo).score for photo in without])
    t = pick_threshold(face_scores, photo_scores)
    neuron = replace(floored, threshold=t, unsure=unsure_band(t))
    if representation == "edges" and framing:
        say("Training the framing neuron: where the box goes")
        # from the face neuron's best windows with every window read (min_contrast 0), as it was chosen
        # (benchmarks/results/face-framing-2026-12-02.md); with the floor its boxes on the dev portraits got worse
        framer = train_framer(replace(neuron, min_contrast=0.0), train_faces, train_photos, seed)
        neuron = replace(neuron, framer=framer)
    test_a = neuron.probability(detector.features(test_images, representation))[0]
    return TrainedFinder(neuron=neuron, rounds=history, cost=cost,
                         test_accuracy=float(np.mean((test_a > 0.5) == (test_labels == 1))),
                         validation={"faces": face_scores, "photos": photo_scores})


def framing_windows(neuron, faces, photos, copies=FRAMER_COPIES, seed=0, top=FRAMER_TOP):
    """Windows that frame a face well, and windows that frame it badly, as a scan by `neuron` proposes them.

    Each face, changed `copies` times (core.data.augment), is pasted into a training photo at a random place, its
    side between 28 pixels and the photo's shorter side; the photo is scanned, and of its `top` windows with the
    highest a, those overlapping the face by at least FRAMED_WELL frame it well, those overlapping it by at most
    FRAMED_BADLY frame it badly (the ones in between are left out).
    Returns (well, badly): ndarrays (k, 25, 25) and (j, 25, 25), grey levels.
    """
    rng = np.random.default_rng(seed + 9)
    well, badly = [], []
    for face in augment.augment(faces, copies, seed + 5):
        photo = np.asarray(photos[rng.integers(len(photos))], dtype=np.float64)
        h, w = photo.shape
        side = int(rng.integers(28, min(h, w) + 1))
        t, c = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
        pasted = paste(photo, face, t, c, side)
        result = detector.scan(neuron, pasted)
        best = np.argsort(-result.A[0], kind="stable")[:top]
        iou = detector.overlap(np.array([t, c, side], dtype=np.float64), result.boxes[best])
        well += window_pixels(pasted, result.boxes[best[iou >= FRAMED_WELL]])
        badly += window_pixels(pasted, result.boxes[best[iou <= FRAMED_BADLY]])
    shape = (-1, detector.WINDOW, detector.WINDOW)
    return np.array(well).reshape(shape), np.array(badly).reshape(shape)


def train_framer(neuron, faces, photos, seed=0, copies=FRAMER_COPIES, **settings):
    """The framing neuron for `neuron`: a = σ(w_fᵀx + b_f) near 1 for a window that frames a face well.

    Positives: the training faces, their COPIES changed versions and the windows that frame a pasted face well;
    negatives: the windows around the same pasted faces that frame them badly (`framing_windows`). The same
    features and the same gradient descent (`fit`) as the face neuron. Returns core.lessons.detector.Neuron.
    """
    hp = {**DEFAULTS, **settings}
    well, badly = framing_windows(neuron, faces, photos, copies, seed)
    positives = np.concatenate([faces, augment.augment(faces, COPIES, seed), well])
    X = detector.features(np.concatenate([positives, badly]), neuron.representation)
    Y = np.r_[np.ones(len(positives)), np.zeros(len(badly))][None, :]
    w, b, _, _ = fit(X, Y, hp["iterations"], hp["lambd"])
    return detector.Neuron(neuron.representation, w, b)


# ---------------------------------------------------------------- the bundled neurons (data/face_neurons.json)

NEURONS_FILE = "face_neurons.json"


def to_document(finders):
    """{representation: TrainedFinder} as a JSON-ready dict (numbers only)."""
    doc = {}
    for rep, f in finders.items():
        n = f.neuron
        doc[rep] = {"w": [float(v) for v in n.w.ravel()], "b": float(n.b), "threshold": float(n.threshold),
                    "unsure": [float(v) for v in n.unsure], "min_contrast": float(n.min_contrast),
                    "test_accuracy": float(f.test_accuracy),
                    "rounds": [[r.positives, r.negatives, r.fooled, r.scanned] for r in f.rounds],
                    "final_cost": float(f.cost[-1])}
        if n.framer is not None:
            doc[rep]["framer"] = {"w": [float(v) for v in n.framer.w.ravel()], "b": float(n.framer.b)}
    return doc


@dataclass(frozen=True)
class BundledFinder:
    """A face neuron trained at build time: neuron, test_accuracy, rounds (list of MiningRound), final_cost."""

    neuron: detector.Neuron
    test_accuracy: float
    rounds: list
    final_cost: float


def from_document(doc):
    """The inverse of to_document: {representation: BundledFinder}."""
    out = {}
    for rep in detector.REPRESENTATIONS:
        d = doc[rep]
        neuron = detector.Neuron(rep, _read_only(d["w"]), float(d["b"]), float(d["threshold"]), tuple(d["unsure"]),
                                 min_contrast=float(d.get("min_contrast", 0.0)))
        if "framer" in d:
            neuron = replace(neuron, framer=detector.Neuron(rep, _read_only(d["framer"]["w"]), float(d["framer"]["b"])))
        out[rep] = BundledFinder(neuron, float(d["test_accuracy"]), [MiningRound(*r) for r in d["rounds"]],
                                 float(d["final_cost"]))
    return out


def _read_only(values):
    w = np.array(values, dtype=np.float64).reshape(-1, 1)
    w.flags.writeable = False
    return w


def load_bundled():
    """The two neurons trained by scripts/train_faces.py: {"edges": BundledFinder, "pixels": BundledFinder}."""
    import json

    from core.data.datasets import DATA_DIR
    return from_document(json.loads((DATA_DIR / NEURONS_FILE).read_text()))


@dataclass(frozen=True)
class MostFaceLike:
    """The most face-like window of one face-free photo: what a neuron would call a face in it, if anything."""

    photo: str               # the photo's name in data/scenes.npz
    window: np.ndarray       # (25, 25) grey levels 0..255: the window, shrunk to what the neuron reads
    a: float                 # the neuron's a for that window (as the scan computed it)
    trained_against: bool    # the photo was one of the training scenes (mined), not a validation one


def most_face_like(neuron, scenes=None):
    """For each bundled face-free photo (training scenes first, then validation), its window with the highest a.

    The photos the neuron was mined on beside those kept back show how far mining carries to photos it never saw.
    Returns list of MostFaceLike.
    """
    scenes = load_scenes() if scenes is None else scenes
    out = []
    for name in (*TRAIN_SCENES, *VALIDATION_SCENES):
        photo = np.asarray(scenes[name], dtype=np.float64)
        result = detector.scan(neuron, photo)
        i = int(np.argmax(result.A[0]))
        out.append(MostFaceLike(name, window_pixels(photo, result.boxes[[i]])[0], float(result.A[0, i]),
                                name in TRAIN_SCENES))
    return out


def mean_face():
    """The average of the training faces (the train part of the bundled split): ndarray (25, 25), 0..255."""
    return splits()[0].astype(np.float64).mean(axis=0)


def framing_guide(face=None):
    """Where the eyes and the mouth sit in the average training face: {"left eye": (row, col), ...}.

    Found, not typed in: the darkest pixel of the average face inside a search box for each (the eyes in the
    upper middle, one on each side of the centre line; the mouth in the lower middle). The boxes stay away from
    the border, where the background is dark too.
    """
    face = mean_face() if face is None else face
    n = face.shape[0]

    def darkest(rows, cols):
        patch = face[rows[0]:rows[1], cols[0]:cols[1]]
        r, c = np.unravel_index(np.argmin(patch), patch.shape)
        return int(r + rows[0]), int(c + cols[0])

    eyes = (n // 4, n // 2)                     # rows 6..11 of 25
    return {"left eye": darkest(eyes, (n // 5, n // 2 - 1)), "right eye": darkest(eyes, (n // 2 + 2, n - n // 5)),
            "mouth": darkest((n // 2 + 3, n - n // 8), (n // 3, n - n // 3))}
