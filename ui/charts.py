"""How every page shows a figure: one call, so every chart gets the same treatment."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from ui.classroom import projected

NO_LOGO = {"displaylogo": False}  # config: the chart's toolbar without plotly's logo


def chart(fig: go.Figure, alt: str, *, where=None, **options):
    """Show a core figure: enlarged for the projector when the classroom flags say so (ui.classroom.projected),
    with plotly's own colours (theme=None: core.figures.style decides the look) and its alt text.

    alt: what the chart shows, for screen readers (plain text; it is not markup).
    where: the Streamlit container to draw in (a column, a tab; default: the page).
    options: st.plotly_chart's other arguments (key, config, on_select, width, ...).
    Returns what st.plotly_chart returns (the selection, for a chart with on_select).
    """
    return (where or st).plotly_chart(projected(fig), theme=None, alt=alt, **options)
