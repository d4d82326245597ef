"""Class mode's store with a whole class: 60 students answer within 5 s while the projector polls the tally.

Run:  .venv/bin/python benchmarks/classmode_store.py [--students 60] [--runs 3]
          [--out benchmarks/results/classmode-store.md]
Needs redis-server for the Redis half (Debian: apt-get install redis-server) and redis-py
(requirements-deploy.txt). Not part of the tests. Store calls only: no Streamlit, no browser, no network
but the loopback to Redis.

For each backend (SQLite in a temp folder; a throwaway redis-server) and each of N runs, two scenarios:
  spread  60 students join, then each answers at a random moment within 5 s, and one in three changes
          their mind once 0-1 s later; every student also polls the class (state() and answer_of(), as a
          student's page would) every 2 s; the projector polls counts() every 1 s.
  burst   the same 60 students answer a new question at the same instant (a barrier): the worst case.
It reports, over all runs, p50 / p95 / max of the time of one answer(), one counts() (the projector's poll)
and one student poll, and "answer -> projector": from the moment a student sends an answer to the end of
the first projector poll that counts it (the store's share of the 2 s budget; the page's refresh comes on
top). It checks that every student is counted exactly once, for their last answer.
"""

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from classmode.model import Question  # noqa: E402
from classmode.sqlite_store import SQLiteStore  # noqa: E402
from deploy.local_redis import find_redis_server, start_redis  # noqa: E402
from serve import stop  # noqa: E402

CHOICES = ("roll", "zigzag", "fly off")
WINDOW_S = 5.0
POLL_S = 1.0
STUDENT_POLL_S = 2.0
CALLS = ("answer", "counts", "student poll", "answer -> projector")
LABELS = {"answer": "answer()", "counts": "counts(), the projector's poll",
          "student poll": "state() or answer_of(), a student's page", "answer -> projector": "answer -> projector"}


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def timed(samples: list[float], call, *args):
    t0 = time.perf_counter()
    result = call(*args)
    samples.append(time.perf_counter() - t0)
    return result


class Projector(threading.Thread):
    """Polls counts() every POLL_S like the projector's live chart; keeps (start, end, answered, counts)."""

    def __init__(self, store, code, token, samples):
        super().__init__(daemon=True)
        self.store, self.code, self.token, self.samples = store, code, token, samples
        self.polls, self.stopping = [], threading.Event()

    def run(self):
        while not self.stopping.is_set():
            start = time.perf_counter()
            tally = timed(self.samples, self.store.counts, self.code, self.token)
            self.polls.append((start, time.perf_counter(), tally))
            self.stopping.wait(max(0.0, POLL_S - (time.perf_counter() - start)))


def seen_by_projector(sent_at: float, done_at: float, polls) -> float | None:
    """Seconds from sending an answer to the end of the first poll that started after it was stored."""
    for start, end, _ in polls:
        if start >= done_at:
            return end - sent_at
    return None


