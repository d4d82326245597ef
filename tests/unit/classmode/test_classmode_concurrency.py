"""Class mode's store under a whole class at once: 60 students from 60 threads, and from 2 processes, on
both backends. Every answer is counted exactly once; a change moves the count; nothing is taken after
the reveal; limits hold when everyone arrives together."""

import json
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from classmode.model import Full, NotNow, Question
from tests.conftest import REPO_ROOT

STUDENTS = 60
ALPHA = Question("basin.alpha", {"lr": 2.5}, ("roll", "zigzag", "fly off"))


def at_once(n: int, work):
    """Run work(i) for i in 0..n-1 in n threads that all start together; return the results (or the
    exceptions) in order."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        try:
            return work(i)
        except Exception as err:   # noqa: BLE001  (returned for the test to check)
            return err

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_60_students_joining_and_answering_at_once_are_each_counted_once(store):
    created = store.create_class()
    no = store.ask(created.code, created.teacher_token, ALPHA)

    def student(i):
        me = store.join(created.code, f"student {i}")
        store.answer(created.code, me.student_id, no, ALPHA.choices[i % 3])
        return me

    students = at_once(STUDENTS, student)
    assert not [s for s in students if isinstance(s, Exception)]
    assert len({s.student_id for s in students}) == STUDENTS
    tally = store.counts(created.code, created.teacher_token)
    assert tally.counts == {"roll": 20, "zigzag": 20, "fly off": 20}
    assert (tally.answered, tally.students) == (STUDENTS, STUDENTS)


def test_60_students_changing_their_answers_at_once_move_the_count(store):
    created = store.create_class()
    no = store.ask(created.code, created.teacher_token, ALPHA)
    students = [store.join(created.code) for _ in range(STUDENTS)]
    at_once(STUDENTS, lambda i: store.answer(created.code, students[i].student_id, no, "roll"))
    assert store.counts(created.code, created.teacher_token).counts == {"roll": 60, "zigzag": 0, "fly off": 0}

    # each student changes twice at once with everyone else: zigzag, then fly off for the even ones
    def change(i):
        store.answer(created.code, students[i].student_id, no, "zigzag")
        if i % 2 == 0:
            store.answer(created.code, students[i].student_id, no, "fly off")

    assert not [r for r in at_once(STUDENTS, change) if isinstance(r, Exception)]
    tally = store.counts(created.code, created.teacher_token)
    assert tally.counts == {"roll": 0, "zigzag": 30, "fly off": 30} and tally.answered == STUDENTS


def test_answers_racing_the_reveal_are_either_counted_or_refused(store):
    created = store.create_class()
    no = store.ask(created.code, created.teacher_token, ALPHA)
    students = [store.join(created.code) for _ in range(STUDENTS)]

    def work(i):
        if i == STUDENTS:                          # the teacher, in the middle of the crowd
            time.sleep(0.005)
            return store.reveal(created.code, created.teacher_token)
        return store.answer(created.code, students[i].student_id, no, "zigzag")

    results = at_once(STUDENTS + 1, work)
    accepted = sum(r is None for r in results[:STUDENTS])
    refused = [r for r in results[:STUDENTS] if r is not None]
    assert all(isinstance(r, NotNow) and "revealed" in str(r) for r in refused), refused
    assert results[STUDENTS] is None
    assert store.counts(created.code).counts["zigzag"] == accepted     # exactly those taken before the reveal
    late = store.join(created.code)
    with pytest.raises(NotNow):
        store.answer(created.code, late.student_id, no, "roll")
    assert store.counts(created.code).answered == accepted


def test_a_class_fills_up_exactly_when_everyone_joins_at_once(make_store):
    store = make_store(max_students=50)
    created = store.create_class()
    results = at_once(STUDENTS, lambda i: store.join(created.code))
    assert sum(isinstance(r, Full) for r in results) == 10
    assert store.state(created.code).students == 50


def test_the_class_limit_holds_when_teachers_create_at_once(make_store):
    store = make_store(max_classes=5)
    results = at_once(12, lambda i: store.create_class())
    assert sum(isinstance(r, Full) for r in results) == 7
    assert len({r.code for r in results if not isinstance(r, Exception)}) == 5


# ---------- two processes (two app servers on one SQLite file, or two replicas on one Redis) ----------

WORKER = textwrap.dedent("""
    import json, sys, threading, time
    backend, where, prefix, code, question_no, first, count, start = sys.argv[1:]
    if backend == "sqlite":
        from classmode.sqlite_store import SQLiteStore
        store = SQLiteStore(where)
    else:
        from classmode.redis_store import RedisStore
        store = RedisStore(where, prefix=prefix)
    choices = ["roll", "zigzag", "fly off"]
    done, errors = [], []
    def student(i):
        while time.time() < float(start):
            time.sleep(0.001)
        try:
            me = store.join(code)
            store.answer(code, me.student_id, int(question_no), choices[i % 3])
            store.answer(code, me.student_id, int(question_no), choices[(i + 1) % 3])   # and a change of mind
            done.append((me.student_id, choices[(i + 1) % 3]))
        except Exception as err:
            errors.append(repr(err))
    threads = [threading.Thread(target=student, args=(i,)) for i in range(int(first), int(first) + int(count))]
    for t in threads: t.start()
    for t in threads: t.join()
    print(json.dumps({"done": done, "errors": errors}))
