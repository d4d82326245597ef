"""The teachers' guide in the app (core.lessons.guide): the teacher's part of docs/CLASSROOM.md, its examples linked."""

import re

import pytest

from core.lessons import guide
from ui.registry import PAGES

S, E = guide.SKIP, guide.END_SKIP
# A file of the repository named in the text: the app's guide is read on a server, not in a checkout.
REPO_FILE = re.compile(r"\b[\w./-]+\.(?:py|md|json|ya?ml|png|js|toml|txt)\b|\b(?:core|ui|pages|tests|benchmarks|docs|"
                       r"deploy|classmode)/")


def test_skipped_blocks_and_their_markers_are_left_out():
    text = f"# Title\n\nkept one\n{S}\ndropped\n\nalso dropped\n{E}\nkept two\n\n\n\n{S}\nx\n{E}\n\nend\n"
    assert guide.in_app(text) == "# Title\n\nkept one\nkept two\n\nend\n"


@pytest.mark.parametrize("text", [f"{S}\nnever closed\n", f"{E}\n", f"{S}\n{S}\n{E}\n"])
def test_markers_that_do_not_pair_up_are_an_error(text):
    with pytest.raises(guide.GuideError):
        guide.in_app(text)


@pytest.mark.parametrize(("url", "base_path", "expected"), [
    ("http://localhost:8501/basin?alpha=1", "", "http://localhost:8501"),
    ("https://lab.school.example/teachers", "/basin-lab/", "https://lab.school.example/basin-lab"),
    ("http://[::1]:8501/teachers", "", "http://[::1]:8501"),
    ("http://10.0.0.7:80/", "", "http://10.0.0.7:80"),
    (None, "", ""),
    ("", "", ""),
    ("http://evil.example)[x](javascript:alert(1)/teachers", "", ""),   # not a plain host: links stay relative
    ("http://a.example/<b>/", "x y", ""),
    ("javascript:alert(1)", "", ""),
])
def test_the_base_address_is_kept_only_when_it_is_plain(url, base_path, expected):
    assert guide.app_base(url, base_path) == expected


def test_examples_become_links_to_this_server_or_relative_ones():
    text = "Try `https://basin.example/basin?alpha=too-large&hide=alpha` or `https://basin.example/`; `x=1` stays."
    assert guide.link_examples(text, "http://h:1") == (
        "Try [http://h:1/basin?alpha=too-large&hide=alpha](http://h:1/basin?alpha=too-large&hide=alpha) or "
        "[http://h:1/](http://h:1/); `x=1` stays.")
    assert guide.link_examples(text, "") == (
        "Try [basin?alpha=too-large&hide=alpha](basin?alpha=too-large&hide=alpha) or [.](.); `x=1` stays.")


def test_the_real_guide_keeps_the_teachers_part_only():
    text = guide.teachers_guide("http://localhost:8501")
    for heading in ("## Teacher flags", "## Examples", "## Start here", "## Predict, then check",
                    "## Class mode", "## Control names for `hide=`", "## Accessibility"):
        assert heading in text
    assert "How it works" not in text and "What it costs" not in text
    assert "basin.example" not in text and "<!--" not in text
    assert "[http://localhost:8501/classmode?teacher=1](http://localhost:8501/classmode?teacher=1)" in text
    parts = guide.teachers_guide_blocks("http://localhost:8501")
    prose = "".join(p for p in parts if isinstance(p, str))
    assert not REPO_FILE.findall(prose), REPO_FILE.findall(prose)   # files are named only by picture blocks
    rows = [p for p in parts if not isinstance(p, str)]
    assert [len(r) for r in rows] == [1, 3]                            # the projector; a phone, a phone, the projector
    for picture in (p for r in rows for p in r):
        assert picture.path.is_file() and len(picture.alt) >= 15
    assert [p.caption for p in rows[1]] == ["A student's phone: the question", "After the reveal",
                                             "The projector after the reveal"]


