"""What a cached rerun of the Cost basin costs the server itself: the time Streamlit spends running the page's
script (ScriptRunner._run_script, timed inside the real server), apart from the protocol's round trip.

Run:  .venv/bin/python benchmarks/load/script_time.py [--repeats 8]

Starts the app as serve.py does, with the script runner timed, and drives one protocol session: learning-rate
changes (a cached rerun: the experiment is cached without the rate), without and with the optimiser race shown,
and Home's rerun as the floor. Prints medians and ranges of the server's script time and of the round trip.
"""

import argparse
import asyncio
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


def timed_server(log_path: str, argv: list[str]) -> None:
    """serve.py's main, with every script run's duration appended to log_path (one JSON line each)."""
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
    serve.main(argv)


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=8)
    ap.add_argument("--serve", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve is not None:                                     # the child: the timed server
        timed_server(os.environ["BASIN_SCRIPT_TIME_LOG"], args.serve)
        return
    log = Path(tempfile.mkdtemp(prefix="basin-script-time-")) / "runs.jsonl"
    port = serve.free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, __file__, "--serve", *serve.command(port)[2:]]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "BASIN_SCRIPT_TIME_LOG": str(log)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        serve.wait_healthy(base, proc, timeout=90)
        load = os.getloadavg()[0]
        rows = asyncio.run(drive(base, log, args.repeats))
    finally:
        serve.stop(proc)
    print(f"load average before: {load:.2f}; {args.repeats} reruns each; ms, median (range)")
    print("| rerun | the server running the script | round trip |\n|---|---|---|")
    for name, v in rows.items():
        script, wall = [x for x, _ in v], [w for _, w in v]
        print(f"| {name} | {statistics.median(script):.0f} ({min(script):.0f}–{max(script):.0f}) | "
              f"{statistics.median(wall):.0f} ({min(wall):.0f}–{max(wall):.0f}) |")


if __name__ == "__main__":
    main()
