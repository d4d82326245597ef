"""The neuron as a face finder: scan every window of a photo, at several sizes, in one matrix product.

A trained neuron reads one 25 × 25 window. To find a face anywhere in a photo, cut the photo into many
overlapping windows at several sizes (an image pyramid: the photo shrunk step by step, so that a big face
becomes 25 pixels at some level), turn each window into a column x⁽ⁱ⁾, and stack the columns into one
matrix X of shape (n_x, m). Then

    A = σ(wᵀX + b)        (1, m): the neuron's a for every window at once,

one matrix product instead of m separate ones. Non-maximum suppression keeps the best windows that do not
overlap a better one by more than half; each gets a place score, the mean a of its 5 best neighbours (a real
face is found again by windows a little moved or resized). The best place's score is the photo's face score.

Whether and where are two questions. The face neuron answers whether (the face score); a second neuron, the
framing neuron (`Neuron.framer`, same features, trained the same way on faces framed well against windows that
framed them badly), answers where: among the windows the face neuron rates highest, the box goes where the
framing neuron's a_f is highest. The framing neuron never changes the face score, so it never changes a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from PIL import Image

from core.maths import hog
from core.maths.activations import sigmoid

WINDOW = hog.WINDOW
REPRESENTATIONS = ("edges", "pixels")      # x = HOG features, or x = pixels / 255
SMALLEST_FRACTION = 1 / 6   # the smallest window is 1/6 of the photo's shorter side (zoom 6)
LEVEL_RATIO = 0.8           # each pyramid level is 0.8 times the size of the one before
STRIDE = 3                  # pixels between neighbouring windows, at every level
WORK_SIDE = round(WINDOW / SMALLEST_FRACTION)   # 150: the scan runs on a copy with this shorter side
MIN_SIDE = WINDOW           # a photo whose shorter side is under one window holds no face the finders can read
NMS_OVERLAP = 0.5
NEIGHBOUR_OVERLAP = 0.3     # windows overlapping a candidate by more than this are its neighbours
TOP_NEIGHBOURS = 5          # a place's score is the mean a of its 5 best neighbouring windows
CANDIDATES = 10
FRAMING_CANDIDATES = 300    # the framing neuron picks the box among the 300 windows with the highest a

# What each neuron's verdicts were on real photos nobody tuned it on: set C (43 photos, measured once), raw output
# in HELD_OUT_RESULTS. Per neuron, of 21 photos of people and of 22 without a person: how many the page called
# "a face". tests/unit/test_classic_record.py reads them from that file.
HELD_OUT_RESULTS = "benchmarks/results/classify-held-out-c-2026-12-06.txt"
HELD_OUT = {"edges": {"people": (15, 21), "face-free": (7, 22)},
            "pixels": {"people": (21, 21), "face-free": (16, 22)}}


def record_sentence(representation):
    """What a neuron's verdicts are worth, in words: its measured record on photos nobody tuned it on."""
    (people, n_people), (fooled, n_free) = (HELD_OUT[representation][k] for k in ("people", "face-free"))
    return (f"On {n_people + n_free} real photos nobody tuned it on, the {representation} neuron said \"a face\" for "
            f"{people} of {n_people} photos of people, and also for {fooled} of {n_free} photos without a person.")


