"""Pictures drawn ahead of the server while a slider moves (ui/slider_preview.js): a page whose runs the browser can
compute emits its script with the data it needs, and its kept charts (ui/chart_bridge.py, each with the `tag` of
the settings it was made for) follow the thumb before Streamlit reruns the page.

Each script is ui/neuron.js (one neuron's maths) + ui/slider_preview.js (the thumbs, the hold) + the page's own
(ui/losses_preview.js, ui/race_preview.js), which reads its payload from `window.<name>`.
"""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import streamlit as st

from ui.basin_bridge import script_json

_HERE = Path(__file__).parent
_SHARED = "".join((_HERE / name).read_text(encoding="utf-8") for name in ("neuron.js", "slider_preview.js"))


def script(name: str) -> str:
    """The shared scripts and the page's own (a file beside this one), as one script element."""
    return "<script>" + _SHARED + (_HERE / name).read_text(encoding="utf-8") + "</script>"


def pack(values, dtype) -> str:
    """An array as base64 of its bytes in `dtype` (little-endian "<f8" or np.uint8): the browser reads it exactly."""
    return base64.b64encode(np.ascontiguousarray(np.ravel(values), dtype=dtype).tobytes()).decode()


def draw_ahead(name: str, payload: dict, page_script: str, where=None) -> None:
    """Emit `page_script` (script(...)) with its payload as window.<name>."""
    (where or st).html(f"<script>window.{name} = {script_json(payload)};</script>" + page_script,
                       unsafe_allow_javascript=True)
