"""Is there a face? A small convolutional network's answer, when the classic detector finds none.

The classic detector (core.lessons.classic_detector) misses faces that are turned, small or partly covered: on
three sets of real photos nobody tuned it on it found 29 of 32 big faces but only 6 of 14 small ones
(benchmarks/results/classify-held-out-c-2026-12-06.md). Its cascade was trained on frontal faces. Google's BlazeFace
(the "full range" face detector of MediaPipe, Apache 2.0; data/DATA.md) was trained on faces as people photograph
them. It is a convolutional network: 91 layers of neurons, each reading a small patch of the layer before
(core.maths.convnet runs it in numpy). It reads a 192 × 192 picture and answers, for each of 48 × 48 places, how
likely a face is centred there (σ of its last neuron, as our one neuron's a) and where the face's box is.

How the page uses it (`find_faces`):
- the whole photo, shrunk so its longer side is 192 pixels (big faces);
- then overlapping square tiles of half the photo's shorter side (at least 192 pixels, never enlarged), each
  shrunk to 192: a face a twentieth of the shorter side is then about 19 pixels, which the network still finds.
  At most TILES_MOST tiles, so a panorama's time stays bounded;
- the best score over all of them is the photo's: "a face" from FACE_AT, "unsure" from UNSURE_FROM.

The bars were chosen on development photos only (benchmarks/face_network_dev.py,
benchmarks/results/face-network-2026-12-07.md): the face-free development photos' highest score is UNSURE_BELOW,
the faces' median (portraits, and faces pasted small into face-free photos) is about 0.87; "unsure" starts above
every face-free photo and "a face" at the geometric mean of the two, rounded up to the next 0.05, as the classic
detector's bars were chosen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from core.maths import convnet

NETWORK_FILE = Path(__file__).resolve().parents[2] / "data" / "face_network.npz"
SIDE = 192                # the network reads 192 × 192 pictures
GRID_STEP = 4             # one answer per 4 × 4 pixels of its input (48 × 48 places)
MULTIPLE = 32             # its input's sides must be multiples of this (five halvings)
TILES_MOST = 16           # at most this many tiles per photo (20–30 ms each here)
TILE_STEP = 0.75          # tiles overlap by a quarter: a face up to a quarter of a tile is whole in one of them
FACE_AT = 0.75            # the photo's best score: "a face" from here
UNSURE_FROM = 0.62        # "unsure" from here to FACE_AT; below: "not a face"
UNSURE_BELOW = 0.615      # the highest score of a face-free development photo (scikit-image's logo), measured
OVERLAP = 0.3             # two boxes overlapping more than this (intersection over union) are one face
VERDICTS = ("face", "unsure", "not a face")


# How often the page's verdict (the cascade, then this network) was right on real photos nobody tuned either on: the
# three held-out sets together (118 photos), "All three held-out sets" in HELD_OUT_RESULTS, measured once with the
# bars above. A big face is at least a sixth of the photo's shorter side. tests/unit/test_classic_record.py checks
# these numbers against that file.
HELD_OUT_RESULTS = "benchmarks/results/face-network-2026-12-07.md"
HELD_OUT = {"big faces": (31, 32), "small faces": (13, 14), "face-free photos": (71, 72)}


def record_sentence():
    """What the two detectors' answers are worth together, in words: their record on photos nobody tuned them on."""
    from core.lessons.classic_detector import record_counts  # (it imports this module)

    big, n_big, small, n_small, free, n_free = record_counts(HELD_OUT)
    return (f"How far to trust the two detectors together: on {n_big + n_small + n_free} real photos nobody tuned "
            f"them on, they found the face in {big} of {n_big} photos of people whose face is at least a sixth of "
            f"the photo's shorter side and in {small} of {n_small} with smaller faces, and called {n_free - free} of "
            f"{n_free} photos without a person a face.")


@lru_cache(maxsize=1)
def network():
    """The bundled network, read once per process."""
    return convnet.load(NETWORK_FILE)


def verdict(score, face_at=FACE_AT, unsure_from=UNSURE_FROM):
    """"face", "unsure" or "not a face" for the photo's best score."""
    if score >= face_at:
        return "face"
    return "unsure" if score >= unsure_from else "not a face"


def read(picture):
    """The network's answer for one picture.

    picture : uint8 ndarray (h, w, 3), RGB, both sides at most SIDE (a tile or a shrunk photo); it is placed in the
        middle of a SIDE × SIDE input, the rest black (as MediaPipe pads).
    Returns (scores (n,) in 0..1, boxes (n, 4): centre x, centre y, width, height in the picture's pixels).
    """
    h, w = picture.shape[:2]
    if h > SIDE or w > SIDE:
        raise ValueError(f"a picture at most {SIDE} pixels a side, not {w} × {h}")
    x = np.full((1, SIDE, SIDE, 3), -1.0, dtype=np.float32)
    top, left = (SIDE - h) // 2, (SIDE - w) // 2
    x[0, top:top + h, left:left + w] = picture / np.float32(127.5) - 1  # pixels to -1..1, as it was trained
    raw_boxes, raw_scores = network().run(x)
    places = SIDE // GRID_STEP
    cy, cx = np.meshgrid((np.arange(places) + 0.5) * GRID_STEP, (np.arange(places) + 0.5) * GRID_STEP,
                         indexing="ij")
    raw = raw_boxes[0]
    boxes = np.stack([cx.ravel() + raw[:, 0] - left, cy.ravel() + raw[:, 1] - top, raw[:, 2], raw[:, 3]], axis=1)
    scores = 1 / (1 + np.exp(-np.clip(raw_scores[0, :, 0], -60, 60)))
    return scores, boxes


