"""An upload flood through nginx: 60 × 10 MB from one client, none attached to a widget; what replicas keep.

    .venv/bin/python benchmarks/upload_flood.py                  # this tree's recipe
    .venv/bin/python benchmarks/upload_flood.py --before 0149b0c # and an earlier commit's, in the same run

Starts the recipe (deploy/run_replicas.py of the tree under test: 2 replicas behind its nginx template),
then benchmarks/load/flood.py's client asks for 60 upload URLs in one session and sends 10 MB to each, 8 at
a time. Reported: how many uploads nginx refused (HTTP 429) and let through, and the replicas' memory:
RSS growth after the flood (what stays, since Streamlit keeps uploaded files until the session ends) and
peak RSS growth (VmHWM, reset through /proc/<pid>/clear_refs just before; needs root). Budget: refused past
the limit, growth ≤ 200 MB. The hardening review saw 180 MB grow to 2.78 GB with 200 such uploads.

Needs nginx. Writes benchmarks/results/upload-flood.json.
"""

import argparse
import asyncio
import importlib.util
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def child(tree: Path, count: int, size: int) -> dict:
    """Run in a process of its own: the tree's deploy/run_replicas.py, this tree's flood client."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.load.flood import upload_flood

    spec = importlib.util.spec_from_file_location("tree_run_replicas", tree / "deploy" / "run_replicas.py")
    run_replicas = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_replicas)
    cluster = run_replicas.start(replicas=2)
    try:
        replicas = [p.pid for p in cluster.processes[:-1]]  # the last process is nginx
        time.sleep(2)
        before = [rss_kb(pid) for pid in replicas]
        for pid in replicas:
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS
        t = time.perf_counter()
        statuses = asyncio.run(upload_flood(cluster.url, count=count, size=size, parallel=8))
        seconds = time.perf_counter() - t
        time.sleep(2)
        after = [rss_kb(pid) for pid in replicas]
        peak = [rss_kb(pid, "VmHWM") for pid in replicas]
        return {"tree": "." if tree == ROOT else tree.name, "uploads": count, "bytes_each": size,
                "seconds": round(seconds, 1),
                "statuses": dict(Counter(statuses)),
                "accepted": sum(s in (200, 204) for s in statuses), "refused_429": statuses.count(429),
                "rss_before_mb": [round(b / 1024) for b in before],
                "growth_after_mb": round(sum(a - b for a, b in zip(after, before, strict=True)) / 1024),
                "peak_growth_mb": round(sum(p - b for p, b in zip(peak, before, strict=True)) / 1024)}
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="also measure this earlier commit's recipe, in the same run")
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--size", type=int, default=10_000_000,
                        help="bytes per upload (Streamlit's limit: 10 MB)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.count, args.size)))
        return
    sys.path.insert(0, str(ROOT))
    from benchmarks.upload_memory import tree_of

    trees = ([("before", tree_of(args.before))] if args.before else []) + [("after", ROOT)]
    results = {}
    for label, tree in trees:
        out = subprocess.run([sys.executable, __file__, "--child", str(tree), "--count", str(args.count),
                              "--size", str(args.size)], capture_output=True, text=True, timeout=900)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        results[label] = json.loads(out.stdout.strip().splitlines()[-1])
        print(label, json.dumps(results[label]), flush=True)
    (ROOT / "benchmarks" / "results" / "upload-flood.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
