"""Pictures for the face finder: where the neuron looks, what it saw, what it learned (no streamlit).

Arrays in, go.Figure out. Colours follow core.figures.classify: purple = towards "face", orange = away.
"""

import numpy as np
import plotly.graph_objects as go

from core.data.images import jpeg_data_uri
from core.figures.classify import DIVERGING, GRAY, _layout, mosaic, safe
from core.figures.style import BLUE, ORANGE, VERMILLION
from core.maths import hog

HEAT = [[0.0, "rgba(0,0,0,0)"], [0.5, "rgba(230,159,0,0.15)"], [0.75, "rgba(213,94,0,0.5)"],
        [1.0, "rgba(204,0,102,0.8)"]]


NOT_READ = "rgba(120,120,120,0.55)"   # patches the scan did not read: flatter than every training face


def _photo_figure(photo):
    """A figure holding the photo (colour or grey) as its first trace, in pixel coordinates. A colour photo goes
    as a JPEG: a tenth of the bytes its pixels take as numbers, sent again on every rerun of the tab."""
    fig = go.Figure()
    if photo.ndim == 3:
        fig.add_trace(go.Image(source=jpeg_data_uri(photo), hoverinfo="skip"))
    else:
        fig.add_trace(go.Heatmap(z=photo, colorscale=GRAY, zmin=0, zmax=255, showscale=False, hoverinfo="skip"))
    return fig


PHOTO_PX = 380   # a photo chart's height, margins and title included


def _photo_axes(fig, photo, title, width=None):
    """Hidden axes spanning the photo, one pixel per unit, and room for a two-line title.

    width: the chart's width in pixels, when it is known (a phone's column): the chart is then no higher than the
    photo at that width, so a wide photo leaves no blank under itself (on a 390-px phone, 200 px of it)."""
    h, w = photo.shape[:2]
    fig.update_xaxes(visible=False, range=[-0.5, w - 0.5], constrain="domain")
    # constrain="domain" on both axes: the photo's box shrinks to the photo, so what sits under it (a colour
    # bar) follows it instead of the bottom of a box sized for a tall photo
    # constraintoward="top": a photo wider than its box (on a phone) sits under its title, the blank left below
    fig.update_yaxes(visible=False, range=[h - 0.5, -0.5], scaleanchor="x", constrain="domain",
                     constraintoward="top")
    _layout(fig, PHOTO_PX, title, tight=True)
    if title and "<br>" in title:                    # a second line of title: room for it above the photo
        fig.update_layout(margin=dict(t=72))
    if width is not None:
        m = fig.layout.margin
        fig.update_layout(height=min(PHOTO_PX, m.t + m.b + round((width - m.l - m.r) * h / w)))
    return fig


def detection_figure(photo, heat, box, title, not_read=None, width=None):
    """The photo, the map of a over it, and the chosen window outlined.

    photo : uint8 ndarray (h, w) or (h, w, 3), a small copy of the photo for display
    heat : ndarray (hh, ww), a in [0, 1] over the photo (any resolution; stretched to the photo)
    box : (top, left, side) of the chosen window, in pixels of `photo`
    not_read : ndarray of bool (hh, ww) or None: patches the scan did not read (too flat), drawn in grey
    width : the chart's width in pixels when it is known (see _photo_axes)
    """
    h, w = photo.shape[:2]
    fig = _photo_figure(photo)
    hh, ww = heat.shape
    fig.add_trace(go.Heatmap(
        z=heat, x0=(w / ww) / 2 - 0.5, dx=w / ww, y0=(h / hh) / 2 - 0.5, dy=h / hh, zmin=0, zmax=1,
        # the colour bar across, between the title and the photo: beside it, it took a quarter of a phone's width
        # from the photo; under it, it stayed at the bottom of the box while a wide photo sat at its top
        colorscale=HEAT, showscale=True,
        colorbar=dict(title=dict(text="a", side="right"), tickvals=[0, 0.5, 1], orientation="h", x=0.5,
                      xanchor="center", y=1.02, yanchor="bottom", len=0.6, thickness=12),
        hovertemplate="best a of the windows centred here: %{z:.2f}<extra></extra>"))
    if not_read is not None and not_read.any():
        fig.add_trace(go.Heatmap(
            z=np.where(not_read, 1.0, np.nan), x0=(w / ww) / 2 - 0.5, dx=w / ww, y0=(h / hh) / 2 - 0.5, dy=h / hh,
            zmin=0, zmax=1, colorscale=[[0, NOT_READ], [1, NOT_READ]], showscale=False, name="not read",
            hovertemplate="too flat to be a face: not read (a = 0)<extra></extra>"))
    top, left, side = box
    fig.add_shape(type="rect", x0=left - 0.5, y0=top - 0.5, x1=left + side - 0.5, y1=top + side - 0.5,
                  line=dict(color=BLUE, width=3))
    _photo_axes(fig, photo, title, width)
    return fig.update_layout(height=fig.layout.height + 45,                         # the colour bar above
                             margin=dict(t=fig.layout.margin.t + 45))


