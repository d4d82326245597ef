"""Class mode's default store: one SQLite file (the standard library's sqlite3), no server, no configuration.

- WAL mode: the projector's reads never wait for a student's write, and writers queue for each other.
- Each change is one `BEGIN IMMEDIATE` transaction, so checks and writes happen together even with many
  threads and several processes on the same file; a writer that finds the file busy waits up to
  BUSY_TIMEOUT_S instead of failing.
- `synchronous=NORMAL` with WAL: a committed change survives the app's process being killed or restarted
  (an operating-system crash or power cut may lose the last few changes, never the file).
- One short-lived connection per operation: nothing is shared between threads or across a fork.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

from classmode.model import ENDED_CODE_KEPT_S, ClassState, Question
from classmode.store import ClassStore, tally_from_answers

BUSY_TIMEOUT_S = 10.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS classes (
    code        TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL,
    created_at  REAL NOT NULL,
    expires_at  REAL NOT NULL,
    phase       TEXT NOT NULL,              -- waiting, asking, revealed, closed
    question_no INTEGER NOT NULL DEFAULT 0, -- 0 before the first question
    question_id TEXT,
    settings    TEXT,                       -- JSON
    choices     TEXT                        -- JSON list
);
CREATE INDEX IF NOT EXISTS classes_expiry ON classes (expires_at);
CREATE TABLE IF NOT EXISTS students (
    code       TEXT NOT NULL,
    student_id TEXT NOT NULL,
    nickname   TEXT,
    joined_at  REAL NOT NULL,
    PRIMARY KEY (code, student_id)
);
CREATE TABLE IF NOT EXISTS answers (
    code        TEXT NOT NULL,
    question_no INTEGER NOT NULL,
    student_id  TEXT NOT NULL,
    choice      TEXT NOT NULL,
    submissions INTEGER NOT NULL,          -- how many times this student answered this question
    answered_at REAL NOT NULL,
    PRIMARY KEY (code, question_no, student_id)   -- one answer per student per question: counted once
);
CREATE TABLE IF NOT EXISTS reveals (
    code        TEXT NOT NULL,
    question_no INTEGER NOT NULL,
    students    INTEGER NOT NULL,          -- students in the class at the reveal: the result's "of M" stays
    PRIMARY KEY (code, question_no)
);
CREATE TABLE IF NOT EXISTS ended (         -- a cleaned-up class's code, nothing else: old links read "has ended"
    code        TEXT PRIMARY KEY,
    ended_at    REAL NOT NULL              -- its expiry; the row goes ENDED_CODE_KEPT_S later
);
CREATE INDEX IF NOT EXISTS ended_expiry ON ended (ended_at);
"""