def one_run(store, students_n: int, rng: random.Random) -> dict:
    created = store.create_class()
    code, token = created.code, created.teacher_token
    students = [store.join(code, f"student {i}") for i in range(students_n)]
    figures, checks = {}, []

    for scenario in ("spread", "burst"):
        question = Question(f"bench.{scenario}", {"lr": 2.5}, CHOICES)
        no = store.ask(code, token, question)
        for key in CALLS:
            figures[key, scenario] = []
        projector = Projector(store, code, token, figures["counts", scenario])
        last, sent = {}, []            # the last choice of each student; (sent at, stored at) of each answer
        lock = threading.Lock()
        barrier = threading.Barrier(students_n)
        t0 = time.perf_counter()
        end_polls = t0 + WINDOW_S + 1.5

        def student(i, last=last, sent=sent, barrier=barrier, t0=t0, end_polls=end_polls, scenario=scenario,
                    no=no, lock=lock):
            me = students[i]
            local = random.Random(rng.random())
            plan = [(0.0 if scenario == "burst" else local.uniform(0, WINDOW_S), local.choice(CHOICES))]
            if scenario == "spread" and i % 3 == 0:
                plan.append((min(WINDOW_S, plan[0][0] + local.uniform(0, 1)), local.choice(CHOICES)))
            next_poll = t0 + local.uniform(0, STUDENT_POLL_S)
            if scenario == "burst":
                barrier.wait()
            for at, choice in plan:
                while scenario == "spread" and time.perf_counter() < t0 + at:
                    if time.perf_counter() >= next_poll:          # the student's page refreshing
                        timed(figures["student poll", scenario], store.state, code)
                        timed(figures["student poll", scenario], store.answer_of, code, me.student_id)
                        next_poll += STUDENT_POLL_S
                    time.sleep(min(0.05, max(0.0, t0 + at - time.perf_counter())))
                sent_at = time.perf_counter()
                timed(figures["answer", scenario], store.answer, code, me.student_id, no, choice)
                with lock:
                    last[me.student_id] = choice
                    sent.append((sent_at, time.perf_counter()))
            while scenario == "spread" and time.perf_counter() < end_polls - 1:
                if time.perf_counter() >= next_poll:
                    timed(figures["student poll", scenario], store.state, code)
                    timed(figures["student poll", scenario], store.answer_of, code, me.student_id)
                    next_poll += STUDENT_POLL_S
                time.sleep(0.05)

        projector.start()
        threads = [threading.Thread(target=student, args=(i,)) for i in range(students_n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(max(0.0, end_polls - time.perf_counter()))
        projector.stopping.set()
        projector.join()
        for sent_at, done_at in sent:
            seen = seen_by_projector(sent_at, done_at, projector.polls)
            if seen is not None:
                figures["answer -> projector", scenario].append(seen)
        final = store.counts(code, token)
        expected = dict(Counter(last.values()))
        checks.append(final.answered == students_n and {k: v for k, v in final.counts.items() if v} == expected)
        store.reveal(code, token)
    store.close(code, token)
    figures["all counted once"] = checks
    return figures


def floor_ms(call, n: int = 200) -> float:
    """The median time of call() in ms: the backend's floor (one round trip that does nothing)."""
    samples = []
    for _ in range(n):
        timed(samples, call)
    return statistics.median(samples) * 1000


def sqlite_floor(path: Path) -> float:
    """Baseline: open a connection to the file, SELECT 1, close; what any SQLite store call pays at least."""
    import sqlite3

    def once():
        db = sqlite3.connect(path)
        db.execute("SELECT 1").fetchone()
        db.close()
    return floor_ms(once)


def bench(name: str, store, students_n: int, runs: int) -> dict:
    rng = random.Random(17)
    merged: dict = {}
    for _ in range(runs):
        for key, values in one_run(store, students_n, rng).items():
            merged.setdefault(key, []).extend(values)
    print(f"{name}: done", flush=True)
    return merged


def table(results: dict[str, dict]) -> str:
    lines = ["| backend | scenario | what | n | p50 | p95 | max |", "|---|---|---|---|---|---|---|"]
    for name, figures in results.items():
        for scenario in ("spread", "burst"):
            for key in CALLS:
                ms = [v * 1000 for v in figures.get((key, scenario), [])]
                if not ms:
                    continue
                what = LABELS[key]
                lines.append(f"| {name} | {scenario} | {what} | {len(ms)} | {statistics.median(ms):.1f} ms | "
                             f"{percentile(ms, 95):.1f} ms | {max(ms):.1f} ms |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "classmode-store.md")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="basin-bench-classmode-"))
    results, redis_process = {}, None
    try:
        load_before = os.getloadavg()
        results["SQLite"] = bench("SQLite", SQLiteStore(folder / "classes.sqlite3"), args.students, args.runs)
        floors = {"SQLite": sqlite_floor(folder / "classes.sqlite3")}
        program = find_redis_server()
        if program:
            from classmode.redis_store import RedisStore
            redis_process, url = start_redis(program, folder)
            store = RedisStore(url, prefix="bench:")
            results["Redis"] = bench("Redis", store, args.students, args.runs)
            floors["Redis"] = floor_ms(store.redis.ping)
        else:
            print("redis-server not found: Redis not measured (apt-get install redis-server)")
        load_after = os.getloadavg()
    finally:
        if redis_process:
            stop(redis_process)
        shutil.rmtree(folder, ignore_errors=True)

    counted = {name: f"{sum(f['all counted once'])} of {len(f['all counted once'])}" for name, f in results.items()}
    report = "\n".join([
        "# Class mode's store: 60 students answer within 5 s",
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/classmode_store.py` "
        f"(--students {args.students} --runs {args.runs}); {os.cpu_count()} cores, load average "
        f"{load_before[0]:.1f} before and {load_after[0]:.1f} after (the machine is shared).",
        "",
        "Store calls only, from threads of one process (no Streamlit, no browser). Each run: `spread` (each",
        "student answers at a random moment within 5 s, one in three changes their mind once, every student",
        "polls state() and answer_of() every 2 s) and `burst` (all answer a new question at one instant); the",
        "projector polls counts() every 1 s throughout. \"answer -> projector\" is from sending an answer to",
        "the end of the first projector poll that counts it: the store's share of the 2 s budget, at most",
        "one polling period plus one counts() call.",
        "",
        table(results),
        "",
        "Baseline in the same run, one call alone (median): "
        + "; ".join(f"{name} {ms:.2f} ms" for name, ms in floors.items())
        + " (SQLite: open the file, SELECT 1, close; Redis: PING). The burst's answers queue behind one",
        "another (SQLite: one writer at a time; Redis: the client threads share one Python interpreter).",
        "",
        "Every student counted exactly once, for their last answer, in "
        + "; ".join(f"{name}: {c} scenarios" for name, c in counted.items()) + ".",
        "",
    ])
    print(report)
    args.out.write_text(report)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
