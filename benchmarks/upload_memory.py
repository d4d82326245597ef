"""Uploads on one server: peak memory for 4 photos at once, and the server time of a zoom move.

    .venv/bin/python benchmarks/upload_memory.py                 # this tree
    .venv/bin/python benchmarks/upload_memory.py --before 0149b0c # and an earlier commit, in the same run

Starts a server (serve.py, loopback) for the tree under test, talks to it with protocol sessions
(benchmarks/load/protocol.py: the browser's websocket messages, nothing rendered) and measures:

1. Four sessions upload a 20-megapixel 16-bit PNG (5000 × 4000, about 50 kB: nearly flat) into the Classify
   page's photo uploader at the same moment. Peak server RSS growth = the kernel's peak RSS (VmHWM, reset
   through /proc/<pid>/clear_refs just before; needs root or the server's own user) minus RSS before.
   Budget: ≤ +300 MB (DESIGN.md); the hardening review saw +1.35 GB.
2. One session uploads a photo, then moves the zoom slider `--moves` times; each move reruns the photo's
   fragment, as in the browser. Median time from the message to script_finished. Budget ≤ 100 ms. Photos:
   a 20-megapixel lossless WebP (under 1 kB, the costliest to decode) and a 12-megapixel JPEG; the baseline,
   measured in the same run, is a 64 × 48 photo (the fragment's own cost: crop, resize, two figures).

Prints one line per measurement and writes them as JSON (benchmarks/results/upload-memory-<tree>.json).
"""

import argparse
import asyncio
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load.protocol import ProtocolSession  # noqa: E402
from core.data import images  # noqa: E402, F401  (registers the HEIF plugin the phone photos are saved with)
from serve import LOCAL_OPTIONS, free_port, stop, wait_healthy  # noqa: E402

PHOTO_KEY, ZOOM_KEY = "clf_photo_file", "clf_fzoom"   # the face finder, the default way to classify a photo


def png_16bit(w=5000, h=4000) -> bytes:
    values = np.full((h, w), 30000, dtype=np.uint16)
    values[::97, ::89] = 65535  # a few bright points, so that it is not entirely flat
    buffer = io.BytesIO()
    Image.fromarray(values).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def webp_lossless(w=5000, h=4000) -> bytes:
    rgb = np.zeros((h, w, 3), dtype=np.uint8)
    rgb[..., 0] = 200
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="WEBP", lossless=True)
    return buffer.getvalue()


