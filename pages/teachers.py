"""For teachers: the classroom guide (docs/CLASSROOM.md) inside the app, its examples linked to this server."""

import streamlit as st
from PIL import Image

from core.lessons.guide import Picture, app_base, teachers_guide_blocks
from core.markup import notation
from ui.common import page_header

WIDEST = 900  # px: a picture alone is not drawn wider than this


@st.cache_data(max_entries=16)  # one text per address the app is reached by (bounded: a Host header is the client's)
def guide(base: str):
    return teachers_guide_blocks(base)


@st.cache_data(max_entries=32)
def size(path: str) -> tuple[int, int]:
    """(width, height) of a picture of the guide (only its header is read)."""
    with Image.open(path) as im:
        return im.size


def pictures(row: list[Picture]) -> None:
    """A row of pictures drawn at the same height (columns as wide as each picture's aspect), captions under them."""
    row = [p for p in row if p.path.is_file()]         # a server installed without them shows the text alone
    if not row:
        return
    if len(row) == 1:
        st.image(str(row[0].path), caption=row[0].caption or None, alt=row[0].alt, output_format="PNG",
                 width=min(WIDEST, size(str(row[0].path))[0]))
        return
    aspects = [w / h for w, h in (size(str(p.path)) for p in row)]
    for col, p in zip(st.columns(aspects), row, strict=True):
        col.image(str(p.path), caption=p.caption or None, alt=p.alt, output_format="PNG", width="stretch")


def main():
    """The page, run top to bottom on every rerun: its data are locals, gone when the call returns."""
    page_header("For teachers", "How to show Basin to a class: links that reproduce an experiment, the projector "
                "view, hiding controls, the Start here path, predict-then-check and class mode. Every example "
                "below is a link to this server.")
    try:
        parts = guide(app_base(st.context.url, st.get_option("server.baseUrlPath")))
    except OSError:                                   # a server installed without docs/
        st.error("The teachers' guide (docs/CLASSROOM.md) is not on this server.")
        return
    for part in parts:
        if isinstance(part, str):
            st.markdown(notation(part))   # λ_max typeset, as on the lesson pages
        else:
            pictures(part)


main()
