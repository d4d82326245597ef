"""Both face finders on many photos of any shape and content (a larger sweep of tests/unit/test_finder_fuzz.py,
which CI runs on 30): a verdict, numbers in range, every box inside the photo, and the time per photo.

    .venv/bin/python benchmarks/fuzz_finders.py --photos 300 --seed 1
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.unit.test_finder_fuzz import check_photo  # noqa: E402

KINDS = ("noise", "blocks", "skin")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--largest", type=int, default=1600, help="the longest side drawn, in pixels")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    failures, times = [], []
    for _ in range(args.photos):
        # sides from 1 pixel to `largest`, drawn on a log scale so that tiny and extreme shapes come up often
        w, h = (int(round(np.exp(rng.uniform(0, np.log(args.largest))))) for _ in range(2))
        case = (KINDS[rng.integers(len(KINDS))], w, h, bool(rng.integers(2)), int(rng.integers(2**32)))
        start = time.perf_counter()
        try:
            check_photo(*case)
        except Exception:                     # noqa: BLE001 - every failure is reported, then the sweep goes on
            failures.append((case, traceback.format_exc(limit=3)))
        times.append(time.perf_counter() - start)
    t = np.array(times) * 1000
    print(f"{args.photos} photos (seed {args.seed}, sides 1 to {args.largest} px): {len(failures)} failed; "
          f"time per photo, both finders and both neurons: median {np.median(t):.0f} ms, "
          f"p90 {np.percentile(t, 90):.0f} ms, max {t.max():.0f} ms")
    for case, trace in failures[:10]:
        print("FAILED", case, trace, sep="\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
