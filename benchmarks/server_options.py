"""First loads under two sets of server options, side by side: does a Streamlit setting change what a student
waits for?

Run:  .venv/bin/python benchmarks/server_options.py --b server.fileWatcherType=auto --runs 8
      .venv/bin/python benchmarks/server_options.py --a runner.postScriptGC=true --pages losses --runs 6

Two servers are started from this tree by serve.py, as scripts/app.sh and the Dockerfile start it (so both read
.streamlit/config.toml); each `--a` / `--b` option is added to its command line as `--K=V` and overrides the file.
Each run opens every page once per server in a fresh browser context (nothing cached), the servers taken in turn
(A B, then B A, ...), and times navigation → every chart drawn (`seen.time_load`). The first visit of each server
is not timed (Streamlit's cold start). Prints a Markdown table: median (range) per page and server, and B ÷ A.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import seen  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

import serve  # noqa: E402


def server(options: list[str]):
    """A server of this tree with `options` (K=V) added (seen.server: started, health-checked, stopped); its URL."""
    return seen.server(ROOT, command=lambda port: serve.command(port, *(f"--{o}" for o in options)))


def measure(a: list[str], b: list[str], pages: list[str], runs: int) -> dict:
    """{(label, page): seen.Series of 'every chart drawn' in ms}, the two servers alternated."""
    out = {(label, p): seen.Series() for label in "AB" for p in pages}
    with server(a) as url_a, server(b) as url_b, sync_playwright() as pw:
        urls = {"A": url_a, "B": url_b}
        browser = pw.chromium.launch(executable_path=seen.CHROMIUM, args=seen.ARGS)
        try:
            for url in urls.values():
                seen.warm_up(browser, url, pages)
            for run in range(runs):
                order = "AB" if run % 2 == 0 else "BA"
                for page in pages:
                    for label in order:
                        out[(label, page)].add(seen.time_load(browser, urls[label], page)["drawn"])
        finally:
            browser.close()
    return out


def report(results: dict, a: list[str], b: list[str], pages: list[str], runs: int) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    name = lambda opts: " ".join(f"`{o}`" for o in opts) or "as shipped"  # noqa: E731
    lines = [f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {runs} first loads per page and server, "
             f"alternated; load average at the end {load}. A: {name(a)}; B: {name(b)}.", "",
             "| page | every chart drawn, A (ms) | B (ms) | B ÷ A |", "|---|---|---|---|"]
    for p in pages:
        sa, sb = results[("A", p)], results[("B", p)]
        lines.append(f"| /{p} | {sa.text()} | {sb.text()} | {sb.median() / sa.median():.2f} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a", action="append", default=[], help="an option K=V for server A (repeatable)")
    ap.add_argument("--b", action="append", default=[], help="an option K=V for server B (repeatable)")
    ap.add_argument("--pages", default="losses,basin")
    ap.add_argument("--runs", type=int, default=6)
    args = ap.parse_args(argv)
    pages = args.pages.split(",")
    print(report(measure(args.a, args.b, pages, args.runs), args.a, args.b, pages, args.runs))


if __name__ == "__main__":
    main()
