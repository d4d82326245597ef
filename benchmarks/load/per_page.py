"""What one rerun of each page costs the server: one protocol session, one interaction at a time, no think time.

Run:  .venv/bin/python benchmarks/load/per_page.py [--repeats 5]

Starts its own server, opens a session, and times every interaction of the load test's lap (students.py) alone:
first time (cold: caches empty, e.g. a surface or a model computed) and the median of the repeats (warm: the
server's shared caches filled). The baseline is Home, a near-empty page, timed in the same run: the ratio
page / Home says what a page adds to Streamlit's own cost of a rerun. Also prints the bytes each run sends.
With these costs, capacity ≈ 1 / (warm cost × interactions per student per second) students per core.
"""

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import serve  # noqa: E402
from benchmarks.load import run as load_run  # noqa: E402
from benchmarks.load.protocol import ProtocolSession  # noqa: E402
from ui.registry import PAGES  # noqa: E402


async def measure(base, repeats):
    photo = load_run.PHOTO.read_bytes()
    rows = {}  # name -> [seconds...], first is cold

    async def timed(name, coro):
        t = time.perf_counter()
        r = await coro
        rows.setdefault(name, []).append((time.perf_counter() - t, r.bytes))

    for i in range(repeats + 1):
        # A fresh session per lap: a second visit to the Losses page in one session currently fails (KeyError
        # 'w0', see docs/LOAD.md), and the cost of a visit is what we want here, not that bug again.
        async with ProtocolSession(base) as s:
            await s.open("")
            for p in PAGES[1:] + PAGES[:1]:
                await timed(f"switch to /{p.url_path}", s.switch_page(p.url_path))
                if p.url_path == "basin":
                    options = list(s.widget("alpha").proto.options)
                    await timed("basin_alpha", s.set_value("alpha", options[(i * 3) % len(options)]))
                    await timed("basin_race on", s.set_value("race_on", True))
                    await timed("basin_race off", s.set_value("race_on", False))
                    # the optimiser race (momentum, RMSProp, Adam) shown: a learning-rate change is then still a
                    # cached rerun of the whole page, race included
                    await timed("basin_optimisers on", s.set_value("race_optimisers", True))
                    await timed("basin_alpha, optimisers", s.set_value("alpha", options[(i * 3 + 1) % len(options)]))
                    await timed("basin_optimisers off", s.set_value("race_optimisers", False))
                elif p.url_path == "classify":
                    options = list(s.widget("alpha").proto.options)
                    await timed("classify_train", s.set_value("alpha", options[i % len(options)]))
                    await timed("upload", s.upload("clf_photo_file", "face.jpg", photo, "image/jpeg"))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    import os
    import subprocess
    port = load_run.free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(serve.command(port), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            if load_run.healthy(base):
                break
            time.sleep(0.1)
        load = os.getloadavg()[0]
        rows = asyncio.run(measure(base, args.repeats))
    finally:
        serve.stop(proc)
    home = statistics.median(t for t, _ in rows["switch to /"][1:])
    print(f"load average before: {load:.2f}; warm = median of {args.repeats} repeats; ratio = warm / warm Home")
    print(f"{'interaction':22s} {'cold s':>7s} {'warm s':>7s} {'ratio':>6s} {'kB sent':>8s}")
    for name, v in rows.items():
        warm = statistics.median(t for t, _ in v[1:])
        kb = statistics.median(b for _, b in v[1:]) / 1000
        print(f"{name:22s} {v[0][0]:7.3f} {warm:7.3f} {warm / home:6.1f} {kb:8.0f}")


if __name__ == "__main__":
    main()
