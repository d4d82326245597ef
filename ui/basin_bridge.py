"""The Cost basin's bridge to its figure: the script (ui/basin_bridge.js) that shows the chosen learning rate's run
inside the figure in the browser, plays its animation, and lays it out in one column on a phone; and the one call
that emits it.

Contract: the figure (core/figures/basin) lists in `layout.meta["basin"]` which trace plays which role, the
controls' actions, the narrow layout, its id (its structure) and the key of the surface it holds; the surface's
payload (core.figures.basin.surface_payload: the surface, the data, the click grid, the minimum, the axes' ranges
and titles) and the runs' payload (core.figures.basin.runs_payload: every run's numbers, float32 base64, the start,
the legend's names) come here, beside the figure, with the id of the figure they belong to and the key of their
surface. The script reads only those, and the values set here.
"""

import json
from pathlib import Path

import streamlit as st

ANIMATION = Path(__file__).with_name("plotly_animation.js").read_text(encoding="utf-8")   # shared with chart_bridge
SCRIPT = "<script>" + ANIMATION + Path(__file__).with_name("basin_bridge.js").read_text(encoding="utf-8") + "</script>"


def basin_bridge(token: str, order: list[str], payload: dict, surface: dict) -> None:
    """Draw the surface of `surface` and the runs of `payload` into the basin figure, showing the run of learning
    rate `token`, without a remount (so the 3D camera stays); `order` is the learning-rate slider's options, so the
    script can follow the slider while it moves. The figure's spec changes neither with the runs nor with the
    surface (ui.basin.shown_figure), so Streamlit leaves the chart as it is.

    The surface (core.figures.basin.surface_payload) comes in an element of its own, the same bytes for as long as
    the surface stays: Streamlit sends a large element that the browser already holds as a reference to it, so a
    change of the rate or the steps does not re-send the surface."""
    st.html(f"<script>window.__basinSurface = {script_json(surface)};"
            "window.__basinBridge && window.__basinBridge.scan && window.__basinBridge.scan();</script>",
            unsafe_allow_javascript=True)
    values = {"__basinToken": token, "__basinOrder": order, "__basinRuns": payload}
    assign = "".join(f"window.{k} = {script_json(v)};" for k, v in values.items())
    st.html(f"<script>{assign}</script>" + SCRIPT, unsafe_allow_javascript=True)


def script_json(value) -> str:
    """JSON that cannot close the script element it sits in, and with no "<" at all: the page's HTML sanitiser
    drops a script whose text holds a tag-like "<x" (plotly's hover texts end in "<extra></extra>")."""
    return json.dumps(value, separators=(",", ":")).replace("<", "\\u003c")
