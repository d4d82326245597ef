"""Damaged uploads in every format the app reads: a larger sweep than the unit test's 300 examples.

    .venv/bin/python benchmarks/fuzz_images.py                      # 2,000 files per format, seed 0
    .venv/bin/python benchmarks/fuzz_images.py --per-format 500 --seed 1 --formats HEIF,AVIF

Each file is a small valid image (noise, 24 × 16, or a smooth 96 × 64 picture) with 1 to 8 random changes: a byte
replaced, a run of bytes deleted, or a 32-bit number written over four bytes (a box's length, a width, an offset).
`load_image` must return an image in mode "L" or "RGB" or raise InputError. The files are decoded in a child
process, so that a decoder that crashes the process (a C library's fault) is caught and its file kept under
/tmp/basin-fuzz-images/ instead of ending the run.

Prints, per format: files, read as images, refused with a sentence, any other exception, crashes, and the median
and largest time per file.
"""

import argparse
import io
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.data.images import load_image  # noqa: E402  (also registers the HEIF plugin)
from core.errors import InputError  # noqa: E402

FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "HEIF", "AVIF")
KEEP = Path("/tmp/basin-fuzz-images")


def seeds(fmt):
    rng = np.random.default_rng(0)
    noise = Image.fromarray(rng.integers(0, 256, (16, 24, 3), dtype=np.uint8))
    y, x = np.mgrid[0:64, 0:96]
    smooth = Image.fromarray(np.stack([x * 255 // 96, y * 255 // 64, (x + y) * 255 // 160], -1).astype(np.uint8))
    out = []
    for im in (noise, smooth):
        buffer = io.BytesIO()
        (im.convert("P") if fmt == "GIF" else im).save(buffer, format=fmt)
        out.append(buffer.getvalue())
    return out


def mutate(data, rng):
    data = bytearray(data)
    for _ in range(int(rng.integers(1, 9))):
        if len(data) < 8:
            break
        i = int(rng.integers(0, len(data) - 4))
        kind = rng.integers(0, 3)
        if kind == 0:
            data[i] = int(rng.integers(0, 256))
        elif kind == 1:
            del data[i:i + int(rng.integers(1, 41))]
        else:
            value = int(rng.choice([0, 1, 0x7FFFFFFF, 0xFFFFFFFF, 65536, int(rng.integers(0, 2**32))]))
            data[i:i + 4] = value.to_bytes(4, "big")
    return bytes(data)


def worker(conn):
    while True:
        data = conn.recv()
        if data is None:
            return
        start = time.perf_counter()
        try:
            out = load_image(data)
            result = "image" if out.mode in ("L", "RGB") else f"mode {out.mode}"
        except InputError:
            result = "refused"
        except Exception as err:  # noqa: BLE001  (what the sweep looks for)
            result = f"{type(err).__name__}: {err}"[:120]
        conn.send((result, time.perf_counter() - start))


def sweep(fmt, count, seed):
    rng = np.random.default_rng([seed, FORMATS.index(fmt)])
    files = [mutate(s, rng) for s in seeds(fmt) for _ in range(count // 2)]
    counts = {"image": 0, "refused": 0, "other": 0, "crash": 0}
    times, others = [], []
    parent, child = mp.Pipe()
    proc = mp.Process(target=worker, args=(child,), daemon=True)
    proc.start()
    for n, data in enumerate(files):
        parent.send(data)
        if not parent.poll(60):
            proc.kill()
            result = "crash"
        else:
            try:
                result, seconds = parent.recv()
                times.append(seconds)
            except EOFError:
                result = "crash"
        if result == "crash" or not proc.is_alive():
            counts["crash"] += 1
            KEEP.mkdir(exist_ok=True)
            (KEEP / f"{fmt.lower()}-{seed}-{n}.bin").write_bytes(data)
            parent, child = mp.Pipe()
            proc = mp.Process(target=worker, args=(child,), daemon=True)
            proc.start()
        elif result in ("image", "refused"):
            counts[result] += 1
        else:
            counts["other"] += 1
            others.append(result)
    parent.send(None)
    proc.join(5)
    return counts, times, others


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-format", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    print("| format | files | read | refused with a sentence | other exception | crash | median ms | max ms |")
    print("|---|---|---|---|---|---|---|---|")
    for fmt in args.formats.split(","):
        counts, times, others = sweep(fmt, args.per_format, args.seed)
        print(f"| {fmt} | {sum(counts.values()):,} | {counts['image']:,} | {counts['refused']:,} | "
              f"{counts['other']} | {counts['crash']} | {statistics.median(times) * 1000:.2f} | "
              f"{max(times) * 1000:.0f} |", flush=True)
        for line in sorted(set(others))[:5]:
            print(f"    {line}")


if __name__ == "__main__":
    main()