def jpeg_12mp(w=4000, h=3000) -> bytes:
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([(x * 255 // w), (y * 255 // h), ((x + y) * 127 // (w + h))], axis=-1).astype(np.uint8)
    rng = np.random.default_rng(0)
    rgb = np.clip(rgb + rng.integers(-20, 20, rgb.shape), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def phone_photo(fmt: str, w=5000, h=4000) -> bytes:
    """A 20-megapixel photo-like picture (gradients and a little noise) as a phone saves it: HEIF or AVIF."""
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([(x * 255 // w), (y * 255 // h), ((x + y) * 127 // (w + h))], axis=-1).astype(np.uint8)
    rgb = np.clip(rgb + np.random.default_rng(0).integers(-8, 8, rgb.shape), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format=fmt, quality=50)
    return buffer.getvalue()


def tiny_png() -> bytes:
    """A 64 × 48 photo: nothing to decode, so its zoom moves are the fragment's own cost (the baseline)."""
    buffer = io.BytesIO()
    pixels = np.random.default_rng(1).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux 4.0+)


def tree_of(commit: str | None) -> Path:
    """This repository, or an earlier commit of it exported to a temporary folder."""
    if commit is None:
        return ROOT
    folder = Path(tempfile.mkdtemp(prefix=f"basin-{commit[:7]}-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


async def concurrent_uploads(base: str, pid: int, data: bytes, n: int = 4, name: str = "photo.png",
                             mime: str = "image/png") -> dict:
    sessions = [ProtocolSession(base, run_timeout=120) for _ in range(n)]
    for s in sessions:
        await s.__aenter__()
    try:
        for s in sessions:
            await s.open("classify")
        await asyncio.sleep(1.0)
        before = rss_kb(pid)
        reset_peak(pid)
        t = time.perf_counter()
        results = await asyncio.gather(*(s.upload(PHOTO_KEY, f"{i}{name}", data, mime)
                                         for i, s in enumerate(sessions)), return_exceptions=True)
        seconds = time.perf_counter() - t
        peak = rss_kb(pid, "VmHWM")
        failures = [repr(r)[:200] for r in results if isinstance(r, Exception)]
        shown = [r.errors_shown for r in results if not isinstance(r, Exception)]
        return {"uploads": n, "bytes_each": len(data), "rss_before_mb": round(before / 1024),
                "peak_growth_mb": round((peak - before) / 1024), "seconds": round(seconds, 2),
                "failures": failures, "errors_shown": [e[:1] for e in shown]}
    finally:
        for s in sessions:
            await s.__aexit__(None, None, None)


async def zoom_moves(base: str, name: str, data: bytes, mime: str, moves: int) -> dict:
    async with ProtocolSession(base, run_timeout=120) as s:
        await s.open("classify")
        t = time.perf_counter()
        r = await s.upload(PHOTO_KEY, name, data, mime)
        first = time.perf_counter() - t
        times = []
        for i in range(moves):
            zoom = 1.0 + 0.1 * ((i % 20) + 1)
            t = time.perf_counter()
            await s.set_value(ZOOM_KEY, round(zoom, 1))
            times.append(time.perf_counter() - t)
        return {"photo": name, "bytes": len(data), "upload_rerun_s": round(first, 3),
                "zoom_median_ms": round(1000 * statistics.median(times), 1),
                "zoom_p90_ms": round(1000 * sorted(times)[int(0.9 * len(times)) - 1], 1), "moves": moves,
                "errors_shown": r.errors_shown[:1]}


def measure(tree: Path, moves: int, formats: bool = False, env: dict | None = None) -> dict:
    port = free_port()
    log = open(tempfile.mktemp(prefix="basin-server-", suffix=".log"), "wb")  # noqa: SIM115
    command = [sys.executable, str(tree / "serve.py"), *LOCAL_OPTIONS, f"--server.port={port}"]
    server = subprocess.Popen(command, cwd=tree, stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server, timeout=60)
        out = {"tree": "." if tree == ROOT else tree.name}  # this tree, or the exported commit

        async def run():
            async with ProtocolSession(base, run_timeout=120) as warm:  # train the bundled model once
                await warm.open("classify")
            out["concurrent_16bit"] = await concurrent_uploads(base, server.pid, png_16bit())
            if formats:  # four 20 MP uploads at once in each costly format
                out["concurrent_webp"] = await concurrent_uploads(base, server.pid, webp_lossless(), name="p.webp",
                                                                  mime="image/webp")
                for fmt, ext in (("HEIF", "heic"), ("AVIF", "avif")):
                    out[f"concurrent_{ext}"] = await concurrent_uploads(
                        base, server.pid, phone_photo(fmt), name=f"p.{ext}", mime=f"image/{ext}")
            out["zoom"] = [await zoom_moves(base, "tiny.png", tiny_png(), "image/png", moves),  # the baseline
                           await zoom_moves(base, "big.webp", webp_lossless(), "image/webp", moves),
                           await zoom_moves(base, "photo.jpg", jpeg_12mp(), "image/jpeg", moves)]
        asyncio.run(run())
        return out
    finally:
        stop(server)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="also measure this earlier commit, in the same run (e.g. 0149b0c)")
    parser.add_argument("--moves", type=int, default=15, help="zoom moves per photo (default 15)")
    parser.add_argument("--formats", action="store_true",
                        help="also four 20 MP uploads at once as WebP, HEIC and AVIF")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="also measure this tree with this environment variable set for the server, same run "
                             "(e.g. MALLOC_ARENA_MAX=2)")
    args = parser.parse_args()
    trees = ([("before", tree_of(args.before), None)] if args.before else []) + [("after", ROOT, None)]
    trees += [(f"after {pair}", ROOT, dict([pair.split("=", 1)])) for pair in args.env]
    results = {}
    for label, tree, env in trees:
        results[label] = measure(tree, args.moves, args.formats, env)
        print(label, json.dumps(results[label], ensure_ascii=False), flush=True)
    out = ROOT / "benchmarks" / "results" / "upload-memory.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
