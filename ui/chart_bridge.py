"""Charts that keep their place in the browser while their runs change: a new path, ball or curve is drawn into the
chart the browser already shows, instead of a new chart.

Streamlit 1.67 names a plotly chart by a hash of its whole spec, so a figure with one changed number is a new chart:
the old one is taken down and plotly builds the new one from scratch (on the Losses map, its heatmap and contour
lines, about half a second on 2 cores). Here the spec stays the same object while the figure's structure stays
(the same traces of the same types; every trace that is not a 2D scatter, such as a heatmap or a contour of J,
unchanged). What differs from that spec travels beside it (an st.html element): the changed traces and layout keys,
and the animation's frames. ui/chart_bridge.js draws them into the chart: new data of 2D scatter traces as a plotly
animation of no duration (only those traces are drawn again), anything else by Plotly.react of the whole figure.

Contract with the script: the spec's `layout.meta.bridge` is the spec's id (a hash of its JSON);
`window.__charts[key]` = {id, traces: {i: {trace, hash, look, form}}, base: {i: {hash, look, form}}, layout: {k: value},
frames: [...] | None, frames_hash, base_frames_hash, tag?}: every trace, layout key and the frames that differ, or once
differed, from the spec (the browser may show an older run), where `hash` names a trace's whole JSON, `look`
its JSON without the data that an animation can swap (x, y, customdata, text, hovertext, name) and `form` its JSON
without its numbers (x, y, z, customdata) and name; `base` is the spec's own, which the browser shows after Streamlit
draws the chart from its spec again. A trace whose numbers and name a picture drawn ahead for the payload's tag
already shows (ui/slider_preview.js), in the same form, is not drawn again.

`shown(spec, payload)` is the figure the browser ends up showing (for tests, which read the spec).
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from core.figures.basin import FrozenFigure
from ui.basin_bridge import ANIMATION
from ui.basin_bridge import script_json as _json
from ui.charts import KEY_BUTTONS, with_config
from ui.classroom import projected

SCRIPT = "<script>" + ANIMATION + Path(__file__).with_name("chart_bridge.js").read_text(encoding="utf-8") + "</script>"
SWAPPABLE = ("x", "y", "customdata", "text", "hovertext", "name")     # what an animation of no duration swaps
NUMBERS = ("x", "y", "z", "customdata")     # a trace's numbers, which a picture drawn ahead may already show
MOVING = ("scatter",)           # trace types whose data may change inside the kept chart, by default (2D paths)
STATE = "chart_bridge"          # session state: {key: (structure, spec, id)}

_PARTS: dict[int, tuple] = {}   # id(fig) -> (weakref, parts): a cached figure is split once
_PARTS_LOCK = threading.Lock()
_PARTS_MAX = 256


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class Parts:
    """One figure as the bridge sees it: its JSON spec, and per trace its JSON, hash and look; its structure."""

    def __init__(self, fig):
        spec = fig.to_dict() if isinstance(fig, FrozenFigure) else json.loads(pio.to_json(fig, validate=False))
        self.spec = spec
        self.traces = spec.get("data", [])
        self.hashes = [_digest(_dumps(t)) for t in self.traces]
        self.looks = [_digest(_dumps({k: v for k, v in t.items() if k not in SWAPPABLE})) for t in self.traces]
        self.forms = [_digest(_dumps({k: v for k, v in t.items() if k not in NUMBERS and k != "name"}))
                      for t in self.traces]
        self.types = [t.get("type", "scatter") for t in self.traces]
        self.layout = spec.get("layout", {})
        self.layout_json = {k: _dumps(v) for k, v in self.layout.items()}
        self.frames = spec.get("frames") or []
        self.frames_hash = _digest(_dumps(self.frames))

    def structure(self, moving) -> str:
        """Two figures of one structure: the same trace types in order, and the same traces of the types that do
        not move (`moving`: the trace types whose data may change inside the kept chart)."""
        return _digest(_dumps([(kind, None if kind in moving else h)
                               for kind, h in zip(self.types, self.hashes, strict=True)]))


def parts(fig) -> Parts:
    """The figure split for the bridge, once per figure object (the pages' figures are cached and shared)."""
    with _PARTS_LOCK:
        ref, got = _PARTS.get(id(fig), (None, None))
        if ref is not None and ref() is fig:
            return got
    got = Parts(fig)
    with _PARTS_LOCK:
        if len(_PARTS) >= _PARTS_MAX:
            _PARTS.pop(next(iter(_PARTS)))
        _PARTS[id(fig)] = (weakref.ref(fig), got)
    return got


def payload(spec_parts: Parts, spec_id: str, now: Parts, moved: dict) -> dict:
    """What the browser must draw into the chart of `spec_parts` to show `now` (same structure). `moved` (kept
    per chart and session, updated here) holds every trace index and layout key that ever differed from the spec,
    and whether the frames did: they are sent on every run after, so the browser can also go back to the spec's."""
    moved["traces"].update(i for i in range(len(now.traces)) if now.hashes[i] != spec_parts.hashes[i])
    keys = set(now.layout_json) | set(spec_parts.layout_json)
    moved["layout"].update(k for k in keys if now.layout_json.get(k) != spec_parts.layout_json.get(k))
    moved["frames"] = moved["frames"] or now.frames_hash != spec_parts.frames_hash
    traces = {str(i): {"trace": now.traces[i], "hash": now.hashes[i], "look": now.looks[i], "form": now.forms[i]}
              for i in sorted(moved["traces"])}
    base = {str(i): {"hash": spec_parts.hashes[i], "look": spec_parts.looks[i], "form": spec_parts.forms[i]}
            for i in sorted(moved["traces"])}
    layout = {k: now.layout.get(k) for k in sorted(moved["layout"])}
    if "meta" in layout:                                # the figure's own meta, and the spec's id
        meta = layout["meta"]
        layout["meta"] = {**(meta if isinstance(meta, dict) else {}), "bridge": spec_id}
    return {"id": spec_id, "traces": traces, "base": base, "layout": layout,
            "frames": now.frames if moved["frames"] else None, "frames_hash": now.frames_hash,
            "base_frames_hash": spec_parts.frames_hash}


def spec_for(key: str, fig, moving=MOVING, renew=None) -> tuple[FrozenFigure, dict]:
    """(the spec Streamlit is handed, the payload): the session's spec for `key` while the structure and `renew`
    stay."""
    now = parts(fig)
    structure = now.structure(moving) + _digest(repr(renew))
    held = st.session_state.get(STATE, {}).get(key)
    if held is None or held[0] != structure:
        spec = json.loads(json.dumps(now.spec))            # a copy: the meta is the spec's own
        spec_id = structure + now.frames_hash + _digest(_dumps(now.hashes) + _dumps(now.layout_json))
        layout = spec.setdefault("layout", {})
        meta = layout.get("meta")
        layout["meta"] = {**(meta if isinstance(meta, dict) else {}), "bridge": spec_id}
        held = (structure, FrozenFigure.from_spec(spec), spec_id, now,
                {"traces": set(), "layout": set(), "frames": False})
        st.session_state.setdefault(STATE, {})[key] = held
    _, frozen, spec_id, spec_parts, moved = held
    return frozen, payload(spec_parts, spec_id, now, moved)


def bridged_chart(fig: go.Figure, key: str, alt: str, *, where=None, moving=MOVING, renew=None, tag=None,
                  **options):
    """chart(fig) under `key` (ui.charts.chart), kept in the browser while its structure stays (`moving`: the trace
    types whose data may change inside it) and `renew` stays; returns what st.plotly_chart returns (the selection,
    for a chart with on_select).

    renew: a value that changes when the chart must be a new one. Streamlit keeps a kept chart's selection, and a
    click on the point already selected is no change, so a chart whose click sets something (the Losses map's start
    point) passes a count of its clicks: after each click it is a new chart, with no selection.

    tag: what the figure was made for (JSON), sent with the payload as `tag`: a script that draws pictures ahead of
    the server (the Losses page's sliders) holds back a payload made for other settings than it shows."""
    box = where or st
    frozen, data = spec_for(key, projected(fig), moving, renew)    # enlarged for a projector before it is split
    if tag is not None:
        data = {**data, "tag": tag}
    out = box.plotly_chart(frozen, theme=None, alt=alt, key=key, **with_config(fig, options))  # as charts.chart does
    box.html(f"<script>(window.__charts = window.__charts || {{}})[{_json(key)}] = {_json(data)};</script>"
             + SCRIPT + (KEY_BUTTONS if fig.layout.updatemenus else ""), unsafe_allow_javascript=True)
    return out


def shown(spec: dict, data: dict) -> dict:
    """The figure the browser shows once the script has drawn `data` (a payload) into the chart of `spec`."""
    out = json.loads(json.dumps(spec))
    for i, t in data["traces"].items():
        out["data"][int(i)] = t["trace"]
    for k, v in data["layout"].items():
        if v is None:                                   # a key the spec has and this figure has not
            out["layout"].pop(k, None)
        else:
            out["layout"][k] = v
    if data["frames"] is not None:
        out["frames"] = data["frames"]
    return out

