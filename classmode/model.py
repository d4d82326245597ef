"""Class mode's domain: what a class is, its limits, its errors, and the checks on everything that comes in.

A teacher creates a class and gets a short join code (for the projector) and a long teacher token (only in
the teacher's link). Students join with the code and get an anonymous student id. The teacher asks a
question, students answer and may change their answer until the teacher reveals, then the teacher asks
the next question or closes the class. The phases:

    waiting --ask--> asking --reveal--> revealed --ask (the next question)--> asking ...
    any phase --close--> closed;  every class expires CLASS_LIFETIME_S after it was created.

Nothing here does I/O: the stores (classmode/store.py and its two backends) keep the state and call these
checks. Every error a student or teacher can cause is a `ClassModeError` whose message is one plain
sentence that the UI can show as it is (after escaping it, like any text).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

# ---------- limits (each one stated, with why) ----------

CLASS_LIFETIME_S = 3 * 60 * 60
"""A class expires 3 hours after it was created: a double lecture with a break fits, and nothing a class
holds (nicknames, answers) is kept longer than an afternoon."""

ENDED_CODE_KEPT_S = 30 * 24 * 60 * 60
"""A class's code is remembered 30 days after its end, once its data are deleted (the code and that time, nothing
else), so that last week's student link or the teacher's own link still reads "has ended" and not "there is no
class with the code ...: check the code", and no new class is given that code meanwhile. Bounded by time: a
flood of classes leaves no code remembered longer."""

MAX_OPEN_CLASSES = 100
"""Open classes per store (per server with SQLite; shared by all replicas with Redis). One server serves one
class of about 60 students well (docs/LOAD.md), so 100 open classes is far beyond what a deployment serves at
once; the limit only stops a script from filling the disk or the Redis memory with classes."""

MAX_STUDENTS = 300
"""Students per class: a large lecture hall. Bounds one class's storage and the projector's tally."""

MAX_SUBMISSIONS = 5
"""Answers per student per question: the first answer and up to 4 changes. Changing one's mind is part of
thinking it over; a student clicking back and forth should not make the projector's bars dance. Sending the
answer one already has is not counted."""

NICKNAME_MAX = 24
"""Characters of a nickname that are kept (after control characters are removed); longer ones are cut."""

MAX_CHOICES = 8
CHOICE_MAX = 60
QUESTION_ID_MAX = 64
SETTINGS_MAX_BYTES = 2048
"""A question's settings (the page's settings for the run to reveal) as compact JSON: a page's query
parameters take a few hundred bytes."""

# ---------- codes and tokens ----------

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""32 characters with no 0/O or 1/I to confuse on a projector: 5 bits per character."""
CODE_LENGTH = 8
"""8 characters of 5 bits: 40 bits, about 10^12 codes, shown as ABCD-EFGH."""
CODE_BITS = CODE_LENGTH * 5

PHASES = ("waiting", "asking", "revealed", "closed")

_STUDENT_ID = re.compile(r"[A-Za-z0-9_-]{22}")         # secrets.token_urlsafe(16): 128 bits
_TEACHER_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")      # secrets.token_urlsafe(32): 256 bits
_QUESTION_ID = re.compile(r"[A-Za-z0-9_.:/-]+")


def new_code() -> str:
    """A fresh random join code: 8 characters from CODE_ALPHABET, from `secrets` (40 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_teacher_token() -> str:
    """A fresh teacher token: 256 random bits, URL-safe (43 characters). Only the teacher's link has it."""
    return secrets.token_urlsafe(32)


def new_student_id() -> str:
    """A fresh anonymous student id: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def token_hash(token: str) -> str:
    """What the store keeps instead of the teacher token: its SHA-256 (a copy of the store opens no class)."""
    return hashlib.sha256(token.encode()).hexdigest()


def display_code(code: str) -> str:
    """The code as people read it: ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}"


# ---------- errors ----------

class ClassModeError(ValueError):
    """Something a student or teacher did that class mode refuses; `str(err)` is one plain sentence."""


class BadCode(ClassModeError):
    """The text typed is not a class code at all."""


class UnknownClass(ClassModeError):
    """No class has this code (never had, or it ended more than ENDED_CODE_KEPT_S ago)."""


class ClassEnded(ClassModeError):
    """The class has expired or the teacher closed it (also once its data are deleted, while its code is kept)."""


class Full(ClassModeError):
    """A limit is reached: classes on the server, or students in a class."""


class NotTeacher(ClassModeError):
    """A teacher action without the right teacher token."""


class NotNow(ClassModeError):
    """The action does not fit the class's phase: answering after the reveal, revealing with no question..."""


class BadAnswer(ClassModeError):
    """An answer refused: a choice the question does not have, or too many changes."""


class AnswerLimit(BadAnswer):
    """A change of answer refused: the student has sent MAX_SUBMISSIONS answers to this question."""


class UnknownStudent(ClassModeError):
    """A student id this class does not know (for example from an old link)."""


def parse_code(text: object) -> str:
    """The class code in what someone typed or a link carried: case, spaces and dashes do not matter.

    Raises BadCode when it cannot be a code, with a sentence that says what a code looks like.
    """
    if not isinstance(text, str) or len(text) > 40:
        raise BadCode("That is not a class code: a code is 8 letters and digits, like ABCD-EFGH.")
    code = re.sub(r"[\s-]", "", text).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        wrong = sorted({c for c in code if c not in CODE_ALPHABET and c.isprintable()})
        hint = (f" It has {' and '.join(wrong)}, which codes never use (no 0, 1, I or O)."
                if wrong and all(c in "01IO" for c in wrong) else "")
        raise BadCode("That is not a class code: a code is 8 letters and digits, like ABCD-EFGH." + hint)
    return code


