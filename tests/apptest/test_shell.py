"""The app shell: every page in the menu opens through app.py without an exception."""

import pytest

from tests.conftest import REPO_ROOT
from ui.common import forget_run_data
from ui.path import STEPS
from ui.registry import PAGES


def test_home_is_the_default_page(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Basin"


def test_home_links_to_every_other_page(app):
    """Home's links: the Start here path's steps (numbered), then one link per lesson, in menu order."""
    app.run()
    links = app.get("page_link")
    steps = [f"{i + 1}. {s.title}" for i, s in enumerate(STEPS)]
    assert [link.proto.label for link in links] == steps + [p.title for p in PAGES[1:]]


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_every_page_opens(app, info):
    app.switch_page(info.file).run()
    assert not app.exception, [e.message for e in app.exception]
    titles = [t.value for t in app.title]
    assert titles, f"{info.file} shows no st.title"
    # Home's title is the app's name; every other page is titled as in the menu.
    assert titles[0] == ("Basin" if info.url_path == "" else info.title)


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_every_chart_and_image_has_alternative_text(app, info):
    """Screen readers name a chart by its alt text; without one it is an anonymous graphic."""
    if info.url_path:  # Home is the default page
        app.switch_page(info.file)
    app.run()
    if info.url_path == "vectorisation":  # its timing charts appear after a measurement
        app.button(key="measure").click().run()
        app.button(key="measure_z").click().run()
    if info.url_path == "classify":  # the photo tab's pictures appear with a photo
        photo = (REPO_ROOT / "tests" / "fixtures" / "face.jpg").read_bytes()
        app.file_uploader(key="clf_photo_file").set_value(("face.jpg", photo, "image/jpeg")).run()
    assert not app.exception, [e.message for e in app.exception]
    charts = app.get("plotly_chart")
    assert charts, f"{info.file} draws no chart"
    unnamed = [c.proto.id for c in charts if len(c.proto.alt.strip()) < 15]
    assert not unnamed, f"charts without alt text on {info.file}"
    images = [img for el in app.get("imgs") for img in el.proto.imgs]
    assert all(img.alt.strip() for img in images), f"images without alt text on {info.file}"


def test_forget_run_data_keeps_what_callbacks_need_and_drops_the_rest():
    import math

    def callback():
        return math.pi

    namespace = {"__name__": "__main__", "math": math, "callback": callback, "KEYS": ["a"], "fig": object(),
                 "p": 1, "data": [1, 2], "_private": 3}
    forget_run_data(namespace)
    assert namespace == {"__name__": "__main__", "math": math, "callback": callback, "KEYS": ["a"]}
