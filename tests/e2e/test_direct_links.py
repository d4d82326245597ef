"""A fresh server's very first visitor may arrive by a direct link (a teacher's link to /basin, say).

Until some session has run app.py, Streamlit treats an app with a pages/ folder in its legacy way. Each page
switches that off (ui.common.ensure_router) and reruns through app.py; this checks, on a brand-new server per
page, that the visitor lands on the right page with the real menu and no "Page not found" notice.
"""

import pytest
from playwright.sync_api import expect

from tests.conftest import REPO_ROOT
from tests.e2e.conftest import running_server
from tests.e2e.helpers import assert_no_console_errors, wait_for_app
from ui.registry import PAGES

SUBPAGES = [p for p in PAGES if p.url_path]


@pytest.mark.parametrize("info", SUBPAGES, ids=[p.url_path for p in SUBPAGES])
def test_first_visit_by_direct_link_lands_on_the_page(page, console_errors, info):
    log = REPO_ROOT / "test-artifacts" / f"fresh-server-{info.url_path}.log"
    with running_server(log) as url:
        page.goto(f"{url}/{info.url_path}")
        wait_for_app(page)
        expect(page.locator("h1").first).to_have_text(info.title)
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip() == info.title
        expect(page.get_by_test_id("stSidebarNavLink")).to_have_count(len(PAGES))
        titles = [t.split("\n")[-1].strip() for t in page.get_by_test_id("stSidebarNavLink").all_inner_texts()]
        assert titles == [p.title for p in PAGES]
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_test_id("stException").count() == 0
    assert_no_console_errors(console_errors)
