"""ruff (configured in pyproject.toml, pinned in requirements-dev.txt) runs with every test run: a lint finding fails
the suite like any other test."""

import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_ruff_finds_nothing():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
