"""A classic face detector, Viola and Jones (2001): a cascade of Haar features, evaluated in numpy.

The bundled cascade is OpenCV's `haarcascade_frontalface_default.xml` (Rainer Lienhart's stump-based frontal face
detector, trained on thousands of faces; Intel's open-source licence, kept in the file and in data/DATA.md). It
reads a 24 × 24 window of grey levels:

1. a *Haar feature* is a weighted sum of 2 or 3 rectangles' sums of grey levels: bright cheeks against dark eyes,
   a bright bridge of the nose between two dark eyes. A summed-area table (integral image) gives any
   rectangle's sum in four lookups, whatever its size;
2. each feature is divided by the window's contrast (its standard deviation times its area), so light does not
   matter, and compared with a threshold: one *weak classifier* (a stump) votes `left` or `right`;
3. a *stage* adds the votes of its stumps (9 in the first stage, 211 in the largest) and rejects the window when
   the sum is under the stage's threshold;
4. 25 stages in a row: a window is a face only if it passes every one. Most windows are rejected by the first
   two or three stages, so the 2,913 stumps are spent only where a face might be.

Every window of a level is one row of a matrix: its stage's features are one gather from the summed-area table
and one matrix product (`stage_sums`), vectorisation as the neuron's scan does it.

A photo is searched at many sizes (an image pyramid, each level 1/1.1 of the one before), and a real face is found
again by many windows a little moved or resized: the windows are grouped (as OpenCV's `groupRectangles`), and the
number in a group, its *neighbours*, says how sure the detector is.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

CASCADE_FILE = Path(__file__).resolve().parents[2] / "data" / "haarcascade_frontalface_default.xml.gz"
WINDOW = 24              # the bundled cascade reads 24 × 24 windows
SCALE_FACTOR = 1.1        # each pyramid level is 1/1.1 of the one before (OpenCV's default)
MIN_STD = 10.0            # a window whose grey levels spread less than this (std) is not read (OpenCV's rule)
GROUP_EPS = 0.2           # windows whose sides lie within 20 % of their size of each other are one group (OpenCV's)
_CHUNK = 1_000_000        # at most this many gathered values at once (8 MB)


@dataclass(frozen=True)
class Stage:
    """One stage: k stumps on k features, and the threshold their summed votes must reach.

    threshold : float
    corners : ndarray (n_c, 2) of int: (row, col) of each summed-area-table lookup, relative to the window,
        stump after stump
    weights : ndarray (n_c,): the signed rectangle weight of each lookup
    firsts : ndarray (k,) of int: where each stump's lookups start; a stump's feature value is the sum of its
        lookups times their weights
    node_thresholds, left, right : ndarrays (k,): a stump votes left[j] if feature_j < node_thresholds[j] · (the
        window's contrast), else right[j]
    """

    threshold: float
    corners: np.ndarray
    weights: np.ndarray
    firsts: np.ndarray
    node_thresholds: np.ndarray
    left: np.ndarray
    right: np.ndarray

    @property
    def size(self):
        return len(self.left)


@dataclass(frozen=True)
class Cascade:
    """A trained cascade: the window's size and its stages, in order."""

    width: int
    height: int
    stages: tuple

    @property
    def stumps(self):
        return sum(s.size for s in self.stages)


def parse(xml_text):
    """A Cascade from the text of an OpenCV cascade file (stump-based BOOST stages of HAAR features, the format
    OpenCV's `opencv_traincascade` writes)."""
    root = ET.fromstring(xml_text)
    node = root.find("cascade")
    if node is None or node.findtext("featureType", "").strip() != "HAAR":
        raise ValueError("Not a Haar cascade in OpenCV's format.")
    width, height = int(node.findtext("width")), int(node.findtext("height"))
    features = []
    for feature in node.find("features"):
        if feature.findtext("tilted", "0").strip() not in ("0", ""):
            raise ValueError("Tilted Haar features are not supported.")
        features.append([[float(v) for v in r.text.split()] for r in feature.find("rects")])
    stages = []
    for stage in node.find("stages"):
        weak = []
        for classifier in stage.find("weakClassifiers"):
            nodes = classifier.findtext("internalNodes").split()
            leaves = classifier.findtext("leafValues").split()
            if len(nodes) != 4 or len(leaves) != 2:
                raise ValueError("Only stumps (one split per weak classifier) are supported.")
            weak.append((int(nodes[2]), float(nodes[3]), float(leaves[0]), float(leaves[1])))
        stages.append(_stage(float(stage.findtext("stageThreshold")), weak, features))
    return Cascade(width, height, tuple(stages))


def _stage(threshold, weak, features):
    """Lay one stage's features out as lookups, their weights, and where each stump's lookups start (see Stage)."""
    corners, weights, firsts = [], [], []
    for feature, _, _, _ in weak:
        firsts.append(len(corners))
        for x, y, w, h, weight in features[feature]:
            x, y, w, h = int(x), int(y), int(w), int(h)
            # sum of the rectangle = S[y+h, x+w] − S[y, x+w] − S[y+h, x] + S[y, x]
            for (r, c), sign in (((y + h, x + w), 1), ((y, x + w), -1), ((y + h, x), -1), ((y, x), 1)):
                corners.append((r, c))
                weights.append(sign * weight)
    column = np.array([[t, left, right] for _, t, left, right in weak])
    return Stage(threshold, np.array(corners, dtype=np.int64), np.array(weights), np.array(firsts, dtype=np.int64),
                 column[:, 0].copy(), column[:, 1].copy(), column[:, 2].copy())


def load(path=CASCADE_FILE):
    """The bundled cascade (the file is gzipped XML)."""
    return parse(gzip.decompress(Path(path).read_bytes()))


def summed_area(level):
    """The summed-area table S of a level: S[r, c] = sum of level[:r, :c]. ndarray (h + 1, w + 1), float64."""
    return np.pad(np.asarray(level, dtype=np.float64), ((1, 0), (1, 0))).cumsum(axis=0).cumsum(axis=1)


def window_contrast(table, squares, rows, cols, width, height):
    """Each window's contrast as the cascade uses it: n · √(mean(x²) − mean(x)²) · n = √(n·Σx² − (Σx)²) over the
    window less a 1-pixel border (n its pixels), or 1 for a flat window. ndarray (m,)."""
    def inner(t):
        r0, c0, r1, c1 = rows + 1, cols + 1, rows + height - 1, cols + width - 1
        return t[r1, c1] - t[r0, c1] - t[r1, c0] + t[r0, c0]
    n = (width - 2) * (height - 2)
    total = inner(table)
    spread = n * inner(squares) - total * total
    return np.where(spread > 0, np.sqrt(np.maximum(spread, 0.0)), 1.0)


MIDDLE = (0.2, 0.9, 0.2, 0.8)   # a window's middle: rows 20–90 %, columns 20–80 % (cheeks, nose, mouth; no hair)


def middle_share(mask, rows, cols, width, height):
    """The mean of `mask` over the middle (MIDDLE) of each window whose top-left corner is (rows, cols): ndarray."""
    table = summed_area(mask)
    top, bottom, left, right = (round(f * d) for f, d in zip(MIDDLE, (height, height, width, width), strict=True))
    r0, r1, c0, c1 = rows + top, rows + bottom, cols + left, cols + right
    return (table[r1, c1] - table[r0, c1] - table[r1, c0] + table[r0, c0]) / ((bottom - top) * (right - left))


def stage_sums(stage, table, starts, contrast):
    """The summed votes of one stage for the windows whose top-left lookup is at the flat indices `starts` of the
    summed-area table: ndarray (m,). One gather (m, n_c) of every lookup of every window, weighted, and summed
    stump by stump, gives every feature of every window at once."""
    offsets = stage.corners[:, 0] * table.shape[1] + stage.corners[:, 1]
    flat = table.ravel()
    out = np.empty(len(starts))
    step = max(1, _CHUNK // max(1, len(offsets)))
    for i in range(0, len(starts), step):
        s = starts[i:i + step]
        lookups = flat[s[:, None] + offsets[None, :]] * stage.weights           # (m, n_c)
        values = np.add.reduceat(lookups, stage.firsts, axis=1)                # (m, k) feature values
        below = values < stage.node_thresholds[None, :] * contrast[i:i + step, None]
        out[i:i + step] = np.where(below, stage.left, stage.right).sum(axis=1)
    return out


def evaluate(cascade, level, step=1, where=None):
    """Run the cascade on every window of one level, `step` pixels apart.

    level : ndarray (h, w) of grey levels 0..255
    where : optional (mask, share): mask an ndarray (h, w) of 0..1 the level's size; a window is read only when at
        least `share` of its middle (MIDDLE: the part a face's skin fills) is covered by the mask
    Returns (rows, cols) of the windows that pass every stage (int ndarrays), and counts (list of int, len =
    stages + 2): every window, then the windows still in the running before each stage (the flat ones are out
    before the first), and last the number that passed every stage.
    """
    h, w = level.shape
    rows = np.arange(0, h - cascade.height + 1, step)
    cols = np.arange(0, w - cascade.width + 1, step)
    rr, cc = (a.ravel() for a in np.meshgrid(rows, cols, indexing="ij"))
    every = len(rr)
    if where is not None:                              # the mask first: the windows it leaves out cost nothing more
        inside = middle_share(where[0], rr, cc, cascade.width, cascade.height) >= where[1]
        rr, cc = rr[inside], cc[inside]
    table = summed_area(level)
    squares = summed_area(np.asarray(level, dtype=np.float64) ** 2)
    contrast = window_contrast(table, squares, rr, cc, cascade.width, cascade.height)
    n = (cascade.width - 2) * (cascade.height - 2)
    alive = np.flatnonzero(contrast > MIN_STD * n)    # contrast = n · std: flat windows (a wall, the sky) are out
    starts = rr * table.shape[1] + cc
    counts = [every, len(alive)]
    for stage in cascade.stages:
        if len(alive):
            alive = alive[stage_sums(stage, table, starts[alive], contrast[alive]) >= stage.threshold]
        counts.append(len(alive))
    return rr[alive], cc[alive], counts


@dataclass(frozen=True)
class Detection:
    """What the cascade found in one photo.

    boxes : ndarray (n, 3): top, left, side of each face found, in pixels of the photo, most neighbours first
    neighbours : ndarray (n,) of int: how many windows make up each face's group
    windows : int, how many windows were read in all
    survivors : ndarray (stages + 2,) of int, summed over the levels: every window, the windows not too flat to
        read (before the first stage), then still in the running after each stage (the last: passed every stage)
    raw : ndarray (r, 3): every window that passed, before grouping (photo pixels)
    """

    boxes: np.ndarray
    neighbours: np.ndarray
    windows: int
    survivors: np.ndarray
    raw: np.ndarray

    @property
    def best(self):
        """The neighbours of the best face found, 0 when none was."""
        return int(self.neighbours[0]) if len(self.neighbours) else 0


def detect(cascade, gray, scale_factor=SCALE_FACTOR, min_group=1, largest=None, where=None):
    """Search a grey photo at every size from the window's to the whole shorter side.

    gray : ndarray (h, w) of grey levels 0..255 (the caller bounds its size)
    min_group : groups with fewer windows than this are dropped
    largest : if given, no window wider than this many pixels is searched (only the small faces)
    where : optional (mask, share), mask an ndarray (h, w) of 0..1: only windows whose middle is at least `share`
        covered are read (see evaluate); the mask is resized with each level
    Returns Detection. As OpenCV's `detectMultiScale`: level k is the photo resized to 1/1.1ᵏ (bilinear), its
    windows 2 pixels apart while the level is over half the photo's size and 1 pixel apart after.
    """
    gray = np.asarray(gray, dtype=np.float32)
    h, w = gray.shape
    found, windows = [], 0
    survivors = np.zeros(len(cascade.stages) + 2, dtype=np.int64)
    factor = 1.0
    picture = Image.fromarray(gray, mode="F")
    mask = None if where is None else Image.fromarray(np.asarray(where[0], dtype=np.float32), mode="F")
    while (round(w / factor) >= cascade.width and round(h / factor) >= cascade.height
           and (largest is None or cascade.width * factor <= largest)):
        size = (round(w / factor), round(h / factor))
        level = gray if factor == 1.0 else np.asarray(picture.resize(size, Image.Resampling.BILINEAR))
        on = None if mask is None else (
            (np.asarray(where[0], dtype=np.float32) if factor == 1.0
             else np.asarray(mask.resize(size, Image.Resampling.BILINEAR)), where[1]))
        rows, cols, counts = evaluate(cascade, level, step=2 if factor <= 2 else 1, where=on)
        windows += counts[0]
        survivors += counts
        side = cascade.width * factor
        found.append(np.column_stack([rows * factor, cols * factor, np.full(len(rows), side)]))
        factor *= scale_factor
    raw = np.vstack(found) if found else np.zeros((0, 3))
    boxes, neighbours = group(raw, min_group)
    return Detection(boxes, neighbours, windows, survivors, raw)


def group(boxes, min_group=1, eps=GROUP_EPS):
    """Group overlapping windows into faces, as OpenCV's `groupRectangles`.

    Two windows are alike when each of their four sides lies within eps · (the smaller side) of the other's;
    groups are what "alike" joins, step by step. Each group becomes its mean box.
    boxes : ndarray (r, 3) of top, left, side
    Returns (ndarray (n, 3) of mean boxes, ndarray (n,) of group sizes), biggest group first; groups smaller than
    min_group are dropped. Memory grows with the pairs of alike windows, not with r²: the pairs are found a block
    of rows at a time.
    """
    r = len(boxes)
    if r == 0:
        return np.zeros((0, 3)), np.zeros(0, dtype=np.int64)
    top, left, side = boxes[:, 0], boxes[:, 1], boxes[:, 2]
    firsts, seconds = [], []
    block = max(1, _CHUNK // r)
    for i in range(0, r, block):
        rows = slice(i, i + block)
        delta = eps * np.minimum(side[rows, None], side[None, :])
        alike = ((np.abs(top[rows, None] - top[None, :]) <= delta)
                 & (np.abs(left[rows, None] - left[None, :]) <= delta)
                 & (np.abs((top + side)[rows, None] - (top + side)[None, :]) <= delta)
                 & (np.abs((left + side)[rows, None] - (left + side)[None, :]) <= delta))
        a, b = np.nonzero(alike)
        firsts.append(a + i)
        seconds.append(b)
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    labels = np.arange(r)
    while True:                # every window takes the smallest label among those alike, until none moves
        new = labels.copy()
        np.minimum.at(new, a, labels[b])
        new = new[new]         # and its label's label: fewer rounds on long chains
        if np.array_equal(new, labels):
            break
        labels = new
    ids, inverse, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    sums = np.zeros((len(ids), 3))
    np.add.at(sums, inverse, boxes)
    means = sums / sizes[:, None]
    keep = sizes >= min_group
    means, sizes = means[keep], sizes[keep]
    order = np.argsort(-sizes, kind="stable")
    return means[order], sizes[order].astype(np.int64)
