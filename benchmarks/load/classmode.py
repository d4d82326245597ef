"""Class mode under load: one class of N students answering at once, measured through the real pages. Not a test.

    .venv/bin/python benchmarks/load/classmode.py --students 60                 # one server, SQLite
    .venv/bin/python benchmarks/load/classmode.py --students 60 --replicas 2    # nginx + 2 replicas + Redis

Every participant is a protocol-level session (benchmarks/load/protocol.py: Streamlit's websocket protocol, no
rendering), so the figures are the server's, not a browser's:

1. The teacher opens /classmode?teacher=1 and clicks "Start a class"; the code and token come back in the URL.
2. The projector (the teacher's session) stays open: its tally fragment reruns every second on the server.
3. N students arrive over --arrive s: each opens the join link and clicks "Join the class". Their pages then
   watch the class (a fragment every 2 s).
4. Idle cost: the servers' CPU over --idle s with everybody connected and nothing happening, against the same
   window with the projector alone (before the students came). Per student = difference / N.
5. The teacher clicks "Ask the class"; each student's page reruns by itself and shows the question (question ->
   student latency), then each student picks an answer at a random moment within --window s (5 s).
6. Answer -> projector: for the k-th answer stored (in the order the servers finished the students' runs), the
   time from that student's click to the first projector update whose count reached k.
7. The teacher reveals; reveal -> student latency is when each student's page shows the class's answers.
8. Checks: the projector's last count, and the store's own tally, are exactly N, with the choices sent.

Writes benchmarks/results/classmode-load-<date>-<mode>.json and prints a summary.
"""

import argparse
import asyncio
import datetime
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import serve  # noqa: E402
from benchmarks.load.protocol import ProtocolError, ProtocolSession  # noqa: E402
from benchmarks.load.run import cpu_seconds  # noqa: E402

COUNT = re.compile(r"Question (\d+): \*\*(\d+)\*\* of (\d+) answered")
JOINED = re.compile(r"(\d+) students? joined")
PAGE = "classmode"


def texts_of(msg) -> list[str]:
    """The markdown texts of one ForwardMsg (a delta's new element), if any."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return []
    el = msg.delta.new_element
    what = el.WhichOneof("type")
    if what == "markdown":
        return [el.markdown.body]
    if what == "alert":
        return [el.alert.body]
    return []


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def summary(values) -> dict:
    return {"n": len(values), "p50": round(pct(values, 50), 3), "p95": round(pct(values, 95), 3),
            "max": round(max(values), 3) if values else None}


class Servers:
    """One server (SQLite in a temp folder), or nginx + replicas sharing a redis-server."""

    def __init__(self, replicas: int):
        self.replicas = replicas
        self.folder = Path(tempfile.mkdtemp(prefix="basin-classload-"))
        self.redis = self.cluster = self.proc = self.log = None

    def __enter__(self):
        env = {"BASIN_DATA_DIR": str(self.folder)}
        if self.replicas:
            from deploy.local_redis import find_redis_server, start_redis
            self.redis, env["BASIN_REDIS_URL"] = start_redis(find_redis_server(), self.folder)
            os.environ.update(env)
            from deploy.run_replicas import start
            self.cluster = start(self.replicas)
            self.url, self.pids = self.cluster.url, [p.pid for p in self.cluster.processes[:-1]]
        else:
            port = serve.free_port()
            self.url = f"http://127.0.0.1:{port}"
            self.log = open(self.folder / "server.log", "wb")  # noqa: SIM115
            self.proc = subprocess.Popen(serve.command(port), cwd=ROOT, env={**os.environ, **env},
                                         stdout=self.log, stderr=subprocess.STDOUT)
            serve.wait_healthy(self.url, self.proc, timeout=60)
            self.pids = [self.proc.pid]
        self.env = env
        return self

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def store(self):
        from classmode.config import open_store
        return open_store(self.env)

    def __exit__(self, *exc):
        if self.cluster:
            self.cluster.stop()
        if self.proc:
            serve.stop(self.proc)
            self.log.close()
        if self.redis:
            serve.stop(self.redis)


async def idle_cpu(servers: Servers, seconds: float) -> float:
    """The servers' CPU (% of one core) over `seconds` of wall time."""
    c0, t0 = servers.cpu(), time.monotonic()
    await asyncio.sleep(seconds)
    return 100 * (servers.cpu() - c0) / (time.monotonic() - t0)


