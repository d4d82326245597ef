"""Is there a face in this photo? A classic detector's answer, beside the neuron's.

One neuron trained on 80 small faces finds faces, but photos busy with edges fool it
(benchmarks/results/classify-held-out-b-2026-12-04.md). The detector every phone camera used for a decade,
Viola and Jones' cascade (core.maths.haar, with OpenCV's trained frontal-face cascade), was trained on thousands of
faces and thousands of face-free photos. The page shows both: the same question, two machines, and why one of
them is harder to fool.

How sure it is: a real face is found again by many windows a little moved or resized, so each face found comes
with its *neighbours*, the number of windows grouped into it. The photo's verdict reads the biggest group:

- "a face" from FACE_AT windows, "unsure" from UNSURE_FROM, else "not a face".

Both bars were chosen on the development photos (benchmarks/classify_photos.py: six with people, seven without,
and the eight face-free photos in data/scenes.npz): every face-free one has at most 6 windows in a group, the
fewest of a portrait whose face was found is 18; FACE_AT is their geometric mean rounded up (√(6 · 18) ≈ 10.4 →
11), and any group bigger than every face-free photo's is at least "unsure" (7). Photos nobody tuned on are measured by
benchmarks/classify_held_out_photos.py.

Small faces. That search cannot see a face under a tenth of the shorter side (a footballer on a pitch, someone far
down a corridor), and a finer search alone finds them with few windows, about as many as a photo of coins gets
(benchmarks/results/classic-small-faces-2026-12-05.md). So when the first search finds no face in a colour photo, a
second one looks for faces from a twentieth to a tenth of the shorter side, and reads only windows whose middle is
mostly skin-coloured (Chai and Ngan's rule on the colour's chroma, which leaves brightness out, so light and dark
skin both pass). A photo under 480 pixels on its shorter side is searched at its own size (never enlarged: an
enlarged face has no more detail), from 24-pixel faces; one of 240 or less gets no second search, since the first
read every face of 24 pixels or more there. Grey coins, text and grass are never read; a grey photo gets no second
search. Its bars were chosen on development photos (benchmarks/classic_small_faces.py,
benchmarks/results/classic-small-faces-2026-12-06.md): no face-free photo has more than 3 windows in a group there,
and a small face pasted into them a median of 8 to 9, so "unsure" starts above every face-free photo (4) and "a face"
at the geometric mean √(3 · 9) ≈ 5.2, rounded up (6).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from PIL import Image

from core.lessons import face_network
from core.maths import haar

WORK_SIDE = 240          # the search runs on a grey copy with this shorter side: the smallest face looked for is
SMALLEST_FRACTION = haar.WINDOW / WORK_SIDE  # 24 / 240 = 1/10 of the shorter side
MAX_LONG_SIDE = 4 * WORK_SIDE   # a panorama's copy is at most 960 pixels long (its smallest face grows to match)
FACE_AT = 11             # windows in the biggest group: "a face" from here
UNSURE_FROM = 7          # "unsure" from here to FACE_AT − 1; fewer: "not a face"
VERDICTS = ("face", "unsure", "not a face")

SMALL_SIDE = 2 * WORK_SIDE             # the small-face search's copy: a 24-pixel face there is 1/20 of the side
SMALL_LARGEST = 2 * haar.WINDOW        # its windows are 24 to 48 pixels: where the first search starts, at 1/10
SKIN = (77, 127, 133, 173)             # skin colour: Cb from 77 to 127 and Cr from 133 to 173 (Chai and Ngan, 1999)
SKIN_SHARE = 0.6                       # a window is read when at least this share of its middle is skin-coloured
SMALL_FACE_AT = 6                      # windows in the small-face search's biggest group: "a face" from here
SMALL_UNSURE_FROM = 4                  # "unsure" from here to SMALL_FACE_AT − 1
SMALL_MOST_WINDOWS = 250_000           # a search that would read more skin-coloured windows is not run (~0.5 s);
                                       # the most any real photo measured needs is 188,000 (a group portrait)


# How often the page's verdict was right on real photos nobody tuned the detector on: the three held-out sets
# together (118 photos), "All three held-out sets" in HELD_OUT_RESULTS. A big face is at least a sixth of the
# photo's shorter side; a person counts as found only at "a face", a face-free photo as right unless called a face.
# tests/unit/test_classic_record.py checks these numbers against that file.
HELD_OUT_RESULTS = "benchmarks/results/classify-held-out-c-2026-12-06.md"
HELD_OUT = {"big faces": (29, 32), "small faces": (6, 14), "face-free photos": (71, 72)}


def record_counts(held_out):
    """(big, n_big, small, n_small, free, n_free): a held-out record's faces found among big and small faces, and
    face-free photos not called a face."""
    return tuple(n for k in ("big faces", "small faces", "face-free photos") for n in held_out[k])


def record_sentence():
    """What the detector's verdicts are worth, in words: its measured record on photos nobody tuned it on."""
    big, n_big, small, n_small, free, n_free = record_counts(HELD_OUT)
    return (f"How far to trust it: on {n_big + n_small + n_free} real photos nobody tuned it on, it found the face in "
            f"{big} of {n_big} photos of people whose face is at least a sixth of the photo's shorter side, but in "
            f"only {small} of {n_small} with smaller faces; the faces it missed were small, turned away, partly "
            f"covered or cut off by the frame. It called {n_free - free} of {n_free} photos without a person a face.")


