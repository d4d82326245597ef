"""Hostile links in a real browser: what Streamlit's markdown actually renders from a link's notes.

AppTest sees a note's markdown source; only a browser shows whether a link, an image or a heading was made
of it. Each link below once rendered markup (the hardening review); now its note reads as the plain text
the link said, and the page around it works.
"""

from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_page

EVIL = "evil.example"


@pytest.mark.parametrize("url_path, literal", [
    ("graph?a=" + quote("[Log in here](https://evil.example)"), "[Log in here](https://evil.example"),
    ("basin?seed=" + quote("![x](https://evil.example/x.png)"), "![x](https://evil.example/x.png"),
    ("activations?teacher=" + quote("yes\n==="), "teacher=yes ==="),
    ("vectorisation?op=" + quote("www.evil.example"), "op=www.evil.example"),
    ("losses?steps=" + quote("a@evil.example mailto:b@evil.example"),
     "steps=a@evil.example mailto:b@evil.example"),
])
def test_a_hostile_link_value_is_shown_as_plain_text(page: Page, base_url: str, url_path: str, literal: str):
    open_page(page, base_url, url_path)
    main = page.get_by_test_id("stAppViewContainer")
    # the note, word for word (the zero-width spaces that keep an address from becoming a link are not seen)
    shown = main.evaluate("el => el.innerText.replaceAll('\u200b', '')")
    assert literal in shown, shown[:2000]
    assert main.locator(f"a[href*='{EVIL}']").count() == 0                # no link was made of it
    assert page.locator(f"img[src*='{EVIL}']").count() == 0               # no foreign image is loaded
    assert main.locator("h1").count() == 1 and main.locator("h2:has-text('yes')").count() == 0
    expect(page.get_by_test_id("stException")).to_have_count(0)
