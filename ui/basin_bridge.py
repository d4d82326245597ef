"""The Cost basin's bridge to its figure: the script (ui/basin_bridge.js) that shows the chosen learning rate's run
inside the figure in the browser, plays its animation, and lays it out in one column on a phone; and the one call
that emits it.

Contract: the figure (core/figures/basin) lists in `layout.meta["basin"]` which trace plays which role, every run's
numbers (float32 base64), the controls' actions and the narrow layout; the script reads only that, and the two
values set here.
"""

import json
from pathlib import Path

import streamlit as st

SCRIPT = "<script>" + Path(__file__).with_name("basin_bridge.js").read_text(encoding="utf-8") + "</script>"


def basin_bridge(token: str, order: list[str]) -> None:
    """Show the run of learning rate `token` inside the basin figure, without a remount (so the 3D camera
    stays); `order` is the learning-rate slider's options, so the script can follow the slider while it moves."""
    st.html(f"<script>window.__basinToken = {json.dumps(token)}; window.__basinOrder = {json.dumps(order)};</script>"
            + SCRIPT, unsafe_allow_javascript=True)
