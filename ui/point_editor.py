"""The point editor: the data as points you add, drag and delete in the browser, a Streamlit components v2
component (inline HTML, CSS and ui/point_editor.js; no build step).

Contract with the script: the data go down as {points: [[x, label], ...], lo, hi, feature, label, max, rev, seq,
base}; each finished edit comes back once as the trigger value "edit" = {rev, seq, points}: the whole list of points
at full precision, the revision of the drawing it was made on, and a sequence number one higher for every edit
(continuing from `seq`, the last one the script took). Until the script has taken the editor's last list, a redraw
keeps showing that list if it was made on a drawing of revision `base` or later (whose edits the script still
takes). It is handed to the on_edit callback, which takes the newest list and
checks it at the boundary (ui/owndata._edited; core.data.owndata.from_points: finite, within [lo, hi], at most max,
labels 0 or 1). The column names are drawn with textContent, so they are never read as HTML: that is where they are
escaped.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.figures.style import BLUE, ORANGE

# The two labels in the figures' colours (core.figures.style): 0 blue, 1 orange, as on the basin's data panel.
CSS = """
.pe-root { font-family: var(--st-font); color: var(--st-text-color); }
.pe-bar { display: flex; gap: 0.5rem; margin-bottom: 0.25rem; flex-wrap: wrap; }
.pe-add { font: inherit; font-size: 0.9rem; padding: 0.2rem 0.7rem; cursor: pointer;
          border: 1px solid var(--st-border-color); border-radius: var(--st-base-radius);
          background: var(--st-secondary-background-color); color: var(--st-text-color); }
.pe-add:disabled { opacity: 0.5; cursor: default; }
.pe-add:focus-visible, .pe-pt:focus-visible { outline: 3px solid #E69F00; outline-offset: 2px; }
.pe-svg { width: 100%; max-width: 760px; height: auto; display: block; touch-action: none; user-select: none; }
.pe-lane { cursor: copy; }
.pe-lane1 { fill: rgba(230, 159, 0, 0.09); }
.pe-lane0 { fill: rgba(0, 114, 178, 0.07); }
.pe-lane-label, .pe-tick { font-size: 12px; fill: currentColor; }
.pe-axis-title { font-size: 13px; fill: currentColor; }
.pe-axis { stroke: currentColor; stroke-width: 1; }
.pe-pt { cursor: grab; stroke-width: 2.5; }
.pe-one { fill: ORANGE; stroke: #A66F00; fill-opacity: 0.85; }
.pe-zero { fill: BLUE; stroke: BLUE; fill-opacity: 0.75; }
.pe-dragging { cursor: grabbing; stroke: #000; }
.pe-status { font-size: 0.9rem; margin: 0.25rem 0 0; }
""".replace("ORANGE", ORANGE).replace("BLUE", BLUE)

_component = st.components.v2.component(
    "basin_point_editor", css=CSS, js=Path(__file__).with_name("point_editor.js").read_text(encoding="utf-8"))


def point_editor(xs, ys, x_range, *, feature, label, rev, key, on_edit, seq=0, base=None, max_points=1000):
    """Mount the editor on these points (xs: feature values within x_range = (lo, hi); ys: labels 0 or 1).

    rev: the data's revision; base: the oldest revision whose drawings' edits the callback still takes (default
    rev); seq: the sequence number of the last edit taken; on_edit: called, before the page runs, with the edit in
    st.session_state[key]["edit"] = {"rev", "seq", "points"}."""
    data = {"points": [[float(x), int(y)] for x, y in zip(xs, ys, strict=True)], "lo": float(x_range[0]),
            "hi": float(x_range[1]), "feature": str(feature), "label": str(label), "max": int(max_points),
            "rev": int(rev), "seq": int(seq), "base": int(rev if base is None else base)}
    return _component(key=key, data=data, on_edit_change=on_edit)