def test_no_picture_of_the_guide_is_cut_through_at_its_top_or_bottom():
    """The projector's picture ended through its third bar label ("It flies off, or keeps bouncing without
    settling"), a phone's through a line of text: each must begin and end in the page's white space, so its few
    rows at either edge are all alike (within 8 of 255: the sidebar's border is drawn a little unevenly)."""
    import numpy as np
    from PIL import Image

    pictures = [p for part in guide.teachers_guide_blocks() if not isinstance(part, str) for p in part]
    assert len(pictures) == 4
    for picture in pictures:
        with Image.open(picture.path) as im:
            pixels = np.asarray(im.convert("RGB"), dtype=int)
        for edge, band in (("top", pixels[:6]), ("bottom", pixels[-6:])):
            outer = band[0] if edge == "top" else band[-1]
            assert np.abs(band - outer).max() <= 8, f"{picture.path.name}: something is cut at its {edge}"


def test_pictures_are_cut_out_of_the_text():
    text = ("Intro line.\n\n![The projector, big](a.png)\n\nMiddle.\n\n| one | two |\n|---|---|\n"
            "| ![first picture](b.png) | ![second picture](c.png) |\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "End ![x](d.png) inline.\n")
    parts = guide.blocks(text)
    assert parts[0] == "Intro line.\n"
    assert parts[1] == [guide.Picture(guide.GUIDE.parent / "a.png", "The projector, big", "")]
    assert parts[2] == "Middle.\n"
    assert parts[3] == [guide.Picture(guide.GUIDE.parent / "b.png", "first picture", "one"),
                        guide.Picture(guide.GUIDE.parent / "c.png", "second picture", "two")]
    assert parts[4] == "| a | b |\n|---|---|\n| 1 | 2 |\n\nEnd ![x](d.png) inline.\n"   # tables and inline stay
    assert len(parts) == 5


def test_a_picture_names_a_plain_file_beside_the_guide():
    for line in ("![x](../secret.png)", "![x](/etc/a.png)", "![x](http://evil.example/a.png)", "![x](a.svg)"):
        assert all(isinstance(p, str) for p in guide.blocks(line + "\n")), line


def example_links() -> list[str]:
    return re.findall(r"`https://basin\.example/([^`\s]+)`", guide.GUIDE.read_text(encoding="utf-8"))


def test_every_example_opens_a_page_of_the_app():
    pages = {p.url_path for p in PAGES}
    links = example_links()
    assert len(links) >= 7
    for link in links:
        assert link.split("?")[0] in pages, link


def _section(heading: str) -> str:
    text = guide.in_app(guide.GUIDE.read_text(encoding="utf-8"))
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def test_every_example_in_the_examples_section_is_a_link():
    """The For teachers page says "Every example below is a link to this server": a recipe ("add `&teacher=1`"),
    a fragment (`&neuron=linear`) or a bare flag (`hide=classroom_link`) in a code span is not one."""
    spans = re.findall(r"`([^`]+)`", _section("## Examples"))
    assert spans and all(s.startswith("https://basin.example/") for s in spans), \
        [s for s in spans if not s.startswith("https://basin.example/")]


# What each hidden name is called in an example's words.
HIDDEN_WORDS = {"alpha": "learning rate", "iters": "iterations", "z": "slider", "dataset": "data", "seed": "data",
                "cost": "cost", "preset": "start", "classroom_link": "link box"}


def test_each_example_names_every_control_it_hides():
    """"learning-rate control hidden" on a link with hide=alpha,iters left the Iterations slider unsaid."""
    for bullet in _section("## Examples").split("\n- ")[1:]:
        for hide in re.findall(r"[?&]hide=([\w,-]+)", bullet):
            for name in hide.split(","):
                assert HIDDEN_WORDS[name] in bullet.lower(), (name, bullet)


def test_the_projector_advice_covers_a_1280_pixel_screen():
    """At 1280 × 800 with teacher=1 and the sidebar open the Cost basin's chart is 705 px wide
    (tests/e2e/test_classroom.py measures it): the advice says what is drawn there, and to close the sidebar at
    1024 px, where the chart (564 px) takes the one-column layout."""
    advice = next(p for p in _section("## Teacher flags").split("\n\n") if "close the sidebar" in p)
    assert "1280" in advice and "1024" in advice
    assert "705" in advice and "shorter titles" in advice and "564" in advice