@dataclass(frozen=True)
class Neuron:
    """A face neuron and how to read a window.

    representation : {"edges", "pixels"}
    w : ndarray of shape (n_x, 1): n_x = 576 for edges (HOG), 625 for pixels
    b : float
    threshold : float
        a ≥ threshold means "face"; chosen on a validation split, not by hand.
    unsure : (float, float)
        a in [low, high) is reported as "unsure".
    framer : Neuron or None
        the framing neuron: reads the same features, says how well a window frames a face (see `Scan.best_box`).
    min_contrast : float
        a scanned window whose grey levels (0..255) spread less than this (standard deviation) is flatter than
        every face the neuron was trained on, and gets a = 0 without being read (see `scan`). 0: every window
        is read.
    """

    representation: str
    w: np.ndarray
    b: float
    threshold: float = 0.5
    unsure: tuple = (0.4, 0.6)
    framer: Neuron | None = None
    min_contrast: float = 0.0

    def __post_init__(self):
        if self.framer is not None and self.framer.representation != self.representation:
            raise ValueError("The framing neuron must read the same features as the face neuron.")

    def features(self, windows):
        """windows : ndarray (m, 25, 25) of grey levels 0..255 -> X : ndarray (n_x, m)."""
        return features(windows, self.representation)

    def probability(self, X):
        """A = σ(wᵀX + b) for X of shape (n_x, m): ndarray of shape (1, m)."""
        return sigmoid(self.w.T @ X + self.b)

    def verdict(self, a):
        """"face", "unsure" or "not a face" for one value of a."""
        low, high = self.unsure
        if low <= a < high:
            return "unsure"
        return "face" if a >= self.threshold else "not a face"

    def verdict_rule(self, a):
        """Why `verdict(a)` is what it is, in the neuron's own numbers: (comparison, rule).

        comparison : str, the range of a that gives this verdict, e.g. "0.801 ≤ a < 0.916" for "unsure"
        rule : str, the whole rule in plain words, and why it is not the a > 0.5 of a neuron read as a probability

        Numbers have 3 decimals, more when 3 would make two different ones (a, the threshold, the band's ends)
        look equal, so the comparison shown always holds for the numbers shown.
        """
        a = float(a)
        t, (low, high) = float(self.threshold), (float(v) for v in self.unsure)
        d = decimals_apart([a, t, low, high])

        def f(v):
            return f"{v:.{d}f}"

        band = low < high
        if band and low <= t <= high:      # the usual case (face_training.unsure_band): three ranges of a
            ranges = {"face": f"a ≥ {f(high)}", "unsure": f"{f(low)} ≤ a < {f(high)}", "not a face": f"a < {f(low)}"}
        else:                              # no band, or a band beside the threshold: the threshold, minus the band
            outside = f", outside {f(low)} ≤ a < {f(high)}" if band else ""
            ranges = {"face": f"a ≥ {f(t)}{outside}", "unsure": f"{f(low)} ≤ a < {f(high)}",
                      "not a face": f"a < {f(t)}{outside}"}
        rule = (f"This neuron's rule: a face when {ranges['face']}, "
                + (f"unsure when {ranges['unsure']}, " if band else "")
                + f"not a face when {ranges['not a face']}. "
                + ("Its threshold is 0.5, as for a neuron whose a is read as a probability" if t == 0.5 else
                   f"Not 0.5: its threshold, {f(t)}, was chosen on validation photos (faces it never trained on, "
                   "in photos it never trained on)")
                + (", and values of a near it count as unsure instead of a guess." if band else "."))
        return ranges[self.verdict(a)], rule


def decimals_apart(values, fewest=3, most=8):
    """The fewest decimals (from `fewest`) at which values that differ are still shown different."""
    distinct = sorted(set(values))
    for d in range(fewest, most + 1):
        if len({round(v, d) for v in distinct}) == len(distinct):
            return d
    return most


def features(windows, representation):
    """The columns the neuron reads, for a stack of 25 × 25 windows (grey levels 0..255).

    windows : ndarray of shape (m, 25, 25)
    representation : {"edges", "pixels"}
    Returns X : ndarray of shape (n_x, m).
    """
    windows = np.asarray(windows, dtype=np.float64)
    if representation == "pixels":
        return windows.reshape(len(windows), -1).T / 255.0     # (625, m)
    if representation == "edges":
        return hog.hog_features(windows / 255.0)               # (576, m)
    raise ValueError(f"representation must be one of {REPRESENTATIONS}; got {representation!r}.")


def too_small_sentence(size):
    """"This photo is too small to find a face in (8 × 8 pixels; …)" for a photo (w, h) whose shorter side is
    under MIN_SIDE, else None: enlarging it adds no detail, so every window would read a blur."""
    w, h = size
    if min(w, h) >= MIN_SIDE:
        return None
    return (f"This photo is too small to find a face in ({w} × {h} pixels; at least {MIN_SIDE} × {MIN_SIDE} "
            "needed, the size of the faces the neuron learned from).")


