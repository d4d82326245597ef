"""Accessibility in a real browser: axe-core (npm, pinned in package-lock.json) on every page.

No serious or critical violation is allowed. axe-core is installed by `npm ci` (scripts/test.sh does it when
node_modules is missing). Each page is checked as a student first sees it (charts drawn), and once more in the
projector view (?teacher=1), whose larger text must not break anything. The page is opened once for these checks
and the other layout checks of the same view (tests/e2e/survey.py).
"""

import os

import pytest

from tests.e2e.survey import AXE, AXE_PROJECTOR, DESKTOP
from ui.registry import PAGES


@pytest.fixture(scope="module")
def axe_path() -> str:
    if not AXE.exists():
        message = "axe-core not installed: run `npm ci --no-audit --no-fund` (scripts/test.sh does it)."
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return str(AXE)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['summary'][:300]}" for n in v["nodes"][:8]]
    return "\n".join(lines)


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_no_serious_axe_violations(survey, axe_path: str, info):
    found = survey.look(info.url_path, DESKTOP)["axe"]    # also written to test-artifacts/axe-<page>.json
    assert not found, f"axe on /{info.url_path}:\n{describe(found)}"


@pytest.mark.parametrize("url_path", AXE_PROJECTOR)
def test_no_serious_axe_violations_in_the_projector_view(survey, axe_path: str, url_path):
    found = survey.look(url_path, DESKTOP)["axe"]         # with a screenshot, test-artifacts/screenshots/teacher-*
    assert not found, f"axe on /{url_path}:\n{describe(found)}"