SEEN_TITLES = ("what the<br>neuron saw", "the average<br>training face")
SEEN_GAP = 0.06   # between the two pictures, a share of the figure's width


def seen_figure(seen, mean_face, guide=None):
    """The 25 × 25 window the neuron saw, beside the average training face.

    seen, mean_face : ndarrays (25, 25), grey levels 0..255
    guide : dict name -> (row, col) or None; marks (eyes, mouth) drawn on both pictures

    Two side-by-side pictures laid out by hand as plotly.subplots would lay them (its subplot titles are annotations
    over each half): a zoom move on a photo rebuilds this figure, and make_subplots alone took longer than the rest.
    """
    half = (1 - SEEN_GAP) / 2
    domains = ((0.0, half), (1 - half, 1.0))
    traces, layout = [], {"annotations": []}
    for c, (z, (x0, x1), title) in enumerate(zip((seen, mean_face), domains, SEEN_TITLES, strict=True), start=1):
        x, y = ("x", "y") if c == 1 else (f"x{c}", f"y{c}")
        traces.append(go.Heatmap(z=z, colorscale=GRAY, zmin=0, zmax=255, showscale=False, xaxis=x, yaxis=y,
                                 hovertemplate="row %{y}, column %{x}: %{z:.0f}<extra></extra>"))
        if guide:
            names = list(guide)
            traces.append(go.Scatter(
                x=[guide[n][1] for n in names], y=[guide[n][0] for n in names], xaxis=x, yaxis=y,
                mode="markers+text", text=names, textposition="top center", textfont=dict(color=VERMILLION),
                showlegend=False, hoverinfo="text",
                marker=dict(symbol="circle-open", size=16, color=VERMILLION, line=dict(width=2))))
        suffix = "" if c == 1 else str(c)
        # two-line titles: on a phone each picture is ~170 px wide, and one-line titles ran into each other
        layout[f"xaxis{suffix}"] = dict(domain=[x0, x1], anchor=y, visible=False, range=[-0.5, 24.5],
                                        constrain="domain")
        layout[f"yaxis{suffix}"] = dict(domain=[0.0, 1.0], anchor=x, visible=False, range=[24.5, -0.5],
                                        scaleanchor=x)
        layout["annotations"].append(dict(text=title, x=(x0 + x1) / 2, y=1.0, xref="paper", yref="paper",
                                          xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=16)))
    fig = go.Figure(traces, layout)
    _layout(fig, 290, None, tight=True)
    return fig.update_layout(margin=dict(t=60))


def hog_weights_figure(w):
    """HOG weights as oriented strokes: per cell of the window, one stroke per edge direction.

    A stroke is drawn along the edge (across the gradient it measures); purple strokes (w > 0) are edges the
    neuron wants to see in a face, orange ones (w < 0) edges that speak against a face; thicker = larger |w|.
    w : ndarray of shape (576, 1)
    """
    cells = hog.cell_weights(w)                                    # (5, 5, 9)
    limit = float(np.max(np.abs(cells))) or 1.0
    fig = go.Figure()
    half = hog.CELL * 0.45
    levels = [(0.25, 1.5), (0.5, 3.0), (0.75, 4.5), (1.01, 6.0)]   # |w| / max up to ..., line width
    for sign, colour, name in ((1, "#5E3C99", "w > 0: edge expected in a face"),
                               (-1, ORANGE, "w < 0: edge against a face")):
        low = 0.1
        for high, width in levels:
            xs, ys = [], []
            for r in range(hog.CELLS):
                for c in range(hog.CELLS):
                    for k in range(hog.ORIENTATIONS):
                        v = sign * cells[r, c, k] / limit
                        if low <= v < high:
                            theta = np.deg2rad((k + 0.5) * 180 / hog.ORIENTATIONS + 90)   # the edge's direction
                            cx, cy = (c + 0.5) * hog.CELL - 0.5, (r + 0.5) * hog.CELL - 0.5
                            dx, dy = half * np.cos(theta), -half * np.sin(theta)      # rows grow downwards
                            xs += [cx - dx, cx + dx, None]
                            ys += [cy - dy, cy + dy, None]
            if xs:
                fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=colour, width=width),
                                         name=name, legendgroup=name, showlegend=(high == levels[-1][0]),
                                         hoverinfo="skip"))
            low = high
    for i in range(hog.CELLS + 1):
        edge = i * hog.CELL - 0.5
        fig.add_shape(type="line", x0=edge, x1=edge, y0=-0.5, y1=hog.WINDOW - 0.5, line=dict(color="#dddddd"))
        fig.add_shape(type="line", y0=edge, y1=edge, x0=-0.5, x1=hog.WINDOW - 0.5, line=dict(color="#dddddd"))
    fig.update_xaxes(visible=False, range=[-0.5, hog.WINDOW - 0.5], constrain="domain")
    fig.update_yaxes(visible=False, range=[hog.WINDOW - 0.5, -0.5], scaleanchor="x")
    _layout(fig, 380, "Edges neuron: w as strokes,<br>one per cell and direction", tight=True,
            legend=dict(orientation="h", y=-0.02))
    return fig.update_layout(margin=dict(t=75))   # the title's two lines


