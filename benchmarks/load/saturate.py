"""Are the server's caches really bounded? Fill every one past its max_entries, again and again, and watch RSS.

Run:  .venv/bin/python benchmarks/load/saturate.py [--passes 4]

Starts its own server and drives one protocol session (protocol.py) through every cached computation of the
app with settings it has not asked for before: each pass uses new seeds, new activation inputs, new array
shapes and every Classify training setting, more distinct values per cache than the cache's max_entries. So
from the first pass on, every new value evicts an old one. If memory is bounded, the server's RSS stops
growing after a pass or two; if something is kept per value (a leak, an uncapped cache), it keeps climbing by
about the same amount every pass. Prints RSS after each pass; writes benchmarks/results/saturate-<date>.json.
"""

import argparse
import asyncio
import datetime
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import serve  # noqa: E402
from benchmarks.load.protocol import ProtocolSession  # noqa: E402
from benchmarks.load.run import rss_mb  # noqa: E402

# Distinct values asked for per pass, each above the largest max_entries of the caches it fills (ui/*.py, pages/*.py).
BASIN_SEEDS = 30        # experiment: 24 entries, mistake: 32
LOSSES_SEEDS = 70       # land: 48, runs: 64, trap search: 24, figures: 16
ACTIVATION_ZS = 70      # 64
SHAPES = 40             # 32


async def basin(s, k, photo):
    await s.switch_page("basin")
    for i in range(BASIN_SEEDS):
        await s.set_value("seed", 1000 * k + i)


async def losses(s, k, photo):
    await s.switch_page("losses")
    for i in range(LOSSES_SEEDS):
        await s.set_value("seed", (LOSSES_SEEDS * k + i) % 1000)  # the widget allows 0 to 999


async def activations(s, k, photo):
    await s.switch_page("activations")
    for i in range(ACTIVATION_ZS):
        await s.set_value("z", round(-6 + 0.1 * ((ACTIVATION_ZS * k + i) % 121), 1))


async def vectorisation(s, k, photo):
    await s.switch_page("vectorisation")
    shapes = [f"{a}, {b}" for a, b in itertools.product(range(1, 7), repeat=2)]
    for i in range(SHAPES):
        await s.set_value("shape_a", shapes[(SHAPES * k + i) % len(shapes)])
        await s.set_value("shape_b", str(1 + (k + i) % 6))


async def classify(s, k, photo):
    await s.switch_page("classify")
    alphas = list(s.widget("alpha").proto.options)
    lambdas = list(s.widget("lambd").proto.options)
    for a, lam in itertools.product(alphas, lambdas[k % len(lambdas):][:3]):  # up to 24 models: 16 slots
        await s.set_value("alpha", a)
        await s.set_value("lambd", lam)
    await s.upload("clf_photo_file", "face.jpg", photo, "image/jpeg")


PAGES = {f.__name__: f for f in (basin, losses, activations, vectorisation, classify)}


async def one_pass(base, k, photo, pages):
    """Pass k: settings that no earlier pass used, on each of `pages` (names in PAGES)."""
    async with ProtocolSession(base, run_timeout=120) as s:
        await s.open("")
        for name in pages:
            await PAGES[name](s, k, photo)


async def main_async(base, pid, passes, pages):
    photo = (ROOT / "tests" / "fixtures" / "face.jpg").read_bytes()
    rows = [{"pass": 0, "rss_mb": round(rss_mb(pid), 1), "seconds": 0}]
    print(f"start: RSS {rows[0]['rss_mb']} MiB", flush=True)
    for k in range(1, passes + 1):
        t = time.perf_counter()
        await one_pass(base, k, photo, pages)
        rows.append({"pass": k, "rss_mb": round(rss_mb(pid), 1), "seconds": round(time.perf_counter() - t, 1)})
        print(f"pass {k}: {rows[-1]['seconds']} s, RSS {rows[-1]['rss_mb']} MiB "
              f"({rows[-1]['rss_mb'] - rows[-2]['rss_mb']:+.1f})", flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=4)
    ap.add_argument("--pages", default=",".join(PAGES), help=f"comma-separated, of {', '.join(PAGES)}")
    args = ap.parse_args()
    port = serve.free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(serve.command(port), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        serve.wait_healthy(base, proc)
        rows = asyncio.run(main_async(base, proc.pid, args.passes, args.pages.split(",")))
    finally:
        serve.stop(proc)
    out = ROOT / "benchmarks" / "results" / f"saturate-{datetime.datetime.now():%Y-%m-%d-%H%M}.json"
    out.write_text(json.dumps({"passes": rows, "pages": args.pages.split(","), "per_pass": {"basin_seeds": BASIN_SEEDS,
                                                            "losses_seeds": LOSSES_SEEDS,
                                                            "activation_zs": ACTIVATION_ZS, "shapes": SHAPES}},
                              indent=1))
    print(f"saved {out}")


if __name__ == "__main__":
    main()
