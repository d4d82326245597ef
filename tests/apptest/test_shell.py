"""The app shell: every page in the menu opens through app.py without an exception."""

import json

import pytest

from tests.conftest import REPO_ROOT
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
    lessons, for_teachers = [p.title for p in PAGES[1:] if p.lesson], [p.title for p in PAGES[1:] if not p.lesson]
    assert [link.proto.label for link in links] == steps + lessons + for_teachers
    # Class mode and the guide are ways to run a lesson, listed under their own heading, not under "The lessons"
    assert for_teachers == ["Class mode", "For teachers"]
    assert [h.value for h in app.subheader][-2:] == ["The lessons", "For teachers"]


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_every_page_opens(app, info):
    app.switch_page(info.file).run()
    assert not app.exception, [e.message for e in app.exception]
    titles = [t.value for t in app.title]
    assert titles, f"{info.file} shows no st.title"
    # Home's title is the app's name; every other page is titled as in the menu.
    assert titles[0] == ("Basin" if info.url_path == "" else info.title)


TEXT_PAGES = {"teachers"}  # the teachers' guide: text and links only


def open_with_charts(app, info, tmp_path, monkeypatch):
    """Open the page with every chart it can draw on screen (a class question revealed, a photo uploaded, ...)."""
    if info.url_path:  # Home is the default page
        app.switch_page(info.file)
    if info.url_path == "classmode":  # its charts appear once a teacher asks a question (a store in tmp_path)
        from ui.classmode import store
        monkeypatch.setenv("BASIN_DATA_DIR", str(tmp_path))
        monkeypatch.delenv("BASIN_REDIS_URL", raising=False)
        store.clear()
        app.query_params["teacher"] = "1"
    app.run()
    if info.url_path == "classmode":
        app.button(key="cm_start").click().run()
        app.button(key="cm_ask").click().run()
        app.button(key="cm_reveal").click().run()
    if info.url_path == "vectorisation":  # its timing charts appear after a measurement
        app.button(key="measure").click().run()
        app.button(key="measure_z").click().run()
    if info.url_path == "classify":  # the photo tab's pictures appear with a photo
        photo = (REPO_ROOT / "tests" / "fixtures" / "face.jpg").read_bytes()
        app.file_uploader(key="clf_photo_file").set_value(("face.jpg", photo, "image/jpeg")).run()
    assert not app.exception, [e.message for e in app.exception]


@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_every_chart_and_image_has_alternative_text(app, info, tmp_path, monkeypatch):
    """Screen readers name a chart by its alt text; without one it is an anonymous graphic."""
    open_with_charts(app, info, tmp_path, monkeypatch)
    charts = app.get("plotly_chart")
    if info.url_path in TEXT_PAGES:
        assert not charts, f"{info.file} now draws charts: take it out of TEXT_PAGES"
    else:
        assert charts, f"{info.file} draws no chart"
    unnamed = [c.proto.id for c in charts if len(c.proto.alt.strip()) < 15]
    assert not unnamed, f"charts without alt text on {info.file}"
    images = [img for el in app.get("image") for img in el.proto.imgs]
    if info.url_path in ("classify", "teachers"):     # the photo as cropped; the guide's screenshots
        assert images, f"{info.file} draws no picture"
    assert all(img.alt.strip() for img in images), f"images without alt text on {info.file}"


@pytest.mark.parametrize("info", [p for p in PAGES if p.url_path not in TEXT_PAGES],
                         ids=[p.url_path or "home" for p in PAGES if p.url_path not in TEXT_PAGES])
def test_only_3d_charts_show_plotlys_toolbar(app, info, tmp_path, monkeypatch):
    """plotly's toolbar appears on hover (a tap on a phone) over a chart's top right corner: on flat charts it
    covered titles or legends (10 of the 16 charts of the chart pages at 390 px) and offered nothing they need. A
    chart with a 3D scene keeps it for its camera buttons. No chart shows plotly's logo."""
    open_with_charts(app, info, tmp_path, monkeypatch)
    charts = app.get("plotly_chart")
    assert charts
    for c in charts:
        config = json.loads(c.proto.config or "{}")
        three_d = any(t.get("type") in ("surface", "scatter3d") for t in json.loads(c.proto.spec).get("data", []))
        assert config.get("displaylogo") is False, (info.file, c.proto.id)
        assert config.get("displayModeBar", True) is three_d, (info.file, c.proto.id, config)


def test_a_page_keeps_no_run_data_in_its_globals():
    """A page's body is one function, main(): a run's figures and data are its locals, gone when it returns.

    Streamlit keeps some finished runs' namespaces alive (docs/LOAD.md, finding 5), so at module level a page
    holds only imports, functions, classes and UPPER_CASE constants, and ends by calling main().
    """
    import ast

    for info in PAGES:
        tree = ast.parse((REPO_ROOT / info.file).read_text())
        body = tree.body[1:] if isinstance(tree.body[0], ast.Expr) else tree.body  # the docstring
        *defs, last = body
        assert ast.unparse(last) == "main()", f"{info.file} does not end by calling main()"
        for node in defs:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
                assert all(n.isupper() for n in names), f"{info.file}: module-level data {names}"
            else:
                assert isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)), \
                    f"{info.file}, line {node.lineno}: code outside main()"


def test_only_ui_settings_touches_the_query_parameters():
    """One settings mechanism: pages and ui modules read and write the URL through ui/settings.py only
    (st.page_link's query_params= argument builds a link; it does not touch the URL)."""
    import re

    files = [REPO_ROOT / "app.py", *sorted((REPO_ROOT / "pages").glob("*.py")),
             *sorted((REPO_ROOT / "ui").glob("*.py"))]
    for path in files:
        if path.name == "settings.py":
            continue
        uses = re.findall(r"st\.query_params|\bbind=", path.read_text())
        assert not uses, f"{path.relative_to(REPO_ROOT)} touches the URL itself: {uses}"



@pytest.mark.parametrize("info", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_no_page_shows_lambda_max_untypeset(app, info, tmp_path, monkeypatch):
    """"λ_max" read with its underscore, and Home's path broke "2/" from "λ_max" across lines: every text element
    and widget label typesets it (core.markup.notation)."""
    open_with_charts(app, info, tmp_path, monkeypatch)
    shown = [str(el.value) for kind in ("markdown", "caption", "info", "warning", "success", "error")
             for el in app.get(kind)]
    shown += [str(getattr(w.proto, "label", "")) + " " + str(getattr(w.proto, "help", ""))
              for kind in ("slider", "select_slider", "radio", "selectbox", "number_input", "checkbox", "toggle")
              for w in app.get(kind)]
    assert [s for s in shown if "λ_max" in s or "λ\\_max" in s] == []