class SQLiteStore(ClassStore):
    """The store in one SQLite file at `path` (its folder is created). Several processes may open the same
    file: they see one another's classes. Other parameters as for ClassStore."""

    def __init__(self, path: str | Path, **limits):
        super().__init__(**limits)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")   # kept in the file: every later connection uses WAL
            db.executescript(SCHEMA)

    def __repr__(self):
        return f"SQLiteStore({str(self.path)!r})"

    @contextmanager
    def _connect(self):
        # isolation_level=None: no hidden transactions; _write() opens its own.
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as db:
            db.execute("PRAGMA synchronous=NORMAL")
            yield db

    @contextmanager
    def _write(self):
        """One write transaction, taken at once (IMMEDIATE) so that what it reads cannot change under it."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _class_row(self, db, code: str):
        return db.execute("SELECT phase, question_no, choices, expires_at FROM classes WHERE code = ?",
                          (code,)).fetchone()

    # ---------- ClassStore's hooks ----------

    def _create(self, code, token_hash, now, expires_at):
        with self._write() as db:
            (open_classes,) = db.execute(
                "SELECT COUNT(*) FROM classes WHERE expires_at > ? AND phase != 'closed'", (now,)).fetchone()
            if open_classes >= self.max_classes:
                return "full"
            if db.execute("SELECT 1 FROM classes WHERE code = ? UNION ALL SELECT 1 FROM ended WHERE code = ?",
                          (code, code)).fetchone():
                return "taken"
            db.execute("INSERT INTO classes (code, token_hash, created_at, expires_at, phase) "
                       "VALUES (?, ?, ?, ?, 'waiting')", (code, token_hash, now, expires_at))
        return "ok"

    def _token_hash(self, code):
        with self._connect() as db:
            row = db.execute("SELECT token_hash FROM classes WHERE code = ?", (code,)).fetchone()
        return row[0] if row else None

    def _state(self, code):
        with self._connect() as db:
            db.execute("BEGIN")   # one snapshot for both reads
            row = db.execute("SELECT phase, question_no, question_id, settings, choices, created_at, "
                             "expires_at FROM classes WHERE code = ?", (code,)).fetchone()
            students = db.execute("SELECT COUNT(*) FROM students WHERE code = ?", (code,)).fetchone()[0]
            db.execute("COMMIT")
        if row is None:
            return None
        phase, question_no, question_id, settings, choices, created_at, expires_at = row
        question = Question.from_stored(question_id, settings, choices) if question_no else None
        return ClassState(code, phase, question_no, question, students, created_at, expires_at)

    def _join(self, code, student_id, nickname, now):
        with self._write() as db:
            row = self._class_row(db, code)
            if row is None:
                return "unknown"
            if row[0] == "closed" or row[3] <= now:
                return "ended"
            (students,) = db.execute("SELECT COUNT(*) FROM students WHERE code = ?", (code,)).fetchone()
            if students >= self.max_students:
                return "full"
            db.execute("INSERT INTO students (code, student_id, nickname, joined_at) VALUES (?, ?, ?, ?)",
                       (code, student_id, nickname, now))
        return "ok"

    def _student(self, code, student_id):
        with self._connect() as db:
            row = db.execute("SELECT nickname FROM students WHERE code = ? AND student_id = ?",
                             (code, student_id)).fetchone()
        return (row is not None, row[0] if row else None)

    def _ended_gone(self, code):
        with self._connect() as db:
            return db.execute("SELECT 1 FROM ended WHERE code = ? AND ended_at > ?",
                              (code, self.clock() - ENDED_CODE_KEPT_S)).fetchone() is not None

    def _leave(self, code, student_id):
        with self._write() as db:
            db.execute("DELETE FROM students WHERE code = ? AND student_id = ?", (code, student_id))
            db.execute("DELETE FROM answers WHERE code = ? AND student_id = ? AND question_no NOT IN "
                       "(SELECT question_no FROM reveals WHERE code = ?)", (code, student_id, code))

    def _ask(self, code, question, now):
        with self._write() as db:
            row = self._class_row(db, code)
            if row is None:
                return "unknown", 0
            if row[0] == "closed" or row[3] <= now:
                return "ended", 0
            question_no = row[1] + 1
            db.execute("UPDATE classes SET phase = 'asking', question_no = ?, question_id = ?, settings = ?, "
                       "choices = ? WHERE code = ?",
                       (question_no, question.question_id, question.settings_json(),
                        json.dumps(question.choices), code))
        return "ok", question_no

    def _answer(self, code, student_id, question_no, choice, now, max_submissions):
        with self._write() as db:
            row = self._class_row(db, code)
            if row is None:
                return "unknown"
            phase, current_no, choices, expires_at = row
            if phase == "closed" or expires_at <= now:
                return "ended"
            if not db.execute("SELECT 1 FROM students WHERE code = ? AND student_id = ?",
                              (code, student_id)).fetchone():
                return "unknown_student"
            if phase == "waiting":
                return "waiting"
            if question_no != current_no:
                return "moved_on"
            if phase == "revealed":
                return "revealed"
            if choice not in json.loads(choices):
                return "unknown_choice"
            before = db.execute("SELECT choice, submissions FROM answers "
                                "WHERE code = ? AND question_no = ? AND student_id = ?",
                                (code, question_no, student_id)).fetchone()
            if before is not None and before[0] == choice:
                return "same"
            if before is not None and before[1] >= max_submissions:
                return "limit"
            db.execute("INSERT INTO answers (code, question_no, student_id, choice, submissions, "
                       "answered_at) VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (code, question_no, student_id) "
                       "DO UPDATE SET choice = excluded.choice, submissions = submissions + 1, "
                       "answered_at = excluded.answered_at", (code, question_no, student_id, choice, now))
        return "ok"

    def _answer_of(self, code, student_id, question_no):
        with self._connect() as db:
            row = db.execute("SELECT choice FROM answers "
                             "WHERE code = ? AND question_no = ? AND student_id = ?",
                             (code, question_no, student_id)).fetchone()
        return row[0] if row else None

    def _tally(self, code):
        with self._connect() as db:
            db.execute("BEGIN")   # the question and its answers from one snapshot
            row = db.execute("SELECT phase, question_no, question_id, settings, choices FROM classes "
                             "WHERE code = ?", (code,)).fetchone()
            if row is None:
                db.execute("COMMIT")
                return None
            phase, question_no, question_id, settings, choices = row
            made = db.execute("SELECT choice FROM answers WHERE code = ? AND question_no = ?",
                              (code, question_no)).fetchall()
            revealed = db.execute("SELECT students FROM reveals WHERE code = ? AND question_no = ?",
                                  (code, question_no)).fetchone()
            students = revealed[0] if revealed else db.execute(
                "SELECT COUNT(*) FROM students WHERE code = ?", (code,)).fetchone()[0]
            db.execute("COMMIT")
        question = Question.from_stored(question_id, settings, choices) if question_no else None
        return tally_from_answers(code, question_no, phase, question, (c for (c,) in made), students)

    def _reveal(self, code, now):
        with self._write() as db:
            row = self._class_row(db, code)
            if row is None:
                return "unknown"
            if row[0] == "closed" or row[3] <= now:
                return "ended"
            if row[0] == "waiting":
                return "no_question"
            db.execute("UPDATE classes SET phase = 'revealed' WHERE code = ?", (code,))
            db.execute("INSERT OR IGNORE INTO reveals (code, question_no, students) "
                       "SELECT ?, ?, COUNT(*) FROM students WHERE code = ?", (code, row[1], code))
        return "ok"

    def _close(self, code, now):
        with self._write() as db:
            row = self._class_row(db, code)
            if row is None:
                return "unknown"
            if row[3] <= now:
                return "ended"
            db.execute("UPDATE classes SET phase = 'closed' WHERE code = ?", (code,))
        return "ok"

    def _cleanup(self, now):
        with self._write() as db:
            gone = db.execute("SELECT code, expires_at FROM classes WHERE expires_at <= ?", (now,)).fetchall()
            db.executemany("INSERT OR REPLACE INTO ended (code, ended_at) VALUES (?, ?)", gone)
            for table in ("answers", "students", "reveals", "classes"):
                db.executemany(f"DELETE FROM {table} WHERE code = ?", [(c,) for c, _ in gone])
            db.execute("DELETE FROM ended WHERE ended_at <= ?", (now - ENDED_CODE_KEPT_S,))
        return len(gone)
