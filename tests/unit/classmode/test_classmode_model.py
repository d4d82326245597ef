"""Class mode's domain without a store: codes, tokens, nicknames and questions (classmode/model.py)."""

import math
import re
import secrets

import pytest

from classmode import model
from classmode.model import (
    BadCode,
    ClassModeError,
    NewClass,
    Question,
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


def test_codes_have_at_least_30_bits_and_no_confusable_characters():
    assert math.log2(len(model.CODE_ALPHABET)) * model.CODE_LENGTH >= 30
    assert model.CODE_BITS == 40 and len(set(model.CODE_ALPHABET)) == 32
    assert not set("01IO") & set(model.CODE_ALPHABET)
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000                                   # 2000 draws of 2^40: no repeat
    assert all(re.fullmatch(f"[{model.CODE_ALPHABET}]{{8}}", c) for c in codes)
    # every character of the alphabet turns up: the draw uses all of it
    assert set("".join(codes)) == set(model.CODE_ALPHABET)


def test_tokens_and_student_ids_are_long_random_and_url_safe():
    tokens = {new_teacher_token() for _ in range(200)}
    assert len(tokens) == 200 and all(re.fullmatch(r"[A-Za-z0-9_-]{43}", t) for t in tokens)   # 256 bits
    ids = {new_student_id() for _ in range(200)}
    assert len(ids) == 200 and all(re.fullmatch(r"[A-Za-z0-9_-]{22}", i) for i in ids)         # 128 bits


@pytest.mark.parametrize("typed", ["abcd-efgh", "ABCDEFGH", " abcd efgh ", "AbCd-EfGh\n"])
def test_a_code_is_read_whatever_the_case_spaces_and_dashes(typed):
    assert parse_code(typed) == "ABCDEFGH"
    assert display_code("ABCDEFGH") == "ABCD-EFGH"


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFGHJ", "ABCD/EFGH", None, 12345678, "x" * 10_000,
                                   "ABCD-EFG<", "ÄBCD-EFGH"])
def test_a_bad_code_gets_one_plain_sentence(typed):
    with pytest.raises(BadCode) as err:
        parse_code(typed)
    message = str(err.value)
    assert message.startswith("That is not a class code") and message.count(".") <= 3 and len(message) < 200
    assert isinstance(err.value, ValueError)      # one ValueError subclass, as STYLE.md asks


def test_a_code_with_0_1_i_or_o_says_those_are_never_used():
    with pytest.raises(BadCode, match="It has 0 and O, which codes never use"):
        parse_code("ABC0-EFGO")


def test_teacher_token_is_checked_in_constant_time_against_its_hash(monkeypatch):
    token = new_teacher_token()
    stored = token_hash(token)
    assert stored != token and len(stored) == 64
    assert teacher_token_ok(token, stored)
    for wrong in [new_teacher_token(), token[:-1], token + "x", "", None, 42, token.upper()]:
        assert not teacher_token_ok(wrong, stored)
    compared = []
    real = model.hmac.compare_digest
    monkeypatch.setattr(model.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    teacher_token_ok("nope", stored)
    assert compared, "tokens must be compared with hmac.compare_digest"


def test_new_class_keeps_the_token_out_of_its_repr():
    created = NewClass("ABCDEFGH", new_teacher_token(), 0.0)
    assert created.teacher_token not in repr(created)


@pytest.mark.parametrize(("typed", "kept"), [
    ("Ana", "Ana"),
    ("  Ana   Lopez  ", "Ana Lopez"),
    ("Ana\nLopez\t!", "Ana Lopez !"),
    ("Ana\x00\x07\x1b[31mred", "Ana[31mred"),                # NUL, bell, escape gone
    ("\u202eevil\u202c name", "evil name"),                 # bidirectional override gone
    ("zero\u200bwidth", "zerowidth"),
    ("<b>bold</b>", "<b>bold</b>"),                        # kept as text: escaping is the UI's job
    ("Ω" * 100, "Ω" * model.NICKNAME_MAX),
    ("e\u0301", "é"),                                       # NFC: one character
    ("", None), ("   ", None), ("\u202e", None), (None, None), (42, None),
])
def test_nicknames_lose_control_characters_and_are_cut(typed, kept):
    assert clean_nickname(typed) == kept


def test_student_ids_of_the_wrong_shape_are_unknown_students():
    assert check_student_id(new_student_id())
    for bad in ["", "short", "x" * 22 + "y", "a" * 21 + "!", None, 7]:
        with pytest.raises(UnknownStudent, match="join again with the class code"):
            check_student_id(bad)


def test_a_question_keeps_its_id_settings_and_choices():
    q = Question("basin.alpha", {"lr": 0.5, "dataset": "iris", "steps": 40}, ["roll", "zigzag", "fly off"])
    assert q.choices == ("roll", "zigzag", "fly off")
    assert q.settings_json() == '{"dataset":"iris","lr":0.5,"steps":40}'
    assert Question.from_stored(q.question_id, q.settings_json(), '["roll","zigzag","fly off"]') == q


@pytest.mark.parametrize(("kwargs", "complaint"), [
    ({"question_id": ""}, "question id"),
    ({"question_id": "has space"}, "question id"),
    ({"question_id": "x" * 65}, "question id"),
    ({"choices": ("only one",)}, "2 to 8 choices"),
    ({"choices": tuple("abcdefghi")}, "2 to 8 choices"),
    ({"choices": ("a", "a")}, "must all differ"),
    ({"choices": ("a", " ")}, "1 to 60 characters"),
    ({"choices": ("a", "b" * 61)}, "1 to 60 characters"),
    ({"choices": ("a", 2)}, "1 to 60 characters"),
    ({"settings": [1, 2]}, "dict"),
    ({"settings": {"x": object()}}, "plain JSON"),
    ({"settings": {"x": float("nan")}}, "plain JSON"),
    ({"settings": {"x": "y" * 3000}}, "at most 2048"),
])
def test_a_bad_question_is_refused_with_what_is_allowed(kwargs, complaint):
    fields = {"question_id": "basin.alpha", "settings": {}, "choices": ("yes", "no")} | kwargs
    with pytest.raises(ClassModeError, match=re.escape(complaint)):
        Question(**fields)


def test_limits_are_stated_and_sensible():
    assert model.CLASS_LIFETIME_S == 3 * 3600
    assert model.MAX_OPEN_CLASSES >= 10 and model.MAX_STUDENTS >= 60 and model.MAX_SUBMISSIONS >= 2
    assert secrets  # the module draws from secrets, never from random
    assert "import random" not in open(model.__file__).read()


def test_class_mode_imports_no_streamlit_and_the_maths_does_not_import_it(repo_root):
    import ast
    for path in sorted((repo_root / "classmode").glob("*.py")):
        tree = ast.parse(path.read_text())
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module}
        assert not imported & {"streamlit", "core", "ui", "pages", "numpy", "plotly"}, path.name
    for path in sorted((repo_root / "core").glob("*.py")):
        assert "classmode" not in path.read_text(), path.name
