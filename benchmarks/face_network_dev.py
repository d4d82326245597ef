"""The face network's bars, chosen on development photos only (core/lessons/face_network.py).

Development photos only (no held-out photo is read), the same as benchmarks/classic_small_faces.py:
- face-free: classify_photos.py's eight, the eight in data/scenes.npz, and eleven more of scikit-image's photos at
  full size;
- faces: the six dev portraits, whole; and each portrait's labelled face with its head and shoulders pasted at a
  random place into each of the seven face-free dev photos at least 300 pixels on the shorter side, the face 1/8,
  1/11, 1/13, 1/16 and 1/19 of that side (42 photos per size, seeded);
- the time of `find_faces` per photo, and on a 12-megapixel photo (scikit-learn's china.jpg enlarged).

Prints the best score of every face-free photo, the portraits' scores, the share of pasted faces at or above each bar,
and the bars the rule gives: "unsure" above every face-free photo, "a face" at the geometric mean of the face-free
photos' highest score and the faces' median, rounded up to the next 0.05.

Run: python benchmarks/face_network_dev.py
Results: benchmarks/results/face-network-2026-12-07.md
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from classic_small_faces import SIZES, face_free_photos, pasted  # noqa: E402
from classify_photos import FACE_BOXES, dev_set  # noqa: E402
from PIL import Image  # noqa: E402

from core.lessons import face_network as fn  # noqa: E402


def main():
    fn.network()
    dev = dev_set()
    free = face_free_photos(dev)
    print("| face-free development photo | size | best score | pictures read | ms |")
    print("|---|---|---|---|---|")
    free_best, times = [], []
    for name, im in free:
        start = time.perf_counter()
        found = fn.find_faces(im)
        times.append(time.perf_counter() - start)
        free_best.append(found.best)
        print(f"| {name} | {im.size[0]} × {im.size[1]} | {found.best:.3f} | {found.reads} | {times[-1] * 1000:.0f} |")
    print(f"\nhighest score of a face-free photo: {max(free_best):.3f} ({len(free)} photos); time per photo: median "
          f"{np.median(times) * 1000:.0f} ms, most {max(times) * 1000:.0f} ms\n")
    portraits = [(n, im) for n, label, im in dev if label]
    scores = [fn.find_faces(im).best for _, im in portraits]
    print("portraits, whole:", ", ".join(f"{n} {s:.3f}" for (n, _), s in zip(portraits, scores, strict=True)))
    faces = list(scores)
    rng = np.random.default_rng(0)
    scenes = [(n, im) for n, im in free[:8] if min(im.size) >= 300]
    rows = []
    for d in SIZES:
        got = np.array([fn.find_faces(pasted(p, FACE_BOXES[n], sc, d, rng)).best for n, p in portraits
                        for _, sc in scenes])
        faces += list(got)
        rows.append((d, got))
    median = float(np.median(faces))
    unsure_from = math.ceil(max(free_best) * 100 + 1e-9) / 100
    face_at = math.ceil(math.sqrt(max(free_best) * median) * 20) / 20
    print(f"\nfaces' median (portraits and pasted): {median:.3f}; the rule's bars: unsure from {unsure_from:.2f}, "
          f"a face from {face_at:.2f} (the page's: {fn.UNSURE_FROM}, {fn.FACE_AT})\n")
    print("| face / shorter side | photos | median score (10th–90th percentile) | ≥ FACE_AT | ≥ UNSURE_FROM | "
          "above every face-free photo |")
    print("|---|---|---|---|---|---|")
    for d, got in rows:
        lo, hi = np.percentile(got, [10, 90])
        print(f"| 1/{d} | {len(got)} | {np.median(got):.2f} ({lo:.2f}–{hi:.2f}) | {np.mean(got >= fn.FACE_AT):.0%} | "
              f"{np.mean(got >= fn.UNSURE_FROM):.0%} | {np.mean(got > max(free_best)):.0%} |")
    from sklearn.datasets import load_sample_image
    big = Image.fromarray(load_sample_image("china.jpg")).resize((4000, 3000))
    spent = []
    for _ in range(5):
        start = time.perf_counter()
        found = fn.find_faces(big)
        spent.append(time.perf_counter() - start)
    print(f"\n12-megapixel photo (china.jpg enlarged): {np.median(spent) * 1000:.0f} ms median of 5 "
          f"({min(spent) * 1000:.0f}–{max(spent) * 1000:.0f}), {found.reads} pictures read, best {found.best:.3f}")


if __name__ == "__main__":
    main()
