"""benchmarks/seen.py works: one control on one page, one run, reports a finite positive time for a chart that
really changed. Functional only: no timed assertion (absolute times depend on the machine's load)."""

import json
import math

import pytest

from benchmarks import seen

DATA = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => (gd._fullData || []).map(t =>
    [t.type, t.visible, t.x ? Array.from(t.x).length : 0,
     t.y ? Array.from(t.y).reduce((a, v) => a + (+v || 0), 0) : 0]))"""


@pytest.mark.timeout(600)  # a warm-up visit, then the run: minutes when software WebGL shares a busy machine
def test_the_harness_times_a_control_that_changes_a_chart(base_url, tmp_path, browser):
    out, raw = tmp_path / "seen.md", tmp_path / "seen.json"
    seen.main(["--url", base_url, "--pages", "losses", "--controls", "steps", "--runs", "1", "--no-loads",
               "--no-bytes", "--out", str(out), "--json", str(raw)], browser=browser)   # the suite's Chromium
    (result,) = json.loads(raw.read_text())["results"]["losses|steps"].values()
    assert not result["absent"] and result["unchanged"] == 0 and not result.get("failed")
    (shown,) = result["shown"]
    assert math.isfinite(shown) and shown > 0
    assert "| /losses | steps | input → chart shown |" in out.read_text()


@pytest.mark.timeout(600)
def test_the_change_it_sees_is_a_change_of_the_charts_data(base_url, browser):
    page = seen.open_app(browser, base_url, "losses", frames := [])
    try:
        before = page.evaluate(DATA)
        result = seen.time_control(page, next(c for c in seen.CONTROLS["losses"] if c.name == "steps"), 0, frames)
        after = page.evaluate(DATA)
    finally:
        page.context.close()
    assert result["changed"] and math.isfinite(result["shown"]) and result["shown"] > 0
    assert result["settled"] >= result["shown"] > 0
    assert after != before                     # plotly's own data, read independently of the harness's fingerprint
