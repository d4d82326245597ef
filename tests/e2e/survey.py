"""One load of a page at one window width, looked at by every layout check that wants that view.

The layout checks (labels cut short, formulas scrolling sideways, chart text overlapping or cut, a drawn chart still
saying it is being drawn, axe-core) only read
the page: none clicks, types or uploads (the chart-text check clicks through the page's tabs, after everything
else is read). Each check is still its own test, with its own id and its own assertion, but a page is opened at a
width once for all of them: `Survey.look(url, width)` opens it the first time a test asks for that view, measures
what every check listed below for that view needs, and keeps the measurements for the tests that ask later.
A page load costs Chromium 4–6 s of CPU here (it draws in software), and the checks share most of their views.

The page is opened by its direct link (a new Streamlit session each time) in one browser context kept for the
whole run, so Streamlit's and plotly's scripts come from the browser's cache after the first page, as on a
student's second page. A layout is judged once the page has settled (its style sheet and fonts land a moment after
its first elements), and a warm cache changes nothing in what is judged.
"""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.conftest import REPO_ROOT
from tests.e2e import helpers
from ui.registry import PAGES

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = 1400  # px: the width of the browser tests' default window (tests/e2e/conftest.py), 900 px high

# --- the views each check looks at -------------------------------------------------------------------------------

# labels: (width, query): a tablet or half a screen, a laptop, and the projector view on a 1024 × 768 and a
# 1280-px projector; every page
LABEL_VIEWS = [(900, ""), (1024, ""), (1024, "?teacher=1"), (1280, "?teacher=1")]
# formulas: a 390 px phone, a 900 px tablet, a 1024 px laptop and a 1400 px desktop, on the pages with formulas
FORMULA_PAGES = ["losses", "graph", "activations", "vectorisation", "basin", "classify"]
FORMULA_WIDTHS = [390, 900, 1024, 1400]
# chart text running into itself: phones, a tablet, a laptop and projectors, on the pages with charts
CHART_PAGES = ["", "basin", "losses", "classify", "graph", "vectorisation", "activations"]
CHART_VIEWS = [(390, ""), (700, ""), (1024, ""), (1024, "?teacher=1"), (900, "?teacher=1"),
               (390, "?teacher=1"), (360, "?teacher=1")]
# chart text inside its chart, on every tab of every page, as a student and in the projector view (desktop)
TAB_VIEWS = ["", "?teacher=1"]
# axe-core: every page as a student first sees it, and two pages in the projector view (desktop)
AXE_PROJECTOR = ["basin?teacher=1", "classify?teacher=1"]


def _wants() -> dict[tuple[str, int], set[str]]:
    wants: dict[tuple[str, int], set[str]] = {}
    for info in PAGES:
        for width, query in LABEL_VIEWS:
            wants.setdefault((info.url_path + query, width), set()).add("labels")
        for query in TAB_VIEWS:
            wants.setdefault((info.url_path + query, DESKTOP), set()).add("tabs")
        wants.setdefault((info.url_path, DESKTOP), set()).add("axe")
    for url_path in FORMULA_PAGES:
        for width in FORMULA_WIDTHS:
            wants.setdefault((url_path, width), set()).add("formulas")
    for url_path in CHART_PAGES:
        for width, query in CHART_VIEWS:
            wants.setdefault((url_path + query, width), set()).add("clashes")
    for url in AXE_PROJECTOR:
        wants.setdefault((url, DESKTOP), set()).update({"axe", "screenshot"})
    return wants


WANTS = _wants()

# --- what is measured --------------------------------------------------------------------------------------------

