"""Does a photo get the same answers when a phone saves it as HEIC or AVIF instead of JPEG?

    .venv/bin/python benchmarks/formats_agree.py                              # the dev photos
    .venv/bin/python benchmarks/formats_agree.py --manifest DIR/manifest.json # and a held-out set (see
                                                                              # classify_held_out_photos.py)

Each photo (as load_image reads it) is saved four ways: PNG (lossless: the reference), and as a phone would, JPEG
at quality 90, HEIC (HEIF, HEVC) and AVIF at quality 80; each file then goes through load_image and the three face
finders of the Classify page (the classic detector, the edges neuron's scan, the pixels neuron's scan). Counts the
photos whose verdict from each lossy file is the lossless one's (so HEIC and AVIF are held to what JPEG does, not
to perfection), the largest difference in a neuron's score, and the median decode time of each format for a
12-megapixel photo (4,032 × 3,024, a phone's size: the dev photo `astronaut` enlarged).
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.classify_held_out_photos import manifest_set  # noqa: E402
from benchmarks.classify_photos import dev_set  # noqa: E402
from core.data import images  # noqa: E402
from core.lessons import classic_detector, detector, face_training  # noqa: E402

SAVE = {"PNG": {"compress_level": 1}, "JPEG": {"quality": 90}, "HEIF": {"quality": 80}, "AVIF": {"quality": 80}}


def encoded(im, fmt):
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **SAVE[fmt])
    return buffer.getvalue()


def answers(data, neurons):
    im = images.load_image(data)
    out = {"classic": (classic_detector.find_faces(im).verdict, None)}
    for rep, trained in neurons.items():
        score = detector.scan(trained.neuron, im).score
        out[rep] = (trained.neuron.verdict(score), score)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", action="append", default=[])
    args = parser.parse_args()
    photos = [(name, label, im) for name, label, im in dev_set()]
    for path in args.manifest:
        photos += [(name, label, im) for name, label, im, _ in manifest_set(path)[0]]
    neurons = face_training.load_bundled()
    lossy = ("JPEG", "HEIF", "AVIF")
    same = {fmt: {"classic": 0, "edges": 0, "pixels": 0} for fmt in lossy}
    largest = {fmt: 0.0 for fmt in lossy}
    for name, _, im in photos:
        got = {fmt: answers(encoded(im, fmt), neurons) for fmt in SAVE}
        for fmt in lossy:
            for finder, (verdict, score) in got[fmt].items():
                same[fmt][finder] += verdict == got["PNG"][finder][0]
                if score is not None:
                    largest[fmt] = max(largest[fmt], abs(score - got["PNG"][finder][1]))
            differs = [f for f in got[fmt] if got[fmt][f][0] != got["PNG"][f][0]]
            if differs:
                print(f"    {name} as {fmt}: " + ", ".join(
                    f"{f} {got[fmt][f][0]} (lossless: {got['PNG'][f][0]})" for f in differs))
    n = len(photos)
    print(f"\n{n} photos. The same verdict as from the lossless (PNG) file:")
    print("| format | classic detector | edges neuron | pixels neuron | largest score difference |")
    print("|---|---|---|---|---|")
    for fmt in lossy:
        print(f"| {fmt} | {same[fmt]['classic']}/{n} | {same[fmt]['edges']}/{n} | {same[fmt]['pixels']}/{n} | "
              f"{largest[fmt]:.3f} |")

    big = photos[[name for name, _, _ in photos].index("astronaut")][2].resize((4032, 3024))
    print("\nload_image of a 12-megapixel photo (4,032 × 3,024), median of 5:")
    print("| format | file | median ms | range |")
    print("|---|---|---|---|")
    for fmt in SAVE:
        data = encoded(big, fmt)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            images.load_image(data)
            times.append((time.perf_counter() - start) * 1000)
        print(f"| {fmt} | {len(data) / 2**20:.1f} MB | {statistics.median(times):.0f} | "
              f"{min(times):.0f}–{max(times):.0f} |")


if __name__ == "__main__":
    main()
