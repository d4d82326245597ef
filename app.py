"""Basin's router: a framework fix, page config, the menu, then run the chosen page. Nothing else lives here."""

import streamlit as st

from ui import framework_fixes
from ui.classroom import classroom
from ui.path import arrive, next_step
from ui.registry import PAGES

framework_fixes.install()  # an interrupted fragment run must not blank the page (see the module)

# An emoji favicon is drawn inline; a ":material/...:" one would be fetched from fonts.gstatic.com.
st.set_page_config(page_title="Basin", page_icon="📉", layout="wide")
page = st.navigation([
    st.Page(p.file, title=p.title, icon=p.material_icon,
            url_path=p.url_path or None, default=(p.url_path == ""))
    for p in PAGES
])
with classroom(page):  # teacher links (?teacher=1, ?hide=...) and the "link to this experiment" box
    arrive(page)      # a link from the Start here path (?path=n): its step, and its settings
    page.run()
    next_step(page)   # the link to the next step of the path, at the end of every page
