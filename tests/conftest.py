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


def small_face_photo(scene_name: str, face_fraction: float, seed: int = 0):
    """The fixture headshot's face (tests/fixtures/face.jpg: top 40, left 20, side 64) with its head and
    shoulders, pasted at a seeded place into one of scikit-image's colour photos enlarged to 900 × 600, the face a
    `face_fraction` of the shorter side. Returns (Pillow RGB image, the face's (top, left, side) in it)."""
    import numpy as np
    import skimage.data
    from PIL import Image

    scene = Image.fromarray(getattr(skimage.data, scene_name)()).resize((900, 600))
    face = Image.open(REPO_ROOT / "tests" / "fixtures" / "face.jpg").convert("RGB")
    cut = face.crop((0, 8, 104, 136))
    k = face_fraction * 600 / 64
    cut = cut.resize((round(cut.width * k), round(cut.height * k)), Image.Resampling.LANCZOS)
    at = np.random.default_rng(seed).integers(0, [900 - cut.width, 600 - cut.height])
    scene.paste(cut, (int(at[0]), int(at[1])))
    return scene, (float(at[1] + (40 - 8) * k), float(at[0] + 20 * k), 64 * k)


# The browser tests that only look at pages (tests/e2e/survey.py and the checks reading it): they need nothing the
# other browser tests leave behind, so they may run on the other worker once it has run everything else.
LAYOUT_TESTS = ("tests/e2e/test_shell.py", "tests/e2e/test_chart_text.py", "tests/e2e/test_accessibility.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """How scripts/test.sh's two pytest-xdist workers share the suite. Each Chromium drawing WebGL in software keeps
    both cores busy for its page loads, but one alone leaves them about a third idle; so the browser tests are two
    units of work, each run in order on one worker with one server and one Chromium:
    - the browser tests that click, type and upload (tests/e2e, but for the layout checks) go first, to one worker:
      they take the longest, about 10 minutes alone;
    - the unit and AppTest files go to the other worker, one file at a time (a file's module fixtures are built
      once); they take about 6 minutes alone;
    - the layout checks (LAYOUT_TESTS, about 5 minutes alone) go last, to whichever worker is free first: the one
      that ran the unit and AppTest files, while the other still runs the rest of the browser tests.
    (xdist's own `--dist loadgroup` cannot do this under pytest 9: the group it appends to a test's id is lost.)"""
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if path in LAYOUT_TESTS:
                return "tests/e2e (layout)"
            return "tests/e2e" if path.startswith("tests/e2e/") else path

        def _assign_work_unit(self, node) -> None:
            # the queue is ordered by size (the layout checks are the most tests): the rest of the browser tests
            # first, the layout checks last
            if "tests/e2e" in self.workqueue:
                self.workqueue.move_to_end("tests/e2e", last=False)
            if "tests/e2e (layout)" in self.workqueue:
                self.workqueue.move_to_end("tests/e2e (layout)")
            super()._assign_work_unit(node)

    return BrowserTestsTogether(config, log)
