"""Every figure builder: plain data in, plotly go.Figure out, no streamlit.

One module per page's figures (basin, losses, classify, lessons, home), their shared look (style: palette, font,
margins) and the projector's enlargement (projector). The face finder's figures are in core/figures/faces.py.
"""