def smallest_window_words(photo_short, work_short):
    """How the scan's smallest window relates to the photo: photo_short, the photo's shorter side; work_short,
    its work copy's (shrunk to WORK_SIDE, or the photo's own size when it is smaller)."""
    if photo_short >= WORK_SIDE:
        return "a sixth of the photo's shorter side"
    return (f"one {WINDOW} × {WINDOW} window at the photo's own size: a photo under {WORK_SIDE} pixels a side "
            "is not shrunk" if work_short <= photo_short else
            f"one {WINDOW} × {WINDOW} window of a copy enlarged to {work_short} pixels a side")


def work_copy(im):
    """The bounded-size grey copy the scan runs on: shorter side WORK_SIDE pixels (or less if the photo is smaller).

    im : PIL.Image.Image
    Returns ndarray of shape (h, w), float64 grey levels 0..255.
    """
    gray = im.convert("L")
    w, h = gray.size
    scale = max(min(1.0, WORK_SIDE / min(w, h)), WINDOW / min(w, h))   # tiny photos grow to one window
    if scale != 1.0:
        gray = gray.resize((max(WINDOW, round(w * scale)), max(WINDOW, round(h * scale))), Image.Resampling.BOX)
    return np.asarray(gray, dtype=np.float64)


def pyramid(work):
    """The photo shrunk step by step: [(scale, level)], level = ndarray (h', w') and scale = h' / h.

    The first level is the work copy itself; the last one has its shorter side just at 25 pixels, where a single
    window covers the whole square.
    """
    h, w = work.shape
    short = min(h, w)
    levels, scale = [], 1.0
    while True:
        side = short * scale
        if side < WINDOW:
            scale = WINDOW / short      # the last level: one window fits the shorter side exactly
        size = (max(WINDOW, round(w * scale)), max(WINDOW, round(h * scale)))
        level = np.asarray(Image.fromarray(work.astype(np.float32)).resize(size, Image.Resampling.BOX),
                           dtype=np.float64) if scale != 1.0 else work
        levels.append((size[1] / h, level))
        if side <= WINDOW:
            return levels
        scale *= LEVEL_RATIO


def window_grid(level_shape, stride=STRIDE):
    """Top-left corners (rows, cols) of every window of a level, stride pixels apart: int ndarrays (m,)."""
    h, w = level_shape
    rows = np.arange(0, h - WINDOW + 1, stride)
    cols = np.arange(0, w - WINDOW + 1, stride)
    rr, cc = np.meshgrid(rows, cols, indexing="ij")
    return rr.ravel(), cc.ravel()


