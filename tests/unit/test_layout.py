"""The tree keeps its shape: thin pages (wiring only, at most 130 lines each, their body a function main()), and
core grouped by what things are."""

import ast

import pytest

from tests.conftest import REPO_ROOT

PAGES = sorted((REPO_ROOT / "pages").glob("*.py"))
MAX_PAGE_LINES = 130


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_are_thin_and_run_main(page):
    source = page.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_PAGE_LINES, f"{page.name}: move logic to ui/ or core/"
    tree = ast.parse(source)
    assert any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body)
    last = tree.body[-1]          # the page's only top-level statement that runs: main()
    assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call) and last.value.func.id == "main"


def test_core_is_grouped_by_kind():
    top = {p.name for p in (REPO_ROOT / "core").iterdir() if not p.name.startswith("__")}
    assert {"maths", "data", "lessons", "figures"} <= top
    assert {p for p in top if p.endswith(".py")} == {"errors.py", "markup.py", "params.py"}
