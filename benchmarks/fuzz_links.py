"""Hostile links against every page: each link key of each page set to hostile values, run headless (AppTest).

    .venv/bin/python benchmarks/fuzz_links.py --links 2000 --seed 1     # about 0.5 s a link on 2 cores

A link fails if the page raises (an exception box), loses its title, or shows a note about the link that
could render as markup (core.markup.is_plain_text). The script prints and saves (benchmarks/results/) the
number of links run and of each kind of failure. tests/apptest/test_fuzz_links.py runs a small sample of
the same links in CI.

Which keys: every field of each page's settings class (core.params.QueryState, in core or in the page
file), the Classify page's bound widgets (the same names), and the classroom flags every page reads.
Which values: unicode digits, markdown, HTML, NaN and infinities, huge numbers, 400 kB strings, lists of
values, control characters, and random text.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.markup import is_plain_text  # noqa: E402
from ui.registry import PAGES  # noqa: E402

APP = ROOT / "app.py"
CLASSROOM_KEYS = ("teacher", "big", "hide")
NOTE_PREFIXES = ("Link setting ignored: ", "Classroom link: ")
BIG = 400_000  # characters: a 400 kB value

HOSTILE = (
    # digits that str.isdigit() accepts and int() refuses, and other scripts' digits
    "²", "③", "①", "³", "٣", "５", "𝟗", "3, ²", "²,³",
    # markdown, HTML and Streamlit's extensions
    "[Log in here](https://evil.example)", "![x](https://evil.example/x.png)", "yes\n===", "# Heading",
    "**bold**", "$\\frac{1}{0}$", ":red[alarm]", ":material/home:", "www.evil.example", "<b>bold</b>",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;b&gt;", "`code`", "| a | b |",
    # NaN, infinities, huge and tiny numbers
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e-400", "9" * 400, "-" + "9" * 400,
    "1e300", "0x10", "1_000", " 5 ", "5.", ".5", "+3", "-0", "1/2",
    # empty, blank, control characters
    "", " ", "\x00", "\t", "\u202e", "\u2028", "\r\n",
    # 400 kB
    "A" * BIG, "9" * BIG, "[" * BIG, "<" * BIG,
)


def page_keys() -> dict[str, tuple[str, ...]]:
    """{page file: the link keys it reads}, found in the code: a new setting is fuzzed with no change here."""
    from core.lessons import activation_facts, basin, classify, losses, vectorisation
    from core.maths import graph
    from core.params import QueryState

    classes = (basin.BasinParams, losses.LossesParams, classify.ClassifyParams, graph.GraphParams,
               vectorisation.VectorisationParams, activation_facts.ActivationsParams)
    in_core = {cls.__name__: cls for cls in classes}
    assert all(issubclass(c, QueryState) for c in in_core.values())
    out = {}
    for info in PAGES:
        source = (APP.parent / info.file).read_text()
        keys = []
        for node in ast.walk(ast.parse(source)):
            is_settings = isinstance(node, ast.ClassDef) and any(
                getattr(b, "id", "") == "QueryState" for b in node.bases)
            if is_settings:
                keys += [s.target.id for s in node.body if isinstance(s, ast.AnnAssign)]
        for name, cls in in_core.items():
            if name in source:
                keys += [f.name for f in dataclasses.fields(cls)]
        out[info.file] = tuple(dict.fromkeys(keys + list(CLASSROOM_KEYS)))
    return out


def hostile_value(rng: random.Random):
    """One hostile value: a string, or a list of strings (a repeated key in the link)."""
    kind = rng.random()
    if kind < 0.6:
        return rng.choice(HOSTILE)
    if kind < 0.8:
        def char():
            ascii_, other, control = rng.randrange(32, 127), rng.randrange(0x80, 0x3000), rng.randrange(0, 32)
            return chr(rng.choice([ascii_, other, control]))
        return "".join(char() for _ in range(rng.randrange(0, 40)))
    return [rng.choice(HOSTILE) for _ in range(rng.randrange(0, 5))]


def random_link(rng: random.Random, keys: tuple[str, ...]) -> dict:
    """Some of the page's keys (at least one), each with a hostile value."""
    chosen = [k for k in keys if rng.random() < 0.5] or [rng.choice(keys)]
    return {k: hostile_value(rng) for k in chosen}


def notes_shown(at) -> list[str]:
    """The text after our prefixes in every caption, info box and markdown element: the link's notes."""
    out = []
    for kind in ("caption", "info", "markdown", "warning", "error"):
        for element in getattr(at, kind):
            value = element.value
            for prefix in NOTE_PREFIXES:
                if value.startswith(prefix):
                    out.append(value[len(prefix):])
    return out


def run_link(page: str, query: dict, timeout: float = 60) -> list[str]:
    """Open `page` with this query in a fresh session; return what went wrong (an empty list if nothing)."""
    from streamlit.testing.v1 import AppTest

    title = next(p.title for p in PAGES if p.file == page)
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.run()  # app.py once, as a browser's first visit does (see tests/apptest/test_lessons.py, open_page)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    problems = [f"exception: {e.message[:120]}" for e in at.exception]
    shown = [t.value for t in at.title]
    if title != "Home" and title not in shown:
        problems.append(f"title {title!r} missing")
    problems += [f"markup in a note: {n[:80]!r}" for n in notes_shown(at) if not is_plain_text(n)]
    return problems


def describe(query: dict) -> dict:
    """A short form of a query, for the report (400 kB values shortened)."""
    def short(v):
        if isinstance(v, list):
            return [short(x) for x in v]
        return v if len(v) <= 60 else f"{v[:20]}… ({len(v):,} characters)"
    return {k: short(v) for k, v in query.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "fuzz-links.json")
    args = parser.parse_args()
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    rng = random.Random(args.seed)
    keys = page_keys()
    pages = list(keys)
    failures, kinds, per_page, values = [], Counter(), Counter(), 0
    start = time.perf_counter()
    for i in range(args.links):
        page = pages[i % len(pages)]
        query = random_link(rng, keys[page])
        values += len(query)
        per_page[page] += 1
        try:
            problems = run_link(page, query)
        except Exception as err:  # noqa: BLE001 (a crash of the test harness is reported, not hidden)
            problems = [f"harness: {type(err).__name__}: {str(err)[:120]}"]
        for problem in problems:
            kinds[problem.split(":")[0]] += 1
        if problems:
            failures.append({"page": page, "query": describe(query), "problems": problems})
        if (i + 1) % 100 == 0:
            print(f"{i + 1} links, {len(failures)} failing, {time.perf_counter() - start:.0f} s", flush=True)
    elapsed = time.perf_counter() - start
    summary = {"links": args.links, "seed": args.seed, "values": values, "failing_links": len(failures),
               "by_kind": dict(kinds), "per_page": dict(per_page),
               "keys": {p: list(k) for p, k in keys.items()},
               "seconds": round(elapsed, 1), "failures": failures[:50]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    print(json.dumps({k: v for k, v in summary.items() if k not in ("failures", "keys")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
