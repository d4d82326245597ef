"""One look for every figure: the palette, the text and the margins the figure builders share.

The palette is Okabe-Ito, safe for colour-blind readers; no figure tells two things apart by colour alone (each
series also has its own dash, marker or label).
"""

BLUE, ORANGE, GREEN, PINK, VERMILLION, YELLOW, BLACK = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#F0E442", "#000000")
SKY_BLUE = "#56B4E9"
INK, GREY, LIGHT = "#222222", "#8a8a8a", "#e6e6e6"   # text, secondary text, grid lines
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15, color=INK)


def margins(left: int, right: int, top: int, bottom: int) -> dict:
    """A plotly layout margin, in pixels."""
    return {"l": left, "r": right, "t": top, "b": bottom}


TIGHT = margins(10, 10, 10, 10)        # pictures without axis titles (graphs, grids)
PANEL = margins(50, 20, 40, 40)        # one chart with a title and axis titles
NONE = margins(0, 0, 0, 0)
