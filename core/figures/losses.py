"""Plotly pictures for the squared-error vs log-loss page: arrays in, go.Figure out, no streamlit.

Colours are Okabe-Ito (colour-blind safe) and every distinction also has a second cue: the rival cost is
reddish purple and dashed, log-loss green and solid; the classes are the app's (y = 0 a blue dot, y = 1 an orange
diamond, as on the Cost basin); plateaus are black × marks on top of the orange non-convex tint. Each look means
one thing on the page: no cost has a class's colour, no class has the plateau's ×. Arrays go to plotly as float32
to halve what a rerun sends.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures.style import BLACK, BLUE, GREEN, INK, ORANGE, PANEL, PINK, SKY_BLUE, margins

# The costs' colours are neither the classes' (blue, orange) nor the non-convex tint's (orange): with y = 1 an orange
# × and squared error a vermillion line, a student read the two as one thing.
RIVAL_COLOUR, LOG_COLOUR = PINK, GREEN
NONCONVEX_COLOUR, CONVEX_COLOUR = ORANGE, SKY_BLUE
PLATEAU_COLOUR = BLACK
CLASS_STYLE = {0: (BLUE, "circle", "y = 0"), 1: (ORANGE, "diamond", "y = 1")}   # as core/figures/basin/panels.py
TICK_STANDOFF = 8   # px between an axis and its numbers: the x and y axes' "0" ran into each other at the origin
CONTOUR_SCALE = "Blues_r"          # low cost dark blue, high cost white: the orange tint stays visible
PLATEAU_EVERY = 3                  # plateau × marks on every 3rd grid point, so they read as a texture
PLATEAU_EVERY_3D = 6               # on the 3D surface, every 6th: denser, they merged into noise
PLATEAU_ARM = 0.3                  # a 3D ×'s half-width, in lattice steps (its strokes do not touch the next one's)
PLATEAU_LIFT = 0.02                # of the surface's height range: the 3D × marks lie just above the surface
CLICK_EVERY = 2                    # click targets on every 2nd grid point
FRAMES = 60                        # frames of the ball replay on the contour maps


def _f32(a):
    return np.asarray(a, dtype=np.float32)


def _codes(J, lo, hi):
    """J as colour codes 0..255 between lo and hi (clipped): uint8, what a heatmap needs to pick its colour."""
    scaled = (np.asarray(J, float) - lo) / ((hi - lo) or 1.0)
    return np.round(np.clip(scaled, 0.0, 1.0) * 255).astype(np.uint8)


def _hover(name, other):
    return ("w = %{x:.2f}, b = %{y:.2f}<br>" + name + ": J = %{z:.4f}<br>" + other
            + ": J = %{customdata:.4f}<extra></extra>")


def _marks(w, b, mask, every=PLATEAU_EVERY):
    """(w, b) of the True cells of mask on a coarser lattice (every `every`-th row and column)."""
    sub = np.zeros_like(mask)
    sub[::every, ::every] = True
    rows, cols = np.nonzero(mask & sub)
    return w[cols], b[rows]


def contour_pair(w, b, J_rival, J_log, nonconvex, plateau, paths, names, minima, start):
    """Two contour maps of the same (w, b) grid side by side, hover showing both costs.

    w, b : ndarray of shape (n_w,), (n_b,)
    J_rival, J_log : ndarray of shape (n_b, n_w)
    nonconvex, plateau : bool ndarray (n_b, n_w) of the rival cost (log-loss is convex: nothing to mark)
    paths : (rival, log), each ndarray of shape (k + 1, 2): columns w, b of gradient descent
    names : (rival name, log name)
    minima : ((w, b), (w, b)) lowest points, drawn as stars when inside the grid
    start : (w0, b0)

    The last trace of each panel is a lattice of transparent markers of which plotly draws only one
    (marker.maxdisplayed): clicking one selects a start point (st.plotly_chart on_select), and its hover shows
    both costs there.
    """
    # Each title on two lines (cost, then neuron): two one-line titles run into each other on a chart under
    # about 600 px wide (a phone, or a projector's page beside the sidebar). The maps 11 % of the width apart: at
    # 0.05 the left map's last tick number "10" ran into the right one's "−10" on a chart under ~500 px wide.
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.11,
                        subplot_titles=[_two_lines(names[0]), _two_lines(names[1])])
    costs = (J_rival, J_log)
    colours = (RIVAL_COLOUR, LOG_COLOUR)
    ball_traces = []
    for col, J in enumerate((J_rival, J_log), start=1):
        me = names[col - 1]
        zmin, zmax = float(J.min()), float(np.quantile(J, 0.9))
        # The colours are a heatmap smoothed by the browser (zsmooth "fast"), the level lines a contour trace
        # that draws lines only: a contour coloured as a heatmap computes every pixel's colour in plotly,
        # the larger part of drawing this figure. The heatmap gets the cost as a colour code 0..255 between
        # zmin and zmax (the colour scale is clipped there anyway): an eighth of the bytes, the same colours.
        fig.add_trace(go.Heatmap(x=_f32(w), y=_f32(b), z=_codes(J, zmin, zmax), zmin=0, zmax=255, zsmooth="fast",
                                 colorscale=CONTOUR_SCALE, showscale=False, hoverinfo="skip",
                                 name=f"J, {me}", showlegend=False),
                      row=1, col=col)
        # The contour's own hover is off: the click lattice on top shows both costs (smaller to send).
        fig.add_trace(go.Contour(x=_f32(w), y=_f32(b), z=_f32(J), ncontours=30, hoverinfo="skip",
                                 zmin=zmin, zmax=zmax, showscale=False,
                                 contours={"coloring": "none", "showlines": True},
                                 line={"width": 0.5, "color": "rgba(255,255,255,0.5)"},
                                 name=f"J levels, {me}", showlegend=False),
                      row=1, col=col)
        if col == 1:
            # A constraint contour (not a heatmap: plotly draws heatmaps under contours) tints the region
            # where the Hessian has a negative eigenvalue and outlines its border. Plotly shades the side that
            # fails the constraint, so "z < 0.5" shades z = 1: the non-convex cells (checked in the browser).
            fig.add_trace(go.Contour(x=_f32(w), y=_f32(b), z=nonconvex.astype(np.uint8), hoverinfo="skip",
                                     contours={"type": "constraint", "operation": "<", "value": 0.5},
                                     fillcolor="rgba(230,159,0,0.38)",
                                     line={"color": NONCONVEX_COLOUR, "width": 2},
                                     name="not convex (orange)", showlegend=True), row=1, col=1)
            pw, pb = _marks(w, b, plateau)
            fig.add_trace(go.Scatter(x=_f32(pw), y=_f32(pb), mode="markers", name="plateau (×)",
                                     marker={"symbol": "x-thin", "size": 6, "color": PLATEAU_COLOUR,
                                             "line": {"width": 1, "color": PLATEAU_COLOUR}},
                                     hoverinfo="skip"), row=1, col=1)
        path = np.asarray(paths[col - 1], float)
        run = {"run": col - 1}       # meta: what the trace shows, for a script that draws new runs into the chart
        fig.add_trace(go.Scatter(x=_f32(path[:, 0]), y=_f32(path[:, 1]), mode="lines", name=f"path, {me}",
                                 meta={"role": "path", **run},
                                 line={"color": colours[col - 1], "width": 3,
                                       "dash": "dash" if col == 1 else "solid"},
                                 hoverinfo="skip", showlegend=False), row=1, col=col)
        fig.add_trace(go.Scatter(x=[start[0]], y=[start[1]], mode="markers", name="start",
                                 meta={"role": "start", **run},
                                 marker={"symbol": "square", "size": 11, "color": "white",
                                         "line": {"width": 2, "color": "black"}},
                                 hoverinfo="skip", showlegend=col == 1), row=1, col=col)
        ball_traces.append(len(fig.data))
        fig.add_trace(go.Scatter(x=[path[-1, 0]], y=[path[-1, 1]], mode="markers", name=f"ball, {me}",
                                 meta={"role": "ball", **run},
                                 marker={"symbol": "circle", "size": 16, "color": colours[col - 1],
                                         "line": {"width": 2, "color": "white"}},
                                 hovertemplate=f"ball ({me}): w = %{{x:.3f}}, b = %{{y:.3f}}<extra></extra>",
                                 showlegend=False), row=1, col=col)
        mw, mb = minima[col - 1]
        if w[0] <= mw <= w[-1] and b[0] <= mb <= b[-1]:
            fig.add_trace(go.Scatter(x=[mw], y=[mb], mode="markers", name="lowest point",
                                     marker={"symbol": "star", "size": 15, "color": "white",
                                             "line": {"width": 1.5, "color": "black"}},
                                     hovertemplate="lowest point: w = %{x:.3f}, b = %{y:.3f}<extra></extra>",
                                     showlegend=col == 1), row=1, col=col)
        cw, cb = np.meshgrid(w[::CLICK_EVERY], b[::CLICK_EVERY])
        both = np.stack([costs[0][::CLICK_EVERY, ::CLICK_EVERY].ravel(),
                         costs[1][::CLICK_EVERY, ::CLICK_EVERY].ravel()], axis=1)
        # SVG markers with maxdisplayed=1: plotly draws one (transparent) marker, yet hovers and selects among
        # all of them (hover and click-to-select read every point, drawing only the displayed ones). 2 × 2,601
        # drawn SVG markers made the map 5,000 DOM nodes and seconds to draw; WebGL markers (scattergl) cost a
        # WebGL context, about 0.5 s to set up in software rendering on every first load.
        fig.add_trace(go.Scatter(
            x=_f32(cw.ravel()), y=_f32(cb.ravel()), mode="markers", name="click to start here",
            customdata=_f32(both), marker={"size": 9, "color": "rgba(0,0,0,0)", "maxdisplayed": 1},
            showlegend=False,
            hovertemplate=("w = %{x:.2f}, b = %{y:.2f}<br>" + names[0] + ": J = %{customdata[0]:.4f}<br>"
                           + names[1] + ": J = %{customdata[1]:.4f}<br>click: start here<extra></extra>")),
            row=1, col=col)
    _add_replay(fig, [np.asarray(p, float) for p in paths], ball_traces)
    fig.update_xaxes(title_text="w", range=[float(w[0]), float(w[-1])])
    fig.update_yaxes(title_text="b", range=[float(b[0]), float(b[-1])], row=1, col=1)
    fig.update_layout(height=MAP_PLOT_PX + PANEL["t"] + PANEL["b"] + MAP_HEADROOM,
                      margin={**PANEL, "t": PANEL["t"] + MAP_HEADROOM, "b": PANEL["b"] + MAP_LEGEND_PX},
                      clickmode="event+select", dragmode=False, hovermode="closest",
                      legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0})
    return fig


MAP_PLOT_PX = 390   # the maps' height, legend included
MAP_LEGEND_PX = 56  # the legend's room under the axis titles: two rows when it wraps (a phone, the projector view)
MAP_HEADROOM = 72   # px above the maps' titles for the Replay button: it stays clear of them down to a phone


def _two_lines(name: str) -> str:
    """'squared error, sigmoid neuron' -> 'squared error<br>sigmoid neuron' (a chart title on two lines)."""
    return "<br>".join(name.split(", ", 1))


def _add_replay(fig, paths, ball_traces, max_frames=FRAMES):
    """Ball-only frames and a Play button: both balls roll together in the browser, no rerun.

    Frame k puts each ball at step round(k · K / (max_frames − 1)) of the longer run (a shorter run waits at
    its end). Only the two ball traces change, so the frames stay small.
    """
    longest = max(len(p) for p in paths)
    steps = np.unique(np.linspace(0, longest - 1, min(max_frames, longest)).round().astype(int))
    def at(p, k):
        row = p[min(k, len(p) - 1)]
        return go.Scatter(x=[row[0]], y=[row[1]])

    fig.frames = [go.Frame(name=str(k), traces=ball_traces, data=[at(p, k) for p in paths]) for k in steps]
    fig.update_layout(updatemenus=[{
        # Over the maps' two-line titles, in the room MAP_HEADROOM leaves. y is in the plot's heights, which
        # shrink when the legend wraps (a narrow chart) while the room above stays, and the projector view
        # scales margins more than heights: 1.30 keeps the button inside the figure and off the titles from a
        # 360 px phone to a 1280 px projector (measured in the browser; tests/e2e/test_losses.py checks it).
        "type": "buttons", "showactive": False, "x": 0.5, "xanchor": "center", "yanchor": "top", "y": 1.30,
        "buttons": [{"label": "▶ Replay both balls", "method": "animate",
                     "args": [None, {"frame": {"duration": 60, "redraw": False},
                                     "transition": {"duration": 0}, "fromcurrent": False,
                                     "mode": "immediate"}]}]}])


def surface_pair(w, b, J_rival, J_log, nonconvex, plateau, paths, names):
    """Two 3D surfaces in one figure (two scenes): orange where the rival is not convex, sky where convex.

    paths : (rival, log), each ndarray of shape (k + 1, 3): columns w, b, J. The ball is the last row.
    """
    fig = make_subplots(rows=1, cols=2, specs=[[{"type": "scene"}, {"type": "scene"}]],
                        horizontal_spacing=0.02, subplot_titles=list(names))
    two_tone = [[0, CONVEX_COLOUR], [0.5, CONVEX_COLOUR], [0.5, NONCONVEX_COLOUR], [1, NONCONVEX_COLOUR]]
    colours = (RIVAL_COLOUR, LOG_COLOUR)
    for col, (J, other) in enumerate(((J_rival, J_log), (J_log, J_rival)), start=1):
        me, you = names[col - 1], names[2 - col]
        # Log-loss is convex everywhere: one colour, no mask to send.
        tone = {"surfacecolor": nonconvex.astype(np.float32), "cmin": 0, "cmax": 1, "colorscale": two_tone} \
            if col == 1 else {"colorscale": [[0, CONVEX_COLOUR], [1, CONVEX_COLOUR]]}
        fig.add_trace(go.Surface(x=_f32(w), y=_f32(b), z=_f32(J), customdata=_f32(other), **tone,
                                 showscale=False, opacity=0.95,
                                 hovertemplate=_hover(me, you), name=f"J, {me}",
                                 lighting={"ambient": 0.55, "diffuse": 0.8, "specular": 0.1}),
                      row=1, col=col)
        if col == 1:
            _add_plateau_3d(fig, w, b, J, plateau)
        path = np.asarray(paths[col - 1], float)
        run = {"run": col - 1}       # meta: what the trace shows, for a script that draws new runs into the chart
        fig.add_trace(go.Scatter3d(x=_f32(path[:, 0]), y=_f32(path[:, 1]), z=_f32(path[:, 2]), mode="lines",
                                   line={"color": colours[col - 1], "width": 6}, name=f"path, {me}",
                                   meta={"role": "path3d", **run}, hoverinfo="skip", showlegend=False),
                      row=1, col=col)
        fig.add_trace(go.Scatter3d(x=_f32(path[-1:, 0]), y=_f32(path[-1:, 1]), z=_f32(path[-1:, 2]),
                                   mode="markers", name=f"ball, {me}", showlegend=False,
                                   meta={"role": "ball3d", **run},
                                   marker={"size": 8, "color": colours[col - 1],
                                           "line": {"width": 2, "color": "white"}},
                                   hovertemplate=f"ball ({me})<br>w = %{{x:.3f}}, b = %{{y:.3f}}, "
                                                 f"J = %{{z:.4f}}<extra></extra>"), row=1, col=col)
    camera = {"eye": {"x": -1.5, "y": -1.5, "z": 1.1}, "center": {"x": 0, "y": 0, "z": -0.1}}
    # Each scene's box is its surface's: a path that leaves the grid, or climbs to J = 10¹¹ as it diverges, is
    # cut at the box (as on the contour maps) instead of squashing the surface into a flat sheet.
    box = {"xaxis_range": [float(w[0]), float(w[-1])], "yaxis_range": [float(b[0]), float(b[-1])]}
    for scene, J in (("scene", J_rival), ("scene2", J_log)):
        fig.update_layout({scene: {"xaxis_title": "w", "yaxis_title": "b", "zaxis_title": "J",
                                   "camera": camera, "aspectmode": "cube", **box,
                                   "zaxis_range": [float(np.min(J)), float(np.max(J))]}})
    fig.update_layout(height=SURFACES_HEIGHT, margin=margins(0, 0, SURFACES_TOP, 0), uirevision="surfaces",
                      legend={"orientation": "h", "y": 0.0, "x": 0}, meta={"narrow": surface_steps()})
    return fig


def _add_plateau_3d(fig, w, b, J, plateau):
    """The plateau's × marks on the 3D surface (scene 1), drawn as lines lying on it, and their legend item.

    WebGL draws a 3D marker symbol "x" as the glyph ❌, which the page's fonts lack: a box, half sunk into the
    surface, read as spiky noise. So each × is two short strokes, each end just above the surface there
    (PLATEAU_LIFT), sparser than on the map. Lines show a line in the legend: the legend's × is a second trace
    with one marker and no point (nothing drawn), in the same legend group (a click on it hides both).
    """
    pw, pb = _marks(w, b, plateau, PLATEAU_EVERY_3D)
    arm = PLATEAU_ARM * PLATEAU_EVERY_3D * float(w[1] - w[0]) if len(w) > 1 else 0.0
    lift = PLATEAU_LIFT * float(np.ptp(J))
    xs, ys = [], []
    for cw, cb in zip(pw, pb, strict=True):   # the two strokes of each ×, then a gap (NaN)
        xs += [cw - arm, cw + arm, np.nan, cw - arm, cw + arm, np.nan]
        ys += [cb - arm, cb + arm, np.nan, cb + arm, cb - arm, np.nan]
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    ok = np.isfinite(xs)
    zs = np.full_like(xs, np.nan)
    iw = np.clip(np.searchsorted(w, xs[ok]), 0, len(w) - 1)
    ib = np.clip(np.searchsorted(b, ys[ok]), 0, len(b) - 1)
    zs[ok] = J[ib, iw] + lift
    look = {"legendgroup": "plateau", "hoverinfo": "skip"}
    fig.add_trace(go.Scatter3d(x=_f32(xs), y=_f32(ys), z=_f32(zs), mode="lines", name="plateau (×)",
                               line={"color": PLATEAU_COLOUR, "width": 3}, showlegend=False, **look), row=1, col=1)
    fig.add_trace(go.Scatter3d(x=[None], y=[None], z=[None], mode="markers", name="plateau (×)",
                               marker={"symbol": "x", "size": 6, "color": PLATEAU_COLOUR}, **look), row=1, col=1)


# The two surfaces' chart, and its room for the titles (px). Streamlit keeps a chart at its figure's height, while each
# scene is only as high as it is wide: at 520 px, a laptop's 820 px chart (1,280 px, sidebar open) left ~80 px empty
# under the scenes' legend. At 480 its 402 px scenes and legend fill the chart; wider charts keep scenes 440 px high.
SURFACES_HEIGHT, SURFACES_TOP = 480, 40
SURFACES_WIDE_PX = 1000   # from this chart width on, each of the two scenes is at least as wide as it is high
SURFACES_STACK_PX = 560   # below it (a phone), one scene above the other
SURFACES_STEP_PX = 40     # the scenes' height follows the chart's width in steps this wide (less room lost at each)
SCENE_SHARE = 0.49        # of the chart's width, per scene (make_subplots' horizontal_spacing=0.02)


STACKED_LEGEND_SHARE = 0.06   # of the plot's height, under the lower scene when stacked: the legend's row


def surface_steps() -> list[dict]:
    """The narrow layouts of surface_pair's chart (meta.narrow: steps applied in the page, ui/plotly_animation.js).

    Plotly's 3D camera fits the cube to the scene's height: a scene narrower than high loses its sides. Side by
    side in a chart narrower than SURFACES_WIDE_PX (a laptop with the sidebar open: 820 px at 1,280, 564 px at
    1,024), each scene was cut: the J axis and its ticks off the left scene's edge, the w axis off the right one's.
    So below it the scenes keep their width and get as high as they are wide (at the narrow end of each step of
    SURFACES_STEP_PX), at the top of the chart, with the legend under them; below SURFACES_STACK_PX they are stacked,
    each as wide as the chart. The chart keeps its height: Streamlit sizes its box from the figure. In the projector
    view's copy (core.figures.projector.enlarge) the plot is higher: the steps hold from wider charts, in proportion.
    """
    plot = SURFACES_HEIGHT - SURFACES_TOP
    steps = []
    for top in range(SURFACES_WIDE_PX, SURFACES_STACK_PX, -SURFACES_STEP_PX):
        # rounded down: a scene never higher than wide
        high = math.floor(min(1.0, SCENE_SHARE * (top - SURFACES_STEP_PX) / plot) * 1000) / 1000
        steps.append({"narrow_px": top, "scale_with": "plot_height", "layout": {
            "scene.domain.y": [round(1 - high, 3), 1], "scene2.domain.y": [round(1 - high, 3), 1],
            "legend.y": round(1 - high, 3), "legend.yanchor": "top"}})
    # stacked, the lower scene starts above the legend's row (at the bottom, it covered that cube's w ticks)
    steps.append({"narrow_px": SURFACES_STACK_PX, "scale_with": "plot_height", "layout": {
        "scene.domain.x": [0, 1], "scene.domain.y": [0.53, 1], "scene2.domain.x": [0, 1],
        "scene2.domain.y": [STACKED_LEGEND_SHARE, 0.47],
        "annotations[0].x": 0.5, "annotations[1].x": 0.5, "annotations[1].y": 0.47,
        "legend.y": 0, "legend.yanchor": "bottom"}})
    return steps


def share_of_start(cost):
    """J as a percentage of its value at step 0: 100 at the start, lower as the run goes down (ndarray (k + 1,)).

    Two costs are two different functions of (w, b): squared error's J and log-loss's J are not in the same units,
    so a stalled squared error at J = 0.25 can lie under a finished log-loss at J = 0.38. Each as a share of its own
    start says how far each run got. (A start of J = 0, or not finite, leaves J as it is.)
    """
    J = np.asarray(cost, float)
    start = J[0] if J.size and np.isfinite(J[0]) and J[0] > 0 else 100.0
    return 100.0 * J / start


def cost_curves(costs, gaps, names):
    """Each run's cost as a share of its start (left) and J − J_min on a log scale (right).

    costs, gaps : (rival, log), each ndarray of shape (k + 1,)

    The left panel's traces carry J itself as customdata, for their hover (ui/losses_preview.js draws both).
    """
    # Titles on two lines: on a phone each panel is 150 px wide and one-line titles ran into each other.
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.16,
                        subplot_titles=["cost J at each step<br>as % of its start",
                                        "distance to the bottom<br>J − J<sub>min</sub> (log)"])
    colours, dashes = (RIVAL_COLOUR, LOG_COLOUR), ("dash", "solid")
    for i in range(2):
        steps = np.arange(len(costs[i]))
        line = {"color": colours[i], "width": 2.5, "dash": dashes[i]}
        fig.add_trace(go.Scatter(x=steps, y=_f32(share_of_start(costs[i])), customdata=_f32(costs[i]),
                                 mode="lines", name=names[i], line=line,
                                 legendgroup=names[i], meta={"role": "cost", "run": i},
                                 hovertemplate="step %{x}: J = %{customdata:.5f}, %{y:.1f}% of its start<extra>"
                                 + names[i] + "</extra>"),
                      row=1, col=1)
        fig.add_trace(go.Scatter(x=steps, y=np.maximum(np.asarray(gaps[i], float), 1e-16), mode="lines",
                                 name=names[i], line=line, legendgroup=names[i], showlegend=False,
                                 meta={"role": "gap", "run": i},
                                 hovertemplate="step %{x}: J − J<sub>min</sub> = %{y:.2e}<extra>" + names[i]
                                 + "</extra>"),
                      row=1, col=2)
    fig.update_xaxes(title_text="step", ticklabelstandoff=TICK_STANDOFF // 2)
    fig.update_yaxes(title_text="% of J at step 0", ticksuffix="%", rangemode="tozero",
                     ticklabelstandoff=TICK_STANDOFF, row=1, col=1)
    # (no standoff on the log axis: it has no 0, and its wide numbers would run into its title)
    fig.update_yaxes(title_text="J − J<sub>min</sub>", type="log", exponentformat="power", row=1, col=2)
    # The legend at the bottom of the whole chart, under the axis titles at any width (placed under the plot in
    # the plot's heights, it ran into "step" once it wrapped onto two lines and the plot got shorter).
    fig.update_layout(height=380, margin={**PANEL, "t": 60, "b": 110},
                      legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
                      meta={"narrow": {"narrow_px": CURVES_NARROW_PX, "layout": {
                          "annotations[1].text": "J − J<sub>min</sub><br>(log)", "yaxis2.title.text": ""}}})
    return fig


# Below these widths (a narrow phone; in the projector view, whose text is larger, a column beside the sidebar)
# ui/chart_bridge.js gives the two-panel charts shorter titles: the cost chart's "distance to the bottom" was cut at
# the chart's right edge and its axis title lay over its numbers; the likelihood's two "p = predicted P(y = 1)" ran
# into each other.
CURVES_NARROW_PX = 340
LIKELIHOOD_NARROW_PX = 300


def likelihood_figure(label, p):
    """One example with label y: the likelihood p^y (1 − p)^(1 − y) and its −log, for p from 0 to 1."""
    ps = np.linspace(0.001, 0.999, 400)
    lik = ps**label * (1 - ps) ** (1 - label)
    here = p**label * (1 - p) ** (1 - label)
    # Titles on two lines and a short axis title: on a phone each panel is 130 px wide.
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.16, subplot_titles=[
        f"likelihood<br>y = {label}", f"−log likelihood<br>= loss, y = {label}"])
    for col, (curve, value, fmt) in enumerate(((lik, here, ".3f"), (-np.log(lik), -np.log(here), ".3f")), 1):
        fig.add_trace(go.Scatter(x=ps, y=curve, mode="lines", line={"color": LOG_COLOUR, "width": 2.5},
                                 showlegend=False, hovertemplate="p = %{x:.3f}: %{y:.3f}<extra></extra>"),
                      row=1, col=col)
        fig.add_trace(go.Scatter(x=[p], y=[value], mode="markers+text", text=[f"{value:{fmt}}"],
                                 # on the side with room: at the right edge a label was cut by the axis
                                 textposition="top left" if p > 0.5 else "top right", cliponaxis=False,
                                 showlegend=False,
                                 # a black dot: a diamond in a cost's colour read as a class (y = 1) or a run
                                 marker={"size": 12, "color": INK, "symbol": "circle",
                                         "line": {"width": 1.5, "color": "white"}},
                                 hovertemplate="p = %{x:.3f}: %{y:.3f}<extra></extra>"), row=1, col=col)
    fig.update_xaxes(title_text="p = predicted P(y = 1)", range=[0, 1], ticklabelstandoff=TICK_STANDOFF // 2)
    fig.update_yaxes(ticklabelstandoff=TICK_STANDOFF)
    fig.update_yaxes(range=[0, 1.05], row=1, col=1)
    fig.update_yaxes(range=[0, 7], row=1, col=2)
    fig.update_layout(height=320, margin={**PANEL, "t": 60},
                      meta={"narrow": {"narrow_px": LIKELIHOOD_NARROW_PX, "layout": {
                          "xaxis.title.text": "p", "xaxis2.title.text": "p"}}})
    return fig


def data_likelihood_figure(x, y, nll, feature_label):
    """Each example's −log likelihood at the current (w, b) against its feature; their mean is J."""
    xs, ys, nll = np.ravel(x), np.ravel(y), np.ravel(nll)
    fig = go.Figure()
    for label, (colour, symbol, name) in CLASS_STYLE.items():
        keep = ys == label
        fig.add_trace(go.Scatter(x=_f32(xs[keep]), y=_f32(nll[keep]), mode="markers", name=name,
                                 marker={"color": colour, "symbol": symbol, "size": 7,
                                         "line": {"width": 1, "color": colour}},
                                 hovertemplate="x = %{x:.2f}, −log likelihood = %{y:.3f}<extra>" + name
                                 + "</extra>"))
    fig.add_hline(y=float(nll.mean()), line={"dash": "dot", "color": "black"},
                  # at the right end: at the left, next to the axis, it crowded the tick number 0.5
                  annotation_text=f"mean = J = {nll.mean():.4f}", annotation_position="top right")
    fig.update_layout(height=300, margin=margins(50, 20, 20, 40),
                      xaxis_title=feature_label, yaxis_title="−log p(yᵢ | xᵢ)",
                      legend={"orientation": "h", "y": 1.1, "x": 0})
    return fig
