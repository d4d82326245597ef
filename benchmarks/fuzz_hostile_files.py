"""Crafted hostile files, larger than the unit tests' (tests/unit/test_hostile_files.py): JPEG scan and segment bombs
at full size, damaged EXIF blocks in PNG, JPEG and WebP, and the slowest CSV files that fit in 2 MB.

    .venv/bin/python benchmarks/fuzz_hostile_files.py              # about half a minute
    .venv/bin/python benchmarks/fuzz_hostile_files.py --exif 20000

Each input must give an image (or parsed data) or an InputError; prints the outcome and the time of each crafted file,
and for the EXIF sweep the counts and the slowest file. Run on 2 shared cores: quote times against each other.
"""

import argparse
import collections
import io
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.data import owndata  # noqa: E402
from core.data.images import MAX_JPEG_SCANS, load_image  # noqa: E402
from core.errors import InputError  # noqa: E402


def encode(im, fmt, **kwargs):
    buffer = io.BytesIO()
    im.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def scans_bomb(total, size):
    data = encode(Image.new("RGB", size, (120, 80, 60)), "JPEG", progressive=True, subsampling=0)
    starts = [i for i in range(len(data) - 1) if data[i:i + 2] == b"\xff\xda"]
    return data[:-2] + data[starts[-1]:-2] * (total - len(starts)) + b"\xff\xd9"


def outcome(fn, data):
    start = time.perf_counter()
    try:
        out = fn(data)
        result = f"read {getattr(out, 'size', '')}"
    except InputError as err:
        result = f"refused: {str(err)[:70]}"
    except Exception as err:  # noqa: BLE001  (what the sweep looks for)
        result = f"OTHER {type(err).__name__}: {err}"[:100]
    return result, time.perf_counter() - start


def crafted():
    base = encode(Image.new("RGB", (8, 8)), "JPEG")
    yield "JPEG 5160x3870, 100 scans (the limit)", load_image, scans_bomb(MAX_JPEG_SCANS, (5160, 3870))
    yield "JPEG 5160x3870, 20,000 scans", load_image, scans_bomb(20_000, (5160, 3870))
    yield "JPEG, 2.5 million empty comments", load_image, (base[:2] + b"\xff\xfe\x00\x02" * 2_499_000 + base[2:])
    M = 2_000_000
    yield "CSV, header + 2 MB of trailing commas", owndata.parse_csv, b"x,y" + b"," * (M - 20) + b"\n1,0\n2,1\n"
    yield "CSV, 2 MB of NUL bytes", owndata.parse_csv, b"\x00" * M
    yield "CSV, 2 MB of blank lines", owndata.parse_csv, b"x,y\n" + b"\n" * (M - 20) + b"1,0\n2,1\n"
    yield "CSV, 2 MB of empty rows (commas)", owndata.parse_csv, b"x,y\n" + b",\n" * ((M - 20) // 2) + b"1,0\n2,1\n"
    yield "CSV, 200,000 columns", owndata.parse_csv, b",".join(b"c%d" % i for i in range(200_000))[:M] + b"\n1,0\n"


def exif_sweep(count, seed):
    exif = Image.Exif()
    exif[0x0112], exif[0x010F] = 6, "Camera"
    exif[0x8769] = {0x9003: "2020:01:01 00:00:00", 0x927C: b"x" * 40}
    raw = exif.tobytes()
    rng = np.random.default_rng(seed)
    small = Image.new("RGB", (6, 4), (10, 200, 30))
    counts, others, slowest = collections.Counter(), collections.Counter(), 0.0
    for n in range(count):
        block = bytearray(raw)
        for _ in range(int(rng.integers(1, 6))):
            i = int(rng.integers(0, len(block) - 4))
            value = int(rng.choice([0, 1, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 8, int(rng.integers(0, 2**32))]))
            block[i:i + 4] = value.to_bytes(4, "little") if rng.integers(0, 2) else bytes([value & 255] * 4)
        fmt = ("PNG", "JPEG", "WEBP")[n % 3]
        data = encode(small, fmt, exif=b"Exif\x00\x00" + bytes(block) if fmt == "JPEG" else bytes(block))
        result, seconds = outcome(load_image, data)
        kind = "read" if result.startswith("read") else "refused" if result.startswith("refused") else "other"
        counts[kind] += 1
        if kind == "other":
            others[f"{fmt} {result}"] += 1
        slowest = max(slowest, seconds)
    return counts, others, slowest


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exif", type=int, default=3000, help="damaged EXIF blocks to try")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    warnings.simplefilter("ignore")   # Pillow warns about each damaged EXIF block
    print("| input | bytes | outcome | ms |\n|---|---|---|---|")
    for name, fn, data in crafted():
        result, seconds = outcome(fn, data)
        print(f"| {name} | {len(data):,} | {result} | {seconds * 1000:.0f} |", flush=True)
    counts, others, slowest = exif_sweep(args.exif, args.seed)
    print(f"\nDamaged EXIF blocks: {args.exif:,} files, {counts['read']:,} read, {counts['refused']:,} refused, "
          f"{counts['other']} other exceptions; slowest {slowest * 1000:.0f} ms")
    for line, n in others.most_common(5):
        print(f"    {n} × {line}")


if __name__ == "__main__":
    main()