@dataclass(frozen=True)
class Scan:
    """Every window of one photo and the neuron's a for each.

    boxes : ndarray of shape (m, 3): top, left, side of each window, in pixels of the work copy
    A : ndarray of shape (1, m)
    work_shape : (h, w) of the work copy the boxes refer to
    kept : ndarray of int, windows kept by non-maximum suppression, highest a first
    scores : ndarray of shape (len(kept),), the place score of each kept window (see `place_scores`)
    best : int, index (into boxes) of the kept window with the highest place score
    framing : ndarray of shape (1, m) or None, the framing neuron's a_f for each window (None without one)
    flat_windows : ndarray of bool, shape (m,) or None: the windows flatter than the neuron's min_contrast
        (a = 0, not read); None when nothing was skipped
    """

    boxes: np.ndarray
    A: np.ndarray
    work_shape: tuple
    kept: np.ndarray
    scores: np.ndarray
    best: int
    framing: np.ndarray | None = None
    flat_windows: np.ndarray | None = None

    @property
    def flat(self):
        """How many windows were flatter than the neuron's min_contrast (a = 0, not read)."""
        return 0 if self.flat_windows is None else int(self.flat_windows.sum())

    @property
    def best_a(self):
        """The highest a of any single window."""
        return float(self.A[0].max())

    @property
    def score(self):
        """The photo's face score: the best place score (the mean a of the 5 best windows around a place)."""
        return float(self.scores.max())

    @property
    def best_box(self):
        """(top, left, side) of the face found.

        With a framing neuron: among the FRAMING_CANDIDATES windows with the highest a, the one the framing neuron
        rates highest, averaged (weights a_f) with the 4 best-framed of those candidates around it.
        Without one: the a-weighted mean of the best place's top windows. The single best window often sits a
        little to one side of the face; its good neighbours sit around it, so their mean is better centred (as
        classic detectors group their hits).
        When no window was read (every one flatter than the faces the neuron trained on: a blank photo), the
        photo's middle square.
        """
        if self.flat_windows is not None and self.flat_windows.all():
            # no window was read (a blank photo, one colour): no place is better than another, so the box is the
            # whole photo (its middle square), not wherever the first window happens to sit
            h, w = self.work_shape
            side = min(h, w)
            return (h - side) / 2, (w - side) / 2, float(side)
        if self.framing is None:
            pool, value, centre = np.arange(len(self.boxes)), self.A[0], self.best
        else:
            pool = np.argsort(-self.A[0], kind="stable")[:FRAMING_CANDIDATES]
            value = self.framing[0]
            centre = pool[np.argmax(value[pool])]
        near = pool[overlap(self.boxes[centre], self.boxes[pool]) > NEIGHBOUR_OVERLAP]
        top = near[np.argsort(-value[near], kind="stable")[:TOP_NEIGHBOURS]]
        weights = value[top]
        if not weights.sum() > 0:            # every a here is 0 (or underflowed): the windows count alike
            weights = np.ones_like(weights)
        return tuple(float(v) for v in weights @ self.boxes[top] / weights.sum())

    def crop_settings(self, index=None):
        """The face found (or window `index`) as crop_zoom settings (zoom, cx, cy) on the original photo."""
        top, left, side = self.best_box if index is None else self.boxes[index]
        h, w = self.work_shape
        return min(h, w) / side, (left + side / 2) / w, (top + side / 2) / h


def windows_of(level, rows, cols):
    """The windows of one level as a stack: ndarray (m, 25, 25) (a gather; no Python loop over windows)."""
    r = rows[:, None, None] + np.arange(WINDOW)[None, :, None]
    c = cols[:, None, None] + np.arange(WINDOW)[None, None, :]
    return level[r, c]


def level_features(level, rows, cols, representation):
    """X of shape (n_x, m) for the windows at (rows, cols) of one level: equal to `features` of the same crops.

    For edges the gradients and angles are computed once for the whole level, then cut into windows
    (core.maths.hog.window_magnitude_and_bin), instead of once per window.
    """
    if representation == "pixels":
        return windows_of(level, rows, cols).reshape(len(rows), -1).T / 255.0
    scaled = level / 255.0
    g_row, g_col = hog.gradients(scaled)
    magnitude, bins = hog.magnitude_and_bin(g_row, g_col)
    mag, b = hog.window_magnitude_and_bin(magnitude, bins, g_row, g_col, rows, cols)
    return hog.normalise_blocks(hog.cell_histograms(mag, b)).T


def window_contrast(level, rows, cols):
    """The standard deviation of the grey levels of each window at (rows, cols) of one level: ndarray (m,).

    Equal to np.std of each 25 × 25 crop; computed from two summed-area tables (of the level and of its squares),
    so each window costs four lookups, not 625 values.
    """
    def table(values):
        return np.pad(values, ((1, 0), (1, 0))).cumsum(axis=0).cumsum(axis=1)

    def window_sums(t):
        return t[rows + WINDOW, cols + WINDOW] - t[rows, cols + WINDOW] - t[rows + WINDOW, cols] + t[rows, cols]

    centred = level - level.mean()               # smaller sums: less rounding in sum(x²)/n − mean²
    n = WINDOW * WINDOW
    mean = window_sums(table(centred)) / n
    return np.sqrt(np.maximum(window_sums(table(centred ** 2)) / n - mean ** 2, 0.0))


