"""Training a face neuron that works on real photos, not only on its test split.

The recipe (the same for both representations, pixels and edges):
1. Split the bundled faces: the test split stays as it is (core.datasets.binary_task("faces")); a fifth of
   the training split becomes a validation split.
2. Positives: the training faces and `copies` changed versions of each (core.augment).
3. Negatives: the bundled non-faces and random crops of face-free photos (data/scenes.npz).
4. Train by batch gradient descent from w = 0 (core.logistic), as every neuron in Basin.
5. Hard-negative mining, `rounds` times: scan the face-free photos, add the windows that fooled the neuron
   (a > 0.5), train again. The counts per round are kept, for the page to show.
6. Pick the threshold on the validation split: validation faces against the best window of each validation
   photo (a scan of a face-free photo), the value that gets most of both right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core import augment, detector
from core.datasets import binary_task, load_scenes
from core.logistic import gradient_descent, initialize_with_zeros

TRAIN_SCENES = ("text", "grass", "gravel", "hubble_deep_field", "retina", "immunohistochemistry", "cell")
VALIDATION_SCENES = ("clock", "coins")
DEFAULTS = {
    "edges": {"alpha": 1.0, "iterations": 600, "lambd": 1.0},
    "pixels": {"alpha": 0.5, "iterations": 600, "lambd": 1.0},
}
COPIES = 10            # changed versions of each training face
RANDOM_CROPS = 1500    # crops of face-free photos
ROUNDS = 2             # hard-negative mining rounds
MINED_PER_PHOTO = 150  # at most this many fooling windows per photo and round
VALIDATION_FRACTION = 0.2
UNSURE_WIDTH = 0.1     # a within ±0.1 of the threshold is "unsure"


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

    neuron : core.detector.Neuron
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


def fit(X, Y, alpha, iterations, lambd):
    """Gradient descent from zeros: (w (n_x, 1), b, cost per step)."""
    w, b = initialize_with_zeros(X.shape[0])
    run = gradient_descent(w, b, X, Y, alpha, iterations, lambd=lambd, record_params=False)
    return run.last_w.copy(), float(run.b[-1]), run.cost


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
        t, l, s = int(round(top)), int(round(left)), int(round(side))
        t, l = min(t, work.shape[0] - s), min(l, work.shape[1] - s)
        out.append(augment.shrink(work[t:t + s, l:l + s], detector.WINDOW))
    return out


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


def train_finder(representation="edges", seed=0, rounds=ROUNDS, copies=COPIES, crops=RANDOM_CROPS,
                 progress: Callable[[str], None] | None = None, **settings):
    """Run the whole recipe for one representation ("edges" or "pixels"). Returns TrainedFinder."""
    hp = {**DEFAULTS[representation], **settings}
    say = progress or (lambda text: None)
    train_faces, train_non, val_faces, val_non, test_images, test_labels = splits(seed)
    scenes = load_scenes()
    train_photos = [scenes[name] for name in TRAIN_SCENES]
    positives = np.concatenate([train_faces, augment.augment(train_faces, copies, seed)])
    negatives = np.concatenate([train_non, augment.random_crops(train_photos, crops, seed)])
    history = []
    for r in range(rounds + 1):
        say(f"Training round {r}: {len(positives)} faces, {len(negatives)} non-faces")
        X = detector.features(np.concatenate([positives, negatives]), representation)   # (n_x, m)
        Y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))][None, :]            # (1, m)
        w, b, cost = fit(X, Y, hp["alpha"], hp["iterations"], hp["lambd"])
        neuron = detector.Neuron(representation, w, b)
        if r == rounds:
            history.append(MiningRound(len(positives), len(negatives), -1, 0))
            break
        say(f"Mining round {r + 1}: scanning {len(train_photos)} face-free photos")
        fooled, scanned = mine(neuron, train_photos, seed=seed)
        history.append(MiningRound(len(positives), len(negatives), len(fooled), scanned))
        negatives = np.concatenate([negatives, fooled])
    say("Choosing the threshold on the validation split")
    face_scores = neuron.probability(detector.features(val_faces, representation))[0]
    photo_scores = np.array([detector.scan(neuron, scenes[name].astype(np.float64)).best_a
                             for name in VALIDATION_SCENES]
                            + list(neuron.probability(detector.features(val_non, representation))[0]))
    t = pick_threshold(face_scores, photo_scores)
    neuron = detector.Neuron(representation, w, b, threshold=t,
                             unsure=(max(0.0, t - UNSURE_WIDTH), min(1.0, t + UNSURE_WIDTH)))
    test_a = neuron.probability(detector.features(test_images, representation))[0]
    return TrainedFinder(neuron=neuron, rounds=history, cost=cost,
                         test_accuracy=float(np.mean((test_a > 0.5) == (test_labels == 1))),
                         validation={"faces": face_scores, "photos": photo_scores})
