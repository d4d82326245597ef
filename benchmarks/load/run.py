"""Load test: one Basin server, many students at once (issue 7, "Load on one server"). Not part of the tests.

Run from the repository root, with the dev requirements installed and Debian's chromium:
    .venv/bin/python benchmarks/load/run.py --browsers 10 --protocol 20 --minutes 3

Starts `streamlit run app.py` on a free loopback port, then, arriving over the first --arrive seconds,
--protocol websocket-level sessions (benchmarks/load/protocol.py: the Streamlit protocol, no rendering: they
measure the server) and --browsers real headless Chromium tabs (one browser, one context per student: they
check that real pages keep working beside the load). Every student runs the same laps (students.py) with a
think time between inputs, until --minutes have passed. Meanwhile the server's RSS (VmRSS), its CPU and the
machine's load average are sampled every second. After the sessions close, memory is read again after 30 s
and after server.disconnectedSessionTTL (120 s by default, when Streamlit may drop a closed session) + 10 s.

With --rounds N (a memory soak), the same server serves N such classes one after another, each after the last
one's sessions closed; each round writes its own result file (-r1, -r2 ...), whose "start" memory is what the
rounds before left behind.

Writes benchmarks/results/load-<date>.json and prints a summary (benchmarks/results/load-summary.md is written
by hand from it, with the context of the run). Budget (DESIGN.md): p95 ≤ 1 s, 0 errors, bounded memory.
"""

import argparse
import asyncio
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import serve  # noqa: E402
from benchmarks.load import students  # noqa: E402
from serve import free_port, healthy  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run"]
PHOTO = ROOT / "tests" / "fixtures" / "face.jpg"
TTL = 120  # server.disconnectedSessionTTL, Streamlit's default (we do not change it)


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sampler:
    """Every second: server RSS (MB), server CPU (% of one core), 1-minute load average, active sessions."""

    def __init__(self, pid, rec):
        self.pid, self.rec, self.rows = pid, rec, []

    async def run(self, stop: asyncio.Event):
        last_t, last_cpu = time.monotonic(), cpu_seconds(self.pid)
        for _ in range(24 * 3600):  # bounded: a day of seconds at most
            if stop.is_set():
                return
            await asyncio.sleep(1.0)
            now, cpu = time.monotonic(), cpu_seconds(self.pid)
            self.rows.append({"t": round(now - self.rec.t0, 1), "rss_mb": round(rss_mb(self.pid), 1),
                              "cpu_pct": round(100 * (cpu - last_cpu) / (now - last_t), 1),
                              "load1": os.getloadavg()[0], "active": sum(self.rec.active.values())})
            last_t, last_cpu = now, cpu


def pct(values, q):
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summarise(samples):
    """{client: {kind: {n, p50, p95, max}}, with an "all" kind per client (seconds)."""
    out = {}
    for client in sorted({s[0] for s in samples}):
        rows = [s for s in samples if s[0] == client]
        kinds = sorted({s[1] for s in rows}) + ["all"]
        out[client] = {}
        for kind in kinds:
            v = [s[2] for s in rows if kind == "all" or s[1] == kind]
            out[client][kind] = {"n": len(v), "p50": round(pct(v, 0.5), 3), "p95": round(pct(v, 0.95), 3),
                                 "max": round(max(v), 3)}
    return out


