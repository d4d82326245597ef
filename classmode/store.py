"""The one interface to class mode's store, whatever keeps the data (SQLite by default, Redis for replicas).

`ClassStore` holds every rule that does not need the data: it checks what comes in (codes, tokens, student
ids, nicknames, questions, choices), checks the teacher token in constant time, and turns the backends'
short answers ("ok", "unknown", "ended", ...) into one plain sentence per case. A backend only keeps the data
and makes each change atomic (a transaction in SQLite, a Lua script in Redis), so both behave the same and
pass the same tests (tests/unit/classmode/).

Every public method may raise a `ClassModeError` (classmode/model.py) whose message can be shown as it is.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable

from classmode.model import (
    CLASS_LIFETIME_S,
    MAX_OPEN_CLASSES,
    MAX_STUDENTS,
    MAX_SUBMISSIONS,
    AnswerLimit,
    BadAnswer,
    ClassEnded,
    ClassModeError,
    ClassState,
    Full,
    NewClass,
    NotNow,
    NotTeacher,
    Question,
    Student,
    Tally,
    UnknownClass,
    UnknownStudent,
    check_student_id,
    clean_nickname,
    display_code,
    new_code,
    new_student_id,
    new_teacher_token,
    parse_code,
    teacher_token_ok,
    token_hash,
)


class ClassStore(ABC):
    """Class mode's store: create a class, join it, ask, answer, count, reveal, close, and clean up.

    Parameters
    ----------
    clock : callable returning seconds since the epoch, default time.time
        Tests pass a clock they can move forward to check expiry.
    max_classes : int, default MAX_OPEN_CLASSES (100)
        Open classes this store holds at once; create_class() refuses more.
    max_students : int, default MAX_STUDENTS (300)
        Students per class; join() refuses more.
    lifetime_s : float, default CLASS_LIFETIME_S (3 hours)
        A class expires this long after it was created.
    """

    def __init__(self, *, clock: Callable[[], float] = time.time, max_classes: int = MAX_OPEN_CLASSES,
                 max_students: int = MAX_STUDENTS, lifetime_s: float = CLASS_LIFETIME_S):
        self.clock = clock
        self.max_classes = max_classes
        self.max_students = max_students
        self.lifetime_s = lifetime_s

    # ---------- the teacher ----------

    def create_class(self) -> NewClass:
        """Start a class: a fresh join code and teacher token. Raises Full when the store already holds
        max_classes open classes. Expired classes are cleaned up first."""
        now = self.clock()
        self.cleanup()
        for _ in range(10):   # a code already in use (1 in 10^10 with 100 classes) gets a new draw
            code, token = new_code(), new_teacher_token()
            status = self._create(code, token_hash(token), now, now + self.lifetime_s)
            if status == "ok":
                return NewClass(code, token, now + self.lifetime_s)
            if status == "full":
                raise Full(f"This server already runs {self.max_classes} classes, its limit: try again when "
                           f"one has ended (classes end {self.lifetime_s / 3600:g} hours after they start).")
        raise RuntimeError("no free class code after 10 draws")  # a bug, not bad luck

    def is_teacher(self, code: str, teacher_token: str) -> bool:
        """Whether teacher_token is this class's teacher token (for the UI to choose the teacher's view). Raises
        ClassEnded for a class that ended and whose data (the token's hash with them) are deleted: no token can
        be checked then, and "has ended" is what its teacher's own link must read."""
        code = parse_code(code)
        stored = self._token_hash(code)
        if stored is None and self._ended_gone(code):
            self._raise_for("ended", code)
        return stored is not None and teacher_token_ok(teacher_token, stored)

    def ask(self, code: str, teacher_token: str, question: Question) -> int:
        """Put a question to the class (the first, or the next one after a reveal, or a new one instead of
        the current). Everyone's answers start afresh. Returns the question's number (1, 2, ...)."""
        code = self._teacher(code, teacher_token)
        if not isinstance(question, Question):
            raise ClassModeError("Ask a question from the lessons' list.")
        status, question_no = self._ask(code, question, self.clock())
        self._raise_for(status, code)
        return question_no

    def reveal(self, code: str, teacher_token: str) -> None:
        """Show the answer: students can no longer answer this question, and its tally is final, "of M" too
        (the students in the class now: one who leaves or joins later changes no result shown). Revealing
        twice is harmless."""
        code = self._teacher(code, teacher_token)
        self._raise_for(self._reveal(code, self.clock()), code)

    def close(self, code: str, teacher_token: str) -> None:
        """End the class now: nobody can join, ask or answer; its data go at expiry. Closing twice is
        harmless."""
        try:
            code = self._teacher(code, teacher_token)
        except ClassEnded:   # ended, its data gone already: as harmless as with the data still there
            return
        status = self._close(code, self.clock())
        if status != "ended":
            self._raise_for(status, code)

    # ---------- the students ----------

    def join(self, code: str, nickname: str | None = None) -> Student:
        """Join a class with its code (as typed: case, spaces and dashes do not matter) and an optional
        nickname (control characters removed, cut to NICKNAME_MAX characters). Returns the new student,
        whose id the student's browser keeps."""
        code = parse_code(code)
        student = Student(code, new_student_id(), clean_nickname(nickname))
        status = self._join(code, student.student_id, student.nickname, self.clock())
        if status == "full":
            raise Full(f"Class {display_code(code)} is full ({self.max_students} students).")
        self._raise_for(status, code)
        return student

    def student(self, code: str, student_id: str) -> Student:
        """A returning student (after a reload or on another page): their id must be one this class knows."""
        code = parse_code(code)
        student_id = check_student_id(student_id)
        self._open_state(code)
        found, nickname = self._student(code, student_id)
        if not found:
            self._raise_for("unknown_student", code)
        return Student(code, student_id, nickname)

    def leave(self, code: str, student_id: str) -> None:
        """A student leaves the class (the page's Leave button): they no longer count among its students, and
        their answer to the open question goes with them, so a student who leaves and joins again is counted
        once. Their answers to questions already revealed stay: a result the projector has shown never changes
        (it read "4 of 7 answered right", then "3 of 6" after one Leave). Leaving a class that has ended, or
        twice, is harmless."""
        code = parse_code(code)
        student_id = check_student_id(student_id)
        self._leave(code, student_id)

    def answer(self, code: str, student_id: str, question_no: int, choice: str) -> None:
        """A student's answer to question number question_no (the one on their screen). They may change it
        until the reveal, up to MAX_SUBMISSIONS answers in all; sending the answer they already have is
        not counted."""
        code = parse_code(code)
        student_id = check_student_id(student_id)
        if not isinstance(question_no, int) or isinstance(question_no, bool):
            raise NotNow("That question is not the current one: answer the one on your screen now.")
        status = self._answer(code, student_id, question_no, choice if isinstance(choice, str) else "",
                              self.clock(), MAX_SUBMISSIONS)
        if status == "unknown_choice":
            state = self._open_state(code)
            options = ", ".join(state.question.choices) if state.question else ""
            raise BadAnswer(f"That answer is not one of this question's choices ({options}).")
        if status == "limit":
            raise AnswerLimit(f"You have already answered {MAX_SUBMISSIONS} times: your last answer stays "
                              "until the reveal.")
        self._raise_for(status, code)

    def answer_of(self, code: str, student_id: str) -> str | None:
        """The student's current answer to the current question, or None if they have not answered it."""
        code = parse_code(code)
        student_id = check_student_id(student_id)
        state = self._open_state(code)
        if state.question_no == 0:
            return None
        return self._answer_of(code, student_id, state.question_no)

    # ---------- everyone ----------

    def state(self, code: str) -> ClassState:
        """The class's phase, current question and number of students. Raises UnknownClass or ClassEnded
        (which also covers a class the teacher closed)."""
        return self._open_state(parse_code(code))

    def counts(self, code: str, teacher_token: str | None = None) -> Tally:
        """The live tally of the current question. The teacher (with the token) sees it at any time; everyone
        else only after the reveal, so that nobody answers with the crowd."""
        code = parse_code(code)
        tally = self._tally(code)
        if tally is None:
            self._raise_for("unknown", code)
        if tally.phase == "closed" or self._expired(code):
            self._raise_for("ended", code)
        teacher = teacher_token is not None and self.is_teacher(code, teacher_token)
        if tally.phase != "revealed" and not teacher:
            raise NotTeacher("The class's answers are shown after the reveal.")
        return tally

    def cleanup(self) -> int:
        """Delete every expired class with its students and answers, keeping its code only, for
        ENDED_CODE_KEPT_S, so that old links read "has ended" and no new class gets that code; forget the codes
        kept longer. Returns how many classes went."""
        return self._cleanup(self.clock())

    # ---------- shared checks ----------

    def _teacher(self, code: str, teacher_token: str) -> str:
        code = parse_code(code)
        stored = self._token_hash(code)
        if stored is None:
            self._raise_for("unknown", code)
        if not teacher_token_ok(teacher_token, stored):
            raise NotTeacher(f"Only the teacher's link of class {display_code(code)} can do that.")
        return code

    def _expired(self, code: str) -> bool:
        state = self._state(code)
        return state is None or state.expires_at <= self.clock()

    def _open_state(self, code: str) -> ClassState:
        state = self._state(code)
        if state is None:
            self._raise_for("unknown", code)
        if state.phase == "closed" or state.expires_at <= self.clock():
            self._raise_for("ended", code)
        return state

    def _raise_for(self, status: str, code: str) -> None:
        """Turn a backend's status word into the plain sentence for it (nothing for "ok" and "same")."""
        if status == "unknown" and self._ended_gone(code):
            status = "ended"   # its data are gone, but it was a class: "has ended", not "no such class"
        shown = display_code(code)
        errors = {
            "unknown": UnknownClass(f"There is no class with the code {shown}: "
                                    "check the code on the projector."),
            "ended": ClassEnded(f"Class {shown} has ended: ask your teacher for a new code."),
            "unknown_student": UnknownStudent(f"This browser is not in class {shown}: "
                                              "join again with the code."),
            "waiting": NotNow("The teacher has not asked a question yet."),
            "revealed": NotNow("The answer has been revealed: this question takes no more answers."),
            "moved_on": NotNow("The teacher has moved on to another question: "
                               "answer the one on your screen now."),
            "no_question": NotNow("There is no question to reveal yet: ask one first."),
        }
        if status in ("ok", "same"):
            return
        if status in errors:
            raise errors[status]
        raise RuntimeError(f"unexpected store status {status!r}")   # a bug in a backend

    # ---------- what a backend implements (codes and ids are already checked) ----------

    @abstractmethod
    def _create(self, code: str, token_hash: str, now: float, expires_at: float) -> str:
        """Add an open class, atomically with the limit: "ok", "taken" (code in use, or an ended class's code
        still kept) or "full"."""

    @abstractmethod
    def _token_hash(self, code: str) -> str | None:
        """The stored hash of the class's teacher token; None if there is no such class."""

    @abstractmethod
    def _state(self, code: str) -> ClassState | None:
        """The class as stored (expired or closed ones too); None if there is no such class."""

    @abstractmethod
    def _join(self, code: str, student_id: str, nickname: str | None, now: float) -> str:
        """Add a student, atomically with max_students: "ok", "unknown", "ended" or "full"."""

    @abstractmethod
    def _student(self, code: str, student_id: str) -> tuple[bool, str | None]:
        """Whether the class knows this student, and their nickname."""

    @abstractmethod
    def _ended_gone(self, code: str) -> bool:
        """Whether a class with this code ended less than ENDED_CODE_KEPT_S ago and its data are already gone
        (deleted by cleanup, or by Redis itself at expiry)."""

    @abstractmethod
    def _leave(self, code: str, student_id: str) -> None:
        """Remove the student and their answers to questions not revealed, atomically (nothing if there is no
        such student); their answers to revealed questions stay."""

    @abstractmethod
    def _ask(self, code: str, question: Question, now: float) -> tuple[str, int]:
        """Make question the current one with the next number, phase "asking": ("ok", number) or
        ("unknown" / "ended", 0)."""

    @abstractmethod
    def _answer(self, code: str, student_id: str, question_no: int, choice: str, now: float,
                max_submissions: int) -> str:
        """Record an answer, atomically: "ok", "same" (already the answer), "unknown", "ended",
        "unknown_student", "waiting", "moved_on", "revealed", "unknown_choice" or "limit"."""

    @abstractmethod
    def _answer_of(self, code: str, student_id: str, question_no: int) -> str | None:
        """The student's answer to question number question_no, or None."""

    @abstractmethod
    def _tally(self, code: str) -> Tally | None:
        """The counts of the current question, read consistently, with the number of students recorded at its
        reveal once revealed (the live number before); None if there is no such class."""

    @abstractmethod
    def _reveal(self, code: str, now: float) -> str:
        """Phase "asking" -> "revealed", recording how many students the class has now (the first reveal's
        number stays): "ok" (also if revealed already), "unknown", "ended" or "no_question"."""

    @abstractmethod
    def _close(self, code: str, now: float) -> str:
        """Phase -> "closed", the class stops counting toward max_classes: "ok", "unknown" or "ended"."""

    @abstractmethod
    def _cleanup(self, now: float) -> int:
        """Delete the classes with expires_at <= now and all they hold but their codes (kept until
        ENDED_CODE_KEPT_S after their expiry, then forgotten); return how many classes went."""


def tally_from_answers(code: str, question_no: int, phase: str, question: Question | None, choices_made,
                       students: int) -> Tally:
    """A Tally from the latest choice of each student who answered (one entry per student)."""
    counts = dict.fromkeys(question.choices if question else (), 0)
    answered = 0
    for choice in choices_made:
        if choice in counts:
            counts[choice] += 1
            answered += 1
    return Tally(code, question_no, phase, counts, answered, students, question)
