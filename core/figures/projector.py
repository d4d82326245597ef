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
  basin's ball), and `narrow_px` and `medium_px` there (the chart widths under which that script lays the figure
  out in one column, or gives its basin the whole width: larger text needs a wider chart for the wide layout), and
  font sizes in a narrow layout there (`layout`, the relayout of paths such as "legend.font.size" that the script
  applies);
- the layout's height (plotly's 450 px when unset) and its margins, so the larger labels still fit.
Nothing else: data, colours, axis ranges, contour spacing (`contours.size`) and bin sizes stay the same.

On a phone the larger text does not fit: a chart laid out for a 358-px phone with 1.35 times its text had titles
running into each other or cut. So the copy carries, as the last step of its narrow layout (`layout.meta.narrow`,
applied in the page by ui/plotly_animation.js), the layout's own text sizes, label HTML and margins, which it takes
back while the window is narrower than PHONE_VIEWPORT_PX: on a phone the chart is laid out as a student's phone
shows it, while the page's own text stays larger. A figure drawn by the Cost basin's own script (`meta.basin`, with
its own narrow layouts) carries that step as `meta.basin.phone`, which that script applies after its own.
"""

import copy
import re

import plotly.graph_objects as go

from core.figures.basin import FrozenFigure

PLOTLY_FONT_PX = 12  # plotly's base font size when a figure sets none
PLOTLY_HEIGHT_PX = 450  # plotly's height when a figure sets none
PHONE_VIEWPORT_PX = 641  # a window narrower than this is a phone: Streamlit stacks the columns below 641 px
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


def _layout_text(layout, path=""):
    """(relayout path, value) of every text size and label HTML with a size in a layout dict, as _walk scales
    them: "font.size", "annotations[0].font.size", "annotations[0].text", "xaxis.tickfont.size", ..."""
    items = layout.items() if isinstance(layout, dict) else enumerate(layout)
    for key, value in items:
        here = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else key
        parent = path.rsplit(".", 1)[-1]
        if key == "size" and parent.endswith("font"):
            yield here, value
        elif key == "text" and isinstance(value, str) and _CSS_SIZE.search(value):
            yield here, value
        elif isinstance(value, (dict, list)) and key != "meta":
            yield from _layout_text(value, here)


def phone_step(layout: dict, narrow: dict | None = None) -> dict:
    """The step of a projector copy's narrow layout that takes back, on a phone, the original layout's text sizes,
    label HTML and margins (`layout`: the figure's layout dict before enlarge; `narrow`: its own narrow layout before
    enlarge, which holds on a phone: its text sizes, and its values of the paths this step sets, win)."""
    back = dict(_layout_text(layout))
    if not isinstance((layout.get("font") or {}).get("size"), (int, float)):
        back["font.size"] = PLOTLY_FONT_PX
    margin = layout.get("margin")
    for side in ("l", "r", "t", "b"):
        if isinstance(margin, dict) and isinstance(margin.get(side), (int, float)):
            back[f"margin.{side}"] = margin[side]
    back.update({k: v for k, v in (narrow or {}).items()
                 if k in back or (k.endswith("font.size") and isinstance(v, (int, float)))})
    return {"viewport_px": PHONE_VIEWPORT_PX, "layout": back}


def scene_kept(narrow: dict, height: float, taller: float) -> dict:
    """The relayout that keeps, in a plot `taller` px high instead of `height` (the figure's height less its top
    and bottom margins), the pixel height of the 3D scene
    that the one-column layout `narrow` (plotly layout paths) places at the top ("scene.domain.y"); the legend,
    buttons and slider between the scene and the panel under it move up with the scene's bottom.

    On a phone the scene is as wide as the chart; plotly fits the cube to the scene's height, so a scene taller than
    the student's (the projector copy is sqrt(1.35) times higher) cut the J axis's labels off its left edge.
    """
    lo, hi = narrow.get("scene.domain.y") or (None, None)
    if lo is None or taller <= height:
        return {}
    new_lo = hi - (hi - lo) * height / taller
    below = max((v[1] for k, v in narrow.items() if k.endswith(".domain") and k.startswith("yaxis")), default=0)
    out = {"scene.domain.y": [round(new_lo, 4), hi]}
    out.update({k: round(v + new_lo - lo, 4) for k, v in narrow.items()
                if k.endswith(".y") and isinstance(v, (int, float)) and below + 0.01 < v <= lo})
    return out


def _plot_height_factor(original: dict, layout: dict, factor: float) -> float:
    """How many times higher the plot (the figure's height less its top and bottom margins, which grow `factor`
    times) of the enlarged layout is than the original's."""
    def plot(lay, grow):
        margin = lay.get("margin") or {}
        return (lay.get("height") or PLOTLY_HEIGHT_PX) - grow * sum(
            margin.get(side, 0) if isinstance(margin.get(side), (int, float)) else 0 for side in ("t", "b"))
    return plot(layout, factor) / plot(original, 1)