def pixel_weights_figure(w):
    """Pixel weights as a 25 × 25 picture (purple = brighter here means face)."""
    W = np.asarray(w, dtype=float).reshape(hog.WINDOW, hog.WINDOW)
    limit = float(np.max(np.abs(W))) or 1.0
    fig = go.Figure(go.Heatmap(z=W, colorscale=DIVERGING, zmid=0, zmin=-limit, zmax=limit,
                               colorbar=dict(title=dict(text="w")),
                               hovertemplate="row %{y}, column %{x}<br>w = %{z:.3f}<extra></extra>"))
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    _layout(fig, 380, "Pixels neuron:<br>w as a picture", tight=True)
    return fig.update_layout(margin=dict(t=75))   # two lines, as the edges neuron's title beside it


def scores_figure(rows):
    """Both neurons on the same photo: a horizontal bar per representation with its threshold.

    rows : list of (label, score, threshold)
    """
    fig = go.Figure()
    for i, (label, score, threshold) in enumerate(rows):
        fig.add_trace(go.Bar(x=[score], y=[label], orientation="h", showlegend=False, hoverinfo="skip",
                             marker=dict(color=BLUE if score >= threshold else ORANGE,
                                         pattern_shape="" if score >= threshold else "/"),
                             text=[f"{score:.2f}"], textposition="outside"))
        fig.add_shape(type="line", x0=threshold, x1=threshold, y0=i - 0.4, y1=i + 0.4,
                      line=dict(color="black", dash="dash", width=2))
    fig.update_xaxes(range=[0, 1.1], title="face score (dashed: each neuron's threshold)")
    return _layout(fig, 110 + 45 * len(rows), None, tight=True)


def most_face_like_figure(items, threshold, title, narrow_title=None):
    """A row of windows, each the most face-like of one face-free photo, titled with its photo, whether the neuron
    was mined on it ("in training") or not ("kept back"), and a. One picture (the windows side by side) with the
    titles written over it: one heatmap draws far fewer page elements than a subplot per window.

    items : list of (photo label, window ndarray (25, 25) 0..255, a, in training: bool)
    threshold : the neuron's threshold; a window at or over it is framed in blue (it looks like a face to the neuron)
    narrow_title : the title in shorter lines, for a chart narrower than FOOLED_NARROW_PX (a phone), where the
        windows' labels also get smaller and shorter ("trained", "kept")
    """
    n, side, gap = len(items), hog.WINDOW, 8
    tiles = mosaic(np.array([np.asarray(window, dtype=float) for _, window, _, _ in items]), n, gap=gap)
    fig = go.Figure(go.Heatmap(z=tiles, colorscale=GRAY, zmin=0, zmax=255, showscale=False, hoverinfo="skip"))
    narrow = {}     # a phone: each window is about 40 px wide, and "in training" (55 px) ran into its neighbours
    for k, (name, _, a, trained) in enumerate(items):
        left = k * (side + gap)
        seen = "in training" if trained else "kept back"
        fig.add_annotation(x=left + (side - 1) / 2, y=-1.5, xref="x", yref="y", yanchor="bottom", showarrow=False,
                           font=dict(size=11), text=f"{safe(name)}<br>{seen}<br><b>a = {a:.2f}</b>")
        narrow[f"annotations[{k}].text"] = f"{safe(name)}<br>{'trained' if trained else 'kept'}<br><b>{a:.2f}</b>"
        narrow[f"annotations[{k}].font.size"] = 9
        if a >= threshold:
            fig.add_shape(type="rect", x0=left - 0.5, y0=-0.5, x1=left + side - 0.5, y1=side - 0.5,
                          line=dict(color=BLUE, width=4))
    fig.update_xaxes(visible=False, range=[-1, tiles.shape[1]], constrain="domain")
    fig.update_yaxes(visible=False, range=[side, -1], scaleanchor="x")
    if title and narrow_title:
        narrow |= {"title.text": narrow_title, "title.font.size": 13}   # three lines at 13 px: as high as two
    _layout(fig, 240, title, tight=True, meta={"narrow": {"narrow_px": FOOLED_NARROW_PX, "layout": narrow}})
    return fig.update_layout(margin=dict(t=130 if title else 70))   # a two-line title, three lines per window


