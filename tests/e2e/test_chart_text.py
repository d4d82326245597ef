"""Every chart's text fits in its chart, in a real browser: titles, subplot titles, axis titles and legend entries,
on every page and every tab, as a student sees it and in the projector view (?teacher=1), whose text is 1.35 times
larger. A title wider than its chart is cut at both ends, and nothing else in the app would notice.
"""

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import open_page, save_screenshot, wait_for_app, wait_for_charts
from ui.registry import PAGES

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


@pytest.mark.parametrize("view", ["", "?teacher=1"], ids=["student", "projector"])
@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_chart_text_fits_in_its_chart(page: Page, base_url: str, info, view):
    open_page(page, base_url, info.url_path + view)
    wait_for_charts(page)
    cut = page.evaluate(CUT_TEXT)
    tabs = page.get_by_role("tab")
    for i in range(1, tabs.count()):          # the first tab is open already
        tabs.nth(i).click()
        wait_for_app(page)
        wait_for_charts(page)
        cut += page.evaluate(CUT_TEXT)
    if cut:
        save_screenshot(page, f"cut-text-{info.url_path or 'home'}{'-projector' if view else ''}")
    assert not cut, f"/{info.url_path}{view}: text outside its chart:\n" + "\n".join(cut)