def tiles(width, height):
    """The square tiles (left, top, side) the photo is read in: side half the shorter side (at least SIDE, at most
    the shorter side), TILE_STEP of a side apart and the last at the edge; none when the photo is no bigger than
    one input. At most TILES_MOST: a longer photo gets bigger tiles (up to its shorter side), then a panorama (more
    than about 12 : 1) tiles further apart than a side."""
    short = min(width, height)
    if short <= SIDE:
        return []
    side = min(short, max(short // 2, SIDE))

    def starts(length):
        if length <= side:
            return [0]
        count = math.ceil((length - side) / (TILE_STEP * side)) + 1
        return sorted({round(i * (length - side) / (count - 1)) for i in range(count)})

    def fewer(positions, length):  # one tile fewer along an axis, spread evenly from edge to edge
        return [round(i * (length - side) / (len(positions) - 2)) for i in range(len(positions) - 1)]

    def step_if_fewer(positions, length):
        return (length - side) / (len(positions) - 2) if len(positions) > 2 else float("inf")

    xs, ys = starts(width), starts(height)
    while len(xs) * len(ys) > TILES_MOST and side < short:  # too many: bigger tiles (up to the shorter side)
        side = min(short, round(side * 1.1))
        xs, ys = starts(width), starts(height)
    while len(xs) * len(ys) > TILES_MOST:  # a panorama: one tile fewer along the axis that keeps more overlap
        if step_if_fewer(xs, width) <= step_if_fewer(ys, height):
            xs = fewer(xs, width)
        else:
            ys = fewer(ys, height)
    return [(x, y, side) for y in ys for x in xs]


def _shrunk(im, scale):
    """The photo resized by `scale` (box averaging; at most 1), in RGB."""
    size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    small = im.resize(size, Image.Resampling.BOX) if size != im.size else im
    return small.convert("RGB")


def overlap(a, b):
    """Intersection over union of two boxes (top, left, side)."""
    top, left = max(a[0], b[0]), max(a[1], b[1])
    bottom, right = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[2], b[1] + b[2])
    inter = max(0.0, bottom - top) * max(0.0, right - left)
    return inter / (a[2] ** 2 + b[2] ** 2 - inter)


@dataclass(frozen=True)
class NetworkFinding:
    """The network's answer for one photo.

    boxes : ndarray (n, 3): top, left, side of each face it found (score at least UNSURE_FROM), in pixels of the
        photo, best first; one box per face (boxes overlapping more than OVERLAP are one)
    scores : ndarray (n,) of the boxes' scores, 0..1
    best : float, the highest score anywhere in the photo (the verdict's)
    reads : int, how many pictures it read: the whole photo and its tiles
    """

    boxes: np.ndarray
    scores: np.ndarray
    best: float
    reads: int

    @property
    def verdict(self):
        return verdict(self.best)


def find_faces(im):
    """Read a photo (PIL.Image.Image, decoded and bounded by core.data.images) whole, then in tiles."""
    w, h = im.size
    whole = min(1.0, SIDE / max(w, h))
    reads = [(_shrunk(im, whole), whole, 0, 0)]  # (picture, scale, left, top in the photo)
    cut = tiles(w, h)
    if cut:
        scale = min(1.0, SIDE / cut[0][2])
        small = _shrunk(im, scale)  # shrunk once; each tile is then a SIDE × SIDE crop of it
        for x, y, side in cut:
            left, top = round(x * scale), round(y * scale)
            size = min(SIDE, round(side * scale))
            reads.append((small.crop((left, top, left + size, top + size)), scale, left / scale, top / scale))
    found_scores, found_boxes = [], []
    for picture, scale, left, top in reads:
        scores, boxes = read(np.asarray(picture, dtype=np.uint8))
        keep = scores >= UNSURE_FROM
        keep[int(np.argmax(scores))] = True  # the best place of every picture, for `best`
        for score, (cx, cy, bw, bh) in zip(scores[keep], boxes[keep], strict=True):
            side = max(bw, bh) / scale
            found_scores.append(float(score))
            found_boxes.append((top + cy / scale - side / 2, left + cx / scale - side / 2, side))
    kept = []
    for i in np.argsort(found_scores)[::-1]:
        if found_scores[i] >= UNSURE_FROM and all(overlap(found_boxes[i], found_boxes[j]) <= OVERLAP for j in kept):
            kept.append(i)
    return NetworkFinding(boxes=np.array([found_boxes[i] for i in kept], dtype=float).reshape(-1, 3),
                          scores=np.array([found_scores[i] for i in kept], dtype=float),
                          best=float(max(found_scores)), reads=len(reads))