async def drive(args, base, pid):
    rec = students.Recorder()
    sampler = Sampler(pid, rec)
    stop = asyncio.Event()
    sampling = asyncio.create_task(sampler.run(stop))
    await asyncio.sleep(3)  # a few idle samples: memory "at start"
    start_rows = list(sampler.rows)
    rec.t0 = time.monotonic()
    deadline = rec.t0 + args.minutes * 60
    photo = PHOTO.read_bytes()
    total = args.protocol + args.browsers
    delays = [args.arrive * i / max(total - 1, 1) for i in range(total)]
    # Browsers spread evenly among the protocol sessions in arrival order.
    b = args.browsers
    order = ["browser" if (i + 1) * b // total > i * b // total else "protocol" for i in range(total)]
    tasks, pw, browser = [], None, None
    think = (args.think_min, args.think_max)
    if args.browsers:
        from playwright.async_api import async_playwright
        pw = await async_playwright().start()
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
    nb = npr = 0
    for delay, kind in zip(delays, order, strict=False):
        if kind == "browser":
            tasks.append(students.browser_student(nb, browser, base, rec, deadline, think, str(PHOTO), delay))
            nb += 1
        else:
            tasks.append(students.protocol_student(npr, base, rec, deadline, think, photo, delay))
            npr += 1
    await asyncio.wait_for(asyncio.gather(*tasks), args.minutes * 60 + 300)
    closed_at = time.monotonic()
    if browser:
        await browser.close()
        await pw.stop()
    print(f"sessions closed after {closed_at - rec.t0:.0f} s; waiting for memory to settle …", flush=True)
    await asyncio.sleep(max(0.0, closed_at + 30 - time.monotonic()))
    after_30 = rss_mb(pid)
    after_ttl = None
    if args.wait_ttl:
        await asyncio.sleep(max(0.0, closed_at + TTL + 10 - time.monotonic()))
        after_ttl = rss_mb(pid)
    stop.set()
    await sampling
    return rec, sampler.rows, start_rows, closed_at - rec.t0, after_30, after_ttl


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--browsers", type=int, default=10)
    ap.add_argument("--protocol", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=3.0)
    ap.add_argument("--arrive", type=float, default=20.0, help="seconds over which the students arrive")
    ap.add_argument("--think-min", type=float, default=2.0)
    ap.add_argument("--think-max", type=float, default=6.0)
    ap.add_argument("--no-wait-ttl", dest="wait_ttl", action="store_false",
                    help="skip the memory reading after the disconnected-session TTL (saves 100 s)")
    ap.add_argument("--stock", action="store_true",
                    help="start the server as plain `streamlit run app.py` instead of serve.py (which imports the "
                         "libraries in its main thread first: the fix for the first-import race in docs/LOAD.md)")
    ap.add_argument("--server-option", action="append", default=[], metavar="SECTION.KEY=VALUE",
                    help="an extra `streamlit run` option, e.g. runner.postScriptGC=false (repeatable)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="classes served one after another by the same server (a memory soak), one file each")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--tag", default="", help="appended to the result file name")
    args = ap.parse_args()
    if not 2 <= args.minutes <= 5 and not os.environ.get("LOAD_ANY_LENGTH"):
        ap.error("--minutes must be between 2 and 5 (set LOAD_ANY_LENGTH=1 for a short trial)")
    if args.browsers + args.protocol > 30:
        ap.error("at most 30 sessions in total")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = ROOT / "test-artifacts" / "load-server.log"
    log_path.parent.mkdir(exist_ok=True)
    rounds, log_ends = [], []
    with open(log_path, "wb") as log:
        options = [f"--{o}" for o in args.server_option]
        command = serve.command(port, *options)
        if args.stock:
            command = [sys.executable, "-m", "streamlit", "run", "app.py", *serve.LOCAL_OPTIONS,
                       f"--server.port={port}", *options]
        proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(300):
                if healthy(base) or proc.poll() is not None:
                    break
                time.sleep(0.1)
            if not healthy(base):
                sys.exit(f"the server did not start; see {log_path}")
            for _ in range(args.rounds):
                load_before = os.getloadavg()
                rounds.append((load_before, *asyncio.run(drive(args, base, proc.pid))))
                log.flush()
                log_ends.append(log_path.stat().st_size)
        finally:
            serve.stop(proc)
    log_bytes = log_path.read_bytes()
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    for i, (one, begin, end) in enumerate(zip(rounds, [0, *log_ends], log_ends, strict=False)):
        result = round_result(args, *one, log_bytes[begin:end].decode(errors="replace"))
        suffix = f"-r{i + 1}" if args.rounds > 1 else ""
        if args.rounds > 1:
            result["round"] = {"n": i + 1, "of": args.rounds, "same_server": True}
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"load-{stamp}{'-' + args.tag if args.tag else ''}{suffix}.json"
        path.write_text(json.dumps(result, indent=1))
        print_summary(result, path)


def round_result(args, load_before, rec, rows, start_rows, duration, after_30, after_ttl, log_text):
    """One round's result (the JSON file's content); log_text is what the server logged during the round."""
    # Streamlit's log records start with a date. "Uncaught app execution" is an exception in a page, which the
    # student also saw (counted on the client side); any other record (a warning, an error outside a run) counts.
    records = [line for line in log_text.splitlines() if line[:4].isdigit() and line[4:5] == "-"]
    app_errors = sum("Uncaught app execution" in r for r in records)
    other_records = [r for r in records if "Uncaught app execution" not in r and "Uvicorn server started" not in r]

    during = [r for r in rows if 0 <= r["t"] <= duration]
    rss_start = statistics.median([r["rss_mb"] for r in start_rows]) if start_rows else rows[0]["rss_mb"]
    peak = max(rows, key=lambda r: r["rss_mb"])
    return {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "settings": {"browsers": args.browsers, "protocol": args.protocol, "minutes": args.minutes,
                     "arrive_s": args.arrive, "think_s": [args.think_min, args.think_max],
                     "chromium_args": LAUNCH_ARGS, "cpus": os.cpu_count(),
                     "launcher": "stock" if args.stock else "serve.py", "server_options": args.server_option,
                     "python": sys.version.split()[0]},
        "duration_s": round(duration, 1),
        "peak_sessions": rec.peak_active,
        "latency_s": summarise(rec.samples),
        "errors": {"count": len(rec.errors) + len(other_records), "client": rec.errors,
                   "server_log_app_exceptions": app_errors, "server_log_other": other_records,
                   "st_error_notices": rec.shown_errors},
        "memory_mb": {"start": rss_start, "peak": peak["rss_mb"], "peak_at_s": peak["t"],
                      "after_close_30s": round(after_30, 1),
                      "after_close_ttl_plus_10s": None if after_ttl is None else round(after_ttl, 1)},
        "server_cpu_pct": {"mean": round(statistics.mean(r["cpu_pct"] for r in during), 1) if during else None,
                           "max": max((r["cpu_pct"] for r in during), default=None)},
        "load_average_1min": {"before": round(load_before[0], 2),
                              "mean_during": round(statistics.mean(r["load1"] for r in during), 2) if during else None,
                              "max_during": max((r["load1"] for r in during), default=None)},
        "samples_per_second": rows,
        "switch_page_by_page_s": summarise([(c, f"to /{pg}", s, t) for c, k, s, t, pg in rec.samples
                                            if k == "switch_page"]),
        "latencies": [[c, k, round(s, 4), round(t, 1), pg] for c, k, s, t, pg in rec.samples],
    }


def print_summary(r, path):
    print(f"\n{r['settings']['protocol']} protocol + {r['settings']['browsers']} browser sessions, "
          f"{r['duration_s']:.0f} s, peak {r['peak_sessions']} at once")
    print(f"{'client':9s} {'kind':15s} {'n':>5s} {'p50 s':>7s} {'p95 s':>7s} {'max s':>7s}")
    for client, kinds in r["latency_s"].items():
        for kind, v in kinds.items():
            print(f"{client:9s} {kind:15s} {v['n']:5d} {v['p50']:7.3f} {v['p95']:7.3f} {v['max']:7.3f}")
    print("switch_page by target page (p50 / p95 s):")
    for client, kinds in r["switch_page_by_page_s"].items():
        print(f"  {client:9s} " + ", ".join(f"{k} {v['p50']:.2f}/{v['p95']:.2f}" for k, v in kinds.items()
                                            if k != "all"))
    e = r["errors"]
    print(f"errors: {e['count']} (seen by students {len(e['client'])}, other server log records "
          f"{len(e['server_log_other'])}; app exceptions in the server log {e['server_log_app_exceptions']}); "
          f"st.error notices {len(e['st_error_notices'])}")
    for err in e["client"][:10]:
        print("  ", err)
    m = r["memory_mb"]
    print(f"server RSS MB: start {m['start']:.0f}, peak {m['peak']:.0f} (at {m['peak_at_s']:.0f} s), "
          f"30 s after close {m['after_close_30s']:.0f}, after TTL+10 s {m['after_close_ttl_plus_10s']}")
    print(f"server CPU % of one core: mean {r['server_cpu_pct']['mean']}, max {r['server_cpu_pct']['max']}; "
          f"load average (1 min): before {r['load_average_1min']['before']}, "
          f"mean {r['load_average_1min']['mean_during']}, max {r['load_average_1min']['max_during']}")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
