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
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image

from core.maths import haar

WORK_SIDE = 240          # the search runs on a grey copy with this shorter side: the smallest face looked for is
SMALLEST_FRACTION = haar.WINDOW / WORK_SIDE  # 24 / 240 = 1/10 of the shorter side
MAX_LONG_SIDE = 4 * WORK_SIDE   # a panorama's copy is at most 960 pixels long (its smallest face grows to match)
FACE_AT = 11             # windows in the biggest group: "a face" from here
UNSURE_FROM = 7          # "unsure" from here to FACE_AT − 1; fewer: "not a face"
VERDICTS = ("face", "unsure", "not a face")


@lru_cache(maxsize=1)
def cascade():
    """The bundled cascade, read once per process (about 0.1 s)."""
    return haar.load()


def work_copy(im, side=WORK_SIDE):
    """The grey copy the detector searches: shorter side `side` (shrunk by box averaging, or enlarged
    bilinearly for a small photo), long side at most 4 × `side` (MAX_LONG_SIDE for WORK_SIDE).

    im : PIL.Image.Image
    Returns (ndarray (h, w) float32 grey levels 0..255, scale = copy pixels per photo pixel).
    """
    w, h = im.size
    scale = min(side / min(w, h), side * MAX_LONG_SIDE / WORK_SIDE / max(w, h))
    size = (max(haar.WINDOW, round(w * scale)), max(haar.WINDOW, round(h * scale)))
    small = im if im.mode in ("L", "RGB") else im.convert("RGB")
    if size != (w, h):      # resized first, then made grey: no full-size grey copy of a 20-megapixel photo
        small = small.resize(size, Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR)
    return np.asarray(small.convert("L"), dtype=np.float32), size[1] / h


def verdict(neighbours):
    """"face", "unsure" or "not a face" for the number of windows in the biggest group."""
    if neighbours >= FACE_AT:
        return "face"
    return "unsure" if neighbours >= UNSURE_FROM else "not a face"


@dataclass(frozen=True)
class Finding:
    """The detector's answer for one photo.

    boxes : ndarray (n, 3): top, left, side of each face found (at least UNSURE_FROM windows), in pixels of the
        photo, biggest group first
    neighbours : ndarray (n,) of int: the windows in each group
    best : int, the windows in the biggest group of any size (0 if no window passed)
    windows : int, how many windows were searched
    survivors : ndarray (stages + 2,) of int: every window, those not too flat to read, then those left after
        each stage (see core.maths.haar.Detection)
    work_shape : (h, w) of the grey copy searched
    """

    boxes: np.ndarray
    neighbours: np.ndarray
    best: int
    windows: int
    survivors: np.ndarray
    work_shape: tuple

    @property
    def verdict(self):
        return verdict(self.best)

    @property
    def stages(self):
        return len(self.survivors) - 2


def find_faces(im):
    """Search a photo for faces. im : PIL.Image.Image (decoded and bounded by core.data.images)."""
    work, scale = work_copy(im)
    found = haar.detect(cascade(), work)
    keep = found.neighbours >= UNSURE_FROM
    return Finding(boxes=found.boxes[keep] / scale, neighbours=found.neighbours[keep], best=found.best,
                   windows=found.windows, survivors=found.survivors, work_shape=work.shape)
