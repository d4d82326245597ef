"""Where the Cost basin's panels and controls sit: the 3D basin first and largest, the legend beside it, the
animation controls in a strip of their own (never over an axis), and the three flat panels in a row below.

    +----------------------------------------+--------+
    |                                        | legend |
    |            3D basin (scene)            |        |
    |                                        |        |
    +----------------------------------------+--------+
    | ▶ Play ❚❚ Pause Slow Fast Step ▶          linear/log J |
    | step slider                                          |
    +----------------+----------------+-------------------+
    | top view (map) | data and curve | cost J per step   |
    +----------------+----------------+-------------------+

On a phone (a chart narrower than NARROW_PX) the page's script applies narrow(): one column, every panel full
width, the legend and each row of controls on lines of their own, in the same height (Streamlit sizes the chart's
box from the figure's height, so a script must not change it). Between NARROW_PX and MEDIUM_PX (a laptop's window
of 1,100 to 1,270 px with the sidebar open, a tablet) it applies medium(): the basin takes the whole width, with
the legend over its top right corner, where nothing of the surface is drawn. The projector view's copy, whose text
is larger, also shortens the lower titles (compact()) in a chart narrower than NARROW_PX times its text's factor.
"""

from core.figures.style import INK, margins

HEIGHT = 1100
SCENE_X, SCENE_Y = (0.0, 0.75), (0.42, 1.0)
LEGEND_X = 0.77
MAP_X, DATA_X, COST_X, LOW_Y = (0.0, 0.27), (0.365, 0.635), (0.73, 1.0), (0.0, 0.235)
BUTTONS_Y, SLIDER_Y = 0.405, 0.36      # the controls' strip, between the basin and the lower titles
NARROW_PX = 640
# plotly's toolbar (the modebar, kept for the 3D camera's buttons) sits 2 px below the chart's top and is 22 px tall:
# the figure's top margin must hold it
TOOLBAR_PX = 24
TOP_MARGIN = 30
# Below this chart width the scene, three quarters of it, is narrower than its height, and plotly's camera (which
# fits the cube to the scene's height) cut the J axis and the surface's far corner off its left edge: at 692 px only
# J's three lowest ticks showed, and no "J"; at 780 px the "J" was still cut off (at 820 px all of it shows).
MEDIUM_PX = 820
# The three lower panels' titles, and shorter ones for a chart too narrow for the long ones at the projector view's
# text size (compact()): at 19 px, bold, the long ones are up to 290 px wide, the short ones up to 165 px.
LOW_TITLES = ("Top view (click: start here)", "Data and the neuron's output", "Cost J at each step")
SHORT_TITLES = ("Top view (click)", "Data and output", "Cost J per step")
# Every control is a plotly button with method "skip": the page's script (ui/basin_bridge.js) acts on it,
# found by its action (args[0]), never by its label.
ACTIONS = (("▶ Play", "play"), ("❚❚ Pause", "pause"), ("Slow", "slow"), ("Fast", "fast"), ("Step ▶", "step"))


def _title(text, x, y):
    return {"text": f"<b>{text}</b>", "x": x, "y": y, "xref": "paper", "yref": "paper", "xanchor": "left",
            "yanchor": "bottom", "showarrow": False, "font": {"size": 14}}


