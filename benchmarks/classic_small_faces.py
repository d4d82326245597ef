"""Could the classic detector find small faces? A second, finer search, measured on development photos only.

The page's search (core/lessons/classic_detector.py) runs on a grey copy with a 240-pixel shorter side, so the
smallest face it looks for is a tenth of that side. The held-out photos it misses are small faces (a footballer on a
pitch, a man far down a corridor, a bus). This experiment adds a *fine search*: a copy with a 480-pixel shorter side,
windows of 24 to 48 pixels only (faces from a twentieth to a tenth of the shorter side), and asks whether the number
of windows grouped on a face (the verdict's measure) still tells small faces from face-free photos.

Development photos only (no held-out photo is read):
- face-free: classify_photos.py's eight, the eight in data/scenes.npz, and eleven more of scikit-image's photos at
  full size (cell, clock, coins, grass, gravel, immunohistochemistry, logo, moon, page, retina, text);
- small faces: each of the six dev portraits' labelled face (classify_photos.FACE_BOXES), cut with its head and
  shoulders and pasted at a random place into each of the seven face-free dev photos at least 300 pixels on the
  shorter side, the face 1/8, 1/11, 1/13, 1/16 and 1/19 of that side (42 photos per size, seeded);
- the time of the fine search on a 12-megapixel photo (scikit-learn's china.jpg enlarged), beside the page's search.

Since 2026-12-06 the page runs a small-face search that reads only skin-coloured windows (classic_detector.small_faces);
its column "skin search" is measured here as the page runs it, on the colour photos (a grey photo gets no second
search), and chose its bars (SMALL_UNSURE_FROM, SMALL_FACE_AT).

Run: python benchmarks/classic_small_faces.py
Results: benchmarks/results/classic-small-faces-2026-12-05.md (the fine search), -2026-12-06.md (the skin search)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from classify_photos import FACE_BOXES, dev_set  # noqa: E402
from PIL import Image  # noqa: E402

from core.data.datasets import load_scenes  # noqa: E402
from core.lessons import classic_detector as cd  # noqa: E402
from core.maths import haar  # noqa: E402

FINE_SIDE = 2 * cd.WORK_SIDE            # the fine search's copy: faces of 24 pixels there are 1/20 of the side
FINE_LARGEST = 2 * haar.WINDOW          # up to 48 pixels: where the page's own search starts
MORE_FACE_FREE = ("cell", "clock", "coins", "grass", "gravel", "immunohistochemistry", "logo", "moon", "page",
                  "retina", "text")
SIZES = (8, 11, 13, 16, 19)             # shorter side / face side


def fine_best(im):
    """Windows in the biggest group of the fine search, and its time in seconds."""
    start = time.perf_counter()
    work, _ = cd.work_copy(im, side=FINE_SIDE)
    found = haar.detect(cd.cascade(), work, largest=FINE_LARGEST)
    return found.best, time.perf_counter() - start


def skin_best(im):
    """Windows in the biggest group of the page's small-face search (0 for a grey photo, which gets none, and for a
    photo so skin-coloured that it is not run)."""
    found = cd.small_faces(im)[0] if im.mode == "RGB" else None
    return 0 if found is None else found.best


def pasted(portrait, box, scene, d, rng):
    """The portrait's face (top, left, side) with its head and shoulders, shrunk so the face is 1/d of the scene's
    shorter side, pasted at a random place into a copy of the scene."""
    top, left, side = box
    w, h = portrait.size
    cut = portrait.convert("RGB").crop((max(0, left - side // 2), max(0, top - side // 2),
                                        min(w, left + 3 * side // 2), min(h, top + 2 * side)))
    k = min(scene.size) / d / side
    patch = cut.resize((max(1, round(cut.width * k)), max(1, round(cut.height * k))), Image.Resampling.LANCZOS)
    out = scene.convert("RGB")
    out.paste(patch, (int(rng.integers(0, max(1, out.width - patch.width))),
                      int(rng.integers(0, max(1, out.height - patch.height)))))
    return out


def face_free_photos(dev):
    import skimage.data
    out = [(n, im) for n, label, im in dev if not label]
    out += [(n, Image.fromarray(np.asarray(a))) for n, a in load_scenes().items()]
    for n in MORE_FACE_FREE:
        a = np.asarray(getattr(skimage.data, n)())
        out.append((n + " (full size)", Image.fromarray(a[..., :3] if a.ndim == 3 else a)))
    return out


def main():
    cd.cascade()
    dev = dev_set()
    print(f"fine search: copy {FINE_SIDE} px on the shorter side, windows {haar.WINDOW}–{FINE_LARGEST} px; "
          f"the page's search: {cd.WORK_SIDE} px, every window from {haar.WINDOW} px\n")
    print("| face-free development photo | size | page's search: biggest group | fine search: biggest group | "
          "skin search |")
    print("|---|---|---|---|---|")
    free = face_free_photos(dev)
    free_page, free_fine, free_skin = [], [], []
    for name, im in free:
        page, (fine, _), skin = cd.find_faces(im).best, fine_best(im), skin_best(im)
        free_page.append(page)
        free_fine.append(fine)
        free_skin.append(skin)
        print(f"| {name} | {im.size[0]} × {im.size[1]} | {page} | {fine} | {skin if im.mode == 'RGB' else '(grey)'} |")
    print(f"\nmost windows in a group on a face-free photo: page's search {max(free_page)}, fine search "
          f"{max(free_fine)}, skin search {max(free_skin)} ({len(free)} photos, "
          f"{sum(im.mode == 'RGB' for _, im in free)} in colour)\n")
    rng = np.random.default_rng(0)
    portraits = [(n, im) for n, label, im in dev if label]
    scenes = [(n, im) for n, im in free[:8] if min(im.size) >= 300]
    print("| face / shorter side | photos | page's search: median, ≥ FACE_AT | fine search: median (10th–90th "
          "percentile) | fine search above every face-free photo | colour photos | skin search: median (10th–90th) "
          "| above every face-free photo | ≥ SMALL_FACE_AT | the page's verdict: a face, unsure |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for d in SIZES:
        page, fine, skin, said = [], [], [], []
        for name, portrait in portraits:
            for _, scene in scenes:
                im = pasted(portrait, FACE_BOXES[name], scene, d, rng)
                page.append(cd.find_faces(im).best)
                fine.append(fine_best(im)[0])
                if portrait.mode == "RGB":       # the grey portrait (camera) pasted gives a photo without skin
                    skin.append(skin_best(im))
                    said.append(cd.find_faces(im).verdict)
        page, fine, skin, said = np.array(page), np.array(fine), np.array(skin), np.array(said)
        lo, hi = np.percentile(fine, [10, 90])
        slo, shi = np.percentile(skin, [10, 90])
        print(f"| 1/{d} | {len(fine)} | {np.median(page):.0f}, {np.mean(page >= cd.FACE_AT):.0%} | "
              f"{np.median(fine):.0f} ({lo:.0f}–{hi:.0f}) | {np.mean(fine > max(free_fine)):.0%} | {len(skin)} | "
              f"{np.median(skin):.0f} ({slo:.0f}–{shi:.0f}) | {np.mean(skin > max(free_skin)):.0%} | "
              f"{np.mean(skin >= cd.SMALL_FACE_AT):.0%} | {np.mean(said == 'face'):.0%}, "
              f"{np.mean(said == 'unsure'):.0%} |")
    from sklearn.datasets import load_sample_image
    big = Image.fromarray(load_sample_image("china.jpg")).resize((4000, 3000))
    page_t, fine_t, first_t = [], [], []
    for _ in range(5):
        start = time.perf_counter()
        cd.find_faces(big)
        page_t.append(time.perf_counter() - start)
        fine_t.append(fine_best(big)[1])
        start = time.perf_counter()
        haar.detect(cd.cascade(), cd.work_copy(big)[0])
        first_t.append(time.perf_counter() - start)
    print(f"\n12-megapixel photo without a face (median of 5): the page's search, both searches "
          f"{np.median(page_t) * 1000:.0f} ms (the first alone {np.median(first_t) * 1000:.0f} ms); the fine search "
          f"{np.median(fine_t) * 1000:.0f} ms more")


if __name__ == "__main__":
    main()