async def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise ProtocolError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def main_async(args) -> dict:
    random.seed(args.seed)
    result = {"students": args.students, "replicas": args.replicas, "window_s": args.window,
              "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), "errors": []}
    with Servers(args.replicas) as servers:
        # The projector, and its updates: (time, question_no, answered, students).
        projector = ProtocolSession(servers.url)
        updates: list[tuple[float, int, int, int]] = []
        joined = [0]

        def on_projector(msg):
            for text in texts_of(msg):
                m = COUNT.search(text)
                if m:
                    updates.append((time.monotonic(), *map(int, m.groups())))
                m = JOINED.search(text)
                if m:
                    joined[0] = int(m.group(1))
        projector.listeners.append(on_projector)
        async with projector:
            await projector.open(PAGE, "teacher=1")
            await projector.click("cm_start")
            query = dict(p.split("=", 1) for p in projector.query_string.split("&") if "=" in p)
            code, token = query["class"], query["key"]
            result["cpu_empty_pct"] = round(await idle_cpu(servers, args.idle), 1)   # projector alone, no class
            students = [ProtocolSession(servers.url) for _ in range(args.students)]
            seen_question: dict[int, float] = {}
            seen_reveal: dict[int, float] = {}
            seen_answer: dict[int, float] = {}

            def watcher(i):
                def on_msg(msg):
                    for text in texts_of(msg):
                        if "With this learning rate" in text and i not in seen_question:
                            seen_question[i] = time.monotonic()
                        if "Your answer is in" in text and i not in seen_answer:
                            seen_answer[i] = time.monotonic()
                        if "How the class answered" in text and i not in seen_reveal:
                            seen_reveal[i] = time.monotonic()
                return on_msg

            async def arrive(i, s):
                await asyncio.sleep(random.uniform(0, args.arrive))
                s.listeners.append(watcher(i))
                await s.__aenter__()
                await s.open(PAGE, f"class={code}")
                await s.click("cm_join")
                if "student=" not in s.query_string:
                    raise ProtocolError("joined, but no student id in the link")
            t = time.monotonic()
            await asyncio.gather(*(arrive(i, s) for i, s in enumerate(students)))
            result["join_all_s"] = round(time.monotonic() - t, 2)
            await wait_for(lambda: joined[0] == args.students, 10, "the projector's student count")
            await asyncio.sleep(2)
            result["cpu_idle_pct"] = round(await idle_cpu(servers, args.idle), 1)
            result["cpu_per_idle_student_pct"] = round(
                (result["cpu_idle_pct"] - result["cpu_empty_pct"]) / args.students, 3)

            # Ask: the question reaches every student's page by itself.
            t_ask = time.monotonic()
            await projector.click("cm_ask")
            await wait_for(lambda: len(seen_question) == args.students, 30, "every student to see the question")
            result["question_to_student_s"] = summary([seen_question[i] - t_ask for i in seen_question])
            key = f"cm_answer_{code}_1"
            await wait_for(lambda: any(key in s.last.widgets for s in students), 10, "a radio")
            # A widget's id depends on its key and options only, the same in every session: a student whose page
            # got the radio as a reference to a message cached earlier (not parsed here) uses another's.
            radio = next(s.last.widgets[key] for s in students if key in s.last.widgets)
            result["radio_learnt_from_another"] = sum(key not in s.last.widgets for s in students)
            for s in students:
                s.last.widgets.setdefault(key, radio)

            sent, done, picks = {}, {}, {}

            async def answer(i, s):
                await asyncio.sleep(random.uniform(0, args.window))
                options = list(s.widget(key).proto.options)
                pick = random.randrange(len(options))
                sent[i] = time.monotonic()
                picks[i] = pick
                run = asyncio.create_task(s.set_value(key, options[pick]))
                # Done when the student's page says "Your answer is in" (the server stored it, then drew the box):
                # a timed run of the page's watch fragment may end meanwhile, so script_finished alone is not it.
                await wait_for(lambda: i in seen_answer, 60, "the answer's confirmation")
                done[i] = seen_answer[i]
                try:
                    await asyncio.wait_for(run, 10)
                except (ProtocolError, TimeoutError) as err:
                    result["errors"].append(f"answer run: {err!r}")
            t_answers = time.monotonic()
            answers = await asyncio.gather(*(answer(i, s) for i, s in enumerate(students)), return_exceptions=True)
            result["errors"] += [f"answer: {a!r}" for a in answers if isinstance(a, BaseException)]
            result["answers_sent_within_s"] = round(max(sent.values()) - t_answers, 2)
            result["answer_run_s"] = summary([done[i] - sent[i] for i in done])
            try:
                await wait_for(lambda: updates and updates[-1][1] == 1 and updates[-1][2] >= len(done), 15,
                               "the projector to count every answer")
            except ProtocolError as err:
                result["errors"].append(f"projector: {err} (last update {updates[-1] if updates else None})")
            ranked = sorted(done, key=done.get)
            latency = []
            for k, i in enumerate(ranked, start=1):
                shown = next((u[0] for u in updates if u[0] >= sent[i] and u[1] == 1 and u[2] >= k), None)
                latency.append(shown - sent[i] if shown else float("inf"))
            result["answer_to_projector_s"] = summary(latency)
            result["projector_last_count"] = updates[-1][2]
            tally = servers.store().counts(code, token)
            result["store_answered"] = tally.answered
            sent_counts = [0] * len(tally.counts)
            for p in picks.values():
                sent_counts[p] += 1
            result["counts_match"] = list(tally.counts.values()) == sent_counts
            result["counted_once"] = tally.answered == len(done) == args.students

            t_rev = time.monotonic()
            await projector.click("cm_reveal")
            try:
                await wait_for(lambda: len(seen_reveal) == args.students, 30, "every student to see the reveal")
            except ProtocolError as err:
                result["errors"].append(f"reveal: {err}: {len(seen_reveal)} of {args.students} saw it")
            result["reveal_to_student_s"] = summary([seen_reveal[i] - t_rev for i in seen_reveal])
            result["errors"] += [f"background: {e}" for s in [projector, *students] for e in s.background_exceptions]
            await projector.click("cm_close")
            for s in students:
                await s.__aexit__(None, None, None)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--replicas", type=int, default=0, help="0: one server with SQLite; N: nginx + N + Redis")
    parser.add_argument("--arrive", type=float, default=10.0, help="students join over this many seconds")
    parser.add_argument("--window", type=float, default=5.0, help="students answer within this many seconds")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of idle CPU measurement")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    result["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
    mode = f"{args.replicas}replicas-redis" if args.replicas else "one-server-sqlite"
    out = ROOT / "benchmarks" / "results" / f"classmode-load-{datetime.date.today()}-{mode}.json"
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    print("written", out.relative_to(ROOT), "| load average now", os.getloadavg())


if __name__ == "__main__":
    main()
