"""What a cached rerun of the Cost basin costs the server itself: the time Streamlit spends running the page's
script (ScriptRunner._run_script, timed inside the real server), apart from the protocol's round trip.

Run:  .venv/bin/python benchmarks/load/script_time.py [--repeats 8] [--baseline REF [--rounds 3]]
      (--baseline: the same against a git ref in a temporary worktree, the two servers alternated in one run)

Starts the app as serve.py does, with the script runner timed, and drives one protocol session: learning-rate
changes (a cached rerun: the experiment is cached without the rate), without and with the optimiser race shown,
and Home's rerun as the floor. Prints medians and ranges of the server's script time and of the round trip.
"""

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import serve  # noqa: E402


def timed_server(log_path: str, argv: list[str], tree: Path) -> None:
    """tree's serve.py main, with every script run's duration appended to log_path (one JSON line each)."""
    import importlib.util

    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]      # tree's modules, not this one's
    spec = importlib.util.spec_from_file_location("serve", tree / "serve.py")
    tree_serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tree_serve)
    from streamlit.runtime.scriptrunner import script_runner

    run_script = script_runner.ScriptRunner._run_script

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return run_script(self, *args, **kwargs)
        finally:
            with open(log_path, "a") as log:
                log.write(json.dumps({"ms": (time.perf_counter() - start) * 1000}) + "\n")

    script_runner.ScriptRunner._run_script = timed
    tree_serve.main(argv)


async def drive(base: str, log: Path, repeats: int) -> dict:
    from benchmarks.load.protocol import ProtocolSession

    rows: dict[str, list[tuple[float, float]]] = {}

    async def step(name, coro):
        before = len(log.read_text().splitlines()) if log.exists() else 0
        t = time.perf_counter()
        await coro
        wall = (time.perf_counter() - t) * 1000
        await asyncio.sleep(0.05)                                   # the runner's log line follows its reply
        runs = [json.loads(line)["ms"] for line in log.read_text().splitlines()[before:]]
        rows.setdefault(name, []).append((sum(runs), wall))

    async with ProtocolSession(base) as s:
        await s.open("")
        for _ in range(repeats):
            await step("Home, rerun (the floor)", s.rerun())
        await s.switch_page("basin")
        options = list(s.widget("alpha").proto.options)
        for i in range(repeats + 2):
            await step("Cost basin, learning-rate change", s.set_value("alpha", options[i % len(options)]))
        await s.set_value("race_optimisers", True)
        for i in range(repeats + 2):
            await step("Cost basin with the optimiser race, learning-rate change",
                       s.set_value("alpha", options[(i + 1) % len(options)]))
    return {k: v[2:] if k.startswith("Cost") else v for k, v in rows.items()}   # the first two: caches filling


def measure(tree: Path, repeats: int) -> dict:
    """One timed server of tree's app, driven through the rows; {row: [(script ms, round trip ms), ...]}."""
    log = Path(tempfile.mkdtemp(prefix="basin-script-time-")) / "runs.jsonl"
    port = serve.free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, __file__, "--serve", *serve.command(port)[2:]]
    proc = subprocess.Popen(cmd, cwd=tree, env={**os.environ, "BASIN_SCRIPT_TIME_LOG": str(log),
                                                "BASIN_SCRIPT_TIME_TREE": str(tree)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        serve.wait_healthy(base, proc, timeout=90)
        return asyncio.run(drive(base, log, repeats))
    finally:
        serve.stop(proc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=8)
    ap.add_argument("--baseline", help="a git ref: measured side by side, servers alternated")
    ap.add_argument("--rounds", type=int, default=3, help="with --baseline: alternations (each --repeats reruns)")
    ap.add_argument("--serve", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve is not None:                                     # the child: the timed server
        timed_server(os.environ["BASIN_SCRIPT_TIME_LOG"], args.serve, Path(os.environ["BASIN_SCRIPT_TIME_TREE"]))
        return
    load = os.getloadavg()[0]
    with contextlib.ExitStack() as stack:
        trees = {"this tree": ROOT}
        if args.baseline:
            from benchmarks.seen import worktree
            trees[args.baseline] = stack.enter_context(worktree(args.baseline))
        rows: dict[str, dict[str, list]] = {name: {} for name in trees}
        for _ in range(args.rounds if args.baseline else 1):
            for name, tree in trees.items():
                for row, v in measure(tree, args.repeats).items():
                    rows[name].setdefault(row, []).extend(v)
    print(f"load average before: {load:.2f}; {len(next(iter(rows['this tree'].values())))} reruns each; "
          "ms, median (range)")
    med = {name: {row: statistics.median(x for x, _ in v) for row, v in r.items()} for name, r in rows.items()}
    head = " | ".join(f"{name}: script | round trip" for name in trees)
    print(f"| rerun | {head} |" + (" ratio (script) |" if args.baseline else "") + "\n|---|"
          + "---|---|" * len(trees) + ("---|" if args.baseline else ""))
    for row in rows["this tree"]:
        cells = []
        for name in trees:
            v = rows[name].get(row, [])
            script, wall = [x for x, _ in v], [w for _, w in v]
            cells.append(f"{statistics.median(script):.0f} ({min(script):.0f}–{max(script):.0f}) | "
                         f"{statistics.median(wall):.0f} ({min(wall):.0f}–{max(wall):.0f})" if v else "– | –")
        ratio = (f" {med['this tree'][row] / med[args.baseline][row]:.2f} |"
                 if args.baseline and row in med[args.baseline] else "")
        print(f"| {row} | " + " | ".join(cells) + " |" + ratio)


if __name__ == "__main__":
    main()
