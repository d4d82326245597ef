"""Accessibility in a real browser: axe-core (npm, pinned in package-lock.json) on every page.

No serious or critical violation is allowed. axe-core is installed by `npm ci` (scripts/test.sh does it when
node_modules is missing). Each page is checked as a student first sees it (charts drawn), and once more in the
projector view (?teacher=1), whose larger text must not break anything.
"""

import json
import os

import pytest
from playwright.sync_api import Page

from tests.conftest import REPO_ROOT
from tests.e2e.helpers import open_page, save_screenshot, wait_for_charts
from ui.registry import PAGES

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Violations inside Streamlit's own frontend that the app cannot fix, each excluded only for its exact rule and
# target (never a whole rule). Keep this short and explain every entry.
KNOWN_STREAMLIT = {
}


@pytest.fixture(scope="module")
def axe_path() -> str:
    if not AXE.exists():
        message = "axe-core not installed: run `npm ci --no-audit --no-fund` (scripts/test.sh does it)."
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return str(AXE)


def serious_violations(page: Page, axe_path: str) -> list[dict]:
    """axe's serious and critical violations on the page, minus the known Streamlit ones."""
    page.add_script_tag(path=axe_path)
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


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['summary'][:300]}" for n in v["nodes"][:8]]
    return "\n".join(lines)


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_no_serious_axe_violations(page: Page, base_url: str, axe_path: str, info):
    open_page(page, base_url, info.url_path)
    wait_for_charts(page)
    found = serious_violations(page, axe_path)
    (REPO_ROOT / "test-artifacts").mkdir(exist_ok=True)
    (REPO_ROOT / "test-artifacts" / f"axe-{info.url_path or 'home'}.json").write_text(json.dumps(found, indent=1))
    assert not found, f"axe on /{info.url_path}:\n{describe(found)}"


@pytest.mark.parametrize("url_path", ["basin?teacher=1", "classify?teacher=1"])
def test_no_serious_axe_violations_in_the_projector_view(page: Page, base_url: str, axe_path: str, url_path):
    open_page(page, base_url, url_path)
    save_screenshot(page, "teacher-" + url_path.split("?")[0])
    found = serious_violations(page, axe_path)
    assert not found, f"axe on /{url_path}:\n{describe(found)}"