""")


def test_60_students_from_two_processes_are_each_counted_once(make_store, tmp_path, request):
    store = make_store()
    created = store.create_class()
    no = store.ask(created.code, created.teacher_token, ALPHA)
    if make_store.backend == "sqlite":
        where, prefix = str(store.path), ""
    else:
        where, prefix = request.getfixturevalue("redis_url"), store.prefix
    start = time.time() + 3          # both processes are up and waiting by then; then all 60 go together
    half = STUDENTS // 2
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, make_store.backend, where, prefix, created.code,
                                 str(no), str(first), str(half), repr(start)],
                                cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for first in (0, half)]
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        reports.append(json.loads(out))
    assert [r["errors"] for r in reports] == [[], []]
    final = dict(sum((r["done"] for r in reports), []))
    assert len(final) == STUDENTS
    tally = store.counts(created.code, created.teacher_token)
    assert tally.counts == dict(Counter(final.values())) == {"zigzag": 20, "fly off": 20, "roll": 20}
    assert (tally.answered, tally.students) == (STUDENTS, STUDENTS)


# ---------- a server that dies, a writer that holds the file ----------

KILLED = textwrap.dedent("""
    import json, os, signal, sys
    backend, where, prefix = sys.argv[1:]
    if backend == "sqlite":
        from classmode.sqlite_store import SQLiteStore
        store = SQLiteStore(where)
    else:
        from classmode.redis_store import RedisStore
        store = RedisStore(where, prefix=prefix)
    from classmode.model import Question
    created = store.create_class()
    ana = store.join(created.code, "Ana")
    no = store.ask(created.code, created.teacher_token, Question("basin.alpha", {"lr": 2.5}, ("roll", "zigzag")))
    store.answer(created.code, ana.student_id, no, "zigzag")
    print(json.dumps([created.code, created.teacher_token, ana.student_id]), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)     # the server dies at once: no clean-up, no closing
""")


def test_a_server_killed_at_once_loses_nothing_it_stored(make_store, request):
    store = make_store()
    if make_store.backend == "sqlite":
        where, prefix = str(store.path), ""
    else:
        where, prefix = request.getfixturevalue("redis_url"), store.prefix
    result = subprocess.run([sys.executable, "-c", KILLED, make_store.backend, where, prefix], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == -9, result.stderr
    code, token, student_id = json.loads(result.stdout)
    again = make_store()                                     # the restarted server
    assert again.student(code, student_id).nickname == "Ana"
    assert again.counts(code, token).counts == {"roll": 0, "zigzag": 1}


def test_a_writer_holding_the_sqlite_file_makes_others_wait_not_fail(tmp_path):
    # SQLite only: Redis runs one script at a time, and there is no lock for a client to hold.
    import sqlite3

    from classmode.sqlite_store import SQLiteStore
    store = SQLiteStore(tmp_path / "classes.sqlite3")
    created = store.create_class()
    ana = store.join(created.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    holder = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")                        # another process's long write
    released = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    released.start()
    t0 = time.perf_counter()
    store.answer(created.code, ana.student_id, no, "roll")   # waits for the lock (busy timeout), then goes
    waited = time.perf_counter() - t0
    released.join()
    holder.close()
    assert waited >= 0.4
    assert store.counts(created.code, created.teacher_token).counts["roll"] == 1
