"""What each part of the Cost basin figure costs to draw the first time: the page's own figure (its spec as
drawn, runs included) plotted with Plotly.newPlot into a fresh element (a new WebGL context, as on a first load),
whole and without one part at a time, alternated in one browser, to the second animation frame after the plot.

Run:  python benchmarks/basin_parts.py --runs 5
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

# name -> JS that edits (data, layout) in place
VARIANTS = {
    "whole figure": "",
    "without the 3D scene (surface + scatter3d)": ("data = data.filter(t => !['surface', 'scatter3d']"
                                                   ".includes(t.type)); delete layout.scene;"),
    "without the surface's contour lines": "data.forEach(t => { if (t.type === 'surface') t.contours = {}; });",
    "without the 3D axes' labels and ticks": ("['xaxis', 'yaxis', 'zaxis'].forEach(a => Object.assign("
                                              "layout.scene[a], {showticklabels: false, title: {text: ''}}));"),
    "without the top view's pick grid": "data = data.filter(t => t.name !== 'pick a start');",
    "without the top view's contours": "data = data.filter(t => t.type !== 'contour');",
    "without the 3D scatter traces (start, minimum, trails, balls)": "data = data.filter(t => t.type !== 'scatter3d');",
    "3D trails as lines only (no step markers)": ("data.forEach(t => { if (t.type === 'scatter3d' && t.mode === "
                                                  "'lines+markers') t.mode = 'lines'; });"),
    "without the empty 3D slots": ("data = data.filter(t => t.type !== 'scatter3d' || "
                                   "(t.x && (t.x.length || (t.x.bdata && t.x.bdata.length))));"),
    "3D axes with at most 4 ticks": "['xaxis', 'yaxis', 'zaxis'].forEach(a => { layout.scene[a].nticks = 4; });",
    "only the 3D scene": ("data = data.filter(t => ['surface', 'scatter3d'].includes(t.type));"
                          "['xaxis', 'yaxis', 'xaxis2', 'yaxis2', 'xaxis3', 'yaxis3'].forEach(a => delete layout[a]);"
                          "layout.sliders = []; layout.updatemenus = []; layout.annotations = [];"
                          "layout.showlegend = false;"),
}

PLOT = """async ([edit]) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.basin);
  if (!window.__spec) window.__spec = JSON.stringify([gd.data, gd.layout]);
  let [data, layout] = JSON.parse(window.__spec);
  layout.meta = {};
  eval(edit);
  const div = document.createElement('div');
  div.style.width = gd.offsetWidth + 'px';
  document.body.appendChild(div);
  const t0 = performance.now();
  await Plotly.newPlot(div, data, layout, {displaylogo: false});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const ms = performance.now() - t0;
  const nodes = div.getElementsByTagName('*').length;
  Plotly.purge(div); div.remove();
  return {ms, nodes};
}"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    out = {k: [] for k in VARIANTS}
    nodes = {}
    with drawn_page("basin") as page:
        page.evaluate(PLOT, [""])                                  # warm: plotly's own first-use costs
        for i in range(args.runs):
            names = list(VARIANTS) if i % 2 == 0 else list(VARIANTS)[::-1]
            for name in names:
                r = page.evaluate(PLOT, [VARIANTS[name]])
                out[name].append(r["ms"])
                nodes[name] = r["nodes"]
                print(f"run {i + 1} {name}: {r['ms']:.0f} ms, {r['nodes']} nodes", flush=True)
    print("\n| first draw (Plotly.newPlot, new WebGL context) | median ms (range) | DOM nodes |\n|---|---|---|")
    for name, v in out.items():
        print(f"| {name} | {statistics.median(v):,.0f} ({min(v):,.0f}–{max(v):,.0f}) | {nodes[name]:,} |")


if __name__ == "__main__":
    main()