def enlarge(fig: go.Figure, factor: float = 1.35, height_factor: float | None = None) -> FrozenFigure:
    """A copy of fig for a projector: text, markers and lines `factor` times larger, the height
    `height_factor` (default: the square root of factor) times. fig itself is not changed.

    The copy is a FrozenFigure (serialised once), since it is made to be shown again and again. Its narrow layout
    ends with the phone's step (phone_step; for a figure with `meta.basin`, in meta.basin.phone).

    >>> big = enlarge(go.Figure(go.Scatter(y=[1, 2], marker={"size": 10})), 1.5)
    >>> big.layout.font.size, big.data[0].marker.size, big.layout.height
    (18.0, 15.0, 551)
    >>> big.layout.meta["narrow"][-1]
    {'viewport_px': 641, 'layout': {'font.size': 12}}
    """
    if factor <= 0:
        raise ValueError(f"factor must be positive, got {factor}")
    height_factor = factor ** 0.5 if height_factor is None else height_factor
    spec = copy.deepcopy(fig.to_dict())  # a FrozenFigure's to_dict() is its own stored dict
    original = copy.deepcopy(spec.get("layout", {}))
    _walk(spec, factor)
    layout = spec.setdefault("layout", {})
    font = layout.setdefault("font", {})
    if "size" not in font:
        font["size"] = round(PLOTLY_FONT_PX * factor, 2)
    layout["height"] = round((layout.get("height") or PLOTLY_HEIGHT_PX) * height_factor)
    meta = layout.get("meta")
    own_narrow = {}
    margin = layout.get("margin")
    plot_grows = _plot_height_factor(original, layout, factor)
    for value in meta.values() if isinstance(meta, dict) else ():
        # a narrow layout, or a list of its steps (each holds below its narrow_px, which grows with the text, or
        # with the plot's height for a step marked "scale_with": "plot_height"; a phone's viewport_px does not); on
        # a phone every step holds
        for entry in value if isinstance(value, list) else [value]:
            if not isinstance(entry, dict):
                continue
            grows = plot_grows if entry.get("scale_with") == "plot_height" else factor
            entry.update({k: _times(v, grows if k == "narrow_px" else factor) for k, v in entry.items()
                          if k.startswith("size") or k in ("narrow_px", "medium_px")})
            narrow = entry.get("layout")        # a narrow layout's relayout (meta.narrow.layout): its text sizes
            if isinstance(narrow, dict):
                own_narrow.update(narrow)
                narrow.update({k: _times(v, factor) for k, v in narrow.items() if k.endswith("font.size")})
    if isinstance(margin, dict):
        for side in ("l", "r", "t", "b"):
            if isinstance(margin.get(side), (int, float)):
                margin[side] = round(margin[side] * factor)
    if isinstance(meta, dict) and isinstance(meta.get("basin"), dict):   # its own script's steps (ui/basin_bridge.js)
        basin = meta["basin"]
        if isinstance(basin.get("compact"), dict) and isinstance(basin.get("narrow_px"), (int, float)):
            # shorter lower titles where the larger ones would not fit (narrow_px, grown with the text); the one
            # column only below the student's own narrow_px: the row of three panels fits there with them
            basin["compact_px"] = basin["narrow_px"]
            basin["narrow_px"] = round(basin["narrow_px"] / factor)
        basin["phone"] = phone_step(original, {**(basin.get("medium") or {}), **(basin.get("narrow") or {})})
        # on a phone both take the original's margins back: the plots differ by the figures' heights alone
        edges = sum(v for k, v in (original.get("margin") or {}).items()
                    if k in ("t", "b") and isinstance(v, (int, float)))
        basin["phone"]["layout"].update(scene_kept(basin.get("narrow") or {},
                                                   (original.get("height") or PLOTLY_HEIGHT_PX) - edges,
                                                   layout["height"] - edges))
    elif meta is None or isinstance(meta, dict):
        step = phone_step(original, own_narrow)   # own_narrow: as it was before its text sizes grew
        meta = layout["meta"] = meta or {}
        own = meta.get("narrow")
        meta["narrow"] = ([own] if isinstance(own, dict) else list(own or [])) + [step]
    frames = spec.pop("frames", None) or []
    return FrozenFigure(go.Figure(spec), frames)