def check_student_id(student_id: object) -> str:
    """The student id if it has the shape new_student_id() makes; UnknownStudent otherwise."""
    if not isinstance(student_id, str) or not _STUDENT_ID.fullmatch(student_id):
        raise UnknownStudent("This browser has not joined the class: join again with the class code.")
    return student_id


def teacher_token_ok(token: object, stored_hash: str) -> bool:
    """Whether `token` is the class's teacher token, compared in constant time (hmac.compare_digest)."""
    if not isinstance(token, str) or not _TEACHER_TOKEN.fullmatch(token):
        token = ""
    return hmac.compare_digest(token_hash(token), stored_hash)


def clean_nickname(text: object) -> str | None:
    """An optional nickname made safe to store: no control or format characters (this removes newlines,
    NUL and the bidirectional overrides that can flip how text reads), white space collapsed, at most
    NICKNAME_MAX characters. None when nothing is left. Escaping for display is the UI's job."""
    if not isinstance(text, str):
        return None
    text = unicodedata.normalize("NFC", text[:1000])
    kept = (c for c in text if c.isspace() or not unicodedata.category(c).startswith("C"))
    text = "".join(" " if c.isspace() else c for c in kept)
    text = " ".join(text.split())[:NICKNAME_MAX].strip()
    return text or None


# ---------- the data ----------

@dataclass(frozen=True)
class Question:
    """One question the teacher asks: which one (an opaque id from the lessons' catalogue), the settings of
    the run it is about (a small JSON-able dict, e.g. a page's query parameters), and the choices students
    pick from, in the order to show them."""

    question_id: str
    settings: dict = field(default_factory=dict)
    choices: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "choices", tuple(self.choices))
        if (not isinstance(self.question_id, str) or not 0 < len(self.question_id) <= QUESTION_ID_MAX
                or not _QUESTION_ID.fullmatch(self.question_id)):
            raise ClassModeError(f"A question id is 1 to {QUESTION_ID_MAX} letters, digits or ._:/- ; "
                                 f"got {str(self.question_id)[:80]!r}.")
        choices = self.choices
        if not 2 <= len(choices) <= MAX_CHOICES:
            raise ClassModeError(f"A question needs 2 to {MAX_CHOICES} choices; got {len(choices)}.")
        for choice in choices:
            if not isinstance(choice, str) or not choice.strip() or len(choice) > CHOICE_MAX:
                raise ClassModeError(f"Each choice is a text of 1 to {CHOICE_MAX} characters; "
                                     f"got {choice!r:.80}.")
        if len(set(choices)) != len(choices):
            raise ClassModeError("The choices of a question must all differ.")
        if not isinstance(self.settings, dict):
            raise ClassModeError("A question's settings must be a dict of names to values.")
        try:
            size = len(self.settings_json())
        except (TypeError, ValueError):
            raise ClassModeError("A question's settings must be plain JSON values (text, numbers, "
                                 "true/false, lists, dicts).") from None
        if size > SETTINGS_MAX_BYTES:
            raise ClassModeError(f"A question's settings take {size} bytes as JSON; "
                                 f"at most {SETTINGS_MAX_BYTES}.")

    def settings_json(self) -> str:
        """The settings as compact JSON with sorted keys (what the stores keep)."""
        return json.dumps(self.settings, sort_keys=True, separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_stored(cls, question_id: str, settings_json: str, choices_json: str) -> Question:
        """The question as a store keeps it (settings and choices as JSON)."""
        return cls(question_id, json.loads(settings_json), tuple(json.loads(choices_json)))


@dataclass(frozen=True)
class NewClass:
    """What create_class() returns: the code for everyone, the token for the teacher's link only."""

    code: str
    teacher_token: str
    expires_at: float

    def __repr__(self):  # keep the token out of logs and tracebacks
        return f"NewClass(code={self.code!r}, teacher_token='…', expires_at={self.expires_at!r})"


@dataclass(frozen=True)
class Student:
    """A student in a class: the anonymous id their browser keeps, and their cleaned nickname, if any."""

    code: str
    student_id: str
    nickname: str | None


@dataclass(frozen=True)
class ClassState:
    """What everyone may see of a class: its phase, the current question (None before the first one) and
    its number (1, 2, ... in the order asked; 0 before the first), how many students joined, and when it
    expires (seconds since the epoch)."""

    code: str
    phase: str
    question_no: int
    question: Question | None
    students: int
    created_at: float
    expires_at: float


@dataclass(frozen=True)
class Tally:
    """The live count of answers to the current question: `counts` has every choice, in the question's
    order, zeros included; each student is counted once, for their latest answer. `answered` students of
    `students` who joined have answered; once the question is revealed, both are as at the reveal (a student
    who leaves or joins later changes no result shown). `question` is the question these counts are of (read
    with them, so a screen labels the bars with its choices even if the teacher asks the next one a moment
    later)."""

    code: str
    question_no: int
    phase: str
    counts: dict[str, int]
    answered: int
    students: int
    question: Question | None = None