def tone_stretch(work, cutoff=1.0):
    """How much auto-levels would stretch this photo's grey levels: 255 / (its 99th − its 1st percentile).

    A dim or washed-out photo has all its contrasts squeezed, faces too; windows are measured against the floor as
    if the photo spanned the full range (as Pillow's ImageOps.autocontrast(cutoff=1) would make it), so a dim face
    is still read while a dark suit in a well-exposed photo stays flat. 1 for a photo with no spread at all.
    """
    low, high = np.percentile(work, [cutoff, 100 - cutoff])
    return 255.0 / (high - low) if high - low >= 1 else 1.0


def scan(neuron, im, stride=STRIDE):
    """Scan a photo: every window of every pyramid level, stacked as the columns of one X.

    Windows flatter than neuron.min_contrast (a dark suit, a clear sky: flatter than any face the neuron was
    trained on; measured after `tone_stretch`, so a dim photo is not all flat) get a = 0: block normalisation in
    HOG stretches the faint noise of a flat patch into strong edges, which the neuron could otherwise take for a
    face.

    im : PIL.Image.Image (or an ndarray (h, w) of grey levels, taken as the work copy itself)
    Returns Scan.
    """
    work = im if isinstance(im, np.ndarray) else work_copy(im)
    columns, boxes, contrast = [], [], []
    for scale, level in pyramid(work):
        rows, cols = window_grid(level.shape, stride)
        columns.append(level_features(level, rows, cols, neuron.representation))
        if neuron.min_contrast > 0:
            contrast.append(window_contrast(level, rows, cols))
        boxes.append(np.column_stack([rows / scale, cols / scale, np.full(len(rows), WINDOW / scale)]))
    X = np.hstack(columns)                       # (n_x, m): every window of every level
    A = neuron.probability(X)                    # (1, m): one product for all of them
    flat = (np.concatenate(contrast) * tone_stretch(work) < neuron.min_contrast if contrast
            else np.zeros(A.shape[1], dtype=bool))
    A = np.where(flat[None, :], 0.0, A)
    framing = None if neuron.framer is None else neuron.framer.probability(X)   # (1, m): where, not whether
    boxes = np.vstack(boxes)
    kept = non_max_suppression(boxes, A[0], max_kept=CANDIDATES)
    scores = place_scores(boxes, A[0], kept)
    return Scan(boxes=boxes, A=A, work_shape=work.shape, kept=kept, scores=scores,
                best=int(kept[int(np.argmax(scores))]), framing=framing,
                flat_windows=flat if flat.any() else None)


def place_scores(boxes, a, candidates, top=TOP_NEIGHBOURS, overlap_limit=NEIGHBOUR_OVERLAP):
    """For each candidate window, the mean a of the `top` best windows overlapping it by more than overlap_limit.

    A real face is found again by neighbouring windows, a little moved or resized; a stray pattern that
    fools one window rarely fools its neighbours. (Classic detectors ask for "minimum neighbours" too.)
    Returns ndarray of shape (len(candidates),).
    """
    out = []
    for i in candidates:
        near = a[overlap(boxes[i], boxes) > overlap_limit]
        best = np.sort(near)[-top:]
        out.append(float(np.sum(best)) / top)     # fewer than `top` neighbours count as a = 0
    return np.array(out)


def overlap(box, boxes):
    """Intersection over union of one (top, left, side) box with each of boxes (m, 3): ndarray (m,)."""
    top, left, side = box
    dy = np.clip(np.minimum(top + side, boxes[:, 0] + boxes[:, 2]) - np.maximum(top, boxes[:, 0]), 0, None)
    dx = np.clip(np.minimum(left + side, boxes[:, 1] + boxes[:, 2]) - np.maximum(left, boxes[:, 1]), 0, None)
    inter = dy * dx
    return inter / (side ** 2 + boxes[:, 2] ** 2 - inter)


