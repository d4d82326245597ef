"""How every page shows a figure: one call, so every chart gets the same treatment."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from ui.classroom import NARROW_FIT, projected

# makes plotly's SVG buttons keyboard buttons (ui/keyboard_buttons.js), on pages whose charts have any
KEY_BUTTONS = "<script>" + (Path(__file__).parent / "keyboard_buttons.js").read_text(encoding="utf-8") + "</script>"

NO_LOGO = {"displaylogo": False}  # config: the chart's toolbar without plotly's logo
SCENE_TRACES = frozenset({"surface", "scatter3d", "mesh3d", "cone", "streamtube", "isosurface", "volume"})


def chart(fig: go.Figure, alt: str, *, where=None, **options):
    """Show a core figure: enlarged for the projector when the classroom flags say so (ui.classroom.projected),
    with plotly's own colours (theme=None: core.figures.style decides the look) and its alt text.

    plotly's toolbar is off for flat charts unless config asks for it: it appears on hover (on a tap, on a phone)
    in the chart's top right corner, over the titles or legends of 10 of the 16 charts of the seven chart pages
    at 390 px (9 at 1024 px; Losses and Classify), and offers nothing these charts need (dragging still zooms, a
    double click resets). A chart with a 3D scene keeps it, for its camera buttons.

    alt: what the chart shows, for screen readers (plain text; it is not markup).
    where: the Streamlit container to draw in (a column, a tab; default: the page).
    options: st.plotly_chart's other arguments (key, config, on_select, width, ...).
    Returns what st.plotly_chart returns (the selection, for a chart with on_select).
    """
    shown = (where or st).plotly_chart(projected(fig), theme=None, alt=alt, **with_config(fig, options))
    if fig.layout.updatemenus:      # Play, Step, log J, Replay…: plotly's buttons take no keys without this
        (where or st).html(KEY_BUTTONS, unsafe_allow_javascript=True)
    meta = fig.layout.meta
    if isinstance(meta, dict) and meta.get("narrow"):  # its phone layout (layout.meta.narrow), applied in the page
        (where or st).html(NARROW_FIT, unsafe_allow_javascript=True)
    return shown


def with_config(fig: go.Figure, options: dict) -> dict:
    """st.plotly_chart's options with the chart's config: no plotly logo, and no toolbar for a flat chart unless
    options' config asks for one (see `chart`)."""
    config = {**NO_LOGO, **(options.get("config") or {})}
    if not any(trace.type in SCENE_TRACES for trace in fig.data):
        config.setdefault("displayModeBar", False)
    return {**options, "config": config}
