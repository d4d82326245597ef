"""The app shell: every page in the menu opens through app.py without an exception."""

import pytest

from ui.registry import PAGES


def test_home_is_the_default_page(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Basin"


def test_home_links_to_every_other_page(app):
    app.run()
    links = app.get("page_link")
    assert [link.proto.label for link in links] == [p.title for p in PAGES[1:]]


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_every_page_opens(app, info):
    app.switch_page(info.file).run()
    assert not app.exception, [e.message for e in app.exception]
    titles = [t.value for t in app.title]
    assert titles, f"{info.file} shows no st.title"
    # Home's title is the app's name; every other page is titled as in the menu.
    assert titles[0] == ("Basin" if info.url_path == "" else info.title)