# Every label Streamlit cut short with "…" (a button, link, tab, metric or widget label that does not fit its
# column), in the page and in the sidebar when it is open.
CUT_LABELS = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] *, [data-testid="stSidebar"][data-collapsed="false"] *')].filter(el =>
    el.offsetParent && getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1
    ).map(el => el.textContent.slice(0, 60))"""

FORMULA_BOXES = """() => [...document.querySelectorAll('.katex-display')].map(
    el => [el.scrollWidth, el.clientWidth, el.textContent.slice(0, 40)])"""
FORMULAS_FIT = """() => [...document.querySelectorAll('.katex-display')].every(
    el => el.scrollWidth <= el.clientWidth + 1)"""
# Where each line of a formula display starts a new line: the piece before it must end in an \allowbreak (the gap
# ui.common.formulas puts between formulas, or one written into a long formula), not at any "=", "+" or "∣" KaTeX
# would break at. A piece is a top-level ".base"; the next line's piece starts left of the one before.
FORMULA_BREAKS = """() => [...document.querySelectorAll('.katex-display')].flatMap(el => {
  const bases = [...el.querySelectorAll('.katex-html > .base')];
  const lefts = bases.map(b => b.getBoundingClientRect().left);
  return bases.slice(0, -1).filter((b, i) => lefts[i + 1] < lefts[i]
    && !(b.lastElementChild && b.lastElementChild.classList.contains('allowbreak')))
    .map(b => el.textContent.slice(0, 30) + ' … broken after: ' + b.textContent.slice(-15)); })"""
FORMULA_PIECES = """() => [...document.querySelectorAll('.katex-display')].map(
    el => el.querySelectorAll('.katex-html > .base').length)"""

# What plotly drew of each chart shown: its titles, axis titles, legend and text annotations (not the arrows of
# the computation graph, which are empty annotations meant to cross it). Each pair that overlaps by more than
# 2 px, and each that reaches past the chart's left, right or top edge, is returned.
CHART_TEXT_CLASHES = """() => {
  const out = [];
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const box = gd.getBoundingClientRect();
    if (!gd.offsetParent || box.width === 0) continue;
    const parts = [...gd.querySelectorAll('g.annotation, .gtitle, .legend, [class^="g-"][class$="title"]')]
      .filter(e => e.textContent.trim())
      .map(e => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width > 0 && r.height > 0);
    const name = e => e.textContent.slice(0, 40);
    for (const [e, r] of parts)
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1) out.push(['cut', name(e)]);
    for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) {
      const [a, ra] = parts[i], [b, rb] = parts[j];
      if (a.contains(b) || b.contains(a)) continue;
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 2 && h > 2) out.push(['overlap', name(a), name(b)]);
    }
  }
  return out;
}"""
PLOTS = "document.querySelectorAll('.js-plotly-plot').length"

# Charts shown on the page that still say "Drawing the chart…" (ui/classroom.py's style sheet, until plotly.js has
# drawn them), by their place on the page.
LOADING_NOTES = r"""() => [...document.querySelectorAll('.stPrintGraphic')].filter((e) => {
  const r = e.getBoundingClientRect(), note = getComputedStyle(e, '::after').content;
  return r.width > 0 && r.height > 0 && note && note !== 'none' && note !== 'normal';
}).map((e) => `a chart ${Math.round(e.getBoundingClientRect().top + window.scrollY)} px from the top says `
              + getComputedStyle(e, '::after').content)"""

# Each drawn chart's text elements whose box leaves the chart's own box (2 px of slack for anti-aliasing).
CUT_TEXT = r"""() => { const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach((gd) => {
    const svg = gd.querySelector('.main-svg'); if (!svg) return;
    const s = svg.getBoundingClientRect(); if (s.width < 5) return;          // in a tab that is not shown
    gd.querySelectorAll('.gtitle, .annotation-text, .g-xtitle text, .g-ytitle text, .legendtext').forEach(t => {
      const r = t.getBoundingClientRect(); if (r.width === 0) return;
      if (r.left < s.left - 2 || r.right > s.right + 2 || r.top < s.top - 2 || r.bottom > s.bottom + 2)
        out.push(`"${t.textContent.slice(0, 80)}": ${Math.round(r.left - s.left)} px from the left edge, `
                 + `${Math.round(s.right - r.right)} px from the right, ${Math.round(r.top - s.top)} px from the top`);
    }); });
  return out; }"""

# While the page settles, what each check waits for (then it must hold again 600 ms later): the check reports
# what is still wrong once the page is steady or after 10 s.
_SETTLED = {"labels": f"({CUT_LABELS})().length === 0", "formulas": f"({FORMULAS_FIT})()",
            "clashes": f"({CHART_TEXT_CLASHES})().length === 0"}


# Violations inside Streamlit's own frontend that the app cannot fix, each excluded only for its exact rule and
# target (never a whole rule). Keep this short and explain every entry.
KNOWN_STREAMLIT: set[tuple[str, str]] = set()


def serious_violations(page: Page) -> list[dict]:
    """axe's serious and critical violations on the page (axe-core from npm, pinned in package-lock.json), minus the
    known Streamlit ones."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact, summary: n.failureSummary}))}));
    }""")
    found = []
    for v in result:
        nodes = [n for n in v["nodes"] if n["impact"] in ("serious", "critical")
                 and (v["id"], n["target"]) not in KNOWN_STREAMLIT]
        if nodes:
            found.append({**v, "nodes": nodes})
    return found


def _name(url: str) -> str:
    return (url.split("?")[0] or "home") + ("-projector" if "teacher=1" in url else "")


class Survey:
    """Measurements of pages at window widths, each view loaded once (see the module docstring)."""

    def __init__(self, page: Page, base_url: str):
        self.page, self.base_url = page, base_url
        self.seen: dict[tuple[str, int], dict] = {}

    def look(self, url: str, width: int) -> dict:
        key = (url, width)
        if key not in WANTS:
            raise KeyError(f"no check looks at {url!r} at {width} px: add the view to tests/e2e/survey.py")
        if key not in self.seen:
            self.seen[key] = self._measure(url, width, WANTS[key])
        return self.seen[key]

    def _measure(self, url: str, width: int, wants: set[str]) -> dict:
        page = self.page
        page.set_viewport_size({"width": width, "height": 900 if width >= DESKTOP else 844})
        helpers.open_page(page, self.base_url, url)
        if "formulas" in wants:
            expect(page.locator(".katex-display").first).to_be_visible(timeout=helpers.TIMEOUT)
        helpers.wait_for_charts(page)
        settled = [_SETTLED[w] for w in sorted(wants) if w in _SETTLED]
        if settled:
            helpers.wait_until_steady(page, "() => " + " && ".join(settled), timeout=10_000)
        out = {"cut_labels": page.evaluate(CUT_LABELS), "formula_boxes": page.evaluate(FORMULA_BOXES),
               "formula_breaks": page.evaluate(FORMULA_BREAKS), "formula_pieces": page.evaluate(FORMULA_PIECES),
               "clashes": page.evaluate(CHART_TEXT_CLASHES), "plots": page.evaluate(PLOTS)}
        if "screenshot" in wants:
            helpers.save_screenshot(page, "teacher-" + url.split("?")[0])
        if "axe" in wants and AXE.exists():
            out["axe"] = serious_violations(page)
            (REPO_ROOT / "test-artifacts").mkdir(exist_ok=True)
            (REPO_ROOT / "test-artifacts" / f"axe-{_name(url)}.json").write_text(json.dumps(out["axe"], indent=1))
        if "tabs" in wants:  # last: it clicks
            cut, loading = page.evaluate(CUT_TEXT), page.evaluate(LOADING_NOTES)
            tabs = page.get_by_role("tab")
            for i in range(1, tabs.count()):          # the first tab is open already
                tabs.nth(i).click()
                helpers.wait_for_app(page)
                helpers.wait_for_charts(page)
                cut += page.evaluate(CUT_TEXT)
                loading += [f"{note} (tab {i + 1})" for note in page.evaluate(LOADING_NOTES)]
            if cut:
                helpers.save_screenshot(page, f"cut-text-{_name(url)}")
            out["cut_text"], out["loading_notes"] = cut, loading
        return out
