"""Shared by every test folder (unit, apptest, e2e)."""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
APP = REPO_ROOT / "app.py"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root, as an absolute path (tests may run from any directory)."""
    return REPO_ROOT
