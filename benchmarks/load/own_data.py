"""A class bringing its own data at once: every student uploads new data several times, on one server.

Run:  .venv/bin/python benchmarks/load/own_data.py [--students 30] [--edits 3] [--rows 1000]

Each student (a protocol session, no browser) opens the Cost basin, opens "Your own data" and then, `--edits`
times: uploads a CSV of its own (`--rows` rows, different numbers for every student and every edit, so nothing is
shared through a cache: each is a new surface, new runs, new named rates, as a point edit is), then changes the
learning rate once (a cached rerun on those data). All students start together, with no think time: the worst
case of a class told "now upload your file".

Prints per action the median, 90th percentile and worst latency (BackMsg sent → script finished; an upload from
the file-URL request, so the HTTP PUT is included), the errors seen, and the server's resident memory before,
at its peak and after the class (the own-data caches are bounded: ui/owndata.py, ui/basin.py).
"""

import argparse
import asyncio
import math
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import serve  # noqa: E402
from benchmarks.load.protocol import ProtocolError, ProtocolSession  # noqa: E402
from benchmarks.load.run import rss_mb  # noqa: E402


def csv_bytes(student: int, edit: int, rows: int) -> bytes:
    """One student's file for one edit: a feature in its own units and 0/1 labels that overlap."""
    rng = np.random.default_rng(1000 * student + edit)
    x = rng.normal(50 + 5 * edit, 10, rows)
    y = (rng.random(rows) < 1 / (1 + np.exp(-(x - 50) / 6))).astype(int)
    lines = ["size,label", *(f"{a:.3f},{b}" for a, b in zip(x, y, strict=True))]
    return ("\n".join(lines) + "\n").encode()


async def student(base: str, i: int, edits: int, rows: int, samples: dict, errors: list) -> None:
    async def timed(kind, coro):
        t = time.perf_counter()
        try:
            r = await coro
        except (ProtocolError, TimeoutError, OSError) as err:
            errors.append((i, kind, str(err)[:200]))
            return None
        samples.setdefault(kind, []).append(time.perf_counter() - t)
        if r.exceptions or r.errors_shown:
            errors.append((i, kind, (r.exceptions + r.errors_shown)[0][:200]))
        return r

    async with ProtocolSession(base, run_timeout=180) as s:
        await timed("open the Cost basin", s.open("basin"))
        await timed("open 'Your own data'", s.set_value("own_open", True))
        for e in range(edits):
            r = await timed("new data (upload)", s.upload("own_csv", f"class-{i}-{e}.csv",
                                                          csv_bytes(i, e, rows), "text/csv"))
            if r is None:
                continue
            options = list(s.widget("alpha").proto.options)
            await timed("learning rate on those data", s.set_value("alpha", options[(i + e) % len(options)]))


async def run_class(base: str, students: int, edits: int, rows: int) -> tuple[dict, list]:
    samples: dict[str, list[float]] = {}
    errors: list = []
    await asyncio.gather(*(student(base, i, edits, rows, samples, errors) for i in range(students)))
    return samples, errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--edits", type=int, default=3)
    ap.add_argument("--rows", type=int, default=1000)
    args = ap.parse_args()
    port = serve.free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(serve.command(port), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0.0]
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_mb(proc.pid))
            time.sleep(0.2)

    try:
        serve.wait_healthy(base, proc, timeout=90)
        asyncio.run(run_class(base, 1, 1, args.rows))                  # warm: imports, the page's first run
        before = rss_mb(proc.pid)
        load = os.getloadavg()[0]
        threading.Thread(target=watch, daemon=True).start()
        t = time.perf_counter()
        samples, errors = asyncio.run(run_class(base, args.students, args.edits, args.rows))
        wall = time.perf_counter() - t
        stop.set()
        time.sleep(1)
        after = rss_mb(proc.pid)
    finally:
        serve.stop(proc)
    print(f"{args.students} students × {args.edits} uploads of {args.rows:,} rows, all at once, one server; "
          f"load average before {load:.2f}; {wall:.1f} s in all")
    print("| action | n | median s | p90 s | worst s |\n|---|---|---|---|---|")
    for kind, v in samples.items():
        v = sorted(v)
        print(f"| {kind} | {len(v)} | {statistics.median(v):.2f} | {v[math.ceil(0.9 * len(v)) - 1]:.2f} | "
              f"{v[-1]:.2f} |")
    print(f"server memory: {before:.0f} MB before, {peak[0]:.0f} MB at the peak, {after:.0f} MB after")
    print(f"errors: {len(errors)}" + "".join(f"\n  student {i}, {k}: {m}" for i, k, m in errors[:10]))


if __name__ == "__main__":
    main()
