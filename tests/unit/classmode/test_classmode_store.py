"""Class mode's store: the same tests for both backends (SQLite and a real redis-server; see conftest.py)."""

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classmode import model
from classmode.config import open_store, sqlite_path
from classmode.model import (
    BadAnswer,
    BadCode,
    ClassEnded,
    ClassModeError,
    Full,
    NotNow,
    NotTeacher,
    Question,
    UnknownClass,
    UnknownStudent,
    display_code,
    new_student_id,
    new_teacher_token,
)
from classmode.sqlite_store import SQLiteStore

ALPHA = Question("basin.alpha", {"lr": 2.5, "dataset": "iris"}, ("roll", "zigzag", "fly off"))
LOSS = Question("losses.stuck", {"start": [-4, 4]}, ("squared error", "log-loss"))


def one_sentence(err) -> str:
    message = str(err.value)
    assert message[0].isupper() and message.endswith(".") and "\n" not in message and len(message) < 160, message
    return message


# ---------- a whole class, as it happens ----------

def test_a_class_from_start_to_close(store):
    created = store.create_class()
    assert store.state(created.code).phase == "waiting"
    ana = store.join(display_code(created.code).lower(), "Ana")
    ben = store.join(created.code)
    assert (ana.nickname, ben.nickname) == ("Ana", None) and ana.student_id != ben.student_id

    no = store.ask(created.code, created.teacher_token, ALPHA)
    state = store.state(created.code)
    assert (state.phase, state.question_no, state.question, state.students) == ("asking", 1, ALPHA, 2)

    store.answer(created.code, ana.student_id, no, "zigzag")
    store.answer(created.code, ben.student_id, no, "roll")
    tally = store.counts(created.code, created.teacher_token)
    assert tally.counts == {"roll": 1, "zigzag": 1, "fly off": 0}
    assert list(tally.counts) == list(ALPHA.choices) and (tally.answered, tally.students) == (2, 2)
    assert store.answer_of(created.code, ana.student_id) == "zigzag"

    store.reveal(created.code, created.teacher_token)
    assert store.state(created.code).phase == "revealed"
    assert store.counts(created.code).counts == {"roll": 1, "zigzag": 1, "fly off": 0}   # everyone, now

    no2 = store.ask(created.code, created.teacher_token, LOSS)                          # the next question
    assert no2 == 2
    tally = store.counts(created.code, created.teacher_token)
    assert tally.counts == {"squared error": 0, "log-loss": 0} and tally.answered == 0
    assert store.answer_of(created.code, ana.student_id) is None

    store.close(created.code, created.teacher_token)
    with pytest.raises(ClassEnded) as err:
        store.state(created.code)
    assert one_sentence(err) == f"Class {display_code(created.code)} has ended: ask your teacher for a new code."
    with pytest.raises(ClassEnded):
        store.join(created.code)
    with pytest.raises(ClassEnded):
        store.answer(created.code, ana.student_id, no2, "log-loss")
    store.close(created.code, created.teacher_token)                                    # twice: harmless


def test_a_returning_student_keeps_their_class_nickname_and_answer(store):
    created = store.create_class()
    ana = store.join(created.code, "  Ana\u202e  ")
    no = store.ask(created.code, created.teacher_token, ALPHA)
    store.answer(created.code, ana.student_id, no, "fly off")
    again = store.student(created.code, ana.student_id)
    assert again == ana and again.nickname == "Ana"
    assert store.answer_of(created.code, ana.student_id) == "fly off"
    with pytest.raises(UnknownStudent) as err:
        store.student(created.code, new_student_id())
    assert "join again" in one_sentence(err)


# ---------- answers ----------