def place(fig, box, z_range, lift, n, height=HEIGHT):
    """Domains, titles, legend and controls; the axes' own ranges and titles are set by the panels."""
    fig.update_layout(
        height=height, margin=margins(50, 10, TOP_MARGIN, 50), template=None, plot_bgcolor="white",
        clickmode="event+select", dragmode="pan", showlegend=True,
        legend={"x": LEGEND_X, "y": SCENE_Y[1], "xanchor": "left", "yanchor": "top", "orientation": "v",
                "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 13}, "tracegroupgap": 2,
                "title": {"text": "<b>Runs and marks</b>"}},
        # about six ticks on w and b: plotly turns each tick label into triangles, one of the costs of the first
        # draw in software. J keeps its own: the contour lines on the surface follow J's ticks.
        scene={"xaxis": {"title": {"text": "w"}, "range": list(box[:2]), "nticks": 6},
               "yaxis": {"title": {"text": "b"}, "range": list(box[2:]), "nticks": 6},
               "zaxis": {"title": {"text": "J"}, "range": [z_range[0], z_range[1] + 2 * lift]},
               "camera": {"eye": {"x": 1.45, "y": -1.45, "z": 0.95}}, "aspectmode": "cube",
               "domain": {"x": list(SCENE_X), "y": list(SCENE_Y)}},
        xaxis={"domain": list(MAP_X), "anchor": "y", "title": {"text": "w", "standoff": 4},
               "range": list(box[:2])},
        yaxis={"domain": list(LOW_Y), "anchor": "x", "title": {"text": "b", "standoff": 4},
               "range": list(box[2:])},
        xaxis2={"domain": list(DATA_X), "anchor": "y2"}, yaxis2={"domain": list(LOW_Y), "anchor": "x2"},
        xaxis3={"domain": list(COST_X), "anchor": "y3"}, yaxis3={"domain": list(LOW_Y), "anchor": "x3"},
        annotations=[_title("The basin J(w, b): drag to turn it", SCENE_X[0], SCENE_Y[1] - 0.02),
                     *(_title(text, x[0], LOW_Y[1] + 0.015)
                       for text, x in zip(LOW_TITLES, (MAP_X, DATA_X, COST_X), strict=True))],
        updatemenus=[
            {"type": "buttons", "direction": "left", "x": 0.0, "y": BUTTONS_Y, "xanchor": "left", "yanchor": "top",
             "pad": {"t": 0, "r": 6}, "showactive": False, "name": "animation",
             "buttons": [{"label": label, "method": "skip", "args": [action]} for label, action in ACTIONS]},
            {"type": "buttons", "direction": "left", "x": 1.0, "y": BUTTONS_Y, "xanchor": "right",
             "yanchor": "top", "showactive": True, "active": 0, "pad": {"t": 0}, "name": "J scale",
             "buttons": [{"label": "linear J", "method": "relayout", "args": [{"yaxis3.type": "linear"}]},
                         {"label": "log J", "method": "relayout", "args": [{"yaxis3.type": "log"}]}]},
        ],
        sliders=[{
            "active": 0, "x": 0.0, "len": 1.0, "y": SLIDER_Y, "yanchor": "top", "pad": {"t": 0, "b": 0, "l": 0},
            "currentvalue": {"prefix": "step ", "font": {"size": 13, "color": INK}}, "transition": {"duration": 0},
            # the step's number shows once, after "step "; the ticks' own labels would run into each other
            "name": "step", "ticklen": 4, "font": {"size": 10, "color": "rgba(0,0,0,0)"},
            "steps": [{"label": str(s), "method": "skip", "args": ["seek", s]} for s in range(n)],
        }],
    )



def medium():
    """The relayout (a dict of plotly layout paths) that gives the basin the whole width, the legend over its top
    right corner."""
    return {"scene.domain.x": [0, 1], "legend.x": 1, "legend.xanchor": "right"}


def compact():
    """The relayout (a dict of plotly layout paths) that shortens the three lower panels' titles. Only the
    projector view's copy holds it (core/figures/projector.py sets its width), in a chart too narrow for its larger
    titles yet wide enough for the row of three panels, such as 705 px at 1,280 px with the sidebar open."""
    out = {f"annotations[{n}].text": f"<b>{text}</b>" for n, text in enumerate(SHORT_TITLES, start=1)}
    # the scene is then about as high as it is wide, and plotly's camera, which fits the cube to its height, cut
    # the J axis's labels and title off its left edge (705 px): the cube a little smaller inside it
    out.update({"scene.aspectmode": "manual", "scene.aspectratio": {"x": 0.9, "y": 0.9, "z": 0.9}})
    return out


def narrow():
    """The relayout (a dict of plotly layout paths) that turns the figure into one column, for a phone."""
    rows = {"scene": (0.715, 1.0), "map": (0.37, 0.486), "data": (0.205, 0.29), "cost": (0.035, 0.115)}
    # fewer J ticks: the scene is shorter on screen, and eight tick labels ran into each other and into w's
    out = {"margin.l": 45, "scene.domain.x": [0, 1], "scene.domain.y": list(rows["scene"]), "scene.zaxis.nticks": 5,
           "scene.aspectmode": "cube",    # the scene is wider than high here: the whole cube (compact shrank it)
           "legend.x": 0, "legend.xanchor": "left", "legend.y": rows["scene"][0] - 0.005, "legend.orientation": "h",
           "legend.title.text": "", "updatemenus[0].y": 0.655, "updatemenus[1].y": 0.62,
           "updatemenus[1].x": 0, "updatemenus[1].xanchor": "left", "sliders[0].y": 0.583,
           # the basin's title hangs from the top of the plot, below the top margin, where plotly's toolbar sits (a
           # phone's chart is too narrow for both on one line: the toolbar covered the title at 390 px)
           "annotations[0].y": rows["scene"][1], "annotations[0].yanchor": "top"}
    # play and pause as their signs alone: the row of five buttons starts at the plot's left edge and was wider than
    # a phone's plot ("Step ▶" cut off by the chart's edge, by 1 px at 390 px, by 30 px on a 360-px phone)
    out.update({f"updatemenus[0].buttons[{i}].label": label.split()[0]
                for i, (label, _) in enumerate(ACTIONS) if label.split()[0] in ("▶", "❚❚")})
    for n, (axis, panel) in enumerate((("", "map"), ("2", "data"), ("3", "cost")), start=1):
        lo, hi = rows[panel]
        # each panel as wide as the chart: its own title, even where the projector's copy shortened it (compact)
        out.update({f"xaxis{axis}.domain": [0, 1], f"yaxis{axis}.domain": [lo, hi],
                    f"annotations[{n}].x": 0, f"annotations[{n}].y": hi + 0.006,
                    f"annotations[{n}].text": f"<b>{LOW_TITLES[n - 1]}</b>"})
    return out
