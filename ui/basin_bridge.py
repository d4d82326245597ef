"""The Cost basin's bridge to its figure: the script (ui/basin_bridge.js) that shows the chosen learning rate's run
inside the figure in the browser, plays its animation, and lays it out in one column on a phone; and the one call
that emits it.

Contract: the figure (core/figures/basin) lists in `layout.meta["basin"]` which trace plays which role, the
controls' actions, the narrow layout and its id; the runs' payload (core.figures.basin.runs_payload: every run's
numbers, float32 base64, the start, the legend's names) comes here, beside the figure, with the id of the figure it
belongs to. The script reads only those, and the values set here.
"""

import json
from pathlib import Path

import streamlit as st

SCRIPT = "<script>" + Path(__file__).with_name("basin_bridge.js").read_text(encoding="utf-8") + "</script>"


def basin_bridge(token: str, order: list[str], payload: dict) -> None:
    """Draw the runs of `payload` into the basin figure, showing the run of learning rate `token`, without a
    remount (so the 3D camera stays); `order` is the learning-rate slider's options, so the script can follow the
    slider while it moves. The figure's spec does not change with the runs, so Streamlit leaves it as it is."""
    values = {"__basinToken": token, "__basinOrder": order, "__basinRuns": payload}
    assign = "".join(f"window.{k} = {_json(v)};" for k, v in values.items())
    st.html(f"<script>{assign}</script>" + SCRIPT, unsafe_allow_javascript=True)


def _json(value) -> str:
    """JSON that cannot close the script element it sits in."""
    return json.dumps(value, separators=(",", ":")).replace("</", "<\\/")
