"""Charts for a projector: the same figure with larger text, thicker lines, bigger markers and more height.

A chart drawn for a laptop is unreadable from the back of a classroom: plotly's text is 12 px by default.
The teacher view (ui/classroom.py) enlarges Streamlit's own text with CSS, but CSS cannot enlarge a chart (a
zoomed plotly chart is laid out at the unzoomed width and spills off the page), so the figure itself is
rewritten here.

What is scaled, by key, anywhere in the figure (layout, traces, annotations, colour bars, sliders, 3D scenes):
- `size` in any font dict (font, tickfont, textfont, insidetextfont, ...), and the layout's base font, which
  plotly draws at 12 px when a figure sets none; titles and annotations without a size follow it;
- `font-size: Npx` inside label HTML (`<span style='font-size:12px'>`);
- `size` of markers (numbers or arrays), `width` of lines (traces, shapes, marker outlines), and numbers under
  keys starting with `size` in `layout.meta` (marker sizes that a page's own script applies, e.g. the Cost
  basin's ball), and `narrow_px` there (the chart width under which that script lays the figure out in one column:
  larger text needs a wider chart for the wide layout), and font sizes in a narrow layout there (`layout`, the
  relayout of paths such as "legend.font.size" that the script applies);
- the layout's height (plotly's 450 px when unset) and its margins, so the larger labels still fit.
Nothing else: data, colours, axis ranges, contour spacing (`contours.size`) and bin sizes stay the same.
"""

import copy
import re

import plotly.graph_objects as go

from core.figures.basin import FrozenFigure

PLOTLY_FONT_PX = 12  # plotly's base font size when a figure sets none
PLOTLY_HEIGHT_PX = 450  # plotly's height when a figure sets none
_CSS_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)px")


def _times(value, factor):
    """A number or a list of numbers times factor (None and anything else unchanged)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return round(value * factor, 2)
    if isinstance(value, (list, tuple)) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                               for v in value):
        return [round(v * factor, 2) for v in value]
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iuf":  # a numpy array of sizes
        return value * factor
    return value


def _text(value, factor):
    return _CSS_SIZE.sub(lambda m: f"font-size:{float(m.group(1)) * factor:g}px", value)


def _walk(node, factor, parent=""):
    """Scale, in place, a figure's dict as described in the module docstring."""
    if isinstance(node, list):
        for item in node:
            _walk(item, factor, parent)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if (key == "size" and (parent.endswith("font") or parent == "marker")) or \
                (key == "width" and parent == "line"):
            node[key] = _times(value, factor)
        elif isinstance(value, (dict, list)):
            _walk(value, factor, key)
        elif key == "text" and isinstance(value, str):
            node[key] = _text(value, factor)


def enlarge(fig: go.Figure, factor: float = 1.35, height_factor: float | None = None) -> FrozenFigure:
    """A copy of fig for a projector: text, markers and lines `factor` times larger, the height
    `height_factor` (default: the square root of factor) times. fig itself is not changed.

    The copy is a FrozenFigure (serialised once), since it is made to be shown again and again.

    >>> big = enlarge(go.Figure(go.Scatter(y=[1, 2], marker={"size": 10})), 1.5)
    >>> big.layout.font.size, big.data[0].marker.size, big.layout.height
    (18.0, 15.0, 551)
    """
    if factor <= 0:
        raise ValueError(f"factor must be positive, got {factor}")
    height_factor = factor ** 0.5 if height_factor is None else height_factor
    spec = copy.deepcopy(fig.to_dict())  # a FrozenFigure's to_dict() is its own stored dict
    _walk(spec, factor)
    layout = spec.setdefault("layout", {})
    font = layout.setdefault("font", {})
    if "size" not in font:
        font["size"] = round(PLOTLY_FONT_PX * factor, 2)
    layout["height"] = round((layout.get("height") or PLOTLY_HEIGHT_PX) * height_factor)
    meta = layout.get("meta")
    for entry in meta.values() if isinstance(meta, dict) else ():
        if isinstance(entry, dict):
            entry.update({k: _times(v, factor) for k, v in entry.items() if k.startswith("size") or k == "narrow_px"})
            narrow = entry.get("layout")        # a narrow layout's relayout (meta.narrow.layout): its text sizes
            if isinstance(narrow, dict):
                narrow.update({k: _times(v, factor) for k, v in narrow.items() if k.endswith("font.size")})
    margin = layout.get("margin")
    if isinstance(margin, dict):
        for side in ("l", "r", "t", "b"):
            if isinstance(margin.get(side), (int, float)):
                margin[side] = round(margin[side] * factor)
    frames = spec.pop("frames", None) or []
    return FrozenFigure(go.Figure(spec), frames)