FOOLED_NARROW_PX = 560   # a chart narrower than this (a phone) gets the short labels and title


def classic_detection_figure(photo, boxes, neighbours, face_at, title, width=None):
    """The photo with each face the classic detector found outlined, labelled with its windows.

    photo : uint8 ndarray (h, w) or (h, w, 3), a small copy of the photo for display
    boxes : ndarray (n, 3) of top, left, side in pixels of `photo`
    neighbours : ndarray (n,) of int, the windows grouped into each face
    face_at : int, or ndarray (n,) of int (one per box: the bar of the search that found it), the windows from which
        a group counts as a face: solid blue; fewer ("unsure"): dashed orange
    width : the chart's width in pixels when it is known (see _photo_axes)
    """
    bars = np.broadcast_to(np.asarray(face_at), (len(boxes),))
    return _outlined(photo, boxes, [f"{int(n)} windows" for n in neighbours],
                     [n >= bar for n, bar in zip(neighbours, bars, strict=True)], title, width)


def network_detection_figure(photo, boxes, scores, face_at, title, width=None):
    """The photo with each face the face network found outlined, labelled with its score a.

    photo : uint8 ndarray (h, w) or (h, w, 3), a small copy of the photo for display
    boxes : ndarray (n, 3) of top, left, side in pixels of `photo`
    scores : ndarray (n,), the network's a (0..1) for each box
    face_at : float, the score from which a box counts as a face: solid blue; below ("unsure"): dashed orange
    """
    return _outlined(photo, boxes, [f"a = {score:.2f}" for score in scores], [score >= face_at for score in scores],
                     title, width)


def _outlined(photo, boxes, labels, faces, title, width):
    """The photo with each box (top, left, side) outlined, solid blue where `faces` is true and dashed orange where
    not, its label above it."""
    fig = _photo_figure(photo)
    for (top, left, side), label, face in zip(boxes, labels, faces, strict=True):
        colour = BLUE if face else ORANGE
        fig.add_shape(type="rect", x0=left - 0.5, y0=top - 0.5, x1=left + side - 0.5, y1=top + side - 0.5,
                      line=dict(color=colour, width=3, dash="solid" if face else "dash"))
        fig.add_annotation(x=left + side / 2, y=top - 0.5, yanchor="bottom", showarrow=False, font=dict(size=11),
                           text=f"<b>{label}</b>", bgcolor="rgba(255,255,255,0.8)", bordercolor=colour)
    return _photo_axes(fig, photo, title, width)


def skin_figure(photo, mask, title, width=None):
    """Where the small-face search looked: the photo with its skin-coloured pixels as they are and every other
    pixel dimmed to a fifth.

    photo : uint8 ndarray (h, w, 3), a small copy of the photo for display
    mask : ndarray (h, w) of 0 and 1, core.lessons.classic_detector.skin_mask of that copy
    """
    photo = np.asarray(photo, dtype=np.float32)
    keep = np.asarray(mask, dtype=bool)[..., None]
    shown = np.where(keep, photo, 0.2 * photo + 20).round().astype(np.uint8)
    return _photo_axes(_photo_figure(shown), shown, title, width)


def cascade_funnel_figure(survivors, title):
    """How many windows are still in the running before the first stage and after each of the cascade's stages,
    on a log scale: most are out after two or three stages, so the later, bigger stages read very few.

    survivors : ndarray (stages + 2,) of int: every window, the windows not too flat to read, then those left
        after each stage (core.maths.haar.Detection.survivors)
    """
    survivors = np.asarray(survivors)
    stages = len(survivors) - 2
    labels = ["all", "not flat"] + [str(k) for k in range(1, stages + 1)]
    shown = np.maximum(survivors, 0.8)         # a log axis cannot draw 0: a stub under 1 marks "none left"
    fig = go.Figure(go.Bar(
        x=labels, y=shown, marker=dict(color=[VERMILLION, ORANGE] + [BLUE] * stages),
        customdata=survivors, hovertemplate="%{x}: %{customdata:,} windows<extra></extra>"))
    fig.update_yaxes(type="log", title="windows left", dtick=1)
    fig.update_xaxes(title="after stage", tickangle=0, tickfont=dict(size=10), type="category")
    return _layout(fig, 300, title, tight=True, bargap=0.15)
