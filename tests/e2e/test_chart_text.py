"""Every chart's text fits in its chart, in a real browser: titles, subplot titles, axis titles and legend entries,
on every page and every tab, as a student sees it and in the projector view (?teacher=1), whose text is 1.35 times
larger. A title wider than its chart is cut at both ends, and nothing else in the app would notice.

The page is opened at the desktop width once for this check and the other layout checks of that view; this check
clicks through its tabs after the others have read it (tests/e2e/survey.py).
"""

import pytest

from tests.e2e.survey import DESKTOP, TAB_VIEWS
from ui.registry import PAGES


@pytest.mark.parametrize("view", TAB_VIEWS, ids=["student", "projector"])
@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_chart_text_fits_in_its_chart(survey, info, view):
    cut = survey.look(info.url_path + view, DESKTOP)["cut_text"]
    assert not cut, f"/{info.url_path}{view}: text outside its chart:\n" + "\n".join(cut)


@pytest.mark.parametrize("view", TAB_VIEWS, ids=["student", "projector"])
@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_no_drawn_chart_still_says_it_is_being_drawn(survey, info, view):
    """The "Drawing the chart…" note in a chart's space (ui/classroom.py) is gone once plotly.js has drawn the chart,
    on every tab."""
    loading = survey.look(info.url_path + view, DESKTOP)["loading_notes"]
    assert not loading, f"/{info.url_path}{view}: " + "; ".join(loading)
