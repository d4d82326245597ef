"""Shared by every test folder (unit, apptest, e2e)."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
APP = REPO_ROOT / "app.py"
# The dev portraits live beside the repository, never in it: ../shared/photos (or one level higher).
SHARED_PHOTOS = next((p for p in (REPO_ROOT.parent / "shared" / "photos",
                                  REPO_ROOT.parent.parent / "shared" / "photos") if p.is_dir()),
                     REPO_ROOT.parent / "shared" / "photos")


def dev_photo(name: str) -> Path:
    """The path of a dev portrait (or of a fixture, tests/fixtures/face.jpg); skips the test when the dev photos
    are not beside the repository, and fails it under CI, which copies them there: a missing photo is a broken
    setup."""
    path = REPO_ROOT / "tests" / "fixtures" / name if name == "face.jpg" else SHARED_PHOTOS / name
    if not path.exists():
        message = f"{path} is not here (the dev photos live beside the repository, not in it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root, as an absolute path (tests may run from any directory)."""
    return REPO_ROOT
