"""The menu's invariants (ui/registry.py): every page file exists and each link is its file's name."""

from pathlib import Path

from tests.conftest import REPO_ROOT
from ui.registry import PAGES


def test_every_page_file_exists():
    for info in PAGES:
        assert (REPO_ROOT / info.file).is_file(), info.file


def test_each_url_path_is_its_file_name():
    # Needed for a fresh server's first direct link (see ui.common.ensure_router).
    for info in PAGES[1:]:
        assert info.url_path == Path(info.file).stem
    assert PAGES[0].url_path == ""
    assert len({p.url_path for p in PAGES}) == len(PAGES)