@lru_cache(maxsize=1)
def cascade():
    """The bundled cascade, read once per process (about 0.1 s)."""
    return haar.load()


def resized(im, side, enlarge=True):
    """The photo with shorter side `side` (shrunk by box averaging; enlarged bilinearly for a small photo, or kept at
    its size when `enlarge` is False), long side at most 4 × `side` (MAX_LONG_SIDE for WORK_SIDE), and at least one
    window each way.

    im : PIL.Image.Image. Returns (PIL.Image.Image in mode "L" or "RGB", scale = copy pixels per photo pixel).
    """
    w, h = im.size
    scale = min(side / min(w, h), side * MAX_LONG_SIDE / WORK_SIDE / max(w, h))
    scale = scale if enlarge else min(1.0, scale)
    size = (max(haar.WINDOW, round(w * scale)), max(haar.WINDOW, round(h * scale)))
    small = im if im.mode in ("L", "RGB") else im.convert("RGB")
    if size != (w, h):      # resized first, then made grey: no full-size grey copy of a 20-megapixel photo
        small = small.resize(size, Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR)
    return small, size[1] / h


def work_copy(im, side=WORK_SIDE):
    """The grey copy the detector searches (see resized).

    im : PIL.Image.Image
    Returns (ndarray (h, w) float32 grey levels 0..255, scale = copy pixels per photo pixel).
    """
    small, scale = resized(im, side)
    return np.asarray(small.convert("L"), dtype=np.float32), scale


def verdict(neighbours, face_at=FACE_AT, unsure_from=UNSURE_FROM):
    """"face", "unsure" or "not a face" for the number of windows in the biggest group (the small-face search's
    bars: face_at=SMALL_FACE_AT, unsure_from=SMALL_UNSURE_FROM)."""
    if neighbours >= face_at:
        return "face"
    return "unsure" if neighbours >= unsure_from else "not a face"


def skin_mask(rgb):
    """Which pixels are skin-coloured: Cb and Cr (the colour without its brightness, JPEG's YCbCr) inside SKIN.

    rgb : uint8 ndarray (h, w, 3). Returns float32 ndarray (h, w) of 0 and 1. A grey pixel (Cb = Cr = 128) never is.
    """
    ycc = np.asarray(Image.fromarray(np.asarray(rgb, dtype=np.uint8), "RGB").convert("YCbCr"), dtype=np.int16)
    cb, cr = ycc[..., 1], ycc[..., 2]
    lo_b, hi_b, lo_r, hi_r = SKIN
    return ((cb >= lo_b) & (cb <= hi_b) & (cr >= lo_r) & (cr <= hi_r)).astype(np.float32)


def small_faces(im):
    """The small-face search: faces from a twentieth to a tenth of the shorter side, only in skin-coloured windows.

    im : PIL.Image.Image in colour (mode "RGB"). Returns (core.maths.haar.Detection on a copy with a SMALL_SIDE
    shorter side, or the photo itself when it is smaller: a copy is never enlarged, since an enlarged face has no
    more detail to find; scale = copy pixels per photo pixel), or (None, estimate) when the search would read more
    than SMALL_MOST_WINDOWS skin-coloured windows (a panorama of fur or sand): it is not run, so its time stays
    bounded.
    """
    small, scale = resized(im, SMALL_SIDE, enlarge=False)
    mask = skin_mask(np.asarray(small))
    estimate = skin_windows(mask)
    if estimate > SMALL_MOST_WINDOWS:
        return None, estimate
    grey = np.asarray(small.convert("L"), dtype=np.float32)
    found = haar.detect(cascade(), grey, largest=SMALL_LARGEST, where=(mask, SKIN_SHARE))
    return found, scale


