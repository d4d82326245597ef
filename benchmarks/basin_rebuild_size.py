"""Why a rebuild of the Cost basin figure got slower: the same figure redrawn from a new spec (Plotly.react with
fresh objects, as Streamlit does when a figure's spec changes) at today's size and at the size of 1a9b2ce
(height 900 px, the 3D scene 0.52 × 0.56 of the plot area instead of 0.75 × 0.58 of 1,100 px), alternated in one
browser, and the 3D scene's share (the same redraw without the scene's traces). Each timed redraw follows one at
the same size, so it times a new spec, not a resize; it ends at the second animation frame after Plotly.react.

Run:  python benchmarks/basin_rebuild_size.py --runs 6
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from seen import drawn_page  # noqa: E402

SIZES = {
    "today (1,100 px, scene 0.75 × 0.58)": {},
    "1a9b2ce (900 px, scene 0.52 × 0.56)": {"height": 900, "scene.domain": {"x": [0, 0.52], "y": [0.44, 1.0]}},
    "today, without the 3D traces": {"no3d": True},
}

REBUILD = """async (opt) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.basin);
  if (!window.__orig) window.__orig = JSON.stringify([gd.data, gd.layout]);    // today's figure, as drawn
  let [data, layout] = JSON.parse(window.__orig);
  if (opt.height) layout.height = opt.height;
  if (opt['scene.domain']) layout.scene.domain = opt['scene.domain'];
  if (opt.no3d) data = data.filter(t => !['surface', 'scatter3d'].includes(t.type));
  const t0 = performance.now();
  await Plotly.react(gd, data, layout);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const c = gd.querySelector('.gl-container canvas');
  return {ms: performance.now() - t0, pixels: c && !opt.no3d ? c.width * c.height : 0};
}"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=6)
    args = ap.parse_args(argv)
    out = {k: [] for k in SIZES}
    pixels = {}
    with drawn_page("basin") as page:
        for i in range(args.runs):
            order = list(SIZES) if i % 2 == 0 else list(SIZES)[::-1]
            for name in order:
                page.evaluate(REBUILD, SIZES[name])             # at this size first: the timed redraw
                r = page.evaluate(REBUILD, SIZES[name])         # is a new spec at an unchanged size
                out[name].append(r["ms"])
                pixels[name] = r["pixels"]
                print(f"run {i + 1} {name}: {r['ms']:.0f} ms, scene canvas {r['pixels']:,} px", flush=True)
    print("\n| figure redrawn from a new spec | median ms (range) | 3D canvas pixels |\n|---|---|---|")
    for name, v in out.items():
        print(f"| {name} | {statistics.median(v):,.0f} ({min(v):,.0f}–{max(v):,.0f}) | {pixels[name]:,} |")


if __name__ == "__main__":
    main()
