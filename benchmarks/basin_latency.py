"""Cost basin in real headless Chromium: what the student sees after each control, and the first load.

Run:  python benchmarks/basin_latency.py                       (every control of the page, 6 runs each)
      python benchmarks/basin_latency.py --controls alpha,steps --baseline 1a9b2ce   (A/B against a commit)

A shortcut to benchmarks/seen.py for the Cost basin page: time from the input event to the first animation frame
after the chart's data (plotly's `gd._fullData`) changed, the long tasks after it, and the first load to every
chart drawn. (This file used to report when the page's script handed the new run to plotly, a few ms, which is
not what the student sees: the redraw that follows is what takes the time.)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seen  # noqa: E402

if __name__ == "__main__":
    seen.main(["--pages", "basin", "--out", str(seen.RESULTS / "basin-seen.md"), *sys.argv[1:]])
