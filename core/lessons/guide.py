"""The teachers' guide inside the app: docs/CLASSROOM.md as a teacher reads it on the server, not in the repository.

The file stays the one source. Lines between `<!-- app:skip -->` and `<!-- /app:skip -->` are for people who run
or change Basin (source files, benchmarks) and are left out of the page; the markers themselves are HTML
comments, so the file reads the same on a code host. The examples' placeholder address
(`https://basin.example/...` in a code span) becomes a link to the same page on the server the teacher is using.
Pictures (a line that is one `![alt](file.png)`, or a table whose one row holds only pictures, its header the
captions) come out as picture blocks, which the page draws from the files beside the guide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "CLASSROOM.md"
SKIP, END_SKIP = "<!-- app:skip -->", "<!-- /app:skip -->"
PLACEHOLDER = "https://basin.example"
EXAMPLE = re.compile(r"`https://basin\.example/([^`\s]*)`")
# What a base address may hold before it is put into markdown: a scheme, a host (name, IPv4 or [IPv6]), a port
# and a path of plain segments. Anything else (an odd Host header) falls back to links relative to the page.
SAFE_BASE = re.compile(r"https?://(?:[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:/[A-Za-z0-9._\-]+)*")


IMAGE = re.compile(r"!\[([^\]]+)\]\(([\w.-]+\.png)\)")   # a picture beside the guide: a plain file name


@dataclass(frozen=True)
class Picture:
    path: Path      # beside the guide
    alt: str        # what it shows, for a screen reader
    caption: str    # shown under it ("" for none)


class GuideError(ValueError):
    """The guide's skip markers do not pair up (a mistake in docs/CLASSROOM.md, caught by the tests)."""


def in_app(text: str) -> str:
    """`text` without its skipped blocks (markers included), and without any blank lines they leave in a row."""
    out, skipping = [], False
    for number, line in enumerate(text.splitlines(), 1):
        marker = line.strip()
        if marker == SKIP:
            if skipping:
                raise GuideError(f"line {number}: {SKIP} inside a skipped block")
            skipping = True
        elif marker == END_SKIP:
            if not skipping:
                raise GuideError(f"line {number}: {END_SKIP} without {SKIP}")
            skipping = False
        elif not skipping:
            out.append(line)
    if skipping:
        raise GuideError(f"{SKIP} is never closed")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def app_base(app_url: str | None, base_path: str = "") -> str:
    """The address of the app's root as the browser reached it (scheme, host, port and the server's base path),
    without a trailing slash; "" (links relative to the page) when there is none or it is not plainly safe."""
    if not app_url:
        return ""
    try:
        parts = urlsplit(app_url)
    except ValueError:                     # e.g. a bracketed host that is not an IPv6 address
        return ""
    path = "/".join(p for p in base_path.strip("/").split("/") if p)
    base = f"{parts.scheme}://{parts.netloc}" + (f"/{path}" if path else "")
    return base if SAFE_BASE.fullmatch(base) else ""


def link_examples(text: str, base: str) -> str:
    """Each example address (`https://basin.example/page?query`) as a link to that page on `base` (the app's root,
    from app_base); with base "", a link relative to the guide's own page, which sits at the app's root too."""
    def link(match: re.Match) -> str:
        rest = match.group(1)
        url = f"{base}/{rest}" if base else (rest or ".")
        return f"[{url}]({url})"
    return EXAMPLE.sub(link, text).replace(f"`{PLACEHOLDER}`", f"`{base or 'this server'}`")


def teachers_guide(base: str = "", text: str | None = None) -> str:
    """The guide as the app shows it: the teacher's part of docs/CLASSROOM.md, its examples linked to `base`."""
    text = GUIDE.read_text(encoding="utf-8") if text is None else text
    return link_examples(in_app(text), base)


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def _pictures(lines: list[str]) -> list[Picture] | None:
    """The pictures of a one-row table of pictures (header = captions), or of a line that is one picture; else None."""
    if len(lines) == 1:
        m = IMAGE.fullmatch(lines[0].strip())
        return [Picture(GUIDE.parent / m.group(2), m.group(1), "")] if m else None
    if len(lines) == 3 and all(line.lstrip().startswith("|") for line in lines):
        captions, cells = _cells(lines[0]), _cells(lines[2])
        found = [IMAGE.fullmatch(c) for c in cells]
        if len(captions) == len(cells) and all(found):
            return [Picture(GUIDE.parent / m.group(2), m.group(1), c) for m, c in zip(found, captions, strict=True)]
    return None


def blocks(text: str) -> list[str | list[Picture]]:
    """The guide's text cut into markdown (str) and rows of pictures (list of Picture), in order."""
    out: list[str | list[Picture]] = []
    paragraph: list[str] = []
    chunk: list[str] = []

    def flush_chunk():
        if chunk and "\n".join(chunk).strip():
            out.append("\n".join(chunk).strip() + "\n")
        chunk.clear()

    for line in [*text.splitlines(), ""]:
        if line.strip():
            paragraph.append(line)
            continue
        pictures = _pictures(paragraph)       # a paragraph ends at a blank line
        if pictures:
            flush_chunk()
            out.append(pictures)
        else:
            chunk.extend(paragraph)
        chunk.append("")
        paragraph = []
    flush_chunk()
    return out


def teachers_guide_blocks(base: str = "", text: str | None = None) -> list[str | list[Picture]]:
    """teachers_guide(base, text), cut into markdown and rows of pictures for the page to draw in turn."""
    return blocks(teachers_guide(base, text))


NAMES_HEADING = "## Control names for `hide=`"
EVERY_PAGE = "*"                                  # control_names' key for a row that names no page
_PAGE_PATH = re.compile(r"\(`/([a-z]*)`\)")        # a page named in the table's first column: "(`/basin`)"
_NAME = re.compile(r"`([A-Za-z0-9_-]{1,64})`")      # a control's name in its second column (a widget key)


def control_names(text: str | None = None) -> dict[str, frozenset[str]]:
    """The guide's table of control names for hide=: each page's url_path -> the names its row gives, and under
    EVERY_PAGE the names of a row that names no page ("Every page with settings").

    >>> table = ["## Control names for `hide=`", "", "| Page | Names |", "|---|---|",
    ...          "| Activations (`/activations`) | `z`, `curves` (the chart) |", "| Every page | `path_next` |"]
    >>> {page: sorted(names) for page, names in control_names(chr(10).join(table)).items()}
    {'activations': ['curves', 'z'], '*': ['path_next']}
    """
    text = GUIDE.read_text(encoding="utf-8") if text is None else text
    _, found, rest = text.partition(NAMES_HEADING)
    out: dict[str, set[str]] = {}
    for line in rest.splitlines() if found else ():
        if line.startswith("## "):
            break
        cells = _cells(line) if line.lstrip().startswith("|") else []
        if len(cells) < 2 or not _NAME.search(cells[1]):
            continue
        for page in _PAGE_PATH.findall(cells[0]) or [EVERY_PAGE]:
            out.setdefault(page, set()).update(_NAME.findall(cells[1]))
    return {page: frozenset(names) for page, names in out.items()}