def skin_windows(mask):
    """About how many windows the small-face search would read on this skin mask (before the flat ones are left
    out): the skin-coloured windows of its first level, times the windows of every level over the first's."""
    h, w = mask.shape
    rows, cols = np.arange(0, h - haar.WINDOW + 1, 2), np.arange(0, w - haar.WINDOW + 1, 2)
    rr, cc = (a.ravel() for a in np.meshgrid(rows, cols, indexing="ij"))
    inside = int(np.sum(haar.middle_share(mask, rr, cc, haar.WINDOW, haar.WINDOW) >= SKIN_SHARE))
    levels, factor = 0.0, 1.0
    while haar.WINDOW * factor <= SMALL_LARGEST and round(min(h, w) / factor) >= haar.WINDOW:
        levels += 1 / factor ** 2
        factor *= haar.SCALE_FACTOR
    return round(inside * levels)


@dataclass(frozen=True)
class Finding:
    """The detector's answer for one photo.

    boxes : ndarray (n, 3): top, left, side of each face found (at least UNSURE_FROM windows), in pixels of the
        photo, biggest group first; then the small-face search's (at least SMALL_UNSURE_FROM windows)
    neighbours : ndarray (n,) of int: the windows in each group
    best : int, the windows in the biggest group of any size (0 if no window passed)
    windows : int, how many windows were searched
    small_best : int, the windows in the small-face search's biggest group, None when it did not run (a face was
        found by the first search, or the photo is grey)
    small_found : int, how many of `boxes` (the last ones) the small-face search found
    small_windows : int, how many windows it read: the skin-coloured ones not too flat to read (`windows` and
        `survivors` are the first search's); when small_best is None and small_windows > 0, the search was not
        run because it would have read about that many (more than SMALL_MOST_WINDOWS)
    survivors : ndarray (stages + 2,) of int: every window, those not too flat to read, then those left after
        each stage (see core.maths.haar.Detection)
    work_shape : (h, w) of the grey copy searched
    network : core.lessons.face_network.NetworkFinding, the face network's answer, asked when the cascade's
        searches found no face (None when they did)
    """

    boxes: np.ndarray
    neighbours: np.ndarray
    best: int
    windows: int
    survivors: np.ndarray
    work_shape: tuple
    small_best: int | None = None
    small_found: int = 0
    small_windows: int = 0
    network: face_network.NetworkFinding | None = None

    @property
    def cascade_verdict(self):
        """The cascade's verdict: the surer of its two searches'."""
        first = verdict(self.best)
        if self.small_best is None:
            return first
        return min(first, verdict(self.small_best, SMALL_FACE_AT, SMALL_UNSURE_FROM), key=VERDICTS.index)

    @property
    def verdict(self):
        """The photo's verdict: the cascade's, or the network's when it was asked and is surer."""
        if self.network is None:
            return self.cascade_verdict
        return min(self.cascade_verdict, self.network.verdict, key=VERDICTS.index)

    @property
    def face_at(self):
        """For each box, the windows from which it counts as a face (the bar of the search that found it)."""
        n = len(self.boxes)
        return np.array([FACE_AT] * (n - self.small_found) + [SMALL_FACE_AT] * self.small_found, dtype=np.int64)

    @property
    def stages(self):
        return len(self.survivors) - 2


def find_faces(im):
    """Search a photo for faces: the cascade, then (when it finds none) the face network.

    im : PIL.Image.Image (decoded and bounded by core.data.images)."""
    found = cascade_faces(im)
    if found.verdict == "face":
        return found
    return replace(found, network=face_network.find_faces(im))


def cascade_faces(im):
    """The cascade's two searches (see the module's docstring); Finding.network is None."""
    work, scale = work_copy(im)
    found = haar.detect(cascade(), work)
    keep = found.neighbours >= UNSURE_FROM
    first = Finding(boxes=found.boxes[keep] / scale, neighbours=found.neighbours[keep], best=found.best,
                    windows=found.windows, survivors=found.survivors, work_shape=work.shape)
    if first.verdict == "face" or im.mode != "RGB" or min(im.size) <= WORK_SIDE:
        return first          # (the first search read a photo this small at full size, faces from 24 pixels)
    more, small_scale = small_faces(im)
    if more is None:                          # too much of the photo is skin-coloured: not searched (the estimate)
        return replace(first, small_windows=small_scale)
    add = more.neighbours >= SMALL_UNSURE_FROM
    return replace(first, boxes=np.vstack([first.boxes, more.boxes[add] / small_scale]),
                   neighbours=np.concatenate([first.neighbours, more.neighbours[add]]),
                   small_best=more.best, small_found=int(add.sum()),
                   small_windows=int(more.survivors[1]))