def non_max_suppression(boxes, scores, max_kept=5, overlap_limit=NMS_OVERLAP):
    """Greedy: keep the best window, drop every window overlapping it by more than overlap_limit, repeat.

    Returns ndarray of int: at most max_kept indices, best first.
    """
    order = np.argsort(-scores, kind="stable")
    kept = []
    alive = np.ones(len(scores), dtype=bool)
    for i in order:
        if not alive[i]:
            continue
        kept.append(i)
        if len(kept) == max_kept:
            break
        alive &= overlap(boxes[i], boxes) <= overlap_limit
    return np.array(kept, dtype=int)


def heat_map(scan_result, cell=4):
    """The best a of any window centred in each cell×cell patch of the work copy: ndarray (h // cell, w // cell).

    Patches no window is centred in take the best of their neighbours, so the map has no holes.
    """
    h, w = scan_result.work_shape
    out = np.zeros((max(1, h // cell), max(1, w // cell)))
    top, left, side = scan_result.boxes.T
    r = np.clip(((top + side / 2) // cell).astype(int), 0, out.shape[0] - 1)
    c = np.clip(((left + side / 2) // cell).astype(int), 0, out.shape[1] - 1)
    np.maximum.at(out, (r, c), scan_result.A[0])
    filled = out.copy()
    padded = np.pad(out, 1, mode="edge")
    neighbours = np.max([padded[1 + dy:1 + dy + out.shape[0], 1 + dx:1 + dx + out.shape[1]]
                         for dy in (-1, 0, 1) for dx in (-1, 0, 1)], axis=0)
    holes = out == 0
    filled[holes] = neighbours[holes]
    return filled


def not_read_map(scan_result, cell=4):
    """Where the scan read nothing: ndarray of bool (h // cell, w // cell), on the grid of `heat_map`.

    A patch is "not read" when most windows centred in it were flatter than the floor (Scan.flat_windows);
    patches no window is centred in (the photo's border) follow the majority of their neighbours, ring by ring.
    """
    h, w = scan_result.work_shape
    shape = (max(1, h // cell), max(1, w // cell))
    if scan_result.flat_windows is None:
        return np.zeros(shape, dtype=bool)
    top, left, side = scan_result.boxes.T
    r = np.clip(((top + side / 2) // cell).astype(int), 0, shape[0] - 1)
    c = np.clip(((left + side / 2) // cell).astype(int), 0, shape[1] - 1)
    centred, read = np.zeros(shape), np.zeros(shape)
    np.add.at(centred, (r, c), 1)
    np.add.at(read, (r, c), ~scan_result.flat_windows)
    out, known = (centred > 0) & (read < centred / 2), centred > 0

    def around(a):
        padded = np.pad(a.astype(float), 1)
        return sum(padded[1 + dy:1 + dy + shape[0], 1 + dx:1 + dx + shape[1]] for dy in (-1, 0, 1) for dx in (-1, 0, 1))

    while not known.all():           # the border no window is centred in, one ring of patches at a time
        flat_votes, votes = around(out & known), around(known)
        ring = ~known & (votes > 0)
        if not ring.any():
            break
        out[ring] = flat_votes[ring] > votes[ring] / 2
        known = known | ring
    return out


class Reading(NamedTuple):
    """One crop read by the neuron: a = σ(wᵀx + b); seen, the 25 × 25 grey window it read (uint8); square, the
    square cut from the photo (cut once, and shown as it is)."""

    a: float
    seen: np.ndarray
    square: object


def classify_crop(neuron, im, zoom=1.0, cx=0.5, cy=0.5):
    """a = σ(wᵀx + b) for one crop of the photo (x = its pixels or its HOG): a Reading."""
    from core.data import images
    square = images.crop_zoom(im, zoom, cx, cy)
    seen = images.preprocess_steps(square, WINDOW, 1)["resized"]
    return Reading(float(neuron.probability(neuron.features(seen[None].astype(np.float64)))[0, 0]), seen, square)