def test_changing_an_answer_moves_the_count_and_counts_the_student_once(store):
    created = store.create_class()
    ana = store.join(created.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    store.answer(created.code, ana.student_id, no, "roll")
    store.answer(created.code, ana.student_id, no, "zigzag")
    assert store.counts(created.code, created.teacher_token).counts == {"roll": 0, "zigzag": 1, "fly off": 0}
    store.answer(created.code, ana.student_id, no, "zigzag")         # the same again: nothing changes
    tally = store.counts(created.code, created.teacher_token)
    assert tally.counts == {"roll": 0, "zigzag": 1, "fly off": 0} and tally.answered == 1


def test_answers_are_limited_per_student_per_question(store):
    created = store.create_class()
    ana = store.join(created.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    choices = ["roll", "zigzag"] * model.MAX_SUBMISSIONS
    for choice in choices[:model.MAX_SUBMISSIONS]:
        store.answer(created.code, ana.student_id, no, choice)
    last = choices[model.MAX_SUBMISSIONS - 1]
    store.answer(created.code, ana.student_id, no, last)              # re-sending the same one is fine
    with pytest.raises(model.AnswerLimit) as err:                      # a BadAnswer the page can tell apart
        store.answer(created.code, ana.student_id, no, "fly off")
    assert isinstance(err.value, BadAnswer)
    assert f"already answered {model.MAX_SUBMISSIONS} times" in one_sentence(err)
    assert store.answer_of(created.code, ana.student_id) == last
    # the next question starts afresh
    no2 = store.ask(created.code, created.teacher_token, LOSS)
    store.answer(created.code, ana.student_id, no2, "log-loss")


@pytest.mark.parametrize("choice", ["jump", "", "ROLL", None, 3, "roll "])
def test_an_unknown_choice_is_refused(store, choice):
    created = store.create_class()
    ana = store.join(created.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    with pytest.raises(BadAnswer) as err:
        store.answer(created.code, ana.student_id, no, choice)
    assert "is not one of this question's choices (roll, zigzag, fly off)" in one_sentence(err)
    assert store.counts(created.code, created.teacher_token).answered == 0


def test_choices_in_any_script_are_counted(store):
    created = store.create_class()
    ana = store.join(created.code)
    question = Question("basin.lambda", {}, ("αλ < 1", "1 < αλ < 2", "αλ > 2 ✈"))
    no = store.ask(created.code, created.teacher_token, question)
    store.answer(created.code, ana.student_id, no, "αλ > 2 ✈")
    assert store.counts(created.code, created.teacher_token).counts == {"αλ < 1": 0, "1 < αλ < 2": 0,
                                                                       "αλ > 2 ✈": 1}


def test_answers_after_the_reveal_or_to_an_old_question_are_refused(store):
    created = store.create_class()
    ana = store.join(created.code)
    with pytest.raises(NotNow, match="not asked a question yet"):
        store.answer(created.code, ana.student_id, 1, "roll")
    no = store.ask(created.code, created.teacher_token, ALPHA)
    store.answer(created.code, ana.student_id, no, "roll")
    store.reveal(created.code, created.teacher_token)
    with pytest.raises(NotNow) as err:
        store.answer(created.code, ana.student_id, no, "zigzag")
    assert one_sentence(err) == "The answer has been revealed: this question takes no more answers."
    assert store.counts(created.code).counts == {"roll": 1, "zigzag": 0, "fly off": 0}
    store.reveal(created.code, created.teacher_token)                 # twice: harmless
    no2 = store.ask(created.code, created.teacher_token, LOSS)
    with pytest.raises(NotNow, match="moved on to another question"):
        store.answer(created.code, ana.student_id, no, "roll")       # a stale screen
    for stale in [no2 + 1, "2", None, True]:
        with pytest.raises(NotNow):
            store.answer(created.code, ana.student_id, stale, "log-loss")


def test_only_students_of_the_class_can_answer(store):
    created, other = store.create_class(), store.create_class()
    outsider = store.join(other.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    for student_id in [outsider.student_id, new_student_id(), "not-an-id", None]:
        with pytest.raises(UnknownStudent):
            store.answer(created.code, student_id, no, "roll")
    assert store.counts(created.code, created.teacher_token).answered == 0


# ---------- the teacher ----------

def test_teacher_actions_need_the_teacher_token(store):
    created, other = store.create_class(), store.create_class()
    for token in [other.teacher_token, new_teacher_token(), "", None, created.teacher_token[:-1]]:
        for action in (lambda t: store.ask(created.code, t, ALPHA), lambda t: store.reveal(created.code, t),
                       lambda t: store.close(created.code, t)):
            with pytest.raises(NotTeacher) as err:
                action(token)
            assert one_sentence(err) == f"Only the teacher's link of class {display_code(created.code)} can do that."
        assert not store.is_teacher(created.code, token)
    assert store.is_teacher(created.code, created.teacher_token)
    assert store.state(created.code).phase == "waiting"                     # nothing happened


def test_the_live_tally_is_the_teachers_until_the_reveal(store):
    created = store.create_class()
    store.ask(created.code, created.teacher_token, ALPHA)
    for token in [None, new_teacher_token()]:
        with pytest.raises(NotTeacher, match="shown after the reveal"):
            store.counts(created.code, token)
    store.reveal(created.code, created.teacher_token)
    assert store.counts(created.code).phase == "revealed"


def test_revealing_before_any_question_says_to_ask_first(store):
    created = store.create_class()
    with pytest.raises(NotNow, match="ask one first"):
        store.reveal(created.code, created.teacher_token)


def test_asking_a_bad_question_is_refused(store):
    created = store.create_class()
    with pytest.raises(ClassModeError):
        store.ask(created.code, created.teacher_token, {"question_id": "x"})


# ---------- codes, limits and expiry ----------

@pytest.mark.parametrize("typed", ["", "hello", "ABCD-EFG0", None])
def test_a_bad_code_gets_one_plain_sentence(store, typed):
    with pytest.raises(BadCode) as err:
        store.join(typed)
    assert "like ABCD-EFGH" in one_sentence(err)


def test_an_unknown_code_gets_one_plain_sentence(store):
    store.create_class()
    for action in (lambda: store.join("ZZZZ-ZZZZ"), lambda: store.state("ZZZZZZZZ"),
                   lambda: store.counts("ZZZZZZZZ"), lambda: store.ask("ZZZZZZZZ", new_teacher_token(), ALPHA)):
        with pytest.raises(UnknownClass) as err:
            action()
        assert one_sentence(err) == "There is no class with the code ZZZZ-ZZZZ: check the code on the projector."


def test_classes_expire_after_the_stated_time_and_are_cleaned_up(store, clock):
    created = store.create_class()
    ana = store.join(created.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    assert created.expires_at == pytest.approx(clock() + model.CLASS_LIFETIME_S)
    clock.advance(model.CLASS_LIFETIME_S - 1)
    store.answer(created.code, ana.student_id, no, "roll")                 # one second left: still open
    clock.advance(1)
    for action in (lambda: store.join(created.code), lambda: store.state(created.code),
                   lambda: store.answer(created.code, ana.student_id, no, "zigzag"),
                   lambda: store.counts(created.code, created.teacher_token),
                   lambda: store.reveal(created.code, created.teacher_token),
                   lambda: store.ask(created.code, created.teacher_token, LOSS),
                   lambda: store.student(created.code, ana.student_id)):
        with pytest.raises(ClassEnded, match="has ended"):
            action()
    later = store.create_class()
    assert store.cleanup() == 0              # create_class() has already cleaned up the expired one
    with pytest.raises(ClassEnded):          # its data gone, its code kept: still "has ended"
        store.state(created.code)
    assert store.state(later.code).phase == "waiting"


def test_cleanup_removes_only_expired_classes(store, clock):
    old = store.create_class()
    clock.advance(model.CLASS_LIFETIME_S / 2)
    young = store.create_class()
    clock.advance(model.CLASS_LIFETIME_S / 2)
    assert store.cleanup() == 1
    assert store.cleanup() == 0
    with pytest.raises(ClassEnded):
        store.state(old.code)
    assert store.state(young.code).phase == "waiting"


def test_the_number_of_open_classes_is_limited(make_store, clock):
    store = make_store(max_classes=3)
    classes = [store.create_class() for _ in range(3)]
    with pytest.raises(Full) as err:
        store.create_class()
    assert one_sentence(err).startswith("This server already runs 3 classes, its limit")
    store.close(classes[0].code, classes[0].teacher_token)       # a closed class frees its place
    store.create_class()
    with pytest.raises(Full):
        store.create_class()
    clock.advance(model.CLASS_LIFETIME_S)                         # expired classes free theirs
    assert len([store.create_class() for _ in range(3)]) == 3


def test_the_number_of_students_in_a_class_is_limited(make_store):
    store = make_store(max_students=4)
    created = store.create_class()
    for _ in range(4):
        store.join(created.code)
    with pytest.raises(Full) as err:
        store.join(created.code)
    assert one_sentence(err) == f"Class {display_code(created.code)} is full (4 students)."
    assert store.state(created.code).students == 4


# ---------- keeping the data ----------

def test_nothing_is_lost_when_the_store_is_opened_again(make_store):
    # A server restart: a new store object (a new connection) on the same file or Redis.
    first = make_store()
    created = first.create_class()
    ana = first.join(created.code, "Ana")
    no = first.ask(created.code, created.teacher_token, ALPHA)
    first.answer(created.code, ana.student_id, no, "fly off")
    del first
    again = make_store()
    assert again.student(created.code, ana.student_id).nickname == "Ana"
    assert again.counts(created.code, created.teacher_token).counts == {"roll": 0, "zigzag": 0, "fly off": 1}
    assert again.is_teacher(created.code, created.teacher_token)


def test_the_store_never_keeps_the_teacher_token_itself(make_store, tmp_path):
    store = make_store()
    created = store.create_class()
    if make_store.backend == "sqlite":
        kept = (tmp_path / "classes.sqlite3").read_bytes() + b"".join(
            p.read_bytes() for p in tmp_path.glob("classes.sqlite3-*"))
        assert created.teacher_token.encode() not in kept and created.code.encode() in kept
    else:
        kept = store.redis.hgetall(store._key(created.code))
        assert created.teacher_token not in str(kept) and kept["token_hash"]
        assert 0 < store.redis.ttl(store._key(created.code)) <= model.CLASS_LIFETIME_S


def test_every_redis_key_of_a_class_expires_with_it(redis_url):
    # Redis only: SQLite's rows go in cleanup().
    from classmode.redis_store import RedisStore
    store = RedisStore(redis_url, prefix="test-expiry:")
    created = store.create_class()
    ana = store.join(created.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    store.answer(created.code, ana.student_id, no, "roll")
    store.reveal(created.code, created.teacher_token)
    keys = store.redis.keys(store._key(created.code) + "*")
    assert len(keys) == 5                             # class, students, answers:1, submissions:1, revealed
    assert all(0 < store.redis.ttl(key) <= model.CLASS_LIFETIME_S for key in keys)
    ended = store.redis.ttl(store._ended_key(created.code))   # the code only, a bounded time longer
    assert model.ENDED_CODE_KEPT_S < ended <= model.CLASS_LIFETIME_S + model.ENDED_CODE_KEPT_S


# ---------- which store ----------

def test_open_store_is_sqlite_in_wal_mode_by_default(tmp_path):
    store = open_store({"BASIN_DATA_DIR": str(tmp_path / "data")})
    assert isinstance(store, SQLiteStore) and store.path == tmp_path / "data" / "classes.sqlite3"
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert sqlite_path({}).name == "classes.sqlite3" and sqlite_path({}).parent.name == ".basin-data"
    assert isinstance(open_store({"BASIN_REDIS_URL": " ", "BASIN_DATA_DIR": str(tmp_path)}), SQLiteStore)


def test_open_store_is_redis_with_one_variable(tmp_path, redis_url):
    from classmode.redis_store import RedisStore
    remote = open_store({"BASIN_REDIS_URL": redis_url, "BASIN_DATA_DIR": str(tmp_path / "unused")})
    assert isinstance(remote, RedisStore) and remote.create_class().code
    assert not (tmp_path / "unused").exists()


def test_the_data_folder_is_ignored_by_git(repo_root):
    assert ".basin-data/" in (repo_root / ".gitignore").read_text().split()


# ---------- against a model written out by hand ----------

@given(steps=st.lists(st.tuples(st.sampled_from(["answer", "reveal", "ask"]), st.integers(0, 4),
                                st.sampled_from([*ALPHA.choices, "jump"])), max_size=40))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_sequence_of_answers_reveals_and_questions_gives_the_models_tally(make_store, steps):
    store = make_store()
    created = store.create_class()
    students = [store.join(created.code).student_id for _ in range(5)]
    no = store.ask(created.code, created.teacher_token, ALPHA)
    answers, submissions, revealed = {}, {}, False            # the model: what the tally must be
    for action, who, choice in steps:
        if action == "ask":
            no = store.ask(created.code, created.teacher_token, ALPHA)
            answers, submissions, revealed = {}, {}, False
            continue
        if action == "reveal":
            store.reveal(created.code, created.teacher_token)
            revealed = True
            continue
        student = students[who]
        refused = (revealed or choice not in ALPHA.choices
                   or (answers.get(student) not in (None, choice) and submissions[student] >= model.MAX_SUBMISSIONS))
        try:
            store.answer(created.code, student, no, choice)
        except ClassModeError:
            assert refused
        else:
            assert not refused
            if answers.get(student) != choice:
                answers[student] = choice
                submissions[student] = submissions.get(student, 0) + 1
    tally = store.counts(created.code, created.teacher_token)
    assert tally.counts == {c: list(answers.values()).count(c) for c in ALPHA.choices}
    assert tally.answered == len(answers) and tally.question_no == no


# ---------- found in review ----------

def test_a_student_who_leaves_takes_their_answers_and_place_with_them(store):
    """Leave then join again made one student two: '2 of 2 answered', both answers in the bars."""
    created = store.create_class()
    ana, ben = store.join(created.code), store.join(created.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    store.answer(created.code, ana.student_id, no, "roll")
    store.answer(created.code, ben.student_id, no, "zigzag")
    store.leave(created.code, ana.student_id)
    again = store.join(created.code)
    store.answer(created.code, again.student_id, no, "fly off")
    tally = store.counts(created.code, created.teacher_token)
    assert tally.counts == {"roll": 0, "zigzag": 1, "fly off": 1} and (tally.answered, tally.students) == (2, 2)
    with pytest.raises(UnknownStudent):
        store.student(created.code, ana.student_id)
    store.leave(created.code, ana.student_id)                      # twice: harmless
    store.close(created.code, created.teacher_token)
    store.leave(created.code, ben.student_id)                      # from an ended class: harmless


def test_the_tally_carries_the_question_it_counts(store):
    """A screen labels the bars from the tally, not from a second read that may find the next question."""
    created = store.create_class()
    store.ask(created.code, created.teacher_token, ALPHA)
    assert store.counts(created.code, created.teacher_token).question == ALPHA
    store.ask(created.code, created.teacher_token, LOSS)
    assert store.counts(created.code, created.teacher_token).question == LOSS


def test_a_class_whose_data_expired_on_their_own_has_ended(make_store):
    """Redis deletes a class's keys at its expiry by itself: every page then read 'There is no class with the code
    …: check the code on the projector' (and the teacher's own link 'not the teacher's link'), where SQLite says
    'has ended'. Real time here: Redis's own expiry does not follow the test's clock."""
    import time
    store = make_store(lifetime_s=1)
    created = store.create_class()
    ana = store.join(created.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    store.clock = time.time
    time.sleep(1.2)
    for action in (lambda: store.state(created.code), lambda: store.student(created.code, ana.student_id),
                   lambda: store.answer(created.code, ana.student_id, no, "roll"),
                   lambda: store.counts(created.code, created.teacher_token),
                   lambda: store.reveal(created.code, created.teacher_token), lambda: store.join(created.code)):
        with pytest.raises(ClassEnded, match="has ended"):
            action()
    store.close(created.code, created.teacher_token)                # harmless, as on a class still stored
    store.cleanup()
    with pytest.raises(ClassEnded):                                 # cleaned up too: still "has ended", on both
        store.state(created.code)


# The same sequence of operations on both stores gives the same results (ids and codes aside).
OPS = st.lists(st.tuples(
    st.sampled_from(["create", "join", "leave", "ask", "ask2", "answer", "reveal", "close", "advance", "state",
                     "counts", "public_counts", "answer_of", "student", "cleanup", "forged"]),
    st.integers(0, 2), st.integers(0, 3), st.sampled_from([*ALPHA.choices, *LOSS.choices, "jump"]),
    st.integers(0, 3)), max_size=40)


def _run(store, clock, ops):
    """Apply ops to store; returns what each returned, with codes and ids written as their indices."""
    classes, students, out = [], [], []

    def norm(value):
        text = repr(value)
        for i, c in enumerate(classes):
            text = text.replace(c.code, f"<class {i}>").replace(display_code(c.code), f"<class {i}>")
        for i, s in enumerate(students):
            text = text.replace(s.student_id, f"<student {i}>")
        return text

    for op, ci, si, choice, no in ops:
        c = classes[ci % len(classes)] if classes else None
        s = students[si % len(students)] if students else None
        try:
            if op == "create":
                result = classes.append(store.create_class())
            elif op == "advance":
                result = clock.advance(model.CLASS_LIFETIME_S / 3)
            elif op == "cleanup":
                result = store.cleanup()
            elif c is None:
                result = "no class"
            elif op == "join":
                result = students.append(store.join(c.code, f"n{si}"))
            elif op == "ask":
                result = store.ask(c.code, c.teacher_token, ALPHA)
            elif op == "ask2":
                result = store.ask(c.code, c.teacher_token, LOSS)
            elif op == "reveal":
                result = store.reveal(c.code, c.teacher_token)
            elif op == "close":
                result = store.close(c.code, c.teacher_token)
            elif op == "forged":
                result = store.reveal(c.code, new_teacher_token())
            elif op == "state":
                state = store.state(c.code)
                result = (state.phase, state.question_no, state.question, state.students)
            elif op in ("counts", "public_counts"):
                tally = store.counts(c.code, c.teacher_token if op == "counts" else None)
                result = (tally.phase, tally.question_no, tally.counts, tally.answered, tally.students,
                          tally.question)
            elif s is None:
                result = "no student"
            elif op == "leave":
                result = store.leave(c.code, s.student_id)
            elif op == "answer":
                result = store.answer(c.code, s.student_id, no, choice)
            elif op == "answer_of":
                result = store.answer_of(c.code, s.student_id)
            else:
                result = store.student(c.code, s.student_id).nickname
        except ClassModeError as err:
            result = (type(err).__name__, str(err))
        out.append((op, norm(result)))
    return out


@given(ops=OPS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_sqlite_and_redis_give_the_same_results_for_the_same_operations(tmp_path_factory, redis_url, ops):
    import secrets

    from classmode.redis_store import RedisStore
    from tests.unit.classmode.conftest import Clock
    results = []
    for backend in ("sqlite", "redis"):
        clock = Clock()
        if backend == "sqlite":
            store = SQLiteStore(tmp_path_factory.mktemp("seq") / "classes.sqlite3", clock=clock, max_classes=2,
                                max_students=3)
        else:
            store = RedisStore(redis_url, prefix=f"seq-{secrets.token_hex(4)}:", clock=clock, max_classes=2,
                               max_students=3)
        results.append(_run(store, clock, [("create", 0, 0, "roll", 0), *ops]))
    assert results[0] == results[1]


# ---------- an ended class's code is remembered (found in review) ----------

def _remembered_codes(store) -> int:
    """How many ended classes' codes the store keeps (the rows or keys that remember them)."""
    if isinstance(store, SQLiteStore):
        with sqlite3.connect(store.path) as db:
            return db.execute("SELECT COUNT(*) FROM ended").fetchone()[0]
    return len(store.redis.keys(store.prefix + "ended:*"))


def _all_say_ended(store, created, student, no):
    """Every way in to the class (the join link, a student link, the teacher's link) says it has ended."""
    shown = display_code(created.code)
    for action in (lambda: store.state(created.code), lambda: store.join(created.code),
                   lambda: store.student(created.code, student.student_id),
                   lambda: store.answer(created.code, student.student_id, no, "roll"),
                   lambda: store.answer_of(created.code, student.student_id),
                   lambda: store.counts(created.code), lambda: store.counts(created.code, created.teacher_token),
                   lambda: store.is_teacher(created.code, created.teacher_token),
                   lambda: store.ask(created.code, created.teacher_token, LOSS),
                   lambda: store.reveal(created.code, created.teacher_token)):
        with pytest.raises(ClassEnded) as err:
            action()
        assert one_sentence(err) == f"Class {shown} has ended: ask your teacher for a new code."
    store.close(created.code, created.teacher_token)                 # harmless
    store.leave(created.code, student.student_id)                    # harmless


@pytest.mark.parametrize("closed", [False, True])
def test_a_class_cleaned_up_after_its_end_still_says_it_has_ended(store, clock, closed):
    """Once the next class on the server had started (which cleans up expired ones), yesterday's links to a class
    said 'There is no class with the code SKH8-R6LD: check the code on the projector.' (SQLite; Redis too, once
    cleaned up): a right code to recheck, and the teacher not told to start a new class."""
    created = store.create_class()
    ana = store.join(created.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    store.answer(created.code, ana.student_id, no, "zigzag")
    if closed:
        store.close(created.code, created.teacher_token)
    clock.advance(model.CLASS_LIFETIME_S)
    store.create_class()                                             # another teacher: cleans up
    assert store.cleanup() == 0
    _all_say_ended(store, created, ana, no)
    clock.advance(model.ENDED_CODE_KEPT_S - model.CLASS_LIFETIME_S)   # a month later, less a bit
    assert store.cleanup() == 1                                      # the second class
    _all_say_ended(store, created, ana, no)


def test_an_ended_class_is_remembered_for_a_bounded_time_only(store, clock):
    created = store.create_class()
    clock.advance(model.CLASS_LIFETIME_S)
    store.cleanup()
    clock.advance(model.ENDED_CODE_KEPT_S - 1)
    with pytest.raises(ClassEnded):
        store.state(created.code)
    clock.advance(1)
    with pytest.raises(UnknownClass):                                # then no such class
        store.state(created.code)
    assert not store.is_teacher(created.code, created.teacher_token)


def test_a_flood_of_classes_remembers_their_codes_for_the_stated_time_only(make_store, clock):
    store = make_store(max_classes=2)
    for _ in range(30):                                              # closing frees a place at once
        created = store.create_class()
        store.close(created.code, created.teacher_token)
    clock.advance(model.CLASS_LIFETIME_S)
    store.cleanup()
    assert _remembered_codes(store) == 30
    if make_store.backend == "redis":                                # Redis drops them itself (real time)
        keys = store.redis.keys(store.prefix + "ended:*")
        assert all(0 < store.redis.pttl(key) <= 1000 * (model.CLASS_LIFETIME_S + model.ENDED_CODE_KEPT_S)
                   for key in keys)
    clock.advance(model.ENDED_CODE_KEPT_S)
    store.cleanup()
    if make_store.backend == "sqlite":                               # SQLite: cleanup deletes them
        assert _remembered_codes(store) == 0


def test_a_new_class_is_never_given_a_code_still_remembered(store, clock, monkeypatch):
    import classmode.store
    old = store.create_class()
    clock.advance(model.CLASS_LIFETIME_S)
    store.cleanup()
    draws = iter([old.code, "ABCDEFGH"])
    monkeypatch.setattr(classmode.store, "new_code", lambda: next(draws))   # the draw, not the store
    assert store.create_class().code == "ABCDEFGH"
    with pytest.raises(ClassEnded):
        store.state(old.code)


# ---------- leaving after the reveal (found in review) ----------

def test_a_student_who_leaves_after_the_reveal_changes_no_revealed_result(store):
    """A student pressing Leave after the reveal turned the projector's '4 of 7 answered right (57 %)' into
    '3 of 6 (50 %)' and '7 of 8 answered' into '6 of 8': their answers to revealed questions went with them."""
    created = store.create_class()
    students = [store.join(created.code) for _ in range(8)]
    no = store.ask(created.code, created.teacher_token, ALPHA)
    for s, choice in zip(students[:7], ["roll"] * 4 + ["zigzag"] * 2 + ["fly off"], strict=True):   # 7 of 8
        store.answer(created.code, s.student_id, no, choice)
    store.reveal(created.code, created.teacher_token)
    revealed = store.counts(created.code)
    assert revealed.counts == {"roll": 4, "zigzag": 2, "fly off": 1}
    assert (revealed.answered, revealed.students) == (7, 8)
    store.leave(created.code, students[0].student_id)                # one who answered right
    store.leave(created.code, students[7].student_id)                # one who did not answer
    store.join(created.code)                                         # a late comer
    store.reveal(created.code, created.teacher_token)                # again: harmless
    for token in (None, created.teacher_token):
        assert store.counts(created.code, token) == revealed
    assert store.state(created.code).students == 7                   # who is in the class now
    with pytest.raises(UnknownStudent):
        store.student(created.code, students[0].student_id)
    no2 = store.ask(created.code, created.teacher_token, LOSS)       # the next question counts who is in now
    tally = store.counts(created.code, created.teacher_token)
    assert (tally.question_no, tally.answered, tally.students) == (no2, 0, 7)


def test_a_student_who_leaves_while_a_question_is_open_takes_that_answer_only(store):
    created = store.create_class()
    ana, ben = store.join(created.code), store.join(created.code)
    no = store.ask(created.code, created.teacher_token, ALPHA)
    store.answer(created.code, ana.student_id, no, "roll")
    store.reveal(created.code, created.teacher_token)
    no2 = store.ask(created.code, created.teacher_token, LOSS)
    store.answer(created.code, ana.student_id, no2, "log-loss")
    store.answer(created.code, ben.student_id, no2, "squared error")
    store.leave(created.code, ana.student_id)
    tally = store.counts(created.code, created.teacher_token)
    assert tally.counts == {"squared error": 1, "log-loss": 0} and (tally.answered, tally.students) == (1, 1)
    again = store.join(created.code)                                 # joins again: counted once
    store.answer(created.code, again.student_id, no2, "log-loss")
    store.reveal(created.code, created.teacher_token)
    tally = store.counts(created.code)
    assert tally.counts == {"squared error": 1, "log-loss": 1} and (tally.answered, tally.students) == (2, 2)
